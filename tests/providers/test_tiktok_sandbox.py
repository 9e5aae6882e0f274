"""TikTokClient walked through the TikTok sandbox over real HTTP (live_server)."""

from urllib.parse import parse_qs, urlsplit

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
from sandbox.core import REJECT_REASON
from sandbox.models import SandboxRecord

pytestmark = pytest.mark.django_db(transaction=True)
PUBLIC = {"privacy_level": "PUBLIC_TO_EVERYONE"}


def client(token="tok-creator", behavior=None, **extra):
    credentials = {"access_token": token, "refresh_token": f"rft-{token}", **extra}
    if behavior:
        credentials["sandbox"] = {"behavior": behavior}
    return registry.get_client("tiktok", credentials, sandbox=True)


def video(sandbox, name="sample.mp4"):
    return (Media(url=f"{sandbox}/sandbox/files/{name}", kind="video"),)


def photos(sandbox, *names):
    return tuple(Media(url=f"{sandbox}/sandbox/files/{name}", kind="image") for name in names)


def publishes():
    return SandboxRecord.objects.filter(network="tiktok", kind="publish").count()


# --- verify ----------------------------------------------------------------------------
def test_verify_returns_the_sandbox_user_of_the_token(sandbox):
    profile = client().verify()

    assert profile.id.startswith("sbx_open_")
    assert profile.handle.startswith("sandbox_")


def test_verify_of_an_invalid_token_is_token_expired(sandbox):
    with pytest.raises(TokenExpired, match="access_token_invalid"):
        client("invalid-token").verify()


# --- publishing ------------------------------------------------------------------------
def test_video_post_is_published_and_its_public_page_exists(sandbox):
    tiktok = client()

    result = tiktok.publish(Content(text="Launch day #dravo", media=video(sandbox), options=PUBLIC))

    username = tiktok.verify().handle
    assert len(result.platform_post_id) == 19 and result.platform_post_id.isdigit()
    assert result.url == f"{sandbox}/sandbox/tiktok/@{username}/video/{result.platform_post_id}"
    page = requests.get(result.url, timeout=5)
    assert page.status_code == 200 and "Launch day #dravo" in page.text


def test_photo_post_is_published_with_its_title(sandbox):
    content = Content(
        text="Our week in photos",
        media=photos(sandbox, "sample.jpg", "sample.jpg"),
        options={**PUBLIC, "title": "Our week", "auto_add_music": True},
    )

    result = client(username="dravo").publish(content)

    post = SandboxRecord.objects.get(network="tiktok", kind="post", object_id=result.platform_post_id)
    assert post.data["media_type"] == "PHOTO"
    assert (post.data["title"], post.data["text"]) == ("Our week", "Our week in photos")
    assert result.url.endswith(f"/sandbox/tiktok/@dravo/video/{result.platform_post_id}")


def test_publish_resumed_from_its_checkpoint_does_not_post_twice(sandbox):
    saved = []
    content = Content(text="once only", media=video(sandbox), options=PUBLIC)
    first = client().publish(content, save_checkpoint=saved.append)

    again = client().publish(content, checkpoint=saved[0])

    assert saved[0]["publish_id"].startswith("v_pub_url~v2-1.")
    assert again.platform_post_id == first.platform_post_id
    assert publishes() == 1


def test_reconcile_finds_the_post_of_a_completed_publish_id(sandbox):
    saved = []
    result = client().publish(Content(text="hi", media=video(sandbox), options=PUBLIC), save_checkpoint=saved.append)

    found = client().reconcile(Content(text="hi"), saved[0])

    assert found.platform_post_id == result.platform_post_id


def test_a_private_account_is_refused_public_posts_before_anything_is_posted(sandbox):
    with pytest.raises(Rejected, match="creator_info allows SELF_ONLY"):
        client("tok-private").publish(Content(text="hi", media=video(sandbox), options=PUBLIC))

    assert publishes() == 0


def test_a_private_account_may_post_privately(sandbox):
    result = client("tok-private").publish(
        Content(text="hi", media=video(sandbox), options={"privacy_level": "SELF_ONLY"})
    )

    assert result.platform_post_id.isdigit()


def test_sandbox_enforces_creator_privacy_options_at_init(sandbox):
    body = {
        "post_info": {"title": "hi", "privacy_level": "PUBLIC_TO_EVERYONE", "disable_stitch": True},
        "source_info": {"source": "PULL_FROM_URL", "video_url": f"{sandbox}/sandbox/files/sample.mp4"},
    }

    response = requests.post(
        f"{sandbox}/sandbox/tiktok/v2/post/publish/video/init/",
        json=body,
        timeout=5,
        headers={"Authorization": "Bearer tok-private"},
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "privacy_level_option_mismatch"


def test_sandbox_walks_the_status_from_processing_to_complete(sandbox):
    headers = {"Authorization": "Bearer tok-walk"}
    api = f"{sandbox}/sandbox/tiktok/v2/post/publish"
    body = {
        "post_info": {"title": "hi", "privacy_level": "SELF_ONLY", "disable_stitch": True},
        "source_info": {"source": "PULL_FROM_URL", "video_url": f"{sandbox}/sandbox/files/sample.mp4"},
    }
    init = requests.post(f"{api}/video/init/", json=body, headers=headers, timeout=5).json()
    publish_id = {"publish_id": init["data"]["publish_id"]}

    first = requests.post(f"{api}/status/fetch/", json=publish_id, headers=headers, timeout=5).json()
    second = requests.post(f"{api}/status/fetch/", json=publish_id, headers=headers, timeout=5).json()

    assert init["error"]["code"] == "ok"
    assert first["data"]["status"] == "PROCESSING_DOWNLOAD"
    assert second["data"]["status"] == "PUBLISH_COMPLETE"
    assert len(str(second["data"]["publicaly_available_post_id"][0])) == 19


def test_a_video_the_sandbox_cannot_pull_is_media_unavailable(sandbox):
    with pytest.raises(MediaUnavailable, match="video_pull_failed"):
        client().publish(Content(text="hi", media=video(sandbox, "missing.mp4"), options=PUBLIC))


def test_png_photos_fail_tiktoks_format_check(sandbox):
    with pytest.raises(Rejected, match="file_format_check_failed"):
        client().publish(Content(text="hi", media=photos(sandbox, "sample.png"), options=PUBLIC))


def test_a_media_url_on_an_unverified_domain_is_rejected(sandbox):
    media = (Media(url="https://unverified.example.com/v.mp4", kind="video"),)

    with pytest.raises(Rejected, match="url_ownership_unverified"):
        client().publish(Content(text="hi", media=media, options=PUBLIC))


def test_more_than_six_inits_a_minute_are_rate_limited(sandbox):
    tiktok = client("tok-busy")
    for n in range(6):
        tiktok.publish(Content(text=f"post {n}", media=video(sandbox), options=PUBLIC))

    with pytest.raises(RateLimited, match="rate_limit_exceeded"):
        tiktok.publish(Content(text="post 7", media=video(sandbox), options=PUBLIC))


# --- behaviours ------------------------------------------------------------------------
def test_rate_limited_account_is_rate_limited_once_then_publishes(sandbox):
    tiktok = client("tok-rl", behavior="rate_limited")
    content = Content(text="hi", media=video(sandbox), options=PUBLIC)

    with pytest.raises(RateLimited) as caught:
        tiktok.publish(content)

    assert caught.value.retry_after == 1
    assert tiktok.publish(content).platform_post_id.isdigit()


def test_flaky_account_is_unavailable_once_then_publishes(sandbox):
    tiktok = client("tok-flaky", behavior="flaky")
    content = Content(text="hi", media=video(sandbox), options=PUBLIC)

    with pytest.raises(ProviderUnavailable, match="internal_error"):
        tiktok.publish(content)

    assert tiktok.publish(content).platform_post_id.isdigit()


def test_token_expired_account_fails_publish_and_refresh(sandbox):
    tiktok = client("tok-expired", behavior="token_expired")

    with pytest.raises(TokenExpired):
        tiktok.publish(Content(text="hi", media=video(sandbox), options=PUBLIC))
    with pytest.raises(ReconnectRequired, match="invalid_grant"):
        tiktok.refresh()


def test_rejecting_account_is_refused_with_the_reason(sandbox):
    with pytest.raises(Rejected) as caught:
        client(behavior="rejects").publish(Content(text="hi", media=video(sandbox), options=PUBLIC))

    assert REJECT_REASON in caught.value.reason
    assert publishes() == 0


# --- refresh and metrics ---------------------------------------------------------------
def test_refresh_rotates_the_tokens_and_the_old_refresh_token_stops_working(sandbox):
    tiktok = client("tok-refresh", username="dravo")

    result = tiktok.refresh()

    assert result.credentials["access_token"].startswith("sbx_act.")
    assert result.credentials["refresh_token"].startswith("sbx_rft.")
    assert result.credentials["username"] == "dravo" and result.expires_at is not None
    assert client(**result.credentials).verify().id == result.credentials["open_id"]
    with pytest.raises(ReconnectRequired):
        tiktok.refresh()


def test_fetch_metrics_returns_the_four_counts_that_never_shrink(sandbox):
    tiktok = client()
    post_id = tiktok.publish(Content(text="hi", media=video(sandbox), options=PUBLIC)).platform_post_id

    first = tiktok.fetch_metrics(post_id)
    second = tiktok.fetch_metrics(post_id)

    assert set(first.metrics) == {"view_count", "like_count", "comment_count", "share_count"}
    assert not first.partial and first.warnings == []
    assert all(second.metrics[key] >= value >= 0 for key, value in first.metrics.items())


def test_fetch_metrics_of_another_accounts_post_is_partial(sandbox):
    post_id = client().publish(Content(text="hi", media=video(sandbox), options=PUBLIC)).platform_post_id

    result = client("tok-someone-else").fetch_metrics(post_id)

    assert result.partial and result.metrics == {}


# --- OAuth -----------------------------------------------------------------------------
def authorize(sandbox, **params):
    query = {
        "client_key": "dravo-sandbox",
        "scope": "user.info.basic,video.publish,video.list",
        "response_type": "code",
        "redirect_uri": "https://app.dravo.test/oauth/tiktok/callback",
        "state": "st-1",
    }
    return f"{sandbox}/sandbox/tiktok/v2/auth/authorize/", query | params


def test_consent_page_names_the_app_and_scopes_and_offers_allow_and_deny(sandbox):
    url, query = authorize(sandbox)

    page = requests.get(url, params=query, timeout=5)

    assert page.status_code == 200
    assert "Dravo" in page.text and "video.publish" in page.text
    assert '<button type="submit" name="decision" value="allow">Allow</button>' in page.text
    assert ">Deny</button>" in page.text


def test_consent_page_refuses_an_unknown_client_key(sandbox):
    url, query = authorize(sandbox, client_key="someone-else")

    assert requests.get(url, params=query, timeout=5).status_code == 400


def test_allowing_redirects_with_a_code_that_exchanges_for_tokens(sandbox):
    url, query = authorize(sandbox)

    allowed = requests.post(
        url, data=query | {"decision": "allow", "username": "dravo_team"}, timeout=5, allow_redirects=False
    )
    location = urlsplit(allowed.headers["Location"])
    answer = parse_qs(location.query)
    tokens = requests.post(
        f"{sandbox}/sandbox/tiktok/v2/oauth/token/",
        timeout=5,
        data={
            "client_key": "dravo-sandbox",
            "client_secret": "dravo-sandbox-secret",
            "code": answer["code"][0],
            "grant_type": "authorization_code",
            "redirect_uri": query["redirect_uri"],
        },
    ).json()

    assert allowed.status_code == 302
    assert f"{location.scheme}://{location.netloc}{location.path}" == query["redirect_uri"]
    assert answer["state"] == ["st-1"] and answer["code"][0].startswith("sbx_")
    assert tokens["access_token"].startswith("sbx_") and tokens["refresh_token"].startswith("sbx_")
    assert (tokens["expires_in"], tokens["token_type"]) == (7200, "Bearer")
    assert client(tokens["access_token"]).verify().handle == "dravo_team"


def test_a_code_cannot_be_exchanged_twice(sandbox):
    url, query = authorize(sandbox)
    allowed = requests.post(url, data=query | {"decision": "allow"}, timeout=5, allow_redirects=False)
    code = parse_qs(urlsplit(allowed.headers["Location"]).query)["code"][0]
    form = {
        "client_key": "dravo-sandbox",
        "client_secret": "dravo-sandbox-secret",
        "code": code,
        "grant_type": "authorization_code",
        "redirect_uri": query["redirect_uri"],
    }
    token_url = f"{sandbox}/sandbox/tiktok/v2/oauth/token/"

    assert requests.post(token_url, data=form, timeout=5).status_code == 200
    again = requests.post(token_url, data=form, timeout=5)

    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_denying_redirects_with_access_denied_and_the_state(sandbox):
    url, query = authorize(sandbox)

    denied = requests.post(url, data=query | {"decision": "deny"}, timeout=5, allow_redirects=False)

    answer = parse_qs(urlsplit(denied.headers["Location"]).query)
    assert denied.status_code == 302
    assert answer["error"] == ["access_denied"] and answer["state"] == ["st-1"]
