"""Composing for Mastodon accounts: the form offers Mastodon's options, each account is
checked against its own instance's limits, and the live counter counts as Mastodon does
(each URL 23, a mention without its domain, grapheme clusters)."""

import os
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from publishing.models import Post
from tests import factories
from tests.dashboard.test_browser import CHROMIUM_ARGS, compose, log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def mastodon_account(workspace, max_characters=None, handle=None):
    metadata = {"instance": {"limits": {"max_characters": max_characters}}} if max_characters else {}
    account = factories.make_account(workspace, provider="mastodon", handle=handle)
    account.metadata = metadata
    account.save(update_fields=["metadata"])
    return account


@pytest.mark.django_db
def test_compose_offers_mastodon_options(browser_client, workspace):
    mastodon_account(workspace)
    page = browser_client.get("/compose/").content.decode()
    for option in ("visibility", "spoiler_text", "poll-expires_in", "alt_texts"):
        assert f'id="opt-mastodon-{option}"' in page, option


@pytest.mark.django_db
def test_each_account_is_checked_against_its_own_instance_s_limit(browser_client, workspace):
    small, large = mastodon_account(workspace), mastodon_account(workspace, max_characters=5000)
    text = "y" * 501
    refused = browser_client.post("/compose/", {"account_ids": [small.id, large.id], "text": text, "when": "now"})
    assert refused.status_code == 400
    assert set(re.findall(r"mastodon \(([^)]*)\)", refused.content.decode())) == {small.id}
    accepted = browser_client.post("/compose/", {"account_ids": [large.id], "text": text, "when": "now"})
    assert accepted.status_code == 302 and Post.objects.count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_live_counter_counts_urls_as_23_and_mentions_without_their_domain(sandbox, workspace):
    factories.make_user(workspace, username="pat", password="browser-pass-123")
    account = mastodon_account(workspace, handle="@toot@mastodon.social")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        log_in(page, sandbox)
        text = "Hi https://example.com/a/very/long/path/indeed @bob@mastodon.social 👍🏽"
        compose(page, sandbox, account.handle, text)  # 3 + 23 + 1 + 4 + 1 + 1 grapheme
        expect(page.locator("[data-counter=mastodon]")).to_have_text("Mastodon: 467 left")
        browser.close()
