"""TikTokClient.fetch_account_metrics: the user's counters of /v2/user/info/ (scope
user.info.stats), against recorded-shape answers (responses) and the sandbox."""

import pytest
import responses
from django.conf import settings
from responses import matchers

from providers import registry
from providers.errors import MetricsUnsupported, ProviderUnavailable, RateLimited, TokenExpired
from providers.tiktok.client import TikTokClient
from sandbox.core import record_create

API = "https://open.tiktokapis.com/v2"
USER_INFO = f"{API}/user/info/"
CREDS = {"access_token": "act.secret-token", "refresh_token": "rft.old", "open_id": "open-1"}
QUERY = {"fields": "follower_count,following_count,likes_count,video_count"}
COUNTERS = {"follower_count": 12873, "following_count": 211, "likes_count": 402118, "video_count": 96}
LOG = {"log_id": "202611221200001234ABCD"}


def ok(data):
    return {"data": data, "error": {"code": "ok", "message": "", **LOG}}


def error(code, message="Something is wrong."):
    return {"data": {}, "error": {"code": code, "message": message, **LOG}}


def make_client(**credentials) -> TikTokClient:
    return TikTokClient({**CREDS, **credentials}, endpoints=settings.PROVIDER_ENDPOINTS["tiktok"])


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def add_user_info(rsps, **answer):
    auth = matchers.header_matcher({"Authorization": "Bearer act.secret-token"})
    rsps.get(
        USER_INFO, match=[auth, matchers.query_param_matcher(QUERY)], **(answer or {"json": ok({"user": COUNTERS})})
    )


def test_reads_the_users_counters(rsps):
    add_user_info(rsps)
    client = make_client()
    metrics = client.fetch_account_metrics()
    assert metrics == COUNTERS
    # The Display API has no account reach or engagement; likes_count is a lifetime total.
    assert client.normalize_account_metrics(metrics) == {"followers": 12873, "reach": None, "engagement": None}
    assert len(rsps.calls) == 1


@pytest.mark.parametrize("code", ["scope_not_authorized", "scope_permission_missed"])
def test_a_token_without_user_info_stats_has_no_account_metrics_not_a_reconnect(rsps, code):
    add_user_info(rsps, json=error(code, "The user did not authorize the scope."), status=401)
    with pytest.raises(MetricsUnsupported, match="user.info.stats"):
        make_client().fetch_account_metrics()
    assert len(rsps.calls) == 1


def test_an_answer_without_the_counters_has_no_account_metrics(rsps):
    add_user_info(rsps, json=ok({"user": {}}))
    with pytest.raises(MetricsUnsupported):
        make_client().fetch_account_metrics()
    assert len(rsps.calls) == 1


def test_a_refused_token_is_token_expired(rsps):
    add_user_info(rsps, json=error("access_token_invalid", "The access token is invalid."), status=401)
    with pytest.raises(TokenExpired):
        make_client().fetch_account_metrics()
    assert len(rsps.calls) == 1


def test_a_refused_token_without_an_envelope_is_token_expired_too(rsps):
    add_user_info(rsps, body="", status=401)
    with pytest.raises(TokenExpired):
        make_client().fetch_account_metrics()
    assert len(rsps.calls) == 1


def test_rate_limit_is_rate_limited(rsps):
    add_user_info(rsps, json=error("rate_limit_exceeded", "Too many requests."), status=429)
    with pytest.raises(RateLimited) as caught:
        make_client().fetch_account_metrics()
    assert caught.value.retry_after == 60
    assert len(rsps.calls) == 1


def test_a_server_error_is_provider_unavailable(rsps):
    add_user_info(rsps, json=error("internal_error", "Something went wrong."), status=500)
    with pytest.raises(ProviderUnavailable):
        make_client().fetch_account_metrics()
    assert len(rsps.calls) == 1


# --- against the sandbox ------------------------------------------------------------------------------------
def sandbox_client(token="tok-creator"):
    return registry.get_client("tiktok", {"access_token": token, "refresh_token": f"rft-{token}"}, sandbox=True)


@pytest.mark.django_db(transaction=True)
def test_sandbox_serves_the_users_counters_the_same_on_a_second_read(sandbox):
    client = sandbox_client()
    first = client.fetch_account_metrics()
    assert set(first) == {"follower_count", "following_count", "likes_count", "video_count"}
    assert first["follower_count"] > 0 and first["video_count"] == 0
    assert client.fetch_account_metrics() == first
    assert client.normalize_account_metrics(first)["followers"] == first["follower_count"]


@pytest.mark.django_db(transaction=True)
def test_sandbox_token_issued_without_user_info_stats_has_no_account_metrics(sandbox):
    record_create("tiktok", "token", "tok-no-stats", owner="sbx_open_1", username="sandbox_1", scope="user.info.basic")
    with pytest.raises(MetricsUnsupported, match="scope_not_authorized"):
        sandbox_client("tok-no-stats").fetch_account_metrics()


@pytest.mark.django_db(transaction=True)
def test_sandbox_refuses_an_invalid_token_as_tiktok_does(sandbox):
    with pytest.raises(TokenExpired, match="access_token_invalid"):
        sandbox_client("invalid-token").fetch_account_metrics()
