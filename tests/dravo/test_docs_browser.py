"""The API docs in a real browser (headless Chromium) against a live server: Swagger UI
and ReDoc render the schema and ask no other host for anything (requests elsewhere are
recorded and aborted, so nothing leaves the machine)."""

import os
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from tests.dashboard.test_browser import CHROMIUM_ARGS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("path", "rendered"),
    [("/v1/redoc", "#redoc-container h1"), ("/v1/docs", "#swagger-ui .info .title")],
)
def test_docs_render_in_a_browser_without_asking_another_host(live_server, path, rendered):
    own = urlsplit(live_server.url).netloc
    elsewhere, refused = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(20_000)

            def route(route):
                url = route.request.url
                if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != own:
                    elsewhere.append(url)
                    return route.abort()
                return route.continue_()

            page.route("**/*", route)
            page.add_init_script(
                "document.addEventListener('securitypolicyviolation', e => "
                "(window.__refused = window.__refused || []).push(e.blockedURI))"
            )
            page.goto(f"{live_server.url}{path}")
            heading = page.locator(rendered).first
            heading.wait_for()
            assert "Dravo API" in heading.inner_text()
            page.wait_for_load_state("networkidle")
            refused = page.evaluate("window.__refused || []")
        finally:
            browser.close()
    assert elsewhere == []
    # The policy blocked only what another host would have served (ReDoc's CDN logo), never
    # the page's own scripts, styles, worker or schema.
    assert all(urlsplit(uri).netloc not in ("", own) for uri in refused), refused
