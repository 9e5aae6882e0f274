"""InstagramClient walked through the Instagram sandbox over real HTTP (live_server)."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from providers import registry
from providers.base import Content, Media
from providers.errors import (
    MediaUnavailable,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from sandbox import instagram as sandbox_instagram
from sandbox.models import SandboxRecord

pytestmark = pytest.mark.django_db(transaction=True)
IG = "17841405822304914"
VERSION = "v25.0"


def client(behavior=None, *, token="sbx-tok-1", login="facebook", ig_user_id=IG):
    credentials = {"access_token": token, "ig_user_id": ig_user_id, "login": login}
    if behavior:
        credentials["sandbox"] = {"behavior": behavior}
    return registry.get_client("instagram", credentials, sandbox=True)


def image(sandbox, name="sample.jpg"):
    return Media(url=f"{sandbox}/sandbox/files/{name}", kind="image")


def video(sandbox):
    return Media(url=f"{sandbox}/sandbox/files/sample.mp4", kind="video")


def graph(sandbox, path):
    return f"{sandbox}/sandbox/instagram/{VERSION}{path}"


def posts():
    return SandboxRecord.objects.filter(network="instagram", kind="post")


# --- verify --------------------------------------------------------------------------------------
def test_verify_returns_the_ig_account(sandbox):
    profile = client().verify()
    assert (profile.id, profile.handle) == (IG, f"sandbox_{IG[-6:]}")


def test_verify_of_an_invalid_facebook_login_token_requires_a_reconnect(sandbox):
    with pytest.raises(ReconnectRequired, match="Invalid OAuth access token"):
        client(token="invalid-token").verify()


def test_verify_of_an_invalid_instagram_login_token_is_token_expired(sandbox):
    with pytest.raises(TokenExpired):
        client(token="invalid-token", login="instagram").verify()


# --- publish each kind ---------------------------------------------------------------------------
def test_publish_image_with_first_comment(sandbox):
    content = Content("Hello #dravo", (image(sandbox),), {"first_comment": "First!", "alt_text": "A dot"})
    result = client().publish(content)
    assert len(result.platform_post_id) == 17 and result.platform_post_id.isdigit()
    assert result.url.startswith(f"{sandbox}/sandbox/instagram/p/")
    assert result.warnings == []
    assert abs(result.published_at - datetime.now(UTC)) < timedelta(minutes=1)
    comment = SandboxRecord.objects.get(network="instagram", kind="comment")
    assert comment.data == {"media_id": result.platform_post_id, "text": "First!"}


def test_publish_carousel_of_an_image_and_a_video(sandbox):
    result = client().publish(Content("Two", (image(sandbox), video(sandbox))))
    post = posts().get(object_id=result.platform_post_id)
    assert post.data["media_type"] == "CAROUSEL_ALBUM"
    assert SandboxRecord.objects.filter(kind="container", data__is_carousel_item=True).count() == 2


def test_publish_video_in_feed_becomes_a_reel(sandbox):
    result = client().publish(Content("A reel", (video(sandbox),), {"thumb_offset_ms": 500}))
    assert "/reel/" in result.url
    assert posts().get().data["product"] == "REELS"


def test_publish_story(sandbox):
    result = client().publish(Content("", (image(sandbox),), {"placement": "story"}))
    assert result.url == f"{sandbox}/sandbox/instagram/stories/sandbox_{IG[-6:]}/{result.platform_post_id}/"


def test_publish_with_collaborators_and_location(sandbox):
    options = {"collaborators": ["ann", "bob"], "location_id": "110"}
    result = client().publish(Content("Collab", (image(sandbox),), options))
    container = SandboxRecord.objects.get(kind="container", data__media_id=result.platform_post_id)
    assert (container.data["collaborators"], container.data["location_id"]) == ('["ann", "bob"]', "110")


# --- enforced rules -------------------------------------------------------------------------------
def test_media_publish_before_the_container_finished_answers_9007(sandbox):
    headers = {"Authorization": "Bearer sbx-tok-1"}
    created = requests.post(graph(sandbox, f"/{IG}/media"), data={"image_url": image(sandbox).url}, headers=headers)
    published = requests.post(
        graph(sandbox, f"/{IG}/media_publish"), data={"creation_id": created.json()["id"]}, headers=headers
    )
    assert published.status_code == 400
    assert published.json()["error"]["code"] == 9007
    assert published.json()["error"]["error_subcode"] == 2207027


def test_a_container_reads_published_after_publishing_and_is_never_published_twice(sandbox):
    saved = []
    first = client().publish(Content("Once", (image(sandbox),)), save_checkpoint=saved.append)
    crashed = {key: value for key, value in saved[-1].items() if key != "media_id"}
    again = client().publish(Content("Once", (image(sandbox),)), checkpoint=crashed)
    assert again.platform_post_id == first.platform_post_id
    assert posts().count() == 1


def test_reconcile_finds_the_live_post_of_a_published_container(sandbox):
    saved = []
    first = client().publish(Content("Find me", (image(sandbox),)), save_checkpoint=saved.append)
    found = client().reconcile(Content("Find me", ()), {"container_id": saved[-1]["container_id"], "kind": "image"})
    assert (found.platform_post_id, found.url) == (first.platform_post_id, first.url)


def test_a_carousel_needs_two_to_ten_carousel_items(sandbox):
    headers = {"Authorization": "Bearer sbx-tok-1"}
    answer = requests.post(
        graph(sandbox, f"/{IG}/media"), data={"media_type": "CAROUSEL", "children": "1"}, headers=headers
    )
    assert answer.status_code == 400
    assert "2 to 10" in answer.json()["error"]["message"]


def test_a_reel_of_an_image_is_rejected(sandbox):
    with pytest.raises(Rejected, match="2207026"):
        client().publish(Content("Not a video", (Media(url=image(sandbox).url, kind="video"),), {"placement": "reel"}))


def test_media_that_cannot_be_fetched_is_media_unavailable(sandbox):
    with pytest.raises(MediaUnavailable, match="2207052"):
        client().publish(Content("Missing", (image(sandbox, "missing.jpg"),)))


def test_the_daily_publishing_quota_answers_rate_limited(sandbox, monkeypatch):
    monkeypatch.setattr(sandbox_instagram, "QUOTA_TOTAL", 1)
    client().publish(Content("One", (image(sandbox),)))
    with pytest.raises(RateLimited):
        client().publish(Content("Two", (image(sandbox),)))
    assert posts().count() == 1


# --- behaviours --------------------------------------------------------------------------------------
def test_rate_limited_behavior_refuses_the_first_attempt_then_publishes(sandbox):
    content = Content("Throttled", (image(sandbox),))
    with pytest.raises(RateLimited) as excinfo:
        client("rate_limited").publish(content)
    assert excinfo.value.retry_after == 1
    assert client("rate_limited").publish(content).platform_post_id


def test_flaky_behavior_fails_the_first_attempt_then_publishes(sandbox):
    content = Content("Flaky", (image(sandbox),))
    with pytest.raises(ProviderUnavailable):
        client("flaky").publish(content)
    assert client("flaky").publish(content).platform_post_id
    assert posts().count() == 1


def test_rate_limited_carousel_resumes_from_its_saved_children(sandbox):
    saved = []
    content = Content("Carousel", (image(sandbox), image(sandbox)))
    with pytest.raises(RateLimited):
        client("rate_limited").publish(content, save_checkpoint=saved.append)
    client("rate_limited").publish(content, checkpoint=saved[-1])
    assert SandboxRecord.objects.filter(kind="container", data__is_carousel_item=True).count() == 2


def test_token_expired_behavior_fails_publish_and_refresh(sandbox):
    expired = client("token_expired", login="instagram")
    with pytest.raises(TokenExpired):
        expired.publish(Content("Expired", (image(sandbox),)))
    with pytest.raises(ReconnectRequired):
        expired.refresh()
    with pytest.raises(ReconnectRequired):
        client("token_expired").refresh()


def test_rejects_behavior_refuses_every_post(sandbox):
    for _ in range(2):
        with pytest.raises(Rejected, match="refuses every post"):
            client("rejects").publish(Content("No", (image(sandbox),)))
    assert posts().count() == 0


# --- refresh and metrics --------------------------------------------------------------------------------
def test_refresh_of_a_facebook_login_token_returns_a_new_60_day_token(sandbox):
    result = client().refresh()
    assert result.credentials["access_token"].startswith("sbx_")
    assert result.credentials["ig_user_id"] == IG
    assert result.expires_at > datetime.now(UTC) + timedelta(days=59)


def test_refresh_of_an_instagram_login_token_returns_a_new_token(sandbox):
    result = client(login="instagram").refresh()
    assert result.credentials["access_token"].startswith("sbx_")
    assert result.credentials["login"] == "instagram"


def test_fetch_metrics_returns_the_documented_keys_that_do_not_shrink(sandbox):
    media_id = client().publish(Content("Metrics", (image(sandbox),))).platform_post_id
    first = client().fetch_metrics(media_id)
    second = client().fetch_metrics(media_id)
    keys = {"views", "reach", "likes", "comments", "shares", "saved", "total_interactions"}
    assert set(first.metrics) == keys and first.partial is False
    assert all(second.metrics[key] >= first.metrics[key] >= 0 for key in keys)


def test_fetch_metrics_of_a_story_is_partial(sandbox):
    media_id = client().publish(Content("", (image(sandbox),), {"placement": "story"})).platform_post_id
    result = client().fetch_metrics(media_id)
    assert set(result.metrics) == {"views", "reach", "shares", "total_interactions"}
    assert result.partial is True and result.warnings


# --- OAuth ---------------------------------------------------------------------------------------------
def consent_and_allow(url, redirect_uri, login_params):
    params = {"client_id": "dravo-sandbox", "redirect_uri": redirect_uri, "state": "st-1", **login_params}
    page = requests.get(url, params=params)
    assert page.status_code == 200
    assert "dravo-sandbox" in page.text and '<button type="submit"' in page.text
    assert "Allow" in page.text and "Deny" in page.text
    landed = requests.post(url, data={**params, "decision": "allow"})
    query = parse_qs(urlparse(landed.url).query)
    assert landed.status_code == 200 and landed.url.startswith(redirect_uri)
    assert query["state"] == ["st-1"] and query["code"][0].startswith("sbx_")
    return query["code"][0]


def test_facebook_login_consent_code_exchange_and_page_listing(sandbox):
    redirect_uri = f"{sandbox}/sandbox/files/sample.png"
    scope = {"scope": "instagram_basic,instagram_content_publish", "response_type": "code"}
    code = consent_and_allow(f"{sandbox}/sandbox/instagram/{VERSION}/dialog/oauth", redirect_uri, scope)
    exchange = {"client_id": "dravo-sandbox", "client_secret": "dravo-sandbox-secret", "redirect_uri": redirect_uri}
    short = requests.get(graph(sandbox, "/oauth/access_token"), params={**exchange, "code": code}).json()
    reused = requests.get(graph(sandbox, "/oauth/access_token"), params={**exchange, "code": code})
    assert reused.status_code == 400 and reused.json()["error"]["code"] == 100
    long = requests.get(
        graph(sandbox, "/oauth/access_token"),
        params={**exchange, "grant_type": "fb_exchange_token", "fb_exchange_token": short["access_token"]},
    ).json()
    assert long["expires_in"] > 5_000_000
    pages = requests.get(graph(sandbox, "/me/accounts"), headers={"Authorization": f"Bearer {long['access_token']}"})
    ig_user_id = pages.json()["data"][0]["instagram_business_account"]["id"]
    assert client(token=long["access_token"], ig_user_id=ig_user_id).verify().id == ig_user_id


def test_instagram_login_consent_code_exchange_and_long_lived_token(sandbox):
    redirect_uri = f"{sandbox}/sandbox/files/sample.png?from=ig"
    code = consent_and_allow(f"{sandbox}/sandbox/instagram/oauth/authorize", redirect_uri, {"response_type": "code"})
    form = {
        "client_id": "dravo-sandbox",
        "client_secret": "dravo-sandbox-secret",
        "grant_type": "authorization_code",
        "redirect_uri": redirect_uri,
        "code": code,
    }
    short = requests.post(f"{sandbox}/sandbox/instagram/oauth/access_token", data=form).json()
    long = requests.get(
        f"{sandbox}/sandbox/instagram/access_token",
        params={"grant_type": "ig_exchange_token", "client_secret": "dravo-sandbox-secret", **short},
    ).json()
    profile = client(token=long["access_token"], login="instagram", ig_user_id="").verify()
    assert profile.id == str(short["user_id"])


def test_denying_consent_redirects_with_access_denied(sandbox):
    redirect_uri = f"{sandbox}/sandbox/files/sample.png"
    params = {"client_id": "dravo-sandbox", "redirect_uri": redirect_uri, "state": "st-2", "decision": "deny"}
    answer = requests.post(f"{sandbox}/sandbox/instagram/oauth/authorize", data=params, allow_redirects=False)
    query = parse_qs(urlparse(answer.headers["Location"]).query)
    assert answer.status_code == 302
    assert (query["error"], query["state"]) == (["access_denied"], ["st-2"])


def test_consent_of_an_unknown_app_is_refused(sandbox):
    answer = requests.get(
        f"{sandbox}/sandbox/instagram/{VERSION}/dialog/oauth", params={"client_id": "other", "redirect_uri": sandbox}
    )
    assert answer.status_code == 400
