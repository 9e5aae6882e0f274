"""The Bluesky client against recorded-shape XRPC answers (responses; no network)."""

import base64
import json
import time

import pytest
import requests
import responses
from responses import matchers

from providers.base import Content, Media
from providers.bluesky import richtext
from providers.bluesky.client import BlueskyClient, new_tid
from providers.bluesky.rules import graphemes
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

PDS = "https://bsky.social/xrpc"
APPVIEW = "https://public.api.bsky.app/xrpc"
VIDEO = "https://video.bsky.app/xrpc"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
POST = "app.bsky.feed.post"
ACCESS = "acc.jwt"
AUTH = matchers.header_matcher({"Authorization": f"Bearer {ACCESS}"})
CREDS = {
    "access_token": "abcd-efgh-ijkl-mnop",
    "identifier": "alice.bsky.social",
    "did": DID,
    "handle": "alice.bsky.social",
    "access_jwt": ACCESS,
    "refresh_jwt": "ref.jwt",
}
PNG = "https://cdn.example.com/a.png"
MP4 = "https://cdn.example.com/v.mp4"
BLOB = {"$type": "blob", "ref": {"$link": "bafkreiabc"}, "mimeType": "image/png", "size": 68}
VBLOB = {"$type": "blob", "ref": {"$link": "bafkreivid"}, "mimeType": "video/mp4", "size": 1000}


def jwt(exp: int) -> str:
    payload = base64.urlsafe_b64encode(json.dumps({"exp": exp}).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJFUzI1NksifQ.{payload}.sig"


SESSION = {
    "accessJwt": jwt(2_000_000_000),
    "refreshJwt": "new.refresh",
    "handle": "alice.bsky.social",
    "did": DID,
    "didDoc": {"service": [{"id": "#atproto_pds", "serviceEndpoint": "https://morel.us-east.host.bsky.network"}]},
    "active": True,
}


@pytest.fixture
def client(settings):
    settings.PROVIDER_POLL_INTERVAL = 0
    return make_client()


def make_client(**overrides):
    from django.conf import settings

    return BlueskyClient({**CREDS, **overrides}, endpoints=settings.PROVIDER_ENDPOINTS["bluesky"])


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def error(name, message):
    return {"error": name, "message": message}


def created(mock, rkey_holder=None, cid="bafyreicid"):
    def answer(request):
        body = json.loads(request.body)
        if rkey_holder is not None:
            rkey_holder.append(body)
        uri = f"at://{DID}/{POST}/{body['rkey']}"
        return 200, {}, json.dumps({"uri": uri, "cid": cid, "commit": {"cid": "c", "rev": "r"}})

    return mock.add_callback(responses.POST, f"{PDS}/com.atproto.repo.createRecord", callback=answer)


# --- rules and facets ------------------------------------------------------------------------------
def test_graphemes_count_user_perceived_characters():
    assert graphemes("👨‍👩‍👧‍👦") == 1 and graphemes("e\u0301") == 1 and graphemes("abc") == 3


def test_validate_counts_graphemes_and_bytes(client):
    assert client.validate(Content(text="e\u0301" * 300)) == []
    assert [p.code for p in client.validate(Content(text="a" * 301))] == ["too_long"]
    too_heavy = "👨‍👩‍👧‍👦" * 150  # 150 graphemes, 3,750 bytes
    assert "3,000 bytes" in client.validate(Content(text=too_heavy))[0].message


def test_validate_refuses_mixes_and_a_card_with_media(client):
    video, image = Media(MP4, "video", mime_type="video/mp4"), Media(PNG, "image", mime_type="image/png")
    assert [p.code for p in client.validate(Content(text="x", media=(video, image)))] == ["media_mix"]
    content = Content(text="x", media=(image,), options={"link_card": {"url": "https://dravo.dev"}})
    assert [p.field for p in client.validate(content)] == ["platform_options.bluesky.link_card"]
    gif = Media("https://cdn.example.com/g.gif", "gif", mime_type="image/gif")
    assert [p.code for p in client.validate(Content(text="x", media=(gif,)))] == ["unsupported"]
    assert [p.code for p in client.validate(Content(text=""))] == ["required"]


def test_facets_use_utf8_byte_offsets_and_skip_unresolved_mentions():
    text = "🦋 @bob.test and @nobody.invalid https://a.example/x). #tag1 #123"
    resolved = richtext.facets(text, lambda handle: "did:plc:bob" if handle == "bob.test" else None)
    data = text.encode()
    spans = [data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode() for f in resolved]
    assert spans == ["@bob.test", "https://a.example/x", "#tag1"]
    assert resolved[0]["index"]["byteStart"] == 5  # the butterfly is 4 bytes, then a space
    assert resolved[2]["features"] == [{"$type": "app.bsky.richtext.facet#tag", "tag": "tag1"}]


def test_new_tids_are_13_sortable_characters():
    first, second = new_tid(), new_tid()
    assert len(first) == 13 and first[0] in "234567abcdefghij" and first <= second


# --- verify -----------------------------------------------------------------------------------------
def test_verify_logs_in_with_the_app_password(client, mock):
    body = {"identifier": "alice.bsky.social", "password": "abcd-efgh-ijkl-mnop"}
    mock.post(f"{PDS}/com.atproto.server.createSession", json=SESSION, match=[matchers.json_params_matcher(body)])
    profile = client.verify()
    assert (profile.id, profile.handle) == (DID, "alice.bsky.social")
    assert BlueskyClient.profile_credentials(profile) == {"did": DID, "handle": "alice.bsky.social"}


def test_verify_of_an_e_mail_identifier_is_an_account_mismatch(mock):
    mock.post(f"{PDS}/com.atproto.server.createSession", json=SESSION)
    with pytest.raises(AccountMismatch) as caught:
        make_client(identifier="alice@example.com").verify()
    assert caught.value.field == "identifier"


@pytest.mark.parametrize(
    "status,body",
    [
        (401, error("AuthenticationRequired", "Invalid identifier or password")),
        (401, error("AuthFactorTokenRequired", "A sign in code has been sent to your email address")),
        (400, error("AccountTakedown", "Account has been taken down")),
    ],
)
def test_a_refused_login_is_reconnect_required(client, mock, status, body):
    mock.post(f"{PDS}/com.atproto.server.createSession", json=body, status=status)
    with pytest.raises(ReconnectRequired, match=body["message"]):
        client.verify()
    assert len(mock.calls) == 1


def test_an_inactive_account_cannot_post(client, mock):
    mock.post(f"{PDS}/com.atproto.server.createSession", json={**SESSION, "active": False, "status": "deactivated"})
    with pytest.raises(ReconnectRequired, match="deactivated"):
        client.verify()


# --- refresh ----------------------------------------------------------------------------------------
def test_refresh_uses_the_refresh_jwt_and_stores_the_new_pair_and_pds(client, mock):
    refresh_auth = matchers.header_matcher({"Authorization": "Bearer ref.jwt"})
    mock.post(f"{PDS}/com.atproto.server.refreshSession", json=SESSION, match=[refresh_auth])
    result = client.refresh()
    assert (
        result.credentials["access_jwt"] == SESSION["accessJwt"] and result.credentials["refresh_jwt"] == "new.refresh"
    )
    assert result.credentials["pds_host"] == "morel.us-east.host.bsky.network"
    assert result.credentials["access_token"] == CREDS["access_token"]  # the app password is kept
    assert int(result.expires_at.timestamp()) == 2_000_000_000


def test_a_revoked_refresh_token_logs_in_again_once(client, mock):
    mock.post(
        f"{PDS}/com.atproto.server.refreshSession", json=error("ExpiredToken", "Token has been revoked"), status=400
    )
    mock.post(f"{PDS}/com.atproto.server.createSession", json=SESSION)
    assert client.refresh().credentials["refresh_jwt"] == "new.refresh"
    assert len(mock.calls) == 2


def test_a_refused_refresh_and_login_is_reconnect_required(client, mock):
    mock.post(
        f"{PDS}/com.atproto.server.refreshSession",
        json=error("InvalidToken", "Token could not be verified"),
        status=400,
    )
    mock.post(
        f"{PDS}/com.atproto.server.createSession",
        json=error("AuthenticationRequired", "Invalid identifier or password"),
        status=401,
    )
    with pytest.raises(ReconnectRequired):
        client.refresh()


def test_refresh_without_a_session_logs_in(mock):
    mock.post(f"{PDS}/com.atproto.server.createSession", json=SESSION)
    creds = {k: v for k, v in CREDS.items() if k not in ("access_jwt", "refresh_jwt")}
    assert BlueskyClient(creds, endpoints={"api_url": "https://bsky.social"}).refresh().credentials["access_jwt"]


def test_a_login_rate_limit_waits_until_ratelimit_reset(client, mock):
    headers = {"ratelimit-reset": str(int(time.time()) + 86000), "ratelimit-limit": "300", "ratelimit-remaining": "0"}
    mock.post(
        f"{PDS}/com.atproto.server.createSession",
        json=error("RateLimitExceeded", "Rate Limit Exceeded"),
        status=429,
        headers=headers,
    )
    with pytest.raises(RateLimited) as caught:
        client.verify()
    assert 85_900 < caught.value.retry_after <= 86_000


# --- publish ------------------------------------------------------------------------------------------
def test_publish_text_creates_one_record_with_facets_under_a_saved_rkey(client, mock):
    mock.get(
        f"{PDS}/com.atproto.identity.resolveHandle",
        json={"did": "did:plc:bob"},
        match=[matchers.query_param_matcher({"handle": "bob.test"})],
    )
    bodies, saved = [], []
    created(mock, bodies)
    result = client.publish(Content(text="Hi @bob.test", options={"langs": ["en"]}), save_checkpoint=saved.append)
    body = bodies[0]
    assert body["repo"] == DID and body["collection"] == POST and body["rkey"] == saved[0]["rkeys"][0]
    assert body["record"]["text"] == "Hi @bob.test" and body["record"]["langs"] == ["en"]
    assert body["record"]["facets"][0]["index"] == {"byteStart": 3, "byteEnd": 12}
    assert result.platform_post_id == f"at://{DID}/{POST}/{body['rkey']}"
    assert result.url == f"https://bsky.app/profile/alice.bsky.social/post/{body['rkey']}"
    assert saved[-1]["posts"] == [{"uri": result.platform_post_id, "cid": "bafyreicid"}]


def test_a_call_without_a_session_is_token_expired_before_any_request(mock):
    creds = {k: v for k, v in CREDS.items() if k != "access_jwt"}
    with pytest.raises(TokenExpired):
        make_client(access_jwt="", **{k: v for k, v in creds.items() if k != "access_jwt"}).publish(Content(text="x"))
    assert len(mock.calls) == 0


def test_images_upload_each_blob_with_alt_and_aspect_ratio(client, mock):
    mock.get(PNG, body=b"\x89PNG" + b"\x00" * 64, content_type="image/png")
    upload = mock.post(
        f"{PDS}/com.atproto.repo.uploadBlob",
        json={"blob": BLOB},
        match=[AUTH, matchers.header_matcher({"Content-Type": "image/png"})],
    )
    bodies, saved = [], []
    created(mock, bodies)
    image = Media(PNG, "image", mime_type="image/png", width=800, height=600)
    client.publish(Content(text="", media=(image,), options={"alt_texts": ["A cat"]}), save_checkpoint=saved.append)
    embed = bodies[0]["record"]["embed"]
    assert embed == {
        "$type": "app.bsky.embed.images",
        "images": [{"image": BLOB, "alt": "A cat", "aspectRatio": {"width": 800, "height": 600}}],
    }
    assert saved[0] == {"blobs": [BLOB]} and upload.call_count == 1


def test_a_retry_reuses_saved_blobs_and_looks_up_the_saved_rkey(client, mock):
    get = mock.get(
        f"{PDS}/com.atproto.repo.getRecord", json=error("RecordNotFound", "Could not locate record"), status=400
    )
    bodies = []
    created(mock, bodies)
    checkpoint = {"blobs": [BLOB], "rkeys": ["3kabcdefghijk"]}
    client.publish(Content(text="x", media=(Media(PNG, "image"),)), checkpoint=checkpoint)
    assert bodies[0]["rkey"] == "3kabcdefghijk" and bodies[0]["record"]["embed"]["images"][0]["image"] == BLOB
    assert get.call_count == 1  # no download, no upload


def test_a_retry_whose_record_exists_does_not_create_it_again(client, mock):
    uri = f"at://{DID}/{POST}/3kabcdefghijk"
    mock.get(f"{PDS}/com.atproto.repo.getRecord", json={"uri": uri, "cid": "bafyreiold", "value": {}})
    result = client.publish(Content(text="x"), checkpoint={"rkeys": ["3kabcdefghijk"]})
    assert result.platform_post_id == uri and len(mock.calls) == 1


def test_video_goes_through_the_video_service_and_polls_the_job(client, mock):
    service = matchers.header_matcher({"Authorization": "Bearer svc"})
    mock.get(f"{PDS}/com.atproto.server.getServiceAuth", json={"token": "svc"}, match=[AUTH])
    mock.get(f"{VIDEO}/app.bsky.video.getUploadLimits", json={"canUpload": True}, match=[service])
    mock.get(MP4, body=b"\x00\x00\x00\x18ftypmp42", content_type="video/mp4")
    mock.post(
        f"{VIDEO}/app.bsky.video.uploadVideo",
        json={"jobStatus": {"jobId": "job1", "did": DID, "state": "JOB_STATE_CREATED"}},
        match=[service],
    )
    mock.get(
        f"{VIDEO}/app.bsky.video.getJobStatus",
        json={"jobStatus": {"jobId": "job1", "state": "JOB_STATE_ENCODING", "progress": 40}},
    )
    mock.get(
        f"{VIDEO}/app.bsky.video.getJobStatus",
        json={"jobStatus": {"jobId": "job1", "state": "JOB_STATE_COMPLETED", "blob": VBLOB}},
    )
    bodies, saved = [], []
    created(mock, bodies)
    client.publish(
        Content(text="clip", media=(Media(MP4, "video", mime_type="video/mp4"),)), save_checkpoint=saved.append
    )
    assert bodies[0]["record"]["embed"] == {"$type": "app.bsky.embed.video", "video": VBLOB}
    assert saved[0] == {"video_job": "job1"} and saved[1]["blobs"] == [VBLOB]
    upload = next(c for c in mock.calls if "uploadVideo" in c.request.url)
    assert f"did={DID.replace(':', '%3A')}" in upload.request.url
    aud = next(c for c in mock.calls if "getServiceAuth" in c.request.url and "uploadBlob" in c.request.url)
    assert "aud=did%3Aweb%3Absky.social" in aud.request.url


def test_a_failed_video_job_is_media_unavailable(client, mock):
    failed = {
        "jobStatus": {"jobId": "job1", "state": "JOB_STATE_FAILED", "error": "invalid_video", "message": "Unsupported"}
    }
    mock.get(f"{VIDEO}/app.bsky.video.getJobStatus", json=failed)
    with pytest.raises(MediaUnavailable, match="Unsupported"):
        client.publish(Content(text="clip", media=(Media(MP4, "video"),)), checkpoint={"video_job": "job1"})


def test_a_video_job_that_never_ends_is_a_processing_timeout(client, mock, settings):
    settings.PROVIDER_POLL_TIMEOUT = 0
    mock.get(
        f"{VIDEO}/app.bsky.video.getJobStatus", json={"jobStatus": {"jobId": "job1", "state": "JOB_STATE_ENCODING"}}
    )
    with pytest.raises(ProcessingTimeout):
        client.publish(Content(text="clip", media=(Media(MP4, "video"),)), checkpoint={"video_job": "job1"})


def test_an_account_that_cannot_upload_video_is_rejected(client, mock):
    mock.get(f"{PDS}/com.atproto.server.getServiceAuth", json={"token": "svc"})
    mock.get(f"{VIDEO}/app.bsky.video.getUploadLimits", json={"canUpload": False, "message": "Verify your email first"})
    with pytest.raises(Rejected, match="Verify your email"):
        client.publish(Content(text="clip", media=(Media(MP4, "video"),)))


def test_a_thread_replies_to_the_root_and_the_previous_post(client, mock):
    bodies = []
    created(mock, bodies)
    result = client.publish(Content(text="1", options={"thread": ["2", "3"]}))
    root = {"uri": result.platform_post_id, "cid": "bafyreicid"}
    assert "reply" not in bodies[0]["record"] and bodies[1]["record"]["reply"] == {"root": root, "parent": root}
    second = {"uri": f"at://{DID}/{POST}/{bodies[1]['rkey']}", "cid": "bafyreicid"}
    assert bodies[2]["record"]["reply"] == {"root": root, "parent": second}


def test_a_refused_thread_part_ends_the_thread_with_a_warning(client, mock):
    bodies = []
    created(mock, bodies)
    mock.post(
        f"{PDS}/com.atproto.repo.createRecord",
        json=error("InvalidRequest", "Invalid app.bsky.feed.post record"),
        status=400,
    )
    result = client.publish(Content(text="1", options={"thread": ["2", "3"]}))
    assert "post 2 of the thread" in result.warnings[0] and len(bodies) == 1


def test_a_reply_to_a_reply_copies_its_root_and_a_quote_embeds_the_strong_ref(client, mock):
    parent_uri, root_uri = f"at://did:plc:bob/{POST}/3kparent", f"at://did:plc:carol/{POST}/3kroot"
    parent = {
        "uri": parent_uri,
        "cid": "bafyparent",
        "record": {"reply": {"root": {"uri": root_uri, "cid": "bafyroot"}}},
    }
    mock.get(f"{APPVIEW}/app.bsky.feed.getPosts", json={"posts": [parent]})
    mock.get(f"{APPVIEW}/app.bsky.feed.getPosts", json={"posts": [parent]})
    bodies = []
    created(mock, bodies)
    client.publish(Content(text="re", options={"reply_to": parent_uri, "quote": parent_uri}))
    record = bodies[0]["record"]
    assert record["reply"] == {
        "root": {"uri": root_uri, "cid": "bafyroot"},
        "parent": {"uri": parent_uri, "cid": "bafyparent"},
    }
    assert record["embed"] == {"$type": "app.bsky.embed.record", "record": {"uri": parent_uri, "cid": "bafyparent"}}


def test_a_link_card_thumbnail_the_fetcher_refuses_is_left_out_with_a_warning(client, mock):
    bodies = []
    created(mock, bodies)
    card = {"url": "https://dravo.dev", "title": "Dravo", "thumbnail_url": "http://127.0.0.1/secret.png"}
    result = client.publish(Content(text="", options={"link_card": card}))
    external = bodies[0]["record"]["embed"]["external"]
    assert external == {"uri": "https://dravo.dev", "title": "Dravo", "description": ""}
    assert "thumbnail was left out" in result.warnings[0]


# --- errors -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "status,body,raised",
    [
        (400, error("ExpiredToken", "Token has expired"), TokenExpired),
        (400, error("InvalidToken", "Token could not be verified"), TokenExpired),
        (401, error("AuthenticationRequired", "Authentication Required"), TokenExpired),
        (
            400,
            error(
                "InvalidRequest", "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"
            ),
            Rejected,
        ),
        (
            400,
            error("BlobTooLarge", "This file is too large. It is 1.47MB but the maximum size is 976.56KB."),
            Rejected,
        ),
        (413, error("PayloadTooLarge", "request entity too large"), MediaUnavailable),
        (500, error("InternalServerError", "Internal Server Error"), ProviderUnavailable),
        (502, error("UpstreamFailure", "Upstream Failure"), ProviderUnavailable),
    ],
)
def test_create_record_errors_are_typed(client, mock, status, body, raised):
    mock.post(f"{PDS}/com.atproto.repo.createRecord", json=body, status=status)
    with pytest.raises(raised, match=body["message"][:20]):
        client.publish(Content(text="x"))
    assert len(mock.calls) == 1


def test_a_write_rate_limit_carries_the_reset_time(client, mock):
    headers = {"ratelimit-reset": str(int(time.time()) + 1200), "ratelimit-policy": "5000;w=3600"}
    mock.post(
        f"{PDS}/com.atproto.repo.createRecord",
        json=error("RateLimitExceeded", "Rate Limit Exceeded"),
        status=429,
        headers=headers,
    )
    with pytest.raises(RateLimited) as caught:
        client.publish(Content(text="x"))
    assert 1100 < caught.value.retry_after <= 1200 and len(mock.calls) == 1


def test_a_timeout_is_provider_unavailable(client, mock):
    mock.post(f"{PDS}/com.atproto.repo.createRecord", body=requests.Timeout())
    with pytest.raises(ProviderUnavailable, match="Timed out"):
        client.publish(Content(text="x"))


# --- metrics and reconcile --------------------------------------------------------------------------------
def test_fetch_metrics_reads_the_appview_counters(client, mock):
    uri = f"at://{DID}/{POST}/3kabc"
    view = {
        "uri": uri,
        "cid": "c",
        "likeCount": 7,
        "repostCount": 2,
        "replyCount": 3,
        "quoteCount": 1,
        "bookmarkCount": 0,
    }
    mock.get(
        f"{APPVIEW}/app.bsky.feed.getPosts", json={"posts": [view]}, match=[matchers.query_param_matcher({"uris": uri})]
    )
    metrics = client.fetch_metrics(uri).metrics
    assert metrics == {"likeCount": 7, "repostCount": 2, "replyCount": 3, "quoteCount": 1, "bookmarkCount": 0}
    assert BlueskyClient.normalize_metrics(metrics) == {
        "views": None,
        "likes": 7,
        "comments": 3,
        "shares": 2,
        "clicks": None,
    }


def test_metrics_of_a_deleted_post_are_rejected(client, mock):
    mock.get(f"{APPVIEW}/app.bsky.feed.getPosts", json={"posts": []})
    with pytest.raises(Rejected, match="no post"):
        client.fetch_metrics(f"at://{DID}/{POST}/3kgone")


def test_reconcile_matches_recent_records_by_text(client, mock):
    records = [
        {"uri": f"at://{DID}/{POST}/3kb", "cid": "c2", "value": {"text": "other"}},
        {"uri": f"at://{DID}/{POST}/3ka", "cid": "c1", "value": {"text": "Hello"}},
    ]
    mock.get(f"{PDS}/com.atproto.repo.listRecords", json={"records": records})
    assert client.reconcile(Content(text="Hello"), None).platform_post_id == f"at://{DID}/{POST}/3ka"


def test_reconcile_of_a_half_published_thread_is_unknown(client):
    posts = [{"uri": f"at://{DID}/{POST}/3ka", "cid": "c1"}]
    assert client.reconcile(Content(text="1", options={"thread": ["2"]}), {"posts": posts}) is None
