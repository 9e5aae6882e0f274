"""The X client walked through the X sandbox over real HTTP (live_server)."""

import base64
import hashlib
import secrets
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
from sandbox.models import SandboxRecord

pytestmark = pytest.mark.django_db(transaction=True)
PUBLIC_KEYS = {"impression_count", "like_count", "retweet_count", "reply_count", "quote_count", "bookmark_count"}
CALLBACK = "https://app.example/x/callback"


def client_for(token="tok-user-1", behavior=None, **extra):
    credentials = {"access_token": token, **extra}
    if behavior:
        credentials["sandbox"] = {"behavior": behavior}
    return registry.get_client("x", credentials, sandbox=True)


def post_record(post_id):
    return SandboxRecord.objects.get(network="x", kind="post", object_id=post_id)


# --- verify --------------------------------------------------------------------------------------
def test_verify_returns_a_stable_profile_for_a_token(sandbox):
    first, again = client_for().verify(), client_for().verify()
    assert first == again
    assert first.id.isdigit() and first.handle.startswith("sandbox_")


def test_verify_of_an_invalid_token_is_token_expired(sandbox):
    with pytest.raises(TokenExpired):
        client_for("invalid-token").verify()


# --- publish -------------------------------------------------------------------------------------
def test_publish_text_returns_a_snowflake_id_and_public_url(sandbox):
    result = client_for(username="dravo").publish(Content(text="Hello from the sandbox"))
    assert len(result.platform_post_id) == 19 and result.platform_post_id.isdigit()
    assert result.url == f"{sandbox}/sandbox/x/dravo/status/{result.platform_post_id}"
    assert post_record(result.platform_post_id).data["text"] == "Hello from the sandbox"


def test_publish_images_uploads_and_attaches_them(sandbox):
    media = (
        Media(f"{sandbox}/sandbox/files/sample.png", "image"),
        Media(f"{sandbox}/sandbox/files/sample.jpg", "image"),
    )
    saved = []
    result = client_for().publish(Content(text="Two pictures", media=media), save_checkpoint=saved.append)
    record = post_record(result.platform_post_id)
    assert record.data["media_ids"] == saved[-1]["media_ids"] and len(record.data["media_ids"]) == 2


def test_publish_video_walks_the_chunked_upload_and_processing(sandbox):
    media = (Media(f"{sandbox}/sandbox/files/sample.mp4", "video"),)
    result = client_for().publish(Content(text="A clip", media=media))
    media_id = post_record(result.platform_post_id).data["media_ids"][0]
    assert SandboxRecord.objects.get(network="x", kind="media", object_id=media_id).status == "succeeded"


def test_publish_gif_without_text(sandbox):
    media = (Media(f"{sandbox}/sandbox/files/sample.gif", "gif"),)
    result = client_for().publish(Content(text="", media=media))
    assert len(post_record(result.platform_post_id).data["media_ids"]) == 1


def test_publish_a_poll(sandbox):
    poll = {"options": ["Yes", "No", "Maybe"], "duration_minutes": 1440}
    result = client_for().publish(Content(text="Ship it?", options={"poll": poll, "reply_settings": "following"}))
    record = post_record(result.platform_post_id)
    assert record.data["poll"] == poll and record.data["reply_settings"] == "following"


def test_publish_a_thread_chains_replies(sandbox):
    result = client_for().publish(Content(text="1/3", options={"thread": ["2/3", "3/3"]}))
    first = post_record(result.platform_post_id)
    second = SandboxRecord.objects.get(network="x", kind="post", data__reply_to=first.object_id)
    third = SandboxRecord.objects.get(network="x", kind="post", data__reply_to=second.object_id)
    assert (second.data["text"], third.data["text"]) == ("2/3", "3/3")


def test_publish_a_reply_and_a_quote_of_existing_posts(sandbox):
    client = client_for()
    original = client.publish(Content(text="Original")).platform_post_id
    reply = client.publish(Content(text="A reply", options={"reply_to_post_id": original}))
    quote = client.publish(Content(text="A quote", options={"quote_post_id": original}))
    assert post_record(reply.platform_post_id).data["reply_to"] == original
    assert post_record(quote.platform_post_id).data["quote"] == original


def test_replying_to_an_unknown_post_is_rejected(sandbox):
    with pytest.raises(Rejected, match="reply to a Tweet"):
        client_for().publish(Content(text="Reply", options={"reply_to_post_id": "1234567890123456789"}))


def test_duplicate_text_is_rejected_and_reconcile_finds_the_live_post(sandbox):
    client = client_for()
    first = client.publish(Content(text="Tom & Jerry, once"))
    with pytest.raises(Rejected, match="duplicate"):
        client.publish(Content(text="Tom & Jerry, once"))
    assert client.reconcile(Content(text="Tom & Jerry, once"), None).platform_post_id == first.platform_post_id


def test_the_sandbox_refuses_text_over_280_weighted_characters(sandbox):
    with pytest.raises(Rejected, match="too long"):
        client_for().publish(Content(text="😀" * 141))


def test_the_sandbox_refuses_a_poll_with_media(sandbox):
    poll = {"options": ["a", "b"], "duration_minutes": 5}
    media = (Media(f"{sandbox}/sandbox/files/sample.png", "image"),)
    with pytest.raises(Rejected, match="parameters"):
        client_for().publish(Content(text="Poll", media=media, options={"poll": poll}))


def test_media_that_fails_processing_is_media_unavailable(sandbox):
    media = (Media(f"{sandbox}/sandbox/files/sample.pdf", "video"),)
    with pytest.raises(MediaUnavailable, match="Invalid or Unsupported media"):
        client_for().publish(Content(text="Not a video", media=media))


# --- behaviours ----------------------------------------------------------------------------------
def test_rate_limited_refuses_the_first_attempt_then_publishes(sandbox):
    client = client_for(behavior="rate_limited")
    with pytest.raises(RateLimited) as caught:
        client.publish(Content(text="Once"))
    assert caught.value.retry_after == 1
    assert client.publish(Content(text="Once")).platform_post_id


def test_flaky_fails_the_first_attempt_then_publishes(sandbox):
    client = client_for(behavior="flaky")
    with pytest.raises(ProviderUnavailable):
        client.publish(Content(text="Once"))
    assert client.publish(Content(text="Once")).platform_post_id


def test_flaky_spares_the_thread_replies_of_a_resumed_publish(sandbox):
    client, saved = client_for(behavior="flaky"), []
    content = Content(text="1/2", options={"thread": ["2/2"]})
    with pytest.raises(ProviderUnavailable):
        client.publish(content, save_checkpoint=saved.append)
    result = client.publish(content, save_checkpoint=saved.append)
    assert saved[-1]["post_ids"][0] == result.platform_post_id and len(saved[-1]["post_ids"]) == 2


def test_token_expired_fails_publish_and_refresh(sandbox):
    client = client_for(behavior="token_expired", refresh_token="ref-old")
    with pytest.raises(TokenExpired):
        client.publish(Content(text="Hello"))
    with pytest.raises(ReconnectRequired):
        client.refresh()


def test_rejects_refuses_every_publish_with_a_reason(sandbox):
    client = client_for(behavior="rejects")
    for _ in range(2):
        with pytest.raises(Rejected, match="refuses every post"):
            client.publish(Content(text="Hello"))


# --- refresh and metrics -------------------------------------------------------------------------
def test_refresh_rotates_the_refresh_token_and_refuses_the_old_one(sandbox):
    client = client_for(refresh_token="ref-1", username="dravo")
    result = client.refresh()
    assert result.credentials["access_token"].startswith("sbx_")
    assert result.credentials["refresh_token"].startswith("sbx_") and result.credentials["username"] == "dravo"
    assert result.expires_at is not None
    client_for(**result.credentials).verify()
    with pytest.raises(ReconnectRequired):
        client.refresh()


def test_fetch_metrics_of_an_own_post_has_public_and_private_keys_that_grow(sandbox):
    client = client_for()
    post_id = client.publish(Content(text="Count me")).platform_post_id
    first = client.fetch_metrics(post_id)
    assert PUBLIC_KEYS | {"url_link_clicks", "user_profile_clicks", "engagements"} == set(first.metrics)
    assert all(value >= 0 for value in first.metrics.values()) and first.warnings == []
    again = client.fetch_metrics(post_id)
    assert all(again.metrics[key] >= value for key, value in first.metrics.items())


def test_fetch_metrics_of_someone_elses_post_falls_back_to_public(sandbox):
    post_id = client_for("tok-author").publish(Content(text="Mine")).platform_post_id
    result = client_for("tok-reader").fetch_metrics(post_id)
    assert set(result.metrics) == PUBLIC_KEYS and len(result.warnings) == 1


def test_fetch_metrics_of_an_unknown_post_is_rejected(sandbox):
    with pytest.raises(Rejected, match="Could not find"):
        client_for().fetch_metrics("1111111111111111111")


# --- OAuth at HTTP level -------------------------------------------------------------------------
def pkce():
    verifier = secrets.token_urlsafe(32)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_params(challenge, scope="tweet.read tweet.write users.read media.write offline.access"):
    return {
        "response_type": "code",
        "client_id": "dravo-sandbox",
        "redirect_uri": CALLBACK,
        "scope": scope,
        "state": "st-1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }


def consent(sandbox, challenge, decision="allow"):
    url = f"{sandbox}/sandbox/x/i/oauth2/authorize"
    params = authorize_params(challenge)
    page = requests.get(url, params=params, timeout=5)
    assert page.status_code == 200
    answer = requests.post(url, data={**params, "decision": decision}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    return page, answer.headers["Location"]


def exchange(sandbox, code, verifier):
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier}
    url = f"{sandbox}/sandbox/x/2/oauth2/token"
    return requests.post(url, data=form, auth=("dravo-sandbox", "dravo-sandbox-secret"), timeout=5)


def test_consent_page_names_the_app_and_scopes_and_offers_allow_and_deny(sandbox):
    page, _ = consent(sandbox, pkce()[1])
    assert "Dravo" in page.text and "media.write" in page.text
    assert '<button type="submit" name="decision" value="allow">Allow</button>' in page.text
    assert ">Deny</button>" in page.text


def test_allow_then_code_exchange_gives_tokens_that_work(sandbox):
    verifier, challenge = pkce()
    _, location = consent(sandbox, challenge)
    assert location.startswith(CALLBACK)
    query = parse_qs(urlparse(location).query)
    assert query["state"] == ["st-1"]
    answer = exchange(sandbox, query["code"][0], verifier)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/json"
    tokens = answer.json()
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 7200
    assert tokens["access_token"].startswith("sbx_") and tokens["refresh_token"].startswith("sbx_")
    profile = client_for(tokens["access_token"]).verify()
    refreshed = client_for(**tokens).refresh()
    assert client_for(refreshed.credentials["access_token"]).verify() == profile


def test_deny_redirects_with_access_denied(sandbox):
    _, location = consent(sandbox, pkce()[1], decision="deny")
    assert parse_qs(urlparse(location).query) == {"error": ["access_denied"], "state": ["st-1"]}


def test_a_wrong_code_verifier_or_a_reused_code_is_refused(sandbox):
    verifier, challenge = pkce()
    code = parse_qs(urlparse(consent(sandbox, challenge)[1]).query)["code"][0]
    wrong = exchange(sandbox, code, "not-the-verifier")
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_request"
    assert exchange(sandbox, code, verifier).status_code == 400


def test_authorize_with_an_unknown_client_is_an_error_page(sandbox):
    params = {**authorize_params(pkce()[1]), "client_id": "someone-else"}
    assert requests.get(f"{sandbox}/sandbox/x/i/oauth2/authorize", params=params, timeout=5).status_code == 400
