from datetime import timedelta

import pytest
import requests
import responses
from django.conf import settings
from django.utils import timezone

from accounts.crypto import decrypt_credentials
from accounts.models import SocialAccount
from tests import factories
from tests.conftest import client_for

X_ME = "https://api.x.com/2/users/me"
X_TOKEN = "https://api.x.com/2/oauth2/token"


def connect(client, **body):
    return client.post("/v1/accounts", body, format="json")


@pytest.mark.django_db(transaction=True)
def test_byok_connect_verifies_with_the_sandbox_and_takes_the_handle(sandbox, api_client):
    response = connect(api_client, provider="x", platform_account_id="1890123", credentials={"access_token": "abc"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"].startswith("acc_") and body["provider"] == "x" and body["health"] == "active"
    account = SocialAccount.objects.get(pk=body["id"])
    assert account.handle  # taken from verify()
    assert account.mode == "test" and account.connection_type == "byok"
    credentials = decrypt_credentials(account.credentials_encrypted)
    assert credentials["username"] == account.handle.lstrip("@")  # X post URLs name the user


@pytest.mark.django_db(transaction=True)
def test_connecting_the_same_account_again_updates_and_keeps_the_id(sandbox, api_client):
    first = connect(
        api_client, provider="x", platform_account_id="42", handle="@a", credentials={"access_token": "one"}
    )
    again = connect(
        api_client, provider="x", platform_account_id="42", handle="@a", credentials={"access_token": "two"}
    )
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    account = SocialAccount.objects.get(pk=first.json()["id"])
    assert decrypt_credentials(account.credentials_encrypted)["access_token"] == "two"


@pytest.mark.django_db(transaction=True)
def test_a_token_the_network_refuses_is_a_400_with_its_reason(sandbox, api_client):
    response = connect(api_client, provider="x", platform_account_id="1", credentials={"access_token": "invalid-tok"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["attr"] == "credentials" and "refused" in error["detail"]
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "provider,extra", [("facebook", "page_id"), ("instagram", "ig_user_id"), ("linkedin", "author_urn")]
)
def test_required_credential_extras_are_400(api_client, provider, extra):
    response = connect(api_client, provider=provider, platform_account_id="1", credentials={"access_token": "t"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == f"credentials.{extra}"


@pytest.mark.django_db
def test_unknown_provider_and_missing_token_are_400(api_client):
    response = connect(api_client, provider="myspace", platform_account_id="1", credentials={"access_token": "t"})
    assert response.json()["errors"][0]["attr"] == "provider"
    response = connect(api_client, provider="x", platform_account_id="1", credentials={})
    assert response.json()["errors"][0]["attr"] == "credentials.access_token"


@pytest.mark.django_db
@responses.activate
def test_live_connect_calls_the_real_network_and_never_returns_credentials(workspace, live_api_key):
    responses.get(X_ME, json={"data": {"id": "777", "name": "Dravo", "username": "dravo"}})
    client = client_for(live_api_key)
    response = connect(client, provider="x", platform_account_id="777", credentials={"access_token": "live-tok"})
    assert response.status_code == 201
    assert responses.calls[0].request.headers["Authorization"] == "Bearer live-tok"
    assert "X-Dravo-Sandbox" not in responses.calls[0].request.headers
    detail = client.get(f"/v1/accounts/{response.json()['id']}").json()
    assert detail["handle"] == "dravo"
    assert "credentials" not in detail and "live-tok" not in str(detail)


FB, IG = settings.PROVIDER_ENDPOINTS["facebook"], settings.PROVIDER_ENDPOINTS["instagram"]
FB_ME = f"{FB['api_url']}/{FB['api_version']}/me"
IG_API = f"{IG['api_url']}/{IG['api_version']}"
LI_API = "https://api.linkedin.com"
FB_BODY = {
    "provider": "facebook",
    "platform_account_id": "1040",
    "credentials": {"access_token": "page-token", "page_id": "1040"},
}


@pytest.mark.django_db
@responses.activate
def test_live_facebook_connect_with_a_token_of_another_page_is_400_naming_page_id(live_api_key):
    responses.get(FB_ME, json={"id": "2080", "name": "Another Page"})
    response = client_for(live_api_key).post("/v1/accounts", FB_BODY, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["attr"], error["code"]) == ("credentials.page_id", "account_mismatch")
    assert "2080" in error["detail"] and "1040" in error["detail"]
    assert not SocialAccount.objects.exists() and len(responses.calls) == 1


@pytest.mark.django_db
@responses.activate
@pytest.mark.parametrize(
    "answer,status,attr",
    [
        ({"status": 400, "json": {"error": {"message": "(#100) Invalid parameter", "code": 100}}}, 400, "credentials"),
        ({"status": 500, "json": {"error": {"message": "Unknown error", "code": 1}}}, 503, None),
        ({"body": requests.ConnectTimeout("timed out")}, 503, None),
        ({"status": 429, "json": {"error": {"message": "(#4) Limit reached", "code": 4}}}, 503, None),
    ],
    ids=["permanent 4xx", "5xx", "timeout", "429"],
)
def test_live_facebook_connect_maps_each_failure_of_verify(live_api_key, answer, status, attr):
    responses.get(FB_ME, **answer)
    client = client_for(live_api_key)
    client.raise_request_exception = False  # a 503 is reported as a server-side failure too
    response = client.post("/v1/accounts", FB_BODY, format="json")
    assert response.status_code == status
    assert response.json()["errors"][0]["attr"] == attr
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
@responses.activate
def test_live_instagram_connect_to_an_account_the_token_cannot_reach_is_400_naming_ig_user_id(live_api_key):
    error = {"message": "Unsupported get request. Object with ID '1784' does not exist, cannot be loaded due to "
             "missing permissions, or does not support this operation.", "code": 100, "error_subcode": 33}
    responses.get(f"{IG_API}/1784", json={"error": error}, status=400)
    body = {"provider": "instagram", "platform_account_id": "1784",
            "credentials": {"access_token": "tok", "ig_user_id": "1784"}}
    response = client_for(live_api_key).post("/v1/accounts", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "credentials.ig_user_id"


@pytest.mark.django_db
@responses.activate
def test_live_linkedin_connect_as_an_organization_the_member_does_not_administer_is_400(live_api_key):
    responses.get(f"{LI_API}/v2/userinfo", json={"sub": "782bbtaQ", "name": "Ada"})
    responses.get(f"{LI_API}/rest/organizationAcls", json={"elements": [
        {"roleAssignee": "urn:li:person:782bbtaQ", "state": "APPROVED", "role": "ANALYST",
         "organization": "urn:li:organization:2414183"}]})
    body = {"provider": "linkedin", "platform_account_id": "urn:li:organization:2414183",
            "credentials": {"access_token": "tok", "author_urn": "urn:li:organization:2414183"}}
    response = client_for(live_api_key).post("/v1/accounts", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "credentials.author_urn"
    assert len(responses.calls) == 2  # the organization itself is never read


@pytest.mark.django_db
@responses.activate
def test_live_x_connect_with_a_token_of_another_user_is_400_naming_platform_account_id(live_api_key):
    responses.get(X_ME, json={"data": {"id": "888", "name": "Other", "username": "other"}})
    body = {"provider": "x", "platform_account_id": "777", "credentials": {"access_token": "live-tok"}}
    response = client_for(live_api_key).post("/v1/accounts", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "platform_account_id"


@pytest.mark.django_db
def test_list_filters_by_provider_and_search(workspace, api_client):
    factories.make_account(workspace, provider="x", handle="@alpha")
    factories.make_account(workspace, provider="linkedin", handle="Beta Corp")
    factories.make_account(workspace, provider="x", handle="@gamma", mode="live")  # other mode: hidden
    body = api_client.get("/v1/accounts").json()
    assert body["total"] == 2 and body["next_cursor"] is None
    assert [i["handle"] for i in api_client.get("/v1/accounts?provider=x").json()["items"]] == ["@alpha"]
    assert [i["handle"] for i in api_client.get("/v1/accounts?q=beta").json()["items"]] == ["Beta Corp"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,attr",
    [("limit=0", "limit"), ("limit=101", "limit"), ("cursor=%%%", "cursor"), ("provider=myspace", "provider")],
)
def test_invalid_list_parameters_are_400(api_client, query, attr):
    response = api_client.get(f"/v1/accounts?{query}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr


@pytest.mark.django_db
def test_paging_is_stable_under_concurrent_inserts(workspace, api_client):
    base = timezone.now() - timedelta(hours=1)
    created = []
    for i in range(7):
        account = factories.make_account(workspace)
        SocialAccount.objects.filter(pk=account.pk).update(created_at=base + timedelta(seconds=i // 2))  # ties
        created.append(account.pk)
    seen, cursor = [], None
    while True:
        url = "/v1/accounts?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = api_client.get(url).json()
        seen += [item["id"] for item in page["items"]]
        factories.make_account(workspace)  # a new account arrives between pages
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(created)
    assert len(seen) == len(set(seen))


@pytest.mark.django_db
def test_another_workspaces_account_is_404_everywhere(api_client):
    other = factories.make_account(factories.make_workspace())
    assert api_client.get(f"/v1/accounts/{other.pk}").status_code == 404
    assert api_client.delete(f"/v1/accounts/{other.pk}").status_code == 404
    assert api_client.post(f"/v1/accounts/{other.pk}/refresh").status_code == 404
    other.refresh_from_db()
    assert other.health == "active"


@pytest.mark.django_db
def test_a_test_key_does_not_see_live_accounts(workspace, api_client):
    live = factories.make_account(workspace, mode="live")
    assert api_client.get(f"/v1/accounts/{live.pk}").status_code == 404


@pytest.mark.django_db
def test_disconnect_erases_credentials_and_keeps_the_row(workspace, api_client):
    account = factories.make_account(workspace)
    assert api_client.delete(f"/v1/accounts/{account.pk}").status_code == 204
    account.refresh_from_db()
    assert account.health == "disconnected" and account.credentials_encrypted == ""
    assert api_client.get(f"/v1/accounts/{account.pk}").json()["health"] == "disconnected"


@pytest.mark.django_db
@responses.activate
def test_refresh_stores_rotated_tokens_and_the_new_expiry(workspace, live_api_key):
    account = factories.make_account(workspace, mode="live", credentials={"access_token": "a1", "refresh_token": "r1"})
    responses.post(
        X_TOKEN,
        json={
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": "a2",
            "refresh_token": "r2",
            "scope": "tweet.write",
        },
    )
    response = client_for(live_api_key).post(f"/v1/accounts/{account.pk}/refresh")
    assert response.status_code == 200
    assert response.json()["health"] == "active" and response.json()["token_expires_at"]
    account.refresh_from_db()
    creds = decrypt_credentials(account.credentials_encrypted)
    assert creds["access_token"] == "a2" and creds["refresh_token"] == "r2"
    assert "grant_type=refresh_token" in responses.calls[0].request.body and "r1" in responses.calls[0].request.body


@pytest.mark.django_db
@responses.activate
def test_refresh_refused_by_the_network_is_409_and_requires_reconnect(workspace, live_api_key):
    account = factories.make_account(workspace, mode="live", credentials={"access_token": "a1", "refresh_token": "r1"})
    responses.post(
        X_TOKEN,
        status=400,
        json={"error": "invalid_request", "error_description": "Value passed for the token was invalid."},
    )
    response = client_for(live_api_key).post(f"/v1/accounts/{account.pk}/refresh")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "refresh_failed"
    account.refresh_from_db()
    assert account.health == "requires_reconnect"
    assert decrypt_credentials(account.credentials_encrypted)["refresh_token"] == "r1"


@pytest.mark.django_db
@responses.activate
def test_a_5xx_during_refresh_leaves_the_account_connected(workspace, live_api_key):
    account = factories.make_account(workspace, mode="live", credentials={"access_token": "a1", "refresh_token": "r1"})
    responses.post(X_TOKEN, status=503, json={"title": "Service Unavailable"})
    client = client_for(live_api_key)
    client.raise_request_exception = False  # a 503 is reported like any server error
    response = client.post(f"/v1/accounts/{account.pk}/refresh")
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "provider_unavailable"
    account.refresh_from_db()
    assert account.health == "active"
    assert decrypt_credentials(account.credentials_encrypted) == {"access_token": "a1", "refresh_token": "r1"}


@pytest.mark.django_db
def test_test_mode_without_the_sandbox_is_a_clear_400(api_client, settings):
    settings.SANDBOX_ENABLED = False
    response = connect(api_client, provider="x", platform_account_id="1", credentials={"access_token": "t"})
    assert response.status_code == 400
    assert "DRAVO_SANDBOX is off" in response.json()["errors"][0]["detail"]
