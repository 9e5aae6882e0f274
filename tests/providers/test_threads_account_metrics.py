"""Threads' account metrics: the client against real-shaped answers of the profile's
`threads_insights` (responses), each error class, and end to end against the sandbox."""

from datetime import UTC, datetime, timedelta

import pytest
import responses
from django.conf import settings
from responses import matchers

from providers import registry
from providers.errors import ProviderUnavailable, RateLimited, ReconnectRequired, TokenExpired
from providers.threads.client import ThreadsClient

ENDPOINTS = settings.PROVIDER_ENDPOINTS["threads"]
API = f"{ENDPOINTS['api_url']}/{ENDPOINTS['api_version']}"
USER = "17841400000000001"
TOKEN = "THAAtok-secret"
INSIGHTS = f"{API}/{USER}/threads_insights"
METRIC = "views,likes,replies,reposts,quotes,followers_count"


def client():
    return ThreadsClient({"access_token": TOKEN, "threads_user_id": USER}, endpoints=ENDPOINTS)


def graph_error(code, message, status=400):
    return {"json": {"error": {"message": message, "type": "OAuthException", "code": code}}, "status": status}


def insight(name, value):
    """One user insight as Threads answers it: `views` a daily series, the others totals."""
    item = {"name": name, "period": "day", "title": name, "description": "…", "id": f"{USER}/insights/{name}/day"}
    if name == "views":
        return {**item, "values": [{"value": value, "end_time": "2026-12-04T08:00:00+0000"}]}
    return {**item, "total_value": {"value": value}}


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def test_the_profile_s_insights_of_the_last_whole_day_and_their_normalized_names(mocked):
    until = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    since = until - timedelta(days=1)
    params = {"metric": METRIC, "since": str(int(since.timestamp())), "until": str(int(until.timestamp()))}
    data = [insight("views", 412), insight("likes", 37), insight("replies", 5), insight("reposts", 3)]
    data += [insight("quotes", 1), insight("followers_count", 2048)]
    mocked.get(INSIGHTS, json={"data": data}, match=[matchers.query_param_matcher({**params, "access_token": TOKEN})])
    metrics = client().fetch_account_metrics()
    assert metrics == {"views": 412, "likes": 37, "replies": 5, "reposts": 3, "quotes": 1, "followers_count": 2048}
    assert ThreadsClient.normalize_account_metrics(metrics) == {"followers": 2048, "reach": None, "engagement": None}
    assert len(mocked.calls) == 1


def test_a_daily_series_is_summed_and_a_metric_left_out_is_left_out(mocked):
    views = {**insight("views", 0), "values": [{"value": 10}, {"value": 15}]}
    mocked.get(INSIGHTS, json={"data": [views, insight("followers_count", 7), {"name": "likes", "values": []}]})
    assert client().fetch_account_metrics() == {"views": 25, "followers_count": 7}


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (graph_error(190, "Error validating access token: Session has expired"), TokenExpired),
        (graph_error(10, "(#10) Application does not have permission for this action", 403), ReconnectRequired),
    ],
    ids=["expired 190", "no insights permission"],
)
def test_a_refused_token_is_the_typed_error(mocked, answer, error):
    mocked.get(INSIGHTS, **answer)
    with pytest.raises(error):
        client().fetch_account_metrics()
    assert len(mocked.calls) == 1


def test_a_429_is_rate_limited(mocked):
    mocked.get(INSIGHTS, headers={"Retry-After": "120"}, **graph_error(4, "Application request limit reached", 429))
    with pytest.raises(RateLimited) as caught:
        client().fetch_account_metrics()
    assert caught.value.retry_after == 120 and len(mocked.calls) == 1


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_transient(mocked, status):
    mocked.get(INSIGHTS, **graph_error(2, "An unexpected error has occurred", status))
    with pytest.raises(ProviderUnavailable):
        client().fetch_account_metrics()
    assert len(mocked.calls) == 1


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_serves_plausible_insights_the_same_on_a_second_read(sandbox):
    credentials = {"access_token": "sbx-th-acct-1", "threads_user_id": "17841400000000777", "sandbox": {}}
    registry.get_client("threads", credentials, sandbox=True).verify()  # binds the token to the profile
    client = registry.get_client("threads", credentials, sandbox=True)
    metrics = client.fetch_account_metrics()
    assert set(metrics) == {"views", "likes", "replies", "reposts", "quotes", "followers_count"}
    assert all(isinstance(value, int) and value > 0 for value in metrics.values())
    assert client.fetch_account_metrics() == metrics
    assert type(client).normalize_account_metrics(metrics)["followers"] == metrics["followers_count"]
    refused = registry.get_client("threads", {**credentials, "access_token": "invalid-token"}, sandbox=True)
    with pytest.raises(TokenExpired):
        refused.fetch_account_metrics()
