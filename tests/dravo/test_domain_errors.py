"""Services raise domain errors, not HTTP exceptions: the worker catches them without
knowing HTTP, and the one exception handler maps them to the API's answer."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.exceptions import APIException

from accounts.errors import ProviderUnreachable, RefreshFailed
from dravo.errors import DomainError, IdempotencyKeyInFlight, IdempotencyKeyReused
from dravo.exception_handler import http_error
from publishing.errors import PostNotCancelable, PostNotRetryable
from publishing.services.media import MediaInUse

WORKER_MODULES = (
    "publishing/services/delivery.py",
    "publishing/tasks.py",
    "analytics/services.py",
    "analytics/tasks.py",
    "accounts/tasks.py",
)


@pytest.mark.parametrize(
    "error",
    [
        ProviderUnreachable,
        RefreshFailed,
        PostNotCancelable,
        PostNotRetryable,
        MediaInUse,
        IdempotencyKeyInFlight,
        IdempotencyKeyReused,
    ],
)
def test_a_services_refusal_is_a_domain_error_and_not_an_http_exception(error):
    assert issubclass(error, DomainError) and not issubclass(error, APIException)


@pytest.mark.parametrize("path", WORKER_MODULES)
def test_the_worker_path_imports_nothing_from_drf(path):
    tree = ast.parse((Path(settings.BASE_DIR) / path).read_text())
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert [name for name in imported if name.split(".")[0] == "rest_framework"] == []


def test_the_handler_answers_a_domain_error_with_its_status_code_and_retry_after():
    http = http_error(IdempotencyKeyInFlight())
    assert (http.status_code, http.wait) == (409, 1)
    assert http.get_codes() == "idempotency_key_in_flight"
    unreachable = http_error(ProviderUnreachable("x is down"))
    assert (unreachable.status_code, str(unreachable.detail), unreachable.get_codes()) == (
        503,
        "x is down",
        "provider_unavailable",
    )
