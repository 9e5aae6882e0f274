"""Recurring posts: the rule in local wall time across daylight saving changes (Europe/Paris
and America/New_York, both changes of 2027), and series through the API: one scheduled post
per occurrence, made on a rolling horizon, the series' next occurrences on GET."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from publishing.models import Post, PostSeries
from publishing.recurrence import build, occurrences, zone_of
from publishing.services.series import series_extend_due
from tests import factories


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def series(rule: str, start: datetime, zone: str, count: int) -> list[datetime]:
    return list(occurrences(build(rule, start, count=count), zone_of(zone)))


# --- local wall time across daylight saving changes ----------------------------------------------
def test_paris_keeps_nine_o_clock_across_both_changes_of_2027():
    assert series("FREQ=WEEKLY;BYDAY=SU", datetime(2027, 3, 21, 9), "Europe/Paris", 2) == [
        utc(2027, 3, 21, 8),  # CET, +01:00
        utc(2027, 3, 28, 7),  # CEST, +02:00: still 09:00 on the wall
    ]
    assert series("FREQ=WEEKLY;BYDAY=SU", datetime(2027, 10, 24, 9), "Europe/Paris", 2) == [
        utc(2027, 10, 24, 7),
        utc(2027, 10, 31, 8),
    ]


def test_paris_a_skipped_time_moves_forward_and_a_repeated_one_takes_its_first_instant():
    spring = series("FREQ=DAILY", datetime(2027, 3, 27, 2, 30), "Europe/Paris", 3)
    assert spring == [utc(2027, 3, 27, 1, 30), utc(2027, 3, 28, 1, 0), utc(2027, 3, 29, 0, 30)]  # 28th: 03:00 CEST
    autumn = series("FREQ=DAILY", datetime(2027, 10, 30, 2, 30), "Europe/Paris", 3)
    assert autumn == [utc(2027, 10, 30, 0, 30), utc(2027, 10, 31, 0, 30), utc(2027, 11, 1, 1, 30)]  # 31st: CEST


def test_new_york_a_skipped_time_moves_forward_and_a_repeated_one_takes_its_first_instant():
    spring = series("FREQ=DAILY", datetime(2027, 3, 13, 2, 30), "America/New_York", 3)
    assert spring == [utc(2027, 3, 13, 7, 30), utc(2027, 3, 14, 7, 0), utc(2027, 3, 15, 6, 30)]  # 14th: 03:00 EDT
    autumn = series("FREQ=DAILY", datetime(2027, 11, 6, 1, 30), "America/New_York", 3)
    assert autumn == [utc(2027, 11, 6, 5, 30), utc(2027, 11, 7, 5, 30), utc(2027, 11, 8, 6, 30)]  # 7th: EDT
    weekly = series("FREQ=WEEKLY;BYDAY=MO,WE", datetime(2027, 3, 8, 9), "America/New_York", 4)
    assert weekly == [utc(2027, 3, 8, 14), utc(2027, 3, 10, 14), utc(2027, 3, 15, 13), utc(2027, 3, 17, 13)]


# --- through the API -------------------------------------------------------------------------------
PARIS = ZoneInfo("Europe/Paris")
# A Monday a month or so ahead of whenever the tests run.
FIRST_DAY = date.today() + timedelta(days=30 + (7 - (date.today() + timedelta(days=30)).weekday()) % 7)
RECURRENCE = {
    "rule": "FREQ=WEEKLY;BYDAY=MO,WE",
    "time_zone": "Europe/Paris",
    "start": f"{FIRST_DAY.isoformat()}T09:00",
    "count": 10,
}


def paris_nine(day: date) -> datetime:
    return datetime.combine(day, time(9), PARIS)


# The series' days: Mondays and Wednesdays from FIRST_DAY.
DAYS = [FIRST_DAY + timedelta(weeks=week, days=offset) for week in range(5) for offset in (0, 2)]


@pytest.fixture
def account(workspace):
    return factories.make_account(workspace)


def create(api_client, account, **body):
    return api_client.post("/v1/posts", {"account_ids": [account.pk], "text": "Every week", **body}, format="json")


@pytest.mark.django_db
def test_a_series_makes_one_scheduled_post_per_occurrence_within_the_horizon(api_client, account, settings):
    settings.SERIES_HORIZON_DAYS = 45  # the first two weeks or so of the series
    response = create(api_client, account, recurrence=RECURRENCE)
    assert response.status_code == 202, response.content
    body = response.json()
    posts = list(Post.objects.order_by("scheduled_at"))
    assert [post.scheduled_at for post in posts] == [paris_nine(day) for day in DAYS[: len(posts)]]
    assert body["id"] == posts[0].pk and body["series_id"] == posts[0].series_id
    assert all(post.status == "scheduled" and post.deliveries.count() == 1 for post in posts)
    assert 1 <= len(posts) < 10 and {post.series_id for post in posts} == {body["series_id"]}

    detail = api_client.get(f"/v1/posts/{body['id']}").json()
    first = paris_nine(DAYS[0]).astimezone(UTC)
    assert detail["series_id"] == body["series_id"] and detail["occurrence_at"] == first.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert detail["series"]["rule"] == RECURRENCE["rule"] and detail["series"]["start"] == RECURRENCE["start"]
    assert [o["local"] for o in detail["series"]["next"]] == [paris_nine(day).isoformat() for day in DAYS[:5]]
    assert detail["series"]["next"][0]["at"] == first.strftime("%Y-%m-%dT%H:%M:%SZ")
    history = api_client.get("/v1/posts?status=scheduled&limit=50").json()["items"]
    assert len(history) == len(posts)

    settings.SERIES_HORIZON_DAYS = 400  # time passes: the rest come within reach
    series_extend_due()
    series_extend_due()  # safe to repeat
    assert Post.objects.count() == 10 and PostSeries.objects.get().finished
    assert Post.objects.order_by("-scheduled_at").first().scheduled_at == paris_nine(DAYS[-1])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "recurrence,attr",
    [
        ({**RECURRENCE, "rule": "EVERY MONDAY"}, "recurrence.rule"),
        ({**RECURRENCE, "rule": "FREQ=WEEKLY;COUNT=3"}, "recurrence.rule"),
        ({**RECURRENCE, "time_zone": "Mars/Olympus"}, "recurrence.time_zone"),
        ({**RECURRENCE, "until": "2099-02-01T00:00"}, "recurrence.count"),
        ({k: v for k, v in RECURRENCE.items() if k != "count"}, "recurrence.count"),
        ({**RECURRENCE, "start": RECURRENCE["start"] + "+01:00"}, "recurrence.start"),
        ({**RECURRENCE, "start": "2020-01-06T09:00"}, "recurrence.start"),
        ({**RECURRENCE, "count": 0}, "recurrence.count"),
        # A post a minute for a year: more than 1,000 occurrences before until.
        (
            {
                **{k: v for k, v in RECURRENCE.items() if k != "count"},
                "rule": "FREQ=MINUTELY",
                "until": "2099-01-01T00:00",
            },
            "recurrence.until",
        ),
    ],
)
def test_a_series_dravo_cannot_use_is_a_400_naming_the_field(api_client, account, recurrence, attr):
    response = create(api_client, account, recurrence=recurrence)
    assert response.status_code == 400, response.content
    assert attr in [e["attr"] for e in response.json()["errors"]]
    assert not Post.objects.exists() and not PostSeries.objects.exists()


@pytest.mark.django_db
def test_a_series_with_until_and_the_networks_rules(api_client, account, settings):
    settings.SERIES_HORIZON_DAYS = 60
    thursday = (FIRST_DAY + timedelta(days=3)).isoformat()
    until = {**{k: v for k, v in RECURRENCE.items() if k != "count"}, "until": f"{thursday}T00:00"}
    response = create(api_client, account, recurrence=until)
    assert response.status_code == 202 and Post.objects.count() == 2  # the first Monday and Wednesday
    both = create(api_client, account, recurrence=RECURRENCE, scheduled_at=paris_nine(DAYS[0]).isoformat())
    assert "recurrence" in [e["attr"] for e in both.json()["errors"]]
    too_long = create(api_client, account, recurrence=RECURRENCE, text="x" * 300)
    assert too_long.status_code == 400 and "text" in [e["attr"] for e in too_long.json()["errors"]]


@pytest.mark.django_db
def test_editing_a_series_from_an_occurrence_changes_it_and_the_later_ones(api_client, account, settings):
    settings.SERIES_HORIZON_DAYS = 60
    first_id = create(api_client, account, recurrence=RECURRENCE).json()["id"]
    occurrences_made = list(Post.objects.order_by("scheduled_at"))
    second = occurrences_made[1]
    one = api_client.patch(f"/v1/posts/{first_id}", {"text": "Only the first"}, format="json")
    assert one.status_code == 200 and Post.objects.filter(text="Only the first").count() == 1
    response = api_client.patch(f"/v1/posts/{second.pk}", {"text": "New words", "series": True}, format="json")
    assert response.status_code == 200, response.content
    texts = list(Post.objects.order_by("scheduled_at").values_list("text", flat=True))
    assert texts == ["Only the first"] + ["New words"] * (len(texts) - 1)
    assert PostSeries.objects.get().text == "New words"  # and the occurrences not made yet
    settings.SERIES_HORIZON_DAYS = 400
    series_extend_due()
    assert set(Post.objects.order_by("scheduled_at").values_list("text", flat=True)[1:]) == {"New words"}
    moved = api_client.patch(
        f"/v1/posts/{second.pk}", {"scheduled_at": paris_nine(DAYS[1]).isoformat(), "series": True}, format="json"
    )
    assert "scheduled_at" in [e["attr"] for e in moved.json()["errors"]]


@pytest.mark.django_db
def test_canceling_a_series_from_an_occurrence_cancels_the_later_ones_and_makes_no_more(api_client, account, settings):
    settings.SERIES_HORIZON_DAYS = 60
    create(api_client, account, recurrence=RECURRENCE)
    made = list(Post.objects.order_by("scheduled_at"))
    response = api_client.post(f"/v1/posts/{made[1].pk}/cancel", {"series": True}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "canceled"
    statuses = list(Post.objects.order_by("scheduled_at").values_list("status", flat=True))
    assert statuses == ["scheduled"] + ["canceled"] * (len(made) - 1)
    settings.SERIES_HORIZON_DAYS = 400
    series_extend_due()
    assert Post.objects.count() == len(made)  # no more occurrences
