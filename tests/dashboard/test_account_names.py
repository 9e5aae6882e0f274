"""Accounts a network names by a number (a Page) are shown by their name: the name comes
from the network's profile answer when the account is connected (here through the
sandbox), and every dashboard page shows it instead of the numeric id."""

import re

import pytest

from accounts.models import SocialAccount
from tests import factories
from tests.dashboard.conftest import login_as

pytestmark = pytest.mark.django_db(transaction=True)
PAGE = {
    "provider": "facebook",
    "platform_account_id": "104857600123",
    "credentials": {"access_token": "my-page-token", "page_id": "104857600123"},
}


@pytest.fixture
def page_account(sandbox, api_client):
    response = api_client.post("/v1/accounts", PAGE, format="json")
    assert response.status_code == 201, response.content
    return SocialAccount.objects.get(pk=response.json()["id"])


def test_a_page_connected_with_its_token_gets_its_name_from_the_network(page_account):
    assert page_account.platform_account_id == "104857600123"
    assert page_account.name.startswith("Sandbox Page ")  # the sandbox's answer to GET /me


def test_the_accounts_page_shows_the_pages_name_not_its_number(page_account, workspace):
    client = login_as(factories.make_user(workspace))
    page = client.get("/accounts/").content.decode()
    heading = re.search(rf'<h3 id="acc-{page_account.pk}">([^<]*)</h3>', page).group(1)
    assert heading == page_account.name and "104857600123" not in heading


def test_a_posts_results_and_the_compose_form_show_the_name(page_account, workspace):
    client = login_as(factories.make_user(workspace))
    post = factories.make_post(workspace, [page_account], text="Named")
    results = client.get(f"/posts/{post.pk}").content.decode().split('<ul class="results"', 1)[1]
    assert f"<strong>{page_account.name}</strong>" in results
    compose = client.get("/compose/").content.decode()
    label = re.search(rf'<label class="inline" for="acc-{page_account.pk}">([^<]*)<', compose).group(1)
    assert label.strip() == page_account.name
