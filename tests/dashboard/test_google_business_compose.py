"""The dashboard's compose page with a Google Business Profile account: its options (the
topic type, the event, offer and button as nested fields), the counter's rule (the
summary, 1,500 characters), publishing an event with its options, and an event without
its title refused next to the field."""

import json
import re

import pytest

from providers import registry
from publishing.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def test_compose_offers_the_business_profile_options_and_counts_the_summary(browser_client, workspace):
    account = factories.make_account(workspace, provider="google_business")
    page = browser_client.get("/compose/").content.decode()
    for name in (
        "topic_type",
        "language_code",
        "event.title",
        "event.start_date",
        "event.start_time",
        "event.end_date",
        "event.end_time",
        "offer.coupon_code",
        "offer.redeem_online_url",
        "offer.terms_conditions",
        "call_to_action.action_type",
        "call_to_action.url",
        "alert_type",
    ):
        assert f'name="opt.google_business.{name}"' in page, name
    assert f'name="opt.{account.id}.' not in page  # the account is the location: nothing to choose
    limits = json.loads(re.search(r'id="text-limits"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert limits["google_business"] == {"limit": 1500, "count": "chars"}
    topic = re.search(r'<select name="opt.google_business.topic_type"[^>]*>(.*?)</select>', page, re.S)
    assert [v for v in re.findall(r'<option value="([^"]*)"', topic[1]) if v] == ["STANDARD", "EVENT", "OFFER", "ALERT"]


def test_the_business_profile_badge_keeps_white_text_readable():
    network = registry.network("google_business")
    red, green, blue = (int(network.color[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    assert (1.05 / (luminance + 0.05)) >= 4.5
    assert network.color in network.badge


def test_compose_publishes_an_event_with_its_options(browser_client, workspace):
    account = factories.make_account(workspace, provider="google_business")
    response = browser_client.post(
        "/compose/",
        {
            "account_ids": [account.id],
            "text": "Join our tasting",
            "when": "now",
            "opt.google_business.topic_type": "EVENT",
            "opt.google_business.event.title": "Tasting",
            "opt.google_business.event.start_date": "2026-12-10",
            "opt.google_business.event.end_date": "2026-12-10",
            "opt.google_business.call_to_action.action_type": "BOOK",
            "opt.google_business.call_to_action.url": "https://dravo.dev/book",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Post.objects.get().platform_options == {
        "google_business": {
            "topic_type": "EVENT",
            "event": {"title": "Tasting", "start_date": "2026-12-10", "end_date": "2026-12-10"},
            "call_to_action": {"action_type": "BOOK", "url": "https://dravo.dev/book"},
        }
    }


def test_compose_reports_an_event_without_its_title(browser_client, workspace):
    account = factories.make_account(workspace, provider="google_business")
    response = browser_client.post(
        "/compose/",
        {
            "account_ids": [account.id],
            "text": "Join us",
            "when": "now",
            "opt.google_business.topic_type": "EVENT",
            "opt.google_business.event.start_date": "2026-12-10",
            "opt.google_business.event.end_date": "2026-12-10",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    field = re.search(
        r'<div class="field has-error">\s*<label for="opt-google_business-event-title">.*?</div>', page, re.S
    )
    assert field and "needs event.title" in field[0]
    assert not Post.objects.exists()
