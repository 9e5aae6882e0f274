"""The content calendar's whole flow in a real browser, as a person goes through it: a draft
saved from compose, edited, scheduled from its page, dragged to another day in the week
grid, released by the scheduler when its time comes and shown published on its page
without a reload; every page on the way passes axe at 1280 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from publishing import services
from publishing.models import Post
from tests import factories
from tests.dashboard.test_browser import axe_violations, chromium, log_in, page, person  # noqa: F401 (fixtures)
from tests.dashboard.test_calendar_browser import PARIS, TALL, drag, local, slot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_edit_schedule_drag_to_another_day_and_published(sandbox, eager_tasks, page, person, workspace):  # noqa: F811
    account = factories.make_account(workspace, provider="x", handle="@planner")
    day = timezone.localdate(timezone=PARIS) + timedelta(days=2)
    other = day + timedelta(days=1) if day.weekday() < 6 else day - timedelta(days=1)  # the same week
    log_in(page, sandbox)
    page.set_viewport_size({"width": 1280, "height": TALL})

    # A draft, with the time it is meant for.
    page.goto(f"{sandbox}/compose/")
    page.locator(f'input[name=account_ids][value="{account.pk}"]').check()
    page.get_by_label("Text", exact=True).fill("Our plans for the week")
    page.get_by_label("Schedule").check()
    page.get_by_label("Date and time").fill(f"{day.isoformat()}T10:30")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    post = Post.objects.get()
    assert post.status == "draft" and local(post, PARIS) == (day, 10, 30)
    assert axe_violations(page) == []

    # Edited: a typo fixed.
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Text", exact=True).fill("Our plans for next week")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".post-text")).to_have_text("Our plans for next week")
    post.refresh_from_db()
    assert (post.text, post.status, post.revision) == ("Our plans for next week", "draft", 2)

    # Scheduled from its page, for the time it carries.
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text(f"Publishing draft {post.pk}.")).to_be_visible()
    post.refresh_from_db()
    assert post.status == "scheduled" and local(post, PARIS) == (day, 10, 30)

    # Dragged to another day of the week grid.
    page.goto(f"{sandbox}/calendar/?view=week&date={day.isoformat()}")
    expect(slot(page, day, 10).locator(f"#cal-{post.id}")).to_contain_text("Scheduled")
    assert axe_violations(page) == []
    drag(page, post, other, 14)
    expect(slot(page, other, 14).locator(f"#cal-{post.id}")).to_contain_text("14:30")
    post.refresh_from_db()
    assert local(post, PARIS) == (other, 14, 30) and post.status == "scheduled"

    # Its time comes (brought forward: a page follows a post due within minutes): the
    # scheduler releases it, the worker publishes it to the sandbox, and its open page
    # turns published by itself.
    Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() + timedelta(minutes=2))
    page.goto(f"{sandbox}/posts/{post.pk}")
    expect(page.locator(".post-page .badge").first).to_have_text("Scheduled")
    Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))
    services.posts_release_due()
    services.deliveries_dispatch_due()
    post.refresh_from_db()
    assert post.status == "published", post.status
    expect(page.locator(".post-page .badge").first).to_have_text("published", ignore_case=True, timeout=15_000)
    assert axe_violations(page) == []
