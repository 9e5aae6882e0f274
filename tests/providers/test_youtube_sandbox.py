"""YouTubeClient walked through the YouTube sandbox over real HTTP (live_server): the
resumable upload (whole and in chunks, resumed after a 5xx), processing, playlists,
thumbnails, statistics, the channel's limits, token refresh and the six behaviours."""

from datetime import UTC, datetime

import pytest
import requests

from providers import registry
from providers.base import Content, Media
from providers.errors import (
    AccountMismatch,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from providers.youtube import quota
from sandbox import youtube as sandbox_youtube
from sandbox.models import SandboxRecord
from tests import media_files

pytestmark = pytest.mark.django_db(transaction=True)
CHANNEL = "UCsandboxCreator000000001"[:24]
UNVERIFIED = "UCunverified_channel_0001"[:24]


@pytest.fixture(autouse=True)
def _no_waiting(fast_polling):
    pass


def client(behavior="ok", *, token="ya29.sbx-yt-1", channel=CHANNEL, **credentials):
    credentials = {"access_token": token, "channel_id": channel, "sandbox": {"behavior": behavior}, **credentials}
    return registry.get_client("youtube", credentials, sandbox=True)


def video(sandbox, name="sample.mp4", **probe):
    return Media(url=f"{sandbox}/sandbox/files/{name}", kind="video", mime_type="video/mp4", **probe)


def videos():
    return SandboxRecord.objects.filter(network="youtube", kind="post")


def playlist(index=0, channel=CHANNEL):
    return sandbox_youtube.playlists_of(channel)[index]["id"]


def api(sandbox, path):
    return f"{sandbox}/sandbox/youtube/youtube/v3{path}"


# --- connect (BYOK verify) and playlists --------------------------------------------------------
def test_verify_binds_a_new_token_to_the_named_channel(sandbox):
    profile = client().verify()
    assert profile.id == CHANNEL and profile.extra["uploads_playlist"] == "UU" + CHANNEL[2:]


def test_verify_refuses_a_token_bound_to_another_channel(sandbox):
    client().verify()
    with pytest.raises(AccountMismatch) as caught:
        client(channel="UCsomeoneElse00000000000").verify()
    assert caught.value.field == "channel_id"


def test_verify_of_an_invalid_token_is_token_expired(sandbox):
    with pytest.raises(TokenExpired, match="invalid authentication"):
        client(token="invalid-token").verify()


def test_destinations_are_the_channel_s_playlists_all_pages(sandbox):
    assert [d.name for d in client().destinations()] == ["Highlights", "Tutorials", "Behind the scenes"]
    many = "UCmanylists_channel_0001"
    found = client(token="ya29.many", channel=many).destinations()
    assert len(found) == 120 and found[-1].name == "Playlist 120" and found[0].kind == "playlist"


# --- publishing --------------------------------------------------------------------------------
def test_publish_a_video_and_open_its_page(sandbox):
    content = Content("Launch day\nEverything we shipped.", (video(sandbox),), {"tags": ["launch"]})
    result = client().publish(content)
    assert result.url == f"{sandbox}/sandbox/youtube/watch?v={result.platform_post_id}"
    record = videos().get()
    assert (record.owner, record.data["title"], record.data["text"]) == (CHANNEL, "Launch day", content.text)
    page = requests.get(result.url, timeout=5)
    assert page.status_code == 200 and "Launch day" in page.text


def test_a_short_gets_its_shorts_page(sandbox):
    short = video(sandbox, width=1080, height=1920, duration_s=30)
    result = client().publish(Content("Quick tip", (short,), {"shorts": True}))
    assert result.url == f"{sandbox}/sandbox/youtube/shorts/{result.platform_post_id}"
    assert requests.get(result.url, timeout=5).status_code == 200


def test_a_big_video_goes_in_chunks_and_processes(sandbox):
    payload = media_files.mp4(seconds=1.0)
    payload += b"\x00" * max(0, 600 * 1024 - len(payload))
    with media_files.http_server({"/big.mp4": (200, {"Content-Type": "video/mp4"}, payload)}) as served:
        big = Media(url=served.url("/big.mp4"), kind="video", mime_type="video/mp4")
        yt = client()
        yt.chunk_bytes = 256 * 1024
        result = yt.publish(Content("Big one", (big,), {"privacy_status": "unlisted"}))
    record = videos().get()
    assert record.data["size"] == len(payload) and record.data["privacy"] == "unlisted"
    statuses = []
    for _ in range(2):
        body = requests.get(
            api(sandbox, "/videos"),
            params={"part": "status,processingDetails", "id": result.platform_post_id},
            headers={"Authorization": "Bearer ya29.sbx-yt-1"},
            timeout=5,
        ).json()
        statuses.append(body["items"][0]["status"]["uploadStatus"])
    assert statuses == ["uploaded", "processed"]


def test_a_5xx_mid_upload_resumes_the_same_session_and_makes_one_video(sandbox):
    content = Content("Flaky", (video(sandbox),), {})
    saved = []
    with pytest.raises(ProviderUnavailable):
        client("flaky").publish(content, save_checkpoint=saved.append)
    assert saved[-1]["upload_url"] and videos().count() == 0
    result = client("flaky").publish(content, checkpoint=saved[-1])
    assert videos().count() == 1 and SandboxRecord.objects.filter(network="youtube", kind="session").count() == 1
    assert client().reconcile(content, saved[-1]) is not None
    assert result.platform_post_id == videos().get().object_id


def test_reconcile_finds_the_upload_of_a_forgotten_session(sandbox):
    content = Content("Found me", (video(sandbox),), {})
    result = client().publish(content)
    checkpoint = {"upload_url": f"{sandbox}/sandbox/youtube/upload/youtube/v3/videos?upload_id=gone", "upload_size": 5}
    checkpoint["upload_started"] = datetime.now(UTC).isoformat()
    assert client().reconcile(content, checkpoint).platform_post_id == result.platform_post_id


def test_playlist_and_thumbnail_after_the_upload(sandbox):
    options = {"playlist_id": playlist(1), "thumbnail_url": f"{sandbox}/sandbox/files/sample.jpg"}
    result = client().publish(Content("In a list", (video(sandbox),), options))
    assert result.warnings == []
    item = SandboxRecord.objects.get(network="youtube", kind="item")
    assert item.data == {"playlist_id": playlist(1), "video_id": result.platform_post_id}
    assert videos().get().data["thumbnail"] is True
    listed = client().destinations()[1]
    assert listed.extra["item_count"] == 1


def test_an_unverified_channel_gets_a_thumbnail_warning_and_a_live_video(sandbox):
    options = {"thumbnail_url": f"{sandbox}/sandbox/files/sample.jpg"}
    result = client(token="ya29.unv", channel=UNVERIFIED).publish(Content("No thumb", (video(sandbox),), options))
    assert videos().count() == 1
    assert result.warnings and "custom thumbnail" in result.warnings[0]


def test_an_unaudited_project_s_video_is_private_with_a_warning(sandbox):
    result = client(token="ya29.una", channel="UCunaudited_channel_0001").publish(
        Content("Locked", (video(sandbox),), {})
    )
    assert videos().get().data["privacy"] == "private"
    assert result.warnings == [
        "YouTube made the video private, not public: uploads of an API project that has not passed Google's "
        "audit are locked to private."
    ]
    asked_private = client(token="ya29.una", channel="UCunaudited_channel_0001").publish(
        Content("Private anyway", (video(sandbox),), {"privacy_status": "private"})
    )
    assert asked_private.warnings == []


def test_a_playlist_of_another_channel_is_a_warning(sandbox):
    options = {"playlist_id": playlist(0, channel="UCsomeoneElse00000000000")}
    result = client().publish(Content("Wrong list", (video(sandbox),), options))
    assert "playlist" in result.warnings[0] and videos().count() == 1


def test_the_sandbox_refuses_what_youtube_refuses(sandbox):
    headers = {"Authorization": "Bearer ya29.sbx-yt-1", "X-Upload-Content-Length": "10"}
    url = f"{sandbox}/sandbox/youtube/upload/youtube/v3/videos"
    params = {"uploadType": "resumable", "part": "snippet,status"}
    cases = [
        ({"snippet": {"title": ""}}, "invalidTitle"),
        ({"snippet": {"title": "a<b"}}, "invalidTitle"),
        ({"snippet": {"title": "ok", "description": "x" * 5001}}, "invalidDescription"),
        (
            {"snippet": {"title": "ok"}, "status": {"privacyStatus": "public", "publishAt": "2027-01-01T00:00:00Z"}},
            "invalidPublishAt",
        ),
    ]
    for body, reason in cases:
        answer = requests.post(url, params=params, json=body, headers=headers, timeout=5)
        assert answer.status_code == 400 and answer.json()["error"]["errors"][0]["reason"] == reason
    part = requests.post(
        url, params={**params, "part": "snippet"}, json={"snippet": {"title": "t"}, "status": {}}, headers=headers
    )
    assert part.json()["error"]["errors"][0]["reason"] == "unexpectedPart"
    started = requests.post(url, params=params, json={"snippet": {"title": "t"}}, headers=headers, timeout=5)
    session = started.headers["Location"]
    odd = requests.put(session, data=b"x" * 5, headers={"Content-Range": "bytes 0-4/10"}, timeout=5)
    assert odd.status_code == 400  # a chunk but the last must be a multiple of 256 KiB
    probe = requests.put(session, headers={"Content-Range": "bytes */10"}, timeout=5)
    assert probe.status_code == 308 and "Range" not in probe.headers


def test_a_project_out_of_quota_holds_back_every_channel_s_upload_until_midnight_pacific(sandbox):
    content = Content("Over", (video(sandbox),), {})
    with pytest.raises(RateLimited, match="quota is used up") as caught:
        client(token="ya29.nq", channel="UCnoquota_channel_000001").publish(content)
    assert abs(caught.value.retry_after - quota.seconds_to_reset()) < 5
    sessions = SandboxRecord.objects.filter(network="youtube", kind="session")
    with pytest.raises(RateLimited, match="would be exceeded"):
        client().publish(content)  # the quota is the app's: another channel waits too, without a call
    assert videos().count() == 0 and sessions.count() == 0


def test_the_sandbox_spends_no_real_quota_so_its_uploads_are_not_counted(sandbox, settings):
    settings.YOUTUBE_QUOTA_DAILY_UNITS = quota.INSERT_UNITS  # a real project could upload once today
    for number in range(3):
        client().publish(Content(f"Upload {number}", (video(sandbox),), {}))
    assert videos().count() == 3
    assert quota.Quota(settings.SANDBOX_APP["client_id"]).used() == 0
    counted = quota.Quota("a-real-project")
    counted.charge("videos.insert")
    with pytest.raises(RateLimited, match="would be exceeded"):
        counted.ensure("videos.insert")


def test_a_channel_at_its_upload_cap_waits_a_day(sandbox):
    with pytest.raises(RateLimited) as capped:
        client(token="ya29.cap", channel="UCuploadcap_channel_0001").publish(Content("Cap", (video(sandbox),), {}))
    assert capped.value.retry_after == 24 * 3600 and videos().count() == 0


def test_metrics_are_statistics_that_grow(sandbox):
    result = client().publish(Content("Counted", (video(sandbox),), {}))
    metrics = client().fetch_metrics(result.platform_post_id)
    assert set(metrics.metrics) == {"views", "likes", "comments", "favorites"} and metrics.metrics["views"] > 0
    with pytest.raises(Rejected):
        client().fetch_metrics("nosuchvideo")


# --- tokens ------------------------------------------------------------------------------------
def test_refresh_adopts_a_byok_refresh_token_and_keeps_it(sandbox):
    first = client(refresh_token="1//mine").refresh()
    assert first.credentials["refresh_token"] == "1//mine" and first.credentials["access_token"].startswith("ya29.")
    assert 3500 <= (first.expires_at - datetime.now(UTC)).total_seconds() <= 3600
    again = client(refresh_token="1//mine").refresh()
    assert again.credentials["access_token"] != first.credentials["access_token"]
    assert client(token=again.credentials["access_token"]).verify().id == CHANNEL


def test_a_revoked_refresh_token_requires_a_reconnect(sandbox):
    client(refresh_token="1//revoke-me").refresh()
    assert requests.post(f"{sandbox}/sandbox/youtube/revoke", params={"token": "1//revoke-me"}, timeout=5).ok
    with pytest.raises(ReconnectRequired, match="expired or revoked"):
        client(refresh_token="1//revoke-me").refresh()


# --- behaviours --------------------------------------------------------------------------------
def test_rate_limited_then_ok(sandbox):
    content = Content("Busy", (video(sandbox),), {})
    with pytest.raises(RateLimited) as caught:
        client("rate_limited").publish(content)
    assert caught.value.retry_after == 60
    assert client("rate_limited").publish(content).platform_post_id


def test_rejects_refuses_every_video(sandbox):
    with pytest.raises(Rejected, match="refuses every post"):
        client("rejects").publish(Content("No", (video(sandbox),), {}))


def test_token_expired_is_token_expired_and_its_refresh_is_refused(sandbox):
    with pytest.raises(TokenExpired):
        client("token_expired").publish(Content("x", (video(sandbox),), {}))
    with pytest.raises(ReconnectRequired):
        client("token_expired", refresh_token="1//any").refresh()


def test_slow_answers_after_its_latency(sandbox):
    credentials = {
        "access_token": "ya29.slow",
        "channel_id": CHANNEL,
        "sandbox": {"behavior": "slow", "latency_ms": 300},
    }
    started = datetime.now(UTC)
    registry.get_client("youtube", credentials, sandbox=True).verify()
    assert (datetime.now(UTC) - started).total_seconds() >= 0.3
