"""Google Business Profile end to end through Dravo's API and the sandbox over real HTTP:
hosted OAuth connect (Google's consent → one Dravo account per location the user manages),
BYOK connect proven against the named location, local posts published through
POST /v1/posts, the 400 of a post Google would refuse, the hourly token refreshed ahead of
expiry, and the live callback against the real endpoints (mocked)."""

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from django.test import Client
from django.utils import timezone

from accounts import services
from accounts.crypto import decrypt_credentials
from accounts.models import SocialAccount
from sandbox import google_business as sandbox_gbp
from tests import factories
from tests.accounts.test_oauth_connect import connect_through_sandbox, finish, live_callback, open_link, start

pytestmark = pytest.mark.django_db(transaction=True)
BYOK_LOCATION = "accounts/104857392016473829105/locations/5839201746382910475"
BYOK = {
    "provider": "google_business",
    "platform_account_id": BYOK_LOCATION,
    "credentials": {"access_token": "ya29.my-token", "refresh_token": "1//my-refresh"},
}
SCOPE = "https://www.googleapis.com/auth/business.manage"


def publish(api_client, account_ids, **body) -> dict:
    body = {"account_ids": account_ids, "text": "Fresh bread through Dravo", **body}
    response = api_client.post("/v1/posts", body, format="json")
    assert response.status_code in (201, 202), response.json()
    return api_client.get(f"/v1/posts/{response.json()['id']}").json()


def test_connect_through_the_consent_page_gives_one_account_per_location_and_each_publishes(
    sandbox, eager_tasks, api_client
):
    _, response = connect_through_sandbox(api_client, "google_business")
    assert response.status_code == 302, response.content
    query = parse_qs(urlsplit(response["Location"]).query)
    ids = query["account_ids"][0].split(",")
    accounts = list(SocialAccount.objects.filter(pk__in=ids).order_by("handle"))
    account, locations = sandbox_gbp.holdings(sandbox_gbp.DEFAULT_USER)[0]
    expected = {f"{account['name']}/{location['name']}": location["title"] for location in locations}
    assert {a.platform_account_id: a.handle for a in accounts} == expected
    for item in accounts:
        credentials = decrypt_credentials(item.credentials_encrypted)
        assert credentials["location_name"] == item.platform_account_id
        assert credentials["access_token"].startswith("ya29.") and credentials["refresh_token"].startswith("1//")
        assert item.metadata["account_name"] == account["name"] and item.metadata["account_type"] == "PERSONAL"
        assert 3500 <= (item.token_expires_at - item.created_at).total_seconds() <= 3600
    post = publish(api_client, ids, platform_options={"google_business": {"topic_type": "STANDARD"}})
    assert post["status"] == "published", post["results"]
    urls = [result["platform_post_url"] for result in post["results"]]
    assert all(url.startswith(f"{sandbox}/sandbox/google_business/place?") for url in urls)
    owners = set(sandbox_gbp.record_list("google_business", "post").values_list("owner", flat=True))
    assert owners == set(expected)


def test_a_user_with_many_locations_connects_each_once_across_accounts_and_pages(sandbox, api_client):
    browser, response = connect_through_sandbox_as(api_client, "many_locations@sandbox.dravo.dev")
    assert response.status_code == 302, response.content
    accounts = SocialAccount.objects.filter(provider="google_business")
    assert accounts.count() == 2 + 119  # the personal account's two, the group's 120 less the shared one
    assert len({a.platform_account_id.split("/locations/")[1] for a in accounts}) == accounts.count()
    assert accounts.filter(metadata__account_type="LOCATION_GROUP").count() == 119


def connect_through_sandbox_as(api_client, email):
    """The consent page's form, with the sandbox Google account `email` signing in."""
    link = start(api_client, "google_business")
    browser = Client()
    authorize_url = open_link(browser, link["url"])
    page = requests.get(authorize_url, timeout=10).text
    fields = {
        html.unescape(n): html.unescape(v)
        for n, v in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    }
    fields.update(decision="allow", email=email)
    answer = requests.post(authorize_url, data=fields, allow_redirects=False, timeout=10)
    return browser, finish(browser, answer.headers["Location"])


def test_a_denied_consent_reaches_the_customer_as_an_error(sandbox, api_client):
    _, response = connect_through_sandbox(api_client, "google_business", decision="deny")
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["access_denied"]
    assert not SocialAccount.objects.exists()


def test_a_byok_account_publishes_and_a_token_of_another_location_is_refused(sandbox, eager_tasks, api_client):
    response = api_client.post("/v1/accounts", BYOK, format="json")
    assert response.status_code == 201, response.json()
    assert decrypt_credentials(SocialAccount.objects.get().credentials_encrypted)["location_name"] == BYOK_LOCATION
    other = {**BYOK, "platform_account_id": "accounts/104857392016473829105/locations/1"}
    refused = api_client.post("/v1/accounts", other, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["attr"] == "platform_account_id"
    assert refused.json()["errors"][0]["code"] == "account_mismatch"
    event = {"title": "Tasting", "start_date": "2026-12-10", "end_date": "2026-12-10"}
    options = {"google_business": {"topic_type": "EVENT", "event": event}}
    post = publish(api_client, [response.json()["id"]], platform_options=options)
    assert post["status"] == "published", post["results"]
    stored = sandbox_gbp.record_list("google_business", "post").get()
    assert stored.owner == BYOK_LOCATION and stored.data["post"]["event"]["title"] == "Tasting"


def test_a_byok_location_name_that_is_not_a_location_path_is_refused(sandbox, api_client):
    refused = api_client.post("/v1/accounts", {**BYOK, "platform_account_id": "5839201746382910475"}, format="json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "account_mismatch"


@pytest.mark.parametrize(
    "body,field",
    [
        (
            {"platform_options": {"google_business": {"topic_type": "EVENT"}}},
            "platform_options.google_business.event.title",
        ),
        (
            {"platform_options": {"google_business": {"topic_type": "PRODUCT"}}},
            "platform_options.google_business.topic_type",
        ),
        (
            {
                "platform_options": {
                    "google_business": {"call_to_action": {"action_type": "CALL", "url": "https://x.io"}}
                }
            },
            "platform_options.google_business.call_to_action.url",
        ),
        ({"text": "x" * 1501}, "text"),
        ({"media_urls": ["https://cdn.example.com/a.jpg", "https://cdn.example.com/b.jpg"]}, "media_urls"),
        ({"platform_options": {"google_business": {"topic": "EVENT"}}}, "platform_options.google_business.topic"),
    ],
)
def test_a_post_google_would_refuse_is_a_400_naming_the_field(sandbox, api_client, body, field):
    account = api_client.post("/v1/accounts", BYOK, format="json").json()
    response = api_client.post("/v1/posts", {"account_ids": [account["id"]], "text": "x", **body}, format="json")
    assert response.status_code == 400, response.json()
    assert field in [error["attr"] for error in response.json()["errors"]], response.json()


def test_a_token_due_for_refresh_is_refreshed_and_the_refresh_token_kept(sandbox, workspace):
    now = timezone.now()
    credentials = {"access_token": "ya29.old", "refresh_token": "1//old", "location_name": BYOK_LOCATION, "sandbox": {}}
    account = factories.make_account(
        workspace, provider="google_business", credentials=credentials, token_expires_at=now + timedelta(minutes=10)
    )
    factories.make_account(workspace, provider="google_business", token_expires_at=now + timedelta(minutes=20))
    assert services.social_accounts_refresh_due(now=now) == [account.pk]
    services.social_account_refresh(account_id=account.pk)
    account.refresh_from_db()
    stored = decrypt_credentials(account.credentials_encrypted)
    assert stored["refresh_token"] == "1//old" and stored["access_token"].startswith("ya29.sbx_")
    assert stored["location_name"] == BYOK_LOCATION
    assert 55 <= (account.token_expires_at - now).total_seconds() / 60 <= 60


def test_a_token_google_refuses_and_cannot_refresh_makes_the_account_require_reconnect(
    sandbox, eager_tasks, api_client, workspace
):
    credentials = {"access_token": "ya29.dead", "refresh_token": "1//dead", "location_name": BYOK_LOCATION}
    account = factories.make_account(
        workspace, provider="google_business", credentials={**credentials, "sandbox": {"behavior": "token_expired"}}
    )
    post = publish(api_client, [str(account.pk)])
    assert post["status"] == "failed" and post["results"][0]["error_code"] == "reconnect_required", post
    account.refresh_from_db()
    assert account.health == SocialAccount.Health.REQUIRES_RECONNECT


@pytest.mark.django_db
@responses.activate
def test_live_callback_asks_offline_consent_and_stores_each_location(workspace, live_api_key, settings):
    browser, authorize_url, callback = live_callback(live_api_key, "google_business", settings)
    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    assert query["scope"] == [SCOPE] and query["access_type"] == ["offline"] and query["prompt"] == ["consent"]
    responses.post(
        "https://oauth2.googleapis.com/token",
        json={"access_token": "ya29.live", "refresh_token": "1//live", "expires_in": 3599, "scope": SCOPE},
    )
    accounts_url = "https://mybusinessaccountmanagement.googleapis.com/v1/accounts"
    responses.get(accounts_url, json={"accounts": [{"name": "accounts/1", "type": "PERSONAL"}], "nextPageToken": "2"})
    responses.get(accounts_url, json={"accounts": [{"name": "accounts/9", "type": "ORGANIZATION"}]})
    info = "https://mybusinessbusinessinformation.googleapis.com/v1"
    responses.get(f"{info}/accounts/1/locations", json={"locations": [{"name": "locations/11", "title": "Bakery"}]})
    responses.get(
        f"{info}/accounts/9/locations",
        json={"locations": [{"name": "locations/11", "title": "Bakery"}, {"name": "locations/12", "title": "Café"}]},
    )
    response = browser.get(callback)
    assert response.status_code == 302 and "account_ids=acc_" in response["Location"]
    form = parse_qs(responses.calls[0].request.body)
    assert form["grant_type"] == ["authorization_code"] and form["client_secret"] == ["sec"]
    assert responses.calls[1].request.headers["Authorization"] == "Bearer ya29.live"
    assert "readMask=" in responses.calls[3].request.url
    stored = {a.platform_account_id: a for a in SocialAccount.objects.filter(provider="google_business")}
    assert set(stored) == {"accounts/1/locations/11", "accounts/9/locations/12"}
    assert stored["accounts/9/locations/12"].handle == "Café"
    assert decrypt_credentials(stored["accounts/9/locations/12"].credentials_encrypted) == {
        "access_token": "ya29.live",
        "refresh_token": "1//live",
        "location_name": "accounts/9/locations/12",
    }
