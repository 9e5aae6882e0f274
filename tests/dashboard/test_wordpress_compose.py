"""The dashboard's compose page with a WordPress account: its options, the categories as a
multi-select per account, and publishing with several categories chosen."""

import json
import re

import pytest
from django.utils import timezone

from accounts.models import Destination
from providers import registry
from publishing.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def with_categories(workspace):
    account = factories.make_account(
        workspace, provider="wordpress", platform_account_id="compose.wordpress.com", handle="compose.wordpress.com"
    )
    for position, (external_id, name) in enumerate((("1", "Uncategorized"), ("2", "News"), ("3", "Recipes"))):
        Destination.objects.create(
            account=account,
            external_id=external_id,
            name=name,
            kind="category",
            position=position,
            fetched_at=timezone.now(),
        )
    return account


def test_compose_offers_the_wordpress_options_and_the_categories_multi_select(browser_client, workspace):
    account = with_categories(workspace)
    page = browser_client.get("/compose/").content.decode()
    select = re.search(rf'<select name="opt\.{account.id}\.categories"[^>]*>.*?</select>', page, re.S)
    assert select and " multiple" in select[0], page[:500]
    assert '<option value="2">News</option>' in select[0]
    for name in ("title", "html", "excerpt", "slug", "tags", "format", "comment_status"):
        assert f'name="opt.wordpress.{name}"' in page, name
    assert 'name="opt.wordpress.categories"' not in page  # chosen per account
    limits = json.loads(re.search(r'id="text-limits"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert limits["wordpress"] == {"limit": 100_000, "count": "chars"}
    assert "Categories for compose.wordpress.com" in page


def test_compose_publishes_a_post_in_two_categories_with_tags(browser_client, workspace):
    account = with_categories(workspace)
    response = browser_client.post(
        "/compose/",
        {
            "account_ids": [account.id],
            "text": "A title\nA post",
            "when": "now",
            f"opt.{account.id}.categories": ["2", "3"],
            "opt.wordpress.tags": "dravo\nnews",
            "opt.wordpress.comment_status": "closed",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Post.objects.get().platform_options == {
        "wordpress": {"tags": ["dravo", "news"], "comment_status": "closed"},
        account.id: {"categories": [2, 3]},
    }


def test_the_wordpress_badge_keeps_white_text_readable():
    network = registry.network("wordpress")
    red, green, blue = (int(network.color[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    assert (1.05 / (luminance + 0.05)) >= 4.5


@pytest.mark.django_db(transaction=True)
def test_the_byok_form_connects_a_self_hosted_site_with_its_user(sandbox, browser_client):
    from accounts.crypto import decrypt_credentials
    from accounts.models import SocialAccount

    form = browser_client.get("/accounts/").content.decode()
    assert 'name="username"' in form and "WordPress user" in form
    response = browser_client.post(
        "/accounts/",
        {
            "provider": "wordpress",
            "platform_account_id": "blog.example.com/news",
            "access_token": "abcdEFGHijklMNOP",
            "site_url": "https://blog.example.com/news/",
            "username": "editor",
            "sandbox_behavior": "ok",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = SocialAccount.objects.get(provider="wordpress")
    assert decrypt_credentials(account.credentials_encrypted)["username"] == "editor"


def test_a_wordpress_com_site_needs_no_user():
    assert registry.network("wordpress").required_credential_names == ["site_url"]
