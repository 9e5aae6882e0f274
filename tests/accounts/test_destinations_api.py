"""GET /v1/accounts/{id}/destinations: the places inside an account a post can go to,
served from Dravo's copy of the network's listing. The network here is X given a
destination kind and a listing for the test (the real ones have their own tests against
the sandbox); what is tested is the API's copy, pages, refresh and errors."""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Destination, SocialAccount
from providers import registry
from providers.base import Destination as Listed
from providers.errors import ProviderUnavailable, ReconnectRequired, TokenExpired
from providers.network import DestinationKind
from tests import factories

PATH = "/v1/accounts/{}/destinations"


@pytest.fixture
def listing(monkeypatch):
    """X with boards: `calls` counts the network's listings, `boards` is what it answers
    (or an exception to raise)."""
    state = {"calls": 0, "boards": [Listed(id=f"b{i}", name=f"Board {i}", kind="board") for i in range(5)]}
    kind = DestinationKind(kind="board", option="board_id", label="Board", required=True)
    monkeypatch.setitem(registry.NETWORKS, "x", dataclasses.replace(registry.NETWORKS["x"], destinations=kind))

    def destinations(client):
        state["calls"] += 1
        answer = state["boards"]
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(registry.CLIENTS["x"], "destinations", destinations, raising=False)
    return state


@pytest.fixture
def account(workspace):
    return factories.make_account(workspace, provider="x")


@pytest.mark.django_db
def test_lists_the_networks_destinations_in_its_order_and_keeps_a_copy(api_client, listing, account):
    first = api_client.get(PATH.format(account.pk))
    assert first.status_code == 200, first.json()
    body = first.json()
    assert [item["id"] for item in body["items"]] == ["b0", "b1", "b2", "b3", "b4"]
    assert body["items"][0] == {"id": "b0", "name": "Board 0", "kind": "board", "option": "board_id", "extra": {}}
    assert body["total"] == 5 and body["next_cursor"] is None and body["fetched_at"]
    again = api_client.get(PATH.format(account.pk))
    assert again.json()["items"] == body["items"]
    assert listing["calls"] == 1  # the second answer came from Dravo's copy


@pytest.mark.django_db
def test_refresh_reads_the_network_again_and_replaces_the_copy(api_client, listing, account):
    api_client.get(PATH.format(account.pk))
    listing["boards"] = [Listed(id="new", name="New board", kind="board", extra={"privacy": "SECRET"})]
    cached = api_client.get(PATH.format(account.pk)).json()
    assert cached["total"] == 5
    fresh = api_client.get(PATH.format(account.pk), {"refresh": "true"}).json()
    assert listing["calls"] == 2
    assert fresh["items"] == [
        {"id": "new", "name": "New board", "kind": "board", "option": "board_id", "extra": {"privacy": "SECRET"}}
    ]
    assert Destination.objects.filter(account=account).count() == 1


@pytest.mark.django_db
def test_an_old_copy_is_read_again(api_client, listing, account, settings):
    api_client.get(PATH.format(account.pk))
    Destination.objects.update(fetched_at=timezone.now() - timedelta(seconds=settings.DESTINATIONS_TTL + 1))
    api_client.get(PATH.format(account.pk))
    assert listing["calls"] == 2


@pytest.mark.django_db
def test_keyset_pages_walk_every_destination_once(api_client, listing, account):
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = api_client.get(PATH.format(account.pk), params).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == ["b0", "b1", "b2", "b3", "b4"]


@pytest.mark.django_db
def test_a_cursor_of_a_replaced_listing_is_a_400(api_client, listing, account):
    cursor = api_client.get(PATH.format(account.pk), {"limit": 2}).json()["next_cursor"]
    api_client.get(PATH.format(account.pk), {"refresh": "true"})
    response = api_client.get(PATH.format(account.pk), {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "cursor"


@pytest.mark.django_db
def test_duplicate_ids_from_the_network_are_kept_once(api_client, listing, account):
    listing["boards"] = [Listed(id="a", name="A", kind="board"), Listed(id="a", name="A again", kind="board")]
    body = api_client.get(PATH.format(account.pk)).json()
    assert [(item["id"], item["name"]) for item in body["items"]] == [("a", "A")]


@pytest.mark.django_db
def test_a_network_without_destinations_lists_none(api_client, workspace):
    account = factories.make_account(workspace, provider="linkedin")
    response = api_client.get(PATH.format(account.pk))
    assert response.status_code == 200, response.content
    assert response.json() == {"items": [], "next_cursor": None, "total": 0, "fetched_at": None}


@pytest.mark.django_db
def test_bad_parameters_are_400s_naming_them(api_client, listing, account):
    for params, attr in (
        ({"limit": 0}, "limit"),
        ({"refresh": "maybe"}, "refresh"),
        ({"cursor": "%%"}, "cursor"),
        ({"board": "b1"}, "board"),
    ):
        response = api_client.get(PATH.format(account.pk), params)
        assert response.status_code == 400, params
        assert response.json()["errors"][0]["attr"] == attr
    assert listing["calls"] == 0


@pytest.mark.django_db
def test_an_account_of_another_workspace_is_a_404(api_client, listing):
    other = factories.make_account(factories.make_workspace(), provider="x")
    assert api_client.get(PATH.format(other.pk)).status_code == 404
    assert listing["calls"] == 0


@pytest.mark.django_db
def test_a_network_that_cannot_answer_is_a_503_and_the_copy_stays(api_client, listing, account):
    api_client.get(PATH.format(account.pk))
    listing["boards"] = ProviderUnavailable("down")
    api_client.raise_request_exception = False  # a 503 is reported like any server error
    response = api_client.get(PATH.format(account.pk), {"refresh": "true"})
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "provider_unavailable"
    assert Destination.objects.filter(account=account).count() == 5


@pytest.mark.django_db
def test_a_refused_token_makes_the_account_require_reconnect(api_client, listing, account):
    listing["boards"] = ReconnectRequired("revoked")
    response = api_client.get(PATH.format(account.pk))
    assert response.status_code == 409
    account.refresh_from_db()
    assert account.health == SocialAccount.Health.REQUIRES_RECONNECT


@pytest.mark.django_db
def test_an_expired_token_is_refreshed_once_and_the_listing_read_again(api_client, listing, account, monkeypatch):
    answers = [TokenExpired("expired"), [Listed(id="b", name="B", kind="board")]]

    def destinations(client):
        listing["calls"] += 1
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(registry.CLIENTS["x"], "destinations", destinations, raising=False)
    refreshed = []
    monkeypatch.setattr(
        "accounts.services.social_accounts.social_account_refresh",
        lambda account_id: refreshed.append(account_id) or SocialAccount.objects.get(pk=account_id),
    )
    body = api_client.get(PATH.format(account.pk)).json()
    assert [item["id"] for item in body["items"]] == ["b"] and refreshed == [account.pk]


@pytest.mark.django_db
def test_a_disconnected_account_is_a_409(api_client, listing, account):
    SocialAccount.objects.filter(pk=account.pk).update(health=SocialAccount.Health.DISCONNECTED)
    response = api_client.get(PATH.format(account.pk))
    assert response.status_code == 409
    assert listing["calls"] == 0
