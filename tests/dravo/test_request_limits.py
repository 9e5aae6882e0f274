"""Bodies too deep or too large are refused in the usual error body, never a 500; media
uploads, which stream to disk, are not held to the JSON body limit."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dravo.parsers import MAX_JSON_DEPTH, json_depth_exceeds
from tests import media_files

JSON_ROUTES = ["/v1/posts", "/v1/posts/validate", "/v1/publish", "/v1/api-keys", "/v1/accounts", "/v1/media"]


def assert_error(response, status, code):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    error = response.json()["errors"][0]
    assert error["code"] == code and error["detail"]
    return error


def nested(depth: int) -> str:
    return '{"a": ' * (depth - 1) + "[1]" + "}" * (depth - 1)


def test_depth_is_counted_in_objects_and_arrays():
    assert not json_depth_exceeds(json.loads(nested(MAX_JSON_DEPTH)), MAX_JSON_DEPTH)
    assert json_depth_exceeds(json.loads(nested(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH)
    assert not json_depth_exceeds({"a": 1, "b": [1, 2, {"c": "d"}]}, 3)


@pytest.mark.django_db
@pytest.mark.parametrize("path", JSON_ROUTES)
@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, nested(MAX_JSON_DEPTH + 1), nested(900)])
def test_deeply_nested_json_is_a_400_parse_error(api_client, path, body):
    response = api_client.post(path, data=body, content_type="application/json")
    assert "nested deeper" in assert_error(response, 400, "parse_error")["detail"]


@pytest.mark.django_db
def test_deeply_nested_json_is_a_400_on_the_login_route_too(anon_client):
    response = anon_client.post("/v1/auth/token", data="[" * 50_000, content_type="application/json")
    assert_error(response, 400, "parse_error")


@pytest.mark.django_db
def test_json_as_deep_as_allowed_is_read(api_client):
    response = api_client.post("/v1/posts", data=nested(MAX_JSON_DEPTH), content_type="application/json")
    assert_error(response, 400, "required")  # parsed, then refused by validation: no `account_ids`


@pytest.mark.django_db
@pytest.mark.parametrize("path", JSON_ROUTES)
def test_a_body_over_the_limit_is_a_413(api_client, settings, path):
    body = json.dumps({"text": "a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    error = assert_error(api_client.post(path, data=body, content_type="application/json"), 413, "request_too_large")
    assert f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}" in error["detail"]


@pytest.mark.django_db
def test_the_limit_is_the_setting(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = json.dumps({"name": "x" * 100})
    assert_error(api_client.post("/v1/api-keys", data=body, content_type="application/json"), 413, "request_too_large")
    assert api_client.post("/v1/api-keys", {"name": "x"}, format="json").status_code == 201


@pytest.mark.django_db
def test_a_login_body_over_the_limit_is_a_413(anon_client, settings):
    body = json.dumps({"username": "u" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE, "password": "p"})
    response = anon_client.post("/v1/auth/token", data=body, content_type="application/json")
    assert_error(response, 413, "request_too_large")


@pytest.mark.django_db
def test_a_media_upload_larger_than_the_json_limit_is_accepted(api_client, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    content = media_files.png((900, 900))
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(content) // 4
    response = api_client.post("/v1/media", {"file": SimpleUploadedFile("big.png", content)}, format="multipart")
    assert response.status_code == 201, response.content[:300]
    assert response.json()["size_bytes"] == len(content)


@pytest.mark.django_db
def test_a_multipart_body_with_too_many_fields_is_a_400(api_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    fields = {f"f{i}": "x" for i in range(10)}
    response = api_client.post("/v1/media", fields, format="multipart")
    assert_error(response, 400, "parse_error")


@pytest.mark.django_db
def test_a_multipart_body_with_too_many_files_is_a_400(api_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = {f"f{i}": SimpleUploadedFile(f"{i}.png", b"x") for i in range(4)}
    response = api_client.post("/v1/media", files, format="multipart")
    assert_error(response, 400, "parse_error")
