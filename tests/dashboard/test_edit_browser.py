"""Editing in a real browser: a scheduled post opened, edited and saved from its page (its
revision one more), the Repeat preview following the rule as it changes (with the
daylight saving move), per-network preview cards, and the edit page passing axe at 1280
and 390 px wide."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from publishing import services
from publishing.models import Post
from tests import factories, media_files
from tests.dashboard.test_browser import ARTIFACTS, axe_violations, chromium, log_in, page, person  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def look(page, name: str) -> None:  # noqa: F811
    """With DRAVO_SCREENSHOTS=1, keep a full-page screenshot to look at."""
    if os.environ.get("DRAVO_SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def fits_the_width(page) -> None:  # noqa: F811
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths


def test_a_scheduled_post_is_edited_from_its_page(sandbox, page, person, workspace):  # noqa: F811
    account = factories.make_account(workspace, provider="x", handle="@editor")
    factories.make_account(workspace, provider="instagram", handle="@editor.pics")
    at = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    post = services.post_create(
        workspace=workspace, mode="test", account_ids=[account.pk], text="Launch on Monday", scheduled_at=at
    )
    log_in(page, sandbox)
    page.goto(f"{sandbox}/posts/{post.pk}")
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit post {post.pk}")
    expect(page.get_by_label("Preview on X")).to_contain_text("Launch on Monday")
    expect(page.get_by_label("Preview on X")).to_contain_text("@editor")
    look(page, "edit-1280")
    assert axe_violations(page) == []

    page.get_by_label("Text", exact=True).fill("Launch on Tuesday")
    expect(page.get_by_label("Preview on X")).to_contain_text("Launch on Tuesday")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".messages")).to_contain_text("Saved: revision 2.")
    expect(page.locator(".post-text")).to_have_text("Launch on Tuesday")
    post.refresh_from_db()
    assert (post.text, post.revision, post.status) == ("Launch on Tuesday", 2, "scheduled")

    page.goto(f"{sandbox}/posts/{post.pk}/edit")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_label("Preview on X")).to_be_visible()
    fits_the_width(page)
    look(page, "edit-390")
    assert axe_violations(page) == []


def test_the_repeat_preview_follows_the_rule_and_previews_follow_the_accounts(sandbox, page, person, workspace):  # noqa: F811
    x = factories.make_account(workspace, provider="x", handle="@weekly")
    gram = factories.make_account(workspace, provider="instagram", handle="@weekly.pics")
    log_in(page, sandbox)
    page.goto(f"{sandbox}/compose/")
    page.locator(f"#acc-{x.pk}").check()
    page.locator(f"#acc-{gram.pk}").check()
    page.get_by_label("Text", exact=True).fill("Every week, a digest " + "of news " * 20)
    expect(page.get_by_label("Preview on Instagram")).to_contain_text("… more")
    expect(page.get_by_label("Preview on X")).not_to_contain_text("… more")

    page.get_by_label("Schedule", exact=True).check()
    page.locator("#id_scheduled_local").fill("2027-03-21T02:30")
    page.get_by_label("Time zone of the series").fill("Europe/Paris")
    page.get_by_label("How often").select_option("weekly")
    page.get_by_label("Number of posts").fill("3")
    page.get_by_label("Number of posts").dispatch_event("change")
    preview = page.locator("#repeat-preview")
    expect(preview).to_contain_text("Sun 28 Mar 2027, 03:00")
    expect(preview).to_contain_text("02:30 does not exist that day")
    expect(preview.locator("li")).to_have_count(3)

    page.get_by_label("How often").select_option("daily")
    expect(preview).to_contain_text("Mon 22 Mar 2027, 02:30")
    expect(preview).not_to_contain_text("Sun 28 Mar")  # three days only
    page.get_by_label("How often").select_option("custom")
    page.get_by_label("Custom rule").fill("FREQ=DAILY;COUNT=2")
    page.get_by_label("Custom rule").dispatch_event("change")
    expect(preview).to_contain_text("Give COUNT as the recurrence's own fields")
    page.get_by_label("Custom rule").fill("FREQ=WEEKLY;INTERVAL=2")
    page.get_by_label("Custom rule").dispatch_event("change")
    expect(preview).to_contain_text("Sun 4 Apr 2027, 02:30")
    look(page, "compose-repeat-1280")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    fits_the_width(page)
    look(page, "compose-repeat-390")
    assert axe_violations(page) == []
    assert not Post.objects.exists()


def test_preview_cards_crop_an_uploaded_image_as_each_feed_does(sandbox, page, person, workspace, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    image = tmp_path / "banner.jpg"
    image.write_bytes(media_files.jpeg((1200, 800)))
    accounts = {
        key: factories.make_account(workspace, provider=key, handle=f"@crop.{key}")
        for key in ("instagram", "linkedin", "tiktok")
    }
    log_in(page, sandbox)
    page.goto(f"{sandbox}/compose/")
    for account in accounts.values():
        page.locator(f"#acc-{account.pk}").check()
    page.get_by_label("Text", exact=True).fill("A picture of the launch")
    page.get_by_label("Upload images, videos or a PDF").set_input_files(str(image))
    expect(page.locator("#media-status")).to_have_text("Uploaded banner.jpg (image).")
    ratios = {}
    for key in accounts:
        card = page.locator(f'section.preview[data-network="{key}"]')
        expect(card.locator("img")).to_have_count(1)
        box = card.locator(".preview-crop").bounding_box()
        ratios[key] = round(box["width"] / box["height"], 2)
    assert ratios == {"instagram": 0.8, "linkedin": 1.91, "tiktok": 0.56}
    look(page, "previews-1280")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    fits_the_width(page)
    look(page, "previews-390")


def test_an_occurrence_is_edited_with_the_following_ones(sandbox, page, person, workspace):  # noqa: F811
    account = factories.make_account(workspace, provider="x", handle="@daily")
    start = (timezone.localtime(timezone.now()) + timedelta(days=1)).replace(tzinfo=None, second=0, microsecond=0)
    recurrence = {"rule": "FREQ=DAILY", "time_zone": "Europe/Paris", "start": start, "count": 3}
    first = services.post_create(
        workspace=workspace, mode="test", account_ids=[account.pk], text="Daily tip", recurrence=recurrence
    )
    log_in(page, sandbox)
    page.goto(f"{sandbox}/posts/{first.pk}/edit")
    expect(page.locator("#repeat-preview li")).to_have_count(3)
    page.get_by_label("Text", exact=True).fill("Daily tip, improved")
    page.get_by_label("This and following posts of the series").check()
    look(page, "edit-series-1280")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    fits_the_width(page)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".messages")).to_contain_text("Saved: revision 2.")
    texts = set(Post.objects.filter(series_id=first.series_id).values_list("text", flat=True))
    assert texts == {"Daily tip, improved"}


def test_a_change_made_meanwhile_is_reported_and_reloaded(sandbox, page, person, workspace):  # noqa: F811
    account = factories.make_account(workspace, provider="x", handle="@race")
    at = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    post = services.post_create(
        workspace=workspace, mode="test", account_ids=[account.pk], text="First words", scheduled_at=at
    )
    log_in(page, sandbox)
    page.goto(f"{sandbox}/posts/{post.pk}/edit")
    page.get_by_label("Text", exact=True).fill("My words")
    services.post_edit(post=post, changes={"text": "Their words"})  # someone else, meanwhile
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert").filter(has_text="changed by someone else")).to_be_visible()
    look(page, "edit-conflict-1280")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Reload the post").click()
    expect(page.get_by_label("Text", exact=True)).to_have_value("Their words")
    post.refresh_from_db()
    assert (post.text, post.revision) == ("Their words", 2)
