"""Pages update themselves: a settling post's card and page poll /posts/live, which
answers 204 while nothing changed, else the changed post's fragment (without polling
attributes once the post is final), in the viewer's workspace and mode only."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publishing import display
from publishing.models import Delivery, Post
from publishing.services import post_refresh_status
from tests import factories
from tests.dashboard.conftest import login_as

pytestmark = pytest.mark.django_db


def processing_post(workspace, *accounts, text="going out"):
    post = factories.make_post(workspace, list(accounts) or [factories.make_account(workspace)], text=text)
    post.deliveries.update(status=Delivery.Status.PROCESSING, attempts=1)
    post_refresh_status(post_id=post.pk)
    return Post.objects.get(pk=post.pk)


def publish(post):
    post.deliveries.update(
        status=Delivery.Status.PUBLISHED, platform_post_url="https://example.com/p/1", published_at=timezone.now()
    )
    post_refresh_status(post_id=post.pk)


def live_url(page: str) -> str:
    """The poller's URL in a rendered page (the first one)."""
    found = re.search(r'hx-get="(/posts/live\?[^"]+)"', page)
    assert found, "no polling attributes"
    return found.group(1).replace("&amp;", "&")


def test_a_processing_posts_page_polls_and_a_published_one_does_not(browser_client, workspace):
    post = processing_post(workspace)
    assert post.status == "processing"
    page = browser_client.get(f"/posts/{post.pk}").content.decode()
    assert 'hx-trigger="every 2s"' in page and "view=detail" in live_url(page)
    publish(post)
    page = browser_client.get(f"/posts/{post.pk}").content.decode()
    assert "hx-trigger" not in page and "/posts/live" not in page


def test_the_fragment_shows_the_new_status_after_the_delivery_changes(browser_client, workspace):
    post = processing_post(workspace)
    url = live_url(browser_client.get(f"/posts/{post.pk}").content.decode())
    assert browser_client.get(url).status_code == 204  # nothing changed yet
    publish(post)
    response = browser_client.get(url, HTTP_HX_CURRENT_URL=f"http://testserver/posts/{post.pk}")
    fragment = response.content.decode()
    assert response.status_code == 200
    assert f'id="post-page-{post.pk}"' in fragment and 'hx-swap-oob="true"' in fragment
    assert "Published" in fragment and "View live post" in fragment
    assert "hx-trigger" not in fragment  # final: the page stops asking
    assert "<html" not in fragment and "All posts" not in fragment  # the live part only


def test_a_failed_posts_fragment_brings_its_retry_button_back_to_the_page(browser_client, workspace):
    post = processing_post(workspace)
    url = live_url(browser_client.get(f"/posts/{post.pk}").content.decode())
    post.deliveries.update(status=Delivery.Status.FAILED, error="Refused", error_code="rejected")
    post_refresh_status(post_id=post.pk)
    fragment = browser_client.get(url, HTTP_HX_CURRENT_URL=f"http://testserver/posts/{post.pk}").content.decode()
    assert "Retry failed deliveries" in fragment and "Refused" in fragment
    assert f'name="next" value="/posts/{post.pk}"' in fragment  # back to the page, not to /posts/live


def test_the_posts_list_polls_only_for_its_settling_cards(browser_client, workspace):
    account = factories.make_account(workspace)
    settling = processing_post(workspace, account, text="still going")
    done = processing_post(workspace, account, text="already out")
    publish(done)
    page = browser_client.get("/posts/").content.decode()
    cards = dict(re.findall(r'<article class="post" id="post-(\w+)"([^>]*)>', page))
    assert "every 2s" in cards[settling.pk] and "view=card" in cards[settling.pk]
    assert "hx-get" not in cards[done.pk]
    home = browser_client.get("/").content.decode()
    assert f"ids={settling.pk}%3A" in home


def test_a_card_fragment_is_swapped_by_its_id_and_stops_polling_once_final(browser_client, workspace):
    post = processing_post(workspace)
    url = live_url(browser_client.get("/posts/").content.decode())
    publish(post)
    fragment = browser_client.get(url, HTTP_HX_CURRENT_URL="http://testserver/posts/?status=processing").content
    fragment = fragment.decode()
    assert fragment.startswith(f'<article class="post" id="post-{post.pk}"')
    assert 'hx-swap-oob="true"' in fragment and "Published" in fragment and "hx-trigger" not in fragment


def test_a_scheduled_post_polls_only_when_it_is_due_soon(browser_client, workspace):
    account = factories.make_account(workspace)
    soon = factories.make_post(workspace, [account], scheduled_at=timezone.now() + timedelta(minutes=2))
    later = factories.make_post(workspace, [account], scheduled_at=timezone.now() + timedelta(days=2))
    assert "hx-trigger" in browser_client.get(f"/posts/{soon.pk}").content.decode()
    assert "hx-trigger" not in browser_client.get(f"/posts/{later.pk}").content.decode()


def test_another_workspaces_post_is_never_answered(workspace):
    post = processing_post(workspace)
    token = display.post_live_token(post=post)
    other = factories.make_workspace()
    stranger = login_as(factories.make_user(other))
    response = stranger.get(f"/posts/live?view=card&ids={post.pk}:stale{token}")
    assert response.status_code == 204 and post.pk not in response.content.decode()


def test_a_live_mode_viewer_does_not_see_test_mode_posts(browser_client, workspace):
    post = processing_post(workspace)
    browser_client.post("/mode", {"mode": "live"})
    response = browser_client.get(f"/posts/live?view=card&ids={post.pk}:stale")
    assert response.status_code == 204


def test_the_live_endpoint_needs_a_login(workspace):
    post = processing_post(workspace)
    response = Client().get(f"/posts/live?ids={post.pk}:stale")
    assert response.status_code == 302 and "/login/" in response["Location"]


def queries_for(client, posts) -> int:
    ids = ",".join(f"{p.pk}:stale" for p in posts)
    with CaptureQueriesContext(connection) as noted:
        response = client.get(f"/posts/live?view=card&ids={ids}")
    assert response.status_code == 200 and response.content.decode().count("<article") == len(posts)
    return len(noted)


def test_the_query_count_does_not_grow_with_the_number_of_posts(browser_client, workspace):
    accounts = [factories.make_account(workspace) for _ in range(3)]
    one = [processing_post(workspace, *accounts)]
    many = [processing_post(workspace, *accounts, text=f"post {i}") for i in range(6)]
    browser_client.get("/")  # the session's first reads
    assert queries_for(browser_client, one) == queries_for(browser_client, many)
