"""The dashboard's account analytics: followers over time, the days' numbers and the best
hours as a heat map in the viewer's zone; a network without account numbers says so."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from analytics.account_views import heat_map
from analytics.models import AccountMetrics
from tests import factories
from tests.analytics.test_account_analytics import day_row, published
from tests.dashboard.test_browser import axe_violations, chromium, log_in, page, person  # noqa: F401 (fixtures)


@pytest.mark.django_db
def test_the_page_shows_followers_days_and_the_best_hours(browser_client, workspace):
    account = factories.make_account(workspace, provider="x", handle="@acme")
    for days_ago, followers in ((1, 104), (0, 110)):
        day_row(account, days_ago, {"followers_count": followers})
    now = timezone.now()
    published(workspace, account, (now - timedelta(days=3)).replace(hour=9, minute=0), likes=30)
    html = browser_client.get(f"/analytics/accounts/?account={account.pk}").content.decode()
    assert 'id="account-days"' in html and '"followers_count"' not in html  # normalized numbers only
    assert "@acme" in html and "From the engagement of 1 post of the last 90 days" in html
    assert html.count('<td class="heat-') == 7 * 24 and "heat-4" in html
    other = factories.make_account(factories.make_workspace(), provider="x", handle="@theirs")
    assert "@theirs" not in browser_client.get(f"/analytics/accounts/?account={other.pk}").content.decode()


@pytest.mark.django_db
def test_a_network_without_account_numbers_says_so(browser_client, workspace):
    account = factories.make_account(workspace, provider="x", handle="@quiet")
    day_row(account, 0, {}, error_message="X serves none here").__class__.objects.filter(account=account).update(
        sync_status="unsupported"
    )
    html = browser_client.get("/analytics/accounts/").content.decode()
    assert "serves no account numbers to Dravo: X serves none here" in html
    assert "No published post with metrics yet" in html


def test_the_heat_map_is_shifted_to_the_viewer_s_zone():
    history = {"posts": 3, "hours": {1 * 24 + 15: 2.0, 0: 0.5}}  # Tuesday 15:00 UTC, Monday 00:00 UTC
    rows = heat_map(history, offset_hours=2)
    assert rows[1]["day"] == "tue" and rows[1]["cells"][17] == {"hour": 17, "score": 2.0, "level": 4}
    assert rows[0]["cells"][2]["score"] == 0.5 and rows[0]["cells"][0]["level"] == 0
    assert heat_map(history, offset_hours=-1)[0]["cells"][23]["score"] is None
    assert heat_map(history, offset_hours=-1)[6]["cells"][23]["score"] == 0.5  # Sunday 23:00 in UTC-1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_page_draws_its_chart_fits_a_phone_and_passes_axe(sandbox, page, person, workspace):  # noqa: F811
    account = factories.make_account(workspace, provider="x", handle="@acme")
    for days_ago in range(5):
        day_row(account, days_ago, {"followers_count": 100 + days_ago})
    published(workspace, account, timezone.now() - timedelta(days=2), likes=12)
    assert AccountMetrics.objects.count() == 5
    log_in(page, sandbox)
    page.goto(f"{sandbox}/analytics/")
    page.get_by_role("link", name="Account analytics").click()
    page.wait_for_function("window.Chart && Chart.getChart('followers-chart')")
    expect(page.get_by_role("heading", name="Best times to post")).to_be_visible()
    expect(page.get_by_text("From the engagement of 1 post")).to_be_visible()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    assert axe_violations(page) == []
