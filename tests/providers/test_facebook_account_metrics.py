"""FacebookClient.fetch_account_metrics: the Page node's follower counts and its last day's
Page Insights, against recorded-shape Graph answers (responses) and the sandbox."""

import pytest
import responses
from django.conf import settings
from responses import matchers

from providers import registry
from providers.errors import ProviderUnavailable, RateLimited, ReconnectRequired, TokenExpired
from providers.facebook.client import FacebookClient
from sandbox.core import account_id_for

ENDPOINTS = settings.PROVIDER_ENDPOINTS["facebook"]
API = f"{ENDPOINTS['api_url']}/{ENDPOINTS['api_version']}"
PAGE = "104857600000001"
TOKEN = "EAAGpagetoken123"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
NODE_QUERY = {"fields": "followers_count,fan_count"}
INSIGHTS_QUERY = {"metric": "page_total_media_view_unique,page_post_engagements", "period": "day"}


def graph_error(code, message="(#100) Invalid parameter", subcode=None):
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "EJplcsCHuLu"}
    if subcode:
        error["error_subcode"] = subcode
    return {"error": error}


def insight(name, *values):
    return {
        "name": name,
        "period": "day",
        "values": [
            {"value": value, "end_time": f"2026-12-0{day + 3}T08:00:00+0000"} for day, value in enumerate(values)
        ],
        "id": f"{PAGE}/insights/{name}/day",
    }


def make_client(**extra) -> FacebookClient:
    return FacebookClient({"access_token": TOKEN, "page_id": PAGE, **extra}, endpoints=ENDPOINTS)


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def add_node(rsps, **answer):
    rsps.get(
        f"{API}/{PAGE}",
        match=[matchers.query_param_matcher(NODE_QUERY), matchers.header_matcher(BEARER)],
        **(answer or {"json": {"id": PAGE, "followers_count": 5321, "fan_count": 4980}}),
    )


def test_reads_the_page_followers_and_its_last_days_insights(rsps):
    add_node(rsps)
    data = [insight("page_total_media_view_unique", 800, 912), insight("page_post_engagements", 40, 57)]
    rsps.get(
        f"{API}/{PAGE}/insights",
        json={"data": data, "paging": {}},
        match=[matchers.query_param_matcher(INSIGHTS_QUERY), matchers.header_matcher(BEARER)],
    )
    client = make_client()
    metrics = client.fetch_account_metrics()
    assert metrics == {
        "followers_count": 5321,
        "fan_count": 4980,
        "page_total_media_view_unique": 912,
        "page_post_engagements": 57,
    }
    assert client.normalize_account_metrics(metrics) == {"followers": 5321, "reach": 912, "engagement": 57}
    assert len(rsps.calls) == 2


def test_insights_refused_for_the_page_keep_the_follower_counts(rsps):
    add_node(rsps)
    rsps.get(f"{API}/{PAGE}/insights", json=graph_error(100, "(#100) The object does not exist"), status=400)
    metrics = make_client().fetch_account_metrics()
    assert metrics == {"followers_count": 5321, "fan_count": 4980}
    assert FacebookClient.normalize_account_metrics(metrics) == {"followers": 5321, "reach": None, "engagement": None}
    assert len(rsps.calls) == 2


def test_a_dead_page_token_requires_reconnect(rsps):
    add_node(rsps, json=graph_error(190, "Error validating access token: Session has expired.", 463), status=400)
    with pytest.raises(ReconnectRequired, match="code 190"):
        make_client().fetch_account_metrics()
    assert len(rsps.calls) == 1


def test_a_dead_token_with_a_user_token_to_reexchange_is_token_expired(rsps):
    add_node(rsps, json=graph_error(190, "Error validating access token: Session has expired.", 463), status=400)
    with pytest.raises(TokenExpired):
        make_client(user_access_token="EAAGuser").fetch_account_metrics()
    assert len(rsps.calls) == 1


def test_http_429_is_rate_limited(rsps):
    add_node(
        rsps, json=graph_error(4, "(#4) Application request limit reached"), status=429, headers={"Retry-After": "7"}
    )
    with pytest.raises(RateLimited) as caught:
        make_client().fetch_account_metrics()
    assert caught.value.retry_after == 7
    assert len(rsps.calls) == 1


def test_a_server_error_on_insights_is_provider_unavailable(rsps):
    add_node(rsps)
    rsps.get(f"{API}/{PAGE}/insights", body="<html>502</html>", status=502)
    with pytest.raises(ProviderUnavailable):
        make_client().fetch_account_metrics()
    assert len(rsps.calls) == 2


# --- against the sandbox ------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_sandbox_serves_the_pages_numbers_the_same_on_a_second_read(sandbox):
    token = "sbx_page_dravo_coffee"
    client = registry.get_client("facebook", {"access_token": token, "page_id": account_id_for(token)}, sandbox=True)
    first = client.fetch_account_metrics()
    assert set(first) == {"followers_count", "fan_count", "page_total_media_view_unique", "page_post_engagements"}
    assert all(isinstance(value, int) and value > 0 for value in first.values())
    assert client.fetch_account_metrics() == first
    assert all(value is not None for value in client.normalize_account_metrics(first).values())


@pytest.mark.django_db(transaction=True)
def test_sandbox_refuses_an_invalid_token_as_graph_does(sandbox):
    client = registry.get_client("facebook", {"access_token": "invalid-token", "page_id": PAGE}, sandbox=True)
    with pytest.raises(ReconnectRequired, match="code 190"):
        client.fetch_account_metrics()
