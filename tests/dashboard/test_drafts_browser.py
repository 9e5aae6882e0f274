"""A draft in a real browser: saved from the compose form, its page readable (axe) at 1280
and 375 px, published from there once it has an account, deleted."""

import pytest
from playwright.sync_api import expect

from publishing.models import Post
from tests import factories
from tests.dashboard.test_browser import axe_violations, chromium, log_in, page, person  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_draft_is_saved_checked_published_and_its_page_is_accessible(sandbox, page, person, workspace):  # noqa: F811
    log_in(page, sandbox)
    page.goto(f"{sandbox}/compose/")
    page.get_by_label("Text", exact=True).fill("An idea for Monday")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    post = Post.objects.get()
    assert post.status == "draft"
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    assert axe_violations(page) == []

    page.get_by_role("button", name="Publish now").click()  # no account yet: refused, stays a draft
    expect(page.get_by_text("at least one account")).to_be_visible()
    assert Post.objects.get().status == "draft"

    page.get_by_role("button", name="Delete draft").click()  # the confirm dialog is accepted
    expect(page.get_by_text(f"Deleted post {post.pk}.")).to_be_visible()
    assert not Post.objects.exists()


def test_a_draft_with_an_account_is_published_from_its_page(sandbox, page, person, workspace):  # noqa: F811
    account = factories.make_account(workspace, provider="x", handle="@drafty")
    log_in(page, sandbox)
    page.goto(f"{sandbox}/compose/")
    page.locator(f'input[name=account_ids][value="{account.pk}"]').check()
    page.get_by_label("Text", exact=True).fill("Ready when you are")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_text("Publishing draft")).to_be_visible()
    assert Post.objects.get().status in ("queued", "processing", "published")
