"""The compose page's live counter for Threads in a real browser: an emoji counts its
UTF-8 bytes, as Threads counts it (the server's rule, `providers.threads.rules.text_length`)."""

import pytest
from playwright.sync_api import expect

from providers.threads.rules import text_length
from tests import factories
from tests.dashboard.test_browser import chromium, compose, log_in, page, person  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_threads_counter_counts_an_emoji_as_its_utf8_bytes(sandbox, page, person, workspace):  # noqa: F811
    account = factories.make_account(workspace, provider="threads", handle="@sandbox_threads")
    log_in(page, sandbox)
    text = "Launch day 🚀 with the team 👩‍👩‍👧 é"
    compose(page, sandbox, account.handle, text)
    expected = 500 - text_length(text)
    assert expected == 500 - (28 + 4 + 18)  # 28 other characters, 🚀 4 bytes, the family 18
    expect(page.locator("[data-counter=threads]")).to_have_text(f"Threads: {expected} left")
