"""The Mastodon client against recorded-shape answers (responses): the exact requests,
each error class, the instance URL rules, the counting and the option schema."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests
import responses
from responses import matchers

from providers import public_host
from providers.base import Content, Media
from providers.errors import (
    AccountMismatch,
    MediaUnavailable,
    ProcessingTimeout,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
)
from providers.mastodon import instance as instance_module
from providers.mastodon.client import MastodonClient
from providers.mastodon.instance import InstanceRefused, instance_base
from providers.mastodon.rules import MastodonOptionsSerializer, instance_limits, status_length

API = "https://api.test"  # an operator-pinned host (DRAVO_MASTODON_API_URL), so no DNS is needed
MEDIA_URL = "https://cdn.example/pic.png"
STATUS = {"id": "110000000000000001", "url": "https://mastodon.social/@me/110000000000000001", "created_at": ""}
INSTANCE = {
    "version": "4.5.0",
    "configuration": {
        "statuses": {"max_characters": 1000, "max_media_attachments": 4, "characters_reserved_per_url": 23},
        "media_attachments": {"supported_mime_types": ["image/png", "video/mp4"], "image_size_limit": 100},
        "polls": {"max_options": 5, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 600},
    },
}


def client(**credentials):
    creds = {"access_token": "tok", "instance_url": "https://mastodon.social", **credentials}
    return MastodonClient(creds, endpoints={"api_url": API, "oauth_url": API})


@pytest.fixture
def mocked(settings):
    settings.PROVIDER_POLL_INTERVAL = 0
    settings.PROVIDER_POLL_TIMEOUT = 1
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


# --- verify --------------------------------------------------------------------------------------
def test_verify_reads_the_account_and_the_instance_limits(mocked):
    auth = matchers.header_matcher({"Authorization": "Bearer tok"})
    mocked.get(f"{API}/api/v1/accounts/verify_credentials", json={"id": "42", "username": "me"}, match=[auth])
    mocked.get(f"{API}/api/v2/instance", json=INSTANCE)
    profile = client(account_id="42").verify()
    assert (profile.id, profile.handle) == ("42@mastodon.social", "@me@mastodon.social")
    assert profile.extra["instance"]["limits"]["max_characters"] == 1000
    assert MastodonClient.profile_credentials(profile)["instance_limits"]["poll_max_options"] == 5
    assert len(mocked.calls) == 2


def test_verify_falls_back_to_the_v1_instance_on_an_old_server(mocked):
    mocked.get(f"{API}/api/v1/accounts/verify_credentials", json={"id": "42", "username": "me"})
    mocked.get(f"{API}/api/v2/instance", status=404, json={"error": "Record not found"})
    mocked.get(f"{API}/api/v1/instance", json={"version": "3.5.0"})
    assert client().verify().extra["instance"]["limits"]["max_characters"] == 500


def test_verify_of_a_token_of_another_account_is_an_account_mismatch(mocked):
    mocked.get(f"{API}/api/v1/accounts/verify_credentials", json={"id": "43", "username": "other"})
    with pytest.raises(AccountMismatch) as caught:
        client(account_id="42@mastodon.social").verify()
    assert caught.value.field == "account_id" and len(mocked.calls) == 1


def test_a_revoked_token_requires_a_reconnect(mocked):
    mocked.get(f"{API}/api/v1/accounts/verify_credentials", status=401, json={"error": "The access token is invalid"})
    with pytest.raises(ReconnectRequired, match="access token is invalid"):
        client().verify()


@pytest.mark.parametrize(
    "message",
    ["This action is outside the authorized scopes", "Your login is currently disabled"],
)
def test_a_403_about_scopes_or_the_account_requires_a_reconnect(mocked, message):
    mocked.get(f"{API}/api/v1/accounts/verify_credentials", status=403, json={"error": message})
    with pytest.raises(ReconnectRequired):
        client().verify()


# --- the instance URL ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "http://mastodon.social",
        "https://127.0.0.1",
        "https://[::1]",
        "https://localhost",
        "https://mastodon.social:8443",
        "https://user:pw@mastodon.social",
        "https://mastodon.social/@me",
        "https://printer.local",
        "ftp://mastodon.social",
    ],
)
def test_an_instance_url_must_be_https_on_a_public_host_name(url):
    with pytest.raises(InstanceRefused):
        instance_base(url)


def test_an_instance_url_is_normalized():
    assert instance_base("Mastodon.Social") == "https://mastodon.social"
    assert instance_base("https://fosstodon.org/") == "https://fosstodon.org"


def test_a_host_resolving_to_a_private_address_is_refused_at_verify(monkeypatch, mocked):
    monkeypatch.setattr(public_host.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("10.0.0.5", 443))])
    live = MastodonClient({"access_token": "tok", "instance_url": "https://evil.example"}, endpoints={"api_url": ""})
    with pytest.raises(InstanceRefused, match="non-public"):
        live.verify()
    assert len(mocked.calls) == 0


def test_a_live_account_s_calls_go_to_its_instance_through_the_guarded_session(monkeypatch, mocked):
    monkeypatch.setattr(public_host.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.216.34", 443))])
    live = MastodonClient({"access_token": "tok", "instance_url": "fosstodon.org"}, endpoints={"api_url": ""})
    assert live.session is instance_module.guarded_session()
    mocked.get("https://fosstodon.org/api/v1/accounts/verify_credentials", json={"id": "7", "username": "me"})
    mocked.get("https://fosstodon.org/api/v2/instance", json=INSTANCE)
    assert live.verify().id == "7@fosstodon.org"


# --- publish -------------------------------------------------------------------------------------
def test_publish_sends_the_status_with_its_options_and_an_idempotency_key(mocked):
    saved = []
    options = {"visibility": "private", "spoiler_text": "cw", "sensitive": True, "language": "fr"}
    mocked.post(f"{API}/api/v1/statuses", json=STATUS)
    result = client().publish(Content(text="Bonjour", options=options), save_checkpoint=saved.append)
    request = mocked.calls[0].request
    assert json.loads(request.body) == {"status": "Bonjour", **options}
    assert request.headers["Idempotency-Key"] == saved[0]["idempotency_key"]
    assert (result.platform_post_id, result.url) == (STATUS["id"], STATUS["url"])
    assert saved[-1]["post_ids"] == [STATUS["id"]]


def test_a_retry_sends_the_same_idempotency_key(mocked):
    mocked.post(f"{API}/api/v1/statuses", status=503, json={"error": "unavailable"})
    mocked.post(f"{API}/api/v1/statuses", json=STATUS)
    saved = []
    with pytest.raises(ProviderUnavailable):
        client().publish(Content(text="Once"), save_checkpoint=saved.append)
    client().publish(Content(text="Once"), checkpoint=saved[-1])
    keys = [call.request.headers["Idempotency-Key"] for call in mocked.calls]
    assert keys[0] == keys[1] and len(mocked.calls) == 2


def test_publish_uploads_media_with_alt_text_and_waits_for_processing(mocked):
    mocked.get(MEDIA_URL, body=b"\x89PNG....")
    mocked.post(f"{API}/api/v2/media", status=202, json={"id": "m1", "url": None})
    mocked.get(f"{API}/api/v1/media/m1", status=206, json={"id": "m1", "url": None})
    mocked.get(f"{API}/api/v1/media/m1", json={"id": "m1", "url": "https://files/m1.mp4"})
    mocked.post(f"{API}/api/v1/statuses", json=STATUS)
    options = {"alt_texts": ["A cat"], "focus_points": ["0.1,0.2"]}
    content = Content(text="Clip", media=(Media(MEDIA_URL, "video", "video/mp4"),), options=options)
    client().publish(content)
    upload = mocked.calls[1].request
    assert b'name="description"' in upload.body and b"A cat" in upload.body and b"0.1,0.2" in upload.body
    assert json.loads(mocked.calls[4].request.body)["media_ids"] == ["m1"]
    assert len(mocked.calls) == 5


def test_a_resumed_publish_reuses_uploaded_media(mocked):
    mocked.post(f"{API}/api/v1/statuses", json=STATUS)
    content = Content(text="Pic", media=(Media(MEDIA_URL, "image", "image/png"),))
    checkpoint = {"idempotency_key": "k", "media_ids": ["m9"], "media_ready": ["m9"]}
    client().publish(content, checkpoint=checkpoint)
    assert json.loads(mocked.calls[0].request.body)["media_ids"] == ["m9"] and len(mocked.calls) == 1


def test_media_that_fails_processing_is_media_unavailable(mocked):
    mocked.get(MEDIA_URL, body=b"\x89PNG....")
    mocked.post(f"{API}/api/v2/media", status=202, json={"id": "m1", "url": None})
    mocked.get(f"{API}/api/v1/media/m1", status=422, json={"error": "Processing failed"})
    with pytest.raises(MediaUnavailable):
        client().publish(Content(text="x", media=(Media(MEDIA_URL, "video", "video/mp4"),)))


def test_media_still_processing_after_the_wait_is_a_processing_timeout(mocked):
    mocked.get(MEDIA_URL, body=b"\x89PNG....")
    mocked.post(f"{API}/api/v2/media", status=202, json={"id": "m1", "url": None})
    mocked.get(f"{API}/api/v1/media/m1", status=206, json={"id": "m1", "url": None})
    c = client()
    c.sleep = lambda s: None
    with pytest.raises(ProcessingTimeout):
        c.publish(Content(text="x", media=(Media(MEDIA_URL, "video", "video/mp4"),)))


def test_attaching_unprocessed_media_is_transient(mocked):
    body = {"error": "Cannot attach files that have not finished processing. Try again in a moment!"}
    mocked.post(f"{API}/api/v1/statuses", status=422, json=body)
    with pytest.raises(ProviderUnavailable):
        client().publish(
            Content(text="x"), checkpoint={"idempotency_key": "k", "media_ids": ["m"], "media_ready": ["m"]}
        )


def test_a_poll_and_a_thread_are_sent_as_mastodon_takes_them(mocked):
    second = {**STATUS, "id": "2"}
    mocked.post(f"{API}/api/v1/statuses", json=STATUS)
    mocked.post(f"{API}/api/v1/statuses", json=second)
    poll = {"options": ["a", "b"], "expires_in": 600, "multiple": False}
    client().publish(Content(text="Q?", options={"poll": poll, "thread": ["more"], "visibility": "unlisted"}))
    assert json.loads(mocked.calls[0].request.body)["poll"] == poll
    follow_up = json.loads(mocked.calls[1].request.body)
    assert follow_up == {"status": "more", "in_reply_to_id": STATUS["id"], "visibility": "unlisted"}
    assert mocked.calls[1].request.headers["Idempotency-Key"].endswith("-2")


def test_a_refused_thread_part_ends_the_thread_with_a_warning(mocked):
    mocked.post(f"{API}/api/v1/statuses", json=STATUS)
    mocked.post(f"{API}/api/v1/statuses", status=422, json={"error": "Validation failed: Text can't be blank"})
    result = client().publish(Content(text="1", options={"thread": ["2", "3"]}))
    assert result.platform_post_id == STATUS["id"] and "post 2 of the thread" in result.warnings[0]
    assert len(mocked.calls) == 2


@pytest.mark.parametrize("status", [400, 404, 422])
def test_each_permanent_refusal_is_rejected_with_the_instance_s_message(mocked, status):
    mocked.post(f"{API}/api/v1/statuses", status=status, json={"error": f"Nope {status}"})
    with pytest.raises(Rejected, match=f"Nope {status}"):
        client().publish(Content(text="x"))
    assert len(mocked.calls) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_transient(mocked, status):
    mocked.post(f"{API}/api/v1/statuses", status=status, body="<html>oops</html>")
    with pytest.raises(ProviderUnavailable):
        client().publish(Content(text="x"))


def test_a_timeout_is_transient(mocked):
    mocked.post(f"{API}/api/v1/statuses", body=requests.Timeout())
    with pytest.raises(ProviderUnavailable, match="Timed out"):
        client().publish(Content(text="x"))


def test_a_429_waits_until_the_iso_reset_time(mocked):
    reset = (datetime.now(UTC) + timedelta(seconds=120)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    mocked.post(
        f"{API}/api/v1/statuses", status=429, json={"error": "Too many requests"}, headers={"X-RateLimit-Reset": reset}
    )
    with pytest.raises(RateLimited) as caught:
        client().publish(Content(text="x"))
    assert 100 < caught.value.retry_after <= 120 and len(mocked.calls) == 1


# --- metrics and reconcile -------------------------------------------------------------------------
def test_fetch_metrics_reads_the_status_counts(mocked):
    mocked.get(
        f"{API}/api/v1/statuses/1", json={"id": "1", "favourites_count": 5, "reblogs_count": 2, "replies_count": 1}
    )
    metrics = client().fetch_metrics("1").metrics
    assert metrics == {"favourites_count": 5, "reblogs_count": 2, "replies_count": 1}
    assert MastodonClient.normalize_metrics(metrics) == {
        "views": None,
        "likes": 5,
        "comments": 1,
        "shares": 2,
        "clicks": None,
    }


def test_reconcile_matches_a_recent_status_of_the_account_by_text(mocked):
    now = datetime.now(UTC)
    statuses = [
        {
            "id": "9",
            "created_at": now.isoformat(),
            "content": '<p>Tom &amp; Jerry<br />see <a href="https://x.y"><span class="invisible">https://</span><span>x.y</span></a></p>',
            "url": "u9",
        },
    ]
    match = matchers.query_param_matcher({"limit": "20", "exclude_reblogs": "true"})
    mocked.get(f"{API}/api/v1/accounts/42/statuses", json=statuses, match=[match])
    found = client(account_id="42@mastodon.social").reconcile(
        Content(text="Tom & Jerry\nsee https://x.y"), {"started_at": (now - timedelta(seconds=5)).isoformat()}
    )
    assert (found.platform_post_id, found.url) == ("9", "u9")


def test_reconcile_from_a_complete_checkpoint_needs_no_call(mocked):
    found = client().reconcile(Content(text="x"), {"post_ids": ["5"], "urls": {"5": "u5"}})
    assert (found.platform_post_id, found.url) == ("5", "u5") and len(mocked.calls) == 0


# --- rules ---------------------------------------------------------------------------------------
def test_length_counts_urls_as_23_mentions_without_domain_graphemes_and_the_content_warning():
    assert status_length("https://example.com/" + "a" * 100) == 23
    assert status_length("see https://example.com/x.") == 4 + 23 + 1
    assert status_length("@bob@mastodon.social hi") == len("@bob hi")
    assert status_length("👍🏽👨‍👩‍👧") == 2
    assert status_length("abc", "cw") == 5


def test_validate_uses_the_account_s_instance_limits():
    limits = instance_limits(INSTANCE)
    big = MastodonClient({"instance_limits": limits}, endpoints={})
    assert big.validate(Content(text="a" * 1000)) == []
    assert [p.code for p in big.validate(Content(text="a" * 1001))] == ["too_long"]
    default = MastodonClient({}, endpoints={})
    assert [p.field for p in default.validate(Content(text="a" * 501))] == ["text"]
    poll = {"options": list("abcdef"), "expires_in": 900}
    fields = {p.field for p in big.validate(Content(text="?", options={"poll": poll}))}
    assert fields == {"platform_options.mastodon.poll.options", "platform_options.mastodon.poll.expires_in"}


def test_validate_refuses_mixes_counts_formats_and_a_poll_with_media():
    limits = instance_limits(INSTANCE)
    c = MastodonClient({"instance_limits": limits}, endpoints={})
    image, video = Media("u", "image", "image/png", 10), Media("v", "video", "video/mp4")
    assert [p.code for p in c.validate(Content(text="x", media=(image, video)))] == ["media_mix"]
    assert [p.code for p in c.validate(Content(text="x", media=(image,) * 5))] == ["too_many_media"]
    assert [p.code for p in c.validate(Content(text="x", media=(Media("u", "image", "image/webp"),)))] == ["format"]
    assert [p.code for p in c.validate(Content(text="x", media=(Media("u", "image", "image/png", 101),)))] == ["size"]
    poll = {"options": ["a", "b"], "expires_in": 400}
    assert [p.code for p in c.validate(Content(text="x", media=(image,), options={"poll": poll}))] == ["conflict"]


def test_the_options_schema_is_strict():
    ok = MastodonOptionsSerializer(data={"visibility": "direct", "language": "en", "focus_points": ["-1,1"]})
    assert ok.is_valid(), ok.errors
    for bad in (
        {"visibility": "followers"},
        {"sensitive": "true"},
        {"language": "EN"},
        {"focus_points": ["2,0"]},
        {"spoilertext": "x"},
        {"poll": {"options": ["a", "b"], "expires_in": "600"}},
    ):
        assert not MastodonOptionsSerializer(data=bad).is_valid(), bad
