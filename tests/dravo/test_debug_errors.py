"""With DRAVO_DEBUG on (DEBUG=True), every error under /v1 is still the JSON error body:
Django's HTML debug pages are for the dashboard only."""

import pytest


@pytest.fixture(autouse=True)
def debug_mode(settings):
    settings.DEBUG = True


def assert_json_error(response, status, code):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json", response.content[:300]
    body = response.json()
    assert body["type"] == "client_error"
    assert body["errors"][0]["code"] == code
    assert body["errors"][0]["detail"]
    return body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/v1/no-such-thing",
        "/v1/posts/",
        "/v1/posts/é",
        "/v1/posts/%E2%82%AC/cancel",
        "/v1/accounts/acc_x/",
        "/v1/api-keys/",
        "/v1/",
        "/v1",
    ],
)
def test_unknown_paths_under_v1_are_json_404s_in_debug_mode(api_client, path):
    for method in ("get", "post", "delete", "options"):
        assert_json_error(getattr(api_client, method)(path), 404, "not_found")


@pytest.mark.django_db
def test_unknown_paths_are_json_404s_without_credentials_too(anon_client):
    assert_json_error(anon_client.get("/v1/posts/é"), 404, "not_found")


@pytest.mark.django_db
def test_an_unknown_id_on_a_known_route_is_a_json_404(api_client):
    assert_json_error(api_client.get("/v1/posts/post_nope"), 404, "not_found")
    assert_json_error(api_client.post("/v1/posts/post_nope/cancel"), 404, "not_found")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/v1/posts", "/v1/health", "/v1/schema", "/v1/docs", "/v1/redoc"])
def test_wrong_method_is_a_json_405_on_every_kind_of_route(api_client, path):
    assert_json_error(api_client.put(path, {}, format="json"), 405, "method_not_allowed")


@pytest.mark.django_db
def test_pages_outside_v1_keep_django_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_bad_host_header_is_a_json_400_in_debug_mode(api_client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    assert_json_error(api_client.get("/v1/posts", HTTP_HOST="evil.example"), 400, "bad_request")


@pytest.mark.django_db
@pytest.mark.urls("tests.dravo.error_urls")
def test_a_crash_outside_drf_is_a_json_500_that_hides_internals_in_debug_mode(anon_client):
    from rest_framework.test import APIClient

    response = APIClient(raise_request_exception=False).get("/v1/_test/plain-boom")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json()["type"] == "server_error" and "secret internals" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.dravo.error_urls")
def test_permission_denied_outside_drf_is_a_json_403(anon_client, settings):
    assert_json_error(anon_client.get("/v1/_test/plain-forbidden"), 403, "permission_denied")
    settings.DEBUG = False
    assert_json_error(anon_client.get("/v1/_test/plain-forbidden"), 403, "permission_denied")
