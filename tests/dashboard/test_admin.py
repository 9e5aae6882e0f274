"""The staff admin: every model listed, secrets never shown, the actions call the services."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from accounts import services as account_services
from accounts.models import SocialAccount
from publishing import services as post_services
from publishing.models import Delivery, Post
from tests import factories

CHANGELISTS = [
    "accounts/workspace", "accounts/membership", "accounts/apikey", "accounts/socialaccount", "accounts/connectlink",
    "publishing/post", "publishing/delivery", "publishing/idempotencykey", "publishing/media",
    "sandbox/sandboxrecord", "analytics/postmetrics", "analytics/metricssnapshot",
]  # fmt: skip


@pytest.fixture
def staff():
    user = get_user_model().objects.create_superuser("root", "root@example.com", "root-pass-123")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", CHANGELISTS)
def test_every_model_has_a_changelist_with_search(staff, path):
    response = staff.get(f"/admin/{path}/?q=anything")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_social_accounts_credentials_are_never_shown(staff, workspace):
    account = factories.make_account(workspace, provider="x", credentials={"access_token": "very-secret-token"})
    page = staff.get(f"/admin/accounts/socialaccount/{account.pk}/change/").content.decode()
    assert account.handle in page
    assert account.credentials_encrypted not in page and "very-secret-token" not in page
    assert "credentials_encrypted" not in page


@pytest.mark.django_db
def test_staff_cannot_delete_a_social_account_only_disconnect_it(staff, workspace):
    account = factories.make_account(workspace, provider="x")
    assert staff.get(f"/admin/accounts/socialaccount/{account.pk}/delete/").status_code == 403
    staff.post("/admin/accounts/socialaccount/", {"action": "delete_selected", "_selected_action": [account.pk]})
    assert SocialAccount.objects.filter(pk=account.pk).exists()


@pytest.mark.django_db
def test_a_connect_links_token_hash_is_never_shown(staff, workspace):
    link, _ = account_services.connect_link_create(workspace=workspace, mode="test", provider="x")
    page = staff.get(f"/admin/accounts/connectlink/{link.pk}/change/").content.decode()
    assert link.token_hash not in page


@pytest.mark.django_db
def test_the_cancel_action_cancels_scheduled_posts(staff, workspace):
    account = factories.make_account(workspace, provider="x")
    post = post_services.post_create(
        workspace=workspace,
        mode="test",
        account_ids=[account.id],
        text="later",
        scheduled_at=timezone.now() + timedelta(days=1),
    )
    staff.post("/admin/publishing/post/", {"action": "cancel_scheduled", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert post.status == "canceled"


@pytest.mark.django_db
def test_the_retry_action_rearms_failed_deliveries(staff, workspace):
    account = factories.make_account(workspace, provider="x")
    post = factories.make_post(workspace, [account], text="again")
    Delivery.objects.filter(post=post).update(status="failed")
    Post.objects.filter(pk=post.pk).update(status="failed")
    staff.post("/admin/publishing/post/", {"action": "retry_failed", "_selected_action": [post.pk]})
    assert Delivery.objects.get(post=post).status == "pending"


@pytest.mark.django_db
def test_the_disable_action_disables_a_workspace(staff, workspace):
    staff.post("/admin/accounts/workspace/", {"action": "disable_workspaces", "_selected_action": [workspace.pk]})
    workspace.refresh_from_db()
    assert workspace.is_active is False


@pytest.mark.django_db(transaction=True)
def test_the_force_refresh_action_refreshes_tokens_with_the_sandbox(sandbox, workspace):
    user = get_user_model().objects.create_superuser("root2", "root2@example.com", "root-pass-123")
    staff = Client()
    staff.force_login(user)
    account = factories.make_account(workspace, provider="x", credentials={"access_token": "a", "refresh_token": "r"})
    response = staff.post(
        "/admin/accounts/socialaccount/",
        {"action": "force_token_refresh", "_selected_action": [account.pk]},
        follow=True,
    )
    assert "Refreshed 1 account(s)." in response.content.decode()
    account.refresh_from_db()
    assert account.refreshed_at is not None


@pytest.mark.django_db
def test_a_posts_targets_are_shown_but_not_editable(staff, workspace):
    account = factories.make_account(workspace, provider="x", handle="@target")
    post = factories.make_post(workspace, [account], text="targets")
    page = staff.get(f"/admin/publishing/post/{post.pk}/change/").content.decode()
    assert account.pk in page and 'name="targets"' not in page
