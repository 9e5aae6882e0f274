"""The dashboard's compose page with a Threads account: its options, the counter's rule,
publishing with options, and Threads' refusals next to the fields."""

import json
import re

import pytest

from publishing.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def test_compose_offers_the_threads_options_and_counts_emoji_as_utf8_bytes(browser_client, workspace):
    factories.make_account(workspace, provider="threads")
    page = browser_client.get("/compose/").content.decode()
    for name in ("reply_control", "topic_tag", "link_attachment", "poll.options", "thread", "quote_post_id"):
        assert f'name="opt.threads.{name}"' in page, name
    assert '<option value="accounts_you_follow">' in page
    limits = json.loads(re.search(r'id="text-limits"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert limits["threads"] == {"limit": 500, "count": "utf8_emoji"}
    assert "One topic, without" in page


def test_compose_publishes_a_threads_thread_with_its_options(browser_client, workspace):
    account = factories.make_account(workspace, provider="threads")
    response = browser_client.post(
        "/compose/",
        {
            "account_ids": [account.id],
            "text": "1/2",
            "when": "now",
            "opt.threads.reply_control": "followers_only",
            "opt.threads.topic_tag": "Dravo",
            "opt.threads.thread": "2/2",
            "opt.threads.poll.options": "Yes\nNo",
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.platform_options == {
        "threads": {
            "reply_control": "followers_only",
            "topic_tag": "Dravo",
            "thread": ["2/2"],
            "poll": {"options": ["Yes", "No"]},
        }
    }


def test_compose_reports_a_threads_text_over_500_with_emoji_under_the_text(browser_client, workspace):
    account = factories.make_account(workspace, provider="threads")
    text = "a" * 497 + "👍"  # 501 for Threads: the emoji counts 4
    response = browser_client.post("/compose/", {"account_ids": [account.id], "text": text, "when": "now"})
    assert response.status_code == 400
    page = response.content.decode()
    near_text = page[page.index('id="id_text"') : page.index('id="id_text"') + 3000]
    assert "500" in near_text and "501" in near_text
    assert not Post.objects.exists()
