"""The sandbox's consent page looks like the dashboard (its stylesheet, header and test
banner), labels its fields, and its Allow and Deny buttons answer the app as the
network would: a code, or `error=access_denied`."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from playwright.sync_api import expect

from sandbox import oauth
from tests.dashboard.test_browser import axe_violations, chromium, page  # noqa: F401 (fixtures)

REDIRECT = "https://app.example.com/callback"
QUERY = {
    "response_type": "code", "client_id": "dravo-sandbox", "redirect_uri": REDIRECT,
    "scope": "tweet.read offline.access", "state": "st4te",
    "code_challenge": "challenge", "code_challenge_method": "plain",
}  # fmt: skip


@pytest.fixture
def sandbox_on(settings):
    settings.SANDBOX_ENABLED = True


def authorize_url() -> str:
    return reverse("sandbox-x-authorize")


@pytest.mark.django_db
def test_the_consent_page_uses_the_dashboards_stylesheet_and_look(sandbox_on):
    html = Client().get(authorize_url(), QUERY).content.decode()
    assert '<link rel="stylesheet" href="/static/dravo/dashboard.css">' in html
    assert 'class="site-header"' in html and 'class="mode-banner test"' in html and "<style>" not in html
    assert html.count("<h1>") == 1 and '<main id="main"' in html and 'name="viewport"' in html
    assert "<code>tweet.read</code>" in html and "<code>offline.access</code>" in html


@pytest.mark.django_db
def test_allow_answers_the_app_with_a_code_and_its_state(sandbox_on):
    response = Client().post(authorize_url(), {**QUERY, "decision": "allow"})
    assert response.status_code == 302 and response["Location"].startswith(REDIRECT)
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["code"][0].startswith("sbx_") and query["state"] == ["st4te"]


@pytest.mark.django_db
def test_deny_answers_the_app_with_access_denied(sandbox_on):
    response = Client().post(authorize_url(), {**QUERY, "decision": "deny"})
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["error"] == ["access_denied"] and "code" not in query


def test_each_field_the_person_fills_in_has_its_own_label(rf: RequestFactory):
    response = oauth.consent_page(
        rf.get("/"), network="Some network", params={}, client_id="dravo-sandbox", scopes=["read"],
        inputs=[("email", "Sandbox account", "someone@example.com")],
    )  # fmt: skip
    html = response.content.decode()
    assert '<label for="consent-email">Sandbox account</label>' in html
    assert 'id="consent-email" name="email" value="someone@example.com"' in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_consent_page_passes_axe_and_fits_a_phone(sandbox, page):  # noqa: F811
    url = f"{sandbox}{authorize_url()}?" + "&".join(f"{k}={v}" for k, v in QUERY.items())
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        expect(page.get_by_role("button", name="Allow")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == [], width
