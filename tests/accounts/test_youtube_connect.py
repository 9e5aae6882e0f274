"""YouTube end to end through Dravo's API and the sandbox over real HTTP: hosted OAuth
connect (Google's consent page → code → an hour-long token and a refresh token), BYOK
connect, videos published through POST /v1/posts, the 400 of a video YouTube would
refuse, token refresh ahead of expiry (the refresh token kept), playlists as
destinations, and the live callback against Google's real endpoints (mocked)."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import services
from accounts.crypto import decrypt_credentials
from accounts.models import SocialAccount
from sandbox import youtube as sandbox_youtube
from sandbox.models import SandboxRecord
from tests import factories, media_files
from tests.accounts.test_oauth_connect import connect_through_sandbox, live_callback

pytestmark = pytest.mark.django_db(transaction=True)
CHANNEL = "UCmyChannel0000000000001"
BYOK = {
    "provider": "youtube",
    "platform_account_id": CHANNEL,
    "credentials": {"access_token": "ya29.my-token", "refresh_token": "1//my"},
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.MEDIA_ALLOWED_HOSTS = []


def uploaded(api_client, name: str, data: bytes) -> str:
    response = api_client.post("/v1/media", {"file": SimpleUploadedFile(name, data)}, format="multipart")
    assert response.status_code == 201, response.json()
    return response.json()["url"]


def publish(api_client, account_id: str, **body) -> dict:
    body = {"account_ids": [account_id], "text": "Uploaded through Dravo", **body}
    response = api_client.post("/v1/posts", body, format="json")
    assert response.status_code in (201, 202), response.json()
    return api_client.get(f"/v1/posts/{response.json()['id']}").json()


def test_connect_through_the_consent_page_stores_both_tokens_and_publishes(sandbox, eager_tasks, api_client):
    _, response = connect_through_sandbox(api_client, "youtube")
    assert response.status_code == 302, response.content
    account = SocialAccount.objects.get(pk=parse_qs(urlsplit(response["Location"]).query)["account_id"][0])
    credentials = decrypt_credentials(account.credentials_encrypted)
    channel = sandbox_youtube.channel_id_for("sandbox_creator")
    assert account.platform_account_id == credentials["channel_id"] == channel
    assert account.handle == "@sandbox_creator"
    assert credentials["access_token"].startswith("ya29.") and credentials["refresh_token"].startswith("1//")
    assert 3500 <= (account.token_expires_at - account.created_at).total_seconds() <= 3600
    clip = uploaded(api_client, "clip.mp4", media_files.mp4(seconds=2))
    options = {"youtube": {"title": "Hello YouTube", "playlist_id": sandbox_youtube.playlists_of(channel)[0]["id"]}}
    post = publish(api_client, str(account.pk), media_urls=[clip], platform_options=options)
    assert post["status"] == "published", post["results"]
    assert f"{sandbox}/sandbox/youtube/watch?v=" in post["results"][0]["platform_post_url"]
    assert SandboxRecord.objects.filter(network="youtube", kind="item").count() == 1


def test_a_denied_consent_reaches_the_customer_as_an_error(sandbox, api_client):
    _, response = connect_through_sandbox(api_client, "youtube", decision="deny")
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["access_denied"]
    assert not SocialAccount.objects.exists()


def test_a_byok_account_publishes_a_short_and_a_token_of_another_channel_is_refused(sandbox, eager_tasks, api_client):
    response = api_client.post("/v1/accounts", BYOK, format="json")
    assert response.status_code == 201, response.json()
    refused = api_client.post(
        "/v1/accounts", {**BYOK, "platform_account_id": "UCsomeoneElse00000000000"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["attr"] == "platform_account_id"
    assert refused.json()["errors"][0]["code"] == "account_mismatch"
    clip = uploaded(api_client, "short.mp4", media_files.mp4(size=(360, 640), seconds=2))
    post = publish(api_client, response.json()["id"], media_urls=[clip], platform_options={"youtube": {"shorts": True}})
    assert post["status"] == "published", post["results"]
    assert f"{sandbox}/sandbox/youtube/shorts/" in post["results"][0]["platform_post_url"]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"media_urls": ["https://cdn.example.com/a.jpg"]}, "media_urls.0"),
        ({}, "media_urls"),
        (
            {
                "media_urls": ["https://cdn.example.com/v.mp4"],
                "platform_options": {"youtube": {"privacy_status": "secret"}},
            },
            "platform_options.youtube.privacy_status",
        ),
        (
            {
                "media_urls": ["https://cdn.example.com/v.mp4"],
                "platform_options": {"youtube": {"publish_at": "2027-01-01"}},
            },
            "platform_options.youtube.publish_at",
        ),
        (
            {"media_urls": ["https://cdn.example.com/v.mp4"], "platform_options": {"youtube": {"title": "t" * 101}}},
            "platform_options.youtube.title",
        ),
    ],
)
def test_a_video_youtube_would_refuse_is_a_400_naming_the_field(sandbox, api_client, body, field):
    account = api_client.post("/v1/accounts", BYOK, format="json").json()
    response = api_client.post("/v1/posts", {"account_ids": [account["id"]], "text": "x", **body}, format="json")
    assert response.status_code == 400, response.json()
    assert field in [error["attr"] for error in response.json()["errors"]], response.json()


def test_a_horizontal_video_as_a_short_is_a_400(sandbox, api_client):
    account = api_client.post("/v1/accounts", BYOK, format="json").json()
    clip = uploaded(api_client, "wide.mp4", media_files.mp4(size=(640, 360), seconds=2))
    body = {
        "account_ids": [account["id"]],
        "text": "x",
        "media_urls": [clip],
        "platform_options": {"youtube": {"shorts": True}},
    }
    response = api_client.post("/v1/posts", body, format="json")
    assert response.status_code == 400, response.json()
    assert "platform_options.youtube.shorts" in [error["attr"] for error in response.json()["errors"]]


def test_a_token_due_for_refresh_is_refreshed_and_the_refresh_token_kept(sandbox, workspace):
    now = timezone.now()
    credentials = {"access_token": "ya29.old", "refresh_token": "1//old", "channel_id": CHANNEL, "sandbox": {}}
    account = factories.make_account(
        workspace, provider="youtube", credentials=credentials, token_expires_at=now + timedelta(minutes=3)
    )
    factories.make_account(workspace, provider="youtube", token_expires_at=now + timedelta(minutes=30))
    assert services.social_accounts_refresh_due(now=now) == [account.pk]
    services.social_account_refresh(account_id=account.pk)
    account.refresh_from_db()
    stored = decrypt_credentials(account.credentials_encrypted)
    assert stored["refresh_token"] == "1//old" and stored["access_token"] != "ya29.old"
    assert stored["channel_id"] == CHANNEL
    assert 55 <= (account.token_expires_at - now).total_seconds() / 60 <= 61


def test_the_playlists_of_a_channel_are_its_destinations(sandbox, api_client, workspace):
    credentials = {"access_token": "ya29.dest", "channel_id": CHANNEL, "sandbox": {"behavior": "ok"}}
    account = factories.make_account(
        workspace, provider="youtube", platform_account_id=CHANNEL, credentials=credentials
    )
    body = api_client.get(f"/v1/accounts/{account.pk}/destinations").json()
    playlists = sandbox_youtube.playlists_of(CHANNEL)
    assert [item["id"] for item in body["items"]] == [playlist["id"] for playlist in playlists]
    assert body["items"][0] == {
        "id": playlists[0]["id"],
        "name": "Highlights",
        "kind": "playlist",
        "option": "playlist_id",
        "extra": {"privacy_status": "public", "item_count": 0},
    }


def test_a_token_google_refuses_and_cannot_refresh_makes_the_account_require_reconnect(
    sandbox, eager_tasks, api_client, workspace
):
    credentials = {"access_token": "ya29.dead", "refresh_token": "1//dead", "channel_id": CHANNEL}
    account = factories.make_account(
        workspace, provider="youtube", credentials={**credentials, "sandbox": {"behavior": "token_expired"}}
    )
    clip = uploaded(api_client, "clip.mp4", media_files.mp4(seconds=2))
    post = publish(api_client, str(account.pk), media_urls=[clip])
    assert post["status"] == "failed" and post["results"][0]["error_code"] == "reconnect_required", post
    account.refresh_from_db()
    assert account.health == SocialAccount.Health.REQUIRES_RECONNECT


@pytest.mark.django_db
@responses.activate
def test_live_callback_asks_for_offline_access_and_reads_the_channel(workspace, live_api_key, settings):
    browser, authorize_url, callback = live_callback(live_api_key, "youtube", settings)
    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    assert query["access_type"] == ["offline"] and query["prompt"] == ["consent"]
    assert query["include_granted_scopes"] == ["true"] and query["response_type"] == ["code"]
    assert "https://www.googleapis.com/auth/youtube.upload" in query["scope"][0].split(" ")
    responses.post(
        "https://oauth2.googleapis.com/token",
        json={"access_token": "ya29.live", "expires_in": 3599, "refresh_token": "1//live", "token_type": "Bearer"},
    )
    responses.get(
        "https://www.googleapis.com/youtube/v3/channels",
        json={"items": [{"id": CHANNEL, "snippet": {"title": "Dravo", "customUrl": "@dravo"}}]},
    )
    response = browser.get(callback)
    assert response.status_code == 302 and "account_id=acc_" in response["Location"]
    form = parse_qs(responses.calls[0].request.body)
    assert form["grant_type"] == ["authorization_code"] and form["client_secret"] == ["sec"]
    account = SocialAccount.objects.get(provider="youtube")
    assert (account.platform_account_id, account.handle) == (CHANNEL, "@dravo")
    assert decrypt_credentials(account.credentials_encrypted) == {
        "access_token": "ya29.live",
        "refresh_token": "1//live",
        "channel_id": CHANNEL,
    }
