"""The Bluesky client walked through the Bluesky sandbox over real HTTP (live_server):
connect (BYOK with an app password), every content kind, metrics, refresh, behaviours."""

import pytest

from accounts import services
from accounts.errors import AccountNotGranted, AccountVerificationFailed
from accounts.models import SocialAccount
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
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
POST = "app.bsky.feed.post"


@pytest.fixture
def sandbox(sandbox, settings):
    settings.MEDIA_ALLOWED_HOSTS = ["localhost", "127.0.0.1"]  # the link card's thumbnail comes from live_server
    return sandbox


def client_for(password="app-pass-alice", identifier="alice.bsky.social", behavior=None, **extra):
    credentials = {"access_token": password, "identifier": identifier, **extra}
    if behavior:
        credentials["sandbox"] = {"behavior": behavior}
    return registry.get_client("bluesky", credentials, sandbox=True)


def connected(password="app-pass-alice", identifier="alice.bsky.social", behavior=None):
    """A client with a session, as after connect and the first refresh."""
    client = client_for(password, identifier, behavior)
    credentials = {**client.credentials, **type(client).profile_credentials(client.verify())}
    refreshed = registry.get_client("bluesky", credentials, sandbox=True).refresh().credentials
    return registry.get_client("bluesky", refreshed, sandbox=True)


def post_record(uri):
    return SandboxRecord.objects.get(network="bluesky", kind="post", object_id=uri)


def media(sandbox, name, kind="image"):
    mime = {"png": "image/png", "jpg": "image/jpeg", "mp4": "video/mp4"}[name.rsplit(".", 1)[1]]
    return Media(f"{sandbox}/sandbox/files/{name}", kind, mime_type=mime, width=1, height=1)


# --- connect -------------------------------------------------------------------------------------
def test_verify_logs_in_with_the_app_password_and_returns_the_did(sandbox):
    profile = client_for().verify()
    assert profile.id.startswith("did:plc:") and profile.handle == "alice.bsky.social"
    assert client_for(identifier=profile.id).verify() == profile  # named by its DID too


def test_verify_of_a_wrong_app_password_is_reconnect_required(sandbox):
    with pytest.raises(ReconnectRequired, match="Invalid identifier or password"):
        client_for("invalid-password").verify()


def test_an_app_password_of_another_account_is_refused(sandbox):
    client_for("app-pass-bob", "bob.bsky.social").verify()
    with pytest.raises(ReconnectRequired):
        client_for("app-pass-bob", "alice.bsky.social").verify()


def test_verify_by_e_mail_is_an_account_mismatch_naming_the_identifier(sandbox):
    from providers.errors import AccountMismatch

    with pytest.raises(AccountMismatch) as caught:
        client_for("app-pass-carol", "carol@example.org").verify()
    assert caught.value.field == "identifier" and "@carol.bsky.social" in str(caught.value)


def test_byok_connect_stores_the_did_and_handle_encrypted_and_the_first_call_logs_in(sandbox):
    workspace = factories.make_workspace()
    account, created = services.social_account_connect(
        workspace=workspace,
        mode="test",
        provider="bluesky",
        platform_account_id="dave.bsky.social",
        credentials={"access_token": "app-pass-dave"},
    )
    stored = services.credentials_of(account)
    assert created and account.handle == "dave.bsky.social" and stored["did"].startswith("did:plc:")
    assert "access_jwt" not in stored and account.token_expires_at is None
    result = services.social_account_call(account=account, call=lambda c: c.publish(Content(text="First post")))
    account.refresh_from_db()
    assert services.credentials_of(account)["access_jwt"] and account.token_expires_at is not None
    assert post_record(result.platform_post_id).data["text"] == "First post"


def test_byok_connect_with_a_wrong_app_password_is_a_verification_failure(sandbox):
    with pytest.raises(AccountVerificationFailed):
        services.social_account_connect(
            workspace=factories.make_workspace(),
            mode="test",
            provider="bluesky",
            platform_account_id="erin.bsky.social",
            credentials={"access_token": "invalid-pass"},
        )


def test_byok_connect_by_e_mail_is_account_not_granted(sandbox):
    with pytest.raises(AccountNotGranted):
        services.social_account_connect(
            workspace=factories.make_workspace(),
            mode="test",
            provider="bluesky",
            platform_account_id="frank@example.org",
            credentials={"access_token": "app-pass-frank"},
        )
    assert not SocialAccount.objects.exists()


# --- publish -------------------------------------------------------------------------------------
def test_publish_text_with_facets_returns_the_at_uri_and_the_bsky_app_url(sandbox):
    client = connected()
    bob = client_for("app-pass-bob2", "bob2.bsky.social").verify()
    text = "Héllo 🦋 @bob2.bsky.social see https://dravo.dev/docs. #dravo"
    result = client.publish(Content(text=text, options={"langs": ["en", "pt-BR"]}))
    rkey = result.platform_post_id.rsplit("/", 1)[1]
    assert result.platform_post_id == f"at://{client.credentials['did']}/{POST}/{rkey}"
    assert result.url == f"{sandbox}/sandbox/bluesky/profile/alice.bsky.social/post/{rkey}"
    record = post_record(result.platform_post_id).data["record"]
    data = text.encode()
    spans = {
        f["features"][0]["$type"].split("#")[1]: data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode()
        for f in record["facets"]
    }
    assert spans == {"mention": "@bob2.bsky.social", "link": "https://dravo.dev/docs", "tag": "#dravo"}
    assert record["facets"][0]["features"][0]["did"] == bob.id and record["langs"] == ["en", "pt-BR"]


def test_the_public_page_of_a_post_shows_it(sandbox):
    result = connected().publish(Content(text="On the page"))
    import requests

    page = requests.get(result.url, timeout=5)
    assert page.status_code == 200 and "On the page" in page.text


def test_an_unresolvable_mention_stays_plain_text(sandbox):
    result = connected().publish(Content(text="Hi @nobody.invalid"))
    assert "facets" not in post_record(result.platform_post_id).data["record"]


def test_publish_images_with_alt_texts_checkpoints_each_blob(sandbox):
    saved = []
    content = Content(
        text="Two pictures",
        media=(media(sandbox, "sample.png"), media(sandbox, "sample.jpg")),
        options={"alt_texts": ["A pixel", "A JPEG"]},
    )
    result = connected().publish(content, save_checkpoint=saved.append)
    embed = post_record(result.platform_post_id).data["record"]["embed"]
    assert [image["alt"] for image in embed["images"]] == ["A pixel", "A JPEG"]
    assert [image["image"] for image in embed["images"]] == saved[-1]["blobs"]
    assert len(saved[0]["blobs"]) == 1  # the first blob was saved before the second upload


def test_publish_a_video_through_the_video_service(sandbox):
    saved = []
    content = Content(text="A clip", media=(media(sandbox, "sample.mp4", "video"),), options={"alt_texts": ["Clip"]})
    result = connected().publish(content, save_checkpoint=saved.append)
    embed = post_record(result.platform_post_id).data["record"]["embed"]
    assert embed["$type"] == "app.bsky.embed.video" and embed["alt"] == "Clip"
    assert embed["video"]["mimeType"] == "video/mp4" and saved[0]["video_job"]
    job = SandboxRecord.objects.get(network="bluesky", kind="video_job", object_id=saved[0]["video_job"])
    assert job.status == "JOB_STATE_COMPLETED"


def test_a_video_the_service_cannot_process_is_media_unavailable(sandbox):
    bad = Media(f"{sandbox}/sandbox/files/sample.png", "video", mime_type="video/mp4")
    with pytest.raises(MediaUnavailable, match="could not process"):
        connected().publish(Content(text="Not a video", media=(bad,)))


def test_an_account_out_of_daily_videos_is_rate_limited(sandbox):
    client = connected("app-pass-nv", "novideo.bsky.social")
    with pytest.raises(RateLimited, match="daily video quota"):
        client.publish(Content(text="Clip", media=(media(sandbox, "sample.mp4", "video"),)))


def test_publish_a_link_card_with_a_thumbnail(sandbox):
    card = {
        "url": "https://dravo.dev",
        "title": "Dravo",
        "description": "One API",
        "thumbnail_url": f"{sandbox}/sandbox/files/sample.png",
    }
    saved = []
    result = connected().publish(Content(text="Read this", options={"link_card": card}), save_checkpoint=saved.append)
    external = post_record(result.platform_post_id).data["record"]["embed"]["external"]
    assert (external["uri"], external["title"], external["description"]) == ("https://dravo.dev", "Dravo", "One API")
    assert external["thumb"] == saved[-1]["thumb"] and result.warnings == []


def test_a_thread_chains_replies_to_the_root_and_the_previous_post(sandbox):
    result = connected().publish(Content(text="1/3", options={"thread": ["2/3", "3/3"]}))
    first = post_record(result.platform_post_id)
    root = {"uri": first.object_id, "cid": first.data["cid"]}
    second = SandboxRecord.objects.get(network="bluesky", kind="post", data__text="2/3")
    third = SandboxRecord.objects.get(network="bluesky", kind="post", data__text="3/3")
    assert second.data["record"]["reply"] == {"root": root, "parent": root}
    assert third.data["record"]["reply"] == {
        "root": root,
        "parent": {"uri": second.object_id, "cid": second.data["cid"]},
    }


def test_a_reply_to_a_reply_keeps_the_thread_s_root_and_a_quote_embeds_the_record(sandbox):
    client = connected()
    original = client.publish(Content(text="Original")).platform_post_id
    reply = client.publish(Content(text="Reply", options={"reply_to": original})).platform_post_id
    deeper = client.publish(Content(text="Deeper", options={"reply_to": reply})).platform_post_id
    quote = client.publish(Content(text="Quote", options={"quote": original})).platform_post_id
    assert post_record(deeper).data["record"]["reply"]["root"]["uri"] == original
    assert post_record(deeper).data["record"]["reply"]["parent"]["uri"] == reply
    assert post_record(quote).data["record"]["embed"] == {
        "$type": "app.bsky.embed.record",
        "record": {"uri": original, "cid": post_record(original).data["cid"]},
    }


def test_a_quote_with_images_is_a_record_with_media(sandbox):
    client = connected()
    original = client.publish(Content(text="Original")).platform_post_id
    content = Content(text="Look", media=(media(sandbox, "sample.png"),), options={"quote": original})
    embed = post_record(client.publish(content).platform_post_id).data["record"]["embed"]
    assert embed["$type"] == "app.bsky.embed.recordWithMedia" and embed["media"]["$type"] == "app.bsky.embed.images"


def test_replying_to_an_unknown_post_is_rejected(sandbox):
    with pytest.raises(Rejected, match="to reply to"):
        connected().publish(Content(text="Reply", options={"reply_to": f"at://did:plc:nobody/{POST}/3kabcdefghijk"}))


def test_a_retry_after_a_crash_finds_the_record_by_its_saved_rkey_and_does_not_post_twice(sandbox):
    client = connected()
    saved = []
    result = client.publish(Content(text="Once"), save_checkpoint=saved.append)
    crashed = {"rkeys": saved[-1]["rkeys"]}  # the record was created, the worker died before saving it
    again = client.publish(Content(text="Once"), checkpoint=crashed)
    assert again.platform_post_id == result.platform_post_id
    assert SandboxRecord.objects.filter(network="bluesky", kind="post", data__text="Once").count() == 1
    assert client.reconcile(Content(text="Once"), crashed).platform_post_id == result.platform_post_id


def test_reconcile_without_a_checkpoint_finds_the_post_by_text(sandbox):
    client = connected()
    result = client.publish(Content(text="Find me"))
    assert client.reconcile(Content(text="Find me"), None).platform_post_id == result.platform_post_id
    assert client.reconcile(Content(text="Never posted"), None) is None


def test_the_sandbox_refuses_text_over_300_graphemes(sandbox):
    client = connected()
    assert client.publish(Content(text="e\u0301" * 300)).platform_post_id  # 600 code points, 300 graphemes
    with pytest.raises(Rejected, match="300 graphemes"):
        client.publish(Content(text="a" * 301))


# --- metrics and refresh ---------------------------------------------------------------------
def test_fetch_metrics_reads_the_public_counters(sandbox):
    client = connected()
    result = client.publish(Content(text="Count me"))
    metrics = client.fetch_metrics(result.platform_post_id).metrics
    assert set(metrics) == {"likeCount", "repostCount", "replyCount", "quoteCount", "bookmarkCount"}
    normalized = type(client).normalize_metrics(metrics)
    assert normalized["likes"] == metrics["likeCount"] and normalized["views"] is None


def test_metrics_of_an_unknown_post_are_rejected(sandbox):
    with pytest.raises(Rejected, match="no post"):
        connected().fetch_metrics(f"at://did:plc:nobody/{POST}/3kabcdefghijk")


def test_refresh_rotates_the_session_and_the_old_refresh_token_dies(sandbox):
    client = connected()
    first = client.refresh()
    assert first.credentials["refresh_jwt"] != client.credentials["refresh_jwt"]
    assert first.expires_at is not None
    # the old refresh token is revoked: the client logs in again with the app password
    again = client.refresh()
    assert (
        again.credentials["access_jwt"] and SandboxRecord.objects.filter(network="bluesky", kind="login").count() == 3
    )


def test_the_31st_login_within_5_minutes_is_rate_limited(sandbox):
    for _ in range(30):
        client_for("app-pass-busy", "busy.bsky.social").verify()
    with pytest.raises(RateLimited) as caught:
        client_for("app-pass-busy", "busy.bsky.social").verify()
    assert 250 < caught.value.retry_after <= 300


# --- behaviours ----------------------------------------------------------------------------------
def test_behavior_token_expired_is_token_expired_and_the_refresh_logs_in_again(sandbox):
    client = connected(behavior="token_expired")
    with pytest.raises(TokenExpired):
        client.publish(Content(text="Expired"))
    assert client.refresh().credentials["access_jwt"]  # refreshSession refused, createSession works


def test_behavior_rejects_is_rejected(sandbox):
    with pytest.raises(Rejected, match="refuses every post"):
        connected(behavior="rejects").publish(Content(text="No"))


def test_behavior_rate_limited_fails_once_with_the_reset_time(sandbox):
    client = connected(behavior="rate_limited")
    with pytest.raises(RateLimited) as caught:
        client.publish(Content(text="Busy"))
    assert 0 < caught.value.retry_after <= 2
    assert client.publish(Content(text="Busy")).platform_post_id


def test_behavior_flaky_fails_once_then_publishes(sandbox):
    client = connected(behavior="flaky")
    with pytest.raises(ProviderUnavailable, match="UpstreamFailure"):
        client.publish(Content(text="Flaky"))
    assert client.publish(Content(text="Flaky")).platform_post_id


def test_behavior_slow_still_publishes(sandbox):
    client = connected()
    client.credentials["sandbox"] = {"behavior": "slow", "latency_ms": 50}
    slow = registry.get_client("bluesky", client.credentials, sandbox=True)
    assert slow.publish(Content(text="Slow")).platform_post_id
