"""Telegram through Dravo's API over the sandbox: BYOK connect (bot token + chat), no
hosted OAuth connect, 400s naming the field, network and accounts, publishing with the
delivery's warning, and analytics saying `unsupported`."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import media_files

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN = "55501:AAH-api-sandbox-token"


def connect(api_client, chat="@dravo_api", **extra):
    body = {"provider": "telegram", "platform_account_id": chat, "credentials": {"access_token": TOKEN, "chat_id": chat,
                                                                               **extra}}
    return api_client.post("/v1/accounts", body, format="json")


def test_byok_connect_verifies_the_bot_and_stores_the_chat(sandbox, api_client):
    answer = connect(api_client)
    assert answer.status_code == 201, answer.json()
    account = api_client.get(f"/v1/accounts/{answer.json()['id']}").json()
    assert account["handle"] == "@dravo_api" and account["platform_account_id"] == "@dravo_api"
    assert account["token_expires_at"] is None and account["metadata"]["chat_type"] == "channel"
    assert connect(api_client).status_code == 200  # the same chat again: updated, one account


def test_byok_connect_of_a_chat_the_bot_cannot_post_to_names_the_credential(sandbox, api_client):
    answer = connect(api_client, "@member_api")
    assert answer.status_code == 400
    assert "credentials.chat_id" in str(answer.json()) and "without the right to post" in str(answer.json())


def test_byok_connect_needs_the_chat(sandbox, api_client):
    body = {"provider": "telegram", "platform_account_id": "@x_chat", "credentials": {"access_token": TOKEN}}
    answer = api_client.post("/v1/accounts", body, format="json")
    assert answer.status_code == 400 and "credentials.chat_id" in str(answer.json())


def test_hosted_connect_is_refused_with_how_to_connect(api_client):
    answer = api_client.post("/v1/accounts/connect", {"provider": "telegram"}, format="json")
    assert answer.status_code == 400
    text = str(answer.json())
    assert "no OAuth" in text and "credentials.access_token" in text and "credentials.chat_id" in text
    assert "bot token" in text


def test_the_dashboard_has_no_connect_button_for_it_and_refuses_the_flow(client, workspace):
    from tests import factories

    user = factories.make_user(workspace)
    client.force_login(user)
    page = client.get("/accounts/").content.decode()
    assert 'action="/accounts/connect/telegram' not in page
    answer = client.post("/accounts/connect/telegram", follow=True)
    assert "no OAuth" in answer.content.decode()


def test_a_post_telegram_would_refuse_is_a_400_naming_field_network_and_account(sandbox, api_client):
    account_id = connect(api_client).json()["id"]
    body = {"account_ids": [account_id], "text": "a" * 4097}
    answer = api_client.post("/v1/posts", body, format="json")
    assert answer.status_code == 400
    text = str(answer.json())
    assert "4,096" in text and account_id in text and "elegram" in text


def test_unknown_and_mistyped_options_are_400(sandbox, api_client):
    account_id = connect(api_client).json()["id"]
    for options in ({"silent": True}, {"protect_content": "yes"}):
        body = {"account_ids": [account_id], "text": "hi", "platform_options": {"telegram": options}}
        assert api_client.post("/v1/posts", body, format="json").status_code == 400


@pytest.fixture
def media_root(settings, tmp_path):
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}
    settings.STORAGES = {**settings.STORAGES, "default": storage}


def test_publish_with_a_caption_split_warns_and_analytics_says_unsupported(
    sandbox, api_client, eager_tasks, media_root
):
    account_id = connect(api_client).json()["id"]
    upload = api_client.post(
        "/v1/media", {"file": SimpleUploadedFile("cover.jpg", media_files.jpeg((640, 640)))}, format="multipart"
    ).json()
    body = {
        "account_ids": [account_id],
        "text": "long " * 300,
        "media_urls": [upload["url"]],
        "platform_options": {"telegram": {"disable_notification": True}},
    }
    answer = api_client.post("/v1/posts", body, format="json")
    assert answer.status_code == 202, answer.json()
    [result] = api_client.get(f"/v1/posts/{answer.json()['id']}").json()["results"]
    assert result["status"] == "published", (result["error"], result)
    assert result["platform_post_url"].startswith(f"{sandbox}/sandbox/telegram/dravo_api/")
    assert any("own message" in warning for warning in result["warnings"])
    items = api_client.get("/v1/analytics/posts?refresh=true").json()["items"]
    [item] = [i for i in items if i["account_id"] == account_id] or items
    assert item["sync_status"] == "unsupported" and item["metrics"] == {}
    assert "no post metrics" in item["error_message"]
    assert [item[name] for name in ("views", "likes", "comments", "shares", "clicks")] == [None] * 5
