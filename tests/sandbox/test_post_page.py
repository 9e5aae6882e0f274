"""The sandbox's stand-in for a post's page on a network looks like the dashboard: its
stylesheet, header and test banner, the post in a card."""

import pytest
from django.http import Http404
from django.urls import reverse

from sandbox import core
from tests.dashboard.test_browser import axe_violations, chromium, page  # noqa: F401 (fixtures)


@pytest.mark.django_db
def test_a_sandbox_post_page_has_the_dashboards_look_and_the_post(rf):
    record = core.record_create("somenet", "post", "p-1", text="Hello\\nthere")
    response = core.post_page(
        rf.get("/"), network="Some network", record=record, author="@someone",
        media=[{"url": "https://e.com/a.jpg", "kind": "image"}],
    )  # fmt: skip
    html = response.content.decode()
    assert '<link rel="stylesheet" href="/static/dravo/dashboard.css">' in html and "<style>" not in html
    assert 'class="mode-banner test"' in html and "imitation of Some network" in html
    assert '<h1 id="post-heading">@someone on Some network</h1>' in html
    assert '<p class="post-text">Hello\\nthere</p>' in html and 'alt="Image 1 of the post"' in html


def test_no_such_post_is_a_404(rf):
    with pytest.raises(Http404):
        core.post_page(rf.get("/"), network="Some network", record=None, author="")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_sandbox_post_page_passes_axe_and_fits_a_phone(sandbox, page):  # noqa: F811
    core.record_create("x", "post", "1234567", owner="someone", text="Hello from the sandbox " * 8)
    url = sandbox + reverse("sandbox-x-post", kwargs={"username": "i", "post_id": "1234567"})
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        assert page.get_by_role("heading", level=1).count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == [], width
