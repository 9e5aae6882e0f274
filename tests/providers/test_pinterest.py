"""PinterestClient against `responses` fakes shaped like Pinterest's API v5 answers: each
kind of Pin, the video upload, errors, checkpoints, token refresh, metrics and boards."""

import base64
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
import requests
import responses
from django.conf import settings
from responses import matchers

from providers.base import Content, Media
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
from providers.pinterest.client import PinterestClient
from providers.pinterest.rules import PinterestOptions

API = "https://api.pinterest.com/v5"
PINS, MEDIA, TOKEN, BOARDS = f"{API}/pins", f"{API}/media", f"{API}/oauth/token", f"{API}/boards"
UPLOAD = "https://pinterest-media-upload.s3-accelerate.amazonaws.com/"
CREDS = {"access_token": "pina_secret", "refresh_token": "pinr_old", "username": "dravo"}
BOARD = "549755885175"
PIN_ID = "813744226420795884"
MEDIA_ID = "12345"
IMAGE = Media(url="https://cdn.example.com/a.jpg", kind="image", mime_type="image/jpeg")
VIDEO = Media(url="https://cdn.example.com/v.mp4", kind="video", mime_type="video/mp4")
PARAMETERS = {
    "key": "uploads/12345",
    "policy": "cG9saWN5",
    "x-amz-signature": "abc",
    "Content-Type": "multipart/form-data",
}


def make_client(**credentials):
    endpoints = settings.PROVIDER_ENDPOINTS["pinterest"]
    return PinterestClient(
        {**CREDS, **credentials}, endpoints=endpoints, app={"client_id": "cid", "client_secret": "sec"}
    )


def pin(pin_id=PIN_ID, **fields):
    return {
        "id": pin_id,
        "created_at": "2026-12-04T10:00:00",
        "board_id": BOARD,
        "media": {"media_type": "image"},
        "board_owner": {"username": "dravo"},
        "is_owner": True,
        "creative_type": "REGULAR",
        **fields,
    }


def error(code, message):
    return {"code": code, "message": message}


def body_of(call):
    return json.loads(call.request.body)


def content(*media, text="Pinned", **options):
    return Content(text, media or (IMAGE,), {"board_id": BOARD, **options})


@pytest.fixture(autouse=True)
def _no_waiting(fast_polling):
    pass


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def add_video_upload(rsps, statuses=("processing", "succeeded")):
    rsps.get(VIDEO.url, body=b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    registered = {"media_id": MEDIA_ID, "media_type": "video", "upload_url": UPLOAD, "upload_parameters": PARAMETERS}
    rsps.post(MEDIA, json=registered, status=201)
    rsps.post(UPLOAD, status=204)
    for status in statuses:
        rsps.get(f"{MEDIA}/{MEDIA_ID}", json={"media_id": MEDIA_ID, "media_type": "video", "status": status})


# --- publishing each kind ----------------------------------------------------------------------
def test_an_image_pin_goes_on_the_board_with_its_fields(rsps):
    rsps.post(PINS, json=pin(), status=201)
    options = {"title": "Hello", "link": "https://dravo.dev/", "alt_text": "A dot", "dominant_color": "#aa0011"}
    result = make_client().publish(content(**options))
    assert len(rsps.calls) == 1
    assert rsps.calls[0].request.headers["Authorization"] == "Bearer pina_secret"
    assert body_of(rsps.calls[0]) == {
        "board_id": BOARD,
        "title": "Hello",
        "link": "https://dravo.dev/",
        "alt_text": "A dot",
        "dominant_color": "#aa0011",
        "description": "Pinned",
        "media_source": {"source_type": "image_url", "url": IMAGE.url},
    }
    assert result.platform_post_id == PIN_ID
    assert result.url == f"https://www.pinterest.com/pin/{PIN_ID}/"
    assert result.published_at == datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


def test_a_carousel_sends_every_image_url(rsps):
    rsps.post(PINS, json=pin(), status=201)
    images = tuple(Media(url=f"https://cdn.example.com/{n}.jpg", kind="image") for n in range(3))
    make_client().publish(content(*images, board_section_id="42"))
    sent = body_of(rsps.calls[0])
    assert sent["board_section_id"] == "42"
    assert sent["media_source"] == {
        "source_type": "multiple_image_urls",
        "items": [{"url": m.url} for m in images],
        "index": 0,
    }


def test_a_video_is_registered_uploaded_polled_then_pinned_with_its_first_frame(rsps):
    add_video_upload(rsps)
    rsps.post(PINS, json=pin(media={"media_type": "video"}), status=201)
    saved = []
    result = make_client().publish(content(VIDEO), save_checkpoint=saved.append)
    assert len(rsps.calls) == 6
    assert body_of(rsps.calls[1]) == {"media_type": "video"}
    upload = rsps.calls[2].request
    assert "Authorization" not in upload.headers  # the storage host's signed form, not Pinterest's token
    assert b'name="policy"' in upload.body and b"cG9saWN5" in upload.body and b'name="file"' in upload.body
    assert body_of(rsps.calls[5])["media_source"] == {
        "source_type": "video_id",
        "media_id": MEDIA_ID,
        "cover_image_key_frame_time": 0,
    }
    assert [s.get("media_id") for s in saved[:2]] == [MEDIA_ID, MEDIA_ID] and saved[1]["uploaded"] is True
    assert saved[-1]["pin_id"] == PIN_ID and result.platform_post_id == PIN_ID


def test_a_video_cover_can_be_an_image_url(rsps):
    add_video_upload(rsps, statuses=("succeeded",))
    rsps.post(PINS, json=pin(), status=201)
    make_client().publish(content(VIDEO, cover_image_url="https://cdn.example.com/cover.jpg"))
    source = body_of(rsps.calls[-1])["media_source"]
    assert source["cover_image_url"] == "https://cdn.example.com/cover.jpg"
    assert "cover_image_key_frame_time" not in source


def test_a_failed_video_is_media_unavailable_and_forgotten(rsps):
    add_video_upload(rsps, statuses=("processing", "failed"))
    saved = []
    with pytest.raises(MediaUnavailable, match="media 12345 failed"):
        make_client().publish(content(VIDEO), save_checkpoint=saved.append)
    assert saved[-1]["media_id"] is None
    assert len(rsps.calls) == 5


def test_a_video_still_processing_at_the_deadline_is_a_processing_timeout(rsps, settings):
    settings.PROVIDER_POLL_TIMEOUT = 0
    add_video_upload(rsps, statuses=("processing",))
    saved = []
    with pytest.raises(ProcessingTimeout):
        make_client().publish(content(VIDEO), save_checkpoint=saved.append)
    assert saved[-1] == {"media_id": MEDIA_ID, "uploaded": True}


def test_an_upload_url_that_refuses_the_form_makes_the_retry_register_anew(rsps):
    rsps.get(VIDEO.url, body=b"video")
    rsps.post(MEDIA, json={"media_id": MEDIA_ID, "upload_url": UPLOAD, "upload_parameters": PARAMETERS}, status=201)
    rsps.post(UPLOAD, body="<Error><Code>AccessDenied</Code></Error>", status=403)
    saved = []
    with pytest.raises(ProviderUnavailable, match="upload URL refused"):
        make_client().publish(content(VIDEO), save_checkpoint=saved.append)
    assert saved[-1]["media_id"] is None


# --- checkpoints ---------------------------------------------------------------------------------
def test_a_checkpoint_with_the_pin_makes_no_call(rsps):
    result = make_client().publish(content(), checkpoint={"pin_id": PIN_ID})
    assert result.platform_post_id == PIN_ID and len(rsps.calls) == 0


def test_an_uploaded_video_is_only_waited_for_and_pinned(rsps):
    rsps.get(f"{MEDIA}/{MEDIA_ID}", json={"media_id": MEDIA_ID, "status": "succeeded"})
    rsps.post(PINS, json=pin(), status=201)
    make_client().publish(content(VIDEO), checkpoint={"media_id": MEDIA_ID, "uploaded": True})
    assert [c.request.method for c in rsps.calls] == ["GET", "POST"]
    assert body_of(rsps.calls[1])["media_source"]["media_id"] == MEDIA_ID


def test_a_registered_video_whose_upload_finished_before_a_crash_is_not_uploaded_again(rsps):
    rsps.get(f"{MEDIA}/{MEDIA_ID}", json={"media_id": MEDIA_ID, "status": "processing"})
    rsps.get(f"{MEDIA}/{MEDIA_ID}", json={"media_id": MEDIA_ID, "status": "succeeded"})
    rsps.post(PINS, json=pin(), status=201)
    saved = []
    make_client().publish(
        content(VIDEO), checkpoint={"media_id": MEDIA_ID, "uploaded": False}, save_checkpoint=saved.append
    )
    assert len(rsps.calls) == 3 and saved[0]["uploaded"] is True


def test_a_registered_video_never_uploaded_is_registered_again(rsps):
    rsps.get(f"{MEDIA}/99", json={"media_id": "99", "status": "registered"})
    add_video_upload(rsps, statuses=("succeeded",))
    rsps.post(PINS, json=pin(), status=201)
    make_client().publish(content(VIDEO), checkpoint={"media_id": "99", "uploaded": False})
    assert body_of(rsps.calls[-1])["media_source"]["media_id"] == MEDIA_ID


def test_after_an_ambiguous_create_the_board_s_pin_is_adopted_not_made_twice(rsps):
    rsps.post(PINS, body=requests.ConnectTimeout("slow"))
    saved = []
    with pytest.raises(ProviderUnavailable):
        make_client().publish(content(title="Once"), save_checkpoint=saved.append)
    assert saved[-1]["pin_requested"]
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    ours = pin(PIN_ID, title="Once", description="Pinned", created_at=created)
    rsps.get(f"{BOARDS}/{BOARD}/pins", json={"items": [pin("1", title="Other", created_at=created), ours]})
    rsps.calls.reset()
    result = make_client().publish(content(title="Once"), checkpoint=saved[-1])
    assert result.platform_post_id == PIN_ID and len(rsps.calls) == 1
    assert rsps.calls[0].request.params == {"page_size": "25"}


def test_after_an_ambiguous_create_with_no_pin_on_the_board_it_is_created(rsps):
    rsps.get(f"{BOARDS}/{BOARD}/pins", json={"items": [], "bookmark": None})
    rsps.post(PINS, json=pin(), status=201)
    since = datetime.now(UTC).isoformat()
    saved = []
    make_client().publish(content(), checkpoint={"pin_requested": since}, save_checkpoint=saved.append)
    assert len(rsps.calls) == 2 and saved[-1]["pin_id"] == PIN_ID


def test_a_definite_refusal_forgets_the_request(rsps):
    rsps.post(PINS, json=error(1, "Invalid request"), status=400)
    saved = []
    with pytest.raises(Rejected):
        make_client().publish(content(), save_checkpoint=saved.append)
    assert saved[-1]["pin_requested"] is None


def test_reconcile(rsps):
    assert make_client().reconcile(content(), {"pin_id": PIN_ID}).platform_post_id == PIN_ID
    assert make_client().reconcile(content(), {}) is None
    assert make_client().reconcile(content(), None) is None
    old = (datetime.now(UTC) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S")
    rsps.get(f"{BOARDS}/{BOARD}/pins", json={"items": [pin(created_at=old, description="Pinned")]})
    since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    assert make_client().reconcile(content(), {"pin_requested": since}) is None  # too old to be ours
    assert len(rsps.calls) == 1


# --- errors --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "body", "raised"),
    [
        (400, error(1, "Invalid request: 'abc' does not match '^\\\\d+$'"), Rejected),
        (400, error(1, "Invalid request: media_source.items failed constraint: maxItems=5"), Rejected),
        (400, error(1, "Unable to reach the URL: https://cdn.example.com/a.jpg"), MediaUnavailable),
        (404, error(40, "Board not found."), Rejected),
        (403, error(29, "You are not permitted to access that resource."), Rejected),
        (403, error(3, "Your application consumer type is not supported. Missing scope pins:write"), ReconnectRequired),
        (401, error(2, "Authentication failed."), TokenExpired),
        (500, error(3, "Internal error."), ProviderUnavailable),
        (503, {}, ProviderUnavailable),
    ],
)
def test_each_answer_maps_to_its_error(rsps, status, body, raised):
    rsps.post(PINS, json=body, status=status)
    with pytest.raises(raised) as caught:
        make_client().publish(content())
    assert caught.value.status == status and len(rsps.calls) == 1
    assert type(caught.value) is raised


def test_a_timeout_is_provider_unavailable(rsps):
    rsps.post(PINS, body=requests.ReadTimeout("slow"))
    with pytest.raises(ProviderUnavailable, match="Timed out"):
        make_client().publish(content())
    assert len(rsps.calls) == 1


@pytest.mark.parametrize(
    ("headers", "wait"),
    [({"x-ratelimit-reset": "42"}, 42.0), ({"Retry-After": "7"}, 7.0), ({}, 60.0)],
)
def test_a_429_is_rate_limited_until_the_reset(rsps, headers, wait):
    rsps.post(PINS, json=error(8, "You have exceeded your rate limit. Try again later."), status=429, headers=headers)
    with pytest.raises(RateLimited) as caught:
        make_client().publish(content())
    assert caught.value.retry_after == wait and len(rsps.calls) == 1


def test_a_reset_given_as_a_unix_time_is_waited_for(rsps):
    reset = int(datetime.now(UTC).timestamp()) + 300
    rsps.post(PINS, json=error(8, "Slow down"), status=429, headers={"x-ratelimit-reset": str(reset)})
    with pytest.raises(RateLimited) as caught:
        make_client().publish(content())
    assert 290 <= caught.value.retry_after <= 300


# --- account, tokens ------------------------------------------------------------------------------
def test_verify_reads_the_user_account(rsps):
    rsps.get(f"{API}/user_account", json={"username": "dravo", "id": "9001", "account_type": "BUSINESS"})
    profile = make_client().verify()
    assert (profile.id, profile.handle, profile.extra) == (
        "dravo",
        "dravo",
        {"account_type": "BUSINESS", "user_id": "9001"},
    )
    rsps.get(f"{API}/user_account", json={"username": "other"})
    with pytest.raises(AccountMismatch):
        make_client().verify()


def test_refresh_sends_the_app_s_basic_auth_and_stores_the_new_refresh_token(rsps):
    expected = "Basic " + base64.b64encode(b"cid:sec").decode()
    rsps.post(
        TOKEN,
        json={
            "access_token": "pina_new",
            "refresh_token": "pinr_new",
            "response_type": "refresh_token",
            "token_type": "bearer",
            "expires_in": 2592000,
            "refresh_token_expires_in": 5184000,
            "refresh_token_expires_at": 1767225600,
            "scope": "boards:read,pins:read,pins:write,user_accounts:read",
        },
        match=[matchers.header_matcher({"Authorization": expected})],
    )
    result = make_client().refresh()
    form = parse_qs(rsps.calls[0].request.body)
    assert form == {"grant_type": ["refresh_token"], "refresh_token": ["pinr_old"], "continuous_refresh": ["true"]}
    assert result.credentials == {
        "access_token": "pina_new",
        "refresh_token": "pinr_new",
        "refresh_token_expires_at": "2026-01-01T00:00:00+00:00",
        "username": "dravo",
    }
    assert abs(result.expires_at - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=1)


@pytest.mark.parametrize("status", [400, 401, 403])
def test_a_refused_refresh_token_requires_a_reconnect(rsps, status):
    rsps.post(TOKEN, json=error(1, "invalid_grant"), status=status)
    with pytest.raises(ReconnectRequired, match="refused the refresh token"):
        make_client().refresh()
    assert len(rsps.calls) == 1


def test_a_refresh_that_cannot_be_answered_is_retried_later(rsps):
    rsps.post(TOKEN, json=error(3, "Internal error."), status=502)
    with pytest.raises(ProviderUnavailable):
        make_client().refresh()
    rsps.post(TOKEN, json=error(8, "Slow down"), status=429)
    with pytest.raises(RateLimited):
        make_client().refresh()


def test_no_refresh_token_requires_a_reconnect_without_a_call(rsps):
    with pytest.raises(ReconnectRequired):
        make_client(refresh_token="").refresh()
    assert len(rsps.calls) == 0


# --- metrics ------------------------------------------------------------------------------------
def analytics(status="READY"):
    return {
        "all": {
            "lifetime_metrics": {"TOTAL_COMMENTS": 2, "TOTAL_REACTIONS": 12},
            "summary_metrics": {
                "IMPRESSION": 240,
                "PIN_CLICK": 37,
                "OUTBOUND_CLICK": 20,
                "SAVE": 20,
                "SAVE_RATE": 0.08,
            },
            "daily_metrics": [
                {"date": "2026-12-01", "data_status": "BEFORE_PIN_CREATED", "metrics": {}},
                {"date": "2026-12-04", "data_status": status, "metrics": {"IMPRESSION": 240}},
            ],
        }
    }


def test_metrics_read_90_days_of_pin_analytics(rsps):
    rsps.get(f"{PINS}/{PIN_ID}/analytics", json=analytics())
    result = make_client().fetch_metrics(PIN_ID)
    params = rsps.calls[0].request.params
    today = datetime.now(UTC).date()
    assert params["end_date"] == today.isoformat()
    assert params["start_date"] == (today - timedelta(days=89)).isoformat()
    assert params["metric_types"] == "IMPRESSION,SAVE,PIN_CLICK,OUTBOUND_CLICK,SAVE_RATE,TOTAL_COMMENTS,TOTAL_REACTIONS"
    assert (params["app_types"], params["split_field"]) == ("ALL", "NO_SPLIT")
    assert result.metrics == {
        "impressions": 240,
        "saves": 20,
        "pin_clicks": 37,
        "outbound_clicks": 20,
        "save_rate": 0.08,
        "comments": 2,
        "reactions": 12,
    }
    assert not result.partial and result.warnings == []
    assert PinterestClient.normalize_metrics(result.metrics) == {
        "views": 240,
        "likes": 12,
        "comments": 2,
        "shares": 20,
        "clicks": 20,
    }
    assert "save_rate" not in PinterestClient.count_metrics(result.metrics)


def test_metrics_with_days_still_processing_are_partial(rsps):
    rsps.get(f"{PINS}/{PIN_ID}/analytics", json=analytics("PROCESSING"))
    result = make_client().fetch_metrics(PIN_ID)
    assert result.partial and "still processing 1 day" in result.warnings[0]


def test_metrics_of_an_unknown_pin_are_rejected(rsps):
    rsps.get(f"{PINS}/{PIN_ID}/analytics", json={"code": 404, "message": "Pin not found."}, status=404)
    with pytest.raises(Rejected, match="Pin not found"):
        make_client().fetch_metrics(PIN_ID)


# --- destinations -------------------------------------------------------------------------------
def test_destinations_read_every_page_by_bookmark(rsps):
    first = [
        {"id": str(n), "name": f"Board {n}", "privacy": "PUBLIC", "owner": {"username": "dravo"}} for n in range(2)
    ]
    rsps.get(
        BOARDS,
        json={"items": first, "bookmark": "Ym9vaw=="},
        match=[matchers.query_param_matcher({"page_size": "250"})],
    )
    rsps.get(
        BOARDS,
        json={"items": [{"id": "7", "name": "Secret", "privacy": "SECRET"}], "bookmark": None},
        match=[matchers.query_param_matcher({"page_size": "250", "bookmark": "Ym9vaw=="})],
    )
    boards = make_client().destinations()
    assert [(b.id, b.name, b.kind) for b in boards] == [
        ("0", "Board 0", "board"),
        ("1", "Board 1", "board"),
        ("7", "Secret", "board"),
    ]
    assert boards[0].extra == {"privacy": "PUBLIC", "owner": "dravo"}
    assert len(rsps.calls) == 2


def test_destinations_stop_at_a_bookmark_seen_before(rsps):
    rsps.get(BOARDS, json={"items": [{"id": "1", "name": "A"}], "bookmark": "same"})
    assert [b.id for b in make_client().destinations()] == ["1", "1"]
    assert len(rsps.calls) == 2


def test_destinations_of_a_refused_token_are_token_expired(rsps):
    rsps.get(BOARDS, json=error(2, "Authentication failed."), status=401)
    with pytest.raises(TokenExpired):
        make_client().destinations()


# --- options and validation ----------------------------------------------------------------------
def test_a_pin_without_a_board_is_refused_on_board_id():
    problems = make_client().validate(Content("x", (IMAGE,), {}))
    assert [(p.field, p.code) for p in problems] == [("platform_options.pinterest.board_id", "required")]


def test_validation_of_media_and_options():
    client = make_client()

    def codes(content):
        return [(p.field, p.code) for p in client.validate(content)]

    assert codes(Content("x", (), {"board_id": BOARD})) == [("media_urls", "required")]
    assert codes(content(IMAGE, VIDEO)) == [("media_urls", "mixed_media")]
    assert codes(content(*(IMAGE,) * 6)) == [("media_urls", "too_many_media")]
    assert codes(content(Media(url="u", kind="document"))) == [("media_urls.0", "unsupported_media")]
    assert codes(content(Media(url="u", kind="video", duration_s=3))) == [("media_urls.0", "bad_duration")]
    assert codes(content(IMAGE, cover_image_key_frame_time=2)) == [
        ("platform_options.pinterest.cover_image_key_frame_time", "not_applicable")
    ]
    assert codes(content(VIDEO, dominant_color="#000000")) == [
        ("platform_options.pinterest.dominant_color", "not_applicable")
    ]
    assert codes(Content("a" * 801, (IMAGE,), {"board_id": BOARD})) == [("text", "too_long")]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"board_id": "abc"}, "board_id"),
        ({"board_id": 549755885175}, "board_id"),
        ({"title": "t" * 101}, "title"),
        ({"alt_text": "a" * 501}, "alt_text"),
        ({"link": "not a url"}, "link"),
        ({"dominant_color": "red"}, "dominant_color"),
        ({"cover_image_key_frame_time": "1"}, "cover_image_key_frame_time"),
        ({"cover_image_key_frame_time": -1}, "cover_image_key_frame_time"),
        ({"cover_image_url": "https://a.example/c.jpg", "cover_image_key_frame_time": 1}, "cover_image_key_frame_time"),
        ({"boardid": "1"}, "boardid"),
    ],
)
def test_the_options_schema_is_strict(options, field):
    serializer = PinterestOptions(data=options)
    assert not serializer.is_valid() and field in serializer.errors
