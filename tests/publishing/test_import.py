"""CSV import: POST /v1/posts/import reads a file of posts (accounts by id or handle, local
times, a text per network, a first comment) into a job; a dry run checks every row and
shows what each network gets without storing a post; a file Dravo cannot read is a 400."""

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from publishing.models import Job, Post
from publishing.services import imports
from publishing.services import jobs as job_services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(workspace):
    return {
        "x": factories.make_account(workspace, provider="x", handle="@acme"),
        "linkedin": factories.make_account(workspace, provider="linkedin", handle="acme-corp"),
        "facebook": factories.make_account(workspace, provider="facebook", handle="acmepage"),
    }


def csv_file(rows: list[list[str]]) -> io.BytesIO:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    data = io.BytesIO(out.getvalue().encode())
    data.name = "posts.csv"
    return data


def local_tomorrow(hour=9) -> str:
    return (timezone.now() + timedelta(days=2)).strftime(f"%Y-%m-%d {hour:02d}:00")


def upload(api_client, rows, capture, **fields):
    with capture() as callbacks:
        response = api_client.post("/v1/posts/import", {"file": csv_file(rows), **fields}, format="multipart")
    assert response.status_code == 202, response.content
    assert len(callbacks) == 1
    job_services.job_run(job_id=response.json()["job_id"])
    return api_client.get(f"/v1/jobs/{response.json()['job_id']}").json()


def test_each_row_becomes_a_post_with_handles_local_times_network_texts_and_a_first_comment(
    api_client, accounts, django_capture_on_commit_callbacks
):
    when = local_tomorrow()
    rows = [
        ["text", "accounts", "scheduled_at", "time_zone", "x_text", "first_comment", "draft"],
        ["Spring sale", "@acme, acme-corp", when, "Europe/Paris", "Sale! #spring", "Details inside", ""],
        ["An idea", accounts["facebook"].pk, "", "", "", "", "yes"],
        ["Later", "acmepage", when, "", "", "", ""],
    ]
    job = upload(api_client, rows, django_capture_on_commit_callbacks, time_zone="America/New_York")
    assert (job["kind"], job["status"], job["total"], job["done"], job["failed"]) == ("import", "completed", 3, 3, 0)
    first, idea, later = (Post.objects.get(pk=r["post_id"]) for r in job["results"])

    assert first.status == "scheduled" and first.account_ids == [accounts["x"].pk, accounts["linkedin"].pk]
    assert first.scheduled_at.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%d %H:%M") == when
    # X gets its own text; the first comment goes to the networks that take one (not X).
    assert first.platform_options == {
        "x": {"text": "Sale! #spring"},
        "linkedin": {"first_comment": "Details inside"},
    }
    assert idea.status == "draft" and idea.text == "An idea"
    # No zone in the row: the request's.
    ny = later.scheduled_at.astimezone(ZoneInfo("America/New_York"))
    assert ny.strftime("%Y-%m-%d %H:%M") == when


def test_rows_with_problems_are_reported_by_column_and_the_others_are_made(
    api_client, accounts, workspace, django_capture_on_commit_callbacks
):
    factories.make_account(workspace, provider="mastodon", handle="acme")  # "@acme" is now on two networks
    rows = [
        ["text", "accounts", "scheduled_at", "queue"],
        ["ok", "x:acme", "", ""],
        ["who", "@nobody", "", ""],
        ["twice", "acme", "", ""],
        ["when", "acme-corp", "next tuesday", ""],
        ["flag", "acme-corp", "", "maybe"],
        ["x" * 300, "x:acme", "", ""],
        ["both", "acme-corp", local_tomorrow(), "true"],
    ]
    job = upload(api_client, rows, django_capture_on_commit_callbacks)
    assert (job["done"], job["failed"]) == (1, 6)
    by_index = {r["index"]: r for r in job["results"]}
    assert Post.objects.get(pk=by_index[0]["post_id"]).account_ids == [accounts["x"].pk]
    attrs = {i: [(e["attr"], e["code"]) for e in r.get("errors", [])] for i, r in by_index.items()}
    assert attrs[1] == [("accounts.0", "not_found")]
    assert attrs[2] == [("accounts.0", "not_found")]
    assert "network:handle" in by_index[2]["errors"][0]["detail"]
    assert attrs[3] == [("scheduled_at", "invalid")]
    assert attrs[4] == [("queue", "invalid")]
    assert attrs[5][0][0] == "text"  # refused by the create's own checks (X's 280)
    assert attrs[6] == [("queue", "invalid")]
    assert Post.objects.count() == 1


def test_a_dry_run_stores_nothing_and_shows_what_each_network_gets(
    api_client, accounts, django_capture_on_commit_callbacks
):
    rows = [
        ["text", "accounts", "linkedin_text"],
        ["Hello all", "@acme acme-corp", "Hello, network"],
        ["y" * 300, "@acme", ""],
    ]
    job = upload(api_client, rows, django_capture_on_commit_callbacks, dry_run="true")
    assert (job["dry_run"], job["status"], job["done"], job["failed"]) == (True, "completed", 1, 1)
    assert job["results"][0]["previews"] == [
        {"account_id": accounts["x"].pk, "provider": "x", "text": "Hello all"},
        {"account_id": accounts["linkedin"].pk, "provider": "linkedin", "text": "Hello, network"},
    ]
    assert job["results"][1]["errors"][0]["attr"] == "text"
    assert not Post.objects.exists() and Job.objects.get().dry_run


@pytest.mark.parametrize(
    "data, needle",
    [
        (b"text,accounts,colour\nhi,@acme,red\n", "Unknown column(s): colour"),
        (b"text,scheduled_at\nhi,\n", "at least accounts and text"),
        (b"text,accounts\n", "No rows"),
        ("text,accounts\ncaf\xe9,@acme\n".encode("latin-1"), "UTF-8"),
        (b"text,accounts\n" + b"hi,@acme\n" * 501, "At most 500 rows"),
        (b"text,accounts\nhi,@acme,extra\n", "more cells"),
    ],
)
def test_a_file_dravo_cannot_read_is_a_400_naming_file(api_client, accounts, data, needle):
    upload_file = io.BytesIO(data)
    upload_file.name = "posts.csv"
    response = api_client.post("/v1/posts/import", {"file": upload_file}, format="multipart")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["attr"] == "file" and needle in error["detail"]
    assert not Job.objects.exists()


def test_a_missing_file_or_an_unknown_zone_is_a_400(api_client, accounts):
    response = api_client.post("/v1/posts/import", {}, format="multipart")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "file"
    rows = [["text", "accounts"], ["hi", "@acme"]]
    response = api_client.post(
        "/v1/posts/import", {"file": csv_file(rows), "time_zone": "Mars/Base"}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "time_zone"
    response = api_client.post("/v1/posts/import", {"posts": []}, format="json")
    assert response.status_code == 415


def test_the_template_lists_every_column_and_imports_as_it_is(api_client, accounts, django_capture_on_commit_callbacks):
    response = api_client.get("/v1/posts/import/template", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, *examples = list(csv.reader(io.StringIO(response.content.decode())))
    assert header[:8] == list(imports.IMPORT_COLUMNS)
    assert "x_text" in header and "linkedin_text" in header
    assert "youtube_text" not in header  # its options take a title and a description, not a text
    assert len(examples) == 2 and all(len(row) == len(header) for row in examples)
    # The template's own header, with one real row, imports.
    row = dict.fromkeys(header, "")
    row.update(text="From the template", accounts="@acme")
    job = upload(api_client, [header, [row[c] for c in header]], django_capture_on_commit_callbacks)
    assert job["done"] == 1


def test_a_local_time_that_does_not_exist_moves_to_the_end_of_the_gap(workspace, accounts):
    found = imports._Accounts(workspace=workspace, mode="test")
    row = {"text": "t", "accounts": "@acme", "scheduled_at": "2027-03-28 02:30", "time_zone": "Europe/Paris"}
    body = imports.import_row_body(row, accounts=found, default_zone="UTC")
    assert body["scheduled_at"] == "2027-03-28T01:00:00+00:00"  # 03:00 in Paris, the first time that exists
    row["scheduled_at"] = "2027-10-31 02:30"  # happens twice: the first (summer time)
    assert (
        imports.import_row_body(row, accounts=found, default_zone="UTC")["scheduled_at"] == "2027-10-31T00:30:00+00:00"
    )
    row["scheduled_at"] = "2027-10-31T02:30:00+02:00"  # an offset is taken as given
    assert (
        imports.import_row_body(row, accounts=found, default_zone="UTC")["scheduled_at"] == "2027-10-31T02:30:00+02:00"
    )
