"""The dashboard's compose page with a Pinterest account: its options (the board first),
the counter's rule (the description, 800 characters), publishing with options, and a Pin
without a board refused next to the field."""

import json
import re

import pytest

from providers import registry
from publishing.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def test_compose_offers_the_pinterest_options_and_counts_the_description(browser_client, workspace):
    account = factories.make_account(workspace, provider="pinterest")
    page = browser_client.get("/compose/").content.decode()
    assert f'name="opt.{account.id}.board_id"' in page  # the board is chosen per account
    for name in (
        "board_section_id",
        "title",
        "link",
        "alt_text",
        "cover_image_url",
        "cover_image_key_frame_time",
    ):
        assert f'name="opt.pinterest.{name}"' in page, name
    limits = json.loads(re.search(r'id="text-limits"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert limits["pinterest"] == {"limit": 800, "count": "chars"}
    assert f"Board for {account.handle or account.platform_account_id}" in page


def test_the_pinterest_badge_keeps_white_text_readable():
    network = registry.network("pinterest")
    red, green, blue = (int(network.color[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    assert (1.05 / (luminance + 0.05)) >= 4.5
    assert network.color in network.badge


def test_compose_publishes_a_pin_with_its_options(browser_client, workspace):
    account = factories.make_account(workspace, provider="pinterest")
    response = browser_client.post(
        "/compose/",
        {
            "account_ids": [account.id],
            "text": "A Pin",
            "media_urls": "https://cdn.example.com/pin.jpg",
            "when": "now",
            f"opt.{account.id}.board_id": "549755885175",
            "opt.pinterest.title": "Dravo",
            "opt.pinterest.link": "https://dravo.dev/",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Post.objects.get().platform_options == {
        "pinterest": {"title": "Dravo", "link": "https://dravo.dev/"},
        account.id: {"board_id": "549755885175"},
    }


def test_compose_reports_a_pin_without_a_board(browser_client, workspace):
    account = factories.make_account(workspace, provider="pinterest")
    response = browser_client.post(
        "/compose/",
        {"account_ids": [account.id], "text": "A Pin", "media_urls": "https://cdn.example.com/pin.jpg", "when": "now"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    field = re.search(rf'<div class="field has-error">\s*<label for="opt-{account.id}-board_id">.*?</div>', page, re.S)
    assert field and "Pinterest needs the board the Pin goes on" in field[0]
    assert not Post.objects.exists()
