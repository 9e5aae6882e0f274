import hashlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.keys import generate_key, parse_key
from accounts.models import ApiKey
from tests import factories
from tests.conftest import client_for


def test_generated_keys_have_mode_prefix_and_valid_checksum():
    raw = generate_key("live")
    assert raw.startswith("dra_live_")
    assert len(raw) == len("dra_live_") + 32 + 6
    assert parse_key(raw).mode == "live"


def test_a_single_mistyped_character_fails_the_checksum():
    raw = generate_key("test")
    flipped = raw[:12] + ("a" if raw[12] != "a" else "b") + raw[13:]
    assert parse_key(flipped) is None


@pytest.mark.django_db
def test_valid_key_authenticates_and_records_last_use(api_client, workspace):
    response = api_client.get("/v1/api-keys")
    assert response.status_code == 200
    key = ApiKey.objects.get(workspace=workspace)
    assert key.last_used_at is not None


@pytest.mark.django_db
def test_revoked_key_is_refused_with_401(workspace):
    key, raw = factories.make_api_key(workspace)
    client = client_for(raw)
    assert client.get("/v1/api-keys").status_code == 200
    client.delete(f"/v1/api-keys/{key.id}")
    response = client.get("/v1/api-keys")
    assert response.status_code == 401
    assert response.json()["errors"][0]["detail"] == "This API key has been revoked."


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Bearer sk_live_abcdef", "Token dra_live_x", "Bearer", "Basic Zm9vOmJhcg=="])
def test_wrong_scheme_or_prefix_is_401(header, anon_client):
    response = anon_client.get("/v1/api-keys", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    body = response.json()
    assert body["type"] == "client_error"
    assert body["errors"][0]["code"] in {"not_authenticated", "authentication_failed", "token_not_valid"}


@pytest.mark.django_db
def test_key_with_bad_checksum_is_refused_without_a_query(anon_client):
    raw = generate_key("live")
    bad = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    with CaptureQueriesContext(connection) as queries:
        response = anon_client.get("/v1/api-keys", HTTP_AUTHORIZATION=f"Bearer {bad}")
    assert response.status_code == 401
    assert not [q for q in queries.captured_queries if "accounts_apikey" in q["sql"]]


@pytest.mark.django_db
def test_well_formed_unknown_key_is_401(anon_client, workspace):
    factories.make_api_key(workspace)
    response = anon_client.get("/v1/api-keys", HTTP_AUTHORIZATION=f"Bearer {generate_key('test')}")
    assert response.status_code == 401


@pytest.mark.django_db
def test_missing_authorization_is_401_with_www_authenticate(anon_client):
    response = anon_client.get("/v1/api-keys")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.django_db
def test_only_a_hash_and_lookup_prefix_are_stored(workspace):
    key, raw = factories.make_api_key(workspace)
    row = ApiKey.objects.filter(pk=key.pk).values().get()
    assert raw not in str(row.values())
    assert row["key_hash"] == hashlib.sha256(raw.encode()).hexdigest()
    assert raw[len("dra_test_") :].startswith(row["lookup"])
    assert len(row["lookup"]) == 8


@pytest.mark.django_db
def test_create_returns_the_key_once(api_client):
    created = api_client.post("/v1/api-keys", {"name": "ci"}, format="json")
    assert created.status_code == 201
    raw = created.json()["key"]
    assert raw.startswith("dra_test_")
    listed = api_client.get("/v1/api-keys").json()["items"]
    assert all("key" not in item for item in listed)
    assert {item["name"] for item in listed} == {"tests", "ci"}
    assert client_for(raw).get("/v1/api-keys").status_code == 200


@pytest.mark.django_db
def test_another_workspaces_key_answers_404(api_client):
    other_key, _ = factories.make_api_key(factories.make_workspace())
    assert api_client.get(f"/v1/api-keys/{other_key.id}").status_code == 404
    response = api_client.delete(f"/v1/api-keys/{other_key.id}")
    assert response.status_code == 404
    assert response.json()["type"] == "client_error"
    assert response.json()["errors"][0]["code"] == "not_found"
    other_key.refresh_from_db()
    assert other_key.revoked_at is None


@pytest.mark.django_db
def test_disabled_workspace_keys_are_refused(api_client, workspace):
    workspace.is_active = False
    workspace.save(update_fields=["is_active"])
    assert api_client.get("/v1/api-keys").status_code == 401


@pytest.mark.django_db
def test_create_api_key_command_prints_only_a_working_key(capsys):
    call_command("create_api_key", "--workspace", "Acme", "--test")
    out = capsys.readouterr().out.strip()
    assert out.startswith("dra_test_") and "\n" not in out
    key = ApiKey.objects.get()
    assert key.workspace.name == "Acme" and key.mode == "test"
    assert client_for(out).get("/v1/api-keys").status_code == 200
    call_command("create_api_key", "--workspace", "Acme")
    assert ApiKey.objects.filter(workspace__name="Acme").count() == 2
    assert capsys.readouterr().out.startswith("dra_live_")


@pytest.mark.django_db
def test_whoami_names_the_keys_workspace_and_mode(api_client, workspace, anon_client):
    assert api_client.get("/v1/whoami").json() == {"workspace_id": workspace.pk, "workspace": workspace.name,
                                                   "mode": "test"}
    assert anon_client.get("/v1/whoami").status_code == 401


@pytest.mark.django_db
def test_a_test_key_cannot_create_a_live_key(api_client, workspace):
    response = api_client.post("/v1/api-keys", {"name": "x", "mode": "live"}, format="json")
    assert response.status_code == 403
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {"code": "permission_denied", "detail": "A test key or token can only create test keys.", "attr": "mode"}
        ],
    }
    assert not ApiKey.objects.filter(workspace=workspace, mode="live").exists()


@pytest.mark.django_db
def test_a_live_key_cannot_create_a_test_key_but_creates_live_ones(live_api_key, workspace):
    client = client_for(live_api_key)
    refused = client.post("/v1/api-keys", {"name": "x", "mode": "test"}, format="json")
    assert refused.status_code == 403 and refused.json()["errors"][0]["attr"] == "mode"
    created = client.post("/v1/api-keys", {"name": "y", "mode": "live"}, format="json")
    assert created.status_code == 201 and created.json()["key"].startswith("dra_live_")
    assert client.post("/v1/api-keys", {"name": "z"}, format="json").json()["mode"] == "live"


@pytest.mark.django_db
def test_api_keys_list_pages_with_limit_and_cursor(api_client, workspace):
    for _ in range(4):
        factories.make_api_key(workspace)
    first = api_client.get("/v1/api-keys", {"limit": 2}).json()
    assert len(first["items"]) == 2 and first["total"] == 5 and first["next_cursor"]
    second = api_client.get("/v1/api-keys", {"limit": 2, "cursor": first["next_cursor"]}).json()
    third = api_client.get("/v1/api-keys", {"limit": 2, "cursor": second["next_cursor"]}).json()
    assert third["next_cursor"] is None
    ids = [item["id"] for page in (first, second, third) for item in page["items"]]
    assert sorted(ids) == sorted(ApiKey.objects.filter(workspace=workspace).values_list("id", flat=True))
    assert api_client.get("/v1/api-keys", {"cursor": "nope"}).json()["errors"][0]["attr"] == "cursor"
    assert api_client.get("/v1/api-keys", {"limit": 0}).status_code == 400
