"""The compose page with a Telegram account: its options (switches, the nested link
preview, integers), its counter's limit, and the API's validation under the text."""

import json
import re

import pytest

from publishing.models import Post
from tests import factories


def telegram_account(workspace):
    credentials = {"access_token": "55501:AAH-compose", "chat_id": "@dravo_compose"}
    return factories.make_account(workspace, provider="telegram", credentials=credentials)


@pytest.mark.django_db
def test_compose_offers_telegram_s_options_and_its_limit(browser_client, workspace):
    telegram_account(workspace)
    page = browser_client.get("/compose/").content.decode()
    for name in (
        "opt.telegram.disable_notification",
        "opt.telegram.protect_content",
        "opt.telegram.link_preview_options.is_disabled",
        "opt.telegram.link_preview_options.url",
        "opt.telegram.link_preview_options.prefer_large_media",
        "opt.telegram.message_thread_id",
        "opt.telegram.text",
    ):
        assert f'name="{name}"' in page, name
    assert "Silent: subscribers get no sound." in page
    limits = json.loads(re.search(r'<script id="text-limits"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert limits["telegram"]["limit"] == 4096 and limits["telegram"]["count"] == "utf16"


@pytest.mark.django_db
def test_compose_publishes_with_telegram_options_typed(browser_client, workspace):
    account = telegram_account(workspace)
    response = browser_client.post(
        "/compose/",
        {
            "account_ids": [account.id],
            "text": "Hello <channel> & friends",
            "when": "now",
            "opt.telegram.disable_notification": "true",
            "opt.telegram.link_preview_options.url": "https://dravo.dev",
            "opt.telegram.link_preview_options.prefer_small_media": "true",
            "opt.telegram.message_thread_id": "4",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    options = Post.objects.get().platform_options["telegram"]
    assert options["disable_notification"] is True and options["message_thread_id"] == 4
    assert options["link_preview_options"]["url"] == "https://dravo.dev"
    assert options["link_preview_options"]["prefer_small_media"] is True


@pytest.mark.django_db
def test_compose_reports_a_telegram_text_over_the_limit_under_the_text(browser_client, workspace):
    account = telegram_account(workspace)
    response = browser_client.post("/compose/", {"account_ids": [account.id], "text": "y" * 4097, "when": "now"})
    assert response.status_code == 400
    page = response.content.decode()
    start = page.index('id="id_text"')
    near_text = page[start : start + 4097 + 3000]  # the text area holds the 4,097 characters
    assert "telegram (" in near_text and "4,096" in near_text
