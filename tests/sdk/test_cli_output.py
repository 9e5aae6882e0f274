"""What `dravo` draws, apart from a server: the live view of `watch` on a terminal, and
the rows of an import."""

import io

from dravo_sdk.cli import live_view
from dravo_sdk.cli_output import job_results_table
from dravo_sdk.models import BulkJob, Post
from rich.console import Console


def post(status, delivery):
    return Post.from_dict({"id": "post_1", "status": status, "results": [
        {"account_id": "acc_1", "provider": "demo", "status": delivery, "attempts": 1,
         "platform_post_url": "https://example.com/p/1" if delivery == "published" else ""}]})


def test_the_live_view_redraws_the_results_on_a_terminal_and_clears_at_the_end():
    screen = io.StringIO()
    show = live_view(Console(file=screen, force_terminal=True, width=120))
    show(post("processing", "processing"))
    show(post("published", "published"))
    show.close()
    drawn = screen.getvalue()
    assert drawn.index("processing") < drawn.index("https://example.com/p/1")


def test_an_import_table_numbers_rows_as_in_the_file_and_names_each_problem():
    job = BulkJob.from_dict({"id": "job_1", "status": "completed", "dry_run": True, "results": [
        {"index": 0, "previews": [{"account_id": "acc_1", "provider": "demo", "text": "Hello"}]},
        {"index": 1, "errors": [{"code": "not_found", "detail": "No such account.", "attr": "accounts.0"}]}]})
    screen = io.StringIO()
    Console(file=screen, width=160).print(job_results_table(job))
    lines = [line for line in screen.getvalue().splitlines() if "│" in line]
    assert "2" in lines[0] and "passes" in lines[0] and "acc_1 (demo): Hello" in lines[0]
    assert "3" in lines[1] and "refused" in lines[1] and "accounts.0: No such account." in lines[1]
