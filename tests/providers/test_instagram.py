"""InstagramClient against `responses`: exact requests, real-shaped answers, every error class."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

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
from providers.instagram.client import InstagramClient
from providers.instagram.rules import InstagramOptions

ENDPOINTS = settings.PROVIDER_ENDPOINTS["instagram"]
API = f"{ENDPOINTS['api_url']}/{ENDPOINTS['api_version']}"
IG_ENDPOINTS = {**ENDPOINTS, "ig_api_url": "https://graph.instagram.com"}
IG_API = f"https://graph.instagram.com/{ENDPOINTS['api_version']}"
IG = "17841405822304914"
TOKEN = "EAAtok-secret"
CONTAINER = "17889455560051444"
MEDIA = "17920238422030506"
PERMALINK = "https://www.instagram.com/p/DAbc123xyz/"
IMAGE = Media(url="https://cdn.example.com/a.jpg", kind="image")
VIDEO = Media(url="https://cdn.example.com/v.mp4", kind="video")
STATUS = matchers.query_param_matcher({"fields": "status_code,status"})
AUTH = matchers.header_matcher({"Authorization": f"Bearer {TOKEN}"})


def make_client(login="facebook"):
    endpoints = IG_ENDPOINTS if login == "instagram" else ENDPOINTS
    credentials = {"access_token": TOKEN, "ig_user_id": IG, "login": login, "extra": "kept"}
    return InstagramClient(credentials, endpoints=endpoints, app={"client_id": "cid", "client_secret": "sec"})


def graph_error(code, message="(#100) Invalid parameter", status=400, **extra):
    return {"json": {"error": {"message": message, "type": "OAuthException", "code": code, **extra}}, "status": status}


def form(call) -> dict:
    return {key: values[0] for key, values in parse_qs(call.request.body).items()}


def add_create(rsps, params, container=CONTAINER):
    rsps.post(f"{API}/{IG}/media", json={"id": container}, match=[AUTH, matchers.urlencoded_params_matcher(params)])


def add_status(rsps, container, *codes):
    for code in codes:
        rsps.get(f"{API}/{container}", json={"status_code": code, "id": container}, match=[STATUS])


def add_publish(rsps, container=CONTAINER, media=MEDIA):
    creation = matchers.urlencoded_params_matcher({"creation_id": container})
    rsps.post(f"{API}/{IG}/media_publish", json={"id": media}, match=[AUTH, creation])


def add_permalink(rsps, media=MEDIA, permalink=PERMALINK):
    fields = matchers.query_param_matcher({"fields": "permalink,timestamp"})
    body = {"permalink": permalink, "timestamp": "2026-11-25T10:00:00+0000", "id": media}
    rsps.get(f"{API}/{media}", json=body, match=[fields])


@pytest.fixture
def rsps(fast_polling):
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


# --- verify -------------------------------------------------------------------------------
def test_verify_reads_the_ig_user_of_a_facebook_login_token(rsps):
    fields = matchers.query_param_matcher({"fields": "id,username,name"})
    rsps.get(f"{API}/{IG}", json={"id": IG, "username": "dravo", "name": "Dravo"}, match=[AUTH, fields])
    profile = make_client().verify()
    assert (profile.id, profile.handle, profile.name) == (IG, "dravo", "Dravo")
    assert len(rsps.calls) == 1


def test_verify_reads_me_on_graph_instagram_for_an_instagram_login_token(rsps):
    fields = matchers.query_param_matcher({"fields": "user_id,username,name"})
    body = {"user_id": IG, "username": "dravo", "name": "Dravo", "id": "2611"}
    rsps.get(f"{IG_API}/me", json=body, match=[AUTH, fields])
    assert make_client("instagram").verify().id == IG


def test_verify_of_a_refused_facebook_login_token_raises_reconnect_required(rsps):
    rsps.get(f"{API}/{IG}", **graph_error(190, "Invalid OAuth access token - Cannot parse access token"))
    with pytest.raises(ReconnectRequired) as excinfo:
        make_client().verify()
    assert TOKEN not in str(excinfo.value)


def test_verify_refuses_an_ig_user_the_facebook_login_token_cannot_reach_naming_ig_user_id(rsps):
    message = (
        f"Unsupported get request. Object with ID '{IG}' does not exist, cannot be loaded due to missing "
        "permissions, or does not support this operation."
    )
    rsps.get(f"{API}/{IG}", **graph_error(100, message, error_subcode=33))
    with pytest.raises(AccountMismatch, match=f"cannot act as the Instagram account {IG}") as caught:
        make_client().verify()
    assert caught.value.field == "ig_user_id"
    assert len(rsps.calls) == 1


def test_verify_refuses_an_instagram_login_token_of_another_account_naming_ig_user_id(rsps):
    rsps.get(f"{IG_API}/me", json={"user_id": "17841400000000999", "username": "other", "id": "2612"})
    with pytest.raises(AccountMismatch, match=f"acts as the Instagram account 17841400000000999, not {IG}") as caught:
        make_client("instagram").verify()
    assert caught.value.field == "ig_user_id"


@pytest.mark.parametrize(
    "answer,error",
    [
        (graph_error(100, "(#100) Unknown field"), Rejected),
        (graph_error(2, "Service temporarily unavailable", status=503), ProviderUnavailable),
        ({"body": requests.ReadTimeout("timed out")}, ProviderUnavailable),
        (graph_error(4, "Application request limit reached", status=429), RateLimited),
    ],
    ids=["permanent 4xx", "5xx", "timeout", "429"],
)
def test_verify_maps_each_failure_of_the_ig_user_read(rsps, answer, error):
    rsps.get(f"{API}/{IG}", **answer)
    with pytest.raises(error):
        make_client().verify()
    assert len(rsps.calls) == 1


# --- publish: content kinds ------------------------------------------------------------------
def test_publish_image_creates_a_container_waits_for_finished_then_publishes(rsps):
    options = {"alt_text": "A cat", "location_id": "110", "collaborators": ["ann", "bob"]}
    params = {
        "image_url": IMAGE.url,
        "alt_text": "A cat",
        "caption": "Hello #dravo",
        "location_id": "110",
        "collaborators": '["ann", "bob"]',
    }
    add_create(rsps, params)
    add_status(rsps, CONTAINER, "IN_PROGRESS", "FINISHED")
    add_publish(rsps)
    add_permalink(rsps)
    result = make_client().publish(Content("Hello #dravo", (IMAGE,), options))
    assert result.platform_post_id == MEDIA
    assert result.url == PERMALINK
    assert result.published_at == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert result.warnings == []
    assert len(rsps.calls) == 5


def test_publish_carousel_creates_child_containers_then_the_carousel_container(rsps):
    add_create(rsps, {"is_carousel_item": "true", "image_url": IMAGE.url}, "101")
    add_create(rsps, {"is_carousel_item": "true", "media_type": "VIDEO", "video_url": VIDEO.url}, "102")
    add_status(rsps, "101", "FINISHED")
    add_status(rsps, "102", "IN_PROGRESS", "FINISHED")
    add_create(rsps, {"media_type": "CAROUSEL", "children": "101,102", "caption": "Two"}, CONTAINER)
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    add_permalink(rsps)
    result = make_client().publish(Content("Two", (IMAGE, VIDEO)))
    assert result.platform_post_id == MEDIA
    assert len(rsps.calls) == 9


def test_publish_single_video_in_feed_is_a_reel_shared_to_feed(rsps):
    params = {
        "media_type": "REELS",
        "video_url": VIDEO.url,
        "share_to_feed": "true",
        "thumb_offset": "1500",
        "caption": "Reel",
    }
    add_create(rsps, params)
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    add_permalink(rsps, permalink="https://www.instagram.com/reel/DAbc/")
    result = make_client().publish(Content("Reel", (VIDEO,), {"thumb_offset_ms": 1500}))
    assert result.url == "https://www.instagram.com/reel/DAbc/"


def test_publish_reel_sends_cover_url_and_share_to_feed_false(rsps):
    cover = "https://cdn.example.com/cover.jpg"
    params = {"media_type": "REELS", "video_url": VIDEO.url, "share_to_feed": "false", "cover_url": cover}
    add_create(rsps, params)
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    add_permalink(rsps)
    options = {"placement": "reel", "share_to_feed": False, "cover_url": cover, "thumb_offset_ms": 10}
    assert make_client().publish(Content("", (VIDEO,), options)).platform_post_id == MEDIA


def test_publish_story_sends_stories_without_caption_and_warns_about_the_text(rsps):
    add_create(rsps, {"media_type": "STORIES", "video_url": VIDEO.url})
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    add_permalink(rsps, permalink=f"https://www.instagram.com/stories/dravo/{MEDIA}/")
    result = make_client().publish(Content("ignored", (VIDEO,), {"placement": "story"}))
    assert result.warnings == ["Instagram stories have no caption; the text was not posted."]


def test_publish_posts_the_first_comment_after_the_post(rsps):
    add_create(rsps, {"image_url": IMAGE.url, "caption": "Hi"})
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    comment = matchers.urlencoded_params_matcher({"message": "First!"})
    rsps.post(f"{API}/{MEDIA}/comments", json={"id": "17858893269000001"}, match=[AUTH, comment])
    add_permalink(rsps)
    result = make_client().publish(Content("Hi", (IMAGE,), {"first_comment": "First!"}))
    assert result.warnings == []
    assert [call.request.method for call in rsps.calls] == ["POST", "GET", "POST", "POST", "GET"]


def test_a_failed_first_comment_becomes_a_warning(rsps):
    add_create(rsps, {"image_url": IMAGE.url, "caption": "Hi"})
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    rsps.post(f"{API}/{MEDIA}/comments", **graph_error(100, "(#100) Comments are disabled"))
    add_permalink(rsps)
    result = make_client().publish(Content("Hi", (IMAGE,), {"first_comment": "First!"}))
    assert result.platform_post_id == MEDIA
    assert result.warnings == ["The post is live but its first comment failed: Instagram: (#100) Comments are disabled"]


def test_publish_keeps_polling_while_media_publish_answers_not_ready(rsps):
    add_create(rsps, {"image_url": IMAGE.url, "caption": "Hi"})
    add_status(rsps, CONTAINER, "FINISHED")
    rsps.post(f"{API}/{IG}/media_publish", **graph_error(9007, "Media ID is not available", error_subcode=2207027))
    add_publish(rsps)
    add_permalink(rsps)
    assert make_client().publish(Content("Hi", (IMAGE,))).platform_post_id == MEDIA
    assert len(rsps.calls) == 5


# --- publish: checkpoints ----------------------------------------------------------------------
def test_publish_saves_the_container_id_as_soon_as_it_exists(rsps):
    add_create(rsps, {"image_url": IMAGE.url, "caption": "Hi"})
    rsps.get(f"{API}/{CONTAINER}", json={"error": {"message": "boom", "code": 2, "is_transient": True}}, status=500)
    saved = []
    with pytest.raises(ProviderUnavailable):
        make_client().publish(Content("Hi", (IMAGE,)), save_checkpoint=saved.append)
    assert saved[-1]["container_id"] == CONTAINER
    assert saved[-1]["kind"] == "image"


def test_publish_resumes_from_a_checkpoint_without_creating_a_second_container(rsps):
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    add_permalink(rsps)
    saved = []
    checkpoint = {"container_id": CONTAINER, "kind": "image", "note": "kept"}
    result = make_client().publish(Content("Hi", (IMAGE,)), checkpoint=checkpoint, save_checkpoint=saved.append)
    assert result.platform_post_id == MEDIA
    assert saved[-1] == {"container_id": CONTAINER, "kind": "image", "note": "kept", "media_id": MEDIA}
    assert not [call for call in rsps.calls if call.request.url.endswith(f"/{IG}/media")]


def test_publish_resumes_a_carousel_without_recreating_saved_children(rsps):
    add_create(rsps, {"is_carousel_item": "true", "image_url": IMAGE.url}, "102")
    add_status(rsps, "101", "FINISHED")
    add_status(rsps, "102", "FINISHED")
    add_create(rsps, {"media_type": "CAROUSEL", "children": "101,102", "caption": "Two"})
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    add_permalink(rsps)
    make_client().publish(Content("Two", (VIDEO, IMAGE)), checkpoint={"children": ["101"]})
    assert len([call for call in rsps.calls if call.request.method == "POST"]) == 3


def test_publish_of_an_already_published_container_finds_the_media_instead_of_publishing(rsps):
    add_status(rsps, CONTAINER, "PUBLISHED")
    listing = {"data": [{"id": "1", "caption": "Other"}, {"id": MEDIA, "caption": "Hi"}]}
    fields = matchers.query_param_matcher({"fields": "id,caption,timestamp", "limit": "25"})
    rsps.get(f"{API}/{IG}/media", json=listing, match=[fields])
    add_permalink(rsps)
    result = make_client().publish(Content("Hi", (IMAGE,)), checkpoint={"container_id": CONTAINER, "kind": "image"})
    assert result.platform_post_id == MEDIA
    assert not [call for call in rsps.calls if "media_publish" in call.request.url]


def test_publish_with_a_published_media_in_the_checkpoint_makes_no_new_post(rsps):
    add_permalink(rsps)
    result = make_client().publish(Content("Hi", (IMAGE,)), checkpoint={"container_id": CONTAINER, "media_id": MEDIA})
    assert result.url == PERMALINK
    assert len(rsps.calls) == 1


def test_publish_recreates_a_container_that_expired_unpublished(rsps):
    add_status(rsps, "999", "EXPIRED")
    add_create(rsps, {"image_url": IMAGE.url, "caption": "Hi"})
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    add_permalink(rsps)
    saved = []
    make_client().publish(Content("Hi", (IMAGE,)), checkpoint={"container_id": "999"}, save_checkpoint=saved.append)
    assert saved[-1]["container_id"] == CONTAINER


def test_reconcile_returns_the_live_post_of_a_published_container(rsps):
    rsps.get(f"{API}/{CONTAINER}", json={"status_code": "PUBLISHED", "id": CONTAINER})
    rsps.get(f"{API}/{IG}/media", json={"data": [{"id": MEDIA, "caption": "Hi"}]})
    add_permalink(rsps)
    result = make_client().reconcile(Content("Hi", (IMAGE,)), {"container_id": CONTAINER, "kind": "image"})
    assert (result.platform_post_id, result.url) == (MEDIA, PERMALINK)


def test_reconcile_is_unknown_while_the_container_is_not_published(rsps):
    rsps.get(f"{API}/{CONTAINER}", json={"status_code": "FINISHED", "id": CONTAINER})
    assert make_client().reconcile(Content("Hi", (IMAGE,)), {"container_id": CONTAINER}) is None
    assert len(rsps.calls) == 1


# --- publish: failures ----------------------------------------------------------------------
def test_container_error_after_a_failed_media_fetch_raises_media_unavailable(rsps):
    add_create(rsps, {"image_url": IMAGE.url, "caption": "Hi"})
    body = {"status_code": "ERROR", "status": "Error: 2207052: media fetch failed", "id": CONTAINER}
    rsps.get(f"{API}/{CONTAINER}", json=body)
    with pytest.raises(MediaUnavailable, match="2207052"):
        make_client().publish(Content("Hi", (IMAGE,)))


def test_container_error_for_a_content_problem_raises_rejected(rsps):
    add_create(rsps, {"image_url": IMAGE.url, "caption": "Hi"})
    body = {"status_code": "ERROR", "status": "Error: 2207009: aspect ratio not supported", "id": CONTAINER}
    rsps.get(f"{API}/{CONTAINER}", json=body)
    with pytest.raises(Rejected, match="aspect ratio"):
        make_client().publish(Content("Hi", (IMAGE,)))


def test_a_container_that_never_finishes_raises_processing_timeout(rsps, settings):
    settings.PROVIDER_POLL_TIMEOUT = 0.05
    add_create(rsps, {"image_url": IMAGE.url, "caption": "Hi"})
    add_status(rsps, CONTAINER, "IN_PROGRESS")
    saved = []
    with pytest.raises(ProcessingTimeout):
        make_client().publish(Content("Hi", (IMAGE,)), save_checkpoint=saved.append)
    assert saved[-1]["container_id"] == CONTAINER


def test_a_permanent_graph_error_raises_rejected_with_metas_message(rsps):
    rsps.post(f"{API}/{IG}/media", **graph_error(100, "(#100) The image is too large", error_subcode=2207004))
    with pytest.raises(Rejected) as excinfo:
        make_client().publish(Content("Hi", (IMAGE,)))
    assert excinfo.value.reason == "Instagram: (#100) The image is too large"
    assert excinfo.value.status == 400
    assert len(rsps.calls) == 1


def test_a_media_fetch_error_code_raises_media_unavailable(rsps):
    rsps.post(f"{API}/{IG}/media", **graph_error(9004, "Media download has failed", error_subcode=2207052))
    with pytest.raises(MediaUnavailable):
        make_client().publish(Content("Hi", (IMAGE,)))


def test_a_server_error_raises_provider_unavailable(rsps):
    rsps.post(f"{API}/{IG}/media", body="<html>oops</html>", status=502)
    with pytest.raises(ProviderUnavailable):
        make_client().publish(Content("Hi", (IMAGE,)))
    assert len(rsps.calls) == 1


def test_an_is_transient_graph_error_raises_provider_unavailable(rsps):
    rsps.post(f"{API}/{IG}/media", **graph_error(2, "Service temporarily unavailable", is_transient=True))
    with pytest.raises(ProviderUnavailable):
        make_client().publish(Content("Hi", (IMAGE,)))


def test_a_timeout_raises_provider_unavailable(rsps):
    rsps.post(f"{API}/{IG}/media", body=requests.exceptions.ConnectTimeout())
    with pytest.raises(ProviderUnavailable, match="Timed out"):
        make_client().publish(Content("Hi", (IMAGE,)))
    assert len(rsps.calls) == 1


def test_a_throttling_code_raises_rate_limited_with_the_buc_regain_time(rsps):
    usage = {IG: [{"type": "instagram", "call_count": 100, "estimated_time_to_regain_access": 7}]}
    rsps.post(
        f"{API}/{IG}/media",
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
        **graph_error(80002, "There have been too many calls to this Instagram account"),
    )
    with pytest.raises(RateLimited) as excinfo:
        make_client().publish(Content("Hi", (IMAGE,)))
    assert excinfo.value.retry_after == 420


def test_http_429_raises_rate_limited_with_the_retry_after_header(rsps):
    rsps.post(
        f"{API}/{IG}/media",
        headers={"Retry-After": "12"},
        **graph_error(4, "Application request limit reached", status=429, is_transient=True),
    )
    with pytest.raises(RateLimited) as excinfo:
        make_client().publish(Content("Hi", (IMAGE,)))
    assert excinfo.value.retry_after == 12


def test_the_daily_publishing_quota_raises_rate_limited(rsps):
    add_create(rsps, {"image_url": IMAGE.url, "caption": "Hi"})
    add_status(rsps, CONTAINER, "FINISHED")
    rsps.post(f"{API}/{IG}/media_publish", **graph_error(9, "Application request limit reached", error_subcode=2207042))
    with pytest.raises(RateLimited) as excinfo:
        make_client().publish(Content("Hi", (IMAGE,)))
    assert excinfo.value.retry_after == 3600


def test_code_190_for_a_facebook_login_token_raises_reconnect_required(rsps):
    rsps.post(f"{API}/{IG}/media", **graph_error(190, "Error validating access token", error_subcode=463))
    with pytest.raises(ReconnectRequired):
        make_client().publish(Content("Hi", (IMAGE,)))


def test_code_190_for_an_instagram_login_token_raises_token_expired(rsps):
    rsps.post(f"{IG_API}/{IG}/media", **graph_error(190, "Error validating access token", error_subcode=463))
    with pytest.raises(TokenExpired) as excinfo:
        make_client("instagram").publish(Content("Hi", (IMAGE,)))
    assert TOKEN not in str(excinfo.value)


def test_a_missing_permission_raises_reconnect_required(rsps):
    rsps.post(f"{API}/{IG}/media", **graph_error(10, "(#10) Application does not have permission for this action"))
    with pytest.raises(ReconnectRequired):
        make_client().publish(Content("Hi", (IMAGE,)))


# --- refresh ----------------------------------------------------------------------------------
def test_refresh_of_a_facebook_login_token_re_exchanges_it(rsps):
    params = {"grant_type": "fb_exchange_token", "client_id": "cid", "client_secret": "sec", "fb_exchange_token": TOKEN}
    body = {"access_token": "EAAnew", "token_type": "bearer", "expires_in": 5183944}
    rsps.get(f"{API}/oauth/access_token", json=body, match=[matchers.query_param_matcher(params)])
    result = make_client().refresh()
    assert result.credentials == {"access_token": "EAAnew", "ig_user_id": IG, "login": "facebook", "extra": "kept"}
    assert abs(result.expires_at - (datetime.now(UTC) + timedelta(seconds=5183944))) < timedelta(seconds=5)


def test_refresh_of_an_instagram_login_token_uses_ig_refresh_token(rsps):
    params = {"grant_type": "ig_refresh_token", "access_token": TOKEN}
    body = {"access_token": "IGnew", "token_type": "bearer", "expires_in": 5183944}
    rsps.get(
        "https://graph.instagram.com/refresh_access_token", json=body, match=[matchers.query_param_matcher(params)]
    )
    result = make_client("instagram").refresh()
    assert result.credentials["access_token"] == "IGnew"
    assert result.credentials["login"] == "instagram"


def test_a_refused_refresh_raises_reconnect_required(rsps):
    rsps.get(
        "https://graph.instagram.com/refresh_access_token", **graph_error(190, "Session has expired", error_subcode=463)
    )
    with pytest.raises(ReconnectRequired):
        make_client("instagram").refresh()


def test_a_refresh_that_meta_could_not_answer_raises_provider_unavailable(rsps):
    rsps.get(f"{API}/oauth/access_token", body="", status=503)
    with pytest.raises(ProviderUnavailable):
        make_client().refresh()


def test_a_throttled_refresh_raises_rate_limited(rsps):
    rsps.get(f"{API}/oauth/access_token", **graph_error(4, "Application request limit reached", is_transient=True))
    with pytest.raises(RateLimited):
        make_client().refresh()


# --- metrics -------------------------------------------------------------------------------------
def insight(name, value):
    return {"name": name, "period": "lifetime", "values": [{"value": value}], "id": f"{MEDIA}/insights/{name}/lifetime"}


def test_fetch_metrics_returns_the_seven_documented_keys(rsps):
    rsps.get(f"{API}/{MEDIA}", json={"media_product_type": "FEED", "id": MEDIA})
    names = "views,reach,likes,comments,shares,saved,total_interactions"
    data = [insight(name, index * 10) for index, name in enumerate(names.split(","))]
    rsps.get(f"{API}/{MEDIA}/insights", json={"data": data}, match=[matchers.query_param_matcher({"metric": names})])
    result = make_client().fetch_metrics(MEDIA)
    assert result.metrics == {
        "views": 0,
        "reach": 10,
        "likes": 20,
        "comments": 30,
        "shares": 40,
        "saved": 50,
        "total_interactions": 60,
    }
    assert (result.warnings, result.partial) == ([], False)
    assert len(rsps.calls) == 2


def test_fetch_metrics_of_a_story_leaves_out_what_stories_lack_with_a_warning(rsps):
    rsps.get(f"{API}/{MEDIA}", json={"media_product_type": "STORY", "id": MEDIA})
    names = "views,reach,shares,total_interactions"
    data = [insight(name, 3) for name in names.split(",")]
    rsps.get(f"{API}/{MEDIA}/insights", json={"data": data}, match=[matchers.query_param_matcher({"metric": names})])
    result = make_client().fetch_metrics(MEDIA)
    assert set(result.metrics) == {"views", "reach", "shares", "total_interactions"}
    assert result.partial is True
    assert result.warnings == ["Instagram did not report likes, comments, saved for this story."]


def test_fetch_metrics_of_a_small_audience_is_partial_not_a_reconnect(rsps):
    rsps.get(f"{API}/{MEDIA}", json={"media_product_type": "FEED", "id": MEDIA})
    error = graph_error(10, "(#10) Not enough viewers for the media to show insights", error_subcode=2108006)
    rsps.get(f"{API}/{MEDIA}/insights", **error)
    result = make_client().fetch_metrics(MEDIA)
    assert (result.metrics, result.partial) == ({}, True)


# --- validate ---------------------------------------------------------------------------------
def problems(text="Hi", media=(IMAGE,), **options):
    return [(problem.field, problem.code) for problem in make_client().validate(Content(text, tuple(media), options))]


def test_validate_accepts_a_plain_image_post():
    jpeg = Media(url="https://x/a.jpg", kind="image", mime_type="image/jpeg", size_bytes=1000, width=1080, height=1350)
    assert problems(media=[jpeg]) == []


def test_validate_refuses_a_caption_over_2200_characters():
    assert problems(text="a" * 2201) == [("text", "too_long")]


def test_validate_refuses_more_than_30_hashtags():
    assert problems(text=" ".join(f"#t{i}" for i in range(31))) == [("text", "too_many_hashtags")]


def test_validate_names_the_limit_in_the_message():
    [problem] = make_client().validate(Content("a" * 2201, (IMAGE,)))
    assert "2,200" in problem.message


def test_validate_refuses_a_post_without_media():
    assert problems(media=[]) == [("media_urls", "media_required")]


def test_validate_refuses_gifs_and_documents():
    media = [IMAGE, Media(url="https://x/a.gif", kind="gif")]
    assert problems(media=media) == [("media_urls.1", "unsupported_media")]


def test_validate_refuses_a_story_with_two_media():
    assert problems(media=[IMAGE, IMAGE], placement="story") == [("media_urls", "too_many_media")]


def test_validate_refuses_a_reel_without_a_video():
    assert problems(placement="reel") == [("media_urls.0", "video_required")]


def test_validate_refuses_a_carousel_of_more_than_ten_items():
    assert problems(media=[IMAGE] * 11) == [("media_urls", "too_many_media")]


def test_validate_refuses_reel_options_on_an_image():
    assert problems(share_to_feed=True) == [("platform_options.instagram.share_to_feed", "not_applicable")]


def test_validate_refuses_alt_text_on_a_carousel():
    assert problems(media=[IMAGE, IMAGE], alt_text="x") == [("platform_options.instagram.alt_text", "not_applicable")]


def test_validate_refuses_non_jpeg_images():
    assert problems(media=[Media(url="u", kind="image", mime_type="image/png")]) == [
        ("media_urls.0", "unsupported_format")
    ]


def test_validate_refuses_images_over_8_mb():
    assert problems(media=[Media(url="u", kind="image", size_bytes=9 * 1024 * 1024)]) == [
        ("media_urls.0", "too_large")
    ]


def test_validate_refuses_images_outside_320_to_1440_px_wide():
    assert problems(media=[Media(url="u", kind="image", width=2000)]) == [("media_urls.0", "bad_dimensions")]


def test_validate_refuses_feed_images_outside_4_5_to_1_91_1():
    media = [Media(url="u", kind="image", width=1080, height=1920)]
    assert problems(media=media) == [("media_urls.0", "bad_aspect_ratio")]
    assert problems(media=media, placement="story") == []


def test_validate_refuses_reels_shorter_than_3_seconds_or_longer_than_15_minutes():
    assert problems(media=[Media(url="u", kind="video", duration_s=2)]) == [("media_urls.0", "bad_duration")]
    assert problems(media=[Media(url="u", kind="video", duration_s=901)]) == [("media_urls.0", "bad_duration")]


def test_validate_refuses_story_videos_over_60_seconds():
    media = [Media(url="u", kind="video", duration_s=61)]
    assert problems(media=media, placement="story") == [("media_urls.0", "bad_duration")]


def test_validate_refuses_videos_that_are_not_mp4_or_mov_or_too_big():
    media = [Media(url="u", kind="video", mime_type="video/webm", size_bytes=301 * 1024 * 1024, width=3840)]
    assert problems(media=media) == [
        ("media_urls.0", "unsupported_format"),
        ("media_urls.0", "too_large"),
        ("media_urls.0", "bad_dimensions"),
    ]


# --- options serializer ------------------------------------------------------------------------
def options_errors(data):
    serializer = InstagramOptions(data=data)
    serializer.is_valid()
    return serializer.errors


def test_options_accept_every_documented_option():
    data = {
        "text": "Hi",
        "placement": "reel",
        "first_comment": "c",
        "share_to_feed": False,
        "collaborators": ["a", "b", "c"],
        "cover_url": "https://cdn.example.com/c.jpg",
        "thumb_offset_ms": 0,
        "location_id": "110",
    }
    assert options_errors(data) == {}


def test_options_refuse_an_unknown_key():
    assert "firstComent" in options_errors({"firstComent": "x"})


def test_options_refuse_a_placement_in_the_wrong_case():
    assert "placement" in options_errors({"placement": "Reel"})


def test_options_refuse_a_string_for_a_boolean():
    assert "share_to_feed" in options_errors({"share_to_feed": "true"})


def test_options_refuse_more_than_three_collaborators_and_a_negative_offset():
    errors = options_errors({"collaborators": ["a", "b", "c", "d"], "thumb_offset_ms": -1})
    assert set(errors) == {"collaborators", "thumb_offset_ms"}


def test_options_refuse_a_first_comment_on_a_story():
    assert "first_comment" in options_errors({"placement": "story", "first_comment": "x"})


def test_options_refuse_a_first_comment_over_2200_characters():
    assert "first_comment" in options_errors({"first_comment": "x" * 2201})


def test_capabilities_list_the_content_kinds_and_options():
    capabilities = InstagramClient.capabilities
    assert capabilities["content_kinds"] == ["image", "carousel", "reel", "story"]
    assert "first_comment" in capabilities["options"] and "text" not in capabilities["options"]


def test_requests_carry_the_token_only_in_the_authorization_header(rsps):
    rsps.get(f"{API}/{IG}", json={"id": IG, "username": "dravo"})
    make_client().verify()
    assert TOKEN not in urlparse(rsps.calls[0].request.url).query
    assert rsps.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_capabilities_options_match_the_options_serializer():
    assert set(InstagramClient.capabilities["options"]) == set(InstagramOptions().fields) - {"text"}
