"""What `dravo` prints: rich tables for people, plain JSON (`--json`) for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dravo_sdk.errors import DravoError
from dravo_sdk.models import BulkJob, Media, Model, Post, SocialAccount

STATUS_STYLES = {"published": "green", "completed": "green", "failed": "red", "partial": "yellow",
                 "canceled": "dim", "processing": "cyan", "pending": "cyan", "running": "cyan",
                 "scheduled": "blue", "queued": "blue", "draft": "magenta"}


def console() -> Console:
    """A console on the current stdout (so a test runner's capture sees it)."""
    return Console(file=sys.stdout, highlight=False, soft_wrap=False)


def error_console() -> Console:
    return Console(file=sys.stderr, highlight=False)


def plain(value: Any) -> Any:
    """A model (or list of them) as JSON-ready data."""
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(plain(value), indent=2, ensure_ascii=False) + "\n")


def show(value: Any, *, as_json: bool, render: Callable[[Any], Any]) -> None:
    """`value` as JSON for scripts, else what `render(value)` makes of it for people."""
    if as_json:
        print_json(value)
    else:
        console().print(render(value))


def status_text(status: str | None) -> Text:
    return Text(status or "-", style=STATUS_STYLES.get(status or "", ""))


def print_error(error: DravoError, *, as_json: bool) -> None:
    """The API's error items, one per line as `attr: detail (code)`."""
    if as_json:
        print_json({"status": error.status_code, "type": error.type,
                    "errors": [{"code": i.code, "detail": i.detail, "attr": i.attr} for i in error.errors]})
        return
    out = error_console()
    out.print(f"[red]Error[/red] (HTTP {error.status_code}, {error.type}):")
    for item in error.errors:
        where = f"{item.attr}: " if item.attr else ""
        out.print(f"  {where}{item.detail} [dim]({item.code})[/dim]", markup=True)


def accounts_table(accounts: Iterable[SocialAccount]) -> Table:
    table = Table("id", "network", "handle", "health", "mode")
    for account in accounts:
        table.add_row(account.id, account.provider, account.handle, status_text(account.health), account.mode)
    return table


def posts_table(posts: Iterable[Post]) -> Table:
    table = Table("id", "status", "when", "accounts", "text")
    for post in posts:
        when = post.scheduled_at or post.created_at or ""
        text = (post.text or "").replace("\n", " ")
        table.add_row(post.id, status_text(post.status), when[:19].replace("T", " "),
                      str(len(post.account_ids or [])), text[:60] + ("…" if len(text) > 60 else ""))
    return table


def results_table(post: Post) -> Table:
    """One row per account of the post: its delivery's status, link or error."""
    table = Table("account", "network", "status", "attempts", "link / error", title=f"{post.id}: {post.status}")
    for result in post.results or []:
        outcome = result.platform_post_url or result.error or ""
        table.add_row(result.account_id, result.provider, status_text(result.status), str(result.attempts or 0),
                      outcome)
    return table


def media_table(media: Iterable[Media]) -> Table:
    """One row per media file, with the URL to pass as `--media`."""
    table = Table("id", "kind", "type", "size", "url")
    for item in media:
        size = f"{(item.size_bytes or 0) / 1_000_000:.1f} MB" if (item.size_bytes or 0) >= 100_000 else \
            f"{(item.size_bytes or 0) / 1000:.0f} kB"
        table.add_row(item.id, item.kind or "", item.mime_type or "", size, item.url or "")
    return table


def job_results_table(job: BulkJob) -> Table:
    """One row per CSV row (numbered as in the file, the header being row 1)."""
    table = Table("row", "outcome", "details", title=f"{job.id}: {job.status}"
                  + (" (dry run)" if job.dry_run else ""))
    for result in job.results or []:
        row = str((result.index or 0) + 2)
        if result.errors:
            details = "\n".join(f"{e.attr}: {e.detail}" if e.attr else e.detail for e in result.errors)
            table.add_row(row, Text("refused", style="red"), details)
        elif result.previews is not None and result.post_id is None:
            details = "\n".join(f"{p.account_id} ({p.provider}): {(p.text or '')[:50]}" for p in result.previews)
            table.add_row(row, Text("passes", style="green"), details)
        else:
            table.add_row(row, Text("created", style="green"), result.post_id or "")
    return table
