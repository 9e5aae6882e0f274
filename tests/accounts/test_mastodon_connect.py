"""The hosted connect flow for Mastodon: the app is registered on the instance, the
person consents on the (sandbox) instance's page, and the account is stored; a live link
needs `?instance=` naming a public https server."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from accounts.crypto import decrypt_credentials
from accounts.models import ConnectLink, SocialAccount
from sandbox.models import SandboxRecord
from tests.accounts.test_oauth_connect import CUSTOMER, consent, finish, open_link, start
from tests.conftest import client_for


@pytest.mark.django_db(transaction=True)
def test_connect_through_the_sandbox_registers_the_app_and_stores_the_account(sandbox, api_client, workspace):
    link = start(api_client, "mastodon")
    browser = Client()
    authorize_url = open_link(browser, link["url"])
    assert urlsplit(authorize_url).path == "/sandbox/mastodon/oauth/authorize"
    assert SandboxRecord.objects.filter(network="mastodon", kind="app").count() == 1
    response = finish(browser, consent(authorize_url))
    assert response.status_code == 302, response.content
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == CUSTOMER
    account = SocialAccount.objects.get(pk=parse_qs(target.query)["account_id"][0])
    assert account.provider == "mastodon" and account.connection_type == "oauth"
    assert account.metadata["instance"]["limits"]["max_characters"] == 500
    credentials = decrypt_credentials(account.credentials_encrypted)
    assert credentials["access_token"] and credentials["instance_limits"]["max_media_attachments"] == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("query", ["", "?instance=http://127.0.0.1", "?instance=https://localhost"])
def test_a_live_link_without_a_public_instance_fails_with_a_reason(sandbox, workspace, live_api_key, query):
    link = start(client_for(live_api_key), "mastodon")
    response = Client().get(urlsplit(link["url"]).path + query)
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "error=" in response["Location"]
    assert SocialAccount.objects.count() == 0
    reason = ConnectLink.objects.get().error  # the backend's own words, not social-auth's generic sentence
    assert any(word in reason for word in ("instance", "https", "public")) and "could not be completed" not in reason
