"""PinterestClient walked through the Pinterest sandbox over real HTTP (live_server):
every kind of Pin, the video upload and its checkpoint, boards by pages, analytics,
token refresh and the six behaviours."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
import requests

from providers import registry
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
from sandbox import pinterest as sandbox_pinterest
from sandbox.models import SandboxRecord

pytestmark = pytest.mark.django_db(transaction=True)
USER = "sandbox_pinner"
APP = base64.b64encode(b"dravo-sandbox:dravo-sandbox-secret").decode()


@pytest.fixture(autouse=True)
def _no_waiting(fast_polling):
    pass


def client(behavior="ok", *, token="sbx-pin-tok-1", username=USER, **credentials):
    credentials = {"access_token": token, "username": username, "sandbox": {"behavior": behavior}, **credentials}
    return registry.get_client("pinterest", credentials, sandbox=True)


def board(index=0, username=USER):
    return sandbox_pinterest.boards_of(username)[index]["id"]


def image(sandbox, name="sample.jpg"):
    return Media(url=f"{sandbox}/sandbox/files/{name}", kind="image")


def video(sandbox, name="sample.mp4"):
    return Media(url=f"{sandbox}/sandbox/files/{name}", kind="video", mime_type="video/mp4")


def pins():
    return SandboxRecord.objects.filter(network="pinterest", kind="post")


def api(sandbox, path):
    return f"{sandbox}/sandbox/pinterest/v5{path}"


# --- connect (BYOK verify) and boards ---------------------------------------------------------
def test_verify_binds_a_new_token_to_the_named_user(sandbox):
    profile = client().verify()
    assert (profile.id, profile.handle) == (USER, USER)
    assert profile.extra["account_type"] == "BUSINESS" and profile.extra["user_id"].isdigit()


def test_verify_refuses_a_token_bound_to_another_user(sandbox):
    client().verify()
    with pytest.raises(AccountMismatch) as caught:
        client(username="someone_else").verify()
    assert caught.value.field == "username"


def test_verify_of_an_invalid_token_is_token_expired(sandbox):
    with pytest.raises(TokenExpired, match="Authentication failed"):
        client(token="invalid-token").verify()


def test_destinations_are_the_user_s_three_boards(sandbox):
    boards = client().destinations()
    assert [(b.name, b.kind) for b in boards] == [("Ideas", "board"), ("Recipes", "board"), ("Travel", "board")]
    assert boards[0].id == board(0) and len(boards[0].id) == 18 and boards[0].id.isdigit()
    assert boards[2].extra["privacy"] == "SECRET" and boards[0].extra["owner"] == USER


def test_destinations_read_every_page_of_boards(sandbox):
    boards = client(username="many_boards_pinner", token="sbx-many").destinations()
    assert len(boards) == 260 and len({b.id for b in boards}) == 260
    assert boards[-1].name == "Board 260"


def test_the_sandbox_pages_boards_by_bookmark(sandbox):
    headers = {"Authorization": "Bearer sbx-pages"}
    first = requests.get(api(sandbox, "/boards"), params={"page_size": 2}, headers=headers, timeout=5).json()
    assert len(first["items"]) == 2 and first["bookmark"]
    second = requests.get(
        api(sandbox, "/boards"), params={"page_size": 2, "bookmark": first["bookmark"]}, headers=headers, timeout=5
    ).json()
    assert len(second["items"]) == 1 and second["bookmark"] is None
    too_big = requests.get(api(sandbox, "/boards"), params={"page_size": 251}, headers=headers, timeout=5)
    assert too_big.status_code == 400


# --- publish each kind ------------------------------------------------------------------------
def test_publish_an_image_pin_with_title_link_and_alt_text(sandbox):
    options = {"board_id": board(), "title": "Dravo", "link": "https://dravo.dev/", "alt_text": "A dot"}
    result = client().publish(Content("Pinned from Dravo", (image(sandbox),), options))
    assert len(result.platform_post_id) == 18 and result.platform_post_id.isdigit()
    assert result.url == f"{sandbox}/sandbox/pinterest/pin/{result.platform_post_id}/"
    assert abs(result.published_at - datetime.now(UTC)) < timedelta(minutes=1)
    pin = pins().get()
    assert (pin.owner, pin.data["media_type"], pin.data["board_id"]) == (USER, "image", board())
    assert (pin.data["title"], pin.data["description"], pin.data["alt_text"]) == ("Dravo", "Pinned from Dravo", "A dot")
    page = requests.get(result.url, timeout=5)
    assert page.status_code == 200 and "Pinned from Dravo" in page.text and image(sandbox).url in page.text


def test_publish_a_carousel_of_three_images(sandbox):
    media = (image(sandbox), image(sandbox, "sample.png"), image(sandbox))
    client().publish(Content("Three", media, {"board_id": board(1)}))
    pin = pins().get()
    assert pin.data["media_type"] == "multiple_images" and len(pin.data["urls"]) == 3


def test_publish_a_video_pin_uploads_polls_and_uses_the_first_frame_as_cover(sandbox):
    saved = []
    client().publish(Content("Watch", (video(sandbox),), {"board_id": board()}), save_checkpoint=saved.append)
    pin = pins().get()
    media = SandboxRecord.objects.get(network="pinterest", kind="media")
    assert pin.data["media_type"] == "video" and pin.data["media_id"] == media.object_id
    assert media.status == "succeeded" and media.data["size"] > 1000
    assert saved[-1]["pin_id"] == pin.object_id and saved[-1]["media_id"] == media.object_id


def test_a_video_pin_with_a_cover_image_url(sandbox):
    options = {"board_id": board(), "cover_image_url": f"{sandbox}/sandbox/files/sample.jpg"}
    client().publish(Content("Watch", (video(sandbox),), options))
    assert pins().get().data["cover"] == options["cover_image_url"]


def test_a_resumed_video_publish_does_not_upload_again(sandbox):
    saved = []
    content = Content("Once", (video(sandbox),), {"board_id": board()})
    with pytest.raises(Rejected):  # the first attempt dies at the Pin (a board of someone else)
        client().publish(
            Content("Once", (video(sandbox),), {"board_id": board(0, "someone")}), save_checkpoint=saved.append
        )
    media_id = saved[-1]["media_id"]
    assert saved[-1]["uploaded"] is True
    client().publish(content, checkpoint=saved[-1])
    assert SandboxRecord.objects.filter(network="pinterest", kind="media").count() == 1
    assert pins().get().data["media_id"] == media_id


def test_bytes_that_are_not_a_video_fail_processing(sandbox):
    bad = Media(url=f"{sandbox}/sandbox/files/sample.jpg", kind="video", mime_type="video/mp4")
    saved = []
    with pytest.raises(MediaUnavailable, match="could not process"):
        client().publish(Content("Bad", (bad,), {"board_id": board()}), save_checkpoint=saved.append)
    assert saved[-1]["media_id"] is None and not pins().exists()


def test_reconcile_finds_the_pin_of_an_ambiguous_create(sandbox):
    content = Content("Was it made?", (image(sandbox),), {"board_id": board(), "title": "Maybe"})
    made = client().publish(content)
    since = (datetime.now(UTC) - timedelta(seconds=30)).isoformat()
    found = client().reconcile(content, {"pin_requested": since})
    assert found.platform_post_id == made.platform_post_id
    assert client().reconcile(Content("Another", (image(sandbox),), content.options), {"pin_requested": since}) is None


# --- what the sandbox enforces --------------------------------------------------------------------
def test_a_board_of_another_user_is_board_not_found(sandbox):
    with pytest.raises(Rejected, match="Board not found"):
        client().publish(Content("x", (image(sandbox),), {"board_id": board(0, "someone")}))


def test_an_image_pinterest_cannot_fetch_is_media_unavailable(sandbox):
    with pytest.raises(MediaUnavailable, match="Unable to reach the URL"):
        client().publish(Content("x", (image(sandbox, "missing.jpg"),), {"board_id": board()}))


def test_the_sandbox_refuses_what_pinterest_refuses(sandbox):
    headers = {"Authorization": "Bearer sbx-rules"}
    owner = sandbox_pinterest.username_for("sbx-rules")
    target = sandbox_pinterest.boards_of(owner)[0]["id"]
    url = f"{sandbox}/sandbox/files/sample.jpg"
    cases = [
        ({"board_id": "abc", "media_source": {"source_type": "image_url", "url": url}}, "does not match"),
        ({"board_id": target, "title": "t" * 101, "media_source": {"source_type": "image_url", "url": url}}, "100"),
        (
            {"board_id": target, "media_source": {"source_type": "multiple_image_urls", "items": [{"url": url}] * 6}},
            "maxItems=5",
        ),
        ({"board_id": target, "media_source": {"source_type": "image_base64", "content_type": "image/gif"}}, "jpeg"),
    ]
    for body, words in cases:
        answer = requests.post(api(sandbox, "/pins"), json=body, headers=headers, timeout=5)
        assert answer.status_code == 400 and words in answer.json()["message"], (body, answer.json())


def test_a_video_pin_needs_a_finished_media_and_a_cover(sandbox):
    headers = {"Authorization": "Bearer sbx-video-rules"}
    owner = sandbox_pinterest.username_for("sbx-video-rules")
    target = sandbox_pinterest.boards_of(owner)[0]["id"]
    media_id = requests.post(api(sandbox, "/media"), json={"media_type": "video"}, headers=headers, timeout=5).json()[
        "media_id"
    ]
    source = {"source_type": "video_id", "media_id": media_id, "cover_image_key_frame_time": 0}
    early = requests.post(api(sandbox, "/pins"), json={"board_id": target, "media_source": source}, headers=headers)
    assert early.status_code == 400 and "not ready" in early.json()["message"]
    SandboxRecord.objects.filter(object_id=media_id).update(status="succeeded")
    no_cover = {"source_type": "video_id", "media_id": media_id}
    answer = requests.post(api(sandbox, "/pins"), json={"board_id": target, "media_source": no_cover}, headers=headers)
    assert answer.status_code == 400 and "cover_image_url" in answer.json()["message"]


def test_the_upload_url_refuses_a_form_without_the_signed_fields(sandbox):
    headers = {"Authorization": "Bearer sbx-upload"}
    registered = requests.post(api(sandbox, "/media"), json={"media_type": "video"}, headers=headers, timeout=5).json()
    fields = {**registered["upload_parameters"], "policy": "forged"}
    answer = requests.post(registered["upload_url"], data=fields, files={"file": b"ftyp"}, timeout=5)
    assert answer.status_code == 403 and "<Code>AccessDenied</Code>" in answer.text


# --- analytics ----------------------------------------------------------------------------------
def test_metrics_of_a_pin_with_the_normalized_counts(sandbox):
    result = client().publish(Content("Count me", (image(sandbox),), {"board_id": board()}))
    metrics = client().fetch_metrics(result.platform_post_id)
    assert not metrics.partial, metrics.warnings
    keys = {"impressions", "saves", "pin_clicks", "outbound_clicks", "save_rate", "comments", "reactions"}
    assert set(metrics.metrics) == keys
    assert metrics.metrics["impressions"] > metrics.metrics["outbound_clicks"] > 0
    normalized = registry.CLIENTS["pinterest"].normalize_metrics(metrics.metrics)
    assert normalized["views"] == metrics.metrics["impressions"]
    assert normalized["clicks"] == metrics.metrics["outbound_clicks"]
    assert normalized["shares"] == metrics.metrics["saves"]


def test_metrics_of_an_unknown_pin_are_rejected_and_a_window_over_90_days_refused(sandbox):
    with pytest.raises(Rejected, match="Pin not found"):
        client().fetch_metrics("123456789012345678")
    pin = client().publish(Content("x", (image(sandbox),), {"board_id": board()})).platform_post_id
    params = {"start_date": "2026-01-01", "end_date": "2026-12-01", "metric_types": "IMPRESSION"}
    answer = requests.get(
        api(sandbox, f"/pins/{pin}/analytics"), params=params, headers={"Authorization": "Bearer sbx-pin-tok-1"}
    )
    assert answer.status_code == 400 and answer.json()["message"] == "Invalid pins analytics parameters."


# --- tokens ----------------------------------------------------------------------------------
def test_refresh_adopts_a_byok_refresh_token_then_rotates_it(sandbox):
    first = client(refresh_token="pinr_mine").refresh()
    assert first.credentials["refresh_token"].startswith("pinr_") and first.credentials["refresh_token"] != "pinr_mine"
    assert first.credentials["access_token"].startswith("pina_")
    assert 29 <= (first.expires_at - datetime.now(UTC)).days <= 30
    assert first.credentials["refresh_token_expires_at"] > datetime.now(UTC).isoformat()
    with pytest.raises(ReconnectRequired, match="already used"):
        client(refresh_token="pinr_mine").refresh()
    second = client(token=first.credentials["access_token"], refresh_token=first.credentials["refresh_token"])
    assert second.verify().id == USER


def test_the_token_endpoint_wants_the_app_s_basic_auth(sandbox):
    form = {"grant_type": "refresh_token", "refresh_token": "pinr_x"}
    wrong = requests.post(f"{sandbox}/sandbox/pinterest/v5/oauth/token", data=form, timeout=5)
    assert wrong.status_code == 401
    right = requests.post(
        f"{sandbox}/sandbox/pinterest/v5/oauth/token", data=form, headers={"Authorization": f"Basic {APP}"}
    )
    assert right.status_code == 200 and right.json()["refresh_token_expires_in"] == 60 * 86400


# --- behaviours ----------------------------------------------------------------------------------
def test_rate_limited_then_ok_with_the_reset_header(sandbox):
    content = Content("Busy", (image(sandbox),), {"board_id": board()})
    with pytest.raises(RateLimited) as caught:
        client("rate_limited").publish(content)
    assert caught.value.retry_after == 1.0
    assert client("rate_limited").publish(content).platform_post_id


def test_flaky_fails_once_with_a_503_and_a_retry_makes_one_pin(sandbox):
    content = Content("Flaky", (image(sandbox),), {"board_id": board()})
    saved = []
    with pytest.raises(ProviderUnavailable):
        client("flaky").publish(content, save_checkpoint=saved.append)
    client("flaky").publish(content, checkpoint=saved[-1])
    assert pins().count() == 1


def test_rejects_refuses_every_pin(sandbox):
    with pytest.raises(Rejected, match="refuses every post"):
        client("rejects").publish(Content("No", (image(sandbox),), {"board_id": board()}))


def test_token_expired_is_token_expired_and_its_refresh_is_refused(sandbox):
    with pytest.raises(TokenExpired):
        client("token_expired").publish(Content("x", (image(sandbox),), {"board_id": board()}))
    with pytest.raises(ReconnectRequired):
        client("token_expired", refresh_token="pinr_any").refresh()


def test_slow_answers_after_its_latency(sandbox):
    credentials = {"access_token": "sbx-slow", "username": USER, "sandbox": {"behavior": "slow", "latency_ms": 300}}
    started = datetime.now(UTC)
    registry.get_client("pinterest", credentials, sandbox=True).verify()
    assert (datetime.now(UTC) - started).total_seconds() >= 0.3
