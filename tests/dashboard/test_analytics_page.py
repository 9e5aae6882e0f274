"""The analytics page in words: normalized metrics labelled from one mapping, each
network's own metrics through its client's labels (else the key in words), ratios as
percentages; and at 390 px wide it fits without scrolling sideways and passes axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics import display
from analytics.models import MetricsSnapshot, PostMetrics
from providers.base import NORMALIZED_METRICS
from publishing.models import Delivery
from tests import factories
from tests.dashboard.test_browser import axe_violations, chromium, log_in, page, person  # noqa: F401 (fixtures)

X_METRICS = {"impression_count": 1234, "like_count": 56, "reply_count": 7, "retweet_count": 8, "url_link_clicks": 3}


def metrics_row(workspace, *, provider: str, metrics: dict, handle: str = "@counted"):
    account = factories.make_account(workspace, provider=provider, handle=handle)
    post = factories.make_post(workspace, [account], text=f"Counted on {provider}")
    delivery = post.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status="published", platform_post_id="123", published_at=timezone.now(), platform_post_url="https://e.com/1"
    )
    now = timezone.now()
    row = PostMetrics.objects.create(
        delivery=delivery, workspace=workspace, mode="test", provider=provider, sync_status="synced",
        metrics=metrics, last_updated_at=now, stale_after=now + timedelta(hours=1),
    )  # fmt: skip
    MetricsSnapshot.objects.create(post_metrics=row, taken_at=now, metrics=metrics)
    return row


@pytest.mark.django_db
def test_the_table_has_readable_headings_and_the_networks_own_metrics_labelled(browser_client, workspace):
    metrics_row(workspace, provider="x", metrics={**X_METRICS, "bookmark_count": 4})
    html = browser_client.get("/analytics/").content.decode()
    head = html[html.index("<thead>") : html.index("</thead>")]
    for label in ("Views", "Likes", "Comments", "Shares", "Link clicks", "All metrics"):
        assert f">{label}</th>" in head
    native = html[html.index('<details class="native-metrics">') : html.index("</details>")]
    assert "<dt>Impressions</dt><dd>1234</dd>" in native and "<dt>Reposts</dt><dd>8</dd>" in native
    assert "<dt>Link clicks</dt><dd>3</dd>" in native and "<dt>Bookmarks</dt><dd>4</dd>" in native
    assert "impression_count" not in html and "url_link_clicks" not in html and "bookmark_count" not in html
    assert 'data-label="Link clicks">3</td>' in html  # X's url_link_clicks are the clicks column


@pytest.mark.django_db
def test_a_ratio_is_a_percentage_and_never_summed(browser_client, workspace):
    metrics_row(workspace, provider="linkedin", handle="Dravo Inc.", metrics={
        "share_statistics_impression_count": 900, "share_statistics_engagement": 0.052,
    })  # fmt: skip
    html = browser_client.get("/analytics/").content.decode()
    assert "<dt>Engagement rate</dt><dd>5.2%</dd>" in html and "<dt>Impressions</dt><dd>900</dd>" in html
    assert "share_statistics" not in html


@pytest.mark.django_db
def test_the_summary_and_chart_titles_use_the_labels(browser_client, workspace):
    metrics_row(workspace, provider="x", metrics=X_METRICS)
    html = browser_client.get("/analytics/").content.decode()
    assert "1</span> post on this page" in html and "3</span> link clicks" in html
    assert "<h3>Views</h3>" in html and 'aria-label="Likes per day by network' in html


def test_a_key_without_a_label_is_shown_in_words():
    assert display.key_words(key="reply_count") == "Replies"
    assert display.key_words(key="bookmarkCount") == "Bookmarks"
    assert display.key_words(key="votes_count") == "Votes"
    assert display.key_words(key="total_video_views") == "Total video views"
    assert display.key_words(key="url_clicks") == "URL clicks"
    assert display.metric_label(provider="x", key="retweet_count") == "Reposts"
    assert display.metric_label(provider="nowhere", key="like_count") == "Likes"


def test_every_normalized_metric_has_one_label():
    assert [name for name, _ in display.normalized_columns()] == list(NORMALIZED_METRICS)
    assert display.NORMALIZED_LABELS["clicks"] == "Link clicks"


def test_values_that_are_no_numbers_are_left_out():
    shown = display.native_metrics(provider="x", metrics={"like_count": 2, "nested": {"a": 1}, "flag": True})
    assert [(m.label, m.value) for m in shown] == [("Likes", "2")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_page_fits_390_px_and_passes_axe(sandbox, page, person, workspace):  # noqa: F811
    metrics_row(workspace, provider="x", metrics=X_METRICS)
    metrics_row(workspace, provider="linkedin", handle="Dravo Inc.", metrics={"share_statistics_engagement": 0.05})
    log_in(page, sandbox)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{sandbox}/analytics/")
        page.wait_for_function("window.Chart && Chart.getChart('chart-views')")
        page.locator("details.native-metrics summary").first.click()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == [], width
    # At 390 px each row is a card: its cells say what they are.
    cell = page.locator('.metrics-table td[data-label="Views"]').first
    assert "Views" in page.evaluate("c => getComputedStyle(c, '::before').content", cell.element_handle())
