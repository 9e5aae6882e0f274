"""Inputs are taken exactly as the OpenAPI schema types them (found by schemathesis)."""

import pytest
import responses

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_number_where_a_string_is_documented_is_a_400(api_client):
    response = api_client.post("/v1/api-keys", {"name": 0}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [{"code": "invalid", "detail": "Not a valid string.", "attr": "name"}]


def test_a_post_text_that_is_a_number_is_a_400(api_client, workspace):
    account = factories.make_account(workspace)

    response = api_client.post("/v1/posts", {"account_ids": [account.pk], "text": 42}, format="json")

    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["text"]


def test_connecting_with_a_token_that_is_not_printable_ascii_is_a_400_not_a_500(api_client):
    body = {"provider": "tiktok", "platform_account_id": "u1", "credentials": {"access_token": "tok\U0005e187"}}

    with responses.RequestsMock(assert_all_requests_are_fired=False) as network:
        response = api_client.post("/v1/accounts", body, format="json")

    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["credentials.access_token"]
    assert len(network.calls) == 0


def test_a_string_longer_than_documented_is_a_400_even_when_trimming_would_shorten_it(api_client):
    response = api_client.post("/v1/api-keys", {"name": "\x1f" + "n" * 200}, format="json")

    assert response.status_code == 400
    assert [(e["code"], e["attr"]) for e in response.json()["errors"]] == [("max_length", "name")]
