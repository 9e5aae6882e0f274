"""The compose page's live counter for YouTube in a real browser: the description's limit
is 5,000 UTF-8 bytes, so an accented letter counts 2 and an emoji 4, as the server counts
(`providers.youtube.rules`)."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.dashboard.test_browser import chromium, log_in, page, person  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_youtube_counter_counts_utf8_bytes(sandbox, page, person, workspace):  # noqa: F811
    account = factories.make_account(workspace, provider="youtube", handle="@sandbox_channel")
    log_in(page, sandbox)
    text = "Café tour 🚀"
    page.goto(f"{sandbox}/compose/")
    page.locator(f'input[name=account_ids][value="{account.pk}"]').check()  # (its playlist select has the handle too)
    page.get_by_label("Text", exact=True).fill(text)
    assert len(text.encode()) == 9 + 2 + 4  # "Caf tour " and the space, é 2 bytes, 🚀 4
    expect(page.locator("[data-counter=youtube]")).to_have_text(f"YouTube: {5000 - 15:,} left")
