"""ThreadsClient against `responses`: exact requests, real-shaped answers, every error class."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

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
from providers.threads.client import ThreadsClient
from providers.threads.rules import ThreadsOptions, text_length

ENDPOINTS = settings.PROVIDER_ENDPOINTS["threads"]
HOST = ENDPOINTS["api_url"]
API = f"{HOST}/{ENDPOINTS['api_version']}"
USER = "17841400000000001"
TOKEN = "THAAtok-secret"
CONTAINER = "17889455560051444"
POST = "18020238422030506"
PERMALINK = "https://www.threads.com/@dravo/post/DAbc123xyz1"
IMAGE = Media(url="https://cdn.example.com/a.jpg", kind="image")
VIDEO = Media(url="https://cdn.example.com/v.mp4", kind="video")
QUOTA = {"quota_usage": 4, "config": {"quota_total": 250, "quota_duration": 86400}}
REPLY_QUOTA = {"reply_quota_usage": 0, "reply_config": {"quota_total": 1000, "quota_duration": 86400}}


def make_client(**extra):
    credentials = {"access_token": TOKEN, "threads_user_id": USER, "username": "dravo", **extra}
    return ThreadsClient(credentials, endpoints=ENDPOINTS, app={"client_id": "cid", "client_secret": "sec"})


def graph_error(code, message="(#100) Invalid parameter", status=400, **extra):
    return {"json": {"error": {"message": message, "type": "OAuthException", "code": code, **extra}}, "status": status}


def query(**params):
    return matchers.query_param_matcher({**params, "access_token": TOKEN})


def form(**params):
    return matchers.urlencoded_params_matcher({**params, "access_token": TOKEN})


def add_quota(rsps, **usage):
    fields = "quota_usage,config,reply_quota_usage,reply_config"
    body = {"data": [{**QUOTA, **REPLY_QUOTA, **usage}]}
    rsps.get(f"{API}/{USER}/threads_publishing_limit", json=body, match=[query(fields=fields)])


def add_create(rsps, container=CONTAINER, **params):
    rsps.post(f"{API}/{USER}/threads", json={"id": container}, match=[form(**params)])


def add_status(rsps, container, *statuses, error=None):
    for status in statuses:
        body = {"status": status, "id": container, **({"error_message": error} if error else {})}
        rsps.get(f"{API}/{container}", json=body, match=[query(fields="status,error_message")])


def add_publish(rsps, container=CONTAINER, post=POST):
    rsps.post(f"{API}/{USER}/threads_publish", json={"id": post}, match=[form(creation_id=container)])


def add_permalink(rsps, post=POST, permalink=PERMALINK):
    body = {"permalink": permalink, "shortcode": permalink[-11:], "timestamp": "2026-12-03T10:00:00+0000", "id": post}
    rsps.get(f"{API}/{post}", json=body, match=[query(fields="permalink,shortcode,timestamp")])


@pytest.fixture
def rsps(fast_polling):
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


# --- verify -------------------------------------------------------------------------------
def test_verify_reads_me_with_the_token_as_access_token(rsps):
    fields = "id,username,name,threads_profile_picture_url"
    rsps.get(f"{API}/me", json={"id": USER, "username": "dravo", "name": "Dravo"}, match=[query(fields=fields)])
    profile = make_client().verify()
    assert (profile.id, profile.handle, profile.name) == (USER, "dravo", "Dravo")
    assert ThreadsClient.profile_credentials(profile) == {"threads_user_id": USER, "username": "dravo"}
    assert len(rsps.calls) == 1


def test_verify_refuses_a_token_of_another_profile_naming_threads_user_id(rsps):
    rsps.get(f"{API}/me", json={"id": "17841400000000999", "username": "other"})
    with pytest.raises(AccountMismatch, match=f"acts as the Threads profile 17841400000000999, not {USER}") as caught:
        make_client().verify()
    assert caught.value.field == "threads_user_id"


@pytest.mark.parametrize(
    "answer,error",
    [
        (graph_error(190, "Error validating access token: Session has expired"), TokenExpired),
        (graph_error(10, "(#10) Application does not have permission for this action"), ReconnectRequired),
        (
            {"json": {"error_message": "user has not accepted the invite", "error_code": 1349245}, "status": 400},
            ReconnectRequired,
        ),
        (graph_error(100, "(#100) Unknown field"), Rejected),
        (graph_error(2, "Service temporarily unavailable", status=503), ProviderUnavailable),
        ({"body": requests.ReadTimeout("timed out")}, ProviderUnavailable),
        (graph_error(4, "Application request limit reached", status=429), RateLimited),
    ],
    ids=["expired 190", "permission 10", "tester invite", "permanent 4xx", "5xx", "timeout", "429"],
)
def test_verify_maps_each_failure(rsps, answer, error):
    rsps.get(f"{API}/me", **answer)
    with pytest.raises(error) as caught:
        make_client().verify()
    assert TOKEN not in str(caught.value)
    assert len(rsps.calls) == 1


# --- publish each kind ---------------------------------------------------------------------
def test_publish_text_checks_the_quota_then_creates_waits_publishes_and_reads_the_permalink(rsps):
    add_quota(rsps)
    add_create(rsps, media_type="TEXT", text="Hello Threads")
    add_status(rsps, CONTAINER, "IN_PROGRESS", "FINISHED")
    add_publish(rsps)
    add_permalink(rsps)
    saved = []
    result = make_client().publish(Content("Hello Threads"), save_checkpoint=saved.append)
    assert (result.platform_post_id, result.url, result.warnings) == (POST, PERMALINK, [])
    assert result.published_at.isoformat() == "2026-12-03T10:00:00+00:00"
    assert saved[0] == {"container_id": CONTAINER}
    assert saved[-1]["post_ids"] == [POST]
    assert len(rsps.calls) == 6


def test_publish_image_with_alt_text_topic_tag_and_reply_control(rsps):
    add_quota(rsps)
    options = {"alt_text": "A dot", "topic_tag": "Dravo", "reply_control": "accounts_you_follow"}
    add_create(rsps, media_type="IMAGE", image_url=IMAGE.url, text="Look", **options)
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    add_permalink(rsps)
    assert make_client().publish(Content("Look", (IMAGE,), options)).platform_post_id == POST


def test_publish_video_without_text(rsps):
    add_quota(rsps)
    add_create(rsps, media_type="VIDEO", video_url=VIDEO.url)
    add_status(rsps, CONTAINER, "IN_PROGRESS", "IN_PROGRESS", "FINISHED")
    add_publish(rsps)
    add_permalink(rsps)
    assert make_client().publish(Content("", (VIDEO,))).url == PERMALINK


def test_publish_carousel_creates_items_waits_for_each_then_the_carousel(rsps):
    add_quota(rsps)
    add_create(rsps, "c1", media_type="IMAGE", image_url=IMAGE.url, is_carousel_item="true")
    add_create(rsps, "c2", media_type="VIDEO", video_url=VIDEO.url, is_carousel_item="true")
    add_status(rsps, "c1", "FINISHED")
    add_status(rsps, "c2", "IN_PROGRESS", "FINISHED")
    add_create(rsps, media_type="CAROUSEL", children="c1,c2", text="Two")
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    add_permalink(rsps)
    saved = []
    make_client().publish(Content("Two", (IMAGE, VIDEO)), save_checkpoint=saved.append)
    assert saved[0] == {"children": ["c1"]} and saved[1]["children"] == ["c1", "c2"]


def test_publish_poll_and_link_attachment_on_a_text_post(rsps):
    add_quota(rsps)
    poll = json.dumps({"option_a": "Yes", "option_b": "No", "option_c": "Maybe"})
    rsps.post(
        f"{API}/{USER}/threads",
        json={"id": CONTAINER},
        match=[form(media_type="TEXT", text="Vote", poll_attachment=poll, quote_post_id="180")],
    )
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    add_permalink(rsps)
    options = {"poll": {"options": ["Yes", "No", "Maybe"]}, "quote_post_id": "180"}
    make_client().publish(Content("Vote", (), options))


def test_publish_link_attachment(rsps):
    add_quota(rsps)
    add_create(rsps, media_type="TEXT", text="Read this", link_attachment="https://dravo.dev/a")
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    add_permalink(rsps)
    make_client().publish(Content("Read this", (), {"link_attachment": "https://dravo.dev/a"}))


def test_a_reply_is_created_with_reply_to_id_and_checks_the_reply_quota(rsps):
    add_quota(rsps, quota_usage=250)  # the post quota is spent, but a reply counts on the reply quota
    add_create(rsps, media_type="TEXT", text="Agreed", reply_to_id="17999")
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps)
    add_permalink(rsps)
    make_client().publish(Content("Agreed", (), {"reply_to_post_id": "17999"}))


def test_a_thread_chains_each_part_as_a_reply_to_the_previous_post(rsps):
    add_quota(rsps)
    add_create(rsps, media_type="TEXT", text="1/3")
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps, post="p1")
    add_create(rsps, "k2", media_type="TEXT", text="2/3", reply_to_id="p1")
    add_status(rsps, "k2", "FINISHED")
    add_publish(rsps, "k2", post="p2")
    add_create(rsps, "k3", media_type="TEXT", text="3/3", reply_to_id="p2")
    add_status(rsps, "k3", "FINISHED")
    add_publish(rsps, "k3", post="p3")
    add_permalink(rsps, post="p1")
    saved = []
    result = make_client().publish(Content("1/3", (), {"thread": ["2/3", "3/3"]}), save_checkpoint=saved.append)
    assert result.platform_post_id == "p1"
    assert saved[-1]["post_ids"] == ["p1", "p2", "p3"]


def test_a_thread_resumes_after_its_last_published_part(rsps):
    add_create(rsps, "k3", media_type="TEXT", text="3/3", reply_to_id="p2")
    add_status(rsps, "k3", "FINISHED")
    add_publish(rsps, "k3", post="p3")
    add_permalink(rsps, post="p1")
    checkpoint = {"post_ids": ["p1", "p2"]}
    result = make_client().publish(Content("1/3", (), {"thread": ["2/3", "3/3"]}), checkpoint=checkpoint)
    assert result.platform_post_id == "p1"


def test_a_refused_thread_part_ends_the_thread_with_a_warning(rsps):
    add_create(rsps, media_type="TEXT", text="1/2")
    add_status(rsps, CONTAINER, "FINISHED")
    add_publish(rsps, post="p1")
    rsps.post(f"{API}/{USER}/threads", **graph_error(100, "We restrict certain activity", error_subcode=2207051))
    add_permalink(rsps, post="p1")
    add_quota(rsps)
    result = make_client().publish(Content("1/2", (), {"thread": ["2/2"]}))
    assert result.platform_post_id == "p1"
    assert "refused post 2 of the thread" in result.warnings[0]


# --- quota, resuming, containers ---------------------------------------------------------------
def test_a_spent_quota_is_rate_limited_before_any_container(rsps):
    add_quota(rsps, quota_usage=250)
    with pytest.raises(RateLimited, match="published 250 of its 250 posts") as caught:
        make_client().publish(Content("One more"))
    assert caught.value.retry_after == 3600
    assert len(rsps.calls) == 1


def test_a_thread_longer_than_the_reply_quota_left_is_rate_limited(rsps):
    add_quota(rsps, reply_quota_usage=999)
    with pytest.raises(RateLimited, match="replies"):
        make_client().publish(Content("1/3", (), {"thread": ["2/3", "3/3"]}))
    assert len(rsps.calls) == 1


def test_a_published_container_is_found_instead_of_published_again(rsps):
    add_status(rsps, CONTAINER, "PUBLISHED")
    listing = {"data": [{"id": "other", "text": "Else"}, {"id": POST, "text": "Once"}]}
    rsps.get(f"{API}/{USER}/threads", json=listing, match=[query(fields="id,text,timestamp", limit="25")])
    add_permalink(rsps)
    result = make_client().publish(Content("Once"), checkpoint={"container_id": CONTAINER})
    assert result.platform_post_id == POST
    assert not [call for call in rsps.calls if "threads_publish" in call.request.url]


def test_an_expired_container_is_made_again(rsps):
    add_status(rsps, CONTAINER, "EXPIRED")
    add_create(rsps, "fresh", media_type="TEXT", text="Late")
    add_status(rsps, "fresh", "FINISHED")
    add_publish(rsps, "fresh")
    add_permalink(rsps)
    assert make_client().publish(Content("Late"), checkpoint={"container_id": CONTAINER}).platform_post_id == POST


def test_publish_before_finished_is_retried_until_it_goes_through(rsps):
    add_quota(rsps)
    add_create(rsps, media_type="TEXT", text="Soon")
    add_status(rsps, CONTAINER, "FINISHED")
    error = graph_error(24, "The requested resource does not exist", error_subcode=4279009)
    rsps.post(f"{API}/{USER}/threads_publish", **error)
    add_publish(rsps)
    add_permalink(rsps)
    assert make_client().publish(Content("Soon")).platform_post_id == POST


def test_a_container_that_never_finishes_is_a_processing_timeout(rsps, settings):
    settings.PROVIDER_POLL_TIMEOUT = 0
    add_quota(rsps)
    add_create(rsps, media_type="VIDEO", video_url=VIDEO.url)
    add_status(rsps, CONTAINER, "IN_PROGRESS")
    saved = []
    with pytest.raises(ProcessingTimeout):
        make_client().publish(Content("", (VIDEO,)), save_checkpoint=saved.append)
    assert saved[-1] == {"container_id": CONTAINER}


@pytest.mark.parametrize(
    "reason,error", [("FAILED_DOWNLOADING_VIDEO", MediaUnavailable), ("INVALID_DURATION", Rejected)]
)
def test_a_container_in_error_maps_its_error_message(rsps, reason, error):
    add_quota(rsps)
    add_create(rsps, media_type="VIDEO", video_url=VIDEO.url)
    add_status(rsps, CONTAINER, "ERROR", error=reason)
    with pytest.raises(error, match=reason):
        make_client().publish(Content("", (VIDEO,)))


@pytest.mark.parametrize(
    "answer,error",
    [
        (graph_error(100, "The media could not be fetched from this URI", error_subcode=2207052), MediaUnavailable),
        (graph_error(100, "Param text must be at most 500 characters long."), Rejected),
        (graph_error(100, "THREADS_API__LINK_LIMIT_EXCEEDED"), Rejected),
        (graph_error(190, "Error validating access token"), TokenExpired),
        (graph_error(1, "An unknown error occurred", is_transient=True), ProviderUnavailable),
        ({"body": "<html>Bad gateway</html>", "status": 502}, ProviderUnavailable),
        ({"body": requests.ConnectTimeout("timed out")}, ProviderUnavailable),
    ],
    ids=["fetch failed", "too long", "links", "expired", "transient", "502", "timeout"],
)
def test_container_creation_maps_each_failure(rsps, answer, error):
    add_quota(rsps)
    rsps.post(f"{API}/{USER}/threads", **answer)
    with pytest.raises(error):
        make_client().publish(Content("Hi", (IMAGE,)))
    assert len(rsps.calls) == 2


def test_a_429_honours_retry_after_and_the_usage_header(rsps):
    add_quota(rsps)
    rsps.post(f"{API}/{USER}/threads", headers={"Retry-After": "120"}, **graph_error(4, "limit", status=429))
    with pytest.raises(RateLimited) as caught:
        make_client().publish(Content("Hi"))
    assert caught.value.retry_after == 120


def test_a_throttled_answer_reads_the_business_use_case_header(rsps):
    usage = json.dumps({USER: [{"type": "threads", "estimated_time_to_regain_access": 7}]})
    rsps.get(f"{API}/me", headers={"X-Business-Use-Case-Usage": usage}, **graph_error(32, "Too many calls"))
    with pytest.raises(RateLimited) as caught:
        make_client().verify()
    assert caught.value.retry_after == 420


# --- reconcile -----------------------------------------------------------------------------------
def test_reconcile_from_a_complete_checkpoint(rsps):
    add_permalink(rsps)
    assert make_client().reconcile(Content("x"), {"post_ids": [POST]}).url == PERMALINK


def test_reconcile_of_a_half_published_thread_is_unknown(rsps):
    assert make_client().reconcile(Content("x", (), {"thread": ["y"]}), {"post_ids": [POST]}) is None
    assert len(rsps.calls) == 0


def test_reconcile_finds_a_published_reply_among_the_replies(rsps):
    rsps.get(f"{API}/{CONTAINER}", json={"status": "PUBLISHED"}, match=[query(fields="status")])
    rsps.get(f"{API}/{USER}/replies", json={"data": [{"id": POST, "text": "Yes"}]})
    add_permalink(rsps)
    found = make_client().reconcile(Content("Yes", (), {"reply_to_post_id": "1"}), {"container_id": CONTAINER})
    assert found.platform_post_id == POST


# --- refresh and long-lived exchange ---------------------------------------------------------------
def test_refresh_calls_th_refresh_token_and_keeps_the_other_credentials(rsps):
    params = matchers.query_param_matcher({"grant_type": "th_refresh_token", "access_token": TOKEN})
    body = {"access_token": "THnew", "token_type": "bearer", "expires_in": 5183944}
    rsps.get(f"{HOST}/refresh_access_token", json=body, match=[params])
    result = make_client().refresh()
    assert result.credentials == {"access_token": "THnew", "threads_user_id": USER, "username": "dravo"}
    lifetime = result.expires_at - datetime.now(UTC)
    assert timedelta(days=59) < lifetime <= timedelta(days=60)


@pytest.mark.parametrize(
    "answer,error",
    [
        (graph_error(190, "Error validating access token: Session has expired"), ReconnectRequired),
        (graph_error(100, "(#100) The token is too young to be refreshed"), Rejected),
        (graph_error(2, "Service unavailable", status=500), ProviderUnavailable),
        ({"json": {"token_type": "bearer"}, "status": 200}, ProviderUnavailable),
    ],
    ids=["expired", "too young", "5xx", "no token"],
)
def test_refresh_failures(rsps, answer, error):
    rsps.get(f"{HOST}/refresh_access_token", **answer)
    with pytest.raises(error):
        make_client().refresh()


def test_exchange_long_lived_sends_the_app_secret(rsps):
    params = matchers.query_param_matcher(
        {"grant_type": "th_exchange_token", "client_secret": "sec", "access_token": TOKEN}
    )
    rsps.get(f"{HOST}/access_token", json={"access_token": "THlong", "expires_in": 5183944}, match=[params])
    assert make_client().exchange_long_lived() == ("THlong", 5183944)


# --- metrics -------------------------------------------------------------------------------------------
def insight(name, value):
    return {"name": name, "period": "lifetime", "values": [{"value": value}], "title": name, "id": f"x/{name}"}


def test_fetch_metrics_reads_the_six_insights_and_normalizes_them(rsps):
    data = [insight(name, n) for n, name in enumerate(("views", "likes", "replies", "reposts", "quotes", "shares"))]
    metric = "views,likes,replies,reposts,quotes,shares"
    rsps.get(f"{API}/{POST}/insights", json={"data": data}, match=[query(metric=metric)])
    result = make_client().fetch_metrics(POST)
    assert result.metrics == {"views": 0, "likes": 1, "replies": 2, "reposts": 3, "quotes": 4, "shares": 5}
    assert result.partial is False
    assert ThreadsClient.normalize_metrics(result.metrics) == {
        "views": 0,
        "likes": 1,
        "comments": 2,
        "shares": 5,
        "clicks": None,
    }


def test_fetch_metrics_of_a_repost_facade_is_partial(rsps):
    rsps.get(f"{API}/{POST}/insights", json={"data": []})
    result = make_client().fetch_metrics(POST)
    assert result.metrics == {} and result.partial is True and "views" in result.warnings[0]


def test_fetch_metrics_of_a_missing_post_is_rejected(rsps):
    rsps.get(f"{API}/{POST}/insights", **graph_error(100, "Object does not exist", error_subcode=33))
    with pytest.raises(Rejected):
        make_client().fetch_metrics(POST)


# --- validate and options ----------------------------------------------------------------------------
def problems(content):
    return [(p.field, p.code) for p in make_client().validate(content)]


def test_text_counts_an_emoji_as_its_utf8_bytes():
    assert text_length("ab") == 2 and text_length("é") == 1 and text_length("👍") == 4
    assert problems(Content("a" * 496 + "👍")) == []
    assert problems(Content("a" * 497 + "👍")) == [("text", "too_long")]


def test_more_than_five_links_are_refused_and_a_repeated_attachment_counts_once():
    five = " ".join(f"https://e.com/{i}" for i in range(5))
    assert problems(Content(five, (), {"link_attachment": "https://e.com/0"})) == []
    assert problems(Content(five, (), {"link_attachment": "https://e.com/9"})) == [("text", "too_many_links")]


def test_media_rules():
    assert problems(Content("", ())) == [("text", "required")]
    gif = Media(url="https://e.com/a.gif", kind="gif")
    assert problems(Content("x", (gif,))) == [("media_urls.0", "unsupported_media")]
    assert ("media_urls", "too_many_media") in problems(Content("x", (IMAGE,) * 21))
    assert problems(Content("x", (IMAGE,) * 20)) == []
    long = Media(url="https://e.com/v.mp4", kind="video", mime_type="video/mp4", duration_s=301)
    assert problems(Content("x", (long,))) == [("media_urls.0", "bad_duration")]


def test_option_combinations():
    poll = {"poll": {"options": ["a", "b"]}}
    assert problems(Content("x", (IMAGE,), poll)) == [("platform_options.threads.poll", "not_applicable")]
    assert problems(Content("x", (IMAGE, IMAGE), {"alt_text": "a"})) == [
        ("platform_options.threads.alt_text", "not_applicable")
    ]
    assert problems(Content("x", (), {"thread": ["", "b" * 501]})) == [
        ("platform_options.threads.thread.0", "required"),
        ("platform_options.threads.thread.1", "too_long"),
    ]


@pytest.mark.parametrize(
    "options,field",
    [
        ({"reply_control": "friends"}, "reply_control"),
        ({"topic_tag": "a.b"}, "topic_tag"),
        ({"topic_tag": "t" * 51}, "topic_tag"),
        ({"poll": {"options": ["only one"]}}, "poll"),
        ({"poll": {"options": ["a", "b"], "duration_minutes": 5}}, "poll"),
        ({"quote_post_id": "abc"}, "quote_post_id"),
        ({"thread": [1]}, "thread"),
        ({"alt_text": True}, "alt_text"),
        ({"poll": {"options": ["a", "b"]}, "link_attachment": "https://e.com"}, "poll"),
        ({"reply_contol": "everyone"}, "reply_contol"),
    ],
)
def test_the_options_schema_refuses(options, field):
    serializer = ThreadsOptions(data=options)
    assert not serializer.is_valid()
    assert field in serializer.errors


def test_the_options_schema_takes_every_option():
    options = {
        "text": "Override",
        "reply_control": "mentioned_only",
        "topic_tag": "Dravo",
        "link_attachment": "https://dravo.dev",
        "thread": ["two"],
        "quote_post_id": "1",
        "reply_to_post_id": "2",
        "alt_text": "alt",
    }
    assert ThreadsOptions(data=options).is_valid()
    assert ThreadsOptions(data={"poll": {"options": ["a", "b", "c", "d"]}}).is_valid()


def test_no_request_carries_the_token_in_a_header(rsps):
    rsps.get(f"{API}/me", json={"id": USER, "username": "dravo"})
    make_client().verify()
    assert "Authorization" not in rsps.calls[0].request.headers
    assert parse_qs(rsps.calls[0].request.url.split("?", 1)[1])["access_token"] == [TOKEN]
