"""The dashboard's compose page with a YouTube account: its options (the playlist chosen
per account), the counter's rule (the description, 5,000), publishing a video with
options, and an image refused next to the media."""

import json
import re

import pytest

from providers import registry
from publishing.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def test_compose_offers_the_youtube_options_and_counts_the_description(browser_client, workspace):
    account = factories.make_account(workspace, provider="youtube")
    page = browser_client.get("/compose/").content.decode()
    assert f'name="opt.{account.id}.playlist_id"' in page  # the playlist is chosen per account
    for name in (
        "title",
        "description",
        "tags",
        "category_id",
        "privacy_status",
        "made_for_kids",
        "shorts",
        "thumbnail_url",
    ):
        assert f'name="opt.youtube.{name}"' in page, name
    limits = json.loads(re.search(r'id="text-limits"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert limits["youtube"] == {"limit": 5000, "count": "utf8"}
    assert f"Playlist for {account.handle or account.platform_account_id}" in page


def test_the_youtube_badge_keeps_white_text_readable():
    network = registry.network("youtube")
    red, green, blue = (int(network.color[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    assert (1.05 / (luminance + 0.05)) >= 4.5, "white on this red is too faint"
    assert network.color in network.badge


def test_compose_publishes_a_video_with_its_options(browser_client, workspace):
    account = factories.make_account(workspace, provider="youtube")
    response = browser_client.post(
        "/compose/",
        {
            "account_ids": [account.id],
            "text": "A video",
            "media_urls": "https://cdn.example.com/clip.mp4",
            "when": "now",
            f"opt.{account.id}.playlist_id": "PL0123456789ABCDEF",
            "opt.youtube.title": "Dravo on YouTube",
            "opt.youtube.tags": "dravo\nscheduling",
            "opt.youtube.privacy_status": "unlisted",
            "opt.youtube.made_for_kids": "false",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Post.objects.get().platform_options == {
        "youtube": {
            "title": "Dravo on YouTube",
            "tags": ["dravo", "scheduling"],
            "privacy_status": "unlisted",
            "made_for_kids": False,
        },
        account.id: {"playlist_id": "PL0123456789ABCDEF"},
    }


def test_compose_reports_an_image_for_youtube(browser_client, workspace):
    account = factories.make_account(workspace, provider="youtube")
    response = browser_client.post(
        "/compose/",
        {
            "account_ids": [account.id],
            "text": "A picture",
            "media_urls": "https://cdn.example.com/a.jpg",
            "when": "now",
        },
    )
    assert response.status_code == 400
    assert "YouTube takes videos only" in response.content.decode()
    assert not Post.objects.exists()
