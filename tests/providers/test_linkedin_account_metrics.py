"""LinkedInClient.fetch_account_metrics: an organization's followers (networkSizes) and its
share statistics of the last whole UTC day, against recorded-shape answers (responses) and
the sandbox; a member account has none for Dravo."""

from datetime import UTC, datetime

import pytest
import responses
from django.conf import settings
from responses import matchers

from providers import registry
from providers.errors import MetricsUnsupported, ProviderUnavailable, RateLimited, ReconnectRequired, TokenExpired
from providers.linkedin.client import LinkedInClient, last_utc_day

API = "https://api.linkedin.com"
ORG = "urn:li:organization:5515715"
PERSON = "urn:li:person:yrZCpj2Z12"
TOKEN = "tok-very-secret"
SIZES = f"{API}/rest/networkSizes/urn%3Ali%3Aorganization%3A5515715"
STATS = f"{API}/rest/organizationalEntityShareStatistics"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "X-Restli-Protocol-Version": "2.0.0"}
DAY_STATS = {
    "impressionCount": 1520,
    "uniqueImpressionsCount": 988,
    "clickCount": 41,
    "likeCount": 57,
    "commentCount": 9,
    "shareCount": 3,
    "engagement": 0.0724,
}


def client(author=ORG, **extra) -> LinkedInClient:
    credentials = {"access_token": TOKEN, "author_urn": author, **extra}
    return LinkedInClient(credentials, endpoints=settings.PROVIDER_ENDPOINTS["linkedin"])


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def add_sizes(mock, **answer):
    mock.get(
        SIZES,
        match=[
            matchers.query_param_matcher({"edgeType": "COMPANY_FOLLOWED_BY_MEMBER"}),
            matchers.header_matcher(HEADERS),
        ],
        **(answer or {"json": {"firstDegreeSize": 48211}}),
    )


def add_stats(mock, elements=None, **answer):
    start, end = last_utc_day()
    query = {
        "q": "organizationalEntity",
        "organizationalEntity": ORG,
        "timeIntervals": f"(timeRange:(start:{start},end:{end}),timeGranularityType:DAY)",
    }
    if elements is None:
        elements = [
            {"timeRange": {"start": start, "end": end}, "totalShareStatistics": DAY_STATS, "organizationalEntity": ORG}
        ]
    mock.get(
        STATS,
        match=[matchers.query_param_matcher(query), matchers.header_matcher(HEADERS)],
        **(answer or {"json": {"elements": elements, "paging": {"count": 10, "start": 0, "links": []}}}),
    )


def test_last_utc_day_is_the_whole_day_before_today():
    assert last_utc_day(datetime(2026, 12, 5, 9, 30, tzinfo=UTC)) == (1796342400000, 1796428800000)


def test_reads_the_organizations_followers_and_last_days_share_statistics(mock):
    add_sizes(mock)
    add_stats(mock)
    linkedin = client()
    metrics = linkedin.fetch_account_metrics()
    assert metrics == {
        "first_degree_size": 48211,
        "share_statistics_impression_count": 1520,
        "share_statistics_unique_impressions_count": 988,
        "share_statistics_click_count": 41,
        "share_statistics_like_count": 57,
        "share_statistics_comment_count": 9,
        "share_statistics_share_count": 3,
        "share_statistics_engagement": 0.0724,
    }
    # LinkedIn's engagement is a ratio, never a count: no normalized engagement.
    assert linkedin.normalize_account_metrics(metrics) == {"followers": 48211, "reach": 988, "engagement": None}
    assert len(mock.calls) == 2


def test_a_day_without_statistics_keeps_the_followers(mock):
    add_sizes(mock)
    add_stats(mock, elements=[])
    assert client().fetch_account_metrics() == {"first_degree_size": 48211}
    assert len(mock.calls) == 2


def test_a_member_account_has_no_account_metrics_without_a_call(mock):
    with pytest.raises(MetricsUnsupported, match="r_member_profileAnalytics"):
        client(PERSON).fetch_account_metrics()
    assert len(mock.calls) == 0


def test_a_revoked_token_requires_reconnect(mock):
    body = {
        "status": 401,
        "serviceErrorCode": 65601,
        "code": "REVOKED_ACCESS_TOKEN",
        "message": "The token used in the request has been revoked by the user",
    }
    add_sizes(mock, json=body, status=401)
    with pytest.raises(ReconnectRequired, match="revoked"):
        client().fetch_account_metrics()
    assert len(mock.calls) == 1


def test_an_expired_token_with_a_refresh_token_is_token_expired(mock):
    body = {
        "status": 401,
        "serviceErrorCode": 65602,
        "code": "EXPIRED_ACCESS_TOKEN",
        "message": "The token used in the request has expired",
    }
    add_sizes(mock, json=body, status=401)
    with pytest.raises(TokenExpired):
        client(refresh_token="r-tok").fetch_account_metrics()
    assert len(mock.calls) == 1


def test_http_429_is_rate_limited(mock):
    add_sizes(mock)
    add_stats(
        mock,
        json={"status": 429, "message": "Resource level throttle APPLICATION DAY limit"},
        status=429,
        headers={"Retry-After": "30"},
    )
    with pytest.raises(RateLimited) as caught:
        client().fetch_account_metrics()
    assert caught.value.retry_after == 30
    assert len(mock.calls) == 2


def test_a_server_error_is_provider_unavailable(mock):
    add_sizes(mock, json={"status": 503, "message": "Service Unavailable"}, status=503)
    with pytest.raises(ProviderUnavailable):
        client().fetch_account_metrics()
    assert len(mock.calls) == 1


# --- against the sandbox ------------------------------------------------------------------------------------
def sandbox_client(token="sbx-member", author=ORG):
    credentials = {"access_token": token, "author_urn": author, "sandbox": {"behavior": "ok"}}
    return registry.get_client("linkedin", credentials, sandbox=True)


@pytest.mark.django_db(transaction=True)
def test_sandbox_serves_the_organizations_numbers_the_same_on_a_second_read(sandbox):
    linkedin = sandbox_client()
    first = linkedin.fetch_account_metrics()
    assert first["first_degree_size"] > 0 and first["share_statistics_unique_impressions_count"] > 0
    assert 0 < first["share_statistics_engagement"] < 1
    assert linkedin.fetch_account_metrics() == first
    assert linkedin.normalize_account_metrics(first)["followers"] == first["first_degree_size"]


@pytest.mark.django_db(transaction=True)
def test_sandbox_refuses_an_invalid_token_as_linkedin_does(sandbox):
    with pytest.raises(ReconnectRequired, match="Invalid access token"):
        sandbox_client("invalid-token").fetch_account_metrics()
