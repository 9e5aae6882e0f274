"""The week and day calendar in a real browser (headless Chromium): a scheduled post dragged
to another day is moved in the database and Undo moves it back; dropped on a past hour it
goes back with the API's message shown on it; the Move form does the same from the
keyboard; the grids pass axe at 1280 and 390 px, where the week scrolls inside itself."""

import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from publishing import services as post_services
from publishing.models import Post
from tests import factories
from tests.dashboard.test_browser import (  # noqa: F401 (fixtures)
    AXE,
    TIMEZONE,
    chromium,
    log_in,
    page,
    person,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = zoneinfo.ZoneInfo(TIMEZONE)  # the `page` fixture's browser zone
TALL = 2000  # px: the whole day (24 rows) in view, so a drag needs no scrolling


def at(day: date, hour: int, minute: int, tz) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def local(post: Post, tz) -> tuple[date, int, int]:
    when = timezone.localtime(post.scheduled_at, timezone=tz)
    return when.date(), when.hour, when.minute


def slot(tab: Page, day: date, hour: int):
    return tab.locator(f'td.cal-slot[data-date="{day.isoformat()}"][data-hour="{hour}"]')


def drag(tab: Page, post: Post, day: date, hour: int) -> None:
    """Drag the post's card onto an hour cell with the mouse, as a person does: press, move a
    little (Chromium starts an HTML5 drag then), move over the cell in steps, release.
    (Locator.drag_to scrolls the target into view mid-drag, and Chromium then never starts
    the drag.) The tab is tall enough that both are in view."""
    source = tab.locator(f"#cal-{post.id}").bounding_box()
    target = slot(tab, day, hour).bounding_box()
    height = tab.viewport_size["height"]
    assert source["y"] + 20 < height and target["y"] + 20 < height, (source, target, height)
    tab.mouse.move(source["x"] + 12, source["y"] + 8)
    tab.mouse.down()
    tab.mouse.move(source["x"] + 30, source["y"] + 30, steps=5)
    tab.mouse.move(target["x"] + target["width"] / 2, target["y"] + 12, steps=10)
    tab.mouse.up()


def noon_zone() -> zoneinfo.ZoneInfo:
    """A fixed-offset zone where it is now between 12:00 and 13:00, so that the day has past
    hours and hours still to come whenever the test runs."""
    offset = (12 - datetime.now(UTC).hour) % 24
    offset = offset - 24 if offset > 14 else offset
    return zoneinfo.ZoneInfo("Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}")


def axe_wcag(tab: Page) -> list:
    """axe-core's every WCAG 2 A/AA rule (more than the dashboard's usual subset)."""
    tab.add_script_tag(path=str(AXE))
    return tab.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))"
        ".slice(0, 5)})))"
    )


def test_a_post_dragged_to_another_day_moves_and_undo_moves_it_back(sandbox, page, person, workspace):  # noqa: F811
    account = factories.make_account(workspace, provider="x", handle="@dragged")
    day = timezone.localdate(timezone=PARIS) + timedelta(days=2)
    original = at(day, 10, 30, PARIS)
    post = post_services.post_create(
        workspace=workspace, mode="test", account_ids=[account.id], text="Drag me to Thursday", scheduled_at=original
    )
    other = day + timedelta(days=1) if day.weekday() < 6 else day - timedelta(days=1)  # the same week
    log_in(page, sandbox)
    page.set_viewport_size({"width": 1280, "height": TALL})
    page.goto(f"{sandbox}/calendar/?view=week&date={day.isoformat()}")
    card = slot(page, day, 10).locator(f"#cal-{post.id}")
    expect(card).to_contain_text("10:30")
    expect(card).to_contain_text("Scheduled")

    drag(page, post, other, 14)
    status = page.get_by_role("status").filter(has_text="Moved")
    expect(status).to_contain_text("Moved “Drag me to Thursday” to")
    expect(slot(page, other, 14).locator(f"#cal-{post.id}")).to_contain_text("14:30")  # its minutes kept
    post.refresh_from_db()
    assert local(post, PARIS) == (other, 14, 30) and post.revision == 2

    status.get_by_role("button", name="Undo").click()
    expect(status).to_contain_text("back to")
    expect(slot(page, day, 10).locator(f"#cal-{post.id}")).to_contain_text("10:30")
    post.refresh_from_db()
    assert post.scheduled_at == original and post.revision == 3

    # Dragged again (the card carries the revision the last answer gave): still accepted.
    drag(page, post, other, 9)
    expect(slot(page, other, 9).locator(f"#cal-{post.id}")).to_contain_text("09:30")
    expect(page.locator("#cal-status")).to_have_text(re.compile(r"^Moved “Drag me to Thursday” to .*, 09:30\. ?Undo$"))
    post.refresh_from_db()
    assert local(post, PARIS) == (other, 9, 30) and post.revision == 4


def test_a_drop_on_a_past_hour_is_refused_in_place(sandbox, chromium, person, workspace):  # noqa: F811
    zone = noon_zone()
    context = chromium.new_context(viewport={"width": 1280, "height": TALL}, timezone_id=zone.key)
    page = context.new_page()  # noqa: F811
    page.set_default_timeout(15_000)
    try:
        account = factories.make_account(workspace, provider="x", handle="@late")
        today = timezone.localdate(timezone=zone)
        post = post_services.post_create(
            workspace=workspace, mode="test", account_ids=[account.id], text="Not yesterday",
            scheduled_at=at(today, 18, 30, zone),
        )  # fmt: skip
        log_in(page, sandbox)
        page.goto(f"{sandbox}/calendar/?view=day&date={today.isoformat()}")
        expect(page.locator(f"#cal-{post.id}")).to_contain_text("18:30")
        drag(page, post, today, 8)
        card = slot(page, today, 18).locator(f"#cal-{post.id}")  # back where it was
        expect(card.locator(".cal-card-error")).to_have_text("Must be at least 60 seconds in the future.")
        expect(page.locator("#cal-status")).to_contain_text("“Not yesterday” was not moved")
        expect(slot(page, today, 8).locator(".cal-card")).to_have_count(0)
        post.refresh_from_db()
        assert local(post, zone) == (today, 18, 30) and post.revision == 1

        # The keyboard path: the card's Move form, sent by the script, the card follows.
        card.locator("summary").click()
        card.get_by_label("New date and time").fill(f"{today.isoformat()}T21:05")
        card.get_by_role("button", name=re.compile("^Move post")).click()
        moved = slot(page, today, 21).locator(f"#cal-{post.id}")
        expect(moved).to_contain_text("21:05")
        expect(moved.locator(".cal-card-error")).to_have_count(0)
        post.refresh_from_db()
        assert local(post, zone) == (today, 21, 5) and post.revision == 2
    finally:
        context.close()


def test_week_and_day_grids_pass_axe_and_fit_a_phone(sandbox, page, person, workspace):  # noqa: F811
    x = factories.make_account(workspace, provider="x", handle="@axe")
    li = factories.make_account(workspace, provider="linkedin", handle="Axe Inc.")
    day = timezone.localdate(timezone=PARIS) + timedelta(days=1)
    post_services.post_create(
        workspace=workspace, mode="test", account_ids=[x.id, li.id], text="Spring launch on Thursday, all day long!",
        scheduled_at=at(day, 9, 15, PARIS),
    )  # fmt: skip
    published = factories.make_post(workspace, [x], text="Out already")
    Post.objects.filter(pk=published.pk).update(status=Post.Status.PUBLISHED)
    post_services.post_create_draft(
        workspace=workspace, mode="test", account_ids=[li.id], text="An idea", scheduled_at=at(day, 16, 0, PARIS)
    )
    log_in(page, sandbox)
    for view in ("week", "day"):
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{sandbox}/calendar/?view={view}&date={day.isoformat()}")
            expect(page.locator(".cal-card")).not_to_have_count(0)
            assert axe_wcag(page) == [], f"{view} at {width}px"
            page_widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert page_widths[0] <= page_widths[1], f"{view} at {width}px scrolls the page sideways: {page_widths}"
            if view == "week" and width == 390:  # the grid scrolls inside itself, its hours stay in view
                grid = page.evaluate("(e => [e.scrollWidth, e.clientWidth])(document.querySelector('.cal-scroll'))")
                assert grid[0] > grid[1], grid
                page.locator(".cal-scroll").evaluate("e => { e.scrollLeft = e.scrollWidth; }")
                hour = page.locator("th.cal-hour").nth(9).bounding_box()
                assert hour["x"] >= 0 and hour["x"] < 60, hour
            page.locator("th.cal-hour").nth(8).scroll_into_view_if_needed()
            screenshot(page, f"calendar-{view}-{width}")


def test_the_month_fits_its_width_with_a_long_unbroken_text(sandbox, page, person, workspace):  # noqa: F811
    x = factories.make_account(workspace, provider="x", handle="@long")
    day = timezone.localdate(timezone=PARIS) + timedelta(days=1)
    for n in range(3):
        post_services.post_create(
            workspace=workspace, mode="test", account_ids=[x.id], text=f"smoke{n}-" + "1796523235291102614" * 3,
            scheduled_at=at(day, 9 + n, 0, PARIS),
        )  # fmt: skip
    log_in(page, sandbox)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{sandbox}/calendar/?date={day.isoformat()}")
        expect(page.locator(".cal-item.scheduled")).not_to_have_count(0)
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"the month at {width}px scrolls the page sideways: {widths}"
        item = page.locator("ul .cal-item").first.bounding_box()
        cell = page.locator(".calendar .day.has-items").first.bounding_box()
        assert item["x"] + item["width"] <= cell["x"] + cell["width"] + 1, (item, cell)
