"""Bluesky's account metrics: the client against recorded-shape answers (responses) of the
public AppView's getProfile, each error class, and end to end against the Bluesky sandbox."""

import pytest
import responses
from django.conf import settings
from responses import matchers

from providers import registry
from providers.bluesky.client import BlueskyClient
from providers.errors import ProviderUnavailable, RateLimited, ReconnectRequired, Rejected

APPVIEW = "https://public.api.bsky.app/xrpc"
GET_PROFILE = f"{APPVIEW}/app.bsky.actor.getProfile"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
CREDS = {"access_token": "abcd-efgh-ijkl-mnop", "identifier": "alice.bsky.social", "did": DID, "access_jwt": "acc.jwt"}
PROFILE = {
    "did": DID,
    "handle": "alice.bsky.social",
    "displayName": "Alice",
    "followersCount": 5120,
    "followsCount": 210,
    "postsCount": 845,
    "indexedAt": "2026-12-01T10:00:00.000Z",
}


def client():
    return BlueskyClient(dict(CREDS), endpoints=settings.PROVIDER_ENDPOINTS["bluesky"])


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def test_the_public_counters_of_the_profile_and_their_normalized_names(mocked):
    mocked.get(GET_PROFILE, json=PROFILE, match=[matchers.query_param_matcher({"actor": DID})])
    metrics = client().fetch_account_metrics()
    assert metrics == {"followersCount": 5120, "followsCount": 210, "postsCount": 845}
    assert BlueskyClient.normalize_account_metrics(metrics) == {"followers": 5120, "reach": None, "engagement": None}
    assert "Authorization" not in mocked.calls[0].request.headers  # the public AppView: no session used
    assert len(mocked.calls) == 1


@pytest.mark.parametrize(
    ("error", "message"),
    [("AccountTakedown", "Account has been suspended"), ("AccountDeactivated", "Account is deactivated")],
)
def test_a_taken_down_or_deactivated_account_requires_a_reconnect(mocked, error, message):
    mocked.get(GET_PROFILE, status=400, json={"error": error, "message": message})
    with pytest.raises(ReconnectRequired, match=error):
        client().fetch_account_metrics()
    assert len(mocked.calls) == 1


def test_an_unknown_actor_is_rejected(mocked):
    mocked.get(GET_PROFILE, status=400, json={"error": "InvalidRequest", "message": "Profile not found"})
    with pytest.raises(Rejected, match="Profile not found"):
        client().fetch_account_metrics()
    assert len(mocked.calls) == 1


def test_a_429_is_rate_limited(mocked):
    mocked.get(
        GET_PROFILE,
        status=429,
        json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        headers={"ratelimit-reset": "9999999999"},
    )
    with pytest.raises(RateLimited):
        client().fetch_account_metrics()
    assert len(mocked.calls) == 1


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_transient(mocked, status):
    mocked.get(GET_PROFILE, status=status, json={"error": "UpstreamFailure", "message": "Upstream Failure"})
    with pytest.raises(ProviderUnavailable):
        client().fetch_account_metrics()
    assert len(mocked.calls) == 1


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_serves_plausible_counters_the_same_on_a_second_read(sandbox):
    credentials = {"access_token": "app-pass-carol", "identifier": "carol.bsky.social"}
    client = registry.get_client("bluesky", credentials, sandbox=True)
    credentials = {**credentials, **type(client).profile_credentials(client.verify())}
    client = registry.get_client("bluesky", credentials, sandbox=True)
    metrics = client.fetch_account_metrics()
    assert set(metrics) == {"followersCount", "followsCount", "postsCount"}
    assert all(isinstance(value, int) and value > 0 for value in metrics.values())
    assert client.fetch_account_metrics() == metrics
    assert type(client).normalize_account_metrics(metrics)["followers"] == metrics["followersCount"]
    takendown = {"access_token": "app-pass-t", "identifier": "takendown-1.bsky.social"}
    with pytest.raises(ReconnectRequired):
        registry.get_client("bluesky", takendown, sandbox=True).verify()  # the account now exists
    with pytest.raises(ReconnectRequired, match="AccountTakedown"):
        registry.get_client("bluesky", takendown, sandbox=True).fetch_account_metrics()
