"""Telegram's account metrics: the chat's member count (getChatMemberCount), against
recorded-shape Bot API answers (responses) and end to end against the sandbox."""

import pytest
import responses
from responses import matchers

from providers import registry
from providers.errors import ProviderUnavailable, RateLimited, ReconnectRequired
from providers.telegram.client import TelegramClient

TOKEN = "7012345678:AAF-secret-bot-token"
API = f"https://api.telegram.org/bot{TOKEN}"
CHAT = -1001122334455
CREDS = {"access_token": TOKEN, "chat_id": "@dravo_news", "chat_numeric_id": str(CHAT), "chat_username": "dravo_news"}


@pytest.fixture
def client(settings):
    return TelegramClient(dict(CREDS), endpoints=settings.PROVIDER_ENDPOINTS["telegram"])


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def fail(code, description, **parameters):
    body = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


def test_the_member_count_of_the_verified_chat(client, mock):
    call = mock.post(
        f"{API}/getChatMemberCount",
        json={"ok": True, "result": 4821},
        match=[matchers.json_params_matcher({"chat_id": str(CHAT)})],
    )
    metrics = client.fetch_account_metrics()
    assert metrics == {"member_count": 4821}
    assert TelegramClient.normalize_account_metrics(metrics) == {"followers": 4821, "reach": None, "engagement": None}
    assert call.call_count == 1


@pytest.mark.parametrize(
    "status, body, error",
    [
        (401, fail(401, "Unauthorized"), ReconnectRequired),
        (403, fail(403, "Forbidden: bot was kicked from the channel chat"), ReconnectRequired),
        (429, fail(429, "Too Many Requests: retry after 7", retry_after=7), RateLimited),
        (500, fail(500, "Internal Server Error"), ProviderUnavailable),
        (502, {}, ProviderUnavailable),
    ],
)
def test_each_failure_is_its_typed_error_after_one_call(client, mock, status, body, error):
    call = mock.post(f"{API}/getChatMemberCount", json=body, status=status)
    with pytest.raises(error) as caught:
        client.fetch_account_metrics()
    assert TOKEN not in str(caught.value)
    if error is RateLimited:
        assert caught.value.retry_after == 7
    assert call.call_count == 1


def test_an_answer_without_a_number_is_unavailable(client, mock):
    mock.post(f"{API}/getChatMemberCount", json={"ok": True, "result": {"count": 3}})
    with pytest.raises(ProviderUnavailable):
        client.fetch_account_metrics()


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_serves_a_plausible_member_count_the_same_on_a_second_read(sandbox):
    credentials = {"access_token": "123456789:AAH-sandbox-token", "chat_id": "@dravo_news"}
    client = registry.get_client("telegram", credentials, sandbox=True)
    first = client.fetch_account_metrics()
    assert set(first) == {"member_count"} and first["member_count"] > 0
    assert client.fetch_account_metrics() == first
    assert type(client).normalize_account_metrics(first)["followers"] == first["member_count"]
    refused = registry.get_client("telegram", {**credentials, "access_token": "invalid-token"}, sandbox=True)
    with pytest.raises(ReconnectRequired):
        refused.fetch_account_metrics()
