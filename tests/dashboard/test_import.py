"""The dashboard's CSV import: upload a file to check it or import it, follow the job on a
page that polls its progress until it is done, import what a check passed."""

import io

import pytest

from publishing.models import Job, Post
from publishing.services import jobs as job_services
from tests import factories
from tests.dashboard.conftest import login_as

pytestmark = pytest.mark.django_db

CSV = b"text,accounts,linkedin_text\nHello,@acme acme-corp,Hello network\nToo long " + b"y" * 300 + b",@acme,\n"


@pytest.fixture
def accounts(workspace):
    return [
        factories.make_account(workspace, provider="x", handle="@acme"),
        factories.make_account(workspace, provider="linkedin", handle="acme-corp"),
    ]


def upload(client, data: bytes, action: str):
    upload_file = io.BytesIO(data)
    upload_file.name = "posts.csv"
    return client.post("/import/", {"file": upload_file, "action": action, "time_zone": "Europe/Paris"})


def test_a_check_shows_each_row_and_what_each_network_gets_then_imports_what_passed(
    browser_client, accounts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = upload(browser_client, CSV, "check")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}"
    assert job.dry_run and job.kind == "import"

    waiting = browser_client.get(f"/jobs/{job.pk}")
    assert b"Waiting for a worker" in waiting.content and b'hx-trigger="every 1s"' in waiting.content

    job_services.job_run(job_id=job.pk)
    page = browser_client.get(f"/jobs/{job.pk}?fragment=progress").content.decode()
    assert "hx-trigger" not in page  # done: polling stops
    assert "Checked 2 rows: 1 would be posted, 1 with problems." in page
    assert "Hello network" in page and "LinkedIn" in page and "<code>text</code>" in page
    assert not Post.objects.exists()

    with django_capture_on_commit_callbacks(execute=False):
        response = browser_client.post(f"/jobs/{job.pk}/import")
    imported = Job.objects.exclude(pk=job.pk).get()
    assert response["Location"] == f"/jobs/{imported.pk}" and not imported.dry_run
    job_services.job_run(job_id=imported.pk)
    page = browser_client.get(f"/jobs/{imported.pk}").content.decode()
    assert "Done: 1 post made, 1 row refused." in page
    post = Post.objects.get()
    assert f'href="/posts/{post.pk}"' in page and post.platform_options == {"linkedin": {"text": "Hello network"}}


def test_an_unreadable_file_is_shown_on_the_form(browser_client, accounts):
    response = upload(browser_client, b"text,accounts,colour\nhi,@acme,red\n", "check")
    assert response.status_code == 400
    assert b"Unknown column(s): colour" in response.content and not Job.objects.exists()
    response = browser_client.post("/import/", {"action": "check"})
    assert response.status_code == 400 and b"Choose a CSV file." in response.content


def test_only_a_finished_check_can_be_imported_and_jobs_are_the_workspace_s_own(
    browser_client, accounts, workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        upload(browser_client, CSV, "import")
    job = Job.objects.get()
    assert not job.dry_run
    browser_client.post(f"/jobs/{job.pk}/import")
    assert Job.objects.count() == 1  # not a check: nothing more

    other = factories.make_workspace(name="Other")
    stranger = login_as(factories.make_user(other, username="sam"))
    assert stranger.get(f"/jobs/{job.pk}").status_code == 404
    assert stranger.post(f"/jobs/{job.pk}/import").status_code == 404


def test_the_template_downloads_from_the_dashboard(browser_client):
    response = browser_client.get("/import/template.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"text,accounts,scheduled_at,time_zone,queue,media_urls,first_comment,draft")
