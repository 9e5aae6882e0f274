"""Pinterest end to end through Dravo's API and the sandbox over real HTTP: hosted OAuth
connect (consent page → code → 30-day token and a refresh token), BYOK connect, Pins
published through POST /v1/posts, the 400 of a Pin Pinterest would refuse, token refresh
ahead of expiry, and the live callback against the real endpoints (mocked)."""

import base64
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from responses import matchers

from accounts import services
from accounts.crypto import decrypt_credentials
from accounts.models import SocialAccount
from sandbox import pinterest as sandbox_pinterest
from tests import factories, media_files
from tests.accounts.test_oauth_connect import connect_through_sandbox, live_callback

pytestmark = pytest.mark.django_db(transaction=True)
BYOK = {
    "provider": "pinterest",
    "platform_account_id": "my_pins",
    "credentials": {"access_token": "my-pinterest-token", "refresh_token": "pinr_my"},
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.MEDIA_ALLOWED_HOSTS = []


def uploaded(api_client, name: str, data: bytes) -> str:
    """A media URL of Dravo's own (the test server's port is not fetched from elsewhere)."""
    response = api_client.post("/v1/media", {"file": SimpleUploadedFile(name, data)}, format="multipart")
    assert response.status_code == 201, response.json()
    return response.json()["url"]


def board_of(username: str, index: int = 0) -> str:
    return sandbox_pinterest.boards_of(username)[index]["id"]


def publish(api_client, account_id: str, **body) -> dict:
    body = {"account_ids": [account_id], "text": "Pinned through Dravo", **body}
    response = api_client.post("/v1/posts", body, format="json")
    assert response.status_code in (201, 202), response.json()
    return api_client.get(f"/v1/posts/{response.json()['id']}").json()


def test_connect_through_the_consent_page_stores_both_tokens_and_publishes(sandbox, eager_tasks, api_client):
    _, response = connect_through_sandbox(api_client, "pinterest")
    assert response.status_code == 302, response.content
    account = SocialAccount.objects.get(pk=parse_qs(urlsplit(response["Location"]).query)["account_id"][0])
    credentials = decrypt_credentials(account.credentials_encrypted)
    assert account.platform_account_id == account.handle == credentials["username"] == "sandbox_pinner"
    assert credentials["access_token"].startswith("pina_") and credentials["refresh_token"].startswith("pinr_")
    assert credentials["refresh_token_expires_at"] > timezone.now().isoformat()
    assert 29 <= (account.token_expires_at - account.created_at).days <= 30
    image = uploaded(api_client, "pin.jpg", media_files.jpeg())
    options = {"pinterest": {"board_id": board_of("sandbox_pinner"), "title": "Hello"}}
    post = publish(api_client, str(account.pk), media_urls=[image], platform_options=options)
    assert post["status"] == "published", post["results"]
    assert f"{sandbox}/sandbox/pinterest/pin/" in post["results"][0]["platform_post_url"]


def test_a_denied_consent_reaches_the_customer_as_an_error(sandbox, api_client):
    _, response = connect_through_sandbox(api_client, "pinterest", decision="deny")
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["access_denied"]
    assert not SocialAccount.objects.exists()


def test_a_byok_account_publishes_and_a_token_of_another_user_is_refused(sandbox, eager_tasks, api_client):
    response = api_client.post("/v1/accounts", BYOK, format="json")
    assert response.status_code == 201, response.json()
    other = {**BYOK, "platform_account_id": "someone_else"}
    refused = api_client.post("/v1/accounts", other, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["attr"] == "platform_account_id"
    assert refused.json()["errors"][0]["code"] == "account_mismatch"
    image = uploaded(api_client, "pin.jpg", media_files.jpeg())
    options = {"pinterest": {"board_id": board_of("my_pins", 1)}}
    post = publish(api_client, response.json()["id"], media_urls=[image], platform_options=options)
    assert post["status"] == "published", post["results"]


def test_a_video_pin_from_dravo_s_media_is_uploaded_to_pinterest(sandbox, eager_tasks, api_client, fast_polling):
    account_id = api_client.post("/v1/accounts", BYOK, format="json").json()["id"]
    clip = uploaded(api_client, "clip.mp4", media_files.mp4(seconds=5))
    options = {"pinterest": {"board_id": board_of("my_pins"), "cover_image_key_frame_time": 1}}
    post = publish(api_client, account_id, media_urls=[clip], platform_options=options)
    assert post["status"] == "published", post["results"]
    media = sandbox_pinterest.record_list("pinterest", "media").get()
    assert media.status == "succeeded" and media.data["size"] == len(media_files.mp4(seconds=5))


@pytest.mark.parametrize(
    "body,field",
    [
        ({"media_urls": ["https://cdn.example.com/a.jpg"]}, "platform_options.{account}.board_id"),
        ({"platform_options": {"pinterest": {"board_id": "1"}}}, "media_urls"),
        (
            {"media_urls": ["https://cdn.example.com/a.jpg"], "platform_options": {"pinterest": {"board_id": 12}}},
            "platform_options.pinterest.board_id",
        ),
        (
            {
                "media_urls": ["https://cdn.example.com/a.jpg"],
                "platform_options": {"pinterest": {"board_id": "1", "title": "t" * 101}},
            },
            "platform_options.pinterest.title",
        ),
        (
            {
                "media_urls": ["https://cdn.example.com/a.jpg"],
                "platform_options": {"pinterest": {"board": "1"}},
            },
            "platform_options.pinterest.board",
        ),
    ],
)
def test_a_pin_pinterest_would_refuse_is_a_400_naming_the_field(sandbox, api_client, body, field):
    account = api_client.post("/v1/accounts", BYOK, format="json").json()
    response = api_client.post("/v1/posts", {"account_ids": [account["id"]], "text": "x", **body}, format="json")
    assert response.status_code == 400, response.json()
    attr = field.format(account=account["id"])  # an unset board is each account's own to set
    assert attr in [error["attr"] for error in response.json()["errors"]], response.json()


def test_a_token_due_for_refresh_is_refreshed_and_the_new_refresh_token_kept(sandbox, workspace):
    now = timezone.now()
    credentials = {"access_token": "pina_old", "refresh_token": "pinr_old", "username": "my_pins", "sandbox": {}}
    account = factories.make_account(
        workspace, provider="pinterest", credentials=credentials, token_expires_at=now + timedelta(days=6)
    )
    factories.make_account(workspace, provider="pinterest", token_expires_at=now + timedelta(days=8))
    assert services.social_accounts_refresh_due(now=now) == [account.pk]
    services.social_account_refresh(account_id=account.pk)
    account.refresh_from_db()
    stored = decrypt_credentials(account.credentials_encrypted)
    assert stored["refresh_token"].startswith("pinr_") and stored["refresh_token"] != "pinr_old"
    assert stored["access_token"].startswith("pina_") and stored["username"] == "my_pins"
    assert (account.token_expires_at - now).days >= 29


@pytest.mark.django_db
@responses.activate
def test_live_callback_redeems_the_code_with_basic_auth_and_reads_the_user(workspace, live_api_key, settings):
    browser, authorize_url, callback = live_callback(live_api_key, "pinterest", settings)
    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith("https://www.pinterest.com/oauth/?")
    assert query["scope"] == ["boards:read,pins:read,pins:write,user_accounts:read"]
    assert query["response_type"] == ["code"]
    basic = "Basic " + base64.b64encode(b"cid:sec").decode()
    responses.post(
        "https://api.pinterest.com/v5/oauth/token",
        json={
            "access_token": "pina_live",
            "refresh_token": "pinr_live",
            "response_type": "authorization_code",
            "token_type": "bearer",
            "expires_in": 2592000,
            "refresh_token_expires_in": 5184000,
            "refresh_token_expires_at": 1767225600,
            "scope": "boards:read,pins:read,pins:write,user_accounts:read",
        },
        match=[matchers.header_matcher({"Authorization": basic})],
    )
    responses.get("https://api.pinterest.com/v5/user_account", json={"username": "dravo", "id": "9001"})
    response = browser.get(callback)
    assert response.status_code == 302 and "account_id=acc_" in response["Location"]
    form = parse_qs(responses.calls[0].request.body)
    assert form["grant_type"] == ["authorization_code"] and "client_secret" not in form
    assert form["continuous_refresh"] == ["true"]
    account = SocialAccount.objects.get(provider="pinterest")
    assert (account.platform_account_id, account.handle) == ("dravo", "dravo")
    assert decrypt_credentials(account.credentials_encrypted) == {
        "access_token": "pina_live",
        "refresh_token": "pinr_live",
        "refresh_token_expires_at": "2026-01-01T00:00:00+00:00",
        "username": "dravo",
    }


def test_a_token_pinterest_refuses_and_cannot_refresh_makes_the_account_require_reconnect(
    sandbox, eager_tasks, api_client, workspace
):
    credentials = {"access_token": "pina_dead", "refresh_token": "pinr_dead", "username": "my_pins"}
    account = factories.make_account(
        workspace, provider="pinterest", credentials={**credentials, "sandbox": {"behavior": "token_expired"}}
    )
    image = uploaded(api_client, "pin.jpg", media_files.jpeg())
    options = {"pinterest": {"board_id": board_of("my_pins")}}
    post = publish(api_client, str(account.pk), media_urls=[image], platform_options=options)
    assert post["status"] == "failed" and post["results"][0]["error_code"] == "reconnect_required", post
    account.refresh_from_db()
    assert account.health == SocialAccount.Health.REQUIRES_RECONNECT
