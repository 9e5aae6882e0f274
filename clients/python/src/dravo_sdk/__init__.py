"""The Python client of the Dravo API."""
