"""The Python client of the Dravo API."""

from dravo_sdk import models
from dravo_sdk.client import Dravo
from dravo_sdk.errors import (
    AuthenticationError,
    Conflict,
    DravoError,
    ErrorItem,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    RateLimited,
    ServerError,
    ValidationError,
)

__all__ = ["AuthenticationError", "Conflict", "Dravo", "DravoError", "ErrorItem", "NotFound", "PermissionDenied",
           "PreconditionFailed", "RateLimited", "ServerError", "ValidationError", "models"]
