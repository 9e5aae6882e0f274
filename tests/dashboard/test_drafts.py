"""Drafts in the dashboard: saved from the compose form, published or deleted from the
post's page, a refusal shown as a message."""

import pytest

from publishing.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def save_draft(browser_client, **fields):
    response = browser_client.post("/compose/", {"text": "", "when": "now", "save_draft": "1", **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Post.objects.get()


def test_the_compose_form_saves_a_draft_without_accounts(browser_client):
    page = browser_client.get("/compose/").content.decode()
    assert 'name="save_draft"' in page
    post = save_draft(browser_client, text="An idea for Monday")
    assert post.status == "draft" and post.targets == [] and not post.deliveries.exists()
    detail = browser_client.get(f"/posts/{post.pk}").content.decode()
    assert "Publish now" in detail and "Delete draft" in detail and "none yet" in detail


def test_a_draft_without_text_or_media_is_refused_in_place(browser_client):
    response = browser_client.post("/compose/", {"text": " ", "when": "now", "save_draft": "1"})
    assert response.status_code == 400 and "A draft needs text or media." in response.content.decode()
    assert not Post.objects.exists()


def test_publishing_a_draft_from_its_page_runs_the_checks_of_a_create(browser_client, workspace):
    empty = save_draft(browser_client, text="No accounts yet")
    response = browser_client.post(f"/posts/{empty.pk}/publish", {"next": f"/posts/{empty.pk}"}, follow=True)
    assert "at least one account" in response.content.decode()
    assert Post.objects.get(pk=empty.pk).status == "draft"
    empty.delete()

    account = factories.make_account(workspace)
    post = save_draft(browser_client, text="Ready", account_ids=[account.pk])
    assert post.account_ids == [account.pk]
    browser_client.post(f"/posts/{post.pk}/publish", {"next": f"/posts/{post.pk}"})
    post.refresh_from_db()
    assert post.status in ("queued", "processing", "published") and post.providers == ["x"]


def test_deleting_a_draft_from_its_page(browser_client):
    post = save_draft(browser_client, text="Never mind")
    response = browser_client.post(f"/posts/{post.pk}/delete")
    assert response.status_code == 302 and response["Location"].endswith("/posts/")
    assert not Post.objects.filter(pk=post.pk).exists()


def test_a_published_post_cannot_be_deleted_from_the_dashboard(browser_client, workspace):
    post = Post.objects.create(workspace=workspace, mode="test", text="live", status="published")
    response = browser_client.post(f"/posts/{post.pk}/delete", follow=True)
    assert "Only a draft or a canceled post can be deleted" in response.content.decode()
    assert Post.objects.filter(pk=post.pk).exists()
