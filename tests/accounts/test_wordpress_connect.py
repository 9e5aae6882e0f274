"""WordPress end to end through Dravo's API and the sandbox over real HTTP: hosted OAuth
connect of a WordPress.com site (consent page → code → a token for one site), BYOK of both
kinds of site, a site URL that is not a public https host refused with a clear 400, posts
published through POST /v1/posts with categories, tags and images, and the live callback
against the real endpoints (mocked)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.crypto import decrypt_credentials
from accounts.models import SocialAccount
from providers import public_host
from sandbox.models import SandboxRecord
from tests import factories, media_files
from tests.accounts.test_oauth_connect import connect_through_sandbox, live_callback

pytestmark = pytest.mark.django_db(transaction=True)
COM = {
    "provider": "wordpress",
    "platform_account_id": "my-blog.wordpress.com",
    "credentials": {"access_token": "my-wpcom-token", "site_url": "my-blog.wordpress.com"},
}
SELF = {
    "provider": "wordpress",
    "platform_account_id": "blog.example.com/news",
    "credentials": {
        "access_token": "abcdEFGHijklMNOP",
        "username": "editor",
        "site_url": "https://blog.example.com/news/",
    },
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.MEDIA_ALLOWED_HOSTS = []


def uploaded(api_client, name: str, data: bytes) -> str:
    response = api_client.post("/v1/media", {"file": SimpleUploadedFile(name, data)}, format="multipart")
    assert response.status_code == 201, response.json()
    return response.json()["url"]


def publish(api_client, account_id: str, **body) -> dict:
    body = {"account_ids": [account_id], "text": "Hello from Dravo\nThe post itself.", **body}
    response = api_client.post("/v1/posts", body, format="json")
    assert response.status_code in (201, 202), response.json()
    return api_client.get(f"/v1/posts/{response.json()['id']}").json()


def test_connect_a_wordpress_com_site_through_the_consent_page_and_publish(sandbox, eager_tasks, api_client):
    _, response = connect_through_sandbox(api_client, "wordpress")
    assert response.status_code == 302, response.content
    account = SocialAccount.objects.get(pk=parse_qs(urlsplit(response["Location"]).query)["account_id"][0])
    credentials = decrypt_credentials(account.credentials_encrypted)
    assert account.platform_account_id == credentials["site_url"] == "sandbox-blog.wordpress.com"
    assert credentials["blog_id"].isdigit() and account.token_expires_at is None
    assert account.connection_type == "oauth" and "refresh_token" not in credentials
    post = publish(api_client, str(account.pk), platform_options={"wordpress": {"categories": [2]}})
    assert post["status"] == "published", post["results"]
    assert f"{sandbox}/sandbox/wordpress/p/" in post["results"][0]["platform_post_url"]


def test_a_denied_consent_reaches_the_customer_as_an_error(sandbox, api_client):
    _, response = connect_through_sandbox(api_client, "wordpress", decision="deny")
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["access_denied"]
    assert not SocialAccount.objects.exists()


def test_byok_of_a_wordpress_com_site_publishes_with_tags_and_an_image(sandbox, eager_tasks, api_client):
    response = api_client.post("/v1/accounts", COM, format="json")
    assert response.status_code == 201, response.json()
    image = uploaded(api_client, "cover.jpg", media_files.jpeg())
    options = {"wordpress": {"tags": ["dravo"], "categories": ["3"], "excerpt": "Short"}}
    post = publish(api_client, response.json()["id"], media_urls=[image], platform_options=options)
    assert post["status"] == "published", post["results"]
    record = SandboxRecord.objects.get(network="wordpress", kind="post")
    assert record.owner == "my-blog.wordpress.com" and record.data["categories"] == [3]
    assert record.data["featured_media"] and record.data["title"] == "Hello from Dravo"


def test_a_wordpress_com_token_of_another_site_is_refused(sandbox, api_client):
    assert api_client.post("/v1/accounts", COM, format="json").status_code == 201
    other = {
        **COM,
        "platform_account_id": "someone-else.wordpress.com",
        "credentials": {"access_token": "my-wpcom-token", "site_url": "someone-else.wordpress.com"},
    }
    refused = api_client.post("/v1/accounts", other, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "account_mismatch"


def test_byok_of_a_self_hosted_site_with_an_application_password_publishes(sandbox, eager_tasks, api_client):
    response = api_client.post("/v1/accounts", SELF, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["platform_account_id"] == "blog.example.com/news"
    post = publish(api_client, response.json()["id"], platform_options={"wordpress": {"title": "Own title"}})
    assert post["status"] == "published", post["results"]
    record = SandboxRecord.objects.get(network="wordpress", kind="post")
    assert record.owner == "blog.example.com/news" and record.data["title"] == "Own title"


@pytest.mark.parametrize(
    "site_url",
    [
        "http://blog.example.com",
        "https://127.0.0.1",
        "https://localhost/blog",
        "https://user:pw@blog.example.com",
        "https://blog.example.com/?p=1",
        "https://intranet.local",
        "https://[::1]/",
    ],
)
def test_a_self_hosted_site_url_that_is_not_public_https_is_a_clear_400(sandbox, api_client, site_url):
    body = {**SELF, "credentials": {**SELF["credentials"], "site_url": site_url}}
    response = api_client.post("/v1/accounts", body, format="json")
    assert response.status_code == 400, response.json()
    assert (
        "site URL" in response.json()["errors"][0]["detail"] or "public host" in response.json()["errors"][0]["detail"]
    )
    assert not SocialAccount.objects.exists()


def test_a_live_self_hosted_site_resolving_to_a_private_address_is_refused_before_any_call(
    workspace, live_api_key, monkeypatch
):
    from tests.conftest import client_for

    monkeypatch.setattr(public_host.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("10.0.0.7", 443))])
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        response = client_for(live_api_key).post("/v1/accounts", SELF, format="json")
        assert len(mocked.calls) == 0
    assert response.status_code == 400, response.json()
    assert "non-public address (10.0.0.7)" in response.json()["errors"][0]["detail"]


def test_a_wordpress_post_wordpress_would_refuse_is_a_400_naming_the_field(sandbox, api_client):
    account = api_client.post("/v1/accounts", COM, format="json").json()
    body = {"account_ids": [account["id"]], "text": "x", "platform_options": {"wordpress": {"format": "poem"}}}
    response = api_client.post("/v1/posts", body, format="json")
    assert response.status_code == 400
    assert "platform_options.wordpress.format" in [error["attr"] for error in response.json()["errors"]]


def test_a_refused_application_password_makes_the_account_require_reconnect(
    sandbox, eager_tasks, api_client, workspace
):
    credentials = {**SELF["credentials"], "sandbox": {"behavior": "token_expired"}}
    account = factories.make_account(
        workspace, provider="wordpress", platform_account_id="blog.example.com/news", credentials=credentials
    )
    post = publish(api_client, str(account.pk))
    assert post["status"] == "failed" and post["results"][0]["error_code"] == "reconnect_required", post
    account.refresh_from_db()
    assert account.health == "requires_reconnect"


@pytest.mark.django_db
@responses.activate
def test_live_callback_redeems_the_code_and_reads_the_granted_site(workspace, live_api_key, settings):
    browser, authorize_url, callback = live_callback(live_api_key, "wordpress", settings)
    assert authorize_url.startswith("https://public-api.wordpress.com/oauth2/authorize?")
    assert parse_qs(urlsplit(authorize_url).query)["response_type"] == ["code"]
    responses.post(
        "https://public-api.wordpress.com/oauth2/token",
        json={
            "access_token": "wpcom-live",
            "blog_id": "12345",
            "blog_url": "https://dravo.blog",
            "token_type": "bearer",
        },
    )
    responses.get(
        "https://public-api.wordpress.com/wp/v2/sites/dravo.blog/users/me",
        json={"id": 7, "name": "Ada", "slug": "ada", "capabilities": {"publish_posts": True}},
    )
    response = browser.get(callback)
    assert response.status_code == 302 and "account_id=acc_" in response["Location"]
    form = parse_qs(responses.calls[0].request.body)
    assert form["grant_type"] == ["authorization_code"] and form["client_secret"] == ["sec"]
    assert responses.calls[1].request.headers["Authorization"] == "Bearer wpcom-live"
    account = SocialAccount.objects.get(provider="wordpress")
    assert (account.platform_account_id, account.handle) == ("dravo.blog", "dravo.blog")
    assert decrypt_credentials(account.credentials_encrypted) == {
        "access_token": "wpcom-live",
        "site_url": "dravo.blog",
        "blog_url": "https://dravo.blog",
        "blog_id": "12345",
    }
