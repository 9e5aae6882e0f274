import re
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories

OFFSET = re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?[+-]\d{2}:\d{2}$")


def times_in(body) -> list[str]:
    """Every string in an API answer that looks like a date-time."""
    if isinstance(body, dict):
        return [t for value in body.values() for t in times_in(value)]
    if isinstance(body, list):
        return [t for value in body for t in times_in(value)]
    return [body] if isinstance(body, str) and re.match(r"\d{4}-\d{2}-\d{2}T", body) else []


@pytest.fixture
def published_post(workspace):
    account = factories.make_account(workspace, provider="x")
    return factories.make_post(workspace, [account], text="Zoned")


def dashboard_in(workspace, zone: str) -> Client:
    page = Client()
    page.force_login(factories.make_user(workspace))
    page.cookies["dravo_tz"] = zone
    return page


@pytest.mark.django_db
def test_an_api_answer_after_a_dashboard_page_in_another_zone_on_the_same_thread_is_in_utc(
    api_client, workspace, published_post
):
    page = dashboard_in(workspace, "Europe/Paris")
    assert page.get(f"/posts/{published_post.id}").status_code == 200
    assert timezone.get_current_timezone_name() == "UTC"  # nothing left active on this thread
    body = api_client.get(f"/v1/posts/{published_post.id}").json()
    assert body["created_at"].endswith("Z") and body["updated_at"].endswith("Z")
    assert not [t for t in times_in(body) if OFFSET.search(t)]


@pytest.mark.django_db
def test_api_times_carry_no_offset_even_when_a_zone_is_active(api_client, workspace, published_post):
    timezone.activate(zoneinfo.ZoneInfo("Asia/Tokyo"))
    try:
        post = api_client.get(f"/v1/posts/{published_post.id}").json()
        history = api_client.get("/v1/posts").json()
        accounts = api_client.get("/v1/accounts").json()
    finally:
        timezone.deactivate()
    times = times_in(post) + times_in(history) + times_in(accounts)
    assert times and all(t.endswith("Z") for t in times), times


@pytest.mark.django_db
def test_the_dashboard_still_shows_times_in_the_browsers_zone(workspace, published_post):
    page = dashboard_in(workspace, "Asia/Tokyo")
    body = page.get(f"/posts/{published_post.id}").content.decode()
    local = timezone.localtime(published_post.created_at, zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert "Asia/Tokyo" in body and local.strftime("%H:%M") in body
