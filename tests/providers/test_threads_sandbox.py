"""ThreadsClient walked through the Threads sandbox over real HTTP (live_server)."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

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
    TokenExpired,
)
from sandbox import threads as sandbox_threads
from sandbox.models import SandboxRecord

pytestmark = pytest.mark.django_db(transaction=True)
USER = "17841400000000123"
VERSION = "v1.0"


def client(behavior="ok", *, token="sbx-th-tok-1", user_id=USER):
    credentials = {"access_token": token, "threads_user_id": user_id, "sandbox": {"behavior": behavior}}
    return registry.get_client("threads", credentials, sandbox=True)


def connected(behavior="ok", token="sbx-th-tok-1"):
    """A client whose token the sandbox has bound to USER (a BYOK connect's verify())."""
    client(token=token).verify()
    return client(behavior, token=token)


def image(sandbox, name="sample.jpg"):
    return Media(url=f"{sandbox}/sandbox/files/{name}", kind="image")


def video(sandbox, name="sample.mp4"):
    return Media(url=f"{sandbox}/sandbox/files/{name}", kind="video")


def graph(sandbox, path):
    return f"{sandbox}/sandbox/threads/{VERSION}{path}"


def posts():
    return SandboxRecord.objects.filter(network="threads", kind="post")


# --- connect (BYOK verify) ----------------------------------------------------------------------
def test_verify_binds_a_new_token_to_the_named_profile(sandbox):
    profile = client().verify()
    assert (profile.id, profile.handle) == (USER, f"sandbox_{USER[-6:]}")


def test_verify_refuses_a_token_bound_to_another_profile(sandbox):
    client().verify()
    with pytest.raises(AccountMismatch) as caught:
        client(user_id="17841400000000999").verify()
    assert caught.value.field == "threads_user_id"


def test_verify_of_an_invalid_token_is_token_expired(sandbox):
    with pytest.raises(TokenExpired, match="Invalid OAuth access token"):
        client(token="invalid-token").verify()


# --- publish each kind ------------------------------------------------------------------------------
def test_publish_text_with_topic_tag_and_reply_control(sandbox):
    options = {"topic_tag": "Dravo", "reply_control": "followers_only"}
    result = connected().publish(Content("Hello Threads 👋", (), options))
    assert len(result.platform_post_id) == 17 and result.platform_post_id.isdigit()
    assert result.url.startswith(f"{sandbox}/sandbox/threads/@sandbox_{USER[-6:]}/post/")
    assert abs(result.published_at - datetime.now(UTC)) < timedelta(minutes=1)
    post = posts().get()
    assert (post.owner, post.data["media_type"], post.data["topic_tag"]) == (USER, "TEXT_POST", "Dravo")
    page = requests.get(result.url, timeout=5)
    assert page.status_code == 200 and "Hello Threads 👋" in page.text and "on Threads" in page.text


def test_publish_image_with_alt_text_shows_it_on_the_post_page(sandbox):
    result = connected().publish(Content("Look", (image(sandbox),), {"alt_text": "A dot"}))
    page = requests.get(result.url, timeout=5)
    assert f'<img src="{image(sandbox).url}"' in page.text
    assert posts().get().data["media_type"] == "IMAGE"


def test_publish_video(sandbox):
    connected().publish(Content("", (video(sandbox),)))
    assert posts().get().data["media_type"] == "VIDEO"


def test_publish_carousel_of_images_and_a_video(sandbox):
    connected().publish(Content("Three", (image(sandbox), image(sandbox, "sample.png"), video(sandbox))))
    assert posts().get().data["media_type"] == "CAROUSEL_ALBUM"
    assert SandboxRecord.objects.filter(kind="container", data__is_carousel_item=True).count() == 3


def test_publish_poll_link_and_quote(sandbox):
    quoted = connected().publish(Content("Quote me")).platform_post_id
    poll = {"poll": {"options": ["Yes", "No"]}, "quote_post_id": quoted}
    connected().publish(Content("Vote", (), poll))
    connected().publish(Content("Read", (), {"link_attachment": "https://dravo.dev/"}))
    assert posts().get(data__text="Vote").data["quote"] == quoted
    container = SandboxRecord.objects.get(kind="container", data__text="Vote")
    assert container.data["poll_attachment"] == '{"option_a": "Yes", "option_b": "No"}'


def test_publish_a_thread_chains_replies_and_a_reply_to_another_post(sandbox):
    result = connected().publish(Content("1/3", (), {"thread": ["2/3", "3/3"]}))
    chain = {post.data["text"]: post for post in posts()}
    assert chain["2/3"].data["reply_to"] == result.platform_post_id
    assert chain["3/3"].data["reply_to"] == chain["2/3"].object_id
    connected().publish(Content("Agreed", (), {"reply_to_post_id": chain["3/3"].object_id}))
    assert posts().get(data__text="Agreed").data["reply_to"] == chain["3/3"].object_id


# --- enforced rules -------------------------------------------------------------------------------------
def test_publishing_a_container_before_it_finished_answers_24_4279009(sandbox):
    created = requests.post(
        graph(sandbox, "/me/threads"), data={"media_type": "TEXT", "text": "Soon", "access_token": "t1"}
    )
    published = requests.post(
        graph(sandbox, "/me/threads_publish"), data={"creation_id": created.json()["id"], "access_token": "t1"}
    )
    assert published.status_code == 400
    assert (published.json()["error"]["code"], published.json()["error"]["error_subcode"]) == (24, 4279009)


def test_text_over_500_counting_emoji_bytes_is_refused_by_the_sandbox(sandbox):
    answer = requests.post(
        graph(sandbox, "/me/threads"), data={"media_type": "TEXT", "text": "a" * 497 + "👍", "access_token": "t2"}
    )
    assert answer.status_code == 400 and "500" in answer.json()["error"]["message"]


def test_more_than_five_links_are_refused_by_the_sandbox(sandbox):
    text = " ".join(f"https://e.com/{i}" for i in range(6))
    answer = requests.post(
        graph(sandbox, "/me/threads"), data={"media_type": "TEXT", "text": text, "access_token": "t"}
    )
    assert answer.json()["error"]["message"] == "THREADS_API__LINK_LIMIT_EXCEEDED"


def test_a_poll_on_an_image_is_refused_by_the_sandbox(sandbox):
    data = {
        "media_type": "IMAGE",
        "image_url": image(sandbox).url,
        "poll_attachment": '{"option_a":"a","option_b":"b"}',
    }
    answer = requests.post(graph(sandbox, "/me/threads"), data={**data, "access_token": "t3"})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == 100


def test_a_carousel_needs_two_to_twenty_items(sandbox):
    answer = requests.post(
        graph(sandbox, "/me/threads"), data={"media_type": "CAROUSEL", "children": "1", "access_token": "t4"}
    )
    assert "2 to 20" in answer.json()["error"]["message"]


def test_an_image_that_cannot_be_fetched_is_media_unavailable(sandbox):
    with pytest.raises(MediaUnavailable, match="could not be fetched"):
        connected().publish(Content("Missing", (image(sandbox, "missing.jpg"),)))


def test_a_video_that_cannot_be_downloaded_is_media_unavailable(sandbox):
    with pytest.raises(MediaUnavailable, match="FAILED_DOWNLOADING_VIDEO"):
        connected().publish(Content("Missing", (video(sandbox, "missing.mp4"),)))


def test_an_image_sent_as_a_video_is_rejected(sandbox):
    with pytest.raises(Rejected, match="FAILED_PROCESSING_VIDEO"):
        connected().publish(Content("Not a video", (video(sandbox, "sample.jpg"),)))


def test_a_published_container_is_never_published_twice(sandbox):
    saved = []
    first = connected().publish(Content("Once"), save_checkpoint=saved.append)
    crashed = {"container_id": saved[0]["container_id"]}
    again = connected().publish(Content("Once"), checkpoint=crashed)
    assert again.platform_post_id == first.platform_post_id
    assert posts().count() == 1
    found = connected().reconcile(Content("Once"), crashed)
    assert found.platform_post_id == first.platform_post_id


def test_the_publishing_quota_is_read_and_honoured_before_posting(sandbox, monkeypatch):
    monkeypatch.setattr(sandbox_threads, "QUOTA_TOTAL", 1)
    connected().publish(Content("One"))
    with pytest.raises(RateLimited, match="1 of its 1 posts"):
        connected().publish(Content("Two"))
    assert posts().count() == 1
    assert SandboxRecord.objects.filter(kind="container").count() == 1  # none made for the refused post
    usage = requests.get(
        graph(sandbox, f"/{USER}/threads_publishing_limit"),
        params={"fields": "quota_usage,config", "access_token": "sbx-th-tok-1"},
    ).json()
    assert usage == {"data": [{"quota_usage": 1, "config": {"quota_total": 1, "quota_duration": 86400}}]}


# --- behaviours ------------------------------------------------------------------------------------------
def test_rate_limited_behavior_refuses_the_first_attempt_then_publishes(sandbox):
    connected()
    with pytest.raises(RateLimited) as caught:
        client("rate_limited").publish(Content("Throttled"))
    assert caught.value.retry_after == 1
    assert client("rate_limited").publish(Content("Throttled")).platform_post_id
    assert posts().count() == 1


def test_flaky_behavior_fails_the_first_attempt_then_publishes(sandbox):
    connected()
    with pytest.raises(ProviderUnavailable):
        client("flaky").publish(Content("Flaky"))
    assert client("flaky").publish(Content("Flaky")).platform_post_id


def test_token_expired_behavior_fails_publish_and_refresh(sandbox):
    connected()
    expired = client("token_expired")
    with pytest.raises(TokenExpired):
        expired.publish(Content("Expired"))
    with pytest.raises(ReconnectRequired):
        expired.refresh()


def test_rejects_behavior_refuses_every_post(sandbox):
    connected()
    for _ in range(2):
        with pytest.raises(Rejected, match="refuses every post"):
            client("rejects").publish(Content("No"))
    assert posts().count() == 0


def test_slow_behavior_still_publishes(sandbox):
    credentials = {
        "access_token": "sbx-slow",
        "threads_user_id": USER,
        "sandbox": {"behavior": "slow", "latency_ms": 5},
    }
    assert registry.get_client("threads", credentials, sandbox=True).publish(Content("Slow")).platform_post_id


# --- refresh and metrics ------------------------------------------------------------------------------------
def test_refresh_returns_a_new_60_day_token_for_the_same_profile(sandbox):
    connected()
    result = client().refresh()
    assert result.credentials["access_token"].startswith("sbx_th_")
    assert result.expires_at > datetime.now(UTC) + timedelta(days=59)
    assert client(token=result.credentials["access_token"]).verify().id == USER


def test_a_long_lived_token_younger_than_24_hours_is_not_refreshed(sandbox):
    fresh = client().refresh().credentials["access_token"]
    with pytest.raises(Rejected, match="24 hours"):
        client(token=fresh).refresh()


def test_fetch_metrics_returns_the_six_insights_that_do_not_shrink(sandbox):
    post_id = connected().publish(Content("Metrics")).platform_post_id
    first, second = connected().fetch_metrics(post_id), connected().fetch_metrics(post_id)
    keys = {"views", "likes", "replies", "reposts", "quotes", "shares"}
    assert set(first.metrics) == keys and first.partial is False
    assert all(second.metrics[key] >= first.metrics[key] >= 0 for key in keys)


# --- OAuth -------------------------------------------------------------------------------------------------------
def test_consent_code_short_token_long_token_and_verify(sandbox):
    redirect_uri = f"{sandbox}/sandbox/files/sample.png"
    params = {
        "client_id": "dravo-sandbox",
        "redirect_uri": redirect_uri,
        "scope": "threads_basic,threads_content_publish",
        "response_type": "code",
        "state": "st-1",
    }
    page = requests.get(f"{sandbox}/sandbox/threads/oauth/authorize", params=params)
    assert page.status_code == 200 and "threads_content_publish" in page.text and "Allow" in page.text
    landed = requests.post(f"{sandbox}/sandbox/threads/oauth/authorize", data={**params, "decision": "allow"})
    query = parse_qs(urlparse(landed.url).query)
    assert query["state"] == ["st-1"]
    form = {
        "client_id": "dravo-sandbox",
        "client_secret": "dravo-sandbox-secret",
        "grant_type": "authorization_code",
        "redirect_uri": redirect_uri,
        "code": query["code"][0],
    }
    short = requests.post(f"{sandbox}/sandbox/threads/oauth/access_token", data=form).json()
    reused = requests.post(f"{sandbox}/sandbox/threads/oauth/access_token", data=form)
    assert reused.status_code == 400
    long_lived, expires_in = client(token=short["access_token"], user_id="").exchange_long_lived()
    assert expires_in == 5_184_000
    profile = client(token=long_lived, user_id="").verify()
    assert profile.id == str(short["user_id"])


def test_denying_consent_redirects_with_access_denied(sandbox):
    params = {"client_id": "dravo-sandbox", "redirect_uri": f"{sandbox}/x", "response_type": "code", "state": "s"}
    answer = requests.post(
        f"{sandbox}/sandbox/threads/oauth/authorize", data={**params, "decision": "deny"}, allow_redirects=False
    )
    assert answer.status_code == 302 and "error=access_denied" in answer.headers["Location"]


def test_consent_of_an_unknown_app_is_refused(sandbox):
    answer = requests.get(
        f"{sandbox}/sandbox/threads/oauth/authorize",
        params={"client_id": "meta-app", "redirect_uri": sandbox, "response_type": "code"},
    )
    assert answer.status_code == 400 and answer.json()["error_code"] == 1349026
