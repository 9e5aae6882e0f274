"""The hosted connect flow for all five networks, through the sandbox's consent pages
(real HTTP) and, for live mode, against the real endpoints mocked with `responses`."""

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from django.test import Client
from django.utils import timezone

from accounts.crypto import decrypt_credentials
from accounts.models import ConnectLink, SocialAccount
from tests import factories
from tests.conftest import client_for

CUSTOMER = "https://customer.example/connected"


def start(api_client, provider, redirect_uri=CUSTOMER):
    response = api_client.post("/v1/accounts/connect", {"provider": provider, "redirect_uri": redirect_uri},
                               format="json")
    assert response.status_code == 201, response.content
    return response.json()


def open_link(browser: Client, url: str) -> str:
    """Follow the link to the network's authorize URL (which is not Dravo's)."""
    response = browser.get(urlsplit(url).path)
    assert response.status_code == 302, response.content
    return response["Location"]


def consent(authorize_url: str, decision: str = "allow") -> str:
    """A person on the (sandbox) network's consent page clicks Allow or Deny; returns the
    redirect back to Dravo's callback."""
    page = requests.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text
    assert "<button" in page.text and "Allow" in page.text
    fields = {html.unescape(n): html.unescape(v) for n, v in re.findall(
        r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)}
    fields["decision"] = decision
    answer = requests.post(authorize_url, data=fields, allow_redirects=False, timeout=10)
    assert answer.status_code in (302, 303), answer.text
    return answer.headers["Location"]


def finish(browser: Client, callback_url: str):
    parts = urlsplit(callback_url)
    return browser.get(f"{parts.path}?{parts.query}")


def connect_through_sandbox(api_client, provider, decision="allow"):
    link = start(api_client, provider)
    browser = Client()
    authorize_url = open_link(browser, link["url"])
    return browser, finish(browser, consent(authorize_url, decision))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("provider", ["x", "linkedin", "tiktok", "facebook", "instagram"])
def test_connect_through_the_sandbox_consent_page_stores_the_account(sandbox, api_client, workspace, provider):
    browser, response = connect_through_sandbox(api_client, provider)
    assert response.status_code == 302, response.content
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == CUSTOMER
    account_id = parse_qs(target.query)["account_id"][0]
    account = SocialAccount.objects.get(pk=account_id)
    assert account.workspace == workspace and account.mode == "test" and account.provider == provider
    assert account.connection_type == "oauth" and account.health == "active"
    credentials = decrypt_credentials(account.credentials_encrypted)
    assert credentials["access_token"] and credentials["access_token"] not in account.credentials_encrypted
    assert "_auth_user_id" not in browser.session  # nobody is logged into Dravo
    assert api_client.get(f"/v1/accounts/{account_id}").status_code == 200
    assert account_id in ConnectLink.objects.get().account_ids


@pytest.mark.django_db(transaction=True)
def test_an_oauth_account_publishes(sandbox, eager_tasks, api_client):
    _, response = connect_through_sandbox(api_client, "x")
    account_id = parse_qs(urlsplit(response["Location"]).query)["account_id"][0]
    post = api_client.post("/v1/posts", {"account_ids": [account_id], "text": "via OAuth"}, format="json")
    assert api_client.get(f"/v1/posts/{post.json()['id']}").json()["status"] == "published"


@pytest.mark.django_db(transaction=True)
def test_a_denied_consent_reaches_the_customer_as_an_error(sandbox, api_client):
    _, response = connect_through_sandbox(api_client, "x", decision="deny")
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["access_denied"]
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_state_mismatch_is_refused(sandbox, api_client):
    link = start(api_client, "x")
    browser = Client()
    callback = consent(open_link(browser, link["url"]))
    tampered = re.sub(r"state=[^&]+", "state=forged", callback)
    response = finish(browser, tampered)
    assert response.status_code == 302
    assert "error=" in response["Location"] and "account_id" not in response["Location"]
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_a_link_is_single_use(api_client):
    link = start(api_client, "x")
    assert Client().get(urlsplit(link["url"]).path).status_code == 302
    assert Client().get(urlsplit(link["url"]).path).status_code == 410


@pytest.mark.django_db
def test_an_expired_link_is_refused(api_client):
    link = start(api_client, "x")
    ConnectLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(urlsplit(link["url"]).path).status_code == 410


@pytest.mark.django_db
def test_connect_request_is_validated(api_client):
    assert api_client.post("/v1/accounts/connect", {"provider": "myspace"}, format="json").status_code == 400
    bad = api_client.post("/v1/accounts/connect", {"provider": "x", "redirect_uri": "javascript:alert(1)"},
                          format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "redirect_uri"


@pytest.mark.django_db(transaction=True)
def test_accounts_land_in_the_workspace_of_the_link_only(sandbox, api_client):
    other_client = client_for(factories.make_api_key(factories.make_workspace())[1])
    _, response = connect_through_sandbox(api_client, "linkedin")
    account_id = parse_qs(urlsplit(response["Location"]).query)["account_id"][0]
    assert other_client.get(f"/v1/accounts/{account_id}").status_code == 404
    assert other_client.get("/v1/accounts").json()["total"] == 0


@pytest.mark.django_db
@responses.activate
def test_live_x_callback_exchanges_the_code_with_pkce_and_basic_auth(workspace, live_api_key, settings):
    settings.PROVIDER_APPS = {**settings.PROVIDER_APPS, "x": {"client_id": "cid", "client_secret": "sec"}}
    link = start(client_for(live_api_key), "x")
    browser = Client()
    authorize_url = open_link(browser, link["url"])
    assert authorize_url.startswith("https://x.com/i/oauth2/authorize?")
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == ["cid"]
    assert set(query["scope"][0].split()) >= {"tweet.write", "offline.access", "media.write"}
    responses.post("https://api.x.com/2/oauth2/token", json={
        "token_type": "bearer", "expires_in": 7200, "access_token": "live-access", "refresh_token": "live-refresh",
        "scope": "tweet.write"})
    responses.get("https://api.x.com/2/users/me", json={"data": {"id": "42", "name": "Dravo", "username": "dravo"}})
    callback = f"/oauth/complete/dravo-x/?code=abc&state={query['state'][0]}"
    response = browser.get(callback)
    assert response.status_code == 302 and "account_id=acc_" in response["Location"]
    token_call = responses.calls[0].request
    assert token_call.headers["Authorization"].startswith("Basic ")
    assert "code_verifier=" in token_call.body and "grant_type=authorization_code" in token_call.body
    account = SocialAccount.objects.get(platform_account_id="42")
    assert account.mode == "live" and account.token_expires_at > timezone.now() + timedelta(hours=1)
    assert decrypt_credentials(account.credentials_encrypted)["refresh_token"] == "live-refresh"


@pytest.mark.django_db
@responses.activate
def test_live_facebook_callback_makes_one_account_per_page(workspace, live_api_key, settings):
    settings.PROVIDER_APPS = {**settings.PROVIDER_APPS, "facebook": {"client_id": "fbid", "client_secret": "fbsec"}}
    link = start(client_for(live_api_key), "facebook")
    browser = Client()
    authorize_url = open_link(browser, link["url"])
    assert authorize_url.startswith("https://www.facebook.com/v25.0/dialog/oauth?")
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]
    graph = "https://graph.facebook.com/v25.0"
    responses.get(f"{graph}/oauth/access_token", json={"access_token": "short", "token_type": "bearer"})
    responses.get(f"{graph}/oauth/access_token", json={"access_token": "long", "expires_in": 5183944})
    responses.get(f"{graph}/me/accounts", json={"data": [
        {"id": "101", "name": "Page One", "access_token": "page-1", "tasks": ["CREATE_CONTENT"]},
        {"id": "102", "name": "Page Two", "access_token": "page-2", "tasks": ["CREATE_CONTENT"]}]})
    response = browser.get(f"/oauth/complete/dravo-facebook/?code=abc&state={state}")
    assert response.status_code == 302 and "account_ids=" in response["Location"]
    pages = SocialAccount.objects.filter(provider="facebook").order_by("platform_account_id")
    assert [p.platform_account_id for p in pages] == ["101", "102"]
    assert decrypt_credentials(pages[0].credentials_encrypted)["access_token"] == "page-1"
    assert decrypt_credentials(pages[1].credentials_encrypted)["page_id"] == "102"


def live_callback(live_api_key, provider, settings):
    settings.PROVIDER_APPS = {**settings.PROVIDER_APPS, provider: {"client_id": "cid", "client_secret": "sec"}}
    link = start(client_for(live_api_key), provider)
    browser = Client()
    authorize_url = open_link(browser, link["url"])
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]
    return browser, authorize_url, f"/oauth/complete/dravo-{provider}/?code=abc&state={state}"


@pytest.mark.django_db
@responses.activate
def test_live_linkedin_callback_stores_the_member_and_each_administered_organization(
    workspace, live_api_key, settings
):
    browser, authorize_url, callback = live_callback(live_api_key, "linkedin", settings)
    assert authorize_url.startswith("https://www.linkedin.com/oauth/v2/authorization?")
    assert "w_member_social" in parse_qs(urlsplit(authorize_url).query)["scope"][0]
    responses.post("https://www.linkedin.com/oauth/v2/accessToken",
                   json={"access_token": "li-token", "expires_in": 5184000, "scope": "w_member_social"})
    responses.get("https://api.linkedin.com/v2/userinfo", json={"sub": "782bbtaQ", "name": "Ada", "email": "a@x.io"})
    responses.get("https://api.linkedin.com/rest/organizationAcls", json={"elements": [
        {"roleAssignee": "urn:li:person:782bbtaQ", "state": "APPROVED", "role": "ADMINISTRATOR",
         "organization": "urn:li:organization:2414183"}]})
    responses.get("https://api.linkedin.com/rest/organizations/2414183",
                  json={"id": 2414183, "localizedName": "Dravo Inc.", "vanityName": "dravo"})
    response = browser.get(callback)
    assert response.status_code == 302 and "account_ids=acc_" in response["Location"]
    assert "client_secret=sec" in responses.calls[0].request.body
    acl_call = next(c.request for c in responses.calls if "organizationAcls" in c.request.url)
    assert "q=roleAssignee" in acl_call.url and acl_call.headers["X-Restli-Protocol-Version"] == "2.0.0"
    authors = {decrypt_credentials(a.credentials_encrypted)["author_urn"]: a
               for a in SocialAccount.objects.filter(provider="linkedin")}
    assert set(authors) == {"urn:li:person:782bbtaQ", "urn:li:organization:2414183"}
    assert authors["urn:li:organization:2414183"].handle == "dravo"


@pytest.mark.django_db
@responses.activate
def test_live_tiktok_callback_names_the_app_by_client_key(workspace, live_api_key, settings):
    browser, authorize_url, callback = live_callback(live_api_key, "tiktok", settings)
    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith("https://www.tiktok.com/v2/auth/authorize/?")
    assert query["client_key"] == ["cid"] and "client_id" not in query
    responses.post("https://open.tiktokapis.com/v2/oauth/token/", json={
        "access_token": "act.1", "expires_in": 7200, "open_id": "open-1", "refresh_token": "rft.1",
        "refresh_expires_in": 15552000, "scope": "video.publish", "token_type": "Bearer"})
    responses.get("https://open.tiktokapis.com/v2/user/info/", json={
        "data": {"user": {"open_id": "open-1", "display_name": "Ada", "username": "ada"}},
        "error": {"code": "ok", "message": "", "log_id": "x"}})
    response = browser.get(callback)
    assert response.status_code == 302 and "account_id=acc_" in response["Location"]
    assert "client_key=cid" in responses.calls[0].request.body
    creds = decrypt_credentials(SocialAccount.objects.get(provider="tiktok").credentials_encrypted)
    assert creds["open_id"] == "open-1" and creds["refresh_token"] == "rft.1"


@pytest.mark.django_db
@responses.activate
def test_live_instagram_callback_makes_one_account_per_linked_ig_user(workspace, live_api_key, settings):
    browser, authorize_url, callback = live_callback(live_api_key, "instagram", settings)
    assert "instagram_content_publish" in parse_qs(urlsplit(authorize_url).query)["scope"][0]
    graph = "https://graph.facebook.com/v25.0"
    responses.get(f"{graph}/oauth/access_token", json={"access_token": "short", "token_type": "bearer"})
    responses.get(f"{graph}/oauth/access_token", json={"access_token": "long", "expires_in": 5183944})
    responses.get(f"{graph}/me/accounts", json={"data": [
        {"id": "101", "name": "With IG", "access_token": "p1",
         "instagram_business_account": {"id": "17841400000000001", "username": "dravo.ig"}},
        {"id": "102", "name": "Without IG", "access_token": "p2"}]})
    response = browser.get(callback)
    assert response.status_code == 302 and "account_id=acc_" in response["Location"]
    account = SocialAccount.objects.get(provider="instagram")
    assert account.platform_account_id == "17841400000000001" and account.handle == "dravo.ig"
    assert decrypt_credentials(account.credentials_encrypted) == {
        "access_token": "long", "ig_user_id": "17841400000000001", "login": "facebook"}
