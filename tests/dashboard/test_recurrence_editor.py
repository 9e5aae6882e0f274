"""The compose page's Repeat fieldset: presets made RFC 5545 rules, a live preview of the
next occurrences in the person's time zone (publishing.recurrence's DST rules), and a
series made from the form as POST /v1/posts makes it."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from publishing.models import Post, PostSeries
from publishing.repeat import repeat_rule
from tests import factories

pytestmark = pytest.mark.django_db

PREVIEW = "/compose/recurrence-preview"


@pytest.fixture
def paris_client(browser_client):
    browser_client.cookies["dravo_tz"] = "Europe/Paris"
    return browser_client


def test_presets_are_rfc_5545_rules():
    assert repeat_rule(frequency="daily", days=[]) == "FREQ=DAILY"
    assert repeat_rule(frequency="weekdays", days=["SA"]) == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert repeat_rule(frequency="weekly", days=["WE", "MO", "XX"]) == "FREQ=WEEKLY;BYDAY=MO,WE"
    assert repeat_rule(frequency="weekly", days=[]) == "FREQ=WEEKLY"
    assert repeat_rule(frequency="monthly", days=[]) == "FREQ=MONTHLY"
    assert repeat_rule(frequency="custom", days=[], custom=" FREQ=YEARLY ") == "FREQ=YEARLY"
    assert repeat_rule(frequency="", days=["MO"]) == ""


def test_a_weekly_0230_across_the_spring_change_shows_0300_that_day(paris_client):
    params = {"rule": "FREQ=WEEKLY", "start": "2027-03-21T02:30", "time_zone": "Europe/Paris", "count": "3"}
    response = paris_client.get(PREVIEW, params)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sun 21 Mar 2027, 02:30 CET" in page
    assert "Sun 28 Mar 2027, 03:00 CEST" in page and "02:30 does not exist that day" in page
    assert "Sun 4 Apr 2027, 02:30 CEST" in page
    assert "3 posts in all" in page and "in your time zone (Europe/Paris)" in page


def test_the_preview_reads_the_forms_own_fields(paris_client):
    params = {
        "repeat": "weekly",
        "repeat_days": ["MO", "WE"],
        "scheduled_local": "2027-01-04T09:00",
        "time_zone": "Europe/Paris",
        "repeat_end": "until",
        "count": "10",
        "until": "2027-01-13T23:00",
    }
    page = paris_client.get(PREVIEW, params).content.decode()
    assert page.count("<li>") == 4  # Mon 4, Wed 6, Mon 11, Wed 13
    assert "Mon 4 Jan 2027, 09:00" in page and "Wed 13 Jan 2027, 09:00" in page
    assert "posts in all" not in page  # bounded by until


def test_times_are_shown_in_the_persons_zone_with_the_series_own_beside(paris_client):
    params = {"rule": "FREQ=DAILY", "start": "2027-01-04T09:00", "time_zone": "America/New_York", "count": "2"}
    page = paris_client.get(PREVIEW, params).content.decode()
    assert "Mon 4 Jan 2027, 15:00 CET" in page and "(09:00 in America/New_York)" in page


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"rule": "FREQ=SOMETIMES", "start": "2027-01-04T09:00", "count": "3"}, "Not a rule Dravo can read"),
        ({"rule": "BYDAY=MO", "start": "2027-01-04T09:00", "count": "3"}, "An RFC 5545 rule with FREQ"),
        ({"rule": "FREQ=DAILY;COUNT=3", "start": "2027-01-04T09:00", "count": "3"}, "Give COUNT as the recurrence"),
        ({"rule": "FREQ=DAILY", "start": "2027-01-04T09:00", "time_zone": "Mars/Base", "count": "3"}, "IANA"),
        ({"rule": "FREQ=DAILY", "start": "soon", "count": "3"}, "A local date and time"),
        ({"rule": "FREQ=DAILY", "start": "", "count": "3"}, "Pick the first date and time"),
        ({"rule": "FREQ=DAILY", "start": "2027-01-04T09:00", "count": "many"}, "a whole number"),
        ({"rule": "FREQ=DAILY", "start": "2027-01-04T09:00", "count": "5000"}, "Between 1 and 1000"),
        ({"rule": "FREQ=DAILY", "start": "2020-01-04T09:00", "count": "3"}, "No occurrence falls in the future"),
        ({"rule": "FREQ=MINUTELY", "start": "2027-01-04T09:00", "until": "2028-01-01T00:00"}, "more than 1000"),
    ],
)
def test_input_that_cannot_repeat_gives_its_reason_in_the_fragment(paris_client, params, reason):
    response = paris_client.get(PREVIEW, params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cannot repeat this way" in page and reason in page


def test_no_repeat_chosen_says_so(paris_client):
    page = paris_client.get(PREVIEW, {"repeat": "", "scheduled_local": "2027-01-04T09:00"}).content.decode()
    assert "does not repeat" in page


def test_the_compose_page_has_the_repeat_fieldset_defaulting_to_the_persons_zone(paris_client):
    page = paris_client.get("/compose/").content.decode()
    assert "<legend>Repeat</legend>" in page and 'hx-get="/compose/recurrence-preview"' in page
    assert 'name="time_zone" id="id_time_zone" value="Europe/Paris"' in page
    assert '<option value="weekdays">Every weekday (Monday to Friday)</option>' in page


def test_composing_a_repeating_post_makes_a_series(paris_client, workspace):
    account = factories.make_account(workspace, provider="x")
    start = (timezone.localtime(timezone.now()) + timedelta(days=3)).strftime("%Y-%m-%dT09:00")
    response = paris_client.post(
        "/compose/",
        {
            "account_ids": [account.pk],
            "text": "Weekly digest",
            "when": "schedule",
            "scheduled_local": start,
            "tz": "Europe/Paris",
            "repeat": "weekly",
            "time_zone": "Europe/Paris",
            "repeat_end": "count",
            "count": "4",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    series = PostSeries.objects.get()
    assert (series.rule, series.time_zone, series.count) == ("FREQ=WEEKLY", "Europe/Paris", 4)
    first = Post.objects.filter(series=series).order_by("occurrence_at").first()
    assert first.scheduled_at.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%dT%H:%M") == start


def test_a_bad_rule_in_the_form_is_shown_on_the_repeat_fieldset(paris_client, workspace):
    account = factories.make_account(workspace, provider="x")
    start = (timezone.localtime(timezone.now()) + timedelta(days=3)).strftime("%Y-%m-%dT09:00")
    fields = {"account_ids": [account.pk], "text": "Hi", "when": "schedule", "scheduled_local": start}
    bad_rule = {"repeat": "custom", "rule": "FREQ=DAILY;UNTIL=20270101", "count": "3"}
    response = paris_client.post("/compose/", {**fields, **bad_rule})
    page = response.content.decode()
    assert response.status_code == 400 and 'href="#id_repeat"' in page and "Give UNTIL as the" in page
    response = paris_client.post("/compose/", {**fields, "repeat": "daily", "count": ""})
    assert response.status_code == 400 and "Say after how many posts the series ends" in response.content.decode()
    assert not Post.objects.exists()


def test_the_edit_page_of_an_occurrence_shows_its_series_next_dates(paris_client, workspace):
    account = factories.make_account(workspace, provider="x")
    start = (timezone.localtime(timezone.now()) + timedelta(days=3)).strftime("%Y-%m-%dT09:00")
    fields = {"account_ids": [account.pk], "text": "Hi", "when": "schedule", "scheduled_local": start}
    paris_client.post("/compose/", {**fields, "repeat": "daily", "count": "3", "time_zone": "Europe/Paris"})
    post = Post.objects.order_by("occurrence_at").first()
    page = paris_client.get(f"/posts/{post.pk}/edit").content.decode()
    assert "Part of a series: <code>FREQ=DAILY</code> at 09:00 in Europe/Paris, 3 posts" in page
    assert page.count("09:00 CET") + page.count("09:00 CEST") == 3
