from datetime import timedelta

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import Membership
from tests import factories


def obtain(client, **body):
    return client.post("/v1/auth/token", body, format="json")


@pytest.mark.django_db
def test_obtain_and_use_a_token_that_names_the_workspace(workspace, anon_client):
    user = factories.make_user(workspace, password="pw-123456!")
    response = obtain(anon_client, username=user.username, password="pw-123456!")
    assert response.status_code == 200
    body = response.json()
    assert body["workspace_id"] == workspace.id
    token = AccessToken(body["access"])
    assert token["workspace_id"] == workspace.id
    assert timedelta(minutes=14) < token.lifetime <= timedelta(minutes=15)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert client.get("/v1/api-keys").status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_401(workspace, anon_client):
    user = factories.make_user(workspace)
    response = obtain(anon_client, username=user.username, password="nope")
    assert response.status_code == 401
    assert response.json()["type"] == "client_error"


@pytest.mark.django_db
def test_expired_token_is_401(workspace):
    user = factories.make_user(workspace)
    token = AccessToken.for_user(user)
    token["workspace_id"] = workspace.id
    token.set_exp(lifetime=-timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get("/v1/api-keys")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "token_not_valid"


@pytest.mark.django_db
def test_refresh_gives_a_new_access_token_for_the_same_workspace(workspace, anon_client):
    user = factories.make_user(workspace, password="pw-123456!")
    refresh = obtain(anon_client, username=user.username, password="pw-123456!").json()["refresh"]
    response = anon_client.post("/v1/auth/token/refresh", {"refresh": refresh}, format="json")
    assert response.status_code == 200
    assert AccessToken(response.json()["access"])["workspace_id"] == workspace.id


@pytest.mark.django_db
def test_token_for_a_workspace_the_user_left_is_refused(workspace, anon_client):
    user = factories.make_user(workspace, password="pw-123456!")
    access = obtain(anon_client, username=user.username, password="pw-123456!").json()["access"]
    Membership.objects.filter(user=user).delete()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert client.get("/v1/api-keys").status_code == 401


@pytest.mark.django_db
def test_user_cannot_ask_for_a_workspace_they_do_not_belong_to(workspace, anon_client):
    user = factories.make_user(workspace, password="pw-123456!")
    other = factories.make_workspace()
    response = obtain(anon_client, username=user.username, password="pw-123456!", workspace=other.id)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "workspace"


@pytest.mark.django_db
def test_plain_member_cannot_create_api_keys_403(workspace, anon_client):
    user = factories.make_user(workspace, role=Membership.Role.MEMBER, password="pw-123456!")
    access = obtain(anon_client, username=user.username, password="pw-123456!").json()["access"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    response = client.post("/v1/api-keys", {"name": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"
    assert client.get("/v1/api-keys").status_code == 200


def _token_client(user, workspace, **claims) -> APIClient:
    token = AccessToken.for_user(user)
    token["workspace_id"] = workspace.id
    for name, value in claims.items():
        token[name] = value
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["staging", "LIVE", "", None])
def test_a_token_whose_mode_is_not_live_or_test_is_401(workspace, mode):
    user = factories.make_user(workspace)
    response = _token_client(user, workspace, mode=mode).get("/v1/whoami")
    assert response.status_code == 401
    assert response.json()["errors"][0]["detail"] == "The token's mode must be live or test."


@pytest.mark.django_db
def test_a_token_without_a_mode_is_401(workspace):
    user = factories.make_user(workspace)
    assert _token_client(user, workspace).get("/v1/whoami").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["live", "test"])
def test_a_token_creates_keys_of_its_own_mode_only(workspace, anon_client, mode):
    user = factories.make_user(workspace, password="pw-123456!")
    access = obtain(anon_client, username=user.username, password="pw-123456!", mode=mode).json()["access"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    other = "live" if mode == "test" else "test"
    refused = client.post("/v1/api-keys", {"name": "x", "mode": other}, format="json")
    assert refused.status_code == 403 and refused.json()["errors"][0]["attr"] == "mode"
    created = client.post("/v1/api-keys", {"name": "x"}, format="json")
    assert created.status_code == 201 and created.json()["key"].startswith(f"dra_{mode}_")
