"""The SDK against a live Dravo (pytest-django's live_server), tasks run eagerly."""

import httpx
import pytest
from dravo_sdk import Dravo, errors
from dravo_sdk.models import PostAccepted, PostDetail, SocialAccount

from tests import factories, media_files
from tests.sdk.conftest import sandbox_account

pytestmark = [pytest.mark.django_db(transaction=True)]


class CountingTransport(httpx.HTTPTransport):
    def __init__(self):
        super().__init__()
        self.paths = []

    def handle_request(self, request):
        self.paths.append(request.url.path + ("?" + request.url.query.decode() if request.url.query else ""))
        return super().handle_request(request)


def test_accounts_list_answers_the_workspaces_accounts_as_models(dravo, workspace):
    made = {sandbox_account(workspace, handle="@one").pk, sandbox_account(workspace, handle="@two").pk}
    accounts = list(dravo.accounts.list())
    assert {a.id for a in accounts} == made
    assert all(isinstance(a, SocialAccount) and a.health == "active" and a.mode == "test" for a in accounts)
    assert dravo.accounts.get(accounts[0].id).handle == accounts[0].handle


def test_a_created_post_is_accepted_then_read_with_its_results(dravo, workspace, eager_tasks):
    account = sandbox_account(workspace)
    accepted = dravo.posts.create(text="Shipping the SDK", account_ids=[account.pk], idempotency_key="sdk-launch")
    assert isinstance(accepted, PostAccepted) and accepted.id.startswith("post_")

    post = dravo.posts.get(accepted.id)
    assert isinstance(post, PostDetail) and post.status == "published" and post.is_final
    [result] = post.results
    assert result.account_id == account.pk and result.status == "published" and result.platform_post_id
    again = dravo.posts.create(text="Shipping the SDK", account_ids=[account.pk], idempotency_key="sdk-launch")
    assert again.id == accepted.id


def test_a_refused_create_raises_validation_error_naming_the_field(dravo, workspace):
    account = sandbox_account(workspace)
    with pytest.raises(errors.ValidationError) as raised:
        dravo.posts.create(text="Hello", account_ids=[account.pk, "acc_doesnotexist"])
    assert raised.value.status_code == 400
    assert "account_ids.1" in {item.attr for item in raised.value.errors}


def test_posts_list_iterates_over_every_page(sandbox, api_key, workspace):
    account = sandbox_account(workspace)
    made = [factories.make_post(workspace, [account], text=f"post {n}").pk for n in range(5)]
    transport = CountingTransport()
    with Dravo(sandbox, api_key, transport=transport) as client:
        seen = [post.id for post in client.posts.list(limit=2)]
    assert seen == list(reversed(made))  # newest first, no repeat, no gap
    assert len(transport.paths) == 3 and "cursor=" in transport.paths[1] and "cursor=" in transport.paths[2]


def test_posts_list_filters_by_status(dravo, workspace):
    account = sandbox_account(workspace)
    draft = dravo.posts.create(text="Later", account_ids=[account.pk], draft=True)
    factories.make_post(workspace, [account], text="now")
    assert [post.id for post in dravo.posts.list(status="draft")] == [draft.id]


def test_a_draft_is_edited_with_its_revision_then_published(dravo, workspace, eager_tasks):
    account = sandbox_account(workspace)
    draft = dravo.posts.create(text="Draft", account_ids=[account.pk], draft=True)
    assert draft.status == "draft"
    edited = dravo.posts.update(draft.id, text="Draft, fixed", if_match=draft.revision)
    assert edited.text == "Draft, fixed" and edited.revision == draft.revision + 1
    with pytest.raises(errors.PreconditionFailed):
        dravo.posts.update(draft.id, text="stale", if_match=draft.revision)
    dravo.posts.publish(draft.id)
    assert dravo.posts.get(draft.id).status == "published"


def test_validate_reports_without_creating(dravo, workspace):
    account = sandbox_account(workspace)
    assert dravo.posts.validate(text="Fine", account_ids=[account.pk]).valid is True
    assert list(dravo.posts.list()) == []


def test_a_bulk_job_is_followed_to_completion(dravo, workspace, eager_tasks):
    account = sandbox_account(workspace)
    accepted = dravo.posts.bulk([{"text": "one", "account_ids": [account.pk]},
                                 {"text": "", "account_ids": [account.pk]}])
    job = dravo.jobs.wait(accepted.job_id, interval=0.05, timeout=30)
    assert job.status == "completed" and (job.total, job.done, job.failed) == (2, 1, 1)
    assert job.results[0].post_id and job.results[1].errors[0].attr == "text"


def test_whoami_health_and_a_missing_post(dravo, workspace):
    me = dravo.whoami()
    assert me.workspace == workspace.name and me.mode == "test"
    assert dravo.health().status in {"ok", "degraded"}
    with pytest.raises(errors.NotFound):
        dravo.posts.get("post_nope")


def test_media_upload_is_listed_and_read_back(dravo, tmp_path):
    path = tmp_path / "dot.png"
    path.write_bytes(media_files.png(size=(32, 24)))
    media = dravo.media.upload(path)
    assert media.kind == "image" and media.mime_type == "image/png" and (media.width, media.height) == (32, 24)
    assert [m.id for m in dravo.media.list()] == [media.id]
    assert dravo.media.get(media.id).url == media.url
