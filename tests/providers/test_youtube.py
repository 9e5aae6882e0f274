"""YouTubeClient against `responses` fakes shaped like the YouTube Data API v3's answers:
the resumable upload and its resume, playlists and thumbnails after it, errors, the daily
quota, checkpoints, verify, destinations, token refresh and statistics."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from django.conf import settings

from providers.base import Content, Media
from providers.errors import (
    AccountMismatch,
    MediaUnavailable,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from providers.youtube import quota
from providers.youtube.client import YouTubeClient
from providers.youtube.rules import YouTubeOptions

API = "https://www.googleapis.com/youtube/v3"
UPLOAD = "https://www.googleapis.com/upload/youtube/v3/videos"
THUMBS = "https://www.googleapis.com/upload/youtube/v3/thumbnails/set"
TOKEN = "https://oauth2.googleapis.com/token"
SESSION = "https://www.googleapis.com/upload/youtube/v3/videos?uploadType=resumable&upload_id=xa298sd_f"
CHANNEL = "UCuAXFkgsw1L7xaCfnd5JJOw"
VIDEO_ID = "dQw4w9WgXcQ"
PLAYLIST = "PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf"
CREDS = {"access_token": "ya29.secret", "refresh_token": "1//keep", "channel_id": CHANNEL}
VIDEO_URL = "https://cdn.example.com/v.mp4"
THUMB_URL = "https://cdn.example.com/t.jpg"
PAYLOAD = b"\x00\x00\x00\x18ftypmp42" + b"\x01" * 1000
VIDEO = Media(url=VIDEO_URL, kind="video", mime_type="video/mp4", width=1920, height=1080, duration_s=30)


def make_client(**credentials):
    endpoints = settings.PROVIDER_ENDPOINTS["youtube"]
    return YouTubeClient(
        {**CREDS, **credentials}, endpoints=endpoints, app={"client_id": "cid", "client_secret": "sec"}
    )


def content(*media, text="My first video\nAnd its description.", **options):
    return Content(text, media or (VIDEO,), options)


def error(status, reason, message="Nope.", domain="youtube.video"):
    return {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
        }
    }


def video(video_id=VIDEO_ID, upload_status="uploaded", **status):
    return {
        "kind": "youtube#video",
        "id": video_id,
        "snippet": {"channelId": CHANNEL, "title": "My first video"},
        "status": {"uploadStatus": upload_status, "privacyStatus": "public", **status},
    }


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture(autouse=True)
def _no_waiting(fast_polling):
    pass


def start_session(rsps, status=200, **kwargs):
    return rsps.post(UPLOAD, status=status, headers={"Location": SESSION} if status == 200 else None, **kwargs)


def download(rsps, body=PAYLOAD, url=VIDEO_URL):
    rsps.get(url, body=body)


# --- publishing: the upload ---------------------------------------------------------------------
def test_publish_starts_a_session_with_the_metadata_then_puts_the_bytes(rsps):
    download(rsps)
    start_session(rsps)
    rsps.put(SESSION, json=video(), status=201)
    saved = []
    result = make_client().publish(
        content(tags=["a b", "c"], category_id="27", privacy_status="unlisted", made_for_kids=False),
        save_checkpoint=saved.append,
    )
    assert result.platform_post_id == VIDEO_ID
    assert result.url == f"https://www.youtube.com/watch?v={VIDEO_ID}"
    start = rsps.calls[1].request
    assert parse_qs(urlsplit(start.url).query) == {"uploadType": ["resumable"], "part": ["snippet,status"]}
    assert start.headers["X-Upload-Content-Length"] == str(len(PAYLOAD))
    assert start.headers["X-Upload-Content-Type"] == "video/mp4"
    assert start.headers["Authorization"] == "Bearer ya29.secret"
    assert json.loads(start.body) == {
        "snippet": {
            "title": "My first video",
            "description": "My first video\nAnd its description.",
            "tags": ["a b", "c"],
            "categoryId": "27",
        },
        "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False},
    }
    put = rsps.calls[2].request
    assert put.body == PAYLOAD and put.headers["Content-Range"] == f"bytes 0-{len(PAYLOAD) - 1}/{len(PAYLOAD)}"
    assert saved[1]["upload_url"] == SESSION  # checkpointed before a byte was sent
    assert saved[-1]["video_id"] == VIDEO_ID and saved[-1]["upload_url"] is None


def test_title_and_description_options_and_notify_subscribers(rsps):
    download(rsps)
    start_session(rsps)
    rsps.put(SESSION, json=video(), status=201)
    make_client().publish(content(title="Custom", description="Desc", notify_subscribers=False))
    start = rsps.calls[1].request
    assert parse_qs(urlsplit(start.url).query)["notifySubscribers"] == ["false"]
    assert json.loads(start.body)["snippet"] == {"title": "Custom", "description": "Desc"}


def test_chunks_follow_the_range_youtube_answers(rsps):
    payload = b"\x00" * (600 * 1024)
    download(rsps, payload)
    start_session(rsps)
    unit = 256 * 1024
    # The first chunk arrives only partly (YouTube keeps what it got): the next starts there.
    rsps.put(SESSION, status=308, headers={"Range": f"bytes=0-{unit - 1}"})
    rsps.put(SESSION, status=308, headers={"Range": f"bytes=0-{2 * unit - 1}"})
    rsps.put(SESSION, json=video(), status=201)
    client = make_client()
    client.chunk_bytes = 2 * unit
    client.publish(content())
    ranges = [call.request.headers["Content-Range"] for call in rsps.calls[2:]]
    total = len(payload)
    assert ranges == [
        f"bytes 0-{2 * unit - 1}/{total}",
        f"bytes {unit}-{total - 1}/{total}",
        f"bytes {2 * unit}-{total - 1}/{total}",
    ]


def test_a_retry_with_a_live_session_asks_it_and_resumes_without_a_second_upload(rsps):
    rsps.put(SESSION, status=308, headers={"Range": "bytes=0-499"})  # the probe
    download(rsps)
    rsps.put(SESSION, json=video(), status=201)
    saved = []
    checkpoint = {"upload_url": SESSION, "upload_size": len(PAYLOAD), "upload_started": "2026-12-04T10:00:00+00:00"}
    result = make_client().publish(content(), checkpoint=checkpoint, save_checkpoint=saved.append)
    probe, rest = rsps.calls[0].request, rsps.calls[2].request
    assert probe.headers["Content-Range"] == f"bytes */{len(PAYLOAD)}" and not probe.body
    assert rest.headers["Content-Range"] == f"bytes 500-{len(PAYLOAD) - 1}/{len(PAYLOAD)}"
    assert rest.body == PAYLOAD[500:]
    assert result.platform_post_id == VIDEO_ID
    assert not any(call.request.method == "POST" for call in rsps.calls)


def test_a_retry_whose_session_had_finished_takes_its_video_without_fetching_the_file(rsps):
    rsps.put(SESSION, json=video(), status=200)
    result = make_client().publish(content(), checkpoint={"upload_url": SESSION, "upload_size": len(PAYLOAD)})
    assert result.platform_post_id == VIDEO_ID and len(rsps.calls) == 1


def test_a_file_that_changed_since_its_session_starts_a_new_one(rsps):
    rsps.put(SESSION, status=308, headers={"Range": "bytes=0-9"})
    download(rsps)
    start_session(rsps)
    rsps.put(SESSION, json=video(), status=201)
    make_client().publish(content(), checkpoint={"upload_url": SESSION, "upload_size": 20})
    assert [call.request.method for call in rsps.calls] == ["PUT", "GET", "POST", "PUT"]
    assert rsps.calls[3].request.headers["Content-Range"].startswith("bytes 0-")


@pytest.mark.parametrize("status", [404, 410])
def test_a_forgotten_session_starts_the_upload_again(rsps, status):
    rsps.put(SESSION, status=status)
    download(rsps)
    start_session(rsps)
    rsps.put(SESSION, json=video(), status=201)
    result = make_client().publish(content(), checkpoint={"upload_url": SESSION, "upload_size": len(PAYLOAD)})
    assert result.platform_post_id == VIDEO_ID
    assert [call.request.method for call in rsps.calls] == ["PUT", "GET", "POST", "PUT"]


def test_a_5xx_while_sending_keeps_the_session_for_the_retry(rsps):
    download(rsps)
    start_session(rsps)
    rsps.put(SESSION, json=error(503, "backendError", "Backend Error", "global"), status=503)
    saved = []
    with pytest.raises(ProviderUnavailable):
        make_client().publish(content(), save_checkpoint=saved.append)
    assert saved[-1]["upload_url"] == SESSION and not saved[-1].get("video_id")


def test_a_checkpointed_video_is_not_uploaded_again(rsps):
    result = make_client().publish(content(), checkpoint={"video_id": VIDEO_ID})
    assert result.platform_post_id == VIDEO_ID and len(rsps.calls) == 0


def test_a_rejected_upload_is_rejected_and_a_failed_one_media_unavailable(rsps):
    download(rsps)
    start_session(rsps)
    rsps.put(SESSION, json=video(upload_status="rejected", rejectionReason="duplicate"), status=201)
    with pytest.raises(Rejected, match="duplicate"):
        make_client().publish(content())
    download(rsps)
    start_session(rsps)
    rsps.put(SESSION, json=video(upload_status="failed", failureReason="codec"), status=201)
    with pytest.raises(MediaUnavailable, match="codec"):
        make_client().publish(content())


def test_a_video_that_cannot_be_downloaded_is_media_unavailable(rsps):
    rsps.get(VIDEO_URL, status=404)
    with pytest.raises(MediaUnavailable):
        make_client().publish(content())
    assert len(rsps.calls) == 1


def test_a_video_youtube_locked_to_private_is_published_with_a_warning(rsps):
    download(rsps)
    start_session(rsps)
    locked = video()
    locked["status"]["privacyStatus"] = "private"
    rsps.put(SESSION, json=locked, status=201)
    saved = []
    result = make_client().publish(content(privacy_status="unlisted"), save_checkpoint=saved.append)
    assert result.platform_post_id == VIDEO_ID and "private, not unlisted" in result.warnings[0]
    assert saved[-1]["warnings"] == result.warnings  # a retry reports it too


def test_a_vertical_short_video_gets_the_shorts_url(rsps):
    download(rsps)
    start_session(rsps)
    rsps.put(SESSION, json=video(), status=201)
    short = Media(url=VIDEO_URL, kind="video", mime_type="video/mp4", width=1080, height=1920, duration_s=59)
    result = make_client().publish(content(short, shorts=True))
    assert result.url == f"https://www.youtube.com/shorts/{VIDEO_ID}"
    assert "#Shorts" not in rsps.calls[1].request.body.decode()


# --- publishing: playlist and thumbnail ---------------------------------------------------------
def test_the_video_goes_into_the_playlist_and_gets_the_thumbnail(rsps):
    download(rsps)
    start_session(rsps)
    rsps.put(SESSION, json=video(), status=201)
    rsps.post(f"{API}/playlistItems", json={"kind": "youtube#playlistItem", "id": "UExpdGVt"})
    download(rsps, b"\xff\xd8\xff\xe0jpeg", THUMB_URL)
    rsps.post(THUMBS, json={"kind": "youtube#thumbnailSetResponse", "items": [{"default": {"url": "u"}}]})
    saved = []
    result = make_client().publish(content(playlist_id=PLAYLIST, thumbnail_url=THUMB_URL), save_checkpoint=saved.append)
    assert result.warnings == []
    item = rsps.calls[3].request
    assert parse_qs(urlsplit(item.url).query) == {"part": ["snippet"]}
    assert json.loads(item.body) == {
        "snippet": {"playlistId": PLAYLIST, "resourceId": {"kind": "youtube#video", "videoId": VIDEO_ID}}
    }
    thumb = rsps.calls[5].request
    assert parse_qs(urlsplit(thumb.url).query) == {"videoId": [VIDEO_ID]}
    assert thumb.headers["Content-Type"] == "image/jpeg" and thumb.body == b"\xff\xd8\xff\xe0jpeg"
    assert saved[-1]["playlist_item_id"] == "UExpdGVt" and saved[-1]["thumbnail_done"] is True


def test_a_thumbnail_the_channel_may_not_set_is_a_warning(rsps):
    download(rsps, b"\xff\xd8\xff", THUMB_URL)
    rsps.post(THUMBS, json=error(403, "forbidden", "No custom thumbnails.", "youtube.thumbnail"), status=403)
    result = make_client().publish(content(thumbnail_url=THUMB_URL), checkpoint={"video_id": VIDEO_ID})
    assert result.platform_post_id == VIDEO_ID
    assert result.warnings == ["The video is live but its custom thumbnail was not set: YouTube: No custom thumbnails."]


def test_a_refused_playlist_is_a_warning_and_not_tried_again(rsps):
    rsps.post(f"{API}/playlistItems", json=error(404, "playlistNotFound", "Playlist not found."), status=404)
    saved = []
    result = make_client().publish(
        content(playlist_id=PLAYLIST), checkpoint={"video_id": VIDEO_ID}, save_checkpoint=saved.append
    )
    assert "playlist" in result.warnings[0]
    again = make_client().publish(content(playlist_id=PLAYLIST), checkpoint=saved[-1])
    assert again.warnings == result.warnings and len(rsps.calls) == 1


def test_a_retry_after_the_playlist_only_sets_the_thumbnail(rsps):
    download(rsps, b"\x89PNG\r\n", THUMB_URL)
    rsps.post(THUMBS, json={"items": []})
    checkpoint = {"video_id": VIDEO_ID, "playlist_item_id": "UExpdGVt"}
    make_client().publish(content(playlist_id=PLAYLIST, thumbnail_url=THUMB_URL), checkpoint=checkpoint)
    assert rsps.calls[1].request.headers["Content-Type"] == "image/png"


# --- errors and quota ---------------------------------------------------------------------------
def test_quota_exceeded_waits_until_midnight_pacific_and_holds_back_the_next_upload(rsps):
    download(rsps)
    start_session(rsps, status=403, json=error(403, "quotaExceeded", "You have exceeded your quota.", "youtube.quota"))
    with pytest.raises(RateLimited) as caught:
        make_client().publish(content())
    assert abs(caught.value.retry_after - quota.seconds_to_reset()) < 5
    download(rsps)
    with pytest.raises(RateLimited, match="daily quota"):
        make_client().publish(content())  # no call to YouTube: the quota is known to be used up
    assert len(rsps.calls) == 3


def test_the_units_model_allows_six_uploads_a_day(rsps):
    client = make_client()
    for _ in range(6):
        client.quota.ensure("videos.insert")
        client.quota.charge("videos.insert")
    assert client.quota.used() == 9600
    with pytest.raises(RateLimited) as caught:
        client.quota.ensure("videos.insert")
    assert caught.value.retry_after == pytest.approx(quota.seconds_to_reset(), abs=5)
    client.quota.ensure("videos.list")  # 400 units remain for the rest


def test_the_bucket_model_counts_uploads_apart(settings):
    settings.YOUTUBE_QUOTA_MODEL = "bucket"
    settings.YOUTUBE_QUOTA_DAILY_UPLOADS = 2
    client = make_client()
    for _ in range(2):
        client.quota.ensure("videos.insert")
        client.quota.charge("videos.insert")
    assert client.quota.used("uploads") == 2 and client.quota.used() == 0
    with pytest.raises(RateLimited):
        client.quota.ensure("videos.insert")


def test_the_quota_is_per_app():
    make_client().quota.charge("search.list")
    other = YouTubeClient(
        CREDS, endpoints=settings.PROVIDER_ENDPOINTS["youtube"], app={"client_id": "other", "client_secret": ""}
    )
    assert other.quota.used() == 0 and make_client().quota.used() == 100


def test_midnight_pacific():
    from zoneinfo import ZoneInfo

    late = datetime(2026, 12, 4, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert quota.seconds_to_reset(late) == 1800


def test_the_channel_upload_cap_waits_a_day(rsps):
    download(rsps)
    start_session(rsps, status=400, json=error(400, "uploadLimitExceeded", "Too many uploads."))
    with pytest.raises(RateLimited) as caught:
        make_client().publish(content())
    assert caught.value.retry_after == 24 * 3600


@pytest.mark.parametrize(
    ("status", "reason", "raised"),
    [
        (401, "authError", TokenExpired),
        (403, "insufficientPermissions", ReconnectRequired),
        (401, "youtubeSignupRequired", Rejected),
        (400, "invalidTitle", Rejected),
        (403, "forbidden", Rejected),
        (403, "rateLimitExceeded", RateLimited),
        (429, "", RateLimited),
        (500, "backendError", ProviderUnavailable),
    ],
)
def test_errors_of_the_session_start_are_typed(rsps, status, reason, raised):
    download(rsps)
    start_session(rsps, status=status, json=error(status, reason))
    saved = []
    with pytest.raises(raised):
        make_client().publish(content(), save_checkpoint=saved.append)
    assert len(rsps.calls) == 2
    if status < 500:
        assert saved[-1].get("upload_started") is None  # refused: nothing to reconcile


def test_a_timeout_is_unavailable(rsps):
    download(rsps)
    rsps.post(UPLOAD, body=requests.Timeout())
    with pytest.raises(ProviderUnavailable):
        make_client().publish(content())


# --- reconcile ----------------------------------------------------------------------------------
def test_reconcile_takes_the_checkpointed_video():
    assert make_client().reconcile(content(), {"video_id": VIDEO_ID}).platform_post_id == VIDEO_ID


def test_reconcile_asks_the_session_then_the_channel_s_uploads(rsps):
    rsps.put(SESSION, status=410)
    started = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    uploads = {
        "items": [
            {
                "snippet": {
                    "title": "Other",
                    "publishedAt": "2026-12-04T10:00:00Z",
                    "resourceId": {"videoId": "other000001"},
                }
            },
            {
                "snippet": {
                    "title": "My first video",
                    "publishedAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "resourceId": {"kind": "youtube#video", "videoId": VIDEO_ID},
                }
            },
        ]
    }
    rsps.get(f"{API}/playlistItems", json=uploads)
    checkpoint = {"upload_url": SESSION, "upload_size": 10, "upload_started": started}
    result = make_client().reconcile(content(), checkpoint)
    assert result.platform_post_id == VIDEO_ID
    assert parse_qs(urlsplit(rsps.calls[1].request.url).query)["playlistId"] == ["UU" + CHANNEL[2:]]


def test_reconcile_of_an_unfinished_session_is_unknown(rsps):
    rsps.put(SESSION, status=308, headers={"Range": "bytes=0-4"})
    assert make_client().reconcile(content(), {"upload_url": SESSION, "upload_size": 10, "upload_started": "x"}) is None


def test_reconcile_without_an_upload_is_unknown(rsps):
    assert make_client().reconcile(content(), {}) is None


# --- verify, destinations, refresh --------------------------------------------------------------
def channel_list(channel_id=CHANNEL):
    return {
        "items": [
            {
                "id": channel_id,
                "snippet": {"title": "Dravo Channel", "customUrl": "@dravo", "thumbnails": {"default": {"url": "a"}}},
                "contentDetails": {"relatedPlaylists": {"uploads": "UU" + channel_id[2:]}},
            }
        ]
    }


def test_verify_reads_the_channel_behind_the_token(rsps):
    rsps.get(f"{API}/channels", json=channel_list())
    profile = make_client().verify()
    assert (profile.id, profile.handle, profile.name) == (CHANNEL, "@dravo", "Dravo Channel")
    assert parse_qs(urlsplit(rsps.calls[0].request.url).query)["mine"] == ["true"]
    assert YouTubeClient.profile_credentials(profile) == {"channel_id": CHANNEL}


def test_verify_refuses_a_token_of_another_channel(rsps):
    rsps.get(f"{API}/channels", json=channel_list("UCother0000000000000000x"))
    with pytest.raises(AccountMismatch) as caught:
        make_client().verify()
    assert caught.value.field == "channel_id"


def test_verify_of_an_account_without_a_channel_is_rejected(rsps):
    rsps.get(f"{API}/channels", json={"items": []})
    with pytest.raises(Rejected, match="no YouTube channel"):
        make_client().verify()


def test_destinations_read_every_page_of_playlists(rsps):
    def page(ids, token=None):
        body = {
            "items": [{"id": i, "snippet": {"title": f"List {i}"}, "status": {"privacyStatus": "public"}} for i in ids]
        }
        if token:
            body["nextPageToken"] = token
        return body

    rsps.get(f"{API}/playlists", json=page(["PL1", "PL2"], "CAE2"))
    rsps.get(f"{API}/playlists", json=page(["PL3"]))
    found = make_client().destinations()
    assert [(d.id, d.name, d.kind) for d in found] == [
        ("PL1", "List PL1", "playlist"),
        ("PL2", "List PL2", "playlist"),
        ("PL3", "List PL3", "playlist"),
    ]
    assert parse_qs(urlsplit(rsps.calls[1].request.url).query)["pageToken"] == ["CAE2"]


def test_refresh_keeps_the_refresh_token(rsps):
    rsps.post(TOKEN, json={"access_token": "ya29.new", "expires_in": 3599, "token_type": "Bearer"})
    result = make_client().refresh()
    assert result.credentials == {**CREDS, "access_token": "ya29.new"}


def test_an_invalid_grant_requires_a_reconnect(rsps):
    rsps.post(
        TOKEN, json={"error": "invalid_grant", "error_description": "Token has been expired or revoked."}, status=400
    )
    with pytest.raises(ReconnectRequired):
        make_client().refresh()


# --- metrics ------------------------------------------------------------------------------------
def test_metrics_are_the_video_s_statistics(rsps):
    stats = {"viewCount": "1234", "likeCount": "56", "favoriteCount": "0", "commentCount": "7"}
    rsps.get(f"{API}/videos", json={"items": [{"id": VIDEO_ID, "statistics": stats}]})
    result = make_client().fetch_metrics(VIDEO_ID)
    assert result.metrics == {"views": 1234, "likes": 56, "comments": 7, "favorites": 0}
    assert not result.partial
    assert YouTubeClient.normalize_metrics(result.metrics) == {
        "views": 1234,
        "likes": 56,
        "comments": 7,
        "shares": None,
        "clicks": None,
    }
    assert parse_qs(urlsplit(rsps.calls[0].request.url).query) == {"part": ["statistics"], "id": [VIDEO_ID]}


def test_hidden_likes_make_the_metrics_partial(rsps):
    rsps.get(f"{API}/videos", json={"items": [{"id": VIDEO_ID, "statistics": {"viewCount": "5", "commentCount": "0"}}]})
    result = make_client().fetch_metrics(VIDEO_ID)
    assert result.partial and "likeCount" in result.warnings[0]


def test_metrics_of_a_video_youtube_does_not_show_are_rejected(rsps):
    rsps.get(f"{API}/videos", json={"items": []})
    with pytest.raises(Rejected):
        make_client().fetch_metrics(VIDEO_ID)


# --- validate and options -----------------------------------------------------------------------
def codes(content_):
    return [(problem.field, problem.code) for problem in make_client().validate(content_)]


def test_validate_takes_one_video_with_a_title():
    assert codes(content()) == []
    assert codes(Content("", (VIDEO,), {})) == [("platform_options.youtube.title", "required")]
    image = Media(url="https://cdn.example.com/a.jpg", kind="image", mime_type="image/jpeg")
    assert codes(content(image)) == [("media_urls.0", "unsupported_media")]
    assert ("media_urls", "required") in codes(Content("hi", (), {}))


def test_validate_refuses_angle_brackets_and_long_descriptions_in_bytes():
    assert ("text", "invalid_characters") in codes(content(text="a <b> c"))
    assert codes(content(text="é" * 2500)) == []
    assert ("text", "too_long") in codes(content(text="é" * 2501))
    assert ("platform_options.youtube.description", "too_long") in codes(content(description="x" * 5001))


def test_validate_counts_tags_with_their_quotes():
    assert codes(content(tags=["a" * 500])) == []
    assert codes(content(tags=["a b" + "c" * 495])) == []
    assert ("platform_options.youtube.tags", "too_long") in codes(content(tags=["a b" + "c" * 496]))


def test_shorts_must_be_square_or_vertical_and_at_most_three_minutes():
    vertical = Media(url=VIDEO_URL, kind="video", mime_type="video/mp4", width=1080, height=1920, duration_s=180)
    assert codes(content(vertical, shorts=True)) == []
    assert codes(content(VIDEO, shorts=True)) == [("platform_options.youtube.shorts", "not_a_short")]
    long = Media(url=VIDEO_URL, kind="video", width=1080, height=1920, duration_s=181)
    assert codes(content(long, shorts=True)) == [("platform_options.youtube.shorts", "not_a_short")]
    unknown = Media(url=VIDEO_URL, kind="video")
    assert codes(content(unknown, shorts=True)) == [("platform_options.youtube.shorts", "unknown_media")]


def test_the_title_defaults_to_the_first_line_cut_to_100_characters():
    from providers.youtube.rules import title_of

    assert title_of(Content("\n  " + "t" * 150 + "\nrest", (VIDEO,), {})) == "t" * 100


def test_the_options_are_strict():
    ok = YouTubeOptions(data={"privacy_status": "private", "tags": ["a"], "made_for_kids": True, "category_id": "22"})
    assert ok.is_valid(), ok.errors
    for bad in (
        {"privacy_status": "secret"},
        {"made_for_kids": "yes"},
        {"category_id": 22},
        {"tags": "a,b"},
        {"publish_at": "2026-12-01T00:00:00Z"},
        {"title": "x" * 101},
        {"license": "mit"},
    ):
        assert not YouTubeOptions(data=bad).is_valid(), bad
