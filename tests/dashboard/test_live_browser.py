"""A processing post's page in a real browser updates itself: the test publishes the
delivery in the database and the page shows it within seconds, without a reload."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from publishing.models import Delivery, Post
from publishing.services import post_refresh_status
from tests import factories
from tests.dashboard.test_browser import axe_violations, chromium, log_in, page, person  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_processing_posts_page_shows_published_without_a_reload(sandbox, page, person, workspace):  # noqa: F811
    account = factories.make_account(workspace, handle="@livewire")
    post = factories.make_post(workspace, [account], text="Watch me go out")
    post.deliveries.update(status=Delivery.Status.PROCESSING, attempts=1)
    post_refresh_status(post_id=post.pk)
    log_in(page, sandbox)
    page.goto(f"{sandbox}/posts/{post.pk}")
    expect(page.locator(".page-head .badge")).to_have_text("Processing")
    page.evaluate("window.notReloaded = true")

    post.deliveries.update(
        status=Delivery.Status.PUBLISHED, platform_post_url="https://example.com/p/9", published_at=timezone.now()
    )
    post_refresh_status(post_id=post.pk)
    assert Post.objects.get(pk=post.pk).status == "published"
    expect(page.locator(".page-head .badge")).to_have_text("Published", timeout=6_000)
    expect(page.get_by_role("link", name="View live post")).to_have_attribute("href", "https://example.com/p/9")
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator("#live-status[role=status]")).to_have_text(f"Post {post.pk}: Published")
    assert page.locator("[hx-trigger]").count() == 0  # final: nothing polls any more
    assert axe_violations(page) == []


def test_a_card_on_the_posts_list_turns_failed_without_a_reload(sandbox, page, person, workspace):  # noqa: F811
    account = factories.make_account(workspace, handle="@listed")
    post = factories.make_post(workspace, [account], text="A card that changes")
    post.deliveries.update(status=Delivery.Status.PROCESSING, attempts=1)
    post_refresh_status(post_id=post.pk)
    log_in(page, sandbox)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{sandbox}/posts/")
    card = page.locator(f"#post-{post.pk}")
    expect(card.locator(".post-head .badge")).to_have_text("Processing")
    post.deliveries.update(status=Delivery.Status.FAILED, error="Refused by the network", error_code="rejected")
    post_refresh_status(post_id=post.pk)
    expect(card.locator(".post-head .badge")).to_have_text("Failed", timeout=6_000)
    expect(card.get_by_role("button", name=f"Retry failed deliveries of {post.pk}")).to_be_visible()
    expect(card).to_contain_text("Refused by the network")
    expect(page.locator("#live-status")).to_have_text("A card that changes: Failed")
