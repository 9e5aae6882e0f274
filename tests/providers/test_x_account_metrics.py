"""X's account metrics: the client against recorded-shape answers of `GET /2/users/me`
with `public_metrics` (responses), each error class, and end to end against the sandbox."""

import pytest
import responses
from django.conf import settings
from responses import matchers

from providers import registry
from providers.errors import ProviderUnavailable, RateLimited, TokenExpired
from providers.x.client import XClient

API = "https://api.x.com/2"
TOKEN = "tok-secret-abc"
ME = f"{API}/users/me"
PUBLIC_METRICS = {
    "followers_count": 5400,
    "following_count": 310,
    "tweet_count": 1200,
    "listed_count": 12,
    "like_count": 3300,
    "media_count": 85,
}


def client():
    credentials = {"access_token": TOKEN, "refresh_token": "ref-1", "user_id": "42", "username": "dravo"}
    return XClient(credentials, endpoints=settings.PROVIDER_ENDPOINTS["x"])


def problem(status, title, detail):
    return {"title": title, "detail": detail, "type": "about:blank", "status": status}


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def test_the_user_s_public_metrics_and_their_normalized_names(mocked):
    body = {"data": {"id": "42", "name": "Dravo", "username": "dravo", "public_metrics": PUBLIC_METRICS}}
    match = [
        matchers.header_matcher({"Authorization": f"Bearer {TOKEN}"}),
        matchers.query_param_matcher({"user.fields": "public_metrics"}),
    ]
    mocked.get(ME, json=body, match=match)
    metrics = client().fetch_account_metrics()
    assert metrics == PUBLIC_METRICS
    assert XClient.normalize_account_metrics(metrics) == {"followers": 5400, "reach": None, "engagement": None}
    assert len(mocked.calls) == 1


def test_a_refused_token_is_token_expired_without_naming_it(mocked):
    mocked.get(ME, status=401, json=problem(401, "Unauthorized", "Unauthorized"))
    with pytest.raises(TokenExpired) as caught:
        client().fetch_account_metrics()
    assert TOKEN not in str(caught.value) and len(mocked.calls) == 1


def test_a_429_is_rate_limited(mocked):
    too_many = problem(429, "Too Many Requests", "Too Many Requests")
    mocked.get(ME, status=429, json=too_many, headers={"Retry-After": "9"})
    with pytest.raises(RateLimited) as caught:
        client().fetch_account_metrics()
    assert caught.value.retry_after == 9 and len(mocked.calls) == 1


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_transient(mocked, status):
    mocked.get(ME, status=status, json=problem(status, "Service Unavailable", "Service Unavailable"))
    with pytest.raises(ProviderUnavailable):
        client().fetch_account_metrics()
    assert len(mocked.calls) == 1


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_serves_plausible_counts_the_same_on_a_second_read(sandbox):
    credentials = {"access_token": "tok-metrics-x", "sandbox": {}}
    client = registry.get_client("x", credentials, sandbox=True)
    metrics = client.fetch_account_metrics()
    assert set(metrics) == {"followers_count", "following_count", "tweet_count", "listed_count", "like_count"}
    assert all(isinstance(value, int) and value > 0 for value in metrics.values())
    assert client.fetch_account_metrics() == metrics
    assert type(client).normalize_account_metrics(metrics)["followers"] == metrics["followers_count"]
    refused = registry.get_client("x", {**credentials, "access_token": "invalid-token"}, sandbox=True)
    with pytest.raises(TokenExpired):
        refused.fetch_account_metrics()
