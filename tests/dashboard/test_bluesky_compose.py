"""Bluesky through Dravo's own surfaces: the compose page counts graphemes live (Intl.Segmenter),
`POST /v1/posts` refuses what Bluesky would refuse with a 400 naming the field, and a
connect link for Bluesky is a 400 telling to use an app password."""

import os

import pytest
from playwright.sync_api import expect

from publishing.models import Post
from tests import factories
from tests.dashboard.test_browser import chromium, compose, log_in, page, person  # noqa: F401

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture
def bluesky_account(workspace):
    return factories.make_account(
        workspace, provider="bluesky", platform_account_id="alice.bsky.social", handle="alice.bsky.social"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_compose_counter_counts_graphemes_for_bluesky(sandbox, page, person, bluesky_account):  # noqa: F811
    log_in(page, sandbox)
    compose(page, sandbox, "alice.bsky.social", "Family 👨‍👩‍👧‍👦 é")  # 10 graphemes, 16 code points
    expect(page.locator("[data-counter=bluesky]")).to_have_text("Bluesky: 290 left")


@pytest.mark.django_db
def test_a_post_over_300_graphemes_is_a_400_naming_bluesky(api_client, bluesky_account):
    response = api_client.post(
        "/v1/posts", {"account_ids": [bluesky_account.pk], "text": "e\u0301" * 301}, format="json"
    )
    assert response.status_code == 400, response.content
    error = response.json()["errors"][0]
    assert error["attr"] == "text" and "300" in error["detail"] and "Bluesky" in error["detail"]
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_300_graphemes_of_600_code_points_are_accepted(api_client, bluesky_account):
    response = api_client.post(
        "/v1/posts", {"account_ids": [bluesky_account.pk], "text": "e\u0301" * 300}, format="json"
    )
    assert response.status_code == 202, response.content


@pytest.mark.django_db
def test_unknown_bluesky_options_and_a_card_with_media_are_400s(api_client, bluesky_account):
    body = {"account_ids": [bluesky_account.pk], "text": "hi", "platform_options": {"bluesky": {"qoute": "x"}}}
    response = api_client.post("/v1/posts", body, format="json")
    assert response.status_code == 400 and "Did you mean 'quote'?" in response.content.decode()
    card = {"link_card": {"url": "https://dravo.dev"}}
    body = {**body, "platform_options": {"bluesky": card}, "media_urls": ["https://cdn.example.com/a.png"]}
    response = api_client.post("/v1/posts", body, format="json")
    assert response.status_code == 400
    assert "platform_options.bluesky.link_card" in [e["attr"] for e in response.json()["errors"]]


@pytest.mark.django_db
def test_a_connect_link_for_bluesky_is_a_400_telling_to_use_an_app_password(api_client):
    response = api_client.post("/v1/accounts/connect", {"provider": "bluesky"}, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["attr"] == "provider" and "app password" in error["detail"]
