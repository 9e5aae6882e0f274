"""The embedded broker (kombu's SQLAlchemy transport on a SQLite file) as settings.py
configures it, in a module of its own that imports no Django, so that tests and tools
open the broker exactly as Dravo does."""

from sqlalchemy.pool import NullPool

# Only create_engine() arguments go here: kombu hands them all to SQLAlchemy. No pool, so
# a forked pool process never inherits an open SQLite connection.
TRANSPORT_OPTIONS = {"poolclass": NullPool, "connect_args": {"timeout": 30}}
