"""Bulk creates: POST /v1/posts/bulk answers a job at once; a worker makes each post as a
single create would (atomic: none unless all pass); GET /v1/jobs/{id} shows the progress
and per index the post or its errors; a job whose worker died goes on where it stopped."""

from datetime import timedelta

import pytest
from django.utils import timezone

from publishing.models import Job, Post
from publishing.services import jobs as job_services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(workspace):
    return factories.make_account(workspace, provider="x", handle="@bulk")


def later(hours=2) -> str:
    return (timezone.now() + timedelta(hours=hours)).isoformat()


def body(account, text="hello", **fields):
    return {"account_ids": [account.pk], "text": text, "scheduled_at": later(), **fields}


def send(api_client, posts, capture, **fields):
    with capture() as callbacks:
        response = api_client.post("/v1/posts/bulk", {"posts": posts, **fields}, format="json")
    assert response.status_code == 202, response.content
    return response.json(), callbacks


def run(job_id: str):
    job_services.job_run(job_id=job_id)
    return Job.objects.get(pk=job_id)


def test_each_post_is_made_as_a_single_create_and_the_job_reports_per_index(
    api_client, account, django_capture_on_commit_callbacks
):
    posts = [body(account, "first"), body(account, " "), body(account, "third", draft=True), {"text": 3}]
    answer, callbacks = send(api_client, posts, django_capture_on_commit_callbacks)
    assert answer["status"] == "pending" and answer["total"] == 4 and answer["job_id"].startswith("job_")
    assert len(callbacks) == 1 and not Post.objects.exists()  # one message; the worker makes the posts
    pending = api_client.get(f"/v1/jobs/{answer['job_id']}").json()
    assert (pending["status"], pending["done"], pending["results"]) == ("pending", 0, [])

    run(answer["job_id"])
    job = api_client.get(f"/v1/jobs/{answer['job_id']}").json()
    assert (job["status"], job["total"], job["done"], job["failed"]) == ("completed", 4, 2, 2)
    by_index = {r["index"]: r for r in job["results"]}
    assert Post.objects.get(pk=by_index[0]["post_id"]).status == "scheduled"
    assert Post.objects.get(pk=by_index[2]["post_id"]).status == "draft"
    assert by_index[1]["errors"] == [{"code": "blank", "detail": "Text cannot be blank.", "attr": "text"}]
    assert {e["attr"] for e in by_index[3]["errors"]} == {"account_ids", "text"}
    assert job["finished_at"] is not None


def test_an_atomic_job_stores_nothing_unless_every_post_passes(api_client, account, django_capture_on_commit_callbacks):
    answer, _ = send(
        api_client, [body(account, "ok"), body(account, "x" * 300)], django_capture_on_commit_callbacks, atomic=True
    )
    job = run(answer["job_id"])
    assert job.status == "failed" and job.done == 0 and job.failed == 1
    assert [r["index"] for r in job.results] == [1] and job.results[0]["errors"][0]["attr"] == "text"
    assert not Post.objects.exists()

    answer, _ = send(
        api_client, [body(account, "one"), body(account, "two")], django_capture_on_commit_callbacks, atomic=True
    )
    job = run(answer["job_id"])
    assert job.status == "completed" and job.done == 2
    assert sorted(Post.objects.values_list("text", flat=True)) == ["one", "two"]


def test_the_same_idempotency_key_answers_the_same_job(api_client, account, django_capture_on_commit_callbacks):
    headers, payload = {"HTTP_IDEMPOTENCY_KEY": "bulk-once"}, {"posts": [body(account)]}
    with django_capture_on_commit_callbacks():
        first = api_client.post("/v1/posts/bulk", payload, format="json", **headers)
        again = api_client.post("/v1/posts/bulk", payload, format="json", **headers)
    assert first.status_code == again.status_code == 202
    assert first.json()["job_id"] == again.json()["job_id"] and Job.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "attr"),
    [
        ({"posts": []}, "posts"),
        ({"posts": "many"}, "posts"),
        ({}, "posts"),
        ({"posts": [{}], "atomic": "maybe"}, "atomic"),
    ],
)
def test_a_bad_bulk_request_is_a_400_naming_the_field(api_client, payload, attr):
    response = api_client.post("/v1/posts/bulk", payload, format="json")
    assert response.status_code == 400 and attr in {e["attr"] for e in response.json()["errors"]}
    assert not Job.objects.exists()


def test_more_than_500_posts_is_a_400(api_client, account):
    response = api_client.post("/v1/posts/bulk", {"posts": [body(account)] * 501}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "posts"


def test_a_job_of_another_workspace_is_not_found(api_client, account):
    theirs = Job.objects.create(workspace=factories.make_workspace(), mode="test", bodies=[], total=0)
    response = api_client.get(f"/v1/jobs/{theirs.pk}")
    assert response.status_code == 404 and response.json()["errors"][0]["code"] == "not_found"


def test_a_job_whose_worker_died_goes_on_after_its_last_committed_chunk_without_doubles(
    api_client, account, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(job_services, "CHUNK", 2)
    answer, _ = send(api_client, [body(account, f"post {n}") for n in range(5)], django_capture_on_commit_callbacks)
    made = job_services.PostMaker.make
    calls = []

    def dies_at_the_fourth(maker, body):
        calls.append(body["text"])
        if len(calls) == 4:
            raise SystemExit("worker killed")
        return made(maker, body)

    monkeypatch.setattr(job_services.PostMaker, "make", dies_at_the_fourth)
    with pytest.raises(SystemExit):
        job_services.job_run(job_id=answer["job_id"])
    job = Job.objects.get(pk=answer["job_id"])
    assert job.status == "running" and job.done == 2 and Post.objects.count() == 2  # chunk 2 rolled back
    assert job_services.job_run(job_id=job.pk) is None  # its lease still holds: no one else runs it
    assert job_services.jobs_resume_stale() == 0

    Job.objects.filter(pk=job.pk).update(
        leased_until=timezone.now() - timedelta(seconds=1), created_at=timezone.now() - timedelta(minutes=1)
    )
    monkeypatch.setattr(job_services.PostMaker, "make", made)
    with django_capture_on_commit_callbacks(execute=False), monkeypatch.context() as patched:
        sent = []
        patched.setattr(job_services.job_run_task, "delay", sent.append)
        assert job_services.jobs_resume_stale() == 1 and sent == [job.pk]
    job = run(job.pk)
    assert (job.status, job.done, job.failed) == ("completed", 5, 0)
    assert [r["index"] for r in job.results] == [0, 1, 2, 3, 4]
    assert sorted(Post.objects.values_list("text", flat=True)) == [f"post {n}" for n in range(5)]
    assert job_services.job_run(job_id=job.pk) is None  # finished: a redelivered message does nothing
