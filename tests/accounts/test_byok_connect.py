"""BYOK connect in test mode, through POST /v1/accounts and the sandbox over real HTTP:
an account the connect accepts publishes, and a token that cannot act as the account
named at connect is refused with a 400 naming the field that named it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services as account_services
from accounts.crypto import decrypt_credentials
from accounts.models import SocialAccount
from sandbox.models import SandboxRecord
from tests import media_files

pytestmark = pytest.mark.django_db(transaction=True)

# One BYOK body per network, as the README shows them.
BODIES = {
    "facebook": {
        "platform_account_id": "104857600123",
        "credentials": {"access_token": "my-page-token", "page_id": "104857600123"},
    },
    "instagram": {
        "platform_account_id": "17841400000000042",
        "credentials": {"access_token": "my-ig-token", "ig_user_id": "17841400000000042"},
    },
    "linkedin": {
        "platform_account_id": "AbCdEf1234",
        "credentials": {"access_token": "my-member-token", "author_urn": "urn:li:person:AbCdEf1234"},
    },
    "tiktok": {"platform_account_id": "creator-open-id-42", "credentials": {"access_token": "my-tiktok-token"}},
    "x": {"platform_account_id": "1890123456", "credentials": {"access_token": "my-x-token"}},
}
ORGANIZATION = {
    "platform_account_id": "urn:li:organization:2414183",
    "credentials": {"access_token": "my-admin-token", "author_urn": "urn:li:organization:2414183"},
}
NAMING_FIELD = {
    "facebook": "credentials.page_id",
    "instagram": "credentials.ig_user_id",
    "linkedin": "credentials.author_urn",
    "tiktok": "platform_account_id",
    "x": "platform_account_id",
}


def connect(api_client, provider, body, token=None):
    body = {"provider": provider, **body, "credentials": dict(body["credentials"])}
    if token:
        body["credentials"]["access_token"] = token
    return api_client.post("/v1/accounts", body, format="json")


def upload(api_client, content: bytes, name: str) -> str:
    response = api_client.post("/v1/media", {"file": SimpleUploadedFile(name, content)}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()["url"]


def publish(api_client, account_id, provider):
    body = {"account_ids": [account_id], "text": f"Hello from a BYOK {provider} account"}
    if provider == "tiktok":
        body["platform_options"] = {"tiktok": {"privacy_level": "SELF_ONLY"}}
        body["media_urls"] = [upload(api_client, media_files.mp4((640, 360), seconds=4), "clip.mp4")]
    if provider == "instagram":
        body["media_urls"] = [upload(api_client, media_files.jpeg((640, 640)), "cover.jpg")]
    response = api_client.post("/v1/posts", body, format="json")
    assert response.status_code == 202, response.content
    return api_client.get(f"/v1/posts/{response.json()['id']}").json()


@pytest.fixture
def client(sandbox, api_client, settings, tmp_path):
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    return api_client


@pytest.mark.parametrize("provider", sorted(BODIES))
def test_a_byok_account_accepted_in_test_mode_publishes_through_the_sandbox(client, eager_tasks, provider):
    response = connect(client, provider, BODIES[provider])
    assert response.status_code == 201, response.json()
    account = SocialAccount.objects.get(pk=response.json()["id"])
    assert account.platform_account_id == BODIES[provider]["platform_account_id"]
    post = publish(client, account.pk, provider)
    assert post["status"] == "published", (post["results"][0]["error"], post["results"][0]["error_code"])
    assert post["results"][0]["error"] is None
    account.refresh_from_db()
    assert account.health == "active"


def test_a_byok_linkedin_organization_the_member_administers_publishes(client, eager_tasks):
    response = connect(client, "linkedin", ORGANIZATION)
    assert response.status_code == 201, response.json()
    post = publish(client, response.json()["id"], "linkedin")
    assert post["status"] == "published", post["results"]
    assert post["results"][0]["platform_post_id"].startswith("urn:li:share:")


@pytest.mark.parametrize("provider", sorted(BODIES))
def test_a_token_starting_with_invalid_is_refused_at_connect(client, provider):
    response = connect(client, provider, BODIES[provider], token="invalid-token")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "credentials"
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize("provider", sorted(BODIES))
def test_a_token_already_bound_to_another_account_is_refused_naming_the_field(client, provider):
    assert connect(client, provider, BODIES[provider], token="shared-token").status_code == 201
    other = {**BODIES[provider], "credentials": dict(BODIES[provider]["credentials"])}
    field = NAMING_FIELD[provider].split(".")[-1]
    other_id = {
        "facebook": "999000111",
        "instagram": "17841499999999999",
        "linkedin": "urn:li:person:ZzZz999999",
        "tiktok": "another-creator",
        "x": "777000111",
    }[provider]
    if field == "platform_account_id":
        other["platform_account_id"] = other_id
    else:
        other["credentials"][field] = other_id
        other["platform_account_id"] = other_id.rsplit(":", 1)[-1]
    response = connect(client, provider, other, token="shared-token")
    assert response.status_code == 400, response.json()
    error = response.json()["errors"][0]
    assert error["attr"] == NAMING_FIELD[provider] and error["code"] == "account_mismatch"
    assert SocialAccount.objects.count() == 1


def test_the_platform_account_id_must_name_the_same_account_as_the_credentials(client):
    body = {**BODIES["facebook"], "platform_account_id": "5550001"}
    response = connect(client, "facebook", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "platform_account_id"
    assert not SocialAccount.objects.exists()


def test_the_sandbox_records_the_binding_when_verify_asks(client):
    connect(client, "facebook", BODIES["facebook"])
    binding = SandboxRecord.objects.get(network="facebook", kind="token", object_id="my-page-token")
    assert binding.owner == BODIES["facebook"]["credentials"]["page_id"]
    account = SocialAccount.objects.get()
    assert decrypt_credentials(account.credentials_encrypted)["page_id"] == "104857600123"


@pytest.mark.parametrize("provider", ["linkedin", "tiktok", "x"])
def test_a_refreshed_byok_account_still_acts_as_the_account_named_at_connect(client, eager_tasks, provider):
    body = {**BODIES[provider], "credentials": {**BODIES[provider]["credentials"], "refresh_token": "my-refresh"}}
    account_id = connect(client, provider, body).json()["id"]
    assert client.post(f"/v1/accounts/{account_id}/refresh").status_code == 200
    account = SocialAccount.objects.get(pk=account_id)
    assert decrypt_credentials(account.credentials_encrypted)["access_token"] != body["credentials"]["access_token"]
    assert account_services.client_for(account).verify().id == body["platform_account_id"]
    post = publish(client, account_id, provider)
    assert post["status"] == "published", (post["results"][0]["error"], post["results"][0]["error_code"])


@pytest.mark.parametrize("provider", ["facebook", "tiktok"])
def test_a_connect_under_an_idempotency_key_holds_no_transaction_while_the_sandbox_binds_the_token(
    client, settings, provider
):
    # The sandbox (served by this Dravo) writes the token's binding while verify() waits for
    # it: with a transaction open across that call, SQLite's one writer deadlocks (a 500
    # from the sandbox, a 503 here). A replay answers the stored account without calling out.
    body = {"provider": provider, **BODIES[provider]}
    first = client.post("/v1/accounts", body, format="json", HTTP_IDEMPOTENCY_KEY=f"connect-{provider}")
    assert first.status_code == 201, first.content
    settings.SANDBOX_URL = "http://127.0.0.1:9"  # nothing listens: a call out would be a 503
    replay = client.post("/v1/accounts", body, format="json", HTTP_IDEMPOTENCY_KEY=f"connect-{provider}")
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == first.json()["id"]
