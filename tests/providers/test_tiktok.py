"""TikTokClient against `responses` fakes shaped like the answers in providers/tiktok.md."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
import requests
import responses
from django.conf import settings

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
from providers.tiktok.client import TikTokClient
from providers.tiktok.rules import TikTokOptionsSerializer

API = "https://open.tiktokapis.com/v2"
CREATOR_INFO = f"{API}/post/publish/creator_info/query/"
VIDEO_INIT = f"{API}/post/publish/video/init/"
CONTENT_INIT = f"{API}/post/publish/content/init/"
STATUS = f"{API}/post/publish/status/fetch/"
TOKEN = f"{API}/oauth/token/"
CREDS = {"access_token": "act.secret-token", "refresh_token": "rft.old", "open_id": "open-1", "username": "dravo"}
PUBLISH_ID = "v_pub_url~v2-1.7400000000000000123"
POST_ID = 7400000000000000001
VIDEO = Media(url="https://cdn.example.com/v.mp4", kind="video")
PHOTOS = tuple(Media(url=f"https://cdn.example.com/{n}.jpg", kind="image") for n in (1, 2))
PUBLIC = {"privacy_level": "PUBLIC_TO_EVERYONE"}


def creator(**overrides):
    info = {
        "creator_avatar_url": "https://p16.tiktokcdn.com/a.jpeg",
        "creator_username": "creator_name",
        "creator_nickname": "Creator",
        "privacy_level_options": ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"],
        "comment_disabled": False,
        "duet_disabled": False,
        "stitch_disabled": True,
        "max_video_post_duration_sec": 300,
    }
    return info | overrides


def ok(data):
    return {"data": data, "error": {"code": "ok", "message": "", "log_id": "202611221200001234ABCD"}}


def error(code, message="Something is wrong."):
    return {"data": {}, "error": {"code": code, "message": message, "log_id": "202611221200001234ABCD"}}


def status(state, post_ids=(), fail_reason=""):
    return ok(
        {
            "status": state,
            "fail_reason": fail_reason,
            "publicaly_available_post_id": list(post_ids),
            "uploaded_bytes": 0,
            "downloaded_bytes": 0,
        }
    )


def make_client(**credentials):
    endpoints = settings.PROVIDER_ENDPOINTS["tiktok"]
    return TikTokClient({**CREDS, **credentials}, endpoints=endpoints, app={"client_id": "cid", "client_secret": "sec"})


def body_of(call):
    return json.loads(call.request.body)


@pytest.fixture(autouse=True)
def _no_waiting(fast_polling):
    pass


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def add_video_flow(rsps, *, creator_info=None, final=None):
    rsps.post(CREATOR_INFO, json=ok(creator_info or creator()))
    rsps.post(VIDEO_INIT, json=ok({"publish_id": PUBLISH_ID}))
    rsps.post(STATUS, json=status("PROCESSING_DOWNLOAD"))
    rsps.post(STATUS, json=final or status("PUBLISH_COMPLETE", [POST_ID]))


# --- publishing ------------------------------------------------------------------------
def test_video_post_checks_creator_info_then_pulls_the_video_from_its_url(rsps):
    add_video_flow(rsps)
    content = Content(text="Launch day #dravo", media=(VIDEO,), options={**PUBLIC, "video_cover_timestamp_ms": 1000})

    result = make_client().publish(content)

    assert len(rsps.calls) == 4
    assert [c.request.url for c in rsps.calls] == [CREATOR_INFO, VIDEO_INIT, STATUS, STATUS]
    assert all(c.request.headers["Authorization"] == "Bearer act.secret-token" for c in rsps.calls)
    assert rsps.calls[1].request.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert body_of(rsps.calls[1]) == {
        "post_info": {
            "title": "Launch day #dravo",
            "privacy_level": "PUBLIC_TO_EVERYONE",
            "disable_comment": False,
            "disable_duet": False,
            "disable_stitch": True,
            "video_cover_timestamp_ms": 1000,
            "brand_content_toggle": False,
            "brand_organic_toggle": False,
            "is_aigc": False,
        },
        "source_info": {"source": "PULL_FROM_URL", "video_url": "https://cdn.example.com/v.mp4"},
    }
    assert body_of(rsps.calls[2]) == {"publish_id": PUBLISH_ID}
    assert result.platform_post_id == "7400000000000000001"
    assert result.url == "https://www.tiktok.com/@dravo/video/7400000000000000001"
    assert result.published_at is not None and result.warnings == []


def test_photo_post_uses_content_init_with_the_title_option_and_the_text_as_description(rsps):
    rsps.post(CREATOR_INFO, json=ok(creator()))
    rsps.post(CONTENT_INIT, json=ok({"publish_id": "p_pub_url~v2-1.7400000000000000999"}))
    rsps.post(STATUS, json=status("PUBLISH_COMPLETE", [POST_ID]))
    options = {**PUBLIC, "title": "Our week", "auto_add_music": True, "disable_comment": True}

    result = make_client().publish(Content(text="Seven photos of the week", media=PHOTOS, options=options))

    assert len(rsps.calls) == 3
    assert body_of(rsps.calls[1]) == {
        "media_type": "PHOTO",
        "post_mode": "DIRECT_POST",
        "post_info": {
            "title": "Our week",
            "description": "Seven photos of the week",
            "privacy_level": "PUBLIC_TO_EVERYONE",
            "disable_comment": True,
            "auto_add_music": True,
            "brand_content_toggle": False,
            "brand_organic_toggle": False,
        },
        "source_info": {
            "source": "PULL_FROM_URL",
            "photo_cover_index": 0,
            "photo_images": ["https://cdn.example.com/1.jpg", "https://cdn.example.com/2.jpg"],
        },
    }
    assert result.platform_post_id == "7400000000000000001"


def test_post_url_uses_the_creator_username_when_credentials_have_none(rsps):
    add_video_flow(rsps)

    result = make_client(username=None).publish(Content(text="hi", media=(VIDEO,), options=PUBLIC))

    assert result.url == "https://www.tiktok.com/@creator_name/video/7400000000000000001"


def test_publish_saves_the_publish_id_right_after_init(rsps):
    add_video_flow(rsps)
    saved = []

    make_client().publish(
        Content(text="hi", media=(VIDEO,), options=PUBLIC),
        checkpoint={"earlier": 1},
        save_checkpoint=lambda cp: saved.append((len(rsps.calls), cp)),
    )

    assert saved == [(2, {"earlier": 1, "publish_id": PUBLISH_ID, "username": "dravo", "kind": "video"})]


def test_publish_resumes_from_the_checkpoint_by_polling_without_a_second_init(rsps):
    rsps.post(STATUS, json=status("PUBLISH_COMPLETE", [POST_ID]))
    checkpoint = {"publish_id": PUBLISH_ID, "username": "dravo", "kind": "video"}

    result = make_client().publish(Content(text="hi", media=(VIDEO,), options=PUBLIC), checkpoint=checkpoint)

    assert len(rsps.calls) == 1
    assert body_of(rsps.calls[0]) == {"publish_id": PUBLISH_ID}
    assert result.platform_post_id == "7400000000000000001"


def test_publish_refuses_a_privacy_level_the_creator_does_not_offer_before_posting(rsps):
    rsps.post(CREATOR_INFO, json=ok(creator(privacy_level_options=["SELF_ONLY"])))

    with pytest.raises(Rejected, match="PUBLIC_TO_EVERYONE.*SELF_ONLY"):
        make_client().publish(Content(text="hi", media=(VIDEO,), options=PUBLIC))

    assert len(rsps.calls) == 1


def test_publish_refuses_a_video_longer_than_the_creator_may_post(rsps):
    rsps.post(CREATOR_INFO, json=ok(creator(max_video_post_duration_sec=60)))
    video = Media(url="https://cdn.example.com/v.mp4", kind="video", duration_s=61)

    with pytest.raises(Rejected, match="at most 60 s"):
        make_client().publish(Content(text="hi", media=(video,), options=PUBLIC))

    assert len(rsps.calls) == 1


def test_publish_disables_interactions_the_creator_turned_off_and_warns(rsps):
    add_video_flow(rsps, creator_info=creator(comment_disabled=True, duet_disabled=True))
    options = {**PUBLIC, "disable_comment": False}

    result = make_client().publish(Content(text="hi", media=(VIDEO,), options=options))

    post_info = body_of(rsps.calls[1])["post_info"]
    assert (post_info["disable_comment"], post_info["disable_duet"], post_info["disable_stitch"]) == (True, True, True)
    assert result.warnings == [
        "disable_comment=false ignored: the creator has turned this off in TikTok (comment_disabled)."
    ]


def test_video_only_options_on_a_photo_post_are_left_out_with_a_warning(rsps):
    rsps.post(CREATOR_INFO, json=ok(creator()))
    rsps.post(CONTENT_INIT, json=ok({"publish_id": "p_pub_url~v2-1.1"}))
    rsps.post(STATUS, json=status("PUBLISH_COMPLETE", [POST_ID]))

    result = make_client().publish(Content(text="hi", media=PHOTOS, options={**PUBLIC, "is_aigc": True}))

    assert "is_aigc" not in body_of(rsps.calls[1])["post_info"]
    assert result.warnings == ["is_aigc does not apply to a TikTok photo post; ignored."]


def test_complete_publish_without_a_public_id_keeps_the_publish_id_and_warns(rsps):
    add_video_flow(rsps, final=status("PUBLISH_COMPLETE", []))

    result = make_client().publish(Content(text="hi", media=(VIDEO,), options={"privacy_level": "SELF_ONLY"}))

    assert result.platform_post_id == PUBLISH_ID
    assert result.url is None
    assert "publish_id is stored" in result.warnings[0]


def test_failed_video_pull_is_media_unavailable_and_clears_the_publish_id(rsps):
    add_video_flow(rsps, final=status("FAILED", fail_reason="video_pull_failed"))
    saved = []

    with pytest.raises(MediaUnavailable, match="video_pull_failed"):
        make_client().publish(Content(text="hi", media=(VIDEO,), options=PUBLIC), save_checkpoint=saved.append)

    assert saved[-1]["publish_id"] is None and saved[-1]["failed_publish_id"] == PUBLISH_ID


def test_failed_photo_pull_is_media_unavailable(rsps):
    rsps.post(STATUS, json=status("FAILED", fail_reason="photo_pull_failed"))

    with pytest.raises(MediaUnavailable):
        make_client().publish(Content(text="hi", media=PHOTOS, options=PUBLIC), checkpoint={"publish_id": "p1"})


def test_failed_internal_is_provider_unavailable(rsps):
    rsps.post(STATUS, json=status("FAILED", fail_reason="internal"))

    with pytest.raises(ProviderUnavailable):
        make_client().publish(Content(text="hi", media=(VIDEO,), options=PUBLIC), checkpoint={"publish_id": "p1"})


def test_failed_format_check_is_rejected(rsps):
    rsps.post(STATUS, json=status("FAILED", fail_reason="file_format_check_failed"))

    with pytest.raises(Rejected, match="file_format_check_failed"):
        make_client().publish(Content(text="hi", media=(VIDEO,), options=PUBLIC), checkpoint={"publish_id": "p1"})


def test_failed_spam_risk_is_rate_limited_for_a_day(rsps):
    rsps.post(STATUS, json=status("FAILED", fail_reason="spam_risk_too_many_posts"))

    with pytest.raises(RateLimited) as caught:
        make_client().publish(Content(text="hi", media=(VIDEO,), options=PUBLIC), checkpoint={"publish_id": "p1"})

    assert caught.value.retry_after == 86400


def test_failed_auth_removed_requires_reconnect(rsps):
    rsps.post(STATUS, json=status("FAILED", fail_reason="auth_removed"))

    with pytest.raises(ReconnectRequired):
        make_client().publish(Content(text="hi", media=(VIDEO,), options=PUBLIC), checkpoint={"publish_id": "p1"})


def test_draft_sent_to_the_inbox_is_rejected_as_not_published(rsps):
    rsps.post(STATUS, json=status("SEND_TO_USER_INBOX"))

    with pytest.raises(Rejected, match="inbox"):
        make_client().publish(Content(text="hi", media=(VIDEO,), options=PUBLIC), checkpoint={"publish_id": "p1"})


def test_publish_that_never_completes_times_out(rsps, settings):
    settings.PROVIDER_POLL_TIMEOUT = 0
    rsps.post(STATUS, json=status("PROCESSING_DOWNLOAD"))

    with pytest.raises(ProcessingTimeout, match="TikTok publish p1"):
        make_client().publish(Content(text="hi", media=(VIDEO,), options=PUBLIC), checkpoint={"publish_id": "p1"})

    assert len(rsps.calls) == 1


# --- error mapping (on the init call) -------------------------------------------------
def publish_with_init_answer(rsps, **answer):
    rsps.post(CREATOR_INFO, json=ok(creator()))
    rsps.post(VIDEO_INIT, **answer)
    return make_client().publish(Content(text="hi", media=(VIDEO,), options=PUBLIC))


@pytest.mark.parametrize(
    "code",
    [
        "unaudited_client_can_only_post_to_private_accounts",
        "url_ownership_unverified",
        "spam_risk_user_banned_from_posting",
        "privacy_level_option_mismatch",
        "reached_active_user_cap",
    ],
)
def test_permanent_posting_refusals_are_rejected_with_tiktoks_message(rsps, code):
    with pytest.raises(Rejected, match=f"{code}.*Refused for a reason") as caught:
        publish_with_init_answer(rsps, status=403, json=error(code, "Refused for a reason."))

    assert caught.value.status == 403
    assert len(rsps.calls) == 2


def test_invalid_params_is_rejected(rsps):
    with pytest.raises(Rejected, match="invalid_params"):
        publish_with_init_answer(rsps, status=400, json=error("invalid_params", "post_info.title is too long"))


def test_an_error_code_on_http_200_is_still_an_error(rsps):
    with pytest.raises(Rejected, match="invalid_param"):
        publish_with_init_answer(rsps, status=200, json=error("invalid_param"))


def test_server_errors_are_provider_unavailable(rsps):
    with pytest.raises(ProviderUnavailable):
        publish_with_init_answer(rsps, status=500, json=error("internal_error"))


def test_a_non_json_bad_gateway_is_provider_unavailable(rsps):
    with pytest.raises(ProviderUnavailable):
        publish_with_init_answer(rsps, status=502, body="<html>Bad gateway</html>")


def test_a_timeout_is_provider_unavailable(rsps):
    with pytest.raises(ProviderUnavailable, match="Timed out"):
        publish_with_init_answer(rsps, body=requests.exceptions.ConnectTimeout())


def test_rate_limit_uses_the_retry_after_header(rsps):
    with pytest.raises(RateLimited) as caught:
        publish_with_init_answer(rsps, status=429, json=error("rate_limit_exceeded"), headers={"Retry-After": "7"})

    assert caught.value.retry_after == 7


def test_rate_limit_without_a_header_backs_off_a_minute(rsps):
    with pytest.raises(RateLimited) as caught:
        publish_with_init_answer(rsps, status=429, json=error("rate_limit_exceeded"))

    assert caught.value.retry_after == 60


@pytest.mark.parametrize("code", ["spam_risk_too_many_posts", "spam_risk_too_many_pending_share"])
def test_daily_caps_are_rate_limited_until_tomorrow(rsps, code):
    with pytest.raises(RateLimited) as caught:
        publish_with_init_answer(rsps, status=403, json=error(code, "The daily post cap from API is reached."))

    assert caught.value.retry_after == 86400


def test_invalid_access_token_is_token_expired_without_the_token_in_the_message(rsps):
    rsps.post(CREATOR_INFO, status=401, json=error("access_token_invalid", "The access token is invalid."))

    with pytest.raises(TokenExpired) as caught:
        make_client().publish(Content(text="hi", media=(VIDEO,), options=PUBLIC))

    assert "act.secret-token" not in str(caught.value)
    assert len(rsps.calls) == 1


@pytest.mark.parametrize("code", ["scope_not_authorized", "scope_permission_missed"])
def test_missing_scopes_require_a_reconnect(rsps, code):
    rsps.post(CREATOR_INFO, status=401, json=error(code))

    with pytest.raises(ReconnectRequired):
        make_client().publish(Content(text="hi", media=(VIDEO,), options=PUBLIC))


# --- reconcile -------------------------------------------------------------------------
def test_reconcile_returns_the_live_post_of_a_completed_publish_id(rsps):
    rsps.post(STATUS, json=status("PUBLISH_COMPLETE", [POST_ID]))

    result = make_client().reconcile(Content(text="hi"), {"publish_id": PUBLISH_ID, "username": "dravo"})

    assert result.platform_post_id == "7400000000000000001"
    assert len(rsps.calls) == 1


def test_reconcile_is_unknown_while_tiktok_is_still_processing(rsps):
    rsps.post(STATUS, json=status("PROCESSING_DOWNLOAD"))

    assert make_client().reconcile(Content(text="hi"), {"publish_id": PUBLISH_ID}) is None


def test_reconcile_without_a_publish_id_asks_nothing(rsps):
    assert make_client().reconcile(Content(text="hi"), {}) is None
    assert len(rsps.calls) == 0


# --- verify ----------------------------------------------------------------------------
def test_verify_reads_the_user_info_of_the_token(rsps):
    user = {
        "open_id": "open-1",
        "union_id": "union-1",
        "avatar_url": "https://p16/a.jpeg",
        "display_name": "Dravo Team",
        "username": "dravo",
    }
    rsps.get(f"{API}/user/info/", json=ok({"user": user}))

    profile = make_client().verify()

    assert (profile.id, profile.handle, profile.name) == ("open-1", "dravo", "Dravo Team")
    assert parse_qs(rsps.calls[0].request.url.split("?")[1]) == {
        "fields": ["open_id,union_id,avatar_url,display_name,username"]
    }
    assert rsps.calls[0].request.headers["Authorization"] == "Bearer act.secret-token"


def test_verify_refuses_a_token_of_another_creator_naming_open_id(rsps):
    rsps.get(f"{API}/user/info/", json=ok({"user": {"open_id": "open-2", "username": "other"}}))
    with pytest.raises(AccountMismatch, match="acts as the TikTok creator open-2, not open-1") as caught:
        make_client().verify()
    assert caught.value.field == "open_id"
    assert len(rsps.calls) == 1


@pytest.mark.parametrize(
    "answer,error",
    [
        ({"status": 400, "json": error("invalid_params", "fields is invalid")}, Rejected),
        ({"status": 500, "json": error("internal_error")}, ProviderUnavailable),
        ({"body": requests.ConnectTimeout("timed out")}, ProviderUnavailable),
        ({"status": 429, "json": error("rate_limit_exceeded")}, RateLimited),
    ],
    ids=["permanent 4xx", "5xx", "timeout", "429"],
)
def test_verify_maps_each_failure_of_the_user_info(rsps, answer, error):
    rsps.get(f"{API}/user/info/", **answer)
    with pytest.raises(error):
        make_client().verify()
    assert len(rsps.calls) == 1


def test_verify_of_a_refused_token_is_token_expired(rsps):
    rsps.get(f"{API}/user/info/", status=401, json=error("access_token_invalid"))

    with pytest.raises(TokenExpired):
        make_client().verify()


# --- refresh ---------------------------------------------------------------------------
def test_refresh_rotates_the_tokens_and_keeps_the_other_credentials(rsps):
    rsps.post(
        TOKEN,
        json={
            "access_token": "act.new",
            "expires_in": 7200,
            "open_id": "open-1",
            "refresh_expires_in": 15552000,
            "refresh_token": "rft.new",
            "scope": "user.info.basic,video.publish",
            "token_type": "Bearer",
        },
    )

    result = make_client().refresh()

    assert parse_qs(rsps.calls[0].request.body) == {
        "client_key": ["cid"],
        "client_secret": ["sec"],
        "grant_type": ["refresh_token"],
        "refresh_token": ["rft.old"],
    }
    assert "Authorization" not in rsps.calls[0].request.headers
    assert result.credentials["access_token"] == "act.new"
    assert result.credentials["refresh_token"] == "rft.new"
    assert result.credentials["username"] == "dravo"
    assert abs(result.expires_at - (datetime.now(UTC) + timedelta(hours=2))) < timedelta(seconds=30)


def test_refresh_keeps_the_old_refresh_token_when_none_is_returned(rsps):
    rsps.post(TOKEN, json={"access_token": "act.new", "expires_in": 7200, "token_type": "Bearer"})

    assert make_client().refresh().credentials["refresh_token"] == "rft.old"


def test_refused_refresh_grant_requires_a_reconnect(rsps):
    rsps.post(
        TOKEN,
        status=400,
        json={"error": "invalid_grant", "error_description": "Refresh token is invalid.", "log_id": "x"},
    )

    with pytest.raises(ReconnectRequired, match="invalid_grant"):
        make_client().refresh()


def test_refresh_without_a_refresh_token_requires_a_reconnect_without_asking(rsps):
    with pytest.raises(ReconnectRequired):
        make_client(refresh_token="").refresh()

    assert len(rsps.calls) == 0


def test_refresh_during_an_outage_is_provider_unavailable(rsps):
    rsps.post(TOKEN, status=503, body="upstream unavailable")

    with pytest.raises(ProviderUnavailable):
        make_client().refresh()


def test_refresh_timeout_is_provider_unavailable(rsps):
    rsps.post(TOKEN, body=requests.exceptions.ConnectTimeout())

    with pytest.raises(ProviderUnavailable):
        make_client().refresh()


def test_refresh_rate_limit_is_rate_limited(rsps):
    rsps.post(TOKEN, status=429, json=error("rate_limit_exceeded"), headers={"Retry-After": "30"})

    with pytest.raises(RateLimited) as caught:
        make_client().refresh()

    assert caught.value.retry_after == 30


# --- metrics ---------------------------------------------------------------------------
def test_fetch_metrics_queries_the_video_and_returns_the_four_counts(rsps):
    video = {"id": "7400000000000000001", "view_count": 1200, "like_count": 84, "comment_count": 6, "share_count": 12}
    rsps.post(f"{API}/video/query/", json=ok({"videos": [video], "cursor": 0, "has_more": False}))

    result = make_client().fetch_metrics("7400000000000000001")

    assert rsps.calls[0].request.url == (
        f"{API}/video/query/?fields=id,view_count,like_count,comment_count,share_count"
    )
    assert body_of(rsps.calls[0]) == {"filters": {"video_ids": ["7400000000000000001"]}}
    assert result.metrics == {"view_count": 1200, "like_count": 84, "comment_count": 6, "share_count": 12}
    assert (result.warnings, result.partial) == ([], False)


def test_fetch_metrics_of_a_post_tiktok_does_not_list_is_partial(rsps):
    rsps.post(f"{API}/video/query/", json=ok({"videos": [], "cursor": 0, "has_more": False}))

    result = make_client().fetch_metrics("7400000000000000001")

    assert result.metrics == {} and result.partial
    assert "did not return post 7400000000000000001" in result.warnings[0]


def test_fetch_metrics_with_a_missing_count_is_partial(rsps):
    video = {"id": "7400000000000000001", "view_count": 5, "like_count": 1, "comment_count": 0}
    rsps.post(f"{API}/video/query/", json=ok({"videos": [video]}))

    result = make_client().fetch_metrics("7400000000000000001")

    assert result.metrics == {"view_count": 5, "like_count": 1, "comment_count": 0}
    assert result.partial and result.warnings == ["TikTok did not return share_count."]


def test_fetch_metrics_of_a_publish_id_asks_nothing_and_is_partial(rsps):
    result = make_client().fetch_metrics(PUBLISH_ID)

    assert result.partial and result.metrics == {}
    assert len(rsps.calls) == 0


# --- validate --------------------------------------------------------------------------
def problems(content):
    return {(p.field, p.code): p.message for p in make_client().validate(content)}


def test_valid_video_and_photo_posts_have_no_problems():
    assert problems(Content(text="hi", media=(VIDEO,), options=PUBLIC)) == {}
    assert problems(Content(text="hi", media=PHOTOS, options={**PUBLIC, "title": "t"})) == {}


def test_a_post_without_media_is_a_problem():
    assert "one video or 1–35 photos" in problems(Content(text="hi", options=PUBLIC))[("media_urls", "media_required")]


def test_privacy_level_is_required():
    assert ("platform_options.tiktok.privacy_level", "required") in problems(Content(text="hi", media=(VIDEO,)))


def test_mixing_photos_and_a_video_is_a_problem():
    assert ("media_urls", "mixed_media") in problems(Content(text="hi", media=(VIDEO, PHOTOS[0]), options=PUBLIC))


def test_two_videos_are_a_problem():
    assert (
        "at most 1 video"
        in problems(Content(text="hi", media=(VIDEO, VIDEO), options=PUBLIC))[("media_urls", "too_many_media")]
    )


def test_more_than_35_photos_are_a_problem():
    found = problems(Content(text="hi", media=PHOTOS[:1] * 36, options=PUBLIC))
    assert "at most 35 photos; got 36" in found[("media_urls", "too_many_media")]


def test_gifs_and_documents_are_not_tiktok_media():
    gif = Media(url="https://cdn.example.com/a.gif", kind="gif")
    assert ("media_urls.0", "unsupported_media") in problems(Content(text="hi", media=(gif,), options=PUBLIC))


@pytest.mark.parametrize(
    ("media", "message"),
    [
        (Media(url="u", kind="image", mime_type="image/png"), "JPEG or WebP (no PNG)"),
        (Media(url="u", kind="image", size_bytes=21 * 1024**2), "at most 20 MB"),
        (Media(url="u", kind="image", width=2048, height=2048), "at most 1080p"),
        (Media(url="u", kind="video", mime_type="video/x-msvideo"), "MP4, WebM or MOV"),
        (Media(url="u", kind="video", size_bytes=5 * 1024**3), "at most 4 GB"),
        (Media(url="u", kind="video", duration_s=2), "at least 3 s"),
        (Media(url="u", kind="video", width=200, height=640), "360–4096 px"),
        (Media(url="u", kind="video", extra={"fps": 15}), "23–60 fps"),
    ],
)
def test_known_media_metadata_is_checked_against_tiktoks_rules(media, message):
    assert message in problems(Content(text="hi", media=(media,), options=PUBLIC))[("media_urls.0", "invalid_media")]


def test_unknown_media_metadata_is_not_checked():
    photo = Media(url="https://cdn.example.com/a.png", kind="image")
    assert problems(Content(text="hi", media=(photo,), options=PUBLIC)) == {}


def test_video_caption_is_limited_to_2200_utf16_units():
    assert problems(Content(text="😀" * 1100, media=(VIDEO,), options=PUBLIC)) == {}
    message = problems(Content(text="😀" * 1100 + "a", media=(VIDEO,), options=PUBLIC))[("text", "too_long")]
    assert "video caption is at most 2,200" in message and "2,201" in message


def test_photo_description_is_limited_to_4000_characters():
    assert problems(Content(text="a" * 4000, media=PHOTOS, options=PUBLIC)) == {}
    assert (
        "photo description is at most 4,000"
        in problems(Content(text="a" * 4001, media=PHOTOS, options=PUBLIC))[("text", "too_long")]
    )


def test_option_problems_are_named_after_the_option():
    found = problems(Content(text="hi", media=PHOTOS, options={**PUBLIC, "title": "t" * 91, "is_aigc": "yes"}))
    assert ("platform_options.tiktok.title", "invalid_option") in found
    assert ("platform_options.tiktok.is_aigc", "invalid_option") in found


def test_branded_content_cannot_be_private():
    options = {"privacy_level": "SELF_ONLY", "brand_content_toggle": True}
    found = problems(Content(text="hi", media=(VIDEO,), options=options))
    assert "SELF_ONLY" in found[("platform_options.tiktok.brand_content_toggle", "invalid_option")]


# --- options serializer ----------------------------------------------------------------
def test_options_serializer_accepts_every_documented_option():
    options = {
        "text": "t",
        "privacy_level": "FOLLOWER_OF_CREATOR",
        "disable_comment": True,
        "disable_duet": True,
        "disable_stitch": False,
        "video_cover_timestamp_ms": 0,
        "brand_content_toggle": True,
        "brand_organic_toggle": False,
        "is_aigc": True,
        "title": "x" * 90,
        "auto_add_music": True,
    }
    serializer = TikTokOptionsSerializer(data=options)

    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == options


def test_options_serializer_refuses_unknown_keys():
    serializer = TikTokOptionsSerializer(data={"privacy_level": "SELF_ONLY", "privacyLevel": "SELF_ONLY"})

    assert not serializer.is_valid()
    assert set(serializer.errors) == {"privacyLevel"}


def test_options_serializer_enums_are_case_sensitive():
    serializer = TikTokOptionsSerializer(data={"privacy_level": "public_to_everyone"})

    assert not serializer.is_valid()
    assert set(serializer.errors) == {"privacy_level"}


@pytest.mark.parametrize(
    "options",
    [
        {"disable_comment": "true"},
        {"is_aigc": 1},
        {"video_cover_timestamp_ms": -1},
        {"video_cover_timestamp_ms": "100"},
        {"title": 5},
    ],
)
def test_options_serializer_checks_types_and_ranges(options):
    serializer = TikTokOptionsSerializer(data=options)

    assert not serializer.is_valid()
    assert set(serializer.errors) == set(options)
