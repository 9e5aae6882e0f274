"""`GET /v1/networks`: every network of the registry with its rules, as data a client
can plan a post from."""

import pytest

from providers.registry import NETWORKS


@pytest.mark.django_db
def test_networks_lists_every_registry_network_with_its_rules(api_client):
    response = api_client.get("/v1/networks")

    assert response.status_code == 200
    page = response.json()
    assert [item["key"] for item in page["items"]] == list(NETWORKS)
    assert page["total"] == len(NETWORKS) and page["next_cursor"] is None
    first = page["items"][0]
    assert first["text_limit"]["max"] == NETWORKS[first["key"]].limits.text.max
    assert first["options"]["type"] == "object" and first["options"]["additionalProperties"] is False


@pytest.mark.django_db
def test_networks_filters_by_provider(api_client):
    key = next(key for key, network in NETWORKS.items() if network.required_options)
    response = api_client.get(f"/v1/networks?provider={key}")

    (network,) = response.json()["items"]
    assert network["key"] == key
    assert network["required_options"] == [".".join(path) for path in NETWORKS[key].required_options]


@pytest.mark.django_db
def test_networks_shows_boolean_options_as_json_booleans(api_client):
    items = api_client.get("/v1/networks").json()["items"]

    types = {prop.get("type") for item in items for prop in item["options"]["properties"].values()}
    assert {"boolean", "string", "object"} <= types


@pytest.mark.django_db
def test_networks_refuses_an_unknown_parameter(api_client):
    response = api_client.get("/v1/networks?sort=asc")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "sort"


def test_networks_needs_a_credential(anon_client):
    assert anon_client.get("/v1/networks").status_code == 401
