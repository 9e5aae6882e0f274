"""/v1/media: upload and URL ingest of real files, inspection, serving, paging, deletion,
isolation, and each network's media rules checked at post creation."""

from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from publishing.models import Media
from tests import factories, media_files
from tests.conftest import client_for

FS = "django.core.files.storage.FileSystemStorage"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its files in its own empty directory."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": FS, "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def upload(api_client, content: bytes, name: str = "photo.jpg", **headers):
    return api_client.post("/v1/media", {"file": SimpleUploadedFile(name, content)}, format="multipart", **headers)


def uploaded(api_client, content: bytes, name: str = "photo.jpg") -> dict:
    response = upload(api_client, content, name)
    assert response.status_code == 201, response.content
    return response.json()


def error_of(response) -> tuple[str, str]:
    first = response.json()["errors"][0]
    return first["attr"], first["code"]


# --- upload and inspection ---------------------------------------------------------------------
def test_uploading_a_png_answers_201_with_what_its_bytes_are(api_client, settings):
    body = uploaded(api_client, media_files.png((800, 600)), "cover.png")
    assert body["id"].startswith("med_") and len(body["id"]) >= 16
    assert body["url"] == f"{settings.BASE_URL}/media/{body['id']}/cover.png"
    assert (body["kind"], body["mime_type"], body["width"], body["height"]) == ("image", "image/png", 800, 600)
    assert body["size_bytes"] == len(media_files.png((800, 600))) and body["duration_s"] is None
    assert set(body) == {"id", "url", "mime_type", "kind", "size_bytes", "width", "height", "duration_s", "created_at"}


def test_a_jpeg_named_png_is_recognised_as_a_jpeg(api_client):
    body = uploaded(api_client, media_files.jpeg((320, 400)), "really.png")
    assert body["mime_type"] == "image/jpeg" and body["url"].endswith("/really.jpg")


def test_an_mp4_made_with_pyav_reports_container_codec_duration_size_and_frame_rate(api_client):
    body = uploaded(api_client, media_files.mp4((640, 360), seconds=4), "clip.mp4")
    assert (body["kind"], body["mime_type"], body["width"], body["height"]) == ("video", "video/mp4", 640, 360)
    assert body["duration_s"] == pytest.approx(4, abs=0.1)
    extra = Media.objects.get(pk=body["id"]).extra
    assert extra["container"] == "mp4" and extra["fps"] == 24 and extra["codecs"]["video"] in ("h264", "mpeg4")


def test_a_pdf_is_a_document_with_its_page_count(api_client):
    body = uploaded(api_client, media_files.pdf(pages=3), "deck.pdf")
    assert (body["kind"], body["mime_type"], body["width"]) == ("document", "application/pdf", None)
    assert Media.objects.get(pk=body["id"]).extra == {"format": "PDF", "pages": 3}


def test_a_text_file_named_png_is_refused_as_unsupported(api_client, media_root):
    response = upload(api_client, b"just some text, not an image at all", "fake.png")
    assert response.status_code == 400
    assert error_of(response) == ("file", "unsupported_media_type")
    assert not stored_files(media_root) and not Media.objects.exists()


def test_a_truncated_png_is_refused_as_invalid_media(api_client):
    response = upload(api_client, media_files.png()[:60], "broken.png")
    assert response.status_code == 400 and error_of(response) == ("file", "invalid_media")


def test_an_image_over_the_image_cap_is_refused_and_nothing_is_kept(api_client, settings, media_root):
    settings.MEDIA_MAX_BYTES = {**settings.MEDIA_MAX_BYTES, "image": 1000}
    response = upload(api_client, media_files.png((400, 400)) + b"\0" * 2000, "big.png")
    assert response.status_code == 400 and error_of(response) == ("file", "too_large")
    assert "1,000 bytes allowed for an image" in response.json()["errors"][0]["detail"]
    assert not stored_files(media_root) and not Media.objects.exists()


def test_a_body_larger_than_every_cap_is_refused_before_it_is_parsed(api_client, settings):
    settings.MEDIA_MAX_BYTES = {"image": 10, "video": 10, "document": 10}
    response = upload(api_client, b"\0" * 200_000, "huge.mp4")
    assert response.status_code == 400 and error_of(response) == ("file", "too_large")


@pytest.mark.parametrize("body", [{}, {"url": "https://example.com/a.jpg", "file": "x"}])
def test_a_request_needs_exactly_one_of_url_and_file(api_client, body):
    response = api_client.post("/v1/media", body, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] in ("url", "file")


def test_an_unsupported_content_type_is_a_415(api_client):
    response = api_client.post("/v1/media", "a=b", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_the_same_idempotency_key_replays_the_first_media_and_keeps_one_file(api_client, media_root):
    content = media_files.jpeg()
    first = upload(api_client, content, HTTP_IDEMPOTENCY_KEY="k-1")
    again = upload(api_client, content, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"] and again.headers["Idempotent-Replayed"] == "true"
    assert Media.objects.count() == 1 and len(stored_files(media_root)) == 1
    other = upload(api_client, media_files.png(), HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and len(stored_files(media_root)) == 1


# --- URL ingest ----------------------------------------------------------------------------------
def test_a_url_is_downloaded_and_its_type_comes_from_the_bytes_not_the_header(api_client, settings):
    settings.MEDIA_ALLOWED_HOSTS = ["localhost"]
    routes = {"/p/cover.jpeg": (200, {"Content-Type": "text/html"}, media_files.jpeg((500, 400)))}
    with media_files.http_server(routes) as served:
        response = api_client.post("/v1/media", {"url": served.url("/p/cover.jpeg")}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["mime_type"], body["width"], body["height"]) == ("image/jpeg", 500, 400)
    assert body["url"].endswith("/cover.jpg")
    assert Media.objects.get(pk=body["id"]).source_url == served.url("/p/cover.jpeg")


def test_a_url_answering_404_is_a_400_naming_the_url(api_client, settings):
    settings.MEDIA_ALLOWED_HOSTS = ["localhost"]
    with media_files.http_server({}) as served:
        response = api_client.post("/v1/media", {"url": served.url("/missing.png")}, format="json")
    assert response.status_code == 400 and error_of(response) == ("url", "fetch_failed")
    assert "HTTP 404" in response.json()["errors"][0]["detail"]


# --- serving -------------------------------------------------------------------------------------
def test_the_public_url_serves_the_file_with_its_type_nosniff_and_a_sandboxing_csp(api_client):
    content = media_files.png((10, 10))
    body = uploaded(api_client, content, "evil.html")
    assert body["url"].endswith("/evil.png")
    response = Client().get(urlsplit(body["url"]).path)
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_an_unknown_id_or_a_wrong_filename_is_not_served(api_client):
    body = uploaded(api_client, media_files.jpeg(), "a.jpg")
    assert Client().get(f"/media/{body['id']}/other.jpg").status_code == 404
    assert Client().get("/media/med_doesnotexist000/a.jpg").status_code == 404


# --- reading, paging, isolation and deletion ------------------------------------------------------
def test_media_are_listed_newest_first_with_a_cursor(api_client):
    ids = [uploaded(api_client, media_files.jpeg((320 + i, 320)))["id"] for i in range(3)]
    first = api_client.get("/v1/media", {"limit": 2}).json()
    assert [m["id"] for m in first["items"]] == ids[:0:-1] and first["total"] == 3
    second = api_client.get("/v1/media", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [m["id"] for m in second["items"]] == ids[:1] and second["next_cursor"] is None
    assert api_client.get(f"/v1/media/{ids[0]}").json()["id"] == ids[0]


def test_another_workspace_gets_404_and_cannot_post_the_media(api_client):
    media_id = uploaded(api_client, media_files.jpeg())["id"]
    stranger_ws = factories.make_workspace()
    stranger = client_for(factories.make_api_key(stranger_ws, mode="test")[1])
    assert stranger.get(f"/v1/media/{media_id}").status_code == 404
    assert stranger.delete(f"/v1/media/{media_id}").status_code == 404
    assert stranger.get("/v1/media").json()["total"] == 0
    account = factories.make_account(stranger_ws, provider="x")
    url = api_client.get(f"/v1/media/{media_id}").json()["url"]
    response = stranger.post(
        "/v1/posts", {"account_ids": [account.pk], "text": "hi", "media_urls": [url]}, format="json"
    )
    assert response.status_code == 400 and error_of(response) == ("media_urls.0", "unknown_media")


def test_live_keys_do_not_see_test_media(api_client, live_api_key):
    media_id = uploaded(api_client, media_files.jpeg())["id"]
    assert client_for(live_api_key).get(f"/v1/media/{media_id}").status_code == 404


def test_deleting_unused_media_answers_204_and_removes_the_file(
    api_client, media_root, django_capture_on_commit_callbacks
):
    media_id = uploaded(api_client, media_files.jpeg())["id"]
    assert len(stored_files(media_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.delete(f"/v1/media/{media_id}")
    assert response.status_code == 204
    assert not stored_files(media_root) and not Media.objects.filter(pk=media_id).exists()
    assert api_client.get(f"/v1/media/{media_id}").status_code == 404


def test_media_of_a_scheduled_post_cannot_be_deleted_until_the_post_is_canceled(api_client, workspace):
    media = uploaded(api_client, media_files.jpeg())
    account = factories.make_account(workspace, provider="x")
    post = api_client.post(
        "/v1/posts",
        {
            "account_ids": [account.pk],
            "text": "later",
            "media_urls": [media["url"]],
            "scheduled_at": "2099-01-01T09:00:00Z",
        },
        format="json",
    ).json()
    response = api_client.delete(f"/v1/media/{media['id']}")
    assert response.status_code == 409 and error_of(response) == (None, "media_in_use")
    assert api_client.post(f"/v1/posts/{post['id']}/cancel").status_code == 200
    assert api_client.delete(f"/v1/media/{media['id']}").status_code == 204


# --- each network's media rules at post creation ----------------------------------------------------
def create_post(api_client, workspace, provider: str, media: list[dict], **options):
    account = factories.make_account(workspace, provider=provider)
    body = {"account_ids": [account.pk], "text": "hello", "media_urls": [m["url"] for m in media]}
    if options:
        body["platform_options"] = {provider: options}
    return api_client.post("/v1/posts", body, format="json")


def problems(response) -> dict[str, list[tuple[str, str]]]:
    found = {}
    for error in response.json()["errors"]:
        found.setdefault(error["attr"], []).append((error["code"], error["detail"]))
    return found


def test_instagram_refuses_a_png_naming_the_media_the_network_and_the_rule(api_client, workspace):
    media = uploaded(api_client, media_files.png((640, 640)), "square.png")
    response = create_post(api_client, workspace, "instagram", [media])
    assert response.status_code == 400
    [(code, detail)] = problems(response)["media_urls.0"]
    assert code == "unsupported_format"
    assert detail.startswith("instagram (acc_") and media["id"] in detail and "JPEG images only" in detail


def test_instagram_refuses_a_feed_image_outside_its_aspect_ratios(api_client, workspace):
    media = uploaded(api_client, media_files.jpeg((1000, 300)), "banner.jpg")
    response = create_post(api_client, workspace, "instagram", [media])
    assert response.status_code == 400 and problems(response)["media_urls.0"][0][0] == "bad_aspect_ratio"


def test_tiktok_refuses_a_video_shorter_than_three_seconds(api_client, workspace):
    media = uploaded(api_client, media_files.mp4((640, 360), seconds=1), "short.mp4")
    response = create_post(api_client, workspace, "tiktok", [media], privacy_level="SELF_ONLY")
    assert response.status_code == 400
    [(code, detail)] = problems(response)["media_urls.0"]
    assert code == "invalid_media" and "at least 3 s" in detail


def test_x_refuses_more_than_four_images(api_client, workspace):
    media = [uploaded(api_client, media_files.jpeg((400 + i, 400))) for i in range(5)]
    response = create_post(api_client, workspace, "x", media)
    assert response.status_code == 400 and problems(response)["media_urls.4"][0][0] == "too_many_media"


def test_linkedin_refuses_a_pdf_document_with_other_media(api_client, workspace):
    media = [uploaded(api_client, media_files.pdf(), "deck.pdf"), uploaded(api_client, media_files.jpeg())]
    response = create_post(api_client, workspace, "linkedin", media)
    assert response.status_code == 400 and problems(response)["media_urls.0"][0][0] == "invalid_combination"


def test_x_refuses_a_video_larger_than_its_dimensions(api_client, workspace):
    media = uploaded(api_client, media_files.mp4((1920, 1080), seconds=1), "wide.mp4")
    response = create_post(api_client, workspace, "x", [media])
    assert response.status_code == 400 and problems(response)["media_urls.0"][0][0] == "dimensions"


def test_valid_dravo_media_pass_every_targeted_network(api_client, workspace):
    media = uploaded(api_client, media_files.jpeg((640, 640)))
    response = create_post(api_client, workspace, "instagram", [media])
    assert response.status_code == 202, response.content


def test_listing_media_takes_the_same_number_of_queries_for_two_or_five_items(api_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get("/v1/media").status_code == 200
        return len(captured)

    for i in range(2):
        uploaded(api_client, media_files.jpeg((320 + i, 320)))
    two = queries()
    for i in range(3):
        uploaded(api_client, media_files.jpeg((330 + i, 320)))
    assert queries() == two
