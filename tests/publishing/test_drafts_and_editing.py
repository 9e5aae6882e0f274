"""Drafts (saved, then published, edited or deleted), editing a scheduled post with its
revision (If-Match), and an edit racing the scheduler's release."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from publishing import services
from publishing.models import Delivery, Post
from tests import factories

pytestmark = pytest.mark.django_db


def later(minutes=30) -> str:
    return (timezone.now() + timedelta(minutes=minutes)).isoformat()


@pytest.fixture
def account(workspace):
    return factories.make_account(workspace)


def draft(api_client, **body):
    response = api_client.post("/v1/posts", {"draft": True, **body}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def errors(response, status=400):
    assert response.status_code == status, response.content
    return {e["attr"]: e["code"] for e in response.json()["errors"]}


# --- drafts -----------------------------------------------------------------------------------
def test_a_draft_is_saved_with_what_it_has_and_sent_nowhere(api_client, account):
    body = draft(api_client, text="Half an idea")
    assert body["status"] == "draft" and body["results"] == [] and body["account_ids"] == []
    assert body["revision"] == 1 and not Delivery.objects.exists()
    listed = api_client.get("/v1/posts?status=draft").json()["items"]
    assert [p["id"] for p in listed] == [body["id"]]
    assert api_client.get("/v1/posts?status=scheduled").json()["items"] == []


def test_a_draft_needs_text_or_media_and_its_types_are_still_checked(api_client, account):
    assert errors(api_client.post("/v1/posts", {"draft": True, "text": "  "}, format="json")) == {"text": "required"}
    assert "account_ids" in errors(
        api_client.post("/v1/posts", {"draft": True, "text": "x", "account_ids": "acc_1"}, format="json")
    )
    assert "scheduled_at" in errors(
        api_client.post("/v1/posts", {"draft": True, "text": "x", "scheduled_at": "2030-01-01T09:00"}, format="json")
    )
    media_only = draft(api_client, media_urls=["https://cdn.example.com/a.jpg"])
    assert media_only["text"] == "" and media_only["status"] == "draft"


def test_an_unknown_account_waits_in_a_draft_and_is_refused_at_publish(api_client, account):
    body = draft(api_client, text="Soon", account_ids=["acc_unknown"])
    assert body["account_ids"] == ["acc_unknown"]
    refused = errors(api_client.post(f"/v1/posts/{body['id']}/publish", {}, format="json"))
    assert refused == {"account_ids.0": "unknown_account"}
    assert Post.objects.get(pk=body["id"]).status == "draft"  # nothing changed


@pytest.mark.django_db(transaction=True)
def test_a_draft_published_now_is_delivered(sandbox, eager_tasks, api_client, workspace):
    account = factories.make_account(
        workspace, provider="x", credentials={"access_token": f"d-{timezone.now().timestamp()}", "sandbox": {}}
    )
    body = draft(api_client, text="Drafted, then sent")
    assert "account_ids" in errors(api_client.post(f"/v1/posts/{body['id']}/publish", format="json"))
    edited = api_client.patch(f"/v1/posts/{body['id']}", {"account_ids": [account.pk]}, format="json")
    assert edited.status_code == 200 and edited.json()["revision"] == 2
    published = api_client.post(f"/v1/posts/{body['id']}/publish", format="json")
    assert published.status_code == 202 and published.json()["status"] == "queued"
    post = Post.objects.get(pk=body["id"])
    assert post.status == "published" and post.deliveries.get().platform_post_id
    again = api_client.post(f"/v1/posts/{body['id']}/publish", format="json")
    assert errors(again, 409) == {None: "not_a_draft"}


def test_a_draft_published_with_a_time_is_scheduled_with_its_deliveries(api_client, account):
    body = draft(api_client, text="For later", account_ids=[account.pk])
    when = later(90)
    published = api_client.post(f"/v1/posts/{body['id']}/publish", {"scheduled_at": when}, format="json")
    assert published.status_code == 202, published.content
    post = Post.objects.get(pk=body["id"])
    assert post.status == "scheduled" and post.scheduled_at.isoformat() == when and post.revision == 2
    assert list(post.deliveries.values_list("account_id", "status")) == [(account.pk, "pending")]
    past = {"scheduled_at": "2000-01-01T00:00:00Z"}
    assert "scheduled_at" in errors(api_client.post(f"/v1/posts/{body['id']}/publish", past, format="json"))


def test_the_network_rules_apply_when_a_draft_is_published(api_client, account):
    body = draft(api_client, text="x" * 300, account_ids=[account.pk])  # X takes 280
    assert "text" in errors(api_client.post(f"/v1/posts/{body['id']}/publish", format="json"))


def test_delete_a_draft_or_a_canceled_post_but_nothing_else(api_client, account):
    body = draft(api_client, text="Never mind")
    assert api_client.delete(f"/v1/posts/{body['id']}").status_code == 204
    assert not Post.objects.filter(pk=body["id"]).exists()
    scheduled = api_client.post(
        "/v1/posts", {"account_ids": [account.pk], "text": "later", "scheduled_at": later()}, format="json"
    ).json()
    assert errors(api_client.delete(f"/v1/posts/{scheduled['id']}"), 409) == {None: "not_deletable"}
    assert api_client.post(f"/v1/posts/{scheduled['id']}/cancel").status_code == 200
    assert api_client.delete(f"/v1/posts/{scheduled['id']}").status_code == 204
    assert not Delivery.objects.filter(post_id=scheduled["id"]).exists()
    assert api_client.delete(f"/v1/posts/{scheduled['id']}").status_code == 404


# --- editing ----------------------------------------------------------------------------------
def scheduled(api_client, account, text="later"):
    response = api_client.post(
        "/v1/posts", {"account_ids": [account.pk], "text": text, "scheduled_at": later()}, format="json"
    )
    assert response.status_code == 202
    return Post.objects.get(pk=response.json()["id"])


def test_a_scheduled_post_is_edited_with_the_checks_of_a_create(api_client, account, workspace):
    post = scheduled(api_client, account)
    when = later(120)
    response = api_client.patch(f"/v1/posts/{post.pk}", {"text": "Fixed typo", "scheduled_at": when}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "Fixed typo" and response.json()["revision"] == 2
    assert response.headers["ETag"] == '"2"'
    post.refresh_from_db()
    assert post.text == "Fixed typo" and post.scheduled_at.isoformat() == when and post.status == "scheduled"
    assert "text" in errors(api_client.patch(f"/v1/posts/{post.pk}", {"text": "x" * 300}, format="json"))
    assert "scheduled_at" in errors(api_client.patch(f"/v1/posts/{post.pk}", {"scheduled_at": None}, format="json"))
    assert "scheduled_at" in errors(
        api_client.patch(f"/v1/posts/{post.pk}", {"scheduled_at": "2000-01-01T00:00:00Z"}, format="json")
    )
    assert errors(api_client.patch(f"/v1/posts/{post.pk}", {}, format="json")) == {"non_field_errors": "empty"}
    assert errors(api_client.patch(f"/v1/posts/{post.pk}", {"text": "  "}, format="json")) == {"text": "blank"}
    assert Post.objects.get(pk=post.pk).revision == 2  # refused edits change nothing


def test_changing_the_accounts_of_a_scheduled_post_changes_its_deliveries(api_client, account, workspace):
    other = factories.make_account(workspace)
    post = scheduled(api_client, account)
    response = api_client.patch(f"/v1/posts/{post.pk}", {"account_ids": [other.pk]}, format="json")
    assert response.status_code == 200, response.content
    assert list(post.deliveries.values_list("account_id", flat=True)) == [other.pk]
    assert response.json()["account_ids"] == [other.pk]


def test_a_queued_post_is_no_longer_editable(api_client, account):
    post = scheduled(api_client, account)
    Post.objects.filter(pk=post.pk).update(status="queued")
    assert errors(api_client.patch(f"/v1/posts/{post.pk}", {"text": "late"}, format="json"), 409) == {
        None: "not_editable"
    }


def test_if_match_refuses_an_edit_of_a_changed_post(api_client, account):
    post = scheduled(api_client, account)
    first = api_client.patch(f"/v1/posts/{post.pk}", {"text": "mine"}, format="json", HTTP_IF_MATCH='"1"')
    assert first.status_code == 200 and first.json()["revision"] == 2
    stale = api_client.patch(f"/v1/posts/{post.pk}", {"text": "theirs"}, format="json", HTTP_IF_MATCH="1")
    assert errors(stale, 412) == {None: "revision_mismatch"}
    assert Post.objects.get(pk=post.pk).text == "mine"
    bad = api_client.patch(f"/v1/posts/{post.pk}", {"text": "x"}, format="json", HTTP_IF_MATCH="latest")
    assert errors(bad) == {"If-Match": "invalid"}


def race_release_and_edit(post, text: str) -> dict:
    outcome, barrier = {}, threading.Barrier(2)

    def release():
        barrier.wait()
        outcome["released"] = services.posts_release_due()
        connection.close()

    def edit():
        barrier.wait()
        try:
            services.post_edit(post=post, changes={"text": text})
            outcome["edit"] = "done"
        except Exception as exc:  # noqa: BLE001 - the loser's error is the outcome
            outcome["edit"] = getattr(exc, "default_code", repr(exc))
        connection.close()

    threads = [threading.Thread(target=release), threading.Thread(target=edit)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return outcome


@pytest.mark.django_db(transaction=True)
def test_an_edit_racing_the_release_has_one_winner(api_client, account):
    for number in range(8):
        post = scheduled(api_client, account, text=f"original {number}")
        Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))
        outcome = race_release_and_edit(post, f"edited {number}")
        final = Post.objects.get(pk=post.pk)
        if outcome["edit"] == "done":
            assert final.text == f"edited {number}" and final.revision == 2
            assert (final.status, outcome["released"]) in (("scheduled", 0), ("queued", 1))
        else:
            assert outcome["edit"] == "not_editable", outcome
            assert final.status == "queued" and outcome["released"] == 1 and final.text == f"original {number}"
        Post.objects.filter(pk=post.pk).update(status="canceled")  # out of the next round's way
