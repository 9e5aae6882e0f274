"""Metrics of Facebook videos and Reels: Video nodes have no `reactions`, `shares` or
`/insights`, so their numbers come from `/{video-id}/video_insights` and the Video node's
`likes`/`comments` edges. Against Graph-shaped answers (responses), then the sandbox."""

import pytest
import requests
import responses
from django.conf import settings
from responses import matchers

from providers import registry
from providers.base import Content, Media
from providers.errors import ProviderUnavailable, RateLimited, ReconnectRequired
from providers.facebook.client import FacebookClient
from sandbox.core import account_id_for

ENDPOINTS = settings.PROVIDER_ENDPOINTS["facebook"]
VERSION = ENDPOINTS["api_version"]
API = f"{ENDPOINTS['api_url']}/{VERSION}"
PAGE = "104857600000001"
VIDEO_ID = "323790578640877"
VIDEO_NODE = "likes.summary(total_count),comments.summary(total_count)"


def make_client() -> FacebookClient:
    credentials = {"access_token": "EAAGpagetoken123", "page_id": PAGE}
    return FacebookClient(credentials, endpoints=ENDPOINTS, app={"client_id": "cid", "client_secret": "sec"})


def insight(name, value, title="Lifetime"):
    return {
        "name": name,
        "period": "lifetime",
        "values": [{"value": value}],
        "title": title,
        "description": f"Lifetime: {name}",
        "id": f"{VIDEO_ID}/video_insights/{name}/lifetime",
    }


VIDEO_INSIGHTS = {
    "data": [
        insight("total_video_views", 89),
        insight("total_video_views_unique", 56),
        insight("total_video_impressions_unique", 140),
        insight("total_video_reactions_by_type_total", {"like": 10, "love": 3, "wow": 1}),
        insight("total_video_stories_by_action_type", {"share": 4, "like": 12, "comment": 5}),
    ]
}
REEL_INSIGHTS = {
    "data": [
        insight("blue_reels_play_count", 1200),
        insight("post_impressions_unique", 900),
        insight("post_video_likes_by_reaction_type", {"REACTION_LIKE": 40, "REACTION_LOVE": 8}),
        insight("post_video_social_actions", {"SHARE": 7, "COMMENT": 9}),
        insight("post_video_avg_time_watched", 5400),
    ]
}


def video_node(likes=12, comments=5):
    return {
        "id": VIDEO_ID,
        "likes": {"data": [], "summary": {"total_count": likes}},
        "comments": {"data": [], "summary": {"order": "ranked", "total_count": comments}},
    }


def graph_error(code, message, status=400, **extra):
    return {"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "Ab1", **extra}}


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def add_node(rsps, **kwargs):
    rsps.get(f"{API}/{VIDEO_ID}", match=[matchers.query_param_matcher({"fields": VIDEO_NODE})], **kwargs)


def test_video_metrics_come_from_video_insights_and_the_video_node(rsps):
    rsps.get(f"{API}/{VIDEO_ID}/video_insights", json=VIDEO_INSIGHTS)
    add_node(rsps, json=video_node())

    result = make_client().fetch_metrics(VIDEO_ID)

    assert result.metrics == {
        "views": 89,
        "reach": 140,
        "post_reactions_by_type_total": 14,
        "likes": 14,  # like a feed post's `likes`: every reaction
        "comments": 5,
        "shares": 4,
    }
    assert result.partial and any("post_clicks" in warning for warning in result.warnings)
    assert len(rsps.calls) == 2
    assert not [call for call in rsps.calls if "reactions" in call.request.url or "/insights" in call.request.url]


def test_reel_metrics_come_from_the_reel_metrics_of_video_insights(rsps):
    rsps.get(f"{API}/{VIDEO_ID}/video_insights", json=REEL_INSIGHTS)
    add_node(rsps, json=video_node(likes=40, comments=9))

    result = make_client().fetch_metrics(VIDEO_ID)

    assert result.metrics == {
        "views": 1200,
        "reach": 900,
        "post_reactions_by_type_total": 48,
        "likes": 48,
        "comments": 9,
        "shares": 7,
    }
    assert FacebookClient.normalize_metrics(result.metrics) == {
        "views": 1200, "likes": 48, "comments": 9, "shares": 7, "clicks": None
    }  # fmt: skip


def test_video_without_insights_keeps_the_node_counts_and_warns(rsps):
    refused = graph_error(100, "(#100) The value must be a valid insights metric")
    rsps.get(f"{API}/{VIDEO_ID}/video_insights", json=refused, status=400)
    add_node(rsps, json=video_node(likes=3, comments=2))

    result = make_client().fetch_metrics(VIDEO_ID)

    assert result.metrics == {"likes": 3, "comments": 2}
    assert result.partial and any("video insights unavailable" in warning for warning in result.warnings)


@pytest.mark.parametrize(
    "status,body,error",
    [
        (400, graph_error(190, "Error validating access token", error_subcode=460), ReconnectRequired),
        (400, graph_error(32, "(#32) Page request limit reached"), RateLimited),
        (503, graph_error(2, "Service temporarily unavailable", is_transient=True), ProviderUnavailable),
    ],
)
def test_video_metrics_map_graph_errors_to_typed_errors(rsps, status, body, error):
    rsps.get(f"{API}/{VIDEO_ID}/video_insights", json=VIDEO_INSIGHTS)
    add_node(rsps, json=body, status=status)

    with pytest.raises(error):
        make_client().fetch_metrics(VIDEO_ID)
    assert len(rsps.calls) == 2


def test_video_metrics_time_out_as_unavailable(rsps):
    rsps.get(f"{API}/{VIDEO_ID}/video_insights", body=requests.exceptions.ConnectTimeout("slow"))

    with pytest.raises(ProviderUnavailable):
        make_client().fetch_metrics(VIDEO_ID)
    assert len(rsps.calls) == 1


def test_feed_posts_still_read_post_insights_and_reactions(rsps):
    post_id = f"{PAGE}_122100000000000001"
    rsps.get(f"{API}/{post_id}/insights", json={"data": [insight("post_clicks", 12)]})
    node = {"id": post_id, "reactions": {"summary": {"total_count": 6}}, "comments": {"summary": {"total_count": 1}}}
    rsps.get(f"{API}/{post_id}", json=node)

    result = make_client().fetch_metrics(post_id)

    assert (result.metrics["post_clicks"], result.metrics["likes"], result.metrics["comments"]) == (12, 6, 1)


# --- the sandbox ------------------------------------------------------------------------------
TOKEN = "sbx_page_video_metrics"


def sandbox_client():
    client = registry.get_client("facebook", {"access_token": TOKEN, "page_id": account_id_for(TOKEN)}, sandbox=True)
    client.verify()
    return client


def sandbox_video(sandbox, **options):
    media = (Media(url=f"{sandbox}/sandbox/files/sample.mp4", kind="video", mime_type="video/mp4"),)
    return sandbox_client().publish(Content(text="Watch this", media=media, options=options))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("options", [{}, {"as_reel": True}], ids=["video", "reel"])
def test_sandbox_video_and_reel_metrics_are_read_from_video_insights(sandbox, options):
    published = sandbox_video(sandbox, **options)

    result = sandbox_client().fetch_metrics(published.platform_post_id)

    assert {"views", "reach", "likes", "comments", "shares", "post_reactions_by_type_total"} <= set(result.metrics)
    assert all(isinstance(value, int) and value > 0 for value in result.metrics.values())
    assert not any("unavailable" in warning for warning in result.warnings)


@pytest.mark.django_db(transaction=True)
def test_sandbox_refuses_reactions_on_a_video_node_like_graph(sandbox):
    video_id = sandbox_video(sandbox).platform_post_id

    answer = requests.get(
        f"{sandbox}/sandbox/facebook/{VERSION}/{video_id}",
        params={"fields": "reactions.summary(total_count),comments.summary(total_count),shares"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    )

    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == 100
    assert error["message"] == "(#100) Tried accessing nonexisting field (reactions) on node type (Video)"


@pytest.mark.django_db(transaction=True)
def test_sandbox_answers_video_insights_only_for_videos(sandbox):
    post_id = sandbox_client().publish(Content(text="Just words")).platform_post_id
    video_id = sandbox_video(sandbox).platform_post_id
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    graph = f"{sandbox}/sandbox/facebook/{VERSION}"

    on_video = requests.get(f"{graph}/{video_id}/video_insights", headers=bearer, timeout=5)
    on_post = requests.get(f"{graph}/{post_id}/video_insights", headers=bearer, timeout=5)

    assert on_video.status_code == 200
    assert "total_video_views" in {item["name"] for item in on_video.json()["data"]}
    assert on_post.status_code == 400 and "nonexisting field (video_insights)" in on_post.json()["error"]["message"]
