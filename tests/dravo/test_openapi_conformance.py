"""The OpenAPI schema tells the truth: schemathesis calls every operation of /v1/schema
in-process (WSGI) with a test-mode key, positive and negative inputs, and runs all its
checks on every answer: no server error, only documented status codes, content types and
headers, bodies that match the documented schemas, valid input accepted and invalid input
refused.

Bounded for CI (a few minutes on 2 cores): a fixed seed, at most MAX_EXAMPLES generated
cases per operation and phase, no deadline. Select with `pytest -m openapi`, skip with
`-m "not openapi"`.
"""

import os

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.core.parameters import ParameterLocation
from schemathesis.openapi.checks import RejectedPositiveData

from dravo.pagination import encode_cursor
from publishing.services import media as media_services
from tests import factories
from tests.media_files import png

pytestmark = [pytest.mark.openapi, pytest.mark.django_db(transaction=True)]

MAX_EXAMPLES = int(os.environ.get("DRAVO_SCHEMATHESIS_MAX_EXAMPLES", "25"))  # raise it for a deeper local run

# Schema-valid input that only the data can refuse: ids of rows that do not exist, a
# token the network refuses, a media URL that is not media, a post the networks' rules
# refuse, a `from` after its `to`. A 400 (or 422) is the documented answer there, not a
# rejected valid request.
REFUSED_BY_DATA = [
    "GET /v1/posts",
    "GET /v1/publish",
    "POST /v1/accounts",
    "POST /v1/accounts/connect",
    "POST /v1/media",
    "POST /v1/posts",
    "POST /v1/publish",
    "GET /v1/analytics/posts",
    "GET /v1/analytics/accounts",  # a window longer than a year
    "PATCH /v1/posts/{id}",
    "POST /v1/posts/{id}/publish",
    "POST /v1/posts/import",  # a file that is not a CSV of posts, a zone that is not IANA's
    "POST /v1/webhooks",  # a URL whose host does not resolve, or resolves to a private address
    "PATCH /v1/webhooks/{id}",
]

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 13,
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "database": "none",
            # Every text field refuses NUL characters (a 400): PostgreSQL cannot store them.
            "allow-x00": False,
            # The test sends its own key; schemathesis checks missing credentials itself.
            "with-security-parameters": False,
        },
        # A valid request may still meet a state that refuses it: a row that is gone (404), a
        # conflict (409), a revision changed since (412), an Idempotency-Key already used with
        # another request (422).
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", 401, 403, 404, 409, 412, 422, 429, "5xx"]}
        },
        "operations": [
            {
                "include-name": REFUSED_BY_DATA,
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", 400, 401, 403, 404, 409, 412, 422, 429, "5xx"]
                    }
                },
            },
            {
                # A pre-flight check: an invalid post is its normal input, reported in a 200.
                "include-name": "POST /v1/posts/validate",
                "checks": {"negative_data_rejection": {"enabled": False}},
            },
        ],
    }
)

schema = schemathesis.openapi.from_wsgi("/v1/schema", get_wsgi_application(), config=CONFIG)


def _refuses_only_the_cursor(failure, response) -> bool:
    """A cursor is opaque: a string the schema admits may still be one Dravo never issued,
    and its documented answer is a 400 naming `cursor`."""
    if not isinstance(failure, RejectedPositiveData) or response.status_code != 400:
        return False
    return {error["attr"] for error in response.json()["errors"]} == {"cursor"}


@schema.hook
def filter_failure(context, failure, case, response):
    return not _refuses_only_the_cursor(failure, response)


# Rows seeded for the operation under test, by the path prefix that names them.
_seeded: dict[str, list[str]] = {}


def _ids_for(path: str) -> list[str]:
    return next((ids for prefix, ids in _seeded.items() if path.startswith(prefix)), [])


@schema.hook
def map_case(context, case):
    """A cursor is opaque: the only valid cursor is one Dravo issued, so valid cases use one."""
    query_is_valid = case.meta is None or not case.meta.is_negative_at(ParameterLocation.QUERY)
    if query_is_valid and "cursor" in (case.query or {}) and _seeded.get("cursor"):
        case.query["cursor"] = _seeded["cursor"][0]
    return case


@schema.hook
def flatmap_case(context, case):
    """Valid paths name a seeded row half of the time, so the 200 paths are exercised too."""
    path_is_valid = case.meta is None or not case.meta.is_negative_at(ParameterLocation.PATH)
    ids = _ids_for(case.operation.path)
    if not (path_is_valid and "id" in (case.path_parameters or {}) and ids):
        return st.just(case)

    def with_seeded_id(seeded_id):
        if seeded_id is not None:
            case.path_parameters["id"] = seeded_id
        return case

    return st.one_of(st.none(), st.sampled_from(ids)).map(with_seeded_id)


@pytest.fixture
def seeded_key(sandbox, settings):
    """A test-mode key of a workspace with sandbox accounts, posts, media and a second key."""
    settings.THROTTLE_RATE = "100000/min"
    settings.MEDIA_ALLOWED_HOSTS = [settings.BASE_URL.split("//")[1].split(":")[0]]
    workspace = factories.make_workspace()
    key, raw = factories.make_api_key(workspace, mode="test")
    other_key, _ = factories.make_api_key(workspace, mode="test")
    accounts = [factories.make_account(workspace, provider=p) for p in ("x", "linkedin", "facebook")]
    posts = [factories.make_post(workspace, accounts[:2], text=f"post {n}") for n in range(3)]
    staged = media_services.media_stage(workspace=workspace, file=SimpleUploadedFile("a.png", png((64, 64))))
    _, media, _ = media_services.media_commit(
        workspace=workspace, mode="test", staged=staged, idempotency_key=None, render=lambda m: {"id": m.pk}
    )
    _seeded.update(
        {
            "/v1/api-keys": [other_key.pk, key.pk],
            "/v1/accounts": [a.pk for a in accounts],
            "/v1/posts": [p.pk for p in posts],
            "/v1/publish": [p.pk.replace("post_", "job_", 1) for p in posts] + [p.pk for p in posts],
            "/v1/media": [media["id"]],
            "cursor": [encode_cursor(posts[-1].created_at, posts[-1].pk)],
        }
    )
    # As Django's test client does: no request may close the test's database connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield raw
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
    _seeded.clear()


@schema.parametrize()
# One seeded workspace per operation, shared by its generated cases.
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_operation_answers_as_documented(case, seeded_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded_key}"})
