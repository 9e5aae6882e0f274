"""FacebookClient walked through the Facebook sandbox over real HTTP (live_server)."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.utils import timezone

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
from sandbox.core import REJECT_REASON, account_id_for, record_create
from sandbox.models import SandboxRecord

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN = "sbx_page_dravo_coffee"
PAGE = account_id_for(TOKEN)
VERSION = "v25.0"


def client_for(behavior=None, token=TOKEN, **extra):
    credentials = {"access_token": token, "page_id": account_id_for(token), **extra}
    if behavior:
        credentials["sandbox"] = {"behavior": behavior}
    return registry.get_client("facebook", credentials, sandbox=True)


def image(sandbox, name="sample.png"):
    return Media(url=f"{sandbox}/sandbox/files/{name}", kind="image", mime_type="image/png")


def video(sandbox, name="sample.mp4"):
    return Media(url=f"{sandbox}/sandbox/files/{name}", kind="video", mime_type="video/mp4")


# --- verify ------------------------------------------------------------------------------------------------
def test_sandbox_verify_returns_the_page_of_the_token(sandbox):
    profile = client_for().verify()
    assert profile.id == PAGE and profile.name.startswith("Sandbox Page")


def test_sandbox_verify_refuses_an_invalid_token(sandbox):
    with pytest.raises(ReconnectRequired, match="code 190"):
        client_for(token="invalid-token").verify()


# --- content kinds -----------------------------------------------------------------------------------------
def test_sandbox_text_post_is_live_with_a_permalink(sandbox):
    result = client_for().publish(Content(text="Hello from the sandbox"))
    assert re.fullmatch(rf"{PAGE}_\d{{16}}", result.platform_post_id)
    assert result.url == f"{sandbox}/sandbox/facebook/{PAGE}/posts/{result.platform_post_id.split('_')[1]}"
    record = SandboxRecord.objects.get(network="facebook", kind="post", object_id=result.platform_post_id)
    assert record.data["text"] == "Hello from the sandbox"


def test_sandbox_refuses_the_same_status_message_twice_as_duplicate(sandbox):
    client_for().publish(Content(text="Same words"))
    with pytest.raises(Rejected, match="identical") as caught:
        client_for().publish(Content(text="Same words"))
    assert "code 506" in str(caught.value)


def test_sandbox_link_post_keeps_the_link(sandbox):
    result = client_for().publish(Content(text="Read", options={"link": "https://dravo.dev/blog"}))
    record = SandboxRecord.objects.get(kind="post", object_id=result.platform_post_id)
    assert record.data["link"] == "https://dravo.dev/blog"


def test_sandbox_one_photo_becomes_a_page_post(sandbox):
    result = client_for().publish(Content(text="One photo", media=(image(sandbox),)))
    assert result.platform_post_id.startswith(f"{PAGE}_")
    assert SandboxRecord.objects.filter(kind="photo", status="published", owner=PAGE).count() == 1


def test_sandbox_several_photos_are_attached_to_one_feed_post(sandbox):
    saved = []
    content = Content(text="Album", media=(image(sandbox), image(sandbox, "sample.jpg")))
    result = client_for().publish(content, save_checkpoint=saved.append)
    record = SandboxRecord.objects.get(kind="post", object_id=result.platform_post_id)
    assert record.data["photos"] == saved[1]["photo_ids"] and len(saved[1]["photo_ids"]) == 2
    assert SandboxRecord.objects.filter(kind="photo", status="attached").count() == 2


def test_sandbox_refuses_attached_media_that_is_not_an_unpublished_photo_of_the_page(sandbox):
    with pytest.raises(Rejected, match=r"attached_media\[0\]"):
        client_for().publish(
            Content(text="Album", media=(image(sandbox), image(sandbox))), checkpoint={"photo_ids": ["1", "2"]}
        )


def test_sandbox_video_is_processed_then_ready(sandbox):
    content = Content(text="A video", media=(video(sandbox),), options={"video_title": "Launch"})
    result = client_for().publish(content)
    assert result.url == f"{sandbox}/sandbox/facebook/{PAGE}/videos/{result.platform_post_id}/"
    record = SandboxRecord.objects.get(kind="video", object_id=result.platform_post_id)
    assert record.data["title"] == "Launch" and record.data["status_reads"] == 2


def test_sandbox_reel_runs_start_upload_finish_and_status(sandbox):
    saved = []
    content = Content(text="A reel", media=(video(sandbox),), options={"as_reel": True})
    result = client_for().publish(content, save_checkpoint=saved.append)
    assert result.url == f"{sandbox}/sandbox/facebook/reel/{result.platform_post_id}"
    record = SandboxRecord.objects.get(kind="video", object_id=result.platform_post_id)
    assert record.data["video_type"] == "reel" and record.data["uploaded"] and record.data["finished"]
    assert saved[-1]["post_id"] == result.platform_post_id


def test_sandbox_photo_it_cannot_fetch_is_media_unavailable(sandbox):
    with pytest.raises(MediaUnavailable, match="324"):
        client_for().publish(Content(text="x", media=(image(sandbox, "missing.png"),)))


def test_sandbox_refuses_a_31st_reel_within_24_hours(sandbox):
    for number in range(30):
        record_create("facebook", "video", f"reel{number}", owner=PAGE, video_type="reel", finished=True)
    with pytest.raises(RateLimited, match="30 Reels") as caught:
        client_for().publish(Content(text="One more", media=(video(sandbox),), options={"as_reel": True}))
    assert 0 < caught.value.retry_after <= 24 * 3600


def test_sandbox_first_comment_is_stored_on_the_post(sandbox):
    result = client_for().publish(Content(text="Commented", options={"first_comment": "First!"}))
    comment = SandboxRecord.objects.get(kind="comment", owner=result.platform_post_id)
    assert comment.data["message"] == "First!" and result.warnings == []


# --- behaviours -----------------------------------------------------------------------------------------------
def test_sandbox_rate_limited_refuses_the_first_attempt_then_accepts(sandbox):
    with pytest.raises(RateLimited) as caught:
        client_for("rate_limited").publish(Content(text="Throttled"))
    assert caught.value.retry_after == 1
    assert client_for("rate_limited").publish(Content(text="Throttled")).platform_post_id.startswith(PAGE)


def test_sandbox_flaky_fails_the_first_attempt_then_accepts(sandbox):
    with pytest.raises(ProviderUnavailable):
        client_for("flaky").publish(Content(text="Flaky"))
    assert client_for("flaky").publish(Content(text="Flaky")).platform_post_id.startswith(PAGE)


def test_sandbox_token_expired_fails_publish_then_refresh_requires_reconnect(sandbox):
    client = client_for("token_expired", user_access_token="sbx_user_old")
    with pytest.raises(TokenExpired):
        client.publish(Content(text="Expired"))
    with pytest.raises(ReconnectRequired):
        client.refresh()


def test_sandbox_rejects_refuses_every_post(sandbox):
    for _ in range(2):
        with pytest.raises(Rejected, match=re.escape(REJECT_REASON)):
            client_for("rejects").publish(Content(text="Never"))


# --- refresh, metrics, reconcile ----------------------------------------------------------------------------------
def test_sandbox_refresh_of_a_page_token_alone_keeps_it(sandbox):
    result = client_for().refresh()
    assert result.credentials["access_token"] == TOKEN and result.expires_at is None


def test_sandbox_metrics_have_the_facebook_keys_and_do_not_shrink(sandbox):
    client = client_for()
    post_id = client.publish(Content(text="Measure me", options={"first_comment": "c"})).platform_post_id
    first = client.fetch_metrics(post_id)
    assert set(first.metrics) == {
        "post_reactions_by_type_total",
        "post_clicks",
        "views",
        "reach",
        "likes",
        "comments",
        "shares",
    }
    assert first.partial and any("post_engaged_users" in warning for warning in first.warnings)
    assert first.metrics["comments"] >= 1
    SandboxRecord.objects.filter(object_id=post_id).update(created_at=timezone.now() - timedelta(days=2))
    later = client.fetch_metrics(post_id).metrics
    assert all(later[key] >= first.metrics[key] >= 0 for key in first.metrics)
    assert later["views"] > first.metrics["views"]


def test_sandbox_reconcile_finds_the_post_in_the_page_feed(sandbox):
    posted = client_for().publish(Content(text="Did this go out?"))
    found = client_for().reconcile(Content(text="Did this go out?"), None)
    assert (found.platform_post_id, found.url) == (posted.platform_post_id, posted.url)
    assert client_for().reconcile(Content(text="Never posted"), None) is None


# --- OAuth ------------------------------------------------------------------------------------------------------------
def authorize(sandbox, decision):
    params = {
        "client_id": "dravo-sandbox",
        "redirect_uri": "https://app.dravo.test/cb",
        "state": "st4te",
        "scope": "pages_show_list,pages_manage_posts",
    }
    page = requests.get(f"{sandbox}/sandbox/facebook/{VERSION}/dialog/oauth", params=params, timeout=5)
    assert page.status_code == 200
    assert "dravo-sandbox" in page.text and "pages_manage_posts" in page.text
    assert '<button type="submit" name="decision" value="allow">Allow</button>' in page.text
    answer = requests.post(page.url, data={**params, "decision": decision}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == params["redirect_uri"]
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def token_call(sandbox, **params):
    secret = {"client_id": "dravo-sandbox", "client_secret": "dravo-sandbox-secret"}
    return requests.get(
        f"{sandbox}/sandbox/facebook/{VERSION}/oauth/access_token", params={**secret, **params}, timeout=5
    )


def test_sandbox_oauth_deny_redirects_with_access_denied(sandbox):
    query = authorize(sandbox, "deny")
    assert query == {
        "error": "access_denied",
        "error_code": "200",
        "error_description": "Permissions error",
        "error_reason": "user_denied",
        "state": "st4te",
    }


def test_sandbox_oauth_code_exchange_page_listing_and_refresh(sandbox):
    query = authorize(sandbox, "allow")
    assert query["state"] == "st4te" and query["code"].startswith("sbx_")
    short = token_call(sandbox, code=query["code"], redirect_uri="https://app.dravo.test/cb")
    assert short.status_code == 200 and short.headers["Content-Type"] == "application/json"
    assert (
        token_call(sandbox, code=query["code"], redirect_uri="https://app.dravo.test/cb").json()["error"][
            "error_subcode"
        ]
        == 36009
    )
    long = token_call(sandbox, grant_type="fb_exchange_token", fb_exchange_token=short.json()["access_token"]).json()
    assert long["expires_in"] == 5_184_000
    accounts = requests.get(
        f"{sandbox}/sandbox/facebook/{VERSION}/me/accounts",
        headers={"Authorization": f"Bearer {long['access_token']}"},
        timeout=5,
    ).json()
    page = accounts["data"][0]
    credentials = {
        "access_token": page["access_token"],
        "page_id": page["id"],
        "user_access_token": long["access_token"],
    }
    client = registry.get_client("facebook", credentials, sandbox=True)
    assert client.verify().id == page["id"]
    refreshed = client.refresh().credentials
    assert refreshed["page_id"] == page["id"] and refreshed["user_access_token"] != long["access_token"]
    assert (
        registry.get_client("facebook", refreshed, sandbox=True).publish(Content(text="After refresh")).platform_post_id
    )


def test_sandbox_oauth_refuses_an_unknown_code(sandbox):
    answer = token_call(sandbox, code="sbx_nope", redirect_uri="https://app.dravo.test/cb")
    assert answer.status_code == 400 and answer.json()["error"]["code"] == 100
