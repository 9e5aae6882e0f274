"""YouTube's account metrics: the channel's statistics (channels.list?part=statistics),
against recorded-shape Data API answers (responses) and end to end against the sandbox."""

import pytest
import responses
from django.conf import settings
from responses import matchers

from providers import registry
from providers.errors import ProviderUnavailable, RateLimited, ReconnectRequired, Rejected, TokenExpired
from providers.youtube.client import YouTubeClient

API = "https://www.googleapis.com/youtube/v3"
CHANNEL = "UCuAXFkgsw1L7xaCfnd5JJOw"
CREDS = {"access_token": "ya29.secret", "refresh_token": "1//keep", "channel_id": CHANNEL}
QUERY = {"part": "statistics", "mine": "true"}


@pytest.fixture
def client():
    # Its own client_id: the quota of the other YouTube tests' app is not this one's.
    app = {"client_id": "cid-account-metrics", "client_secret": "sec"}
    return YouTubeClient(dict(CREDS), endpoints=settings.PROVIDER_ENDPOINTS["youtube"], app=app)


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def channel(**statistics):
    return {"kind": "youtube#channelListResponse", "items": [{"id": CHANNEL, "statistics": statistics}]}


def error(status, reason, message="Nope.", domain="global"):
    return {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
        }
    }


def test_the_channel_statistics_as_integers(client, mock):
    stats = channel(viewCount="1520334", subscriberCount="48200", hiddenSubscriberCount=False, videoCount="311")
    call = mock.get(
        f"{API}/channels",
        json=stats,
        match=[matchers.query_param_matcher(QUERY), matchers.header_matcher({"Authorization": "Bearer ya29.secret"})],
    )
    metrics = client.fetch_account_metrics()
    assert metrics == {"subscriberCount": 48200, "viewCount": 1520334, "videoCount": 311}
    assert YouTubeClient.normalize_account_metrics(metrics) == {"followers": 48200, "reach": None, "engagement": None}
    assert call.call_count == 1


def test_hidden_subscribers_are_left_out(client, mock):
    mock.get(
        f"{API}/channels", json=channel(viewCount="90", subscriberCount="0", hiddenSubscriberCount=True, videoCount="2")
    )
    metrics = client.fetch_account_metrics()
    assert metrics == {"viewCount": 90, "videoCount": 2}
    assert YouTubeClient.normalize_account_metrics(metrics)["followers"] is None


def test_a_google_account_without_a_channel_is_rejected(client, mock):
    mock.get(f"{API}/channels", json={"kind": "youtube#channelListResponse", "items": []})
    with pytest.raises(Rejected, match="no YouTube channel"):
        client.fetch_account_metrics()


@pytest.mark.parametrize(
    "status, body, expected",
    [
        (401, error(401, "authError", "Invalid Credentials"), TokenExpired),
        (403, error(403, "insufficientPermissions", "Insufficient Permission"), ReconnectRequired),
        (429, error(429, "rateLimitExceeded", "Too many requests"), RateLimited),
        (500, error(500, "backendError", "Backend Error"), ProviderUnavailable),
        (503, {}, ProviderUnavailable),
    ],
)
def test_each_failure_is_its_typed_error_after_one_call(client, mock, status, body, expected):
    call = mock.get(f"{API}/channels", json=body, status=status, headers={"Retry-After": "20"})
    with pytest.raises(expected) as caught:
        client.fetch_account_metrics()
    if expected is RateLimited:
        assert caught.value.retry_after == 20
    assert call.call_count == 1


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_serves_plausible_statistics_the_same_on_a_second_read(sandbox):
    credentials = {"access_token": "ya29.sbx-yt-metrics", "channel_id": CHANNEL}
    client = registry.get_client("youtube", credentials, sandbox=True)
    first = client.fetch_account_metrics()
    assert set(first) == {"subscriberCount", "viewCount", "videoCount"}
    assert first["subscriberCount"] >= 1000 and first["viewCount"] > 0 and first["videoCount"] == 0
    assert str(first["subscriberCount"]).endswith("0")  # rounded to three significant figures
    assert client.fetch_account_metrics() == first
    assert YouTubeClient.normalize_account_metrics(first)["followers"] == first["subscriberCount"]
    refused = registry.get_client("youtube", {**credentials, "access_token": "invalid-token"}, sandbox=True)
    with pytest.raises(TokenExpired):
        refused.fetch_account_metrics()
