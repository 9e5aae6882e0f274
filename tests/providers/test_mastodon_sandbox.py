"""The Mastodon client walked through the Mastodon sandbox over real HTTP (live_server):
connect (BYOK verify through the API), every content kind, metrics, refresh, the
sandbox behaviours and the OAuth app registration and consent."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from accounts.models import SocialAccount
from providers import registry
from providers.base import Content, Media
from providers.errors import MediaUnavailable, ProviderUnavailable, RateLimited, ReconnectRequired, Rejected
from providers.mastodon.oauth import registered_app
from sandbox.models import SandboxRecord

pytestmark = pytest.mark.django_db(transaction=True)
INSTANCE = "https://mastodon.social"
CALLBACK = "https://app.example/mastodon/callback"


def client_for(token="tok-user-1", behavior="ok", **extra):
    credentials = {"access_token": token, "instance_url": INSTANCE, "sandbox": {"behavior": behavior}, **extra}
    return registry.get_client("mastodon", credentials, sandbox=True)


def status_record(status_id):
    return SandboxRecord.objects.get(network="mastodon", kind="post", object_id=status_id)


# --- connect -------------------------------------------------------------------------------------
def test_verify_names_the_account_on_its_instance_and_reads_the_instance_limits(sandbox):
    profile = client_for().verify()
    number, host = profile.id.split("@")
    assert number.isdigit() and host == "mastodon.social"
    assert profile.handle.startswith("@sandbox_") and profile.handle.endswith("@mastodon.social")
    limits = profile.extra["instance"]["limits"]
    assert limits["max_characters"] == 500 and limits["max_media_attachments"] == 4
    assert limits["poll_max_options"] == 4 and limits["characters_reserved_per_url"] == 23


def test_verify_of_an_invalid_token_requires_a_reconnect(sandbox):
    with pytest.raises(ReconnectRequired, match="access token is invalid"):
        client_for("invalid-token").verify()


def test_byok_connect_through_the_api_stores_the_account_and_its_instance(sandbox, api_client):
    body = {
        "provider": "mastodon",
        "platform_account_id": "1090001@mastodon.social",
        "credentials": {"access_token": "tok-byok-1", "instance_url": INSTANCE},
    }
    response = api_client.post("/v1/accounts", body, format="json")
    assert response.status_code == 201, response.json()
    account = SocialAccount.objects.get(pk=response.json()["id"])
    assert account.platform_account_id == "1090001@mastodon.social"
    assert account.handle == "@sandbox_090001@mastodon.social"
    assert account.metadata["instance"]["limits"]["max_characters"] == 500


def test_byok_connect_without_an_instance_url_is_a_400_naming_it(sandbox, api_client):
    body = {"provider": "mastodon", "platform_account_id": "1", "credentials": {"access_token": "tok-byok-2"}}
    response = api_client.post("/v1/accounts", body, format="json")
    assert response.status_code == 400
    assert "credentials.instance_url" in str(response.json())


def test_byok_connect_of_a_token_bound_to_another_account_is_a_400_naming_it(sandbox, api_client):
    client_for("tok-bound", account_id="555").verify()  # the sandbox binds the token to 555
    body = {
        "provider": "mastodon",
        "platform_account_id": "777@mastodon.social",
        "credentials": {"access_token": "tok-bound", "instance_url": INSTANCE},
    }
    response = api_client.post("/v1/accounts", body, format="json")
    assert response.status_code == 400
    assert "platform_account_id" in str(response.json())


def test_a_post_over_the_instance_limit_is_a_400_naming_the_field_network_and_account(sandbox, api_client):
    body = {
        "provider": "mastodon",
        "platform_account_id": "1090002@mastodon.social",
        "credentials": {"access_token": "tok-byok-3", "instance_url": INSTANCE},
    }
    account_id = api_client.post("/v1/accounts", body, format="json").json()["id"]
    response = api_client.post("/v1/posts", {"account_ids": [account_id], "text": "a" * 501}, format="json")
    assert response.status_code == 400
    error = next(e for e in response.json()["errors"] if e["attr"] == "text")
    assert "mastodon" in error["detail"] and account_id in error["detail"] and "500" in error["detail"]
    url_text = "https://example.com/" + "a" * 600  # one URL counts 23
    assert (
        api_client.post("/v1/posts", {"account_ids": [account_id], "text": url_text}, format="json").status_code == 202
    )


# --- publish -------------------------------------------------------------------------------------
def test_publish_text_with_every_status_option(sandbox):
    options = {"visibility": "unlisted", "spoiler_text": "CW", "sensitive": True, "language": "de"}
    result = client_for().publish(Content(text="Hallo aus dem Sandkasten", options=options))
    record = status_record(result.platform_post_id)
    assert result.url == f"{sandbox}/sandbox/mastodon/@sandbox_{record.owner[-6:]}/{result.platform_post_id}"
    assert (record.data["visibility"], record.data["spoiler_text"], record.data["language"]) == ("unlisted", "CW", "de")
    assert record.data["sensitive"] is True
    assert requests.get(result.url, timeout=5).status_code == 200


def test_publish_images_with_alt_text_and_focus(sandbox):
    media = (
        Media(f"{sandbox}/sandbox/files/sample.png", "image"),
        Media(f"{sandbox}/sandbox/files/sample.jpg", "image"),
    )
    options = {"alt_texts": ["A square", "A photo"], "focus_points": ["0.5,-0.5"]}
    saved = []
    result = client_for().publish(
        Content(text="Two pictures", media=media, options=options), save_checkpoint=saved.append
    )
    record = status_record(result.platform_post_id)
    assert record.data["media_ids"] == saved[-1]["media_ids"] and len(record.data["media_ids"]) == 2
    uploads = [
        SandboxRecord.objects.get(network="mastodon", kind="media", object_id=i) for i in record.data["media_ids"]
    ]
    assert [u.data["description"] for u in uploads] == ["A square", "A photo"]
    assert [u.data["focus"] for u in uploads] == ["0.5,-0.5", ""]


def test_publish_a_video_waits_for_processing(sandbox):
    media = (Media(f"{sandbox}/sandbox/files/sample.mp4", "video"),)
    result = client_for().publish(Content(text="A clip", media=media))
    media_id = status_record(result.platform_post_id).data["media_ids"][0]
    assert SandboxRecord.objects.get(network="mastodon", kind="media", object_id=media_id).status == "processed"


def test_publish_a_gif_without_text(sandbox):
    media = (Media(f"{sandbox}/sandbox/files/sample.gif", "gif"),)
    result = client_for().publish(Content(text="", media=media))
    assert len(status_record(result.platform_post_id).data["media_ids"]) == 1


def test_publish_a_poll(sandbox):
    poll = {"options": ["Yes", "No", "Maybe"], "expires_in": 3600, "multiple": True, "hide_totals": False}
    result = client_for().publish(Content(text="Ship it?", options={"poll": poll}))
    entity = status_record(result.platform_post_id).data["poll"]
    assert [o["title"] for o in entity["options"]] == ["Yes", "No", "Maybe"] and entity["multiple"] is True


def test_publish_a_thread_chains_replies_with_the_same_visibility(sandbox):
    result = client_for().publish(Content(text="1/3", options={"thread": ["2/3", "3/3"], "visibility": "unlisted"}))
    first = status_record(result.platform_post_id)
    second = SandboxRecord.objects.get(network="mastodon", kind="post", data__in_reply_to_id=first.object_id)
    third = SandboxRecord.objects.get(network="mastodon", kind="post", data__in_reply_to_id=second.object_id)
    assert (second.data["text"], third.data["text"]) == ("2/3", "3/3")
    assert third.data["visibility"] == "unlisted"


def test_publish_a_reply_to_an_existing_status_and_to_an_unknown_one(sandbox):
    client = client_for()
    original = client.publish(Content(text="Original")).platform_post_id
    reply = client.publish(Content(text="A reply", options={"in_reply_to_id": original}))
    assert status_record(reply.platform_post_id).data["in_reply_to_id"] == original
    with pytest.raises(Rejected, match="Record not found"):
        client.publish(Content(text="Reply", options={"in_reply_to_id": "404404"}))


def test_a_retry_with_the_same_checkpoint_gets_the_same_status_by_idempotency_key(sandbox):
    client, content = client_for(), Content(text="Only once")
    saved = []
    first = client.publish(content, save_checkpoint=saved.append)
    key_only = {"idempotency_key": saved[0]["idempotency_key"], "started_at": saved[0]["started_at"]}
    again = client.publish(content, checkpoint=key_only)
    assert again.platform_post_id == first.platform_post_id
    assert SandboxRecord.objects.filter(network="mastodon", kind="post").count() == 1


def test_reconcile_finds_the_live_status_by_text(sandbox):
    client, content = client_for(account_id="8080"), Content(text="Tom & Jerry <3")
    saved = []
    first = client.publish(content, save_checkpoint=saved.append)
    started = {"started_at": saved[0]["started_at"]}
    assert client.reconcile(content, started).platform_post_id == first.platform_post_id
    assert client.reconcile(Content(text="something else"), started) is None


def test_the_sandbox_counts_like_the_server_and_refuses_over_500(sandbox):
    client = client_for()
    mention = "@someone@a-very-long-instance-name.example.org "
    client.publish(Content(text=mention * 9 + "x" * (500 - 9 * len("@someone "))))
    with pytest.raises(Rejected, match="character limit of 500"):
        client.publish(Content(text="a" * 498, options={"spoiler_text": "cw!"}))


def test_the_sandbox_refuses_a_poll_with_media_and_a_video_mixed_with_images(sandbox):
    poll = {"options": ["a", "b"], "expires_in": 600}
    media = (Media(f"{sandbox}/sandbox/files/sample.png", "image"),)
    with pytest.raises(Rejected, match="both files and a poll"):
        client_for().publish(Content(text="x", media=media, options={"poll": poll}))
    mixed = (*media, Media(f"{sandbox}/sandbox/files/sample.mp4", "video"))
    with pytest.raises(Rejected, match="Cannot attach a video"):
        client_for().publish(Content(text="x", media=mixed))


def test_a_file_the_instance_cannot_read_is_media_unavailable(sandbox):
    media = (Media(f"{sandbox}/sandbox/files/sample.pdf", "image"),)
    with pytest.raises(MediaUnavailable, match="content type is invalid"):
        client_for().publish(Content(text="x", media=media))


# --- behaviours ----------------------------------------------------------------------------------
def test_rate_limited_refuses_the_first_attempt_with_the_reset_time_then_publishes(sandbox):
    client, saved = client_for(behavior="rate_limited"), []
    with pytest.raises(RateLimited) as caught:
        client.publish(Content(text="Busy"), save_checkpoint=saved.append)
    assert 0 < caught.value.retry_after <= 2
    assert client.publish(Content(text="Busy"), checkpoint=saved[-1]).platform_post_id


def test_flaky_fails_the_first_attempt_then_publishes(sandbox):
    client, saved = client_for(behavior="flaky"), []
    with pytest.raises(ProviderUnavailable):
        client.publish(Content(text="Wobbly"), save_checkpoint=saved.append)
    assert client.publish(Content(text="Wobbly"), checkpoint=saved[-1]).platform_post_id


def test_token_expired_requires_a_reconnect(sandbox):
    with pytest.raises(ReconnectRequired):
        client_for(behavior="token_expired").publish(Content(text="x"))


def test_rejects_refuses_every_publish_with_a_reason(sandbox):
    with pytest.raises(Rejected, match="refuses every post"):
        client_for(behavior="rejects").publish(Content(text="x"))


def test_slow_answers_after_its_latency(sandbox):
    credentials = {
        "access_token": "tok-slow",
        "instance_url": INSTANCE,
        "sandbox": {"behavior": "slow", "latency_ms": 300},
    }
    client = registry.get_client("mastodon", credentials, sandbox=True)
    import time

    started = time.monotonic()
    client.publish(Content(text="Slowly"))
    assert time.monotonic() - started >= 0.3


# --- metrics and refresh -------------------------------------------------------------------------
def test_fetch_metrics_has_the_native_counts_and_their_normalized_names(sandbox):
    client = client_for()
    status_id = client.publish(Content(text="Count me")).platform_post_id
    metrics = client.fetch_metrics(status_id).metrics
    assert set(metrics) == {"favourites_count", "reblogs_count", "replies_count", "quotes_count"}
    normalized = type(client).normalize_metrics(metrics)
    assert normalized["likes"] == metrics["favourites_count"] and normalized["views"] is None
    with pytest.raises(Rejected, match="Record not found"):
        client.fetch_metrics("999999")


def test_refresh_keeps_the_token_and_rereads_the_limits_and_a_revoked_token_requires_a_reconnect(sandbox):
    result = client_for().refresh()
    assert result.credentials["access_token"] == "tok-user-1" and result.expires_at is None
    assert result.credentials["instance_limits"]["max_characters"] == 500
    requests.post(f"{sandbox}/sandbox/mastodon/oauth/revoke", data={"token": "tok-user-1"}, timeout=5)
    with pytest.raises(ReconnectRequired):
        client_for().refresh()


# --- apps and OAuth --------------------------------------------------------------------------------
def _authorize(sandbox, app, verifier):
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return {
        "response_type": "code",
        "client_id": app["client_id"],
        "redirect_uri": CALLBACK,
        "scope": "write:statuses write:media profile",
        "state": "st",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }


def test_the_app_is_registered_once_per_instance_and_the_consent_gives_a_working_token(sandbox):
    base = f"{sandbox}/sandbox/mastodon"
    scopes = ["write:statuses", "write:media", "read:statuses", "profile"]
    app = registered_app(base, CALLBACK, scopes, sandbox=True)
    assert registered_app(base, CALLBACK, scopes, sandbox=True) == app
    assert SandboxRecord.objects.filter(network="mastodon", kind="app").count() == 1
    verifier = secrets.token_urlsafe(48)
    params = _authorize(sandbox, app, verifier)
    page = requests.get(f"{base}/oauth/authorize", params=params, timeout=5)
    assert page.status_code == 200 and "Allow" in page.text and "write:media" in page.text
    answer = requests.post(
        f"{base}/oauth/authorize", data={**params, "decision": "allow"}, allow_redirects=False, timeout=5
    )
    code = parse_qs(urlparse(answer.headers["Location"]).query)["code"][0]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "redirect_uri": CALLBACK,
        "code_verifier": verifier,
    }
    token = requests.post(f"{base}/oauth/token", data=form, timeout=5).json()
    assert token["token_type"] == "Bearer" and "refresh_token" not in token and "expires_in" not in token
    assert client_for(token["access_token"]).verify().handle.startswith("@sandbox_")
    reused = requests.post(f"{base}/oauth/token", data=form, timeout=5)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_deny_redirects_with_access_denied_and_an_unknown_client_is_an_error_page(sandbox):
    base = f"{sandbox}/sandbox/mastodon"
    app = registered_app(base, CALLBACK, ["profile"], sandbox=True)
    params = {**_authorize(sandbox, app, "v" * 50), "scope": "profile"}
    answer = requests.post(
        f"{base}/oauth/authorize", data={**params, "decision": "deny"}, allow_redirects=False, timeout=5
    )
    assert "error=access_denied" in answer.headers["Location"]
    unknown = requests.get(f"{base}/oauth/authorize", params={**params, "client_id": "nope"}, timeout=5)
    assert unknown.status_code == 400
