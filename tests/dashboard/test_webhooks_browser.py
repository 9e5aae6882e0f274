"""The Webhooks page in a real browser: a person adds an endpoint pointed at a local
receiver, sees its secret once with a Copy button, sends a test event, finds it in the
delivery log with the receiver's status code, and redelivers it; both pages pass axe and
fit a phone (the log scrolls inside its frame). Screenshots at 1280 and 390 px go to
test-artifacts/ (and, with DRAVO_SCREENSHOTS=1, the README's docs/screenshots/webhooks.png)."""

import pytest
from playwright.sync_api import expect

from tests.dashboard.test_browser import (  # noqa: F401 (fixtures)
    ARTIFACTS,
    axe_violations,
    chromium,
    log_in,
    nav,
    page,
    person,
    screenshot,
)
from tests.webhooks.conftest import receiver  # noqa: F401 (a fixture)
from webhooks.models import EventDelivery

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_a_phone(page) -> None:  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 800})
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways at 390px: {widths}"
    assert axe_violations(page) == [], f"{page.url} at 390px"


def shoot(page, name: str) -> None:  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


def test_a_person_adds_an_endpoint_sends_a_test_event_and_redelivers_it(
    sandbox, eager_tasks, page, person, workspace, receiver  # noqa: F811
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=sandbox)
    log_in(page, sandbox)
    nav(page, "Webhooks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")

    page.get_by_label("URL").fill(receiver.url)
    page.get_by_label("Description").fill("Order sync")
    page.get_by_label("post.published").check()
    page.get_by_label("delivery.failed").check()
    page.get_by_label("webhook.test").check()
    page.get_by_role("button", name="Add endpoint").click()

    secret = page.locator("#new-secret")
    expect(secret).to_contain_text("whsec_")
    receiver.secrets.append(secret.inner_text().strip())
    copy = page.locator('button[data-copy="new-secret"]')  # its name turns "Copied" once clicked
    expect(copy).to_have_accessible_name("Copy")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == receiver.secrets[0]
    expect(page.get_by_role("table")).to_contain_text("post.published")
    assert axe_violations(page) == []
    shoot(page, "webhooks-created")

    page.get_by_role("link", name=receiver.url).first.click()
    page.get_by_role("button", name="Send test event").click()
    expect(page.get_by_role("status")).to_contain_text("Sent a test event")
    row = page.locator(".delivery-log tbody tr").first
    expect(row).to_contain_text("webhook.test")
    expect(row).to_contain_text("Succeeded")
    expect(row.locator("td").nth(4)).to_have_text("204")
    assert receiver.wait_for(1)[0].verified is not None

    row.get_by_role("button", name="Redeliver").click()
    expect(page.get_by_role("status")).to_contain_text("Sending webhook.test")
    received = receiver.wait_for(2)
    assert len(received) == 2 and received[0].headers["webhook-id"] == received[1].headers["webhook-id"]
    assert EventDelivery.objects.get().status == "succeeded"
    assert axe_violations(page) == []
    shoot(page, "webhook-detail")
    fits_a_phone(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    nav(page, "Webhooks")
    screenshot(page, "webhooks")
    fits_a_phone(page)


def test_bad_input_and_a_disabled_endpoint_in_the_browser(
    sandbox, page, person, workspace, settings, receiver  # noqa: F811
):
    settings.WEBHOOK_REQUIRE_HTTPS = True
    log_in(page, sandbox)
    page.goto(f"{sandbox}/webhooks/")
    page.get_by_label("URL").fill("https://10.0.0.8/hook")
    page.get_by_label("All events").check()
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.locator("#id_url_error")).to_contain_text("only public addresses take webhooks")
    expect(page.get_by_label("URL")).to_have_value("https://10.0.0.8/hook")
    expect(page.get_by_label("All events")).to_be_checked()
    assert axe_violations(page) == []
    shoot(page, "webhooks-error")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("URL").fill(receiver.url)
    page.get_by_role("button", name="Add endpoint").click()
    page.get_by_role("link", name=receiver.url).first.click()
    page.get_by_role("button", name="Disable").click()
    expect(page.get_by_role("button", name="Enable")).to_be_visible()
    nav(page, "Home")
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("Webhooks need attention")
    expect(warning).to_contain_text("is disabled, so Dravo sends it no events. Disabled from the dashboard.")
    assert axe_violations(page) == []
    shoot(page, "home-webhook-warning")
    fits_a_phone(page)
