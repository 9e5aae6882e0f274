"""The `dravo` command against a live Dravo: tables for people, `--json` for scripts."""

import json
import os
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest
from django.core.signals import request_finished
from django.db import connection
from django.utils import timezone
from dravo_sdk import Dravo
from dravo_sdk.cli import app
from typer.testing import CliRunner

from publishing.models import Delivery
from publishing.services import post_refresh_status
from tests import factories, media_files
from tests.sdk.conftest import sandbox_account

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dravo_cli(sandbox, api_key, tmp_path):
    """Runs `dravo …` in-process with DRAVO_URL and DRAVO_API_KEY set; answers the result."""
    env = {"DRAVO_URL": sandbox, "DRAVO_API_KEY": api_key, "DRAVO_CONFIG": str(tmp_path / "none.toml"),
           "COLUMNS": "200"}

    def run(*args: str):
        return CliRunner(env=env).invoke(app, list(args))

    return run


def test_accounts_prints_a_table_and_json(dravo_cli, workspace):
    account = sandbox_account(workspace, handle="@cli_one")
    table = dravo_cli("accounts")
    assert table.exit_code == 0 and account.pk in table.stdout and "@cli_one" in table.stdout
    listed = json.loads(dravo_cli("accounts", "--json").stdout)
    assert [(a["id"], a["handle"], a["health"]) for a in listed] == [(account.pk, "@cli_one", "active")]


def test_post_uploads_its_media_and_is_published(dravo_cli, workspace, eager_tasks, tmp_path, sandbox, api_key):
    account = sandbox_account(workspace)
    picture = tmp_path / "launch.jpg"
    picture.write_bytes(media_files.jpeg(size=(320, 320)))
    result = dravo_cli("post", "Launch day", "--to", account.pk, "--media", str(picture), "--json")
    assert result.exit_code == 0, result.output
    accepted = json.loads(result.stdout)
    post = Dravo(sandbox, api_key).posts.get(accepted["id"])
    [media] = Dravo(sandbox, api_key).media.list()
    assert post.status == "published" and post.media_urls == [media.url] and media.mime_type == "image/jpeg"


def test_post_at_a_local_time_is_scheduled_at_that_instant(dravo_cli, workspace):
    account = sandbox_account(workspace)
    result = dravo_cli("post", "New year", "--to", account.pk, "--at", "2027-01-04 09:00", "--tz", "Europe/Paris")
    assert result.exit_code == 0, result.output
    assert "scheduled" in result.stdout and "2027-01-04 09:00 Europe/Paris (08:00 UTC)" in result.stdout
    scheduled = json.loads(dravo_cli("posts", "--status", "scheduled", "--json").stdout)
    assert [p["scheduled_at"] for p in scheduled] == ["2027-01-04T08:00:00Z"]


def test_post_as_draft_and_an_unreadable_time(dravo_cli, workspace):
    account = sandbox_account(workspace)
    draft = json.loads(dravo_cli("post", "Someday", "--to", account.pk, "--draft", "--json").stdout)
    assert draft["status"] == "draft"
    refused = dravo_cli("post", "When?", "--to", account.pk, "--at", "the day after never")
    assert refused.exit_code == 2 and "cannot read 'the day after never'" in refused.stderr


def test_an_api_error_prints_its_items_and_exits_1(dravo_cli, workspace):
    account = sandbox_account(workspace)
    result = dravo_cli("post", "Hello", "--to", account.pk, "--to", "acc_doesnotexist")
    assert result.exit_code == 1
    assert "HTTP 400" in result.stderr and "account_ids.1:" in result.stderr
    as_json = dravo_cli("post", "Hello", "--to", "acc_doesnotexist", "--json")
    body = json.loads(as_json.stdout)
    assert as_json.exit_code == 1 and body["status"] == 400 and body["errors"][0]["attr"] == "account_ids.0"


def test_posts_lists_only_the_status_asked(dravo_cli, workspace, eager_tasks, sandbox, api_key):
    good, bad = sandbox_account(workspace), sandbox_account(workspace, behavior="rejects")
    client = Dravo(sandbox, api_key)
    client.posts.create(text="fine", account_ids=[good.pk])
    failed = client.posts.create(text="refused", account_ids=[bad.pk])
    listed = json.loads(dravo_cli("posts", "--status", "failed", "--json").stdout)
    assert [(p["id"], p["status"]) for p in listed] == [(failed.id, "failed")]
    table = dravo_cli("posts", "--status", "failed")
    assert failed.id in table.stdout and "refused" in table.stdout and "fine" not in table.stdout


def test_watch_follows_a_post_until_it_is_published(dravo_cli, workspace):
    account = sandbox_account(workspace)
    post = factories.make_post(workspace, [account], text="Watch me")
    post.deliveries.update(status=Delivery.Status.PROCESSING, attempts=1)
    post_refresh_status(post_id=post.pk)
    first_read = threading.Event()
    request_finished.connect(lambda **kwargs: first_read.set(), weak=False, dispatch_uid="sdk-watch")

    def publish_once_watched():
        first_read.wait(20)
        post.deliveries.update(status=Delivery.Status.PUBLISHED, platform_post_url="https://example.com/p/1",
                               published_at=timezone.now())
        post_refresh_status(post_id=post.pk)
        connection.close()

    publisher = threading.Thread(target=publish_once_watched)
    publisher.start()
    try:
        result = dravo_cli("watch", post.pk, "--interval", "0.2", "--timeout", "20")
    finally:
        publisher.join()
        request_finished.disconnect(dispatch_uid="sdk-watch")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    processing = next(i for i, line in enumerate(lines) if f"{account.pk}: processing" in line)
    published = next(i for i, line in enumerate(lines) if f"{account.pk}: published" in line)
    assert processing < published and "https://example.com/p/1" in result.stdout


def test_watch_exits_1_on_a_failed_post_and_prints_json(dravo_cli, workspace, eager_tasks, sandbox, api_key):
    account = sandbox_account(workspace, behavior="rejects")
    failed = Dravo(sandbox, api_key).posts.create(text="refused", account_ids=[account.pk])
    result = dravo_cli("watch", failed.id, "--json")
    body = json.loads(result.stdout)
    assert result.exit_code == 1 and body["status"] == "failed" and body["results"][0]["error"]


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("text,accounts\n" + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_import_dry_run_follows_the_job_and_prints_each_row(dravo_cli, workspace, eager_tasks, tmp_path):
    account = sandbox_account(workspace)
    csv = write_csv(tmp_path / "posts.csv", [f"First row,{account.pk}", f"Second row,{account.pk}"])
    result = dravo_cli("import", str(csv), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2/2" in result.stderr  # the progress bar, at its end
    assert "(dry run)" in result.stdout and result.stdout.count("passes") == 2 and "2 of 2 rows pass" in result.stdout
    as_json = json.loads(dravo_cli("import", str(csv), "--dry-run", "--json").stdout)
    assert as_json["dry_run"] is True and as_json["status"] == "completed" and as_json["done"] == 2
    assert [r["previews"][0]["account_id"] for r in as_json["results"]] == [account.pk, account.pk]
    assert json.loads(dravo_cli("posts", "--json").stdout) == []  # a dry run makes no post


def test_import_names_a_refused_rows_problem_and_exits_1(dravo_cli, workspace, eager_tasks, tmp_path):
    account = sandbox_account(workspace)
    csv = write_csv(tmp_path / "posts.csv", [f"Good row,{account.pk}", "Bad row,acc_doesnotexist"])
    result = dravo_cli("import", str(csv))
    assert result.exit_code == 1
    assert "refused" in result.stdout and "accounts" in result.stdout and "1 of 2 rows made, 1 refused" in result.stdout
    assert [p["text"] for p in json.loads(dravo_cli("posts", "--json").stdout)] == ["Good row"]


def test_the_installed_dravo_command_runs_with_the_environments_settings(sandbox, api_key, workspace, tmp_path):
    account = sandbox_account(workspace)
    command = Path(sys.executable).with_name("dravo")
    env = {**os.environ, "DRAVO_URL": sandbox, "DRAVO_API_KEY": api_key, "DRAVO_CONFIG": str(tmp_path / "no.toml"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "clients/python/src")}
    done = subprocess.run([str(command), "accounts", "--json"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert [a["id"] for a in json.loads(done.stdout)] == [account.pk]


def test_a_named_profile_of_the_config_file_is_used(sandbox, api_key, workspace, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[default]\nurl = "{sandbox}"\napi_key = "dra_test_wrong"\n\n'
                      f'[local]\nurl = "{sandbox}"\napi_key = "{api_key}"\n')
    runner = CliRunner(env={"DRAVO_CONFIG": str(config), "DRAVO_URL": None, "DRAVO_API_KEY": None})
    me = runner.invoke(app, ["--profile", "local", "whoami", "--json"])
    assert me.exit_code == 0 and json.loads(me.stdout)["workspace"] == workspace.name
    refused = runner.invoke(app, ["whoami"])  # the default profile's key
    assert refused.exit_code == 1 and "HTTP 401" in refused.stderr


def test_without_a_key_the_command_says_where_to_put_one(tmp_path):
    runner = CliRunner(env={"DRAVO_CONFIG": str(tmp_path / "none.toml"), "DRAVO_URL": None, "DRAVO_API_KEY": None})
    result = runner.invoke(app, ["accounts"])
    assert result.exit_code == 2 and "no API key" in result.stderr


def test_post_to_the_queue_takes_the_next_slot(dravo_cli, workspace, sandbox, api_key):
    account = sandbox_account(workspace)
    Dravo(sandbox, api_key).queues.set(account.pk, time_zone="UTC", slots=[{"day": "wed", "time": "10:00"}])
    accepted = json.loads(dravo_cli("post", "Queued", "--to", account.pk, "--queue", "--json").stdout)
    scheduled = datetime.fromisoformat(accepted["scheduled_at"].replace("Z", "+00:00"))
    assert (scheduled.weekday(), scheduled.hour, scheduled.minute) == (2, 10, 0)


def test_show_prints_a_post_s_results_once(dravo_cli, workspace, eager_tasks, sandbox, api_key):
    account = sandbox_account(workspace)
    post = Dravo(sandbox, api_key).posts.create(text="Shown", account_ids=[account.pk])
    link = Dravo(sandbox, api_key).posts.get(post.id).results[0].platform_post_url
    table = dravo_cli("show", post.id)
    assert table.exit_code == 0, table.output
    assert f"{post.id}: published" in table.stdout and account.pk in table.stdout and link in table.stdout
    body = json.loads(dravo_cli("show", post.id, "--json").stdout)
    assert [(r["account_id"], r["status"]) for r in body["results"]] == [(account.pk, "published")]
    missing = dravo_cli("show", "post_doesnotexist")
    assert missing.exit_code == 1 and "HTTP 404" in missing.stderr


def test_cancel_a_scheduled_post_and_publish_a_draft(dravo_cli, workspace, sandbox, api_key):
    account = sandbox_account(workspace)
    client = Dravo(sandbox, api_key)
    scheduled = client.posts.create(text="Later", account_ids=[account.pk], scheduled_at="2030-01-01T09:00:00Z")
    canceled = dravo_cli("cancel", scheduled.id)
    assert canceled.exit_code == 0 and f"{scheduled.id}: canceled" in canceled.stdout
    assert client.posts.get(scheduled.id).status == "canceled"
    again = json.loads(dravo_cli("cancel", scheduled.id, "--json").stdout)  # a repeat changes nothing
    assert (again["id"], again["status"]) == (scheduled.id, "canceled")

    draft = client.posts.create(text="Someday", account_ids=[account.pk], draft=True)
    published = dravo_cli("publish", draft.id, "--at", "2030-01-02 10:00", "--tz", "UTC")
    assert published.exit_code == 0, published.output
    assert f"{draft.id}: scheduled, for 2030-01-02 10:00 UTC" in published.stdout
    assert client.posts.get(draft.id).scheduled_at == "2030-01-02T10:00:00Z"


def test_retry_sends_the_failed_deliveries_again(dravo_cli, workspace, eager_tasks, sandbox, api_key):
    from accounts.crypto import encrypt_credentials

    account = sandbox_account(workspace, behavior="rejects")
    client = Dravo(sandbox, api_key)
    failed = client.posts.create(text="Second time lucky", account_ids=[account.pk])
    assert client.posts.get(failed.id).status == "failed"
    account.credentials_encrypted = encrypt_credentials({"access_token": "sbx-fixed", "sandbox": {"behavior": "ok"}})
    account.save(update_fields=["credentials_encrypted"])
    result = dravo_cli("retry", failed.id)
    assert result.exit_code == 0, result.output
    assert client.posts.get(failed.id).status == "published"
    nothing_failed = dravo_cli("retry", failed.id)
    assert nothing_failed.exit_code == 1 and "HTTP 409" in nothing_failed.stderr


def test_media_upload_list_and_delete(dravo_cli, workspace, tmp_path):
    picture = tmp_path / "cover.png"
    picture.write_bytes(media_files.png(size=(64, 48)))
    uploaded = dravo_cli("media", "upload", str(picture), "--json")
    assert uploaded.exit_code == 0, uploaded.output
    [made] = json.loads(uploaded.stdout)
    assert made["id"].startswith("med_") and made["mime_type"] == "image/png" and made["url"]
    table = dravo_cli("media", "list")
    assert made["id"] in table.stdout and "image/png" in table.stdout
    missing = dravo_cli("media", "upload", str(tmp_path / "nope.png"))
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    deleted = dravo_cli("media", "delete", made["id"])
    assert deleted.exit_code == 0 and f"Deleted {made['id']}" in deleted.stdout
    assert json.loads(dravo_cli("media", "list", "--json").stdout) == []


def test_help_names_what_each_option_takes(tmp_path):
    runner = CliRunner(env={"DRAVO_CONFIG": str(tmp_path / "none.toml"), "COLUMNS": "200"})
    shown = runner.invoke(app, ["post", "--help"]).stdout
    assert all(name in shown for name in ("ACCOUNT_ID", "FILE_OR_URL", "WHEN", "ZONE"))
    assert "list[str]" not in shown
