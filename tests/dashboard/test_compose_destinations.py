"""The compose form offers each account's destinations (boards, playlists...) as a select,
one per account, and sends the choice as that account's own option. The network is X
given a destination kind for the test (see tests/accounts/test_destinations_api.py); the
real networks' selects are tested with their sandboxes."""

import dataclasses
import re

import pytest

from providers import registry
from providers.base import Destination as Listed
from providers.errors import ProviderUnavailable
from publishing.models import Post
from tests import factories
from tests.accounts.test_destinations_api import listing  # noqa: F401

pytestmark = pytest.mark.django_db


def select_options(page: str, account_id: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="opt\.{account_id}\.board_id"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no destination select for {account_id}"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1])


def test_each_account_gets_a_select_of_its_own_destinations(browser_client, workspace, listing):  # noqa: F811
    first = factories.make_account(workspace, provider="x", handle="first")
    second = factories.make_account(workspace, provider="x", handle="second")
    page = browser_client.get("/compose/").content.decode()
    for account in (first, second):
        assert select_options(page, account.pk) == [("", "Choose…")] + [(f"b{i}", f"Board {i}") for i in range(5)]
    assert 'name="opt.x.board_id"' not in page  # chosen per account, not once for the network
    assert "Board for first" in page and "Board for second" in page
    assert listing["calls"] == 2
    browser_client.get("/compose/")
    assert listing["calls"] == 2  # Dravo's copy serves the next page views


def test_fresh_copies_of_many_accounts_are_read_in_one_query(browser_client, workspace, listing):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def destination_queries(count: int) -> int:
        for _ in range(count):
            factories.make_account(workspace, provider="x")
        browser_client.get("/compose/")  # reads each new account's listing once
        with CaptureQueriesContext(connection) as ctx:
            assert browser_client.get("/compose/").status_code == 200
        return sum('"accounts_destination"' in query["sql"] for query in ctx.captured_queries)

    assert destination_queries(2) == destination_queries(6) == 1
    assert listing["calls"] == 8


def test_the_chosen_destination_goes_to_that_account_only(browser_client, workspace, listing, monkeypatch):  # noqa: F811
    # The destination option is one X really has, so the post passes X's schema.
    kind = dataclasses.replace(registry.NETWORKS["x"].destinations, option="quote_post_id")
    monkeypatch.setitem(registry.NETWORKS, "x", dataclasses.replace(registry.NETWORKS["x"], destinations=kind))
    listing["boards"] = [Listed(id=str(n), name=f"Post {n}", kind="board") for n in (111, 333, 444)]
    first = factories.make_account(workspace, provider="x")
    second = factories.make_account(workspace, provider="x")
    other = factories.make_account(workspace, provider="x")
    response = browser_client.post(
        "/compose/",
        {
            "account_ids": [first.pk, second.pk],
            "text": "pinned",
            "when": "now",
            f"opt.{first.pk}.quote_post_id": "111",
            f"opt.{second.pk}.quote_post_id": "333",
            f"opt.{other.pk}.quote_post_id": "444",  # not targeted: left out
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get()
    assert post.platform_options == {first.pk: {"quote_post_id": "111"}, second.pk: {"quote_post_id": "333"}}


def test_an_account_whose_destinations_cannot_be_read_takes_a_typed_id(browser_client, workspace, listing):  # noqa: F811
    listing["boards"] = ProviderUnavailable("down for maintenance")
    account = factories.make_account(workspace, provider="x")
    page = browser_client.get("/compose/").content.decode()
    assert re.search(rf'<input type="text" name="opt\.{account.pk}\.board_id"', page)
    assert "Type its id" in page and "down for maintenance" in page


def test_a_refused_destination_is_shown_next_to_its_select(browser_client, workspace, listing, monkeypatch):  # noqa: F811
    listing["boards"] = [Listed(id="b1", name="Recipes", kind="board")]
    account = factories.make_account(workspace, provider="x")
    response = browser_client.post(
        "/compose/",
        {"account_ids": [account.pk], "text": "pinned", "when": "now", f"opt.{account.pk}.board_id": "b1"},
    )
    # X's schema has no board_id: the API's refusal lands on the account's select.
    assert response.status_code == 400
    page = response.content.decode()
    field = re.search(rf'<div class="field has-error">\s*<label for="opt-{account.pk}-board_id">.*?</div>', page, re.S)
    assert field and "board_id" in field[0]
    assert not Post.objects.exists()
