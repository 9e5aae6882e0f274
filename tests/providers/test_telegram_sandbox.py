"""The Telegram client walked through the Telegram sandbox over real HTTP (live_server):
connect (BYOK verify), every content kind, the caption split with its checkpoint,
refresh, the behaviours, and the sandbox's own rules (its Bot API envelope and errors)."""

import pytest
import requests

from providers import registry
from providers.base import Content, Media
from providers.errors import (
    AccountMismatch,
    MediaUnavailable,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
)
from sandbox.models import SandboxRecord

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN = "123456789:AAH-sandbox-token"


def client_for(chat="@dravo_news", token=TOKEN, behavior=None, **extra):
    credentials = {"access_token": token, "chat_id": chat, **extra}
    if behavior:
        credentials["sandbox"] = {"behavior": behavior}
    return registry.get_client("telegram", credentials, sandbox=True)


def connected(chat="@dravo_news", **kwargs):
    """A client with what a BYOK connect stores: the verified chat's numeric id and username."""
    client = client_for(chat, **kwargs)
    profile = client.verify()
    return client_for(chat, **kwargs, **client.profile_credentials(profile)), profile


def messages(chat_id):
    return list(SandboxRecord.objects.filter(network="telegram", kind="message", owner=str(chat_id)).order_by("id"))


def sample(sandbox, name):
    return f"{sandbox}/sandbox/files/{name}"


# --- verify --------------------------------------------------------------------------------------
def test_verify_a_channel_where_the_bot_posts_gives_its_numeric_id_and_username(sandbox):
    profile = client_for().verify()
    assert profile.id.startswith("-100") and profile.handle == "@dravo_news"
    assert profile.extra["chat_type"] == "channel" and profile.extra["bot_username"].endswith("_bot")
    assert client_for().profile_credentials(profile) == {"chat_numeric_id": profile.id, "chat_username": "dravo_news"}


def test_verify_by_numeric_id_finds_the_same_chat(sandbox):
    by_name = client_for().verify()
    assert client_for(by_name.id).verify().id == by_name.id


@pytest.mark.parametrize(
    ("chat", "words"),
    [
        ("@member_news", "member in @member_news without the right to post"),
        ("@readonly_news", "administrator in @readonly_news without the right to post"),
        ("@missing_news", "chat not found"),
        ("@kicked_news", "kicked"),
    ],
)
def test_verify_refuses_a_chat_the_bot_cannot_post_to_naming_chat_id(sandbox, chat, words):
    with pytest.raises(AccountMismatch, match=words) as caught:
        client_for(chat).verify()
    assert caught.value.field == "chat_id"


def test_a_group_member_bot_may_post(sandbox):
    profile = client_for("@group_chat").verify()
    assert profile.extra["chat_type"] == "supergroup"


def test_verify_of_a_revoked_token_asks_to_reconnect(sandbox):
    with pytest.raises(ReconnectRequired, match="bot token"):
        client_for(token="invalid:token").verify()


# --- publish -------------------------------------------------------------------------------------
def test_publish_text_escapes_html_and_links_to_the_public_message(sandbox):
    client, profile = connected()
    options = {"disable_notification": True, "protect_content": True, "link_preview_options": {"is_disabled": True}}
    result = client.publish(Content(text="<b>not bold</b> & 1 > 0", options=options))
    [message] = messages(profile.id)
    assert message.data["text"] == "<b>not bold</b> & 1 > 0"  # the sandbox parsed HTML: no tag came through
    assert message.data["disable_notification"] and message.data["protect_content"]
    assert message.data["link_preview_options"] == {"is_disabled": True}
    assert result.url == f"{sandbox}/sandbox/telegram/dravo_news/{result.platform_post_id}"
    page = requests.get(result.url, timeout=5)
    assert page.status_code == 200 and "&lt;b&gt;not bold&lt;/b&gt;" in page.text


def test_message_ids_increase_per_chat(sandbox):
    client, _ = connected("@dravo_ids")
    first = client.publish(Content(text="one")).platform_post_id
    second = client.publish(Content(text="two")).platform_post_id
    assert (int(first), int(second)) == (1, 2)


@pytest.mark.parametrize(
    ("name", "kind", "field"),
    [("sample.jpg", "image", "photo"), ("sample.mp4", "video", "video"), ("sample.pdf", "document", "document"),
     ("sample.gif", "gif", "animation")],
)
def test_publish_one_file_with_its_caption(sandbox, name, kind, field):
    client, profile = connected()
    client.publish(Content(text="A caption", media=(Media(sample(sandbox, name), kind),)))
    [message] = messages(profile.id)
    assert message.data["content"] == field and message.data["text"] == "A caption"


def test_publish_an_album_puts_the_text_on_its_first_item(sandbox):
    client, profile = connected()
    media = (Media(sample(sandbox, "sample.jpg"), "image"), Media(sample(sandbox, "sample.mp4"), "video"))
    result = client.publish(Content(text="Album", media=media))
    sent = messages(profile.id)
    assert [m.data["content"] for m in sent] == ["photo", "video"]
    assert [m.data["text"] for m in sent] == ["Album", ""]
    assert sent[0].data["media_group_id"] == sent[1].data["media_group_id"] != ""
    page = requests.get(result.url, timeout=5)
    assert page.status_code == 200 and page.text.count("sample.") >= 2


def test_a_text_longer_than_a_caption_goes_after_the_media_with_a_warning_and_a_checkpoint(sandbox):
    client, profile = connected()
    saved = []
    text = "word " * 300  # 1,500 characters
    result = client.publish(
        Content(text=text, media=(Media(sample(sandbox, "sample.png"), "image"),)), save_checkpoint=saved.append
    )
    sent = messages(profile.id)
    assert [(m.data["content"], m.data["text"]) for m in sent] == [("photo", ""), ("text", text)]
    assert saved[-1] == {"sent": [[1], [2]]} and result.platform_post_id == "1"
    assert "own message" in result.warnings[0]


def test_a_retry_from_the_checkpoint_sends_only_what_is_missing(sandbox):
    client, profile = connected()
    text = "word " * 300
    content = Content(text=text, media=(Media(sample(sandbox, "sample.png"), "image"),))
    client.publish(content, save_checkpoint=lambda c: None)
    # a crash after the photo: the checkpoint has its message only
    result = client.publish(content, checkpoint={"sent": [[1]]})
    assert [m.data["content"] for m in messages(profile.id)] == ["photo", "text", "text"]
    assert result.platform_post_id == "1"
    assert client.reconcile(content, {"sent": [[1], [2]]}).platform_post_id == "1"
    assert client.reconcile(content, {"sent": [[1]]}) is None


def test_a_private_channel_links_with_the_c_form(sandbox):
    client, profile = connected("-1001234567890")
    result = client.publish(Content(text="Members only"))
    assert result.url == f"{sandbox}/sandbox/telegram/c/1234567890/{result.platform_post_id}"
    assert requests.get(result.url, timeout=5).status_code == 200


def test_a_basic_group_has_no_link(sandbox):
    client, _ = connected("-5551234")
    assert client.publish(Content(text="Hi group")).url is None


def test_a_reply_in_a_group_topic(sandbox):
    client, profile = connected("@group_topics")
    first = client.publish(Content(text="Question")).platform_post_id
    client.publish(Content(text="Answer", options={"reply_to_message_id": int(first), "message_thread_id": 7}))
    assert messages(profile.id)[-1].data["reply_to"] == int(first)
    with pytest.raises(Rejected, match="replied not found"):
        client.publish(Content(text="Answer", options={"reply_to_message_id": 999}))


def test_a_missing_sample_file_is_media_unavailable(sandbox):
    client, _ = connected()
    with pytest.raises(MediaUnavailable, match="failed to get HTTP URL content"):
        client.publish(Content(text="x", media=(Media(sample(sandbox, "nope.jpg"), "image"),)))


def test_a_video_file_sent_as_a_photo_is_media_unavailable(sandbox):
    client, _ = connected()
    with pytest.raises(MediaUnavailable, match="wrong type"):
        client.publish(Content(text="x", media=(Media(sample(sandbox, "sample.mp4"), "image"),)))


def test_a_group_s_flood_limit_answers_retry_after(sandbox):
    client, _ = connected("@group_flood")
    for number in range(20):
        client.publish(Content(text=f"message {number}"))
    with pytest.raises(RateLimited) as caught:
        client.publish(Content(text="one too many"))
    assert 1 <= caught.value.retry_after <= 61


def test_a_group_upgraded_to_a_supergroup_asks_to_reconnect_with_its_new_id(sandbox):
    with pytest.raises(ReconnectRequired, match="-1001234567"):
        client_for("-421234567").publish(Content(text="hello"))


def test_posting_without_the_right_asks_to_reconnect(sandbox):
    with pytest.raises(ReconnectRequired, match="need administrator rights"):
        client_for("@member_news").publish(Content(text="hello"))
    with pytest.raises(ReconnectRequired, match="kicked"):
        client_for("@kicked_news").publish(Content(text="hello"))


# --- refresh and behaviours ---------------------------------------------------------------------------
def test_refresh_keeps_the_token_and_has_no_expiry(sandbox):
    client, _ = connected()
    result = client.refresh()
    assert result.credentials["access_token"] == TOKEN and result.expires_at is None
    with pytest.raises(ReconnectRequired):
        client_for(token="invalid:revoked").refresh()


def test_behaviour_rate_limited_fails_once_with_retry_after(sandbox):
    client, _ = connected(behavior="rate_limited")
    with pytest.raises(RateLimited) as caught:
        client.publish(Content(text="limited"))
    assert caught.value.retry_after == 1
    assert client.publish(Content(text="limited")).platform_post_id


def test_behaviour_flaky_fails_once_then_publishes(sandbox):
    client, _ = connected(behavior="flaky")
    with pytest.raises(ProviderUnavailable):
        client.publish(Content(text="flaky"))
    assert client.publish(Content(text="flaky")).platform_post_id


def test_behaviour_token_expired_is_a_revoked_bot_token(sandbox):
    client, _ = connected(behavior="token_expired")
    with pytest.raises(ReconnectRequired, match="bot token"):
        client.publish(Content(text="revoked"))


def test_behaviour_rejects_refuses_every_post(sandbox):
    client, _ = connected(behavior="rejects")
    with pytest.raises(Rejected, match="refuses every post"):
        client.publish(Content(text="no"))


def test_behaviour_slow_still_publishes(sandbox):
    credentials = {"access_token": TOKEN, "chat_id": "@dravo_news", "sandbox": {"behavior": "slow", "latency_ms": 50}}
    assert registry.get_client("telegram", credentials, sandbox=True).publish(Content(text="slow")).platform_post_id


# --- the sandbox's own rules (what the client never sends) ---------------------------------------------
def api(sandbox, method, token=TOKEN, **kwargs):
    return requests.post(f"{sandbox}/sandbox/telegram/bot{token}/{method}", timeout=5, **kwargs)


def test_the_sandbox_refuses_unescaped_html_and_unknown_tags(sandbox):
    for text, words in (("a < b", "Unsupported start tag"), ("<p>x</p>", 'Unsupported start tag "p"'),
                        ("Tom & Jerry", "'&' is reserved"), ("<b>open", "end tag")):
        answer = api(sandbox, "sendMessage", json={"chat_id": "@dravo_rules", "text": text, "parse_mode": "HTML"})
        body = answer.json()
        assert answer.status_code == 400 and body["ok"] is False and body["error_code"] == 400
        assert body["description"].startswith("Bad Request: can't parse entities") and words in body["description"]


def test_the_sandbox_counts_text_after_parsing_and_takes_forms_and_any_method_case(sandbox):
    text = "<b>" + "a" * 4096 + "</b>"
    answer = api(sandbox, "SENDMESSAGE", data={"chat_id": "@dravo_rules", "text": text, "parse_mode": "HTML"})
    assert answer.status_code == 200 and answer.json()["result"]["text"] == "a" * 4096
    too_long = api(sandbox, "sendMessage", json={"chat_id": "@dravo_rules", "text": "a" * 4097})
    assert too_long.json()["description"] == "Bad Request: message is too long"


def test_the_sandbox_album_rules(sandbox):
    photo = {"type": "photo", "media": sample(sandbox, "sample.jpg")}
    document = {"type": "document", "media": sample(sandbox, "sample.pdf")}
    one = api(sandbox, "sendMediaGroup", json={"chat_id": "@dravo_rules", "media": [photo]})
    mixed = api(sandbox, "sendMediaGroup", json={"chat_id": "@dravo_rules", "media": [photo, document]})
    eleven = api(sandbox, "sendMediaGroup", json={"chat_id": "@dravo_rules", "media": [photo] * 11})
    long_caption = {**photo, "caption": "a" * 1025}
    caption = api(sandbox, "sendMediaGroup", json={"chat_id": "@dravo_rules", "media": [long_caption, photo]})
    assert [r.status_code for r in (one, mixed, eleven, caption)] == [400] * 4
    assert "specified type" in mixed.json()["description"]
    assert caption.json()["description"] == "Bad Request: message caption is too long"


def test_the_sandbox_takes_a_multipart_upload_by_attach(sandbox):
    files = {"pic": ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg")}
    media = '[{"type": "photo", "media": "attach://pic"}, {"type": "photo", "media": "attach://pic"}]'
    answer = api(sandbox, "sendMediaGroup", data={"chat_id": "@dravo_rules", "media": media}, files=files)
    assert answer.status_code == 200 and len(answer.json()["result"]) == 2
    missing = api(sandbox, "sendMediaGroup", data={"chat_id": "@dravo_rules", "media": media.replace("pic", "x")})
    assert missing.status_code == 400


def test_the_sandbox_s_unknown_method_and_token(sandbox):
    assert api(sandbox, "getUpdatesX").json()["error_code"] == 404
    refused = {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert api(sandbox, "getMe", token="invalid").json() == refused
