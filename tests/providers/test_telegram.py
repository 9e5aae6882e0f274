"""The Telegram client against recorded-shape Bot API answers (responses; no network):
the exact requests, each error class, validation and the options schema."""

import logging

import pytest
import requests
import responses
from responses import matchers

from providers import http
from providers.base import Content, Media
from providers.errors import (
    AccountMismatch,
    MediaUnavailable,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
)
from providers.telegram.client import TelegramClient
from providers.telegram.rules import TelegramOptionsSerializer

TOKEN = "7012345678:AAF-secret-bot-token"
API = f"https://api.telegram.org/bot{TOKEN}"
CHAT = -1001122334455
CREDS = {"access_token": TOKEN, "chat_id": "@dravo_news", "chat_numeric_id": str(CHAT), "chat_username": "dravo_news"}
BOT = {"id": 7012345678, "is_bot": True, "first_name": "Dravo", "username": "dravo_bot"}
CHANNEL = {"id": CHAT, "type": "channel", "title": "Dravo News", "username": "dravo_news"}
ADMIN = {"status": "administrator", "user": BOT, "can_post_messages": True, "can_edit_messages": True}
PNG = "https://cdn.example.com/a.png"
MP4 = "https://cdn.example.com/v.mp4"
PDF = "https://cdn.example.com/d.pdf"


def make_client(**overrides):
    from django.conf import settings

    return TelegramClient({**CREDS, **overrides}, endpoints=settings.PROVIDER_ENDPOINTS["telegram"])


@pytest.fixture
def client():
    return make_client()


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def ok(result):
    return {"ok": True, "result": result}


def fail(code, description, **parameters):
    body = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


def message(message_id, **extra):
    return {"message_id": message_id, "date": 1764790000, "chat": CHANNEL, "sender_chat": CHANNEL, **extra}


def sent(mock, method, body, result):
    return mock.post(f"{API}/{method}", json=ok(result), match=[matchers.json_params_matcher(body)])


# --- verify ------------------------------------------------------------------------------------
def verify_calls(mock, member=ADMIN, chat=CHANNEL, chat_id="@dravo_news"):
    mock.post(f"{API}/getMe", json=ok(BOT))
    mock.post(f"{API}/getChat", json=ok(chat), match=[matchers.json_params_matcher({"chat_id": chat_id})])
    mock.post(
        f"{API}/getChatMember",
        json=ok(member),
        match=[matchers.json_params_matcher({"chat_id": chat["id"], "user_id": BOT["id"]})],
    )


def test_verify_proves_the_bot_may_post_to_the_channel(mock):
    verify_calls(mock)
    profile = make_client(chat_numeric_id="", chat_username="").verify()
    assert (profile.id, profile.handle, profile.name) == (str(CHAT), "@dravo_news", "Dravo News")
    assert TelegramClient.profile_credentials(profile) == {"chat_numeric_id": str(CHAT), "chat_username": "dravo_news"}


@pytest.mark.parametrize(
    "member",
    [
        {"status": "administrator", "user": BOT, "can_post_messages": False},
        {"status": "member", "user": BOT},
        {"status": "left", "user": BOT},
    ],
)
def test_verify_refuses_a_bot_without_the_right_to_post_in_a_channel(client, mock, member):
    verify_calls(mock, member)
    with pytest.raises(AccountMismatch, match="without the right to post") as caught:
        client.verify()
    assert caught.value.field == "chat_id"


@pytest.mark.parametrize(
    ("member", "allowed"),
    [
        ({"status": "member", "user": BOT}, True),
        ({"status": "restricted", "user": BOT, "can_send_messages": True}, True),
        ({"status": "restricted", "user": BOT, "can_send_messages": False}, False),
        ({"status": "kicked", "user": BOT}, False),
    ],
)
def test_verify_in_a_group_takes_a_member_allowed_to_send(mock, member, allowed):
    group = {"id": -4001, "type": "supergroup", "title": "Team"}
    verify_calls(mock, member, group, chat_id="-4001")
    client = make_client(chat_id="-4001", chat_numeric_id="", chat_username="")
    if allowed:
        assert client.verify().handle == "Team"
    else:
        with pytest.raises(AccountMismatch):
            client.verify()


def test_verify_of_an_unknown_chat_names_chat_id(client, mock):
    mock.post(f"{API}/getMe", json=ok(BOT))
    mock.post(f"{API}/getChat", json=fail(400, "Bad Request: chat not found"), status=400)
    with pytest.raises(AccountMismatch, match="cannot reach @dravo_news: .*chat not found") as caught:
        client.verify()
    assert caught.value.field == "chat_id"


def test_verify_refuses_a_private_chat(client, mock):
    mock.post(f"{API}/getMe", json=ok(BOT))
    mock.post(f"{API}/getChat", json=ok({"id": 55, "type": "private", "first_name": "Ann"}))
    with pytest.raises(AccountMismatch, match="channel or a group"):
        client.verify()


def test_verify_of_a_revoked_token_is_reconnect_required(client, mock):
    mock.post(f"{API}/getMe", json=fail(401, "Unauthorized"), status=401)
    with pytest.raises(ReconnectRequired, match="@BotFather"):
        client.verify()


def test_verify_without_a_chat_gives_the_bot(mock):
    mock.post(f"{API}/getMe", json=ok(BOT))
    profile = make_client(chat_id="", chat_numeric_id="").verify()
    assert (profile.id, profile.handle) == (str(BOT["id"]), "@dravo_bot")


# --- publish: exact requests ---------------------------------------------------------------------
def test_text_is_html_escaped_with_the_options(client, mock):
    options = {
        "disable_notification": True,
        "protect_content": True,
        "link_preview_options": {"url": "https://dravo.dev", "prefer_small_media": True, "show_above_text": True},
    }
    body = {
        "chat_id": str(CHAT),
        "text": "<script>alert(1)</script> &amp; a > b",
        "parse_mode": "HTML",
        "disable_notification": True,
        "protect_content": True,
        "link_preview_options": options["link_preview_options"],
    }
    body["text"] = "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; a &gt; b"
    call = sent(mock, "sendMessage", body, message(42, text="<script>alert(1)</script> &amp; a > b"))
    result = client.publish(Content(text="<script>alert(1)</script> &amp; a > b", options=options))
    assert (result.platform_post_id, result.url, result.warnings) == ("42", "https://t.me/dravo_news/42", [])
    assert call.call_count == 1


@pytest.mark.parametrize(
    ("kind", "url", "method", "field"),
    [("image", PNG, "sendPhoto", "photo"), ("video", MP4, "sendVideo", "video"),
     ("document", PDF, "sendDocument", "document"), ("gif", "https://cdn.example.com/g.gif", "sendAnimation",
                                                     "animation")],
)
def test_one_file_goes_by_url_with_its_caption(client, mock, kind, url, method, field):
    body = {"chat_id": str(CHAT), field: url, "caption": "Look &amp; see", "parse_mode": "HTML",
            "show_caption_above_media": True}
    sent(mock, method, body, message(7))
    options = {"show_caption_above_media": True}
    result = client.publish(Content(text="Look & see", media=(Media(url, kind),), options=options))
    assert result.platform_post_id == "7"


def test_an_album_carries_the_caption_on_its_first_item_and_the_reply_and_topic(client, mock):
    body = {
        "chat_id": str(CHAT),
        "message_thread_id": 3,
        "media": [
            {"type": "photo", "media": PNG, "caption": "Two", "parse_mode": "HTML"},
            {"type": "video", "media": MP4},
        ],
        "reply_parameters": {"message_id": 5},
    }
    sent(mock, "sendMediaGroup", body, [message(8, media_group_id="g"), message(9, media_group_id="g")])
    saved = []
    content = Content(
        text="Two", media=(Media(PNG, "image"), Media(MP4, "video")),
        options={"message_thread_id": 3, "reply_to_message_id": 5},
    )
    result = client.publish(content, save_checkpoint=saved.append)
    assert result.platform_post_id == "8" and saved == [{"sent": [[8, 9]]}]


def test_a_long_text_follows_the_media_as_its_own_message_and_a_retry_does_not_resend(client, mock):
    text = "x" * 1500
    photo = sent(mock, "sendPhoto", {"chat_id": str(CHAT), "photo": PNG}, message(10))
    later = mock.post(f"{API}/sendMessage", json=fail(500, "Internal Server Error"), status=500)
    saved = []
    content = Content(text=text, media=(Media(PNG, "image"),))
    with pytest.raises(ProviderUnavailable):
        client.publish(content, save_checkpoint=saved.append)
    assert saved == [{"sent": [[10]]}]
    mock.remove(later)
    sent(mock, "sendMessage", {"chat_id": str(CHAT), "text": text, "parse_mode": "HTML"}, message(11))
    result = client.publish(content, checkpoint=saved[-1], save_checkpoint=saved.append)
    assert photo.call_count == 1 and saved[-1] == {"sent": [[10], [11]]}
    assert result.platform_post_id == "10" and "1,024" in result.warnings[0]


def test_a_private_channel_links_in_the_c_form_and_a_basic_group_has_no_link(mock):
    private = make_client(chat_id="-1009876", chat_numeric_id="-1009876", chat_username="")
    sent(mock, "sendMessage", {"chat_id": "-1009876", "text": "hi", "parse_mode": "HTML"}, message(3))
    assert private.publish(Content(text="hi")).url == "https://t.me/c/9876/3"
    group = make_client(chat_id="-4001", chat_numeric_id="-4001", chat_username="")
    sent(mock, "sendMessage", {"chat_id": "-4001", "text": "hi", "parse_mode": "HTML"}, message(4))
    assert group.publish(Content(text="hi")).url is None


def test_a_scheduled_video_has_no_link_yet(client, mock):
    sent(mock, "sendVideo", {"chat_id": str(CHAT), "video": MP4}, message(0))
    result = client.publish(Content(text="", media=(Media(MP4, "video"),)))
    assert result.url is None and "re-encoded" in result.warnings[0]


# --- errors --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "body", "error", "words"),
    [
        (401, fail(401, "Unauthorized"), ReconnectRequired, "bot token"),
        (404, fail(404, "Not Found"), ReconnectRequired, "bot token"),
        (403, fail(403, "Forbidden: bot was kicked from the channel chat"), ReconnectRequired, "kicked"),
        (403, fail(403, "Forbidden: bot is not a member of the channel chat"), ReconnectRequired, "not a member"),
        (400, fail(400, "Bad Request: chat not found"), ReconnectRequired, "chat not found"),
        (400, fail(400, "Bad Request: need administrator rights in the channel chat"), ReconnectRequired, "rights"),
        (400, fail(400, "Bad Request: group chat was upgraded to a supergroup chat", migrate_to_chat_id=-1009),
         ReconnectRequired, "-1009"),
        (400, fail(400, "Bad Request: can't parse entities: Unsupported start tag"), Rejected, "parse entities"),
        (400, fail(400, "Bad Request: message is too long"), Rejected, "too long"),
        (400, fail(400, "Bad Request: failed to get HTTP URL content"), MediaUnavailable, "HTTP URL"),
        (400, fail(400, "Bad Request: wrong type of the web page content"), MediaUnavailable, "web page"),
        (413, fail(413, "Request Entity Too Large"), MediaUnavailable, "Too Large"),
        (500, fail(500, "Internal Server Error"), ProviderUnavailable, "unavailable"),
        (502, None, ProviderUnavailable, "HTTP 502"),
    ],
)
def test_each_answer_maps_to_its_typed_error(client, mock, status, body, error, words):
    if body is None:
        call = mock.post(f"{API}/sendMessage", body="<html>Bad Gateway</html>", status=status)
    else:
        call = mock.post(f"{API}/sendMessage", json=body, status=status)
    with pytest.raises(error, match=words) as caught:
        client.publish(Content(text="hi"))
    assert call.call_count == 1 and TOKEN not in str(caught.value)


def test_a_flood_limit_is_rate_limited_with_the_body_s_retry_after(client, mock):
    body = fail(429, "Too Many Requests: retry after 35", retry_after=35)
    mock.post(f"{API}/sendMessage", json=body, status=429, headers={"Retry-After": "99"})
    with pytest.raises(RateLimited) as caught:
        client.publish(Content(text="hi"))
    assert caught.value.retry_after == 35


def test_a_timeout_is_unavailable_and_never_shows_the_token(client, mock, caplog):
    mock.post(f"{API}/sendMessage", body=requests.ReadTimeout("read timed out"))
    with caplog.at_level(logging.DEBUG, logger="dravo.providers"), pytest.raises(ProviderUnavailable) as caught:
        client.publish(Content(text="hi"))
    assert TOKEN not in str(caught.value) and "/bot<token>/sendMessage" in str(caught.value)
    assert TOKEN not in caplog.text


def test_the_shared_redaction_hides_a_token_in_the_path():
    assert http._redact(f"{API}/getMe?x=1") == "https://api.telegram.org/bot<token>/getMe"


def test_refresh_checks_the_token_and_keeps_it(client, mock):
    mock.post(f"{API}/getMe", json=ok(BOT))
    result = client.refresh()
    assert result.credentials == CREDS and result.expires_at is None
    mock.post(f"{API}/getMe", json=fail(401, "Unauthorized"), status=401)
    with pytest.raises(ReconnectRequired):
        client.refresh()


def test_reconcile_answers_only_from_a_complete_checkpoint(client):
    content = Content(text="x" * 1500, media=(Media(PNG, "image"),))
    assert client.reconcile(content, {"sent": [[10], [11]]}).platform_post_id == "10"
    assert client.reconcile(content, {"sent": [[10]]}) is None
    assert client.reconcile(content, None) is None


def test_metrics_are_unsupported():
    assert "no post metrics" in TelegramClient.metrics_unsupported


# --- validate and options ----------------------------------------------------------------------------
def problems(client, text="hi", media=()):
    return [(p.field, p.code) for p in client.validate(Content(text=text, media=media))]


def test_validate_counts_utf16_units(client):
    assert problems(client, "😀" * 2048) == []
    assert problems(client, "😀" * 2048 + "a") == [("text", "too_long")]


def test_validate_needs_text_or_media_and_checks_albums(client):
    assert problems(client, " ") == [("text", "required")]
    assert problems(client, "", (Media(PNG, "image"),)) == []
    mixed = (Media(PNG, "image"), Media(PDF, "document"))
    assert problems(client, "hi", mixed) == [("media_urls.1", "media_mix")]
    with_gif = (Media(PNG, "image"), Media("https://cdn.example.com/g.gif", "gif"))
    assert problems(client, "hi", with_gif) == [("media_urls.1", "media_mix")]
    eleven = tuple(Media(PNG, "image") for _ in range(11))
    assert problems(client, "hi", eleven) == [("media_urls.10", "too_many_media")]
    wide = Media(PNG, "image", width=9000, height=2000)
    assert problems(client, "hi", (wide,)) == [("media_urls.0", "dimensions")]


def test_options_are_strict():
    good = {"link_preview_options": {"is_disabled": False, "url": "https://dravo.dev"}, "protect_content": True}
    assert TelegramOptionsSerializer(data=good).is_valid()
    for bad in (
        {"disable_notification": "true"},
        {"link_preview_options": {"prefer_small_media": True, "prefer_large_media": True}},
        {"link_preview_options": {"url": "javascript:alert(1)"}},
        {"link_preview_options": {"disabled": True}},
        {"parse_mode": "HTML"},
        {"message_thread_id": "3"},
    ):
        assert not TelegramOptionsSerializer(data=bad).is_valid(), bad
