"""The dashboard driven by a real browser (headless Chromium) against a live server: a
person connects a sandbox account through its consent page, schedules, sees and cancels a
post, publishes another and opens its live link, and sees the analytics plotted. Every
main page passes axe-core's basic checks and fits a phone's width.

A failing test leaves a screenshot in test-artifacts/. With DRAVO_SCREENSHOTS=1 the tour
also saves the README's screenshots in docs/screenshots/."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright

from accounts import services as account_services
from accounts.models import Workspace
from analytics.models import MetricsSnapshot, PostMetrics
from publishing import services as post_services
from publishing.models import Post
from tests import factories

# Playwright's sync API runs an event loop; Django's ORM calls here are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "dravo" / "static" / "vendor" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
AXE_RULES = [
    "label", "color-contrast", "page-has-heading-one", "heading-order", "document-title", "html-has-lang",
    "select-name", "button-name", "link-name", "landmark-one-main", "image-alt", "list", "listitem",
]  # fmt: skip
MAIN_PAGES = {
    "home": "/", "accounts": "/accounts/", "compose": "/compose/", "posts": "/posts/", "calendar": "/calendar/",
    "analytics": "/analytics/", "api-keys": "/api-keys/", "import": "/import/",
}  # fmt: skip
TIMEZONE = "Europe/Paris"
PASSWORD = "browser-pass-123"


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, request):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, timezone_id=TIMEZONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # "Cancel this scheduled post?" and the like
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def person(workspace):
    return factories.make_user(workspace, username="pat", password=PASSWORD)


def log_in(page: Page, base: str, username: str = "pat") -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def screenshot(page: Page, name: str) -> None:
    if os.environ.get("DRAVO_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def compose(page: Page, base: str, handle: str, text: str) -> None:
    page.goto(f"{base}/compose/")
    page.get_by_label(re.compile(re.escape(handle))).check()
    page.get_by_label("Text", exact=True).fill(text)


def drawn_pixels(page: Page, selector: str) -> int:
    return page.eval_on_selector(
        selector,
        """canvas => {
            const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            let count = 0;
            for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) count++; }
            return count;
        }""",
    )


def test_a_person_connects_schedules_cancels_publishes_and_reads_analytics(
    sandbox, eager_tasks, page, person, workspace
):
    log_in(page, sandbox)

    # Connect an X account through the sandbox's consent page.
    nav(page, "Accounts")
    page.get_by_role("button", name="Connect X").click()
    expect(page.get_by_role("button", name="Allow")).to_be_visible()
    assert "/sandbox/x/" in page.url
    page.get_by_role("button", name="Allow").click()
    expect(page.locator(".messages")).to_contain_text("Connected X account")
    account = workspace.social_accounts.get()
    expect(page.locator(f"#acc-{account.id}")).to_have_text(account.handle)

    # Compose and schedule a post two days ahead at 10:30 in the browser's time zone.
    compose(page, sandbox, account.handle, "See you at the launch 🚀 https://example.com/launch")
    expect(page.locator("[data-counter=x]")).to_have_text("X: 232 left")  # 22 + emoji 2 + 1 + URL 23
    expect(page.get_by_label("Preview on X")).to_contain_text("See you at the launch")
    day = timezone.localdate() + timedelta(days=2)
    page.get_by_label("Schedule").check()
    page.get_by_label("Date and time").fill(f"{day.isoformat()}T10:30")
    page.get_by_role("button", name="Schedule post").click()
    expect(page.locator(".messages")).to_contain_text(f"({TIMEZONE})")
    scheduled = Post.objects.get(status="scheduled")
    local = timezone.localtime(scheduled.scheduled_at, timezone=__import__("zoneinfo").ZoneInfo(TIMEZONE))
    assert (local.date(), local.hour, local.minute) == (day, 10, 30)
    expect(page.locator("dl.facts")).to_contain_text("10:30")

    # See it on the calendar, on its day.
    page.goto(f"{sandbox}/calendar/?date={day.isoformat()}")
    cell = page.locator(f'[data-date="{day.isoformat()}"]')
    expect(cell.get_by_role("link", name=re.compile("See you at the launch"))).to_be_visible()

    # Cancel it from the posts page (htmx swaps the card in place).
    nav(page, "Posts")
    card = page.locator(f"#post-{scheduled.id}")
    card.get_by_role("button", name=re.compile("Cancel post")).click()
    expect(page.locator(f"#post-{scheduled.id} .post-head .badge")).to_have_text("Canceled")
    scheduled.refresh_from_db()
    assert scheduled.status == "canceled"

    # Publish another one now and see its result with the link to the live post.
    compose(page, sandbox, account.handle, "Published from the dashboard")
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".page-head .badge")).to_have_text("Published")
    live_link = page.get_by_role("link", name=re.compile("View live post"))
    expect(live_link).to_have_attribute("href", re.compile(r"^https?://"))

    # Analytics: the table and a chart drawn on its canvas.
    nav(page, "Analytics")
    expect(page.locator("table")).to_contain_text("Published from the dashboard")
    page.wait_for_function("document.querySelector('#chart-views') && window.Chart && Chart.getChart('chart-views')")
    assert drawn_pixels(page, "#chart-views") > 500

    if os.environ.get("DRAVO_SCREENSHOTS"):
        tour_for_screenshots(page, sandbox, account.handle)


def tour_for_screenshots(page: Page, base: str, handle: str) -> None:
    workspace = Post.objects.first().workspace
    Workspace.objects.filter(pk=workspace.pk).update(name="Acme Coffee")
    seed(workspace)
    metrics_history()
    for name, path in MAIN_PAGES.items():
        if name == "compose":
            compose(page, base, handle, "Hello from Dravo 👋 Our spring collection is live: https://example.com/spring")
            page.get_by_role("group", name="Options per network").locator("summary").nth(2).click()
        else:
            page.goto(base + path)
        if name == "analytics":
            page.wait_for_function("window.Chart && Chart.getChart('chart-views')")
        screenshot(page, name)
    page.goto(base + "/posts/")
    page.get_by_role("button", name="Switch to live").click()
    screenshot(page, "live-mode")


def metrics_history() -> None:
    """Two weeks of earlier readings of the published post, so the README's charts show a trend."""
    row = PostMetrics.objects.get()
    now = timezone.now()
    for days_ago in range(1, 15):
        scale = (15 - days_ago) / 15
        metrics = {k: int(v * scale) for k, v in row.metrics.items() if isinstance(v, int)}
        MetricsSnapshot.objects.create(post_metrics=row, taken_at=now - timedelta(days=days_ago), metrics=metrics)


def seed(workspace) -> None:
    """Rows every page shows: two accounts, a scheduled, a failed and a queued post, two keys."""
    x = factories.make_account(workspace, provider="x", handle="@dravo")
    li = factories.make_account(workspace, provider="linkedin", handle="Dravo Inc.")
    factories.make_account(workspace, provider="tiktok", handle="@dravo.tt", health="requires_reconnect")
    post_services.post_create(
        workspace=workspace, mode="test", account_ids=[x.id, li.id], text="Spring launch on Thursday!",
        scheduled_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    account_services.api_key_create(workspace=workspace, mode="test", name="CMS")
    account_services.api_key_create(workspace=workspace, mode="live", name="Mobile app")


def axe_violations(page: Page) -> list:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'rule', values: rules}}).then(r => r.violations.map("
        "v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))",
        AXE_RULES,
    )


def test_every_main_page_passes_axe_in_both_modes_and_fits_a_phone(sandbox, page, person, workspace):
    seed(workspace)
    log_in(page, sandbox)
    pages = {"login": "/login/", **MAIN_PAGES}
    for mode in ("test", "live"):
        if mode == "live":
            page.goto(f"{sandbox}/")
            page.get_by_role("button", name="Switch to live").click()
            expect(page.locator(".mode-banner.live")).to_be_visible()
        for name, path in pages.items():
            if name == "login" and mode == "live":
                continue
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(sandbox + path)
            assert axe_violations(page) == [], f"{mode} {name}"
            page.set_viewport_size({"width": 375, "height": 800})
            page.goto(sandbox + path)
            widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], f"{mode} {name} scrolls sideways at 375px: {widths}"
            assert axe_violations(page) == [], f"{mode} {name} at 375px"


def test_a_compose_error_is_shown_next_to_its_field_in_the_browser(sandbox, page, person, workspace):
    account = factories.make_account(workspace, provider="x", handle="@limits")
    log_in(page, sandbox)
    compose(page, sandbox, account.handle, "a" * 281)
    expect(page.locator("[data-counter=x]")).to_have_text("X: -1 left")
    expect(page.locator("[data-counter=x]")).to_have_class("over")
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".error-summary")).to_contain_text("280 weighted characters")
    expect(page.locator("#id_text ~ .field-error")).to_contain_text("this text counts 281")


def test_an_upload_shows_progress_and_adds_the_media_url(sandbox, page, person, workspace, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    image = tmp_path / "banner.jpg"
    Image.new("RGB", (1080, 1080), (30, 90, 160)).save(image, format="JPEG")
    account = factories.make_account(workspace, provider="x", handle="@media")
    log_in(page, sandbox)
    compose(page, sandbox, account.handle, "With a picture")
    page.get_by_label("Upload images, videos or a PDF").set_input_files(str(image))
    expect(page.locator("#media-status")).to_have_text("Uploaded banner.jpg (image).")
    expect(page.get_by_label(re.compile("^Media URLs"))).to_have_value(re.compile(r"/media/med_\w+/banner\.jpg$"))
    expect(page.get_by_label("Preview on X").locator("img")).to_have_count(1)
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator("ul.media-thumbs img")).to_have_attribute("src", re.compile(r"/media/med_\w+/banner\.jpg$"))
