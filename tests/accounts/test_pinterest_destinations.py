"""GET /v1/accounts/{id}/destinations for Pinterest accounts: the user's boards, every
page of Pinterest's listing read, through the sandbox over real HTTP."""

import pytest

from accounts.models import SocialAccount
from sandbox import pinterest as sandbox_pinterest
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
PATH = "/v1/accounts/{}/destinations"


def account(workspace, username: str, token: str, behavior: str = "ok"):
    credentials = {"access_token": token, "username": username, "sandbox": {"behavior": behavior}}
    return factories.make_account(
        workspace, provider="pinterest", platform_account_id=username, credentials=credentials
    )


def test_the_boards_of_a_pinterest_account_are_its_destinations(sandbox, api_client, workspace):
    pinner = account(workspace, "dest_pinner", "sbx-dest-1")
    body = api_client.get(PATH.format(pinner.pk)).json()
    boards = sandbox_pinterest.boards_of("dest_pinner")
    assert [item["id"] for item in body["items"]] == [board["id"] for board in boards]
    assert body["items"][0] == {
        "id": boards[0]["id"],
        "name": "Ideas",
        "kind": "board",
        "option": "board_id",
        "extra": {"privacy": "PUBLIC", "description": "Ideas of dest_pinner", "owner": "dest_pinner"},
    }
    assert body["total"] == 3 and body["next_cursor"] is None


def test_every_page_of_a_long_board_listing_is_read(sandbox, api_client, workspace):
    pinner = account(workspace, "many_boards_dest", "sbx-dest-many")
    names, cursor = [], None
    while True:
        body = api_client.get(PATH.format(pinner.pk), {"limit": 100, **({"cursor": cursor} if cursor else {})}).json()
        assert body["total"] == 260, body
        names += [item["name"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert names == [f"Board {n:03d}" for n in range(1, 261)]


def test_a_token_pinterest_refuses_for_good_makes_the_account_require_reconnect(sandbox, api_client, workspace):
    pinner = account(workspace, "expired_pinner", "sbx-dest-expired", behavior="token_expired")
    response = api_client.get(PATH.format(pinner.pk))
    assert response.status_code == 409
    pinner.refresh_from_db()
    assert pinner.health == SocialAccount.Health.REQUIRES_RECONNECT
