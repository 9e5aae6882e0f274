"""The Python client of the Dravo API."""

from dravo_sdk.client import Dravo
from dravo_sdk.errors import DravoError, ErrorItem

__all__ = ["Dravo", "DravoError", "ErrorItem"]
