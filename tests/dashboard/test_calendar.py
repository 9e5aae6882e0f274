"""The dashboard calendar's week and day views (a row per hour in the browser's zone, a
column per day) and POST /posts/<id>/reschedule, which moves a post as PATCH
/v1/posts/{id} does: the same checks and service, the page's revision as If-Match."""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import SocialAccount
from publishing import services as post_services
from publishing.models import Post
from tests import factories
from tests.dashboard.conftest import login_as

JSON = {"HTTP_ACCEPT": "application/json"}


def schedule(workspace, account, when: datetime, text: str = "On the grid") -> Post:
    return post_services.post_create(
        workspace=workspace, mode=account.mode, account_ids=[account.id], text=text, scheduled_at=when
    )


def slot(html: str, day: date, hour: int) -> str:
    """The markup of the hour cell of `day` at `hour` (up to its closing tag)."""
    match = re.search(
        rf'<td class="cal-slot[^"]*" data-date="{day.isoformat()}" data-hour="{hour}"[^>]*>(.*?)</td>', html, re.S
    )
    assert match, f"no cell for {day} {hour}:00"
    return match.group(0)


def cells_with(html: str, post_id: str) -> list[tuple[str, int]]:
    found = []
    for match in re.finditer(
        r'<td class="cal-slot[^"]*" data-date="([\d-]+)" data-hour="(\d+)"[^>]*>(.*?)</td>', html, re.S
    ):
        if post_id in match.group(3):
            found.append((match.group(1), int(match.group(2))))
    return found


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


@pytest.fixture
def account(workspace):
    return factories.make_account(workspace, provider="x", handle="@gridded")


@pytest.fixture
def client_in(browser_client):
    """The owner's client, its browser in Paris."""
    browser_client.cookies["dravo_tz"] = "Europe/Paris"
    return browser_client


def move(client, post: Post, when: str, revision=None, **extra):
    data = {"scheduled_at": when, "revision": post.revision if revision is None else revision}
    return client.post(f"/posts/{post.id}/reschedule", data, **extra)


# --- the grid ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_week_grid_places_a_post_in_its_local_day_and_hour(browser_client, workspace, account):
    year = timezone.now().year + 1
    post = schedule(workspace, account, datetime(year, 1, 1, 2, 30, tzinfo=UTC), text="New year in LA")
    browser_client.cookies["dravo_tz"] = "America/Los_Angeles"  # 31 Dec, 18:30 there
    html = browser_client.get(f"/calendar/?view=week&date={year - 1}-12-31").content.decode()
    assert cells_with(html, post.id) == [(f"{year - 1}-12-31", 18)]
    card = slot(html, date(year - 1, 12, 31), 18)
    assert ">18:30</time>" in card and "New year in LA" in card
    assert '<span class="badge scheduled">Scheduled</span>' in card  # a word as well as a colour
    assert "net net-x" in card and ">X</span>" in card  # the network's icon and its name for screen readers
    assert f'href="/posts/{post.id}"' in card and 'draggable="true"' in card
    assert f'action="/posts/{post.id}/reschedule"' in card and 'value="' + f"{year - 1}-12-31T18:30" in card
    assert f'data-revision="{post.revision}"' in card
    assert "Times in America/Los_Angeles" in html
    # The same post in Paris: 1 Jan, 03:30.
    browser_client.cookies["dravo_tz"] = "Europe/Paris"
    html = browser_client.get(f"/calendar/?view=day&date={year}-01-01").content.decode()
    assert cells_with(html, post.id) == [(f"{year}-01-01", 3)]


@pytest.mark.django_db
def test_the_grid_has_23_or_25_hours_on_the_days_the_clocks_change(client_in, workspace, account):
    year = timezone.now().year + 1
    spring, autumn = last_sunday(year, 3), last_sunday(year, 10)  # Europe/Paris changes at 01:00 UTC
    before = schedule(workspace, account, datetime.combine(spring, datetime.min.time(), UTC) + timedelta(minutes=30))
    after = schedule(workspace, account, datetime.combine(spring, datetime.min.time(), UTC) + timedelta(minutes=90))
    html = client_in.get(f"/calendar/?view=day&date={spring}").content.decode()
    assert cells_with(html, before.id) == [(spring.isoformat(), 1)]  # 01:30 CET
    assert cells_with(html, after.id) == [(spring.isoformat(), 3)]  # 03:30 CEST
    skipped = slot(html, spring, 2)
    assert "gap" in skipped and "data-start" not in skipped and "skipped" in skipped
    assert 'data-start="' + f"{spring}T03:00:00+02:00" in slot(html, spring, 3)

    first = schedule(workspace, account, datetime.combine(autumn, datetime.min.time(), UTC) + timedelta(minutes=30))
    second = schedule(workspace, account, datetime.combine(autumn, datetime.min.time(), UTC) + timedelta(minutes=90))
    html = client_in.get(f"/calendar/?view=week&date={autumn}").content.decode()
    assert cells_with(html, first.id) == cells_with(html, second.id) == [(autumn.isoformat(), 2)]  # 02:30 twice
    assert 'data-start="' + f"{autumn}T02:00:00+02:00" in slot(html, autumn, 2)  # the first 02:00


@pytest.mark.django_db
def test_published_queued_and_timed_draft_posts_show_but_only_scheduled_ones_move(client_in, workspace, account):
    queued = factories.make_post(workspace, [account], text="Going out now")
    published = factories.make_post(workspace, [account], text="Out already")
    Post.objects.filter(pk=published.pk).update(status=Post.Status.PUBLISHED)
    draft = post_services.post_create_draft(
        workspace=workspace, mode="test", account_ids=[account.id], text="Timed idea",
        scheduled_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    untimed = post_services.post_create_draft(workspace=workspace, mode="test", account_ids=[], text="Some day")
    html = client_in.get("/calendar/?view=week").content.decode()
    for post, word in ((queued, "Queued"), (published, "Published"), (draft, "Draft")):
        card = html[html.index(f'id="cal-{post.id}"') :][:2000]
        assert f">{word}</span>" in card[: card.index("</div>")]
        assert "draggable" not in card.split(">", 1)[0] and "reschedule" not in card.split("</a>", 1)[0]
    assert "net net-x" in html[html.index(f'id="cal-{draft.id}"') :][:1500]  # a draft's networks, from its accounts
    assert untimed.id not in html  # a draft without a time has no place on a calendar


@pytest.mark.django_db
def test_week_and_day_navigation(client_in):
    html = client_in.get("/calendar/?view=week&date=2031-05-14").content.decode()  # a Wednesday
    assert "Week of 12 May 2031" in html
    assert 'href="?view=week&amp;date=2031-05-07"' in html and 'href="?view=week&amp;date=2031-05-21"' in html
    assert 'href="?view=week">Today' in html
    assert html.count('class="cal-day-head') == 7 and 'href="?view=day&amp;date=2031-05-18"' in html
    assert html.count('<th scope="row" class="cal-hour">') == 24
    assert '<a href="?view=week&amp;date=2031-05-14" aria-current="page">Week</a>' in html

    html = client_in.get("/calendar/?view=day&date=2031-05-14").content.decode()
    assert "Wednesday 14 May 2031" in html and html.count('class="cal-day-head') == 1
    assert 'href="?view=day&amp;date=2031-05-13"' in html and 'href="?view=day&amp;date=2031-05-15"' in html
    assert html.count('<th scope="row" class="cal-hour">') == 24

    month = client_in.get("/calendar/?view=nonsense&date=2031-05-14").content.decode()
    assert "May 2031" in month and "cal-grid" not in month  # the month view, as before
    today = client_in.get("/calendar/?view=day").content.decode()
    assert 'class="cal-today">today</span>' in today


# --- moving a post ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_move_changes_the_time_and_the_revision_as_patch_does(client_in, workspace, account, api_client):
    post = schedule(workspace, account, timezone.now() + timedelta(days=2))
    target = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    response = move(client_in, post, target.isoformat(), **JSON)
    assert response.status_code == 200, response.content
    body = response.json()
    post.refresh_from_db()
    assert post.scheduled_at == target and post.revision == 2
    assert body["id"] == post.id and body["revision"] == 2 and body["status"] == "scheduled"
    assert body["scheduled_at"] == target.astimezone(UTC).isoformat().replace("+00:00", "Z")
    local = timezone.localtime(target, timezone=__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    assert body["local"]["date"] == local.date().isoformat() and body["local"]["hour"] == local.hour
    assert body["local"]["input"] == local.strftime("%Y-%m-%dT%H:%M") and body["local"]["time_zone"] == "Europe/Paris"
    assert body["previous"]["revision"] == 1
    # The API sees the change.
    seen = api_client.get(f"/v1/posts/{post.id}")
    assert seen.json()["scheduled_at"] == body["scheduled_at"]

    # Undo: back to the previous time with the new revision.
    response = move(client_in, post, body["previous"]["scheduled_at"], **JSON)
    assert response.status_code == 200, response.content
    post.refresh_from_db()
    assert post.scheduled_at.isoformat().replace("+00:00", "Z") == body["previous"]["scheduled_at"]
    assert post.revision == 3


@pytest.mark.django_db
def test_the_move_form_takes_a_local_time_and_redirects_back(client_in, workspace, account):
    post = schedule(workspace, account, timezone.now() + timedelta(days=2))
    day = timezone.now().date() + timedelta(days=5)
    response = client_in.post(
        f"/posts/{post.id}/reschedule",
        {"scheduled_at": f"{day}T09:15", "revision": post.revision, "next": "/calendar/?view=week"},
    )
    assert response.status_code == 302 and response["Location"] == "/calendar/?view=week"
    post.refresh_from_db()
    local = timezone.localtime(post.scheduled_at, timezone=__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    assert (local.date(), local.hour, local.minute) == (day, 9, 15) and post.revision == 2
    page = client_in.get("/calendar/?view=week").content.decode()
    assert f"Moved post {post.id} to" in page and "(Europe/Paris)" in page


@pytest.mark.django_db
def test_a_refused_form_move_says_why_and_changes_nothing(client_in, workspace, account):
    post = schedule(workspace, account, timezone.now() + timedelta(days=2))
    yesterday = timezone.now().date() - timedelta(days=1)
    response = client_in.post(
        f"/posts/{post.id}/reschedule",
        {"scheduled_at": f"{yesterday}T09:00", "revision": post.revision, "next": "/calendar/?view=day"},
        follow=True,
    )
    assert response.redirect_chain == [("/calendar/?view=day", 302)]
    assert f"Post {post.id} was not moved: Must be at least 60 seconds in the future." in response.content.decode()
    assert Post.objects.get(pk=post.pk).revision == 1


@pytest.mark.django_db
def test_a_wall_time_the_clocks_skip_is_refused(client_in, workspace, account):
    post = schedule(workspace, account, timezone.now() + timedelta(days=2))
    spring = last_sunday(timezone.now().year + 1, 3)
    response = move(client_in, post, f"{spring}T02:30", **JSON)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["attr"] == "scheduled_at" and "does not exist" in error["detail"] and "Europe/Paris" in error["detail"]


def _refusals(workspace, account):
    """(name, post, scheduled_at sent, revision sent or None, status, code, attr, words in the detail)."""
    soon = timezone.now() + timedelta(days=2)
    past = schedule(workspace, account, soon)
    queued = factories.make_post(workspace, [account], text="Already queued")
    stale = schedule(workspace, account, soon)
    post_services.post_edit(post=stale, changes={"text": "Changed in another tab"})
    reconnect = factories.make_account(workspace, provider="linkedin", handle="Gone Inc.")
    ruled = schedule(workspace, reconnect, soon)
    SocialAccount.objects.filter(pk=reconnect.pk).update(health=SocialAccount.Health.REQUIRES_RECONNECT)
    later = (timezone.now() + timedelta(days=4)).isoformat()
    return [
        ("past", past, (timezone.now() - timedelta(hours=3)).isoformat(), None, 400, "too_soon", "scheduled_at",
         "at least 60 seconds in the future"),
        ("queued", queued, later, None, 409, "not_editable", None, "already queued"),
        ("stale", stale, later, 1, 412, "revision_mismatch", None, "is at revision 2, not 1"),
        ("network", ruled, later, None, 400, "account_not_usable", "account_ids.0", "reconnect it"),
        ("garbage", past, "next tuesday", None, 400, "invalid", "scheduled_at", "wrong format"),
    ]  # fmt: skip


@pytest.mark.django_db
def test_refused_moves_answer_the_apis_error_body_and_leave_the_post(client_in, workspace, account):
    for name, post, when, revision, status, code, attr, words in _refusals(workspace, account):
        post.refresh_from_db()
        kept = (post.scheduled_at, post.revision, post.status)
        response = move(client_in, post, when, revision=revision, **JSON)
        assert response.status_code == status, (name, response.content)
        body = response.json()
        assert body["type"] == ("validation_error" if status == 400 else "client_error"), name
        error = body["errors"][0]
        assert (error["code"], error["attr"]) == (code, attr), (name, body)
        assert words in error["detail"], (name, error)
        post.refresh_from_db()
        assert (post.scheduled_at, post.revision, post.status) == kept, name


@pytest.mark.django_db
def test_another_workspaces_post_is_a_404(client_in):
    theirs = factories.make_account(factories.make_workspace(), provider="x")
    post = schedule(theirs.workspace, theirs, timezone.now() + timedelta(days=2))
    later = (timezone.now() + timedelta(days=3)).isoformat()
    response = move(client_in, post, later, **JSON)
    assert response.status_code == 404 and response.json()["errors"][0]["code"] == "not_found"
    assert move(client_in, post, later).status_code == 404
    post.refresh_from_db()
    assert post.revision == 1
    assert (
        post.id
        not in client_in.get(f"/calendar/?view=week&date={timezone.localdate() + timedelta(days=2)}").content.decode()
    )


@pytest.mark.django_db
def test_moving_needs_a_login_and_a_post(workspace, account):
    post = schedule(workspace, account, timezone.now() + timedelta(days=2))
    response = move(Client(), post, (timezone.now() + timedelta(days=3)).isoformat(), **JSON)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
    assert Client().get("/calendar/?view=week").status_code == 302
    user = factories.make_user(workspace, username="mover")
    assert login_as(user).get(f"/posts/{post.id}/reschedule").status_code == 405
    assert Post.objects.get(pk=post.pk).revision == 1


@pytest.mark.django_db
def test_moving_needs_the_csrf_token(workspace, account):
    post = schedule(workspace, account, timezone.now() + timedelta(days=2))
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.make_user(workspace, username="careful"))
    later = (timezone.now() + timedelta(days=3)).isoformat()
    assert move(client, post, later, **JSON).status_code == 403
    assert Post.objects.get(pk=post.pk).revision == 1
    page = client.get(f"/calendar/?view=week&date={timezone.localdate() + timedelta(days=2)}").content.decode()
    token = re.search(r'data-csrf="([^"]+)"', page).group(1)
    response = move(client, post, later, HTTP_X_CSRFTOKEN=token, **JSON)
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["revision"] == 2
