"""The calendar feed: a token made with an API key (kept hashed, resettable), and the
workspace's scheduled posts as iCalendar at /v1/calendar.ics?token=… without a key."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from rest_framework.test import APIClient

from publishing.models import CalendarFeed, Post
from tests import factories

pytestmark = pytest.mark.django_db


def feed_token(api_client) -> str:
    response = api_client.post("/v1/calendar/token")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["url"].endswith(f"/v1/calendar.ics?token={body['token']}")
    return body["token"]


def read_feed(token: str):
    return APIClient().get("/v1/calendar.ics", {"token": token})


def events(token: str) -> dict:
    response = read_feed(token)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def scheduled(api_client, account, text, minutes=60) -> Post:
    when = (timezone.now() + timedelta(minutes=minutes)).isoformat()
    response = api_client.post(
        "/v1/posts", {"account_ids": [account.pk], "text": text, "scheduled_at": when}, format="json"
    )
    assert response.status_code == 202, response.content
    return Post.objects.get(pk=response.json()["id"])


def test_the_feed_lists_the_scheduled_posts_of_the_workspace_and_mode(api_client, workspace):
    account = factories.make_account(workspace)
    first = scheduled(api_client, account, "Launch day\nwith more words", minutes=60)
    second = scheduled(api_client, account, "Follow-up", minutes=120)
    canceled = scheduled(api_client, account, "Never mind")
    api_client.post(f"/v1/posts/{canceled.pk}/cancel")
    api_client.post("/v1/posts", {"draft": True, "text": "Draft"}, format="json")
    soon = timezone.now() + timedelta(minutes=30)
    Post.objects.create(workspace=workspace, mode="live", text="live", status="scheduled", scheduled_at=soon)
    theirs = factories.make_workspace()
    Post.objects.create(workspace=theirs, mode="test", text="theirs", status="scheduled", scheduled_at=soon)

    found = events(feed_token(api_client))
    assert sorted(found) == sorted([f"{first.pk}@dravo", f"{second.pk}@dravo"])
    event = found[f"{first.pk}@dravo"]
    assert event.decoded("dtstart") == first.scheduled_at.replace(microsecond=0)  # iCalendar has whole seconds
    assert str(event["summary"]) == "x: Launch day"
    assert "Launch day\nwith more words" in str(event["description"]) and account.pk in str(event["description"])
    assert str(event["url"]).endswith(f"/posts/{first.pk}") and int(event["sequence"]) == 1


def test_an_edited_post_keeps_its_event_with_a_higher_sequence(api_client, workspace):
    post = scheduled(api_client, factories.make_account(workspace), "Typo")
    token = feed_token(api_client)
    api_client.patch(f"/v1/posts/{post.pk}", {"text": "Fixed"}, format="json")
    event = events(token)[f"{post.pk}@dravo"]
    assert int(event["sequence"]) == 2 and str(event["summary"]) == "x: Fixed"


def test_the_token_is_kept_hashed_and_a_reset_or_turning_off_closes_the_old_one(api_client):
    first = feed_token(api_client)
    stored = CalendarFeed.objects.get()
    assert first not in stored.token_hash and len(stored.token_hash) == 64
    second = feed_token(api_client)
    assert read_feed(first).status_code == 404 and read_feed(second).status_code == 200
    assert CalendarFeed.objects.count() == 1
    assert api_client.delete("/v1/calendar/token").status_code == 204
    assert read_feed(second).status_code == 404
    assert read_feed("cal_nonsense").status_code == 404 and read_feed("").status_code == 404


def test_making_a_token_needs_an_api_key():
    assert APIClient().post("/v1/calendar/token").status_code == 401
