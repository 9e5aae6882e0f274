"""GET /v1/accounts/{id}/destinations for WordPress accounts: the site's categories (the
`categories` option, several at once), every page read, through the sandbox over real HTTP."""

import pytest

from accounts.models import SocialAccount
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
PATH = "/v1/accounts/{}/destinations"


def account(workspace, site: str, behavior: str = "ok", **credentials):
    credentials = {"access_token": "sbx-wp-dest", "site_url": site, "sandbox": {"behavior": behavior}, **credentials}
    return factories.make_account(workspace, provider="wordpress", platform_account_id=site, credentials=credentials)


def test_the_categories_of_a_wordpress_com_site_are_its_destinations(sandbox, api_client, workspace):
    site = account(workspace, "dest-blog.wordpress.com")
    body = api_client.get(PATH.format(site.pk)).json()
    assert [item["name"] for item in body["items"]] == ["Uncategorized", "News", "Recipes", "Travel", "Tips & Tricks"]
    assert body["items"][1] == {
        "id": "2",
        "name": "News",
        "kind": "category",
        "option": "categories",
        "extra": {"slug": "news", "count": 0},
    }
    assert body["total"] == 5


def test_every_page_of_a_self_hosted_site_s_categories_is_read(sandbox, api_client, workspace):
    site = account(workspace, "https://many-categories.example.com/blog", username="editor")
    names, cursor = [], None
    while True:
        body = api_client.get(PATH.format(site.pk), {"limit": 100, **({"cursor": cursor} if cursor else {})}).json()
        assert body["total"] == 150, body
        names += [item["name"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(names) == 150 and names[0] == "Uncategorized" and names[-1] == "Category 150"


def test_a_refused_application_password_makes_the_account_require_reconnect(sandbox, api_client, workspace):
    site = account(workspace, "https://blog.example.com", behavior="token_expired", username="editor")
    assert api_client.get(PATH.format(site.pk)).status_code == 409
    site.refresh_from_db()
    assert site.health == SocialAccount.Health.REQUIRES_RECONNECT
