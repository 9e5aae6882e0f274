import json
from datetime import UTC, datetime

import pytest
import requests
import responses
from django.conf import settings

from providers.base import Content, Media
from providers.errors import (
    AccountMismatch,
    MediaUnavailable,
    ProcessingTimeout,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from providers.linkedin.client import LinkedInClient
from providers.linkedin.rules import LinkedInOptions
from tests import factories

API = "https://api.linkedin.com"
OAUTH = "https://www.linkedin.com"
PERSON = "urn:li:person:yrZCpj2Z12"
ORG = "urn:li:organization:5515715"
SHARE = "urn:li:share:7012345678901234567"
UGC = "urn:li:ugcPost:7012345678901234568"
IMAGE = "urn:li:image:D4E10AQH1abc"
VIDEO = "urn:li:video:D5610AQFxyz"
DOCUMENT = "urn:li:document:D4D10AQdoc"
UPLOAD = "https://www.linkedin.com/dms-uploads/sp/D4E10AQH1abc/uploadedImage/0"
MEDIA_URL = "https://cdn.example.com/a.png"
TOKEN = "tok-very-secret"


@pytest.fixture(autouse=True)
def _no_waiting(fast_polling):
    pass


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def client(**extra) -> LinkedInClient:
    credentials = {"access_token": TOKEN, "author_urn": PERSON, **extra}
    endpoints = settings.PROVIDER_ENDPOINTS["linkedin"]
    return LinkedInClient(credentials, endpoints=endpoints, app={"client_id": "cid", "client_secret": "sec"})


def body(call) -> dict:
    return json.loads(call.request.body)


def created(mock, urn=SHARE):
    mock.add(responses.POST, f"{API}/rest/posts", status=201, body="", headers={"x-restli-id": urn})


def error(mock, method, url, status, message, **fields):
    mock.add(method, url, status=status, json={"status": status, "message": message, **fields})


def image_upload(mock, urn=IMAGE, media_url=MEDIA_URL, upload=UPLOAD):
    mock.add(responses.GET, media_url, body=b"\x89PNG-bytes", content_type="image/png")
    value = {"uploadUrlExpiresAt": 1, "uploadUrl": upload, "image": urn}
    mock.add(responses.POST, f"{API}/rest/images?action=initializeUpload", json={"value": value})
    mock.add(responses.PUT, upload, status=201)


def image_status(mock, *statuses, urn=IMAGE):
    for status in statuses:
        mock.add(responses.GET, f"{API}/rest/images/{urn.replace(':', '%3A')}", json={"id": urn, "status": status})


def text_post(text="Hello", **options) -> Content:
    return Content(text=text, options=options)


# --- verify ---------------------------------------------------------------------------
def test_verify_returns_the_member_behind_the_token(mock):
    mock.add(responses.GET, f"{API}/v2/userinfo", json={"sub": "yrZCpj2Z12", "name": "Ada L", "email": "a@x.io"})
    profile = client().verify()
    assert (profile.id, profile.handle, profile.name) == ("yrZCpj2Z12", "a@x.io", "Ada L")
    assert profile.extra["author_urn"] == PERSON
    assert mock.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"


def acls(mock, *elements, status=200):
    mock.add(responses.GET, f"{API}/rest/organizationAcls", status=status, json={"elements": list(elements)})


def acl(organization=ORG, role="ADMINISTRATOR", state="APPROVED"):
    return {"roleAssignee": PERSON, "role": role, "state": state, "organization": organization}


@pytest.mark.parametrize("role", ["ADMINISTRATOR", "CONTENT_ADMINISTRATOR"])
def test_verify_of_an_organization_author_checks_the_members_role_then_returns_the_page(mock, role):
    mock.add(responses.GET, f"{API}/v2/userinfo", json={"sub": "yrZCpj2Z12", "name": "Ada L"})
    acls(mock, acl("urn:li:organization:1", "ANALYST"), acl(role=role))
    mock.add(
        responses.GET,
        f"{API}/rest/organizations/5515715",
        json={"id": 5515715, "localizedName": "Dravo", "vanityName": "dravo"},
    )
    profile = client(author_urn=ORG).verify()
    assert (profile.id, profile.handle, profile.name) == ("5515715", "dravo", "Dravo")
    acl_call = mock.calls[1].request
    assert "q=roleAssignee" in acl_call.url and "state=APPROVED" in acl_call.url
    assert acl_call.headers["LinkedIn-Version"] == "202606" and acl_call.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert len(mock.calls) == 3


@pytest.mark.parametrize(
    "elements",
    [[], [acl(role="ANALYST")], [acl(state="REQUESTED")], [acl("urn:li:organization:42")]],
    ids=["no role", "a role that cannot post", "a role not approved", "another organization"],
)
def test_verify_refuses_an_organization_the_member_cannot_post_for_naming_author_urn(mock, elements):
    mock.add(responses.GET, f"{API}/v2/userinfo", json={"sub": "yrZCpj2Z12", "name": "Ada L"})
    acls(mock, *elements)
    with pytest.raises(AccountMismatch, match="not an approved administrator") as caught:
        client(author_urn=ORG).verify()
    assert caught.value.field == "author_urn"
    assert len(mock.calls) == 2


def test_verify_refuses_a_token_of_another_member_naming_author_urn(mock):
    mock.add(responses.GET, f"{API}/v2/userinfo", json={"sub": "someoneElse", "name": "Bob"})
    with pytest.raises(AccountMismatch, match=f"urn:li:person:someoneElse, not {PERSON}") as caught:
        client().verify()
    assert caught.value.field == "author_urn"


def test_verify_without_an_author_returns_the_member_behind_the_token(mock):
    mock.add(responses.GET, f"{API}/v2/userinfo", json={"sub": "someoneElse", "name": "Bob"})
    assert client(author_urn="").verify().extra["author_urn"] == "urn:li:person:someoneElse"


@pytest.mark.parametrize(
    "answer,error",
    [
        ({"status": 403, "json": {"status": 403, "message": "Not enough permissions to access: organizationAcls"}},
         ReconnectRequired),
        ({"status": 400, "json": {"status": 400, "message": "Invalid param"}}, Rejected),
        ({"status": 503, "json": {"status": 503, "message": "Service Unavailable"}}, ProviderUnavailable),
        ({"body": requests.ConnectTimeout("timed out")}, ProviderUnavailable),
        ({"status": 429, "json": {"status": 429, "message": "Too many requests"}}, RateLimited),
    ],
    ids=["403", "permanent 4xx", "5xx", "timeout", "429"],
)
def test_verify_maps_each_failure_of_the_acl_read(mock, answer, error):
    mock.add(responses.GET, f"{API}/v2/userinfo", json={"sub": "yrZCpj2Z12", "name": "Ada L"})
    mock.add(responses.GET, f"{API}/rest/organizationAcls", **answer)
    with pytest.raises(error):
        client(author_urn=ORG).verify()
    assert len(mock.calls) == 2


def test_verify_maps_a_revoked_token_to_reconnect_required(mock):
    error(
        mock,
        responses.GET,
        f"{API}/v2/userinfo",
        401,
        "The token used in the request has been revoked by the user",
        serviceErrorCode=65601,
        code="REVOKED_ACCESS_TOKEN",
    )
    with pytest.raises(ReconnectRequired) as caught:
        client().verify()
    assert TOKEN not in str(caught.value)


# --- text and article -----------------------------------------------------------------
def test_publish_text_posts_escaped_commentary_with_the_version_headers(mock):
    created(mock)
    result = client().publish(text_post("Hello (world) #dravo_test @team <3 ~ok~ *x* {y} [z] a|b \\"))
    sent = mock.calls[0].request
    assert sent.headers["LinkedIn-Version"] == "202606"
    assert sent.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert sent.headers["Content-Type"] == "application/json"
    assert body(mock.calls[0]) == {
        "author": PERSON,
        "commentary": "Hello \\(world\\) \\#dravo\\_test \\@team \\<3 \\~ok\\~ \\*x\\* \\{y\\} \\[z\\] a\\|b \\\\",
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    assert result.platform_post_id == SHARE
    assert result.url == f"https://www.linkedin.com/feed/update/{SHARE}/"
    assert result.published_at is not None and result.warnings == []


def test_publish_keeps_mentions_in_little_text_form(mock):
    created(mock)
    client().publish(text_post("Thanks @[Dravo](urn:li:organization:123)!", visibility="CONNECTIONS"))
    sent = body(mock.calls[0])
    assert sent["commentary"] == "Thanks @[Dravo](urn:li:organization:123)!"
    assert sent["visibility"] == "CONNECTIONS"


def test_publish_attaches_the_first_url_as_an_article_card_with_the_overrides(mock):
    created(mock)
    client().publish(
        text_post(
            "Read https://dravo.dev/blog/launch. Then https://x.com", link_title="Launch", link_description="We shipped"
        )
    )
    assert body(mock.calls[0])["content"] == {
        "article": {"source": "https://dravo.dev/blog/launch", "title": "Launch", "description": "We shipped"}
    }
    assert len(mock.calls) == 1


def test_publish_reads_the_article_title_and_description_from_the_page(mock):
    page = (
        '<html><head><title>Ignored</title><meta property="og:title" content="Launch day">'
        '<meta property="og:description" content="All about it"></head></html>'
    )
    mock.add(responses.GET, "https://dravo.dev/blog", body=page, content_type="text/html; charset=utf-8")
    created(mock)
    client().publish(text_post("See https://dravo.dev/blog"))
    article = body(mock.calls[1])["content"]["article"]
    assert article == {"source": "https://dravo.dev/blog", "title": "Launch day", "description": "All about it"}


def test_publish_uses_the_address_as_title_when_the_page_cannot_be_read(mock):
    mock.add(responses.GET, "https://dravo.dev/gone", status=404)
    created(mock)
    result = client().publish(text_post("See https://dravo.dev/gone"))
    assert body(mock.calls[1])["content"] == {
        "article": {"source": "https://dravo.dev/gone", "title": "https://dravo.dev/gone"}
    }
    assert "Could not read the title of https://dravo.dev/gone" in result.warnings[0]


def test_publish_without_link_preview_posts_the_text_only(mock):
    created(mock)
    client().publish(text_post("See https://dravo.dev/blog", link_preview=False))
    assert "content" not in body(mock.calls[0])
    assert len(mock.calls) == 1


# --- media ----------------------------------------------------------------------------
def test_publish_single_image_uploads_waits_until_available_and_posts_it(mock):
    image_upload(mock)
    image_status(mock, "PROCESSING", "AVAILABLE")
    created(mock)
    media = Media(url=MEDIA_URL, kind="image", extra={"alt_text": "A cat"})
    result = client().publish(Content(text="Look", media=(media,)))
    assert body(mock.calls[1]) == {"initializeUploadRequest": {"owner": PERSON}}
    put = mock.calls[2].request
    assert (put.method, put.url, put.body) == ("PUT", UPLOAD, b"\x89PNG-bytes")
    assert put.headers["Authorization"] == f"Bearer {TOKEN}"
    assert mock.calls[3].request.url == f"{API}/rest/images/urn%3Ali%3Aimage%3AD4E10AQH1abc"
    assert body(mock.calls[5])["content"] == {"media": {"id": IMAGE, "altText": "A cat"}}
    assert result.platform_post_id == SHARE
    assert len(mock.calls) == 6


def test_publish_several_images_posts_a_multi_image(mock):
    second, second_upload = "urn:li:image:D4E10AQsecond", f"{UPLOAD}/2"
    image_upload(mock)
    image_status(mock, "AVAILABLE")
    image_upload(mock, urn=second, media_url="https://cdn.example.com/b.jpg", upload=second_upload)
    image_status(mock, "AVAILABLE", urn=second)
    created(mock)
    media = (Media(url=MEDIA_URL, kind="image"), Media(url="https://cdn.example.com/b.jpg", kind="image"))
    client().publish(Content(text="Two", media=media))
    assert body(mock.calls[-1])["content"] == {"multiImage": {"images": [{"id": IMAGE}, {"id": second}]}}
    assert len(mock.calls) == 9


def test_publish_video_uploads_each_part_finalizes_with_the_etags_and_waits(mock):
    mock.add(responses.GET, "https://cdn.example.com/v.mp4", body=b"0123456789", content_type="video/mp4")
    parts = [
        {"uploadUrl": "https://up.example/p0", "firstByte": 0, "lastByte": 5},
        {"uploadUrl": "https://up.example/p1", "firstByte": 6, "lastByte": 9},
    ]
    value = {"video": VIDEO, "uploadToken": "", "uploadUrlsExpireAt": 1, "uploadInstructions": parts}
    mock.add(responses.POST, f"{API}/rest/videos?action=initializeUpload", json={"value": value})
    mock.add(responses.PUT, "https://up.example/p0", headers={"ETag": "etag-0"})
    mock.add(responses.PUT, "https://up.example/p1", headers={"ETag": "etag-1"})
    mock.add(responses.POST, f"{API}/rest/videos?action=finalizeUpload", body="")
    for status in ("PROCESSING", "AVAILABLE"):
        mock.add(responses.GET, f"{API}/rest/videos/urn%3Ali%3Avideo%3AD5610AQFxyz", json={"status": status})
    created(mock, UGC)
    result = client().publish(Content(text="Clip", media=(Media(url="https://cdn.example.com/v.mp4", kind="video"),)))
    assert body(mock.calls[1])["initializeUploadRequest"] == {
        "owner": PERSON,
        "fileSizeBytes": 10,
        "uploadCaptions": False,
        "uploadThumbnail": False,
    }
    assert [mock.calls[2].request.body, mock.calls[3].request.body] == [b"012345", b"6789"]
    assert body(mock.calls[4]) == {
        "finalizeUploadRequest": {"video": VIDEO, "uploadToken": "", "uploadedPartIds": ["etag-0", "etag-1"]}
    }
    assert body(mock.calls[7])["content"] == {"media": {"id": VIDEO}}
    assert result.platform_post_id == UGC


def test_publish_document_uploads_the_pdf_and_uses_document_title(mock):
    mock.add(responses.GET, "https://cdn.example.com/deck.pdf", body=b"%PDF-1.4", content_type="application/pdf")
    value = {"uploadUrl": "https://up.example/doc", "document": DOCUMENT}
    mock.add(responses.POST, f"{API}/rest/documents?action=initializeUpload", json={"value": value})
    mock.add(responses.PUT, "https://up.example/doc", status=201)
    mock.add(responses.GET, f"{API}/rest/documents/urn%3Ali%3Adocument%3AD4D10AQdoc", json={"status": "AVAILABLE"})
    created(mock, UGC)
    media = (Media(url="https://cdn.example.com/deck.pdf", kind="document"),)
    client().publish(Content(text="Deck", media=media, options={"document_title": "Q3 deck"}))
    assert body(mock.calls[4])["content"] == {"media": {"id": DOCUMENT, "title": "Q3 deck"}}
    assert len(mock.calls) == 5


def test_publish_document_without_a_title_uses_the_file_name(mock):
    mock.add(responses.GET, "https://cdn.example.com/deck.pdf", body=b"%PDF-1.4")
    value = {"uploadUrl": "https://up.example/doc", "document": DOCUMENT}
    mock.add(responses.POST, f"{API}/rest/documents?action=initializeUpload", json={"value": value})
    mock.add(responses.PUT, "https://up.example/doc", status=201)
    mock.add(responses.GET, f"{API}/rest/documents/urn%3Ali%3Adocument%3AD4D10AQdoc", json={"status": "AVAILABLE"})
    created(mock, UGC)
    client().publish(Content(text="", media=(Media(url="https://cdn.example.com/deck.pdf", kind="document"),)))
    assert body(mock.calls[4])["content"]["media"]["title"] == "deck.pdf"


def test_publish_image_processing_failed_is_media_unavailable(mock):
    image_upload(mock)
    image_status(mock, "PROCESSING_FAILED")
    with pytest.raises(MediaUnavailable, match="PROCESSING_FAILED"):
        client().publish(Content(text="x", media=(Media(url=MEDIA_URL, kind="image"),)))
    assert len(mock.calls) == 4


def test_publish_media_that_cannot_be_downloaded_is_media_unavailable(mock):
    mock.add(responses.GET, MEDIA_URL, status=404)
    with pytest.raises(MediaUnavailable):
        client().publish(Content(text="x", media=(Media(url=MEDIA_URL, kind="image"),)))
    assert len(mock.calls) == 1


def test_publish_image_that_never_becomes_available_times_out(mock, settings):
    settings.PROVIDER_POLL_INTERVAL, settings.PROVIDER_POLL_TIMEOUT = 0.01, 0.05
    image_upload(mock)
    image_status(mock, "PROCESSING")
    saved = []
    with pytest.raises(ProcessingTimeout):
        client().publish(Content(text="x", media=(Media(url=MEDIA_URL, kind="image"),)), save_checkpoint=saved.append)
    assert saved == [{"media_urns": {"0": IMAGE}}]
    assert not any(call.request.url.endswith("/rest/posts") for call in mock.calls)


def test_publish_posts_the_image_when_a_member_token_may_not_read_its_status(mock):
    image_upload(mock)
    error(
        mock,
        responses.GET,
        f"{API}/rest/images/urn%3Ali%3Aimage%3AD4E10AQH1abc",
        403,
        "Not enough permissions to access: images.GET.20260601",
        code="ACCESS_DENIED",
    )
    created(mock)
    result = client().publish(Content(text="x", media=(Media(url=MEDIA_URL, kind="image"),)))
    assert result.platform_post_id == SHARE
    assert len(mock.calls) == 5


# --- checkpoints and duplicates ---------------------------------------------------------
def test_publish_saves_each_checkpoint_as_the_objects_appear(mock):
    image_upload(mock)
    image_status(mock, "AVAILABLE")
    created(mock)
    saved = []
    client().publish(Content(text="x", media=(Media(url=MEDIA_URL, kind="image"),)), save_checkpoint=saved.append)
    assert saved == [
        {"media_urns": {"0": IMAGE}},
        {"media_urns": {"0": IMAGE}, "post_attempted": True},
        {"media_urns": {"0": IMAGE}, "post_attempted": True, "post_urn": SHARE},
    ]


def test_publish_resumes_from_a_checkpoint_without_uploading_again(mock):
    image_status(mock, "AVAILABLE")
    created(mock)
    checkpoint = {"media_urns": {"0": IMAGE}}
    result = client().publish(Content(text="x", media=(Media(url=MEDIA_URL, kind="image"),)), checkpoint=checkpoint)
    assert result.platform_post_id == SHARE
    assert body(mock.calls[1])["content"] == {"media": {"id": IMAGE}}
    assert len(mock.calls) == 2


def test_publish_resumed_after_the_post_exists_does_not_post_again(mock):
    result = client().publish(text_post("x"), checkpoint={"post_attempted": True, "post_urn": SHARE})
    assert result.platform_post_id == SHARE
    assert len(mock.calls) == 0


def test_a_duplicate_after_an_ambiguous_attempt_is_adopted_as_the_result(mock):
    error(mock, responses.POST, f"{API}/rest/posts", 422, f"Content is a duplicate of {SHARE}")
    saved = []
    result = client().publish(text_post("x"), checkpoint={"post_attempted": True}, save_checkpoint=saved.append)
    assert result.platform_post_id == SHARE
    assert saved[-1] == {"post_attempted": True, "post_urn": SHARE}
    assert len(mock.calls) == 1


def test_a_duplicate_on_a_first_attempt_is_rejected(mock):
    error(mock, responses.POST, f"{API}/rest/posts", 422, f"Content is a duplicate of {SHARE}")
    with pytest.raises(Rejected, match="duplicate"):
        client().publish(text_post("x"))
    assert len(mock.calls) == 1


def test_reconcile_returns_the_post_of_a_checkpoint():
    assert client().reconcile(text_post(), {"post_urn": SHARE}).platform_post_id == SHARE
    assert client().reconcile(text_post(), {"post_attempted": True}) is None


# --- first comment ----------------------------------------------------------------------
def test_publish_posts_the_first_comment_after_the_post(mock):
    created(mock)
    comments = f"{API}/rest/socialActions/urn%3Ali%3Ashare%3A7012345678901234567/comments"
    mock.add(responses.POST, comments, status=201, json={}, headers={"x-restli-id": "urn:li:comment:(x,1)"})
    result = client().publish(text_post("x", first_comment="More in the comments"))
    assert body(mock.calls[1]) == {"actor": PERSON, "object": SHARE, "message": {"text": "More in the comments"}}
    assert result.warnings == []
    assert len(mock.calls) == 2


def test_a_failed_first_comment_becomes_a_warning(mock):
    created(mock)
    comments = f"{API}/rest/socialActions/urn%3Ali%3Ashare%3A7012345678901234567/comments"
    error(mock, responses.POST, comments, 500, "Internal Server Error")
    result = client().publish(text_post("x", first_comment="More"))
    assert result.platform_post_id == SHARE
    assert result.warnings == [
        "The post is live but its first comment failed: LinkedIn is unavailable: Internal Server Error"
    ]


# --- error mapping ----------------------------------------------------------------------
def test_a_422_is_rejected_with_linkedins_message(mock):
    error(mock, responses.POST, f"{API}/rest/posts", 422, "/commentary :: text is too long")
    with pytest.raises(Rejected, match="/commentary :: text is too long") as caught:
        client().publish(text_post("x"))
    assert caught.value.permanent and caught.value.status == 422


def test_a_400_is_rejected(mock):
    error(mock, responses.POST, f"{API}/rest/posts", 400, "Invalid author", code="ILLEGAL_ARGUMENT")
    with pytest.raises(Rejected, match="Invalid author"):
        client().publish(text_post("x"))


def test_a_5xx_is_provider_unavailable(mock):
    error(mock, responses.POST, f"{API}/rest/posts", 503, "Service Unavailable")
    with pytest.raises(ProviderUnavailable):
        client().publish(text_post("x"))
    assert len(mock.calls) == 1


def test_unable_to_obtain_activity_is_transient(mock):
    error(mock, responses.POST, f"{API}/rest/posts", 400, "Unable to obtain activity")
    with pytest.raises(ProviderUnavailable):
        client().publish(text_post("x"))


def test_a_timeout_is_provider_unavailable(mock):
    mock.add(responses.POST, f"{API}/rest/posts", body=requests.exceptions.ConnectTimeout())
    with pytest.raises(ProviderUnavailable, match="Timed out"):
        client().publish(text_post("x"))


def test_a_429_is_rate_limited_for_the_retry_after_seconds(mock):
    mock.add(
        responses.POST,
        f"{API}/rest/posts",
        status=429,
        headers={"Retry-After": "30"},
        json={"status": 429, "message": "Resource level throttle APPLICATION DAY limit"},
    )
    with pytest.raises(RateLimited) as caught:
        client().publish(text_post("x"))
    assert caught.value.retry_after == 30


def test_a_429_without_headers_waits_until_midnight_utc(mock):
    error(mock, responses.POST, f"{API}/rest/posts", 429, "Resource level throttle APPLICATION DAY limit")
    with pytest.raises(RateLimited) as caught:
        client().publish(text_post("x"))
    now = datetime.now(UTC)
    until_midnight = 86400 - (now.hour * 3600 + now.minute * 60 + now.second)
    assert abs(caught.value.retry_after - until_midnight) < 5


def test_an_expired_token_with_a_refresh_token_is_token_expired(mock):
    error(
        mock,
        responses.POST,
        f"{API}/rest/posts",
        401,
        "The token used in the request has expired",
        serviceErrorCode=65602,
        code="EXPIRED_ACCESS_TOKEN",
    )
    with pytest.raises(TokenExpired):
        client(refresh_token="r1").publish(text_post("x"))


def test_an_expired_token_without_a_refresh_token_requires_reconnect(mock):
    error(
        mock,
        responses.POST,
        f"{API}/rest/posts",
        401,
        "The token used in the request has expired",
        serviceErrorCode=65602,
        code="EXPIRED_ACCESS_TOKEN",
    )
    with pytest.raises(ReconnectRequired):
        client().publish(text_post("x"))


def test_an_invalid_token_requires_reconnect(mock):
    error(mock, responses.POST, f"{API}/rest/posts", 401, "Invalid access token", serviceErrorCode=65600)
    with pytest.raises(ReconnectRequired):
        client(refresh_token="r1").publish(text_post("x"))


def test_access_denied_requires_reconnect(mock):
    error(
        mock,
        responses.POST,
        f"{API}/rest/posts",
        403,
        "Not enough permissions to access: partnerApiPostsExternal",
        code="ACCESS_DENIED",
        serviceErrorCode=100,
    )
    with pytest.raises(ReconnectRequired, match="Not enough permissions"):
        client().publish(text_post("x"))


def test_a_sunset_version_is_a_permanent_provider_error(mock):
    error(
        mock,
        responses.POST,
        f"{API}/rest/posts",
        426,
        "Requested version 202511 is not active",
        code="NONEXISTENT_VERSION",
    )
    with pytest.raises(ProviderError, match="no longer served") as caught:
        client().publish(text_post("x"))
    assert caught.value.permanent and not isinstance(caught.value, Rejected)


# --- validate ---------------------------------------------------------------------------
def problems(content: Content, **credentials):
    return {(p.field, p.code) for p in client(**credentials).validate(content)}


def test_validate_accepts_a_post_within_every_limit():
    media = (Media(url=MEDIA_URL, kind="image", mime_type="image/png", size_bytes=1000, width=800, height=600),)
    assert client().validate(Content(text="x" * 3000, media=media)) == []


def test_validate_refuses_text_over_3000_characters():
    [problem] = client().validate(Content(text="x" * 3001))
    assert (problem.field, problem.code) == ("text", "too_long")
    assert "3,000" in problem.message and "3001" in problem.message


def test_validate_refuses_a_post_without_text_or_media():
    assert problems(Content(text=" ")) == {("text", "required")}


def test_validate_refuses_a_document_with_other_media():
    media = (Media(url=MEDIA_URL, kind="image"), Media(url="https://x/d.pdf", kind="document"))
    assert problems(Content(text="x", media=media)) == {("media_urls.1", "invalid_combination")}


def test_validate_refuses_a_video_with_other_media():
    media = (Media(url="https://x/v.mp4", kind="video"), Media(url=MEDIA_URL, kind="image"))
    assert problems(Content(text="x", media=media)) == {("media_urls.0", "invalid_combination")}


def test_validate_refuses_more_than_20_images():
    media = tuple(Media(url=f"https://x/{i}.png", kind="image") for i in range(21))
    assert problems(Content(text="x", media=media)) == {("media_urls.20", "too_many")}


def test_validate_refuses_an_image_format_linkedin_does_not_take():
    media = (Media(url="https://x/a.webp", kind="image", mime_type="image/webp"),)
    [problem] = client().validate(Content(text="x", media=media))
    assert (problem.field, problem.code) == ("media_urls.0", "unsupported_format")
    assert "image/webp" in problem.message


def test_validate_refuses_an_image_over_5_mb():
    media = (Media(url=MEDIA_URL, kind="image", size_bytes=6 * 1024 * 1024),)
    assert problems(Content(text="x", media=media)) == {("media_urls.0", "too_large")}


def test_validate_refuses_an_image_of_36_million_pixels_or_more():
    media = (Media(url=MEDIA_URL, kind="image", width=6016, height=6016),)
    assert problems(Content(text="x", media=media)) == {("media_urls.0", "too_large")}


def test_validate_refuses_a_video_shorter_than_3_seconds():
    media = (Media(url="https://x/v.mp4", kind="video", duration_s=2.5),)
    assert problems(Content(text="x", media=media)) == {("media_urls.0", "invalid_duration")}


def test_validate_refuses_a_video_longer_than_30_minutes():
    media = (Media(url="https://x/v.mp4", kind="video", duration_s=1801),)
    assert problems(Content(text="x", media=media)) == {("media_urls.0", "invalid_duration")}


def test_validate_refuses_a_video_outside_the_aspect_ratios():
    media = (Media(url="https://x/v.mp4", kind="video", width=2500, height=1000),)
    assert problems(Content(text="x", media=media)) == {("media_urls.0", "invalid_aspect")}


def test_validate_refuses_a_video_that_is_not_mp4_or_over_500_mb():
    media = (Media(url="https://x/v.mov", kind="video", mime_type="video/quicktime", size_bytes=501 * 1024 * 1024),)
    assert problems(Content(text="x", media=media)) == {
        ("media_urls.0", "unsupported_format"),
        ("media_urls.0", "too_large"),
    }


def test_validate_refuses_a_document_over_300_pages_or_100_mb():
    media = (Media(url="https://x/d.pdf", kind="document", size_bytes=101 * 1024 * 1024, extra={"pages": 301}),)
    found = client().validate(Content(text="x", media=media))
    assert {(p.code, "300 pages" in p.message or "100 MB" in p.message) for p in found} == {
        ("too_large", True),
        ("too_long", True),
    }


def test_validate_refuses_connections_visibility_for_an_organization():
    content = Content(text="x", options={"visibility": "CONNECTIONS"})
    assert problems(content, author_urn=ORG) == {("platform_options.linkedin.visibility", "invalid_choice")}
    assert problems(content) == set()


def test_validate_refuses_a_document_title_without_a_document():
    content = Content(text="x", options={"document_title": "Deck"})
    assert problems(content) == {("platform_options.linkedin.document_title", "invalid_combination")}


def test_validate_refuses_link_overrides_without_an_article_card():
    with_media = Content(
        text="https://dravo.dev", media=(Media(url=MEDIA_URL, kind="image"),), options={"link_title": "T"}
    )
    without_url = Content(text="no link", options={"link_description": "D"})
    assert problems(with_media) == {("platform_options.linkedin.link_title", "invalid_combination")}
    assert problems(without_url) == {("platform_options.linkedin.link_description", "invalid_combination")}


# --- options serializer -----------------------------------------------------------------
def test_options_accept_every_documented_option():
    data = {
        "text": "Hi",
        "visibility": "LOGGED_IN",
        "link_preview": True,
        "link_title": "T",
        "link_description": "D",
        "document_title": "Deck",
        "first_comment": "More",
    }
    serializer = LinkedInOptions(data=data)
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == data


def test_options_refuse_an_unknown_key():
    serializer = LinkedInOptions(data={"poll": {}})
    assert not serializer.is_valid()
    assert "poll" in serializer.errors


def test_options_refuse_a_visibility_in_the_wrong_case():
    serializer = LinkedInOptions(data={"visibility": "public"})
    assert not serializer.is_valid()
    assert "visibility" in serializer.errors


def test_options_refuse_a_first_comment_over_1250_characters():
    serializer = LinkedInOptions(data={"first_comment": "x" * 1251})
    assert not serializer.is_valid()
    assert "first_comment" in serializer.errors


def test_options_refuse_a_document_title_over_400_characters():
    serializer = LinkedInOptions(data={"document_title": "x" * 401})
    assert not serializer.is_valid()
    assert "document_title" in serializer.errors


def test_options_refuse_link_overrides_when_link_preview_is_off():
    serializer = LinkedInOptions(data={"link_preview": False, "link_title": "T"})
    assert not serializer.is_valid()
    assert "link_title" in serializer.errors


# --- refresh ----------------------------------------------------------------------------
def test_refresh_returns_the_new_token_and_keeps_the_rest(mock):
    mock.add(
        responses.POST,
        f"{OAUTH}/oauth/v2/accessToken",
        json={
            "access_token": "new",
            "expires_in": 5184000,
            "refresh_token": "r1",
            "refresh_token_expires_in": 31000000,
        },
    )
    result = client(refresh_token="r1", extra="kept").refresh()
    assert result.credentials == {"access_token": "new", "author_urn": PERSON, "refresh_token": "r1", "extra": "kept"}
    assert 5183990 < (result.expires_at - datetime.now(UTC)).total_seconds() <= 5184000
    assert mock.calls[0].request.body == ("grant_type=refresh_token&refresh_token=r1&client_id=cid&client_secret=sec")


def test_refresh_keeps_the_refresh_token_when_none_comes_back(mock):
    mock.add(responses.POST, f"{OAUTH}/oauth/v2/accessToken", json={"access_token": "new", "expires_in": 60})
    assert client(refresh_token="r1").refresh().credentials["refresh_token"] == "r1"


def test_refresh_without_a_refresh_token_requires_reconnect(mock):
    with pytest.raises(ReconnectRequired, match="no refresh token"):
        client().refresh()
    assert len(mock.calls) == 0


def test_refresh_refused_as_invalid_grant_requires_reconnect(mock):
    mock.add(
        responses.POST,
        f"{OAUTH}/oauth/v2/accessToken",
        status=400,
        json={"error": "invalid_grant", "error_description": "The provided refresh token is revoked"},
    )
    with pytest.raises(ReconnectRequired, match="revoked"):
        client(refresh_token="r1").refresh()


def test_refresh_during_an_outage_is_provider_unavailable(mock):
    mock.add(responses.POST, f"{OAUTH}/oauth/v2/accessToken", status=502, body="Bad gateway")
    with pytest.raises(ProviderUnavailable):
        client(refresh_token="r1").refresh()


def test_refresh_timeout_is_provider_unavailable(mock):
    mock.add(responses.POST, f"{OAUTH}/oauth/v2/accessToken", body=requests.exceptions.ReadTimeout())
    with pytest.raises(ProviderUnavailable):
        client(refresh_token="r1").refresh()


def test_refresh_throttled_is_rate_limited(mock):
    mock.add(responses.POST, f"{OAUTH}/oauth/v2/accessToken", status=429, headers={"Retry-After": "12"}, json={})
    with pytest.raises(RateLimited) as caught:
        client(refresh_token="r1").refresh()
    assert caught.value.retry_after == 12


# --- metrics ----------------------------------------------------------------------------
def test_fetch_metrics_of_an_organization_post_flattens_share_statistics(mock):
    url = (
        f"{API}/rest/organizationalEntityShareStatistics?q=organizationalEntity"
        f"&organizationalEntity=urn%3Ali%3Aorganization%3A5515715&shares=List(urn%3Ali%3Ashare%3A7012345678901234567)"
    )
    stats = {
        "uniqueImpressionsCount": 9,
        "shareCount": 1,
        "engagement": 0.05,
        "clickCount": 2,
        "likeCount": 3,
        "impressionCount": 12,
        "commentCount": 4,
    }
    mock.add(
        responses.GET,
        url,
        json={"elements": [{"totalShareStatistics": stats, "share": SHARE, "organizationalEntity": ORG}]},
    )
    result = client(author_urn=ORG).fetch_metrics(SHARE)
    assert mock.calls[0].request.url == url
    assert result.metrics == {
        "share_statistics_unique_impressions_count": 9,
        "share_statistics_share_count": 1,
        "share_statistics_engagement": 0.05,
        "share_statistics_click_count": 2,
        "share_statistics_like_count": 3,
        "share_statistics_impression_count": 12,
        "share_statistics_comment_count": 4,
    }
    assert (result.warnings, result.partial) == ([], False)


def test_fetch_metrics_of_an_organization_ugc_post_lists_it_as_ugc_posts(mock):
    url = (
        f"{API}/rest/organizationalEntityShareStatistics?q=organizationalEntity"
        f"&organizationalEntity=urn%3Ali%3Aorganization%3A5515715&ugcPosts=List(urn%3Ali%3AugcPost%3A7012345678901234568)"
    )
    mock.add(responses.GET, url, json={"elements": [{"totalShareStatistics": {"likeCount": 1}, "ugcPost": UGC}]})
    assert client(author_urn=ORG).fetch_metrics(UGC).metrics == {"share_statistics_like_count": 1}


def test_fetch_metrics_without_statistics_is_partial_with_a_warning(mock):
    mock.add(responses.GET, f"{API}/rest/organizationalEntityShareStatistics", json={"elements": []})
    result = client(author_urn=ORG).fetch_metrics(SHARE)
    assert result.metrics == {} and result.partial
    assert "no share statistics" in result.warnings[0]


def test_fetch_metrics_of_a_member_post_asks_each_metric_type(mock):
    for query_type, count in (
        ("IMPRESSION", 50),
        ("MEMBERS_REACHED", 40),
        ("RESHARE", 1),
        ("REACTION", 7),
        ("COMMENT", 2),
    ):
        url = (
            f"{API}/rest/memberCreatorPostAnalytics?q=entity&entity=(share:urn%3Ali%3Ashare%3A7012345678901234567)"
            f"&queryType={query_type}&aggregation=TOTAL"
        )
        mock.add(responses.GET, url, json={"elements": [{"count": count, "metricType": query_type}]})
    result = client().fetch_metrics(SHARE)
    assert result.metrics == {"impression": 50, "members_reached": 40, "reshare": 1, "reaction": 7, "comment": 2}
    assert "entity=(share:urn%3Ali%3Ashare%3A7012345678901234567)" in mock.calls[0].request.url
    assert len(mock.calls) == 5 and not result.partial


def test_fetch_metrics_of_a_member_post_skips_a_refused_metric_with_a_warning(mock):
    for query_type in ("IMPRESSION", "MEMBERS_REACHED", "RESHARE", "REACTION", "COMMENT"):
        url = (
            f"{API}/rest/memberCreatorPostAnalytics?q=entity&entity=(ugc:urn%3Ali%3AugcPost%3A7012345678901234568)"
            f"&queryType={query_type}&aggregation=TOTAL"
        )
        if query_type == "RESHARE":
            error(mock, responses.GET, url, 400, "Unsupported queryType")
        else:
            mock.add(responses.GET, url, json={"elements": [{"count": 3}]})
    result = client().fetch_metrics(UGC)
    assert result.metrics == {"impression": 3, "members_reached": 3, "reaction": 3, "comment": 3}
    assert result.partial and "Unsupported queryType" in result.warnings[0]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["true", 1, "1", 0, "false"])
def test_a_link_preview_that_is_not_a_json_boolean_is_a_400_naming_the_option(api_client, workspace, value):
    account = factories.make_account(workspace, provider="linkedin")
    body = {"account_ids": [account.pk], "text": "hi", "platform_options": {"linkedin": {"link_preview": value}}}
    response = api_client.post("/v1/posts", body, format="json")
    assert response.status_code == 400, response.content
    assert [e["attr"] for e in response.json()["errors"]] == ["platform_options.linkedin.link_preview"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "option,value",
    [("text", 1), ("link_title", True), ("link_description", 12), ("document_title", 3.5), ("first_comment", 1),
     ("visibility", 1), ("visibility", True)],
)
def test_a_text_option_that_is_not_a_json_string_is_a_400_naming_the_option(api_client, workspace, option, value):
    account = factories.make_account(workspace, provider="linkedin")
    body = {"account_ids": [account.pk], "text": "hi", "platform_options": {"linkedin": {option: value}}}
    response = api_client.post("/v1/posts", body, format="json")
    assert response.status_code == 400, response.content
    assert [e["attr"] for e in response.json()["errors"]] == [f"platform_options.linkedin.{option}"]
