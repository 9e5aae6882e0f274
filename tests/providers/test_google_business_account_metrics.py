"""Google Business Profile's account metrics: the location's newest day of the Performance
API's daily metrics (locations/{l}:fetchMultiDailyMetricsTimeSeries), against
recorded-shape answers (responses) and end to end against the sandbox."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.conf import settings

from providers import registry
from providers.errors import ProviderUnavailable, RateLimited, ReconnectRequired, Rejected, TokenExpired
from providers.google_business.client import GoogleBusinessClient
from sandbox import google_business as sandbox_gbp
from sandbox.models import SandboxRecord

LOCATION_NAME = "accounts/107623849261234567890/locations/4758393847561234567"
PERFORMANCE = "https://businessprofileperformance.googleapis.com/v1/locations/4758393847561234567:fetchMultiDailyMetricsTimeSeries"
CREDS = {"access_token": "ya29.secret", "refresh_token": "1//keep", "location_name": LOCATION_NAME}


@pytest.fixture
def client():
    endpoints = settings.PROVIDER_ENDPOINTS["google_business"]
    return GoogleBusinessClient(dict(CREDS), endpoints=endpoints, app={"client_id": "cid", "client_secret": "sec"})


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def dated(offset, value=None):
    day = datetime.now(UTC).date() - timedelta(days=offset)
    item = {"date": {"year": day.year, "month": day.month, "day": day.day}}
    if value is not None:
        item["value"] = str(value)
    return item


def series(metric, *values):
    return {"dailyMetric": metric, "timeSeries": {"datedValues": list(values)}}


def answer(*all_series):
    return {"multiDailyMetricTimeSeries": [{"dailyMetricTimeSeries": list(all_series)}]}


def google_error(status, reason, message="Nope."):
    return {"error": {"code": status, "message": message, "status": reason}}


def test_the_newest_day_with_values_and_its_sums(client, mock):
    body = answer(
        series("BUSINESS_IMPRESSIONS_MOBILE_SEARCH", dated(4, 100), dated(3, 120), dated(2), dated(1)),
        series("BUSINESS_IMPRESSIONS_DESKTOP_SEARCH", dated(4, 40), dated(3, 30), dated(2), dated(1)),
        series("BUSINESS_IMPRESSIONS_MOBILE_MAPS", dated(4, 5), dated(3), dated(2), dated(1)),
        series("CALL_CLICKS", dated(3, 2), dated(2), dated(1)),
        series("WEBSITE_CLICKS", dated(3, 7), dated(1)),
    )
    call = mock.get(PERFORMANCE, json=body)
    metrics = client.fetch_account_metrics()
    assert metrics == {
        "BUSINESS_IMPRESSIONS_DESKTOP_MAPS": 0,
        "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH": 30,
        "BUSINESS_IMPRESSIONS_MOBILE_MAPS": 0,
        "BUSINESS_IMPRESSIONS_MOBILE_SEARCH": 120,
        "CALL_CLICKS": 2,
        "WEBSITE_CLICKS": 7,
        "BUSINESS_DIRECTION_REQUESTS": 0,
        "BUSINESS_CONVERSATIONS": 0,
        "business_impressions": 150,
        "business_interactions": 9,
    }
    normalized = GoogleBusinessClient.normalize_account_metrics(metrics)
    assert normalized == {"followers": None, "reach": 150, "engagement": 9}
    assert call.call_count == 1
    query = parse_qs(urlsplit(call.calls[0].request.url).query)
    assert query["dailyMetrics"] == [
        "BUSINESS_IMPRESSIONS_DESKTOP_MAPS",
        "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH",
        "BUSINESS_IMPRESSIONS_MOBILE_MAPS",
        "BUSINESS_IMPRESSIONS_MOBILE_SEARCH",
        "CALL_CLICKS",
        "WEBSITE_CLICKS",
        "BUSINESS_DIRECTION_REQUESTS",
        "BUSINESS_CONVERSATIONS",
    ]
    end = datetime.now(UTC).date() - timedelta(days=1)
    start = end - timedelta(days=9)
    assert [query[f"dailyRange.endDate.{part}"] for part in ("year", "month", "day")] == [
        [str(end.year)],
        [str(end.month)],
        [str(end.day)],
    ]
    assert query["dailyRange.startDate.day"] == [str(start.day)]
    assert call.calls[0].request.headers["Authorization"] == "Bearer ya29.secret"


def test_no_day_with_values_is_no_numbers(client, mock):
    mock.get(PERFORMANCE, json=answer(series("CALL_CLICKS", dated(2), dated(1))))
    assert client.fetch_account_metrics() == {}
    mock.get(PERFORMANCE, json={})
    assert client.fetch_account_metrics() == {}


def test_a_location_name_that_is_not_one_is_rejected_without_a_call(mock):
    client = GoogleBusinessClient(
        {**CREDS, "location_name": "locations/1"}, endpoints=settings.PROVIDER_ENDPOINTS["google_business"]
    )
    with pytest.raises(Rejected):
        client.fetch_account_metrics()


@pytest.mark.parametrize(
    "status, body, expected",
    [
        (401, google_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."), TokenExpired),
        (403, google_error(403, "PERMISSION_DENIED", "The caller does not have permission"), ReconnectRequired),
        (429, google_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded"), RateLimited),
        (500, google_error(500, "INTERNAL", "Internal error"), ProviderUnavailable),
        (503, {}, ProviderUnavailable),
    ],
)
def test_each_failure_is_its_typed_error_after_one_call(client, mock, status, body, expected):
    call = mock.get(PERFORMANCE, json=body, status=status, headers={"Retry-After": "15"})
    with pytest.raises(expected) as caught:
        client.fetch_account_metrics()
    if expected is RateLimited:
        assert caught.value.retry_after == 15
    assert call.call_count == 1


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_serves_a_plausible_day_the_same_on_a_second_read(sandbox):
    user = "baker@sandbox.dravo.dev"
    SandboxRecord.objects.create(network="google_business", kind="token", object_id="sbx-gbp-metrics", owner=user)
    account, locations = sandbox_gbp.holdings(user)[0]
    credentials = {"access_token": "sbx-gbp-metrics", "location_name": f"{account['name']}/{locations[0]['name']}"}
    client = registry.get_client("google_business", credentials, sandbox=True)
    first = client.fetch_account_metrics()
    assert first["business_impressions"] > 0 and first["business_interactions"] > 0
    assert client.fetch_account_metrics() == first
    normalized = GoogleBusinessClient.normalize_account_metrics(first)
    assert normalized == {
        "followers": None,
        "reach": first["business_impressions"],
        "engagement": first["business_interactions"],
    }
    refused = registry.get_client("google_business", {**credentials, "access_token": "invalid-x"}, sandbox=True)
    with pytest.raises(TokenExpired):
        refused.fetch_account_metrics()
    stranger = registry.get_client(
        "google_business", {**credentials, "location_name": "accounts/111/locations/999"}, sandbox=True
    )
    with pytest.raises(ReconnectRequired):
        stranger.fetch_account_metrics()
