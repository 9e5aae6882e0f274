"""A workspace's accounts version (database triggers) and the account check it lets a
process reuse: a post's check reads the accounts again as soon as any of them changed,
whoever changed them and however."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import selectors
from accounts.models import AccountsVersion, SocialAccount
from tests import factories


def version(workspace) -> int:
    row = AccountsVersion.objects.filter(workspace=workspace).first()
    return row.version if row else 0


@pytest.mark.django_db
def test_the_version_moves_when_an_account_is_added_deleted_or_changes_health_network_or_mode(workspace):
    other = factories.make_workspace()
    assert version(workspace) == 0
    account = factories.make_account(workspace)
    assert version(workspace) == 1
    steps = (
        {"health": SocialAccount.Health.REQUIRES_RECONNECT},
        {"provider": "linkedin"},
        {"mode": "live"},
    )
    for n, change in enumerate(steps, 2):
        SocialAccount.objects.filter(pk=account.pk).update(**change)  # no save(), no signal
        assert version(workspace) == n, change
    with connection.cursor() as cursor:  # plain SQL too
        cursor.execute("UPDATE accounts_socialaccount SET health = 'active' WHERE id = %s", [account.pk])
    assert version(workspace) == 5
    SocialAccount.objects.filter(pk=account.pk).update(workspace=other)
    assert (version(workspace), version(other)) == (6, 1)  # it left one and joined the other
    SocialAccount.objects.filter(pk=account.pk).delete()
    assert version(other) == 2


@pytest.mark.django_db
def test_the_version_stays_when_only_tokens_leases_or_names_change(workspace):
    account = factories.make_account(workspace)
    before = version(workspace)
    SocialAccount.objects.filter(pk=account.pk).update(
        credentials_encrypted="x", refresh_lease_until=timezone.now(), handle="@new", health_reason="note"
    )
    account.refresh_from_db()
    account.name = "renamed"
    account.save()  # a full save writes every column; the watched ones are unchanged
    assert version(workspace) == before


def post(api_client, account_ids):
    return api_client.post("/v1/posts", {"account_ids": account_ids, "text": "hello"}, format="json")


def account_reads(queries) -> int:
    return sum("accounts_socialaccount" in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT") for q in queries)


@pytest.mark.django_db(transaction=True)  # the check keeps what it reads outside a transaction only
def test_a_check_reuses_the_accounts_it_read_until_one_of_them_changes(api_client, workspace):
    first, second = factories.make_account(workspace), factories.make_account(workspace)
    assert post(api_client, [first.pk, second.pk]).status_code == 202
    with CaptureQueriesContext(connection) as queries:
        assert post(api_client, [first.pk, second.pk]).status_code == 202
    assert account_reads(queries) == 0

    SocialAccount.objects.filter(pk=second.pk).update(health=SocialAccount.Health.REQUIRES_RECONNECT)
    with CaptureQueriesContext(connection) as queries:
        refused = post(api_client, [first.pk, second.pk])
    assert refused.status_code == 400 and account_reads(queries) == 1
    assert refused.json()["errors"][0]["code"] == "account_not_usable"

    third = factories.make_account(workspace)  # connected a moment ago: known at once
    assert post(api_client, [first.pk, third.pk]).status_code == 202
    SocialAccount.objects.filter(pk=third.pk).delete()
    refused = post(api_client, [third.pk])
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "unknown_account"


@pytest.mark.django_db(transaction=True)
def test_an_unknown_account_is_remembered_as_unknown_until_the_accounts_change(api_client, workspace):
    account = factories.make_account(workspace)
    assert post(api_client, ["acc_nope"]).status_code == 400
    with CaptureQueriesContext(connection) as queries:
        assert post(api_client, ["acc_nope"]).status_code == 400
    assert account_reads(queries) == 0
    SocialAccount.objects.filter(pk=account.pk).update(id="acc_nope")  # now it exists
    assert post(api_client, ["acc_nope"]).status_code == 202


@pytest.mark.django_db(transaction=True)
def test_the_check_reads_each_time_without_a_version_or_inside_a_transaction(workspace):
    from django.db import transaction

    from accounts.models import Workspace

    account = factories.make_account(workspace)
    plain = Workspace.objects.get(pk=workspace.pk)  # read without its version
    with_version = Workspace.objects.select_related("accounts_version").get(pk=workspace.pk)
    assert selectors.accounts_version(plain) is None and selectors.accounts_version(with_version) == 1
    for ws in (plain, plain):
        with CaptureQueriesContext(connection) as queries:
            assert list(selectors.social_accounts_usable(workspace=ws, mode="test", ids=[account.pk])) == [account.pk]
        assert account_reads(queries) == 1
    for _ in range(2):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            selectors.social_accounts_usable(workspace=with_version, mode="test", ids=[account.pk])
        assert account_reads(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        for _ in range(2):
            found = selectors.social_accounts_usable(workspace=with_version, mode="test", ids=[account.pk])
    assert account_reads(queries) == 1
    assert (found[account.pk].provider, found[account.pk].health, found[account.pk].workspace_id) == (
        "x",
        "active",
        workspace.pk,
    )
