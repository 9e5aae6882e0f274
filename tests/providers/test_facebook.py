"""FacebookClient against recorded-shape Graph answers (responses); no network, no sleeping."""

import json

import pytest
import requests
import responses
from django.conf import settings
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
from providers.facebook.client import FacebookClient
from providers.facebook.rules import FacebookOptions
from sandbox.session import session_for

ENDPOINTS = settings.PROVIDER_ENDPOINTS["facebook"]
VERSION = ENDPOINTS["api_version"]
API = f"{ENDPOINTS['api_url']}/{VERSION}"
VIDEO_API = f"{ENDPOINTS['video_url']}/{VERSION}"
RUPLOAD = f"{ENDPOINTS['upload_url']}/video-upload/{VERSION}"
PAGE = "104857600000001"
TOKEN = "EAAGpagetoken123"
POST_ID = f"{PAGE}_122100000000000001"
PERMALINK = f"https://www.facebook.com/{PAGE}/posts/122100000000000001"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
PHOTO = Media(url="https://cdn.example.com/a.jpg", kind="image")
PHOTO_2 = Media(url="https://cdn.example.com/b.png", kind="image")
VIDEO = Media(url="https://cdn.example.com/clip.mp4", kind="video")


def graph_error(code, message="(#100) Invalid parameter", subcode=None, **extra):
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "EJplcsCHuLu", **extra}
    if subcode:
        error["error_subcode"] = subcode
    return {"error": error}


def make_client(**extra) -> FacebookClient:
    credentials = {"access_token": TOKEN, "page_id": PAGE, **extra}
    return FacebookClient(credentials, endpoints=ENDPOINTS, app={"client_id": "cid", "client_secret": "sec"})


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture(autouse=True)
def _no_waiting(fast_polling):
    pass


def add_feed(rsps, body, answer=None, status=200):
    rsps.post(
        f"{API}/{PAGE}/feed",
        json=answer or {"id": POST_ID, "permalink_url": PERMALINK},
        status=status,
        match=[
            matchers.query_param_matcher({"fields": "id,permalink_url"}),
            matchers.json_params_matcher(body),
            matchers.header_matcher(BEARER),
        ],
    )


def add_permalink(rsps, object_id, link):
    rsps.get(
        f"{API}/{object_id}",
        json={"id": object_id, "permalink_url": link},
        match=[matchers.query_param_matcher({"fields": "permalink_url"})],
    )


def add_status(rsps, video_id, video_status, publishing="complete"):
    status = {
        "video_status": video_status,
        "uploading_phase": {"status": "complete"},
        "processing_phase": {"status": "complete" if video_status == "ready" else "in_progress"},
        "publishing_phase": {"status": publishing},
    }
    rsps.get(
        f"{API}/{video_id}",
        json={"id": video_id, "status": status},
        match=[matchers.query_param_matcher({"fields": "status"})],
    )


# --- verify ---------------------------------------------------------------------------------------
def test_verify_returns_the_page_behind_the_page_token(rsps):
    rsps.get(
        f"{API}/me",
        json={"id": PAGE, "name": "Dravo Coffee", "username": "dravocoffee"},
        match=[matchers.query_param_matcher({"fields": "id,name,username,link"}), matchers.header_matcher(BEARER)],
    )
    profile = make_client().verify()
    assert (profile.id, profile.handle, profile.name) == (PAGE, "dravocoffee", "Dravo Coffee")
    assert len(rsps.calls) == 1


def test_verify_with_a_dead_page_token_requires_reconnect(rsps):
    rsps.get(f"{API}/me", json=graph_error(190, "Invalid OAuth access token - Cannot parse access token"), status=400)
    with pytest.raises(ReconnectRequired, match="Cannot parse access token"):
        make_client().verify()


@pytest.mark.parametrize("other", ["104857600000999", "10158000000000042"], ids=["another Page", "a user"])
def test_verify_refuses_a_token_that_is_not_the_named_pages_naming_page_id(rsps, other):
    rsps.get(f"{API}/me", json={"id": other, "name": "Someone else"})
    with pytest.raises(AccountMismatch, match=f"acts as the Facebook Page or user {other}, not {PAGE}") as caught:
        make_client().verify()
    assert caught.value.field == "page_id" and caught.value.permanent
    assert len(rsps.calls) == 1


@pytest.mark.parametrize(
    "answer,error",
    [
        ({"json": graph_error(100, "(#100) Unknown fields: username"), "status": 400}, Rejected),
        ({"json": graph_error(2, "Service temporarily unavailable"), "status": 503}, ProviderUnavailable),
        ({"body": requests.ConnectTimeout("timed out")}, ProviderUnavailable),
        ({"json": graph_error(4, "(#4) Application request limit reached"), "status": 429}, RateLimited),
    ],
    ids=["permanent 4xx", "5xx", "timeout", "429"],
)
def test_verify_maps_each_failure_of_the_page_read(rsps, answer, error):
    rsps.get(f"{API}/me", **answer)
    with pytest.raises(error):
        make_client().verify()
    assert len(rsps.calls) == 1


def test_the_client_names_no_account_to_the_sandbox_its_sandbox_session_does(rsps):
    rsps.get(f"{API}/me", json={"id": PAGE, "name": "Dravo Coffee"})
    rsps.get(f"{API}/me", json={"id": PAGE, "name": "Dravo Coffee"})
    make_client(sandbox={"behavior": "ok"}).verify()
    credentials = {"access_token": TOKEN, "page_id": PAGE, "sandbox": {"behavior": "ok"}}
    session = session_for(credentials, FacebookClient.account_credential)
    app = {"client_id": "c", "client_secret": "s"}
    FacebookClient(credentials, endpoints=ENDPOINTS, app=app, session=session).verify()
    assert not any(name.startswith("X-Dravo") for name in rsps.calls[0].request.headers)
    assert rsps.calls[1].request.headers["X-Dravo-Sandbox-Account"] == PAGE


# --- publishing -------------------------------------------------------------------------------------
def test_text_post_goes_to_the_page_feed_and_reads_the_permalink_in_the_same_call(rsps):
    add_feed(rsps, {"published": True, "message": "Hello Pages"})
    saved = []
    result = make_client().publish(Content(text="Hello Pages"), save_checkpoint=saved.append)
    assert (result.platform_post_id, result.url, result.warnings) == (POST_ID, PERMALINK, [])
    assert result.published_at is not None and result.published_at.tzinfo is not None
    assert saved[0]["post_id"] == POST_ID
    assert len(rsps.calls) == 1


def test_link_post_sends_the_link_with_the_message(rsps):
    add_feed(rsps, {"published": True, "message": "Read this", "link": "https://dravo.dev/blog"})
    result = make_client().publish(Content(text="Read this", options={"link": "https://dravo.dev/blog"}))
    assert result.platform_post_id == POST_ID
    assert len(rsps.calls) == 1


def test_one_photo_is_posted_by_url_with_the_text_as_caption(rsps):
    rsps.post(
        f"{API}/{PAGE}/photos",
        json={"id": "122100000000000777", "post_id": POST_ID},
        match=[matchers.json_params_matcher({"url": PHOTO.url, "caption": "A photo", "published": True})],
    )
    add_permalink(rsps, POST_ID, PERMALINK)
    result = make_client().publish(Content(text="A photo", media=(PHOTO,)))
    assert (result.platform_post_id, result.url) == (POST_ID, PERMALINK)
    assert len(rsps.calls) == 2


def test_several_photos_are_uploaded_unpublished_then_attached_to_one_feed_post(rsps):
    for photo, photo_id in ((PHOTO, "901"), (PHOTO_2, "902")):
        rsps.post(
            f"{API}/{PAGE}/photos",
            json={"id": photo_id},
            match=[matchers.json_params_matcher({"url": photo.url, "published": False})],
        )
    attached = [{"media_fbid": "901"}, {"media_fbid": "902"}]
    add_feed(rsps, {"published": True, "message": "Album", "attached_media": attached})
    saved = []
    result = make_client().publish(Content(text="Album", media=(PHOTO, PHOTO_2)), save_checkpoint=saved.append)
    assert result.platform_post_id == POST_ID
    assert saved[0] == {"photo_ids": ["901"]} and saved[1] == {"photo_ids": ["901", "902"]}
    assert len(rsps.calls) == 3


def test_video_is_sent_to_the_video_host_with_file_url_and_title_then_waits_until_ready(rsps):
    rsps.post(
        f"{VIDEO_API}/{PAGE}/videos",
        json={"id": "555000000000001"},
        match=[
            matchers.json_params_matcher({"file_url": VIDEO.url, "description": "Watch", "title": "Launch"}),
            matchers.header_matcher(BEARER),
        ],
    )
    add_status(rsps, "555000000000001", "processing", publishing="not_started")
    add_status(rsps, "555000000000001", "ready")
    add_permalink(rsps, "555000000000001", f"/{PAGE}/videos/555000000000001/")
    content = Content(text="Watch", media=(VIDEO,), options={"video_title": "Launch"})
    result = make_client().publish(content)
    assert result.platform_post_id == "555000000000001"
    assert result.url == f"https://www.facebook.com/{PAGE}/videos/555000000000001/"
    assert len(rsps.calls) == 4


def add_reel_steps(rsps, *, start=True):
    if start:
        rsps.post(
            f"{API}/{PAGE}/video_reels",
            json={"video_id": "777000000000001", "upload_url": f"{RUPLOAD}/777000000000001"},
            match=[matchers.json_params_matcher({"upload_phase": "start"})],
        )
        rsps.post(
            f"{RUPLOAD}/777000000000001",
            json={"success": True},
            match=[matchers.header_matcher({"Authorization": f"OAuth {TOKEN}", "file_url": VIDEO.url})],
        )
    finish = {
        "upload_phase": "finish",
        "video_id": "777000000000001",
        "video_state": "PUBLISHED",
        "description": "Reel!",
    }
    rsps.post(f"{API}/{PAGE}/video_reels", json={"success": True}, match=[matchers.json_params_matcher(finish)])
    add_status(rsps, "777000000000001", "processing", publishing="not_started")
    add_status(rsps, "777000000000001", "ready")
    add_permalink(rsps, "777000000000001", "/reel/777000000000001")


def test_reel_runs_start_upload_by_file_url_finish_then_waits_until_published(rsps):
    add_reel_steps(rsps)
    saved = []
    content = Content(text="Reel!", media=(VIDEO,), options={"as_reel": True})
    result = make_client().publish(content, save_checkpoint=saved.append)
    assert (result.platform_post_id, result.url) == ("777000000000001", "https://www.facebook.com/reel/777000000000001")
    assert saved[0] == {"video_id": "777000000000001", "kind": "reel"}
    assert saved[2]["finished"] is True and saved[1]["uploaded"] is True
    assert len(rsps.calls) == 6


def test_reel_checkpoint_after_upload_resumes_at_finish_without_a_new_start(rsps):
    add_reel_steps(rsps, start=False)
    checkpoint = {"video_id": "777000000000001", "kind": "reel", "uploaded": True}
    content = Content(text="Reel!", media=(VIDEO,), options={"as_reel": True})
    result = make_client().publish(content, checkpoint=checkpoint)
    assert result.platform_post_id == "777000000000001"
    assert len(rsps.calls) == 4


def test_as_reel_without_a_single_video_posts_normally_with_a_warning(rsps):
    add_feed(rsps, {"published": True, "message": "No video"})
    result = make_client().publish(Content(text="No video", options={"as_reel": True}))
    assert result.platform_post_id == POST_ID
    assert result.warnings == ["as_reel applies only to a post with exactly one video; published as a regular post."]


def test_first_comment_is_posted_on_the_new_post(rsps):
    add_feed(rsps, {"published": True, "message": "With comment"})
    rsps.post(
        f"{API}/{POST_ID}/comments",
        json={"id": "122100000000000001_4455"},
        match=[matchers.json_params_matcher({"message": "First!"})],
    )
    saved = []
    content = Content(text="With comment", options={"first_comment": "First!"})
    result = make_client().publish(content, save_checkpoint=saved.append)
    assert result.warnings == []
    assert saved[-1]["comment_id"] == "122100000000000001_4455"
    assert len(rsps.calls) == 2


def test_first_comment_failure_becomes_a_warning_not_an_error(rsps):
    add_feed(rsps, {"published": True, "message": "With comment"})
    rsps.post(f"{API}/{POST_ID}/comments", json=graph_error(200, "(#200) Permissions error"), status=403)
    result = make_client().publish(Content(text="With comment", options={"first_comment": "First!"}))
    assert result.platform_post_id == POST_ID
    assert len(result.warnings) == 1 and "first comment failed" in result.warnings[0]
    assert "Permissions error" in result.warnings[0]


def test_checkpoint_with_a_post_id_does_not_post_again(rsps):
    result = make_client().publish(
        Content(text="Hi"), checkpoint={"post_id": POST_ID, "kind": "post", "url": PERMALINK}
    )
    assert (result.platform_post_id, result.url) == (POST_ID, PERMALINK)
    assert len(rsps.calls) == 0


def test_checkpoint_with_photo_ids_only_uploads_the_missing_photos(rsps):
    rsps.post(
        f"{API}/{PAGE}/photos",
        json={"id": "902"},
        match=[matchers.json_params_matcher({"url": PHOTO_2.url, "published": False})],
    )
    add_feed(
        rsps, {"published": True, "message": "Album", "attached_media": [{"media_fbid": "901"}, {"media_fbid": "902"}]}
    )
    result = make_client().publish(Content(text="Album", media=(PHOTO, PHOTO_2)), checkpoint={"photo_ids": ["901"]})
    assert result.platform_post_id == POST_ID
    assert len(rsps.calls) == 2


def test_video_checkpoint_polls_the_existing_video_instead_of_uploading_again(rsps):
    add_status(rsps, "555000000000001", "ready")
    add_permalink(rsps, "555000000000001", f"/{PAGE}/videos/555000000000001/")
    result = make_client().publish(
        Content(text="Watch", media=(VIDEO,)), checkpoint={"video_id": "555000000000001", "kind": "video"}
    )
    assert result.platform_post_id == "555000000000001"
    assert len(rsps.calls) == 2


def test_video_processing_error_is_media_unavailable(rsps):
    rsps.post(f"{VIDEO_API}/{PAGE}/videos", json={"id": "555000000000001"})
    status = {
        "video_status": "error",
        "processing_phase": {"status": "error", "error": {"message": "Unsupported codec"}},
    }
    rsps.get(f"{API}/555000000000001", json={"id": "555000000000001", "status": status})
    with pytest.raises(MediaUnavailable, match="Unsupported codec"):
        make_client().publish(Content(text="Watch", media=(VIDEO,)))


def test_video_that_never_finishes_processing_times_out(rsps, settings):
    settings.PROVIDER_POLL_TIMEOUT = 0
    rsps.post(f"{VIDEO_API}/{PAGE}/videos", json={"id": "555000000000001"})
    add_status(rsps, "555000000000001", "processing", publishing="not_started")
    saved = []
    with pytest.raises(ProcessingTimeout):
        make_client().publish(Content(text="Watch", media=(VIDEO,)), save_checkpoint=saved.append)
    assert saved == [{"video_id": "555000000000001", "kind": "video"}]
    assert len(rsps.calls) == 2


# --- error mapping -------------------------------------------------------------------------------------
def test_bad_parameter_is_rejected_with_facebook_message(rsps):
    rsps.post(f"{API}/{PAGE}/feed", json=graph_error(100, "(#100) Invalid link"), status=400)
    with pytest.raises(Rejected, match=r"Invalid link \(code 100\)"):
        make_client().publish(Content(text="x"))
    assert len(rsps.calls) == 1


def test_duplicate_post_is_rejected_with_the_user_message(rsps):
    body = graph_error(506, "Duplicate status message", 1455006, error_user_msg="This status update is identical.")
    rsps.post(f"{API}/{PAGE}/feed", json=body, status=400)
    with pytest.raises(Rejected, match="identical") as caught:
        make_client().publish(Content(text="x"))
    assert caught.value.permanent and caught.value.status == 400


def test_server_error_is_provider_unavailable(rsps):
    rsps.post(f"{API}/{PAGE}/feed", body="<html>502</html>", status=502)
    with pytest.raises(ProviderUnavailable):
        make_client().publish(Content(text="x"))


def test_transient_graph_code_is_provider_unavailable(rsps):
    rsps.post(
        f"{API}/{PAGE}/feed", json=graph_error(2, "Service temporarily unavailable", is_transient=True), status=400
    )
    with pytest.raises(ProviderUnavailable) as caught:
        make_client().publish(Content(text="x"))
    assert not caught.value.permanent


def test_timeout_is_provider_unavailable(rsps):
    rsps.post(f"{API}/{PAGE}/feed", body=requests.exceptions.ConnectTimeout())
    with pytest.raises(ProviderUnavailable, match="Timed out"):
        make_client().publish(Content(text="x"))
    assert len(rsps.calls) == 1


def test_page_throttle_waits_for_the_business_use_case_estimate(rsps):
    usage = {PAGE: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 5}]}
    rsps.post(
        f"{API}/{PAGE}/feed",
        json=graph_error(32, "(#32) Page request limit reached"),
        status=400,
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
    )
    with pytest.raises(RateLimited) as caught:
        make_client().publish(Content(text="x"))
    assert caught.value.retry_after == 300


def test_http_429_uses_retry_after(rsps):
    rsps.post(
        f"{API}/{PAGE}/feed",
        json=graph_error(4, "(#4) Application request limit reached"),
        status=429,
        headers={"Retry-After": "7"},
    )
    with pytest.raises(RateLimited) as caught:
        make_client().publish(Content(text="x"))
    assert caught.value.retry_after == 7


def test_expired_page_token_without_user_token_requires_reconnect(rsps):
    rsps.post(f"{API}/{PAGE}/feed", json=graph_error(190, "Session has expired", 463), status=400)
    with pytest.raises(ReconnectRequired, match="subcode 463"):
        make_client().publish(Content(text="x"))


def test_expired_token_with_a_user_token_to_reexchange_is_token_expired(rsps):
    rsps.post(f"{API}/{PAGE}/feed", json=graph_error(190, "Session has expired", 463), status=400)
    with pytest.raises(TokenExpired):
        make_client(user_access_token="EAAGuser").publish(Content(text="x"))


def test_missing_permission_requires_reconnect(rsps):
    rsps.post(f"{API}/{PAGE}/feed", json=graph_error(200, "(#200) Requires pages_manage_posts"), status=403)
    with pytest.raises(ReconnectRequired):
        make_client().publish(Content(text="x"))


def test_page_publishing_authorization_requires_reconnect(rsps):
    rsps.post(f"{API}/{PAGE}/feed", json=graph_error(100, "Publishing authorization needed", 1404078), status=400)
    with pytest.raises(ReconnectRequired):
        make_client().publish(Content(text="x"))


def test_invalid_photo_file_is_media_unavailable(rsps):
    rsps.post(f"{API}/{PAGE}/photos", json=graph_error(324, "(#324) Missing or invalid image file"), status=400)
    with pytest.raises(MediaUnavailable, match="invalid image"):
        make_client().publish(Content(text="x", media=(PHOTO,)))


def test_failed_reel_upload_is_media_unavailable(rsps):
    rsps.post(f"{API}/{PAGE}/video_reels", json={"video_id": "777", "upload_url": f"{RUPLOAD}/777"})
    failure = {
        "debug_info": {"retriable": False, "type": "ProcessingFailedError", "message": "Request processing failed"}
    }
    rsps.post(f"{RUPLOAD}/777", json=failure, status=400)
    with pytest.raises(MediaUnavailable, match="Request processing failed"):
        make_client().publish(Content(text="x", media=(VIDEO,), options={"as_reel": True}))


def test_error_messages_never_contain_the_token(rsps):
    rsps.get(f"{API}/me", json=graph_error(190, f"Malformed access token {TOKEN}"), status=400)
    with pytest.raises(ReconnectRequired) as caught:
        make_client().verify()
    assert TOKEN not in str(caught.value)


# --- validate --------------------------------------------------------------------------------------------
def problems(content):
    return [(problem.field, problem.code) for problem in make_client().validate(content)]


def test_valid_post_with_photos_has_no_problems():
    assert problems(Content(text="ok", media=(PHOTO, PHOTO_2))) == []


def test_text_over_63206_characters_is_a_problem():
    (problem,) = make_client().validate(Content(text="a" * 63_207))
    assert (problem.field, problem.code) == ("text", "too_long")
    assert "63,206" in problem.message


def test_post_without_text_link_or_media_is_a_problem():
    assert problems(Content(text="  ")) == [("text", "required")]


def test_link_with_media_is_a_problem():
    assert problems(Content(text="x", media=(PHOTO,), options={"link": "https://a.b"})) == [
        ("platform_options.facebook.link", "conflict")
    ]


def test_document_is_not_supported():
    assert problems(Content(text="x", media=(Media(url="https://a.b/c.pdf", kind="document"),))) == [
        ("media_urls.0", "unsupported")
    ]


def test_video_mixed_with_photos_is_a_problem():
    assert problems(Content(text="x", media=(PHOTO, VIDEO))) == [("media_urls.1", "too_many_media")]


def test_photo_in_an_unsupported_format_is_a_problem():
    webp = Media(url="https://a.b/c.webp", kind="image", mime_type="image/webp")
    assert problems(Content(text="x", media=(webp,))) == [("media_urls.0", "unsupported_format")]


def test_photo_over_4_mb_is_a_problem():
    big = Media(url="https://a.b/c.jpg", kind="image", mime_type="image/jpeg", size_bytes=5 * 1024 * 1024)
    assert problems(Content(text="x", media=(big,))) == [("media_urls.0", "too_large")]


def test_reel_shorter_than_3_seconds_is_a_problem():
    clip = Media(url="https://a.b/c.mp4", kind="video", duration_s=2)
    assert problems(Content(text="x", media=(clip,), options={"as_reel": True})) == [("media_urls.0", "bad_duration")]


def test_reel_smaller_than_540x960_and_not_9_16_is_two_problems():
    clip = Media(url="https://a.b/c.mp4", kind="video", width=480, height=480)
    assert problems(Content(text="x", media=(clip,), options={"as_reel": True})) == [
        ("media_urls.0", "too_small"),
        ("media_urls.0", "bad_aspect_ratio"),
    ]


def test_reel_rules_do_not_apply_to_a_plain_video():
    clip = Media(url="https://a.b/c.mp4", kind="video", duration_s=600, width=1920, height=1080)
    assert problems(Content(text="x", media=(clip,))) == []


# --- options -------------------------------------------------------------------------------------------------
def test_options_accept_every_documented_option():
    data = {"text": "t", "as_reel": False, "first_comment": "c", "link": "https://dravo.dev", "video_title": "v"}
    serializer = FacebookOptions(data=data)
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == data


def test_options_refuse_an_unknown_key():
    serializer = FacebookOptions(data={"firstComent": "typo"})
    assert not serializer.is_valid()
    assert "firstComent" in serializer.errors


def test_options_refuse_a_string_for_as_reel():
    serializer = FacebookOptions(data={"as_reel": "true"})
    assert not serializer.is_valid() and "as_reel" in serializer.errors


def test_options_refuse_a_first_comment_over_8000_characters():
    serializer = FacebookOptions(data={"first_comment": "c" * 8001})
    assert not serializer.is_valid() and "first_comment" in serializer.errors


def test_options_refuse_a_video_title_over_255_characters():
    serializer = FacebookOptions(data={"video_title": "t" * 256})
    assert not serializer.is_valid() and "video_title" in serializer.errors


def test_options_refuse_a_link_that_is_not_a_url():
    serializer = FacebookOptions(data={"link": "not a url"})
    assert not serializer.is_valid() and "link" in serializer.errors


def test_options_refuse_a_link_on_a_reel():
    serializer = FacebookOptions(data={"as_reel": True, "link": "https://dravo.dev"})
    assert not serializer.is_valid() and "link" in serializer.errors


def test_capabilities_list_exactly_the_declared_options():
    assert sorted(FacebookClient.capabilities["options"]) == sorted(FacebookOptions().fields)


# --- refresh --------------------------------------------------------------------------------------------------
def test_refresh_without_a_user_token_checks_the_page_token_and_keeps_it(rsps):
    rsps.get(f"{API}/me", json={"id": PAGE, "name": "Dravo Coffee"})
    result = make_client(extra="kept").refresh()
    assert result.credentials == {"access_token": TOKEN, "page_id": PAGE, "extra": "kept"}
    assert result.expires_at is None


def test_refresh_reexchanges_the_user_token_and_reads_the_page_token(rsps):
    exchange = {
        "grant_type": "fb_exchange_token",
        "client_id": "cid",
        "client_secret": "sec",
        "fb_exchange_token": "EAAGuser",
    }
    rsps.get(
        f"{API}/oauth/access_token",
        json={"access_token": "EAAGuser2", "token_type": "bearer", "expires_in": 5184000},
        match=[matchers.query_param_matcher(exchange)],
    )
    rsps.get(
        f"{API}/me/accounts",
        json={
            "data": [
                {"id": "999", "name": "Other", "access_token": "x"},
                {"id": PAGE, "name": "P", "access_token": "EAAGpage2"},
            ]
        },
        match=[
            matchers.header_matcher({"Authorization": "Bearer EAAGuser2"}),
            matchers.query_param_matcher({"fields": "id,name,access_token", "limit": "100"}),
        ],
    )
    result = make_client(user_access_token="EAAGuser", extra="kept").refresh()
    credentials = result.credentials
    assert (credentials["access_token"], credentials["user_access_token"], credentials["extra"]) == (
        "EAAGpage2",
        "EAAGuser2",
        "kept",
    )
    assert credentials["page_id"] == PAGE and "user_token_expires_at" in credentials
    assert result.expires_at is None
    assert len(rsps.calls) == 2


def test_refresh_refused_by_facebook_requires_reconnect(rsps):
    rsps.get(f"{API}/oauth/access_token", json=graph_error(190, "Error validating access token", 463), status=400)
    with pytest.raises(ReconnectRequired):
        make_client(user_access_token="EAAGuser").refresh()


def test_refresh_when_the_page_is_no_longer_granted_requires_reconnect(rsps):
    rsps.get(f"{API}/oauth/access_token", json={"access_token": "EAAGuser2", "expires_in": 5184000})
    rsps.get(f"{API}/me/accounts", json={"data": []})
    with pytest.raises(ReconnectRequired, match="no longer granted"):
        make_client(user_access_token="EAAGuser").refresh()


def test_refresh_during_an_outage_is_provider_unavailable(rsps):
    rsps.get(f"{API}/oauth/access_token", body="oops", status=500)
    with pytest.raises(ProviderUnavailable):
        make_client(user_access_token="EAAGuser").refresh()


def test_refresh_when_throttled_is_rate_limited(rsps):
    rsps.get(f"{API}/me", json=graph_error(4, "(#4) Application request limit reached"), status=400)
    with pytest.raises(RateLimited):
        make_client().refresh()


# --- metrics ----------------------------------------------------------------------------------------------------
def insights_answer(reactions=None):
    values = {
        "post_reactions_by_type_total": reactions
        or {"like": 10, "love": 2, "wow": 0, "haha": 1, "sorry": 0, "anger": 0},
        "post_clicks": 12,
        "post_media_view": 340,
        "post_total_media_view_unique": 210,
    }
    return {
        "data": [
            {
                "name": name,
                "period": "lifetime",
                "values": [{"value": value}],
                "id": f"{POST_ID}/insights/{name}/lifetime",
            }
            for name, value in values.items()
        ]
    }


def add_node_counts(rsps, shares=True):
    node = {
        "id": POST_ID,
        "reactions": {"data": [], "summary": {"total_count": 13}},
        "comments": {"data": [], "summary": {"total_count": 4}},
    }
    if shares:
        node["shares"] = {"count": 3}
    rsps.get(
        f"{API}/{POST_ID}",
        json=node,
        match=[
            matchers.query_param_matcher(
                {"fields": "reactions.summary(total_count),comments.summary(total_count),shares"}
            )
        ],
    )


def test_metrics_map_insights_and_post_counts_to_the_analytics_keys(rsps):
    metric = "post_reactions_by_type_total,post_clicks,post_media_view,post_total_media_view_unique"
    rsps.get(
        f"{API}/{POST_ID}/insights", json=insights_answer(), match=[matchers.query_param_matcher({"metric": metric})]
    )
    add_node_counts(rsps)
    result = make_client().fetch_metrics(POST_ID)
    assert result.metrics == {
        "post_reactions_by_type_total": 13,
        "post_clicks": 12,
        "views": 340,
        "reach": 210,
        "likes": 13,
        "comments": 4,
        "shares": 3,
    }
    assert len(rsps.calls) == 2


def test_metrics_leave_out_the_deprecated_post_engaged_users_with_a_warning(rsps):
    rsps.get(f"{API}/{POST_ID}/insights", json=insights_answer())
    add_node_counts(rsps)
    result = make_client().fetch_metrics(POST_ID)
    assert "post_engaged_users" not in result.metrics
    assert result.partial is True
    assert any("post_engaged_users" in warning for warning in result.warnings)


def test_metrics_count_zero_shares_when_facebook_leaves_shares_out(rsps):
    rsps.get(f"{API}/{POST_ID}/insights", json=insights_answer())
    add_node_counts(rsps, shares=False)
    assert make_client().fetch_metrics(POST_ID).metrics["shares"] == 0


def test_metrics_without_insights_keep_the_post_counts_and_warn(rsps):
    rsps.get(
        f"{API}/{POST_ID}/insights",
        json=graph_error(100, "(#100) The value must be a valid insights metric"),
        status=400,
    )
    add_node_counts(rsps)
    result = make_client().fetch_metrics(POST_ID)
    assert result.metrics == {"likes": 13, "comments": 4, "shares": 3}
    assert any("insights unavailable" in warning for warning in result.warnings)


# --- reconcile -----------------------------------------------------------------------------------------------------
def test_reconcile_finds_the_live_post_with_the_same_message_in_the_page_feed(rsps):
    feed = {
        "data": [
            {"id": f"{PAGE}_1", "message": "Other", "created_time": "2026-11-22T10:00:00+0000"},
            {"id": POST_ID, "message": "Hello", "created_time": "2026-11-22T10:01:00+0000", "permalink_url": PERMALINK},
        ]
    }
    rsps.get(f"{API}/{PAGE}/feed", json=feed)
    result = make_client().reconcile(Content(text="Hello"), None)
    assert (result.platform_post_id, result.url) == (POST_ID, PERMALINK)
    assert result.published_at.isoformat() == "2026-11-22T10:01:00+00:00"
    params = rsps.calls[0].request.params
    assert params["fields"] == "id,message,created_time,permalink_url" and int(params["since"]) > 0


def test_reconcile_answers_none_when_the_feed_has_no_such_post(rsps):
    rsps.get(f"{API}/{PAGE}/feed", json={"data": []})
    assert make_client().reconcile(Content(text="Hello"), None) is None


def test_reconcile_trusts_a_checkpoint_that_names_the_post(rsps):
    result = make_client().reconcile(Content(text="Hello"), {"post_id": POST_ID, "url": PERMALINK})
    assert result.platform_post_id == POST_ID
    assert len(rsps.calls) == 0
