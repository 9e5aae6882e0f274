"""Bad input of every kind on the routes that take input answers a 4xx in the one error
body, never a 500 (dev mode on, so no HTML debug page hides behind a 4xx either)."""

import json

import pytest
import responses
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests import factories

BAD_VALUES = [
    None, True, False, 0, -1, 1.5, 10**30, -(10**30), 1e308, "", " ", "\x00", "é" * 10, "a" * 10_000,
    "\ud800", [], [None], [[]], {}, {"a": None}, {"": ""}, {"\ud800": 1}, "null",
    "2030-06-30T23:59:60Z", "javascript:alert(1)", "ftp://x/y.png",
]
RAW_BODIES = [
    ("", "application/json"),
    ("null", "application/json"),
    ("[]", "application/json"),
    ("1", "application/json"),
    ('"s"', "application/json"),
    ("{", "application/json"),
    (b"\xff\xfe", "application/json"),
    ('{"a": NaN}', "application/json"),
    ('{"a": 1e999}', "application/json"),
    ('{"a": ' + "1" * 5000 + "}", "application/json"),
    ('{"a": 1}', "application/json; charset=bogus"),
    ("a=b", "application/x-www-form-urlencoded"),
    ("x", "text/plain"),
    ("--b\r\n", "multipart/form-data; boundary=b"),
    ("x", "multipart/form-data"),
]
BAD_HEADERS = [
    {"HTTP_IDEMPOTENCY_KEY": "é"},
    {"HTTP_IDEMPOTENCY_KEY": "a" * 300},
    {"HTTP_IDEMPOTENCY_KEY": ""},
    {"HTTP_ACCEPT": "text/html"},
    {"HTTP_ACCEPT": "application/xml"},
    {"CONTENT_LENGTH": "abc"},
]
QUERY_VALUES = ["", "\x00", "é", "a" * 5000, "-1", "0", "1e9", "99999999999999999999", "[]", "2030-06-30T23:59:60Z"]
QUERY_NAMES = ["limit", "cursor", "status", "provider", "platform", "q", "page", "fromDate", "toDate", "refresh"]


@pytest.fixture(autouse=True)
def debug_mode(settings):
    settings.DEBUG = True
    settings.THROTTLE_RATE = "1000000/min"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # logins by the hundred


@pytest.fixture(autouse=True)
def no_network():
    """Any call leaving the machine fails as an unreachable network would."""
    with responses.RequestsMock(assert_all_requests_are_fired=False):
        yield


@pytest.fixture
def client(api_key):
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    return client


@pytest.fixture
def anon():
    return APIClient(raise_request_exception=False)


@pytest.fixture
def bodies(workspace):
    account = factories.make_account(workspace, provider="x")
    post = {"account_ids": [account.pk], "text": "hi"}
    return {
        "/v1/posts": post,
        "/v1/posts/validate": post,
        "/v1/publish": post,
        "/v1/api-keys": {"name": "k"},
        "/v1/accounts": {"provider": "x", "platform_account_id": "1", "credentials": {"access_token": "t"}},
        "/v1/accounts/connect": {"provider": "x"},
        "/v1/media": {"url": "https://example.com/a.png"},
        "/v1/auth/token": {"username": "u", "password": "p"},
        "/v1/auth/token/refresh": {"refresh": "x"},
    }


def assert_no_server_error(response, what):
    status = response.status_code
    assert status < 500 or _unreachable_network(response), (what, status, response.content[:300])
    if response.status_code >= 400 and response.content:
        assert response["Content-Type"] == "application/json", (what, response.content[:300])
        body = response.json()
        assert set(body) == {"type", "errors"} and body["errors"], (what, body)
        assert all(set(error) == {"code", "detail", "attr"} for error in body["errors"]), (what, body)


def _unreachable_network(response) -> bool:
    """A connect whose network cannot be reached is a 503 by design, not a crash."""
    return response.status_code == 503 and response.json()["errors"][0]["code"] == "provider_unavailable"


def post_json(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/v1/posts", "/v1/posts/validate", "/v1/publish", "/v1/api-keys", "/v1/accounts", "/v1/accounts/connect"]
)
def test_every_field_of_an_authenticated_route_refuses_bad_values_cleanly(client, bodies, path):
    extra = {"/v1/accounts": ["handle", "sandbox"], "/v1/accounts/connect": ["redirect_uri"], "/v1/api-keys": ["mode"]}
    fields = [*bodies[path], *extra.get(path, ["media_urls", "platform_options", "scheduled_at", "provider_options"])]
    for field in fields:
        for value in BAD_VALUES:
            body = {**bodies[path], field: value}
            assert_no_server_error(post_json(client, path, body), (field, value))


@pytest.mark.django_db
@pytest.mark.parametrize("network", ["x", "facebook", "instagram", "linkedin", "tiktok", "threads", ""])
def test_platform_options_refuse_bad_values_cleanly(client, bodies, network):
    options = {"x": ["poll", "thread"], "instagram": ["collaborators", "thumb_offset_ms"], "tiktok": ["privacy_level"]}
    names = ["text", "first_comment", *options.get(network, [])]
    for value in BAD_VALUES + [{name: value} for name in names for value in BAD_VALUES]:
        body = {**bodies["/v1/posts"], "platform_options": {network: value}}
        assert_no_server_error(post_json(client, "/v1/posts", body), value)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/v1/auth/token", "/v1/auth/token/refresh"])
def test_login_routes_refuse_bad_values_cleanly(anon, bodies, path):
    for field in [*bodies[path], "workspace", "mode"]:
        for value in BAD_VALUES:
            assert_no_server_error(post_json(anon, path, {**bodies[path], field: value}), (field, value))


@pytest.mark.django_db
def test_media_refuses_bad_values_cleanly(client):
    for value in BAD_VALUES + ["http://169.254.169.254/x.png", "http://127.0.0.1:8000/x.png"]:
        assert_no_server_error(post_json(client, "/v1/media", {"url": value}), value)
        if value != "\ud800":  # a multipart body is bytes: it cannot carry a lone surrogate
            assert_no_server_error(client.post("/v1/media", {"url": str(value)}, format="multipart"), value)
    for name, content in [("x.png", b""), ("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100), ("é\x00.exe", b"MZ")]:
        upload = client.post("/v1/media", {"file": SimpleUploadedFile(name, content)}, format="multipart")
        assert_no_server_error(upload, name)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/v1/posts", "/v1/publish", "/v1/api-keys", "/v1/accounts", "/v1/media"])
def test_malformed_bodies_and_headers_are_refused_cleanly(client, anon, bodies, path):
    for raw, content_type in RAW_BODIES:
        data = raw if isinstance(raw, bytes) else raw.encode()
        assert_no_server_error(client.post(path, data=data, content_type=content_type), (raw[:20], content_type))
        assert_no_server_error(anon.post("/v1/auth/token", data=data, content_type=content_type), raw[:20])
    for headers in BAD_HEADERS:
        response = client.post(path, data=json.dumps(bodies[path]), content_type="application/json", **headers)
        assert_no_server_error(response, headers)
        assert_no_server_error(client.get(path, **headers), headers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/v1/posts", "/v1/publish", "/v1/accounts", "/v1/media", "/v1/api-keys", "/v1/analytics/posts"]
)
def test_list_query_parameters_are_refused_cleanly(client, path):
    for name in QUERY_NAMES:
        for value in QUERY_VALUES:
            assert_no_server_error(client.get(path, {name: value}), (name, value))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    ["/v1/posts/{}", "/v1/posts/{}/cancel", "/v1/posts/{}/retry", "/v1/publish/{}/cancel", "/v1/accounts/{}/refresh",
     "/v1/media/{}", "/v1/api-keys/{}"],
)
def test_detail_routes_refuse_bad_ids_and_methods_cleanly(client, route):
    for object_id in ["x", "a" * 5000, "post_" + "a" * 300, "0", "_", "job_x", "é", "%00"]:
        for method in ["get", "post", "put", "patch", "delete", "options", "head"]:
            assert_no_server_error(getattr(client, method)(route.format(object_id)), (method, object_id))


@pytest.mark.django_db
def test_an_error_quoting_a_lone_surrogate_is_rendered_with_ascii_escapes(client):
    response = post_json(client, "/v1/api-keys", {"mode": "\ud800"})
    assert response.status_code == 400
    assert b'\\"\\ud800\\" is not a valid choice.' in response.content
    assert response.json()["errors"][0] == {
        "code": "invalid_choice", "detail": '"\ud800" is not a valid choice.', "attr": "mode"
    }


@pytest.mark.django_db
def test_answers_stay_utf8_when_they_can(client):
    response = client.post("/v1/api-keys", {"name": "clé ☃"}, format="json")
    assert response.status_code == 201 and "clé ☃".encode() in response.content
