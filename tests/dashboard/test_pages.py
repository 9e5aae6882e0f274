"""The dashboard's pages with Django's test client: login, workspace and mode scoping, the
forms calling the API's services, and the markup an accessibility check relies on."""

import html
import io
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from accounts import services as account_services
from accounts.crypto import decrypt_credentials
from accounts.keys import hash_key
from accounts.models import ApiKey, ConnectLink, SocialAccount
from accounts.views import SESSION_DASHBOARD_MODE
from analytics.models import MetricsSnapshot, PostMetrics
from publishing import services as post_services
from publishing.models import Delivery, Post
from tests import factories
from tests.dashboard.conftest import login_as

PAGES = ["/", "/accounts/", "/compose/", "/posts/", "/calendar/", "/calendar/?view=week", "/analytics/", "/api-keys/"]


def later(**kwargs) -> datetime:
    return timezone.now() + timedelta(**kwargs)


def schedule_post(workspace, account, text="Scheduled hello", when=None) -> Post:
    return post_services.post_create(
        workspace=workspace, mode=account.mode, account_ids=[account.id], text=text, scheduled_at=when or later(days=2)
    )


# --- login and scoping ------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_page_requires_login(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.django_db
def test_the_login_form_logs_a_member_in_and_lands_on_home(workspace):
    factories.make_user(workspace, username="lena", password="a-long-pass-1")
    client = Client()
    assert client.get("/login/").status_code == 200
    response = client.post("/login/", {"username": "lena", "password": "a-long-pass-1"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert workspace.name in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_user_without_a_workspace_gets_a_403_page():
    client = login_as(factories.make_user())
    response = client.get("/accounts/")
    assert response.status_code == 403
    assert "No workspace yet" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_for_a_member(browser_client, workspace, path):
    factories.make_account(workspace, provider="x")
    response = browser_client.get(path)
    assert response.status_code == 200
    assert "Test mode" in response.content.decode()


@pytest.mark.django_db
def test_the_accounts_page_shows_only_this_workspace_and_mode(browser_client, workspace):
    mine = factories.make_account(workspace, provider="x", handle="@mine")
    factories.make_account(workspace, provider="x", handle="@mylive", mode="live")
    factories.make_account(factories.make_workspace(), provider="x", handle="@theirs")
    page = browser_client.get("/accounts/").content.decode()
    assert "@mine" in page and mine.id in page
    assert "@mylive" not in page and "@theirs" not in page


@pytest.mark.django_db
def test_switching_to_live_mode_scopes_pages_to_live_rows_and_says_so(browser_client, workspace):
    factories.make_account(workspace, provider="x", handle="@mytest")
    factories.make_account(workspace, provider="x", handle="@mylive", mode="live")
    response = browser_client.post("/mode", {"mode": "live", "next": "/accounts/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    page = browser_client.get("/accounts/").content.decode()
    assert "@mylive" in page and "@mytest" not in page
    assert "Live mode" in page and 'class="mode-live"' in page


@pytest.mark.django_db
def test_the_workspace_switcher_only_switches_to_the_users_workspaces(browser_client, owner, workspace):
    second = factories.make_workspace("Second")
    account_services.membership_ensure(user=owner, workspace=second)
    factories.make_account(second, provider="x", handle="@second")
    foreign = factories.make_workspace("Foreign")
    browser_client.post("/workspace", {"workspace": foreign.id})
    assert "@second" not in browser_client.get("/accounts/").content.decode()
    browser_client.post("/workspace", {"workspace": second.id})
    page = browser_client.get("/accounts/").content.decode()
    assert "@second" in page and "Foreign" not in page


# --- accounts ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_connect_button_starts_a_connect_link_that_returns_to_the_dashboard(browser_client, workspace, settings):
    response = browser_client.post("/accounts/connect/linkedin")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{settings.BASE_URL}/connect/")
    link = ConnectLink.objects.get()
    assert (link.workspace, link.mode, link.provider) == (workspace, "test", "linkedin")
    assert urlsplit(link.redirect_uri).path == "/accounts/connected"


@pytest.mark.django_db
def test_a_live_mastodon_connect_asks_for_the_server_and_passes_it_to_the_link(browser_client, workspace, settings):
    assert 'name="instance"' not in browser_client.get("/accounts/").content.decode()  # test mode: the sandbox
    browser_client.post("/mode", {"mode": "live"})
    factories.make_account(workspace, provider="mastodon", mode="live", health="requires_reconnect")
    page = browser_client.get("/accounts/").content.decode()
    assert page.count('name="instance"') == 2  # Connect, and the Reconnect of the account that needs it
    assert "Your Mastodon server" in page

    refused = browser_client.post("/accounts/connect/mastodon", {"instance": "  "}, follow=True)
    assert "Your Mastodon server: enter it" in refused.content.decode() and not ConnectLink.objects.exists()

    response = browser_client.post("/accounts/connect/mastodon", {"instance": "mastodon.social"})
    link = ConnectLink.objects.get()
    assert (link.mode, link.provider) == ("live", "mastodon")
    assert response["Location"].startswith(f"{settings.BASE_URL}/connect/")
    assert response["Location"].endswith("?instance=mastodon.social")


@pytest.mark.django_db
def test_a_denied_connection_is_reported_on_the_accounts_page(browser_client):
    response = browser_client.get("/accounts/connected?error=access_denied", follow=True)
    assert "you declined the consent" in response.content.decode()


@pytest.mark.django_db
def test_the_byok_form_shows_the_apis_message_next_to_the_missing_field(browser_client):
    response = browser_client.post(
        "/accounts/", {"provider": "facebook", "platform_account_id": "42", "access_token": "tok"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    error = re.search(r'<ul class="errorlist" id="id_page_id_error"><li>([^<]+)</li>', page)
    assert error and error.group(1) == "Required for facebook accounts."
    assert not SocialAccount.objects.exists()
    assert 'value="tok"' not in page  # a token is never echoed back


@pytest.mark.django_db(transaction=True)
def test_the_byok_form_connects_a_sandbox_account(sandbox, workspace):
    client = login_as(factories.make_user(workspace))
    response = client.post(
        "/accounts/",
        {"provider": "x", "platform_account_id": "123", "access_token": "byok-token", "sandbox_behavior": "ok"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = SocialAccount.objects.get()
    assert (account.workspace, account.mode, account.connection_type) == (workspace, "test", "byok")
    assert decrypt_credentials(account.credentials_encrypted)["access_token"] == "byok-token"


@pytest.mark.django_db
def test_disconnect_erases_the_credentials(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    response = browser_client.post(f"/accounts/{account.id}/disconnect", follow=True)
    account.refresh_from_db()
    assert account.health == "disconnected" and account.credentials_encrypted == ""
    assert "credentials were erased" in response.content.decode()


@pytest.mark.django_db
def test_another_workspaces_account_cannot_be_disconnected(browser_client):
    theirs = factories.make_account(factories.make_workspace(), provider="x")
    assert browser_client.post(f"/accounts/{theirs.id}/disconnect").status_code == 404
    theirs.refresh_from_db()
    assert theirs.health == "active"


@pytest.mark.django_db(transaction=True)
def test_refresh_gets_a_new_token_from_the_sandbox(sandbox, workspace):
    client = login_as(factories.make_user(workspace))
    account = factories.make_account(
        workspace, provider="x", credentials={"access_token": "old", "refresh_token": "r1"}
    )
    response = client.post(f"/accounts/{account.id}/refresh", follow=True)
    assert "Refreshed the token" in response.content.decode()
    account.refresh_from_db()
    assert account.refreshed_at is not None


# --- API keys ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_created_key_is_shown_once_with_a_copy_button(browser_client, workspace):
    response = browser_client.post("/api-keys/", {"name": "CMS", "mode": "live"})
    page = response.content.decode()
    raw = re.search(r'<code id="new-key">(dra_live_[^<]+)</code>', page).group(1)
    key = ApiKey.objects.get(workspace=workspace, name="CMS")
    assert key.mode == "live" and key.key_hash == hash_key(raw)
    assert 'data-copy="new-key"' in page and response["Cache-Control"] == "no-store"
    assert raw not in browser_client.get("/api-keys/").content.decode()


@pytest.mark.django_db
def test_the_key_list_shows_last_use_and_revokes(browser_client, workspace):
    key, _ = factories.make_api_key(workspace)
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now() - timedelta(hours=3))
    assert "3\xa0hours ago" in browser_client.get("/api-keys/").content.decode()
    browser_client.post(f"/api-keys/{key.id}/revoke")
    key.refresh_from_db()
    assert key.revoked_at is not None


@pytest.mark.django_db
def test_a_member_sees_keys_but_cannot_create_or_revoke_them(workspace):
    key, _ = factories.make_api_key(workspace)
    client = login_as(factories.make_user(workspace, role="member"))
    assert key.display_prefix in client.get("/api-keys/").content.decode()
    client.post("/api-keys/", {"name": "sneaky", "mode": "live"})
    client.post(f"/api-keys/{key.id}/revoke")
    key.refresh_from_db()
    assert key.revoked_at is None and not ApiKey.objects.filter(name="sneaky").exists()


@pytest.mark.django_db
def test_another_workspaces_key_cannot_be_revoked(browser_client):
    theirs, _ = factories.make_api_key(factories.make_workspace())
    assert browser_client.post(f"/api-keys/{theirs.id}/revoke").status_code == 404


# --- compose ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_compose_offers_every_option_of_each_networks_serializer(browser_client, workspace):
    factories.make_account(workspace, provider="x")
    page = browser_client.get("/compose/").content.decode()
    for name in (
        "opt.x.poll.options",
        "opt.x.poll.duration_minutes",
        "opt.x.reply_settings",
        "opt.x.thread",
        "opt.tiktok.privacy_level",
        "opt.instagram.placement",
        "opt.linkedin.visibility",
        "opt.facebook.first_comment",
        "opt.facebook.text",
    ):
        assert f'name="{name}"' in page, name
    assert '<option value="SELF_ONLY">' in page
    assert 'id="text-limits"' in page and "twitter-text.min.js" in page


@pytest.mark.django_db
def test_compose_publishes_now_through_the_post_service(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    response = browser_client.post(
        "/compose/",
        {
            "account_ids": [account.id],
            "text": "Hello from the dashboard",
            "when": "now",
            "opt.x.reply_settings": "following",
            "opt.x.thread": "second\nthird",
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/posts/{post.id}"
    assert post.status == "queued" and post.mode == "test"
    assert post.platform_options == {"x": {"reply_settings": "following", "thread": ["second", "third"]}}


@pytest.mark.django_db
def test_compose_schedules_in_the_browsers_time_zone_and_stores_utc(browser_client, workspace):
    account = factories.make_account(workspace, provider="linkedin")
    year = timezone.now().year + 1
    browser_client.post(
        "/compose/",
        {
            "account_ids": [account.id],
            "text": "Later",
            "when": "schedule",
            "scheduled_local": f"{year}-07-01T09:00",
            "tz": "America/New_York",
        },
    )
    post = Post.objects.get()
    assert post.status == "scheduled"
    assert post.scheduled_at == datetime(year, 7, 1, 13, 0, tzinfo=UTC)
    page = Client()
    page.force_login(factories.make_user(workspace))
    page.cookies["dravo_tz"] = "America/New_York"
    assert f"1 July {year}, 09:00" in page.get(f"/posts/{post.id}").content.decode()


def _errors_near(page: str, anchor: str) -> str:
    start = page.index(anchor)
    return page[start : start + 3000]


@pytest.mark.django_db
def test_compose_shows_the_apis_validation_messages_next_to_the_fields(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    theirs = factories.make_account(factories.make_workspace(), provider="x")
    response = browser_client.post(
        "/compose/",
        {
            "account_ids": [account.id, theirs.id],
            "text": "x" * 300,
            "when": "now",
            "opt.x.poll.options": "only one",
            "opt.x.poll.duration_minutes": "60",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary" role="alert"' in page
    assert f"Unknown account {theirs.id}." in _errors_near(page, 'id="accounts-legend"')
    assert "Ensure this field has at least 2 elements." in _errors_near(page, 'id="opt-x-poll-options"')
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_compose_reports_an_x_text_over_the_limit_under_the_text(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    response = browser_client.post("/compose/", {"account_ids": [account.id], "text": "y" * 281, "when": "now"})
    assert response.status_code == 400
    near_text = _errors_near(response.content.decode(), 'id="id_text"')
    assert "x (" in near_text and "280" in near_text


@pytest.mark.django_db
def test_compose_refuses_a_time_in_the_past_next_to_the_date_field(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    response = browser_client.post(
        "/compose/",
        {
            "account_ids": [account.id],
            "text": "hi",
            "when": "schedule",
            "scheduled_local": "2020-01-01T10:00",
            "tz": "Europe/Paris",
        },
    )
    assert "Must be at least 60 seconds in the future." in _errors_near(
        response.content.decode(), 'id="id_scheduled_local"'
    )


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 40, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_the_dashboard_upload_stores_media_through_the_media_service(browser_client, workspace, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = io.BytesIO(_png())
    upload.name = "banner.png"
    response = browser_client.post("/compose/media", {"file": upload})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "image" and body["width"] == 400 and body["url"].startswith(settings.BASE_URL)


@pytest.mark.django_db
def test_the_dashboard_upload_refuses_a_file_that_is_not_media(browser_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = io.BytesIO(b"not an image at all")
    upload.name = "fake.png"
    response = browser_client.post("/compose/media", {"file": upload})
    assert response.status_code == 400 and response.json()["detail"]


@pytest.mark.django_db
def test_the_dashboard_upload_needs_a_login():
    assert Client().post("/compose/media", {}).status_code == 302


# --- posts ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_posts_page_filters_and_searches_like_the_api(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    schedule_post(workspace, account, text="Spring sale tomorrow")
    post_services.post_create(workspace=workspace, mode="test", account_ids=[account.id], text="Autumn news")
    theirs = factories.make_account(factories.make_workspace(), provider="x")
    schedule_post(theirs.workspace, theirs, text="Spring elsewhere")
    page = browser_client.get("/posts/?q=spring").content.decode()
    assert "Spring sale" in page and "Autumn" not in page and "elsewhere" not in page
    page = browser_client.get("/posts/?status=queued").content.decode()
    assert "Autumn news" in page and "Spring sale" not in page


@pytest.mark.django_db
def test_the_posts_page_shows_results_links_errors_and_warnings(browser_client, workspace):
    account = factories.make_account(workspace, provider="x", handle="@shown")
    post = factories.make_post(workspace, [account], text="Done")
    Delivery.objects.filter(post=post).update(
        status="failed", attempts=3, error="The network said no.", error_code="rejected", warnings=["Heads up."]
    )
    Post.objects.filter(pk=post.pk).update(status="failed")
    page = browser_client.get("/posts/").content.decode()
    assert "@shown" in page and "3 attempts" in page
    assert "The network said no." in page and "Heads up." in page
    assert "Retry failed deliveries" in page


@pytest.mark.django_db
def test_the_posts_page_has_no_n_plus_one(browser_client, workspace, django_assert_max_num_queries):
    account = factories.make_account(workspace, provider="x")
    for i in range(8):
        schedule_post(workspace, account, text=f"post {i}")
    with django_assert_max_num_queries(12):
        assert browser_client.get("/posts/").status_code == 200


@pytest.mark.django_db
def test_cancel_from_the_dashboard_cancels_a_scheduled_post(browser_client, workspace):
    post = schedule_post(workspace, factories.make_account(workspace, provider="x"))
    response = browser_client.post(f"/posts/{post.id}/cancel", {"next": "/calendar/"})
    assert response.status_code == 302 and response["Location"] == "/calendar/"
    post.refresh_from_db()
    assert post.status == "canceled"


@pytest.mark.django_db
def test_cancel_with_htmx_answers_the_posts_card(browser_client, workspace):
    post = schedule_post(workspace, factories.make_account(workspace, provider="x"))
    response = browser_client.post(f"/posts/{post.id}/cancel", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and page.startswith(f'<article class="post" id="post-{post.id}"')
    assert "Canceled" in page


@pytest.mark.django_db
def test_cancel_of_a_released_post_says_why(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    post = post_services.post_create(workspace=workspace, mode="test", account_ids=[account.id], text="now")
    response = browser_client.post(f"/posts/{post.id}/cancel", follow=True)
    assert "can no longer be canceled" in response.content.decode()


@pytest.mark.django_db
def test_retry_rearms_the_failed_deliveries(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    post = factories.make_post(workspace, [account], text="again")
    Delivery.objects.filter(post=post).update(status="failed", attempts=5)
    Post.objects.filter(pk=post.pk).update(status="failed")
    browser_client.post(f"/posts/{post.id}/retry")
    post.refresh_from_db()
    assert post.status == "queued" and post.deliveries.get().status == "pending"


@pytest.mark.django_db
def test_another_workspaces_post_is_a_404(browser_client):
    theirs = factories.make_account(factories.make_workspace(), provider="x")
    post = schedule_post(theirs.workspace, theirs)
    assert browser_client.get(f"/posts/{post.id}").status_code == 404
    assert browser_client.post(f"/posts/{post.id}/cancel").status_code == 404


# --- calendar ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_calendar_shows_a_scheduled_post_on_its_local_day(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    year = timezone.now().year + 1
    post = schedule_post(workspace, account, text="New year", when=datetime(year, 1, 1, 2, 30, tzinfo=UTC))
    browser_client.cookies["dravo_tz"] = "America/Los_Angeles"  # 31 Dec, 18:30 there
    month = browser_client.get(f"/calendar/?date={year - 1}-12-15").content.decode()
    cell = month[month.index(f'data-date="{year - 1}-12-31"') :][:1500]
    assert post.id in cell and "18:30" in cell
    week = browser_client.get(f"/calendar/?view=week&date={year - 1}-12-31").content.decode()
    assert post.id in week and "Week of" in week


# --- analytics --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_analytics_page_shows_the_table_and_the_chart_data(browser_client, workspace):
    account = factories.make_account(workspace, provider="x", handle="@counted")
    post = factories.make_post(workspace, [account], text="Counted")
    delivery = post.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(status="published", platform_post_id="123")
    now = timezone.now()
    row = PostMetrics.objects.create(
        delivery=delivery, workspace=workspace, mode="test", provider="x", sync_status="synced",
        metrics={"impression_count": 1234, "like_count": 56, "reply_count": 7, "retweet_count": 8},
        last_updated_at=now, stale_after=now + timedelta(hours=1),
    )  # fmt: skip
    MetricsSnapshot.objects.create(post_metrics=row, taken_at=now, metrics=row.metrics)
    page = browser_client.get("/analytics/").content.decode()
    assert "@counted" in page and ">1234<" in page and ">56<" in page
    assert 'id="metrics-series"' in page and '"views": 1234' in page
    assert page.count('<canvas id="chart-') == 4 and "chart.umd.min.js" in page
    # The summary sums the normalized counts (X's impressions are views; X gave no clicks).
    stats = page[page.index('<div class="stats"') :][:900]
    assert "1234</span> views" in stats and "56</span> likes" in stats and "—</span> link clicks" in stats


# --- markup for accessibility -----------------------------------------------------------------
class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.lang = None
        self.title = False
        self.labels, self.inputs, self.landmarks = set(), [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        self.h1 += tag == "h1"
        self.title = self.title or tag == "title"
        if tag in ("main", "nav", "header", "footer"):
            self.landmarks.add(tag)
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.inputs.append(a)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_each_page_has_lang_a_title_one_h1_landmarks_and_a_label_per_input(browser_client, workspace, path):
    factories.make_account(workspace, provider="x")
    markup = Markup()
    markup.feed(browser_client.get(path).content.decode())
    assert markup.lang == "en" and markup.title and markup.h1 == 1
    assert {"main", "nav", "header", "footer"} <= markup.landmarks
    unlabeled = [i for i in markup.inputs if i.get("id") not in markup.labels and not i.get("aria-label")]
    assert not unlabeled


@pytest.mark.django_db
def test_the_mode_is_visible_on_every_page(browser_client):
    browser_client.session[SESSION_DASHBOARD_MODE] = "test"
    for path in PAGES:
        assert 'class="mode-banner test"' in browser_client.get(path).content.decode()


@pytest.mark.django_db
def test_a_connect_that_fails_says_why_on_the_accounts_page(browser_client, workspace):
    browser_client.post("/mode", {"mode": "live"})
    started = browser_client.post("/accounts/connect/mastodon", {"instance": "http://127.0.0.1"})
    opened = browser_client.get(urlsplit(started["Location"]).path + "?" + urlsplit(started["Location"]).query)
    assert opened.status_code == 302 and "/accounts/connected?error=" in opened["Location"]
    page = browser_client.get(opened["Location"], follow=True).content.decode()
    reason = ConnectLink.objects.get().error
    assert "https://" in reason  # the backend's own words: the server must be https
    assert f"The connection did not complete: {reason}" in html.unescape(page)
    # A return page reached by hand names no other link's failure.
    assert "did not complete: no account was granted" in browser_client.get("/accounts/connected", follow=True
                                                                            ).content.decode()
