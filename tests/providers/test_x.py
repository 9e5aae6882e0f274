"""The X client against recorded-shape answers of X API v2 (responses; no network)."""

import base64
import time
from datetime import timedelta

import pytest
import requests
import responses
from django.utils import timezone
from responses import matchers

from providers.base import Content, Media
from providers.errors import (
    AccountMismatch,
    MediaUnavailable,
    ProcessingTimeout,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from providers.x import client as x_module
from providers.x.client import XClient

API = "https://api.x.com/2"
TOKEN = "tok-secret-abc"
AUTH = matchers.header_matcher({"Authorization": f"Bearer {TOKEN}"})
CREDS = {"access_token": TOKEN, "refresh_token": "ref-1", "user_id": "42", "username": "dravo", "extra": "kept"}
PNG = "https://cdn.example.com/a.png"
PNG2 = "https://cdn.example.com/b.png"
MP4 = "https://cdn.example.com/v.mp4"
GIF = "https://cdn.example.com/g.gif"
DUPLICATE = {
    "title": "Forbidden",
    "detail": "You are not allowed to create a Tweet with duplicate content.",
    "type": "about:blank",
    "status": 403,
}


@pytest.fixture
def client(settings):
    settings.PROVIDER_POLL_INTERVAL = 0
    return make_client()


def make_client(**overrides):
    from django.conf import settings

    return XClient(
        {**CREDS, **overrides},
        endpoints=settings.PROVIDER_ENDPOINTS["x"],
        app={"client_id": "cid", "client_secret": "sec"},
    )


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def created(mock, post_id="1445880548472328192", body=None, text="Hello"):
    match = [AUTH, matchers.json_params_matcher(body)] if body is not None else [AUTH]
    data = {"data": {"id": post_id, "text": text, "edit_history_post_ids": [post_id]}}
    return mock.post(f"{API}/tweets", json=data, status=201, match=match)


def problem(status, title, detail, **extra):
    return {"title": title, "detail": detail, "type": "about:blank", "status": status, **extra}


# --- verify ------------------------------------------------------------------------------------
def test_verify_returns_the_user_behind_the_token(client, mock):
    body = {"data": {"id": "42", "name": "Dravo", "username": "dravo"}}
    mock.get(f"{API}/users/me", json=body, match=[AUTH])
    profile = client.verify()
    assert (profile.id, profile.handle, profile.name) == ("42", "dravo", "Dravo")


def test_verify_refuses_a_token_of_another_user_naming_user_id(client, mock):
    mock.get(f"{API}/users/me", json={"data": {"id": "2244994945", "name": "Other", "username": "other"}})
    with pytest.raises(AccountMismatch, match="acts as the X user 2244994945, not 42") as caught:
        client.verify()
    assert caught.value.field == "user_id"
    assert len(mock.calls) == 1


@pytest.mark.parametrize(
    "answer,error",
    [
        ({"status": 403, "json": problem(403, "Forbidden", "Not permitted")}, Rejected),
        ({"status": 503, "json": problem(503, "Service Unavailable", "Service Unavailable")}, ProviderUnavailable),
        ({"body": requests.ConnectTimeout("timed out")}, ProviderUnavailable),
        ({"status": 429, "json": problem(429, "Too Many Requests", "Too Many Requests")}, RateLimited),
    ],
    ids=["permanent 4xx", "5xx", "timeout", "429"],
)
def test_verify_maps_each_failure_of_users_me(client, mock, answer, error):
    mock.get(f"{API}/users/me", **answer)
    with pytest.raises(error):
        client.verify()
    assert len(mock.calls) == 1


def test_verify_raises_token_expired_on_401_without_naming_the_token(client, mock):
    mock.get(f"{API}/users/me", json=problem(401, "Unauthorized", "Unauthorized"), status=401)
    with pytest.raises(TokenExpired) as caught:
        client.verify()
    assert TOKEN not in str(caught.value)
    assert len(mock.calls) == 1


# --- publish: content kinds --------------------------------------------------------------------
def test_publish_text_posts_json_and_builds_the_public_url(client, mock):
    created(mock, body={"text": "Hello"})
    result = client.publish(Content(text="Hello"))
    assert result.platform_post_id == "1445880548472328192"
    assert result.url == "https://x.com/dravo/status/1445880548472328192"
    assert result.published_at is not None and result.warnings == []
    assert len(mock.calls) == 1


def test_publish_url_uses_i_when_the_username_is_unknown(mock, settings):
    client = make_client(username="")
    created(mock, post_id="7")
    assert client.publish(Content(text="Hello")).url == "https://x.com/i/status/7"


def test_publish_sends_reply_settings_quote_and_reply(client, mock):
    options = {"reply_settings": "mentionedUsers", "quote_post_id": "111", "reply_to_post_id": "222"}
    body = {
        "text": "Hi",
        "reply_settings": "mentionedUsers",
        "quote_tweet_id": "111",
        "reply": {"in_reply_to_tweet_id": "222"},
    }
    created(mock, body=body)
    client.publish(Content(text="Hi", options=options))
    assert len(mock.calls) == 1


def test_publish_poll_sends_options_and_duration(client, mock):
    poll = {"options": ["Yes", "No"], "duration_minutes": 60}
    created(mock, body={"text": "Poll?", "poll": poll})
    client.publish(Content(text="Poll?", options={"poll": poll}))
    assert len(mock.calls) == 1


def test_publish_images_uploads_each_simply_then_attaches_them(client, mock):
    mock.get(PNG, body=b"\x89PNG-bytes")
    mock.get(PNG2, body=b"\x89PNG-two")
    upload = mock.post(f"{API}/media/upload", json={"data": {"id": "m1", "media_key": "3_m1"}}, match=[AUTH])
    mock.post(f"{API}/media/upload", json={"data": {"id": "m2", "media_key": "3_m2"}})
    created(mock, body={"text": "Pics", "media": {"media_ids": ["m1", "m2"]}})
    saved = []
    media = (Media(PNG, "image", "image/png"), Media(PNG2, "image"))
    client.publish(Content(text="Pics", media=media), save_checkpoint=saved.append)
    body = upload.calls[0].request.body
    assert b'name="media_category"' in body and b"tweet_image" in body and b"\x89PNG-bytes" in body
    assert b"image/png" in body
    assert saved == [
        {"media_ids": ["m1"]},
        {"media_ids": ["m1", "m2"]},
        {"media_ids": ["m1", "m2"], "post_ids": ["1445880548472328192"]},
    ]
    assert len(mock.calls) == 5


def test_publish_video_uses_the_chunked_upload_and_waits_for_processing(client, mock):
    mock.get(MP4, body=b"0123456789")
    init = {"media_type": "video/mp4", "total_bytes": 10, "media_category": "tweet_video"}
    mock.post(
        f"{API}/media/upload/initialize",
        json={"data": {"id": "v1", "media_key": "13_v1", "expires_after_secs": 86400}},
        match=[AUTH, matchers.json_params_matcher(init)],
    )
    append = mock.post(f"{API}/media/upload/v1/append", json={"data": {}})
    pending = {"processing_info": {"state": "pending", "check_after_secs": 1}}
    mock.post(f"{API}/media/upload/v1/finalize", json={"data": {"id": "v1", **pending}})
    status_params = matchers.query_param_matcher({"command": "STATUS", "media_id": "v1"})
    mock.get(f"{API}/media/upload", json={"data": {"processing_info": {"state": "in_progress"}}}, match=[status_params])
    mock.get(f"{API}/media/upload", json={"data": {"processing_info": {"state": "succeeded"}}}, match=[status_params])
    created(mock, body={"text": "Clip", "media": {"media_ids": ["v1"]}})
    client.publish(Content(text="Clip", media=(Media(MP4, "video"),)))
    assert b'name="segment_index"' in append.calls[0].request.body and b"0123456789" in append.calls[0].request.body
    assert len(mock.calls) == 7


def test_chunked_upload_appends_numbered_segments(client, mock, monkeypatch):
    monkeypatch.setattr(x_module, "CHUNK_BYTES", 4)
    mock.get(MP4, body=b"0123456789")
    mock.post(f"{API}/media/upload/initialize", json={"data": {"id": "v1"}})
    for index, chunk in enumerate([b"0123", b"4567", b"89"]):
        form = matchers.multipart_matcher(
            {"media": ("chunk", chunk, "application/octet-stream")}, data={"segment_index": str(index)}
        )
        mock.post(f"{API}/media/upload/v1/append", match=[form])
    mock.post(f"{API}/media/upload/v1/finalize", json={"data": {"id": "v1"}})
    created(mock)
    client.publish(Content(text="Hello", media=(Media(MP4, "video"),)))
    assert len(mock.calls) == 7


def test_publish_gif_uses_tweet_gif_and_skips_status_when_already_processed(client, mock):
    mock.get(GIF, body=b"GIF89a")
    init = {"media_type": "image/gif", "total_bytes": 6, "media_category": "tweet_gif"}
    mock.post(f"{API}/media/upload/initialize", json={"data": {"id": "g1"}}, match=[matchers.json_params_matcher(init)])
    mock.post(f"{API}/media/upload/g1/append")
    mock.post(f"{API}/media/upload/g1/finalize", json={"data": {"id": "g1", "processing_info": {"state": "succeeded"}}})
    created(mock, body={"media": {"media_ids": ["g1"]}}, text="")
    client.publish(Content(text="", media=(Media(GIF, "gif"),)))
    assert len(mock.calls) == 5


def test_publish_thread_replies_to_the_previous_post_and_checkpoints_each(client, mock):
    created(mock, post_id="1", body={"text": "One", "reply_settings": "following"})
    created(
        mock, post_id="2", body={"text": "Two", "reply": {"in_reply_to_tweet_id": "1"}, "reply_settings": "following"}
    )
    created(
        mock, post_id="3", body={"text": "Three", "reply": {"in_reply_to_tweet_id": "2"}, "reply_settings": "following"}
    )
    saved = []
    options = {"thread": ["Two", "Three"], "reply_settings": "following"}
    result = client.publish(Content(text="One", options=options), save_checkpoint=saved.append)
    assert result.platform_post_id == "1"
    assert [c["post_ids"] for c in saved] == [["1"], ["1", "2"], ["1", "2", "3"]]
    assert len(mock.calls) == 3


def test_publish_resumes_a_thread_from_its_checkpoint_without_reposting(client, mock):
    created(mock, post_id="3", body={"text": "Three", "reply": {"in_reply_to_tweet_id": "2"}})
    saved = []
    content = Content(text="One", options={"thread": ["Two", "Three"]})
    result = client.publish(content, checkpoint={"post_ids": ["1", "2"], "media_ids": []}, save_checkpoint=saved.append)
    assert result.platform_post_id == "1"
    assert saved == [{"post_ids": ["1", "2", "3"], "media_ids": []}]
    assert len(mock.calls) == 1


def test_publish_reuses_uploaded_images_from_the_checkpoint(client, mock):
    created(mock, body={"text": "Pic", "media": {"media_ids": ["m1"]}})
    client.publish(Content(text="Pic", media=(Media(PNG, "image"),)), checkpoint={"media_ids": ["m1"]})
    assert len(mock.calls) == 1


def test_publish_resumes_a_processing_video_by_polling_not_uploading_again(client, mock):
    mock.get(f"{API}/media/upload", json={"data": {"id": "v1", "processing_info": {"state": "succeeded"}}})
    created(mock, body={"text": "Clip", "media": {"media_ids": ["v1"]}})
    client.publish(Content(text="Clip", media=(Media(MP4, "video"),)), checkpoint={"media_ids": ["v1"]})
    assert len(mock.calls) == 2


def test_a_refused_thread_part_becomes_a_warning_and_keeps_the_live_posts(client, mock):
    created(mock, post_id="1")
    detail = "You are not permitted to reply to this conversation."
    mock.post(f"{API}/tweets", json=problem(403, "Forbidden", detail), status=403)
    result = client.publish(Content(text="Hello", options={"thread": ["Two", "Three"]}))
    assert result.platform_post_id == "1"
    assert len(result.warnings) == 1 and "post 2 of the thread" in result.warnings[0] and detail in result.warnings[0]
    assert len(mock.calls) == 2


def test_a_transient_failure_mid_thread_raises_so_a_retry_resumes(client, mock):
    created(mock, post_id="1")
    mock.post(f"{API}/tweets", json=problem(503, "Service Unavailable", "Service Unavailable"), status=503)
    saved = []
    with pytest.raises(ProviderUnavailable):
        client.publish(Content(text="Hello", options={"thread": ["Two"]}), save_checkpoint=saved.append)
    assert saved == [{"post_ids": ["1"]}]


# --- publish: errors ---------------------------------------------------------------------------
def test_duplicate_content_is_rejected_as_duplicate(client, mock):
    mock.post(f"{API}/tweets", json=DUPLICATE, status=403)
    with pytest.raises(Rejected) as caught:
        client.publish(Content(text="Hello"))
    assert "duplicate" in caught.value.reason and caught.value.permanent
    assert len(mock.calls) == 1


def test_invalid_request_is_rejected_with_the_x_message(client, mock):
    body = {
        "errors": [{"parameters": {"reply_settings": ["x"]}, "message": "reply_settings is invalid"}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.x.com/2/problems/invalid-request",
    }
    mock.post(f"{API}/tweets", json=body, status=400)
    with pytest.raises(Rejected, match="One or more parameters"):
        client.publish(Content(text="Hello"))
    assert len(mock.calls) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_provider_unavailable(client, mock, status):
    mock.post(f"{API}/tweets", json=problem(status, "Service Unavailable", "Service Unavailable"), status=status)
    with pytest.raises(ProviderUnavailable) as caught:
        client.publish(Content(text="Hello"))
    assert not caught.value.permanent
    assert len(mock.calls) == 1


def test_a_timeout_is_provider_unavailable(client, mock):
    mock.post(f"{API}/tweets", body=requests.exceptions.ConnectTimeout())
    with pytest.raises(ProviderUnavailable):
        client.publish(Content(text="Hello"))
    assert len(mock.calls) == 1


def test_429_is_rate_limited_until_the_reset_header(client, mock):
    headers = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(time.time()) + 120)}
    mock.post(f"{API}/tweets", json=problem(429, "Too Many Requests", "Too Many Requests"), status=429, headers=headers)
    with pytest.raises(RateLimited) as caught:
        client.publish(Content(text="Hello"))
    assert 115 <= caught.value.retry_after <= 120
    assert len(mock.calls) == 1


def test_429_waits_for_the_24_hour_reset_when_that_cap_is_spent(client, mock):
    now = int(time.time())
    headers = {
        "x-rate-limit-reset": str(now + 60),
        "x-user-limit-24hour-remaining": "0",
        "x-user-limit-24hour-reset": str(now + 3600),
    }
    mock.post(f"{API}/tweets", json=problem(429, "Too Many Requests", "Too Many Requests"), status=429, headers=headers)
    with pytest.raises(RateLimited) as caught:
        client.publish(Content(text="Hello"))
    assert 3590 <= caught.value.retry_after <= 3600


def test_429_honours_retry_after_when_sent(client, mock):
    mock.post(f"{API}/tweets", json=problem(429, "Too Many Requests", "x"), status=429, headers={"Retry-After": "7"})
    with pytest.raises(RateLimited) as caught:
        client.publish(Content(text="Hello"))
    assert caught.value.retry_after == 7


def test_401_on_publish_is_token_expired(client, mock):
    mock.post(f"{API}/tweets", json=problem(401, "Unauthorized", "Unauthorized"), status=401)
    with pytest.raises(TokenExpired):
        client.publish(Content(text="Hello"))
    assert len(mock.calls) == 1


def test_media_that_cannot_be_downloaded_is_media_unavailable(client, mock):
    mock.get(PNG, status=404)
    with pytest.raises(MediaUnavailable):
        client.publish(Content(text="Pic", media=(Media(PNG, "image"),)))
    assert len(mock.calls) == 1


def test_media_x_refuses_at_upload_is_media_unavailable(client, mock):
    mock.get(PNG, body=b"not an image")
    body = {"title": "Invalid Request", "detail": "Unsupported media type.", "type": "about:blank", "status": 400}
    mock.post(f"{API}/media/upload", json=body, status=400)
    with pytest.raises(MediaUnavailable, match="Unsupported media type"):
        client.publish(Content(text="Pic", media=(Media(PNG, "image"),)))
    assert len(mock.calls) == 2


def test_failed_video_processing_is_media_unavailable(client, mock):
    failed = {"state": "failed", "error": {"code": 1, "name": "InvalidMedia", "message": "Unsupported video"}}
    mock.get(f"{API}/media/upload", json={"data": {"id": "v1", "processing_info": failed}})
    with pytest.raises(MediaUnavailable, match="Unsupported video"):
        client.publish(Content(text="Clip", media=(Media(MP4, "video"),)), checkpoint={"media_ids": ["v1"]})
    assert len(mock.calls) == 1


def test_processing_that_never_ends_raises_processing_timeout_after_checkpointing(client, mock, fast_polling):
    mock.get(MP4, body=b"vid")
    mock.post(f"{API}/media/upload/initialize", json={"data": {"id": "v1"}})
    mock.post(f"{API}/media/upload/v1/append")
    mock.post(f"{API}/media/upload/v1/finalize", json={"data": {"processing_info": {"state": "pending"}}})
    mock.get(f"{API}/media/upload", json={"data": {"processing_info": {"state": "in_progress"}}})
    saved = []
    with pytest.raises(ProcessingTimeout):
        client.publish(Content(text="Clip", media=(Media(MP4, "video"),)), save_checkpoint=saved.append)
    assert saved == [{"media_ids": ["v1"]}]
    assert not [c for c in mock.calls if c.request.url == f"{API}/tweets"]


# --- validate ----------------------------------------------------------------------------------
def problems(client, text="Hello", media=(), **options):
    return [(p.field, p.code) for p in client.validate(Content(text=text, media=tuple(media), options=options))]


def test_validate_accepts_a_plain_post(client):
    assert problems(client) == []


def test_validate_counts_emoji_as_two_and_refuses_more_than_280(client):
    assert problems(client, text="😀" * 140) == []
    found = client.validate(Content(text="😀" * 141))
    assert [(p.field, p.code) for p in found] == [("text", "too_long")]
    assert "280" in found[0].message and "282" in found[0].message


def test_validate_counts_a_url_as_23(client):
    assert problems(client, text="a" * 256 + " https://example.com/" + "x" * 200) == []
    assert problems(client, text="a" * 257 + " https://example.com/") == [("text", "too_long")]


def test_validate_needs_text_or_media(client):
    assert problems(client, text=" ") == [("text", "required")]


def test_validate_allows_four_images_not_five(client):
    assert problems(client, media=[Media(PNG, "image")] * 4) == []
    assert problems(client, media=[Media(PNG, "image")] * 5) == [("media_urls.4", "too_many_media")]


def test_validate_refuses_a_video_with_other_media(client):
    assert problems(client, media=[Media(PNG, "image"), Media(MP4, "video")]) == [("media_urls.1", "media_mix")]


def test_validate_refuses_documents(client):
    assert problems(client, media=[Media("https://a/b.pdf", "document")]) == [("media_urls.0", "unsupported")]


def test_validate_refuses_an_image_format_x_does_not_take(client):
    found = client.validate(Content(text="a", media=(Media(PNG, "image", mime_type="image/tiff"),)))
    assert [(p.field, p.code) for p in found] == [("media_urls.0", "format")]
    assert "image/tiff" in found[0].message


def test_validate_refuses_an_image_over_5_mb(client):
    found = client.validate(Content(text="a", media=(Media(PNG, "image", size_bytes=6 * 1024 * 1024),)))
    assert [(p.field, p.code) for p in found] == [("media_urls.0", "size")] and "5 MB" in found[0].message


def test_validate_refuses_a_gif_larger_than_1280_by_1080(client):
    assert problems(client, media=[Media(GIF, "gif", width=1300, height=1000)]) == [("media_urls.0", "dimensions")]


def test_validate_refuses_a_video_longer_than_140_seconds(client):
    assert problems(client, media=[Media(MP4, "video", duration_s=141)]) == [("media_urls.0", "duration")]
    assert problems(client, media=[Media(MP4, "video", duration_s=0.4)]) == [("media_urls.0", "duration")]


def test_validate_refuses_a_video_outside_the_aspect_range(client):
    assert problems(client, media=[Media(MP4, "video", width=1280, height=400)]) == [("media_urls.0", "aspect")]


def test_validate_refuses_a_video_smaller_than_32_pixels(client):
    assert problems(client, media=[Media(MP4, "video", width=20, height=20)]) == [("media_urls.0", "dimensions")]


def test_validate_skips_media_rules_when_the_metadata_is_unknown(client):
    assert problems(client, media=[Media(MP4, "video")]) == []


def test_validate_refuses_a_poll_with_media(client):
    poll = {"options": ["a", "b"], "duration_minutes": 5}
    assert problems(client, media=[Media(PNG, "image")], poll=poll) == [("platform_options.x.poll", "conflict")]


def test_validate_refuses_a_poll_that_quotes(client):
    poll = {"options": ["a", "b"], "duration_minutes": 5}
    assert problems(client, poll=poll, quote_post_id="1") == [("platform_options.x.poll", "conflict")]


def test_validate_checks_each_thread_post(client):
    found = problems(client, thread=["fine", "x" * 281, ""])
    assert found == [("platform_options.x.thread.1", "too_long"), ("platform_options.x.thread.2", "required")]


# --- options serializer ------------------------------------------------------------------------
def options_errors(data):
    serializer = XClient.options_serializer(data=data)
    return {} if serializer.is_valid() else serializer.errors


def test_options_accept_every_documented_option():
    data = {
        "text": "Hi",
        "poll": {"options": ["a", "b"], "duration_minutes": 10080},
        "thread": ["two"],
        "reply_settings": "verified",
        "reply_to_post_id": "123",
    }
    assert options_errors(data) == {}


def test_options_refuse_an_unknown_key():
    assert "first_comment" in options_errors({"first_comment": "hi"})


def test_options_enums_are_case_sensitive():
    assert "reply_settings" in options_errors({"reply_settings": "Following"})


def test_options_refuse_an_unknown_poll_key_and_bad_ranges():
    assert "poll" in options_errors({"poll": {"options": ["a", "b"], "duration_minutes": 5, "multi": True}})
    assert "poll" in options_errors({"poll": {"options": ["a"], "duration_minutes": 5}})
    assert "poll" in options_errors({"poll": {"options": ["a", "b" * 26], "duration_minutes": 5}})
    assert "poll" in options_errors({"poll": {"options": ["a", "b"], "duration_minutes": 4}})


def test_options_refuse_more_than_24_thread_posts_or_a_long_one():
    assert "thread" in options_errors({"thread": ["x"] * 25})
    assert "thread" in options_errors({"thread": ["x" * 281]})


def test_options_refuse_a_non_numeric_post_id():
    assert "quote_post_id" in options_errors({"quote_post_id": "abc"})


def test_options_refuse_a_poll_with_a_quote():
    assert "poll" in options_errors({"poll": {"options": ["a", "b"], "duration_minutes": 5}, "quote_post_id": "1"})


def test_options_refuse_text_over_the_x_limit():
    assert "text" in options_errors({"text": "x" * 281})


# --- refresh -----------------------------------------------------------------------------------
def test_refresh_rotates_tokens_with_basic_auth_and_keeps_extras(client, mock):
    basic = base64.b64encode(b"cid:sec").decode()
    form = {"grant_type": "refresh_token", "refresh_token": "ref-1", "client_id": "cid"}
    body = {"token_type": "bearer", "expires_in": 7200, "access_token": "new-a", "scope": "x", "refresh_token": "new-r"}
    mock.post(
        f"{API}/oauth2/token",
        json=body,
        match=[matchers.urlencoded_params_matcher(form), matchers.header_matcher({"Authorization": f"Basic {basic}"})],
    )
    result = client.refresh()
    assert result.credentials == {**CREDS, "access_token": "new-a", "refresh_token": "new-r"}
    assert abs(result.expires_at - (timezone.now() + timedelta(hours=2))) < timedelta(seconds=10)
    assert len(mock.calls) == 1


def test_refresh_keeps_the_old_refresh_token_when_none_is_returned(client, mock):
    mock.post(f"{API}/oauth2/token", json={"access_token": "new-a", "token_type": "bearer"})
    result = client.refresh()
    assert result.credentials["refresh_token"] == "ref-1" and result.expires_at is None


def test_refresh_refused_by_x_requires_reconnecting(client, mock):
    body = {"error": "invalid_request", "error_description": "Value passed for the token was invalid."}
    mock.post(f"{API}/oauth2/token", json=body, status=400)
    with pytest.raises(ReconnectRequired, match="token was invalid"):
        client.refresh()
    assert len(mock.calls) == 1


def test_refresh_with_a_refused_client_requires_reconnecting(client, mock):
    body = {"error": "unauthorized_client", "error_description": "Missing valid authorization header"}
    mock.post(f"{API}/oauth2/token", json=body, status=401)
    with pytest.raises(ReconnectRequired):
        client.refresh()


def test_refresh_without_a_refresh_token_requires_reconnecting_without_a_call(mock, settings):
    with pytest.raises(ReconnectRequired, match="offline.access"):
        make_client(refresh_token=None).refresh()
    assert len(mock.calls) == 0


def test_refresh_during_an_outage_is_provider_unavailable(client, mock):
    mock.post(f"{API}/oauth2/token", status=503)
    with pytest.raises(ProviderUnavailable):
        client.refresh()


def test_refresh_timeout_is_provider_unavailable(client, mock):
    mock.post(f"{API}/oauth2/token", body=requests.exceptions.ReadTimeout())
    with pytest.raises(ProviderUnavailable):
        client.refresh()


def test_refresh_rate_limited_is_rate_limited(client, mock):
    mock.post(f"{API}/oauth2/token", status=429, headers={"x-rate-limit-reset": str(int(time.time()) + 30)})
    with pytest.raises(RateLimited):
        client.refresh()


# --- metrics -----------------------------------------------------------------------------------
PUBLIC = {
    "retweet_count": 2,
    "reply_count": 3,
    "like_count": 10,
    "quote_count": 1,
    "bookmark_count": 4,
    "impression_count": 500,
}


def test_fetch_metrics_flattens_public_non_public_and_organic(client, mock):
    data = {
        "id": "1",
        "text": "Hello",
        "public_metrics": PUBLIC,
        "non_public_metrics": {
            "impression_count": 500,
            "url_link_clicks": 5,
            "user_profile_clicks": 2,
            "engagements": 20,
        },
        "organic_metrics": {
            "impression_count": 499,
            "like_count": 9,
            "reply_count": 3,
            "retweet_count": 2,
            "url_link_clicks": 5,
            "user_profile_clicks": 2,
        },
    }
    fields = matchers.query_param_matcher({"tweet.fields": "public_metrics,non_public_metrics,organic_metrics"})
    mock.get(f"{API}/tweets/1", json={"data": data}, match=[AUTH, fields])
    result = client.fetch_metrics("1")
    assert result.metrics == {**PUBLIC, "url_link_clicks": 5, "user_profile_clicks": 2, "engagements": 20}
    assert result.warnings == [] and result.partial is False
    assert len(mock.calls) == 1


def test_fetch_metrics_falls_back_to_public_when_non_public_is_refused(client, mock):
    error = {
        "title": "Field Authorization Error",
        "detail": "Sorry, you are not authorized to access 'non_public_metrics' on a Tweet.",
        "type": "https://api.x.com/2/problems/not-authorized-for-field",
    }
    mock.get(f"{API}/tweets/1", json={"errors": [error]})
    public = matchers.query_param_matcher({"tweet.fields": "public_metrics"})
    mock.get(f"{API}/tweets/1", json={"data": {"id": "1", "public_metrics": PUBLIC}}, match=[public])
    result = client.fetch_metrics("1")
    assert result.metrics == PUBLIC
    assert len(result.warnings) == 1 and "public metrics only" in result.warnings[0]
    assert len(mock.calls) == 2


def test_fetch_metrics_falls_back_to_public_on_a_403(client, mock):
    mock.get(f"{API}/tweets/1", json=problem(403, "Forbidden", "Forbidden"), status=403)
    mock.get(f"{API}/tweets/1", json={"data": {"id": "1", "public_metrics": PUBLIC}})
    assert client.fetch_metrics("1").metrics == PUBLIC
    assert len(mock.calls) == 2


def test_fetch_metrics_of_a_missing_post_is_rejected(client, mock):
    error = {"detail": "Could not find tweet with id: [9].", "type": "https://api.x.com/2/problems/resource-not-found"}
    mock.get(f"{API}/tweets/9", json={"errors": [error]})
    with pytest.raises(Rejected, match="Could not find tweet"):
        client.fetch_metrics("9")
    assert len(mock.calls) == 1


def test_fetch_metrics_rate_limited_is_rate_limited(client, mock):
    mock.get(f"{API}/tweets/1", status=429, headers={"x-rate-limit-reset": str(int(time.time()) + 30)})
    with pytest.raises(RateLimited):
        client.fetch_metrics("1")


# --- reconcile ---------------------------------------------------------------------------------
def test_reconcile_finds_the_earlier_post_by_text(client, mock):
    posts = {"data": [{"id": "5", "text": "Other"}, {"id": "4", "text": "Tom &amp; Jerry https://t.co/abc"}]}
    mock.get(f"{API}/users/42/tweets", json=posts, match=[AUTH])
    result = client.reconcile(Content(text="Tom & Jerry https://example.com/page"), None)
    assert result.platform_post_id == "4" and result.url == "https://x.com/dravo/status/4"
    assert len(mock.calls) == 1


def test_reconcile_is_none_when_no_post_matches(client, mock):
    mock.get(f"{API}/users/42/tweets", json={"meta": {"result_count": 0}})
    assert client.reconcile(Content(text="Hello"), None) is None


def test_reconcile_asks_for_the_user_id_when_unknown(mock, settings):
    mock.get(f"{API}/users/me", json={"data": {"id": "77", "username": "dravo", "name": "D"}})
    mock.get(f"{API}/users/77/tweets", json={"data": [{"id": "8", "text": "Hello"}]})
    assert make_client(user_id=None).reconcile(Content(text="Hello"), None).platform_post_id == "8"
    assert len(mock.calls) == 2


def test_reconcile_trusts_a_complete_checkpoint_without_a_call(client, mock):
    result = client.reconcile(Content(text="Hello", options={"thread": ["Two"]}), {"post_ids": ["1", "2"]})
    assert result.platform_post_id == "1"
    assert len(mock.calls) == 0


def test_reconcile_leaves_a_half_published_thread_to_publish(client, mock):
    assert client.reconcile(Content(text="Hello", options={"thread": ["Two"]}), {"post_ids": ["1"]}) is None
    assert len(mock.calls) == 0
