"""InstagramClient.fetch_account_metrics: the IG user's counts and its last day's insights
totals, against recorded-shape Graph answers (responses) and the sandbox."""

import pytest
import responses
from django.conf import settings
from responses import matchers

from providers import registry
from providers.errors import ProviderUnavailable, RateLimited, ReconnectRequired, TokenExpired
from providers.instagram.client import InstagramClient

ENDPOINTS = settings.PROVIDER_ENDPOINTS["instagram"]
API = f"{ENDPOINTS['api_url']}/{ENDPOINTS['api_version']}"
IG_ENDPOINTS = {**ENDPOINTS, "ig_api_url": "https://graph.instagram.com"}
IG_API = f"https://graph.instagram.com/{ENDPOINTS['api_version']}"
IG = "17841405822304914"
TOKEN = "EAAtok-secret"
AUTH = matchers.header_matcher({"Authorization": f"Bearer {TOKEN}"})
NODE_QUERY = {"fields": "followers_count,follows_count,media_count"}
INSIGHTS_QUERY = {"metric": "reach,accounts_engaged,total_interactions", "period": "day", "metric_type": "total_value"}
USER = {"id": IG, "followers_count": 15230, "follows_count": 310, "media_count": 412}


def make_client(login="facebook") -> InstagramClient:
    endpoints = IG_ENDPOINTS if login == "instagram" else ENDPOINTS
    return InstagramClient({"access_token": TOKEN, "ig_user_id": IG, "login": login}, endpoints=endpoints)


def graph_error(code, message="(#100) Invalid parameter", subcode=None):
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf"}
    if subcode:
        error["error_subcode"] = subcode
    return {"error": error}


def total(name, value):
    return {
        "name": name,
        "period": "day",
        "title": name,
        "total_value": {"value": value},
        "id": f"{IG}/insights/{name}/day",
    }


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def add_node(rsps, api=API, **answer):
    rsps.get(f"{api}/{IG}", match=[AUTH, matchers.query_param_matcher(NODE_QUERY)], **(answer or {"json": USER}))


def add_insights(rsps, api=API, **answer):
    data = [total("reach", 8123), total("accounts_engaged", 402), total("total_interactions", 977)]
    rsps.get(
        f"{api}/{IG}/insights",
        match=[AUTH, matchers.query_param_matcher(INSIGHTS_QUERY)],
        **(answer or {"json": {"data": data, "paging": {}}}),
    )


@pytest.mark.parametrize(("login", "api"), [("facebook", API), ("instagram", IG_API)])
def test_reads_the_users_counts_and_last_days_insights_on_the_logins_host(rsps, login, api):
    add_node(rsps, api)
    add_insights(rsps, api)
    client = make_client(login)
    metrics = client.fetch_account_metrics()
    assert metrics == {
        "followers_count": 15230,
        "follows_count": 310,
        "media_count": 412,
        "reach": 8123,
        "accounts_engaged": 402,
        "total_interactions": 977,
    }
    assert client.normalize_account_metrics(metrics) == {"followers": 15230, "reach": 8123, "engagement": 977}
    assert len(rsps.calls) == 2


def test_insights_refused_for_a_small_account_keep_the_counts(rsps):
    add_node(rsps)
    add_insights(rsps, json=graph_error(100, "(#100) Insights are not available for this user"), status=400)
    metrics = make_client().fetch_account_metrics()
    assert metrics == {"followers_count": 15230, "follows_count": 310, "media_count": 412}
    assert InstagramClient.normalize_account_metrics(metrics) == {"followers": 15230, "reach": None, "engagement": None}
    assert len(rsps.calls) == 2


def test_a_refused_facebook_login_token_requires_reconnect(rsps):
    add_node(rsps, json=graph_error(190, "Error validating access token: Session has expired.", 463), status=400)
    with pytest.raises(ReconnectRequired):
        make_client().fetch_account_metrics()
    assert len(rsps.calls) == 1


def test_a_refused_instagram_login_token_is_token_expired(rsps):
    add_node(rsps, IG_API, json=graph_error(190, "Session has been invalidated"), status=400)
    with pytest.raises(TokenExpired):
        make_client("instagram").fetch_account_metrics()
    assert len(rsps.calls) == 1


def test_http_429_is_rate_limited(rsps):
    add_node(
        rsps, json=graph_error(4, "(#4) Application request limit reached"), status=429, headers={"Retry-After": "9"}
    )
    with pytest.raises(RateLimited) as caught:
        make_client().fetch_account_metrics()
    assert caught.value.retry_after == 9
    assert len(rsps.calls) == 1


def test_a_server_error_on_insights_is_provider_unavailable(rsps):
    add_node(rsps)
    add_insights(rsps, body="<html>503</html>", status=503)
    with pytest.raises(ProviderUnavailable):
        make_client().fetch_account_metrics()
    assert len(rsps.calls) == 2


# --- against the sandbox ------------------------------------------------------------------------------------
def sandbox_client(token="sbx-tok-1"):
    return registry.get_client(
        "instagram", {"access_token": token, "ig_user_id": IG, "login": "facebook"}, sandbox=True
    )


@pytest.mark.django_db(transaction=True)
def test_sandbox_serves_the_accounts_numbers_the_same_on_a_second_read(sandbox):
    client = sandbox_client()
    first = client.fetch_account_metrics()
    assert set(first) == {
        "followers_count",
        "follows_count",
        "media_count",
        "reach",
        "accounts_engaged",
        "total_interactions",
    }
    assert first["followers_count"] > 0 and first["reach"] > 0 and first["total_interactions"] > 0
    assert client.fetch_account_metrics() == first
    assert all(value is not None for value in client.normalize_account_metrics(first).values())


@pytest.mark.django_db(transaction=True)
def test_sandbox_refuses_an_invalid_token_as_graph_does(sandbox):
    with pytest.raises(ReconnectRequired):
        sandbox_client("invalid-token").fetch_account_metrics()
