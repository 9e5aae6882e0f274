"""Every /v1 error has the drf-standardized-errors body."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient


def assert_error(response, status, type_, code, attr=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["type"] == type_
    assert body["errors"][0]["code"] == code
    assert body["errors"][0]["attr"] == attr
    assert body["errors"][0]["detail"]
    return body


@pytest.mark.django_db
def test_malformed_json_is_400_not_500(api_client):
    response = api_client.post("/v1/api-keys", data='{"name": ', content_type="application/json")
    assert_error(response, 400, "client_error", "parse_error")


@pytest.mark.django_db
def test_field_validation_is_400_naming_the_field(api_client):
    response = api_client.post("/v1/api-keys", {"mode": "staging"}, format="json")
    assert_error(response, 400, "validation_error", "invalid_choice", attr="mode")


@pytest.mark.django_db
def test_unauthenticated_is_401(anon_client):
    assert_error(anon_client.get("/v1/api-keys"), 401, "client_error", "not_authenticated")


@pytest.mark.django_db
def test_unknown_route_under_v1_is_a_json_404(api_client):
    assert_error(api_client.get("/v1/no-such-thing"), 404, "client_error", "not_found")


@pytest.mark.django_db
def test_wrong_method_is_405(api_client):
    assert_error(api_client.put("/v1/api-keys", {}, format="json"), 405, "client_error", "method_not_allowed")


@pytest.mark.django_db
def test_wrong_content_type_is_415(api_client):
    response = api_client.post("/v1/api-keys", data="name=x", content_type="text/plain")
    assert_error(response, 415, "client_error", "unsupported_media_type")


@pytest.mark.django_db
@pytest.mark.urls("tests.dravo.error_urls")
def test_conflict_is_409(api_client):
    assert_error(api_client.get("/v1/_test/conflict"), 409, "client_error", "conflict")


@pytest.mark.django_db
@pytest.mark.urls("tests.dravo.error_urls")
def test_unprocessable_is_422(api_client):
    assert_error(api_client.get("/v1/_test/unprocessable"), 422, "client_error", "unprocessable")


@pytest.mark.django_db
@pytest.mark.urls("tests.dravo.error_urls")
def test_unhandled_exception_is_a_500_that_hides_internals(api_key):
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    body = assert_error(client.get("/v1/_test/boom"), 500, "server_error", "error")
    assert "secret internals" not in str(body)


@pytest.mark.django_db
def test_throttled_is_429_with_retry_after(api_client):
    with override_settings(THROTTLE_RATE="3/min"):
        for _ in range(3):
            assert api_client.get("/v1/api-keys").status_code == 200
        response = api_client.get("/v1/api-keys")
    assert_error(response, 429, "client_error", "throttled")
    assert 1 <= int(response["Retry-After"]) <= 60


@pytest.mark.django_db
def test_throttle_budget_is_per_key(api_client, workspace):
    from tests import factories
    from tests.conftest import client_for

    other = client_for(factories.make_api_key(workspace)[1])
    with override_settings(THROTTLE_RATE="2/min"):
        api_client.get("/v1/api-keys")
        api_client.get("/v1/api-keys")
        assert api_client.get("/v1/api-keys").status_code == 429
        assert other.get("/v1/api-keys").status_code == 200


@pytest.mark.django_db
def test_a_bad_host_header_is_a_json_400(api_client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    assert_error(api_client.get("/v1/posts", HTTP_HOST="evil.example"), 400, "client_error", "bad_request")
