"""URL ingest never reaches inside the network: each SSRF case is a 400 with a reason, and
a refused or failed download leaves nothing behind."""

import pytest

from publishing.models import Media
from tests import media_files

FS = "django.core.files.storage.FileSystemStorage"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": FS, "OPTIONS": {"location": str(tmp_path)}}}
    settings.MEDIA_ALLOWED_HOSTS = []
    return tmp_path


def ingest(api_client, url: str):
    return api_client.post("/v1/media", {"url": url}, format="json")


def refused(response, code: str, media_root) -> str:
    """Asserts a 400 on `url` with `code` and that nothing was kept; returns the detail."""
    assert response.status_code == 400, response.content
    [error] = response.json()["errors"]
    assert (error["attr"], error["code"]) == ("url", code)
    assert not Media.objects.exists() and not [p for p in media_root.rglob("*") if p.is_file()]
    return error["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/a.png",
        "http://10.0.0.8/a.png",
        "http://192.168.1.1/a.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/a.png",
        "http://[::ffff:127.0.0.1]/a.png",
        "http://[fe80::1]/a.png",
        "http://0.0.0.0/a.png",
        "http://100.64.0.1/a.png",
        "http://240.0.0.1/a.png",
        "https://localhost/a.png",  # a DNS name that resolves to loopback
    ],
)
def test_a_private_loopback_link_local_or_reserved_address_is_refused(api_client, media_root, url):
    detail = refused(ingest(api_client, url), "private_address", media_root)
    assert "only public addresses" in detail


@pytest.mark.parametrize(
    "url", ["http://example.com:8080/a.png", "https://example.com:8443/a.png", "http://example.com:22/a.png"]
)
def test_ports_other_than_80_and_443_are_refused(api_client, media_root, url):
    assert "default ports" in refused(ingest(api_client, url), "url_not_allowed", media_root)


def test_schemes_other_than_http_and_https_are_refused(api_client, media_root):
    assert "http:// and https://" in refused(
        ingest(api_client, "ftp://example.com/a.png"), "url_not_allowed", media_root
    )
    response = ingest(api_client, "file:///etc/passwd")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "url"


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1/a.png",
        "http://10.1.2.3/a.png",
        "http://[::1]/a.png",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(api_client, settings, media_root, target):
    settings.MEDIA_ALLOWED_HOSTS = ["localhost"]  # opens the first hop (the test server) only
    with media_files.http_server({"/go": (302, {"Location": target}, b"")}) as served:
        refused(ingest(api_client, served.url("/go")), "private_address", media_root)
        assert served.hits == ["/go"]


def test_a_redirect_to_another_port_or_scheme_is_refused(api_client, settings, media_root):
    settings.MEDIA_ALLOWED_HOSTS = ["localhost"]
    routes = {
        "/port": (302, {"Location": "http://example.com:8080/a.png"}, b""),
        "/ftp": (301, {"Location": "ftp://example.com/a.png"}, b""),
    }
    with media_files.http_server(routes) as served:
        assert "default ports" in refused(ingest(api_client, served.url("/port")), "url_not_allowed", media_root)
        refused(ingest(api_client, served.url("/ftp")), "url_not_allowed", media_root)


def test_three_redirects_are_followed_and_a_fourth_is_refused(api_client, settings, media_root):
    settings.MEDIA_ALLOWED_HOSTS = ["localhost"]
    routes = {f"/r{i}": (302, {"Location": f"/r{i + 1}"}, b"") for i in range(1, 4)}
    routes["/r4"] = (200, {"Content-Type": "image/jpeg"}, media_files.jpeg())
    routes["/r0"] = (302, {"Location": "/r1"}, b"")
    with media_files.http_server(routes) as served:
        assert ingest(api_client, served.url("/r1")).status_code == 201
        Media.objects.all().delete()
        for path in media_root.rglob("*"):
            if path.is_file():
                path.unlink()
        refused(ingest(api_client, served.url("/r0")), "too_many_redirects", media_root)


def test_a_download_over_the_cap_is_stopped_while_streaming(api_client, settings, media_root):
    settings.MEDIA_ALLOWED_HOSTS = ["localhost"]
    settings.MEDIA_MAX_BYTES = {**settings.MEDIA_MAX_BYTES, "image": 100_000}
    body = media_files.png((10, 10)) + b"\0" * 1_000_000
    with media_files.http_server({"/big.png": (200, {"Content-Length": None}, body)}) as served:
        detail = refused(ingest(api_client, served.url("/big.png")), "too_large", media_root)
    assert "100,000 bytes allowed for an image" in detail


def test_a_declared_length_over_every_cap_is_refused_before_reading(api_client, settings, media_root):
    settings.MEDIA_ALLOWED_HOSTS = ["localhost"]
    settings.MEDIA_MAX_BYTES = {"image": 1000, "video": 1000, "document": 1000}
    with media_files.http_server({"/big.mp4": (200, {}, b"\0" * 5000)}) as served:
        refused(ingest(api_client, served.url("/big.mp4")), "too_large", media_root)


def test_a_download_that_is_not_media_is_refused_as_unsupported(api_client, settings, media_root):
    settings.MEDIA_ALLOWED_HOSTS = ["localhost"]
    page = b"<html><script>alert(1)</script></html>" * 10
    with media_files.http_server({"/a.png": (200, {"Content-Type": "image/png"}, page)}) as served:
        refused(ingest(api_client, served.url("/a.png")), "unsupported_media_type", media_root)


def test_a_server_that_stops_sending_hits_the_read_timeout(api_client, settings, media_root):
    settings.MEDIA_ALLOWED_HOSTS = ["localhost"]
    settings.MEDIA_FETCH_READ_TIMEOUT = 0.3
    with media_files.http_server({"/slow.jpg": (200, {}, media_files.jpeg(), 1.5)}) as served:
        refused(ingest(api_client, served.url("/slow.jpg")), "fetch_timeout", media_root)


def test_the_total_time_limit_applies(api_client, settings, media_root):
    settings.MEDIA_ALLOWED_HOSTS = ["localhost"]
    settings.MEDIA_FETCH_TOTAL_TIMEOUT = 0
    with media_files.http_server({"/a.jpg": (200, {}, media_files.jpeg())}) as served:
        refused(ingest(api_client, served.url("/a.jpg")), "fetch_timeout", media_root)


def test_an_unresolvable_host_is_a_400_fetch_failed(api_client, media_root):
    refused(ingest(api_client, "http://no-such-host.invalid/a.png"), "fetch_failed", media_root)
