"""Pinterest's account metrics: the account's counts (GET /v5/user_account) and the newest
READY day of its analytics (GET /v5/user_account/analytics), against recorded-shape
answers (responses) and end to end against the sandbox."""

from datetime import UTC, datetime, timedelta

import pytest
import responses
from django.conf import settings
from responses import matchers

from providers import registry
from providers.errors import ProviderUnavailable, RateLimited, ReconnectRequired, TokenExpired
from providers.pinterest.client import PinterestClient

API = "https://api.pinterest.com/v5"
CREDS = {"access_token": "pina_secret", "refresh_token": "pinr_old", "username": "dravo"}
ACCOUNT = {"username": "dravo", "account_type": "BUSINESS", "id": "549755885175", "follower_count": 1830}
ACCOUNT_FULL = {**ACCOUNT, "following_count": 97, "monthly_views": 51200}


@pytest.fixture
def client():
    endpoints = settings.PROVIDER_ENDPOINTS["pinterest"]
    return PinterestClient(dict(CREDS), endpoints=endpoints, app={"client_id": "cid", "client_secret": "sec"})


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def day(offset, status="READY", **metrics):
    date = (datetime.now(UTC).date() - timedelta(days=offset)).isoformat()
    return {"date": date, "data_status": status, "metrics": metrics}


def analytics(*days):
    return {"all": {"summary_metrics": {}, "daily_metrics": list(days)}}


def test_the_counts_and_the_newest_ready_day(client, mock):
    today = datetime.now(UTC).date()
    account = mock.get(
        f"{API}/user_account",
        json=ACCOUNT_FULL,
        match=[matchers.header_matcher({"Authorization": "Bearer pina_secret"})],
    )
    query = {
        "start_date": (today - timedelta(days=7)).isoformat(),
        "end_date": (today - timedelta(days=1)).isoformat(),
        "metric_types": "IMPRESSION,ENGAGEMENT,SAVE,PIN_CLICK,OUTBOUND_CLICK",
        "app_types": "ALL",
        "split_field": "NO_SPLIT",
    }
    days = analytics(
        day(3, IMPRESSION=900, ENGAGEMENT=40),
        day(2, IMPRESSION=1200, ENGAGEMENT=61, SAVE=20, PIN_CLICK=30, OUTBOUND_CLICK=11),
        day(1, "PROCESSING"),
    )
    stats = mock.get(f"{API}/user_account/analytics", json=days, match=[matchers.query_param_matcher(query)])
    metrics = client.fetch_account_metrics()
    assert metrics == {
        "follower_count": 1830,
        "following_count": 97,
        "monthly_views": 51200,
        "IMPRESSION": 1200,
        "ENGAGEMENT": 61,
        "SAVE": 20,
        "PIN_CLICK": 30,
        "OUTBOUND_CLICK": 11,
    }
    assert PinterestClient.normalize_account_metrics(metrics) == {"followers": 1830, "reach": 1200, "engagement": 61}
    assert account.call_count == 1 and stats.call_count == 1


def test_no_ready_day_leaves_the_counts_alone(client, mock):
    mock.get(f"{API}/user_account", json=ACCOUNT)
    mock.get(f"{API}/user_account/analytics", json=analytics(day(1, "PROCESSING"), day(2, "ESTIMATE", IMPRESSION=5)))
    metrics = client.fetch_account_metrics()
    assert metrics == {"follower_count": 1830}
    assert PinterestClient.normalize_account_metrics(metrics) == {"followers": 1830, "reach": None, "engagement": None}


@pytest.mark.parametrize(
    "status, body, error",
    [
        (401, {"code": 2, "message": "Authentication failed."}, TokenExpired),
        (403, {"code": 3, "message": "Missing scope: user_accounts:read"}, ReconnectRequired),
        (429, {"code": 8, "message": "You have exceeded your rate limit. Try again later."}, RateLimited),
        (500, {"code": 1, "message": "Internal error"}, ProviderUnavailable),
        (503, {}, ProviderUnavailable),
    ],
)
def test_a_refused_first_call_is_its_typed_error_and_the_only_call(client, mock, status, body, error):
    account = mock.get(f"{API}/user_account", json=body, status=status, headers={"Retry-After": "12"})
    with pytest.raises(error) as caught:
        client.fetch_account_metrics()
    if error is RateLimited:
        assert caught.value.retry_after == 12
    assert account.call_count == 1


@pytest.mark.parametrize("status, error", [(401, TokenExpired), (429, RateLimited), (502, ProviderUnavailable)])
def test_a_refused_analytics_call_is_its_typed_error(client, mock, status, error):
    account = mock.get(f"{API}/user_account", json=ACCOUNT)
    stats = mock.get(f"{API}/user_account/analytics", json={"code": status, "message": "no"}, status=status)
    with pytest.raises(error):
        client.fetch_account_metrics()
    assert account.call_count == 1 and stats.call_count == 1


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_serves_plausible_numbers_the_same_on_a_second_read(sandbox):
    credentials = {"access_token": "sbx-pin-tok-1", "username": "sandbox_pinner"}
    client = registry.get_client("pinterest", credentials, sandbox=True)
    first = client.fetch_account_metrics()
    counts = {"follower_count", "following_count", "monthly_views"}
    assert set(first) == counts | {"IMPRESSION", "ENGAGEMENT", "SAVE", "PIN_CLICK", "OUTBOUND_CLICK"}
    assert all(value > 0 for value in first.values())
    assert client.fetch_account_metrics() == first
    normalized = PinterestClient.normalize_account_metrics(first)
    assert normalized == {
        "followers": first["follower_count"],
        "reach": first["IMPRESSION"],
        "engagement": first["ENGAGEMENT"],
    }
    refused = registry.get_client("pinterest", {**credentials, "access_token": "invalid-token"}, sandbox=True)
    with pytest.raises(TokenExpired):
        refused.fetch_account_metrics()
