"""Threads end to end through Dravo's API and the sandbox over real HTTP: hosted OAuth
connect (consent page → code → 1-hour token → 60-day token), BYOK connect, publishing
through POST /v1/posts, and the 400 of a post Threads would refuse."""

from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from responses import matchers

from accounts.crypto import decrypt_credentials
from accounts.models import SocialAccount
from tests.accounts.test_oauth_connect import connect_through_sandbox, live_callback

pytestmark = pytest.mark.django_db(transaction=True)
BYOK = {
    "provider": "threads",
    "platform_account_id": "17841400000000777",
    "credentials": {"access_token": "my-threads-token", "threads_user_id": "17841400000000777"},
}


def test_connect_through_the_consent_page_stores_a_60_day_token_and_publishes(sandbox, eager_tasks, api_client):
    _, response = connect_through_sandbox(api_client, "threads")
    assert response.status_code == 302, response.content
    account = SocialAccount.objects.get(pk=parse_qs(urlsplit(response["Location"]).query)["account_id"][0])
    credentials = decrypt_credentials(account.credentials_encrypted)
    assert credentials["threads_user_id"] == account.platform_account_id
    assert account.handle and account.token_expires_at is not None
    assert (account.token_expires_at - account.created_at).days >= 59  # the long-lived token, not the 1-hour one
    body = {
        "account_ids": [str(account.pk)],
        "text": "Hello from Threads",
        "platform_options": {"threads": {"thread": ["2/2"]}},
    }
    post_id = api_client.post("/v1/posts", body, format="json").json()["id"]
    post = api_client.get(f"/v1/posts/{post_id}").json()
    assert post["status"] == "published", post["results"]
    assert "/sandbox/threads/@" in post["results"][0]["platform_post_url"]


def test_a_denied_consent_reaches_the_customer_as_an_error(sandbox, api_client):
    _, response = connect_through_sandbox(api_client, "threads", decision="deny")
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["access_denied"]
    assert not SocialAccount.objects.exists()


def test_a_byok_account_publishes_and_a_token_of_another_profile_is_refused(sandbox, eager_tasks, api_client):
    response = api_client.post("/v1/accounts", BYOK, format="json")
    assert response.status_code == 201, response.json()
    other = {**BYOK, "platform_account_id": "17841400000000888"}
    other["credentials"] = {**BYOK["credentials"], "threads_user_id": "17841400000000888"}
    refused = api_client.post("/v1/accounts", other, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["attr"] == "credentials.threads_user_id"
    assert refused.json()["errors"][0]["code"] == "account_mismatch"
    body = {"account_ids": [response.json()["id"]], "text": "BYOK on Threads"}
    post_id = api_client.post("/v1/posts", body, format="json").json()["id"]
    assert api_client.get(f"/v1/posts/{post_id}").json()["status"] == "published"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"text": "a" * 497 + "👍"}, "text"),
        (
            {
                "text": "Vote",
                "media_urls": ["https://cdn.example.com/a.jpg"],
                "platform_options": {"threads": {"poll": {"options": ["a", "b"]}}},
            },
            "platform_options.threads.poll",
        ),
        ({"text": "x", "platform_options": {"threads": {"topic_tag": "a&b"}}}, "platform_options.threads.topic_tag"),
        ({"text": "x", "platform_options": {"threads": {"polls": {}}}}, "platform_options.threads.polls"),
    ],
)
def test_a_post_threads_would_refuse_is_a_400_naming_the_field(sandbox, api_client, body, field):
    account = api_client.post("/v1/accounts", BYOK, format="json").json()
    response = api_client.post("/v1/posts", {"account_ids": [account["id"]], **body}, format="json")
    assert response.status_code == 400, response.json()
    assert field in str(response.json()), response.json()


@pytest.mark.django_db
@responses.activate
def test_live_callback_exchanges_the_code_then_the_long_lived_token(workspace, live_api_key, settings):
    browser, authorize_url, callback = live_callback(live_api_key, "threads", settings)
    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith("https://threads.com/oauth/authorize?")
    assert query["scope"] == ["threads_basic,threads_content_publish,threads_manage_replies,threads_manage_insights"]
    responses.post("https://graph.threads.net/oauth/access_token", json={"access_token": "short", "user_id": 1784})
    exchange = matchers.query_param_matcher(
        {"grant_type": "th_exchange_token", "client_secret": "sec", "access_token": "short"}
    )
    responses.get(
        "https://graph.threads.net/access_token",
        json={"access_token": "long", "token_type": "bearer", "expires_in": 5183944},
        match=[exchange],
    )
    responses.get("https://graph.threads.net/v1.0/me", json={"id": "1784", "username": "dravo", "name": "Dravo"})
    response = browser.get(callback)
    assert response.status_code == 302 and "account_id=acc_" in response["Location"]
    form = parse_qs(responses.calls[0].request.body)
    assert form["grant_type"] == ["authorization_code"] and form["client_id"] == ["cid"]
    account = SocialAccount.objects.get(provider="threads")
    assert (account.platform_account_id, account.handle) == ("1784", "dravo")
    assert decrypt_credentials(account.credentials_encrypted) == {
        "access_token": "long",
        "threads_user_id": "1784",
        "username": "dravo",
    }
