"""WordPress's account metrics: a WordPress.com site's stats summary
(rest/v1.1/sites/{site}/stats), none for a self-hosted site, against recorded-shape
answers (responses) and end to end against the sandbox."""

import pytest
import responses
from responses import matchers

from providers import registry
from providers.errors import MetricsUnsupported, ProviderUnavailable, RateLimited, ReconnectRequired, TokenExpired
from providers.wordpress.client import WordPressClient

API = "https://public-api.wordpress.com"
STATS = f"{API}/rest/v1.1/sites/blog.example.org/stats"
SUMMARY = {
    "date": "2026-12-05",
    "stats": {
        "visitors_today": 12,
        "visitors_yesterday": 148,
        "visitors": 30211,
        "views_today": 31,
        "views_yesterday": 402,
        "views_best_day": "2026-10-01",
        "views_best_day_total": 1210,
        "views": 98012,
        "comments": 1320,
        "posts": 211,
        "followers_blog": 533,
        "followers_comments": 41,
    },
    "visits": {"unit": "day", "fields": ["period", "views", "visitors"], "data": []},
}


def com(**credentials):
    creds = {"access_token": "tok", "site_url": "blog.example.org", **credentials}
    return WordPressClient(creds, endpoints={"api_url": API, "oauth_url": API, "sites_url": ""})


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def test_the_site_stats_summary(mock):
    call = mock.get(STATS, json=SUMMARY, match=[matchers.header_matcher({"Authorization": "Bearer tok"})])
    metrics = com().fetch_account_metrics()
    assert metrics == {
        "followers_blog": 533,
        "visitors_yesterday": 148,
        "views_yesterday": 402,
        "views": 98012,
        "comments": 1320,
    }
    normalized = WordPressClient.normalize_account_metrics(metrics)
    assert normalized == {"followers": 533, "reach": 148, "engagement": None}
    assert call.call_count == 1


def test_a_summary_without_some_numbers_gives_the_others(mock):
    mock.get(STATS, json={"date": "2026-12-05", "stats": {"followers_blog": "17", "views": None}})
    assert com().fetch_account_metrics() == {"followers_blog": 17}


def test_a_self_hosted_site_has_no_account_metrics_and_is_not_called(mock):
    client = WordPressClient(
        {"access_token": "abcd efgh", "username": "ada", "site_url": "https://blog.example.com"},
        endpoints={"api_url": API, "oauth_url": API, "sites_url": ""},
    )
    with pytest.raises(MetricsUnsupported, match="Self-hosted"):
        client.fetch_account_metrics()


@pytest.mark.parametrize(
    "status, body, expected",
    [
        (401, {"error": "invalid_token", "message": "The OAuth2 token is invalid."}, TokenExpired),
        (400, {"error": "invalid_token", "message": "The OAuth2 token is invalid."}, TokenExpired),
        (403, {"error": "unauthorized", "message": "user cannot view stats"}, ReconnectRequired),
        (429, {"error": "rate_limited", "message": "Slow down"}, RateLimited),
        (500, {"error": "internal", "message": "Oops"}, ProviderUnavailable),
        (502, {}, ProviderUnavailable),
    ],
)
def test_each_failure_is_its_typed_error_after_one_call(mock, status, body, expected):
    call = mock.get(STATS, json=body, status=status, headers={"Retry-After": "30"})
    with pytest.raises(expected) as caught:
        com().fetch_account_metrics()
    if expected is RateLimited:
        assert caught.value.retry_after == 30
    assert call.call_count == 1


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_serves_a_plausible_summary_the_same_on_a_second_read(sandbox):
    credentials = {"access_token": "sbx-wp-metrics", "site_url": "sandbox-blog.wordpress.com"}
    client = registry.get_client("wordpress", credentials, sandbox=True)
    first = client.fetch_account_metrics()
    assert set(first) == {"followers_blog", "visitors_yesterday", "views_yesterday", "views", "comments"}
    assert all(value > 0 for value in first.values())
    assert first["views_yesterday"] >= first["visitors_yesterday"]
    assert client.fetch_account_metrics() == first
    normalized = WordPressClient.normalize_account_metrics(first)
    assert normalized == {
        "followers": first["followers_blog"],
        "reach": first["visitors_yesterday"],
        "engagement": None,
    }
    refused = registry.get_client("wordpress", {**credentials, "access_token": "invalid-token"}, sandbox=True)
    with pytest.raises(ReconnectRequired):
        refused.fetch_account_metrics()
