"""`dravo`, the command line of the Dravo API, built on the SDK.

Every command takes `--json` (print the API's objects as JSON, for scripts). An error
from the API prints its items (`attr: detail`) and exits 1; a usage or configuration
problem exits 2. Configuration: see `dravo_sdk.cli_config`.
"""

from __future__ import annotations

import functools
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.live import Live
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from dravo_sdk import cli_output as output
from dravo_sdk.cli_config import ConfigError, resolve
from dravo_sdk.cli_listen import EventReceiver
from dravo_sdk.cli_time import parse_when, zone
from dravo_sdk.client import Dravo
from dravo_sdk.errors import DravoError
from dravo_sdk.models import BulkJob, Post, PostAccepted

app = typer.Typer(help="Publish to every connected account from the command line.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)
webhooks_app = typer.Typer(help="Receive Dravo's webhook events.", no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")
media_app = typer.Typer(help="Upload, list and delete media files.", no_args_is_help=True)
app.add_typer(media_app, name="media")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON (the API's objects) instead of tables.")]
When = Annotated[str | None, typer.Option(metavar="WHEN", help="When: ISO, '2027-01-04 09:00', 'tomorrow 9:00', "
                                                               "'in 2h'.")]
Zone = Annotated[str | None, typer.Option(metavar="ZONE", help="The zone of --at (e.g. Europe/Paris); else this "
                                                               "machine's.")]
PostId = Annotated[str, typer.Argument(metavar="POST_ID", help="The post (post_…).")]
MediaId = Annotated[str, typer.Argument(metavar="MEDIA_ID", help="The media file (med_…).")]


@dataclass
class Options:
    profile: str | None
    url: str | None
    api_key: str | None


@app.callback()
def options(ctx: typer.Context,
            profile: Annotated[str | None, typer.Option(help="A profile of the config file.")] = None,
            url: Annotated[str | None, typer.Option(help="Dravo's address (else DRAVO_URL).")] = None,
            api_key: Annotated[str | None, typer.Option(help="An API key (else DRAVO_API_KEY).")] = None) -> None:
    ctx.obj = Options(profile=profile, url=url, api_key=api_key)


def client(ctx: typer.Context) -> Dravo:
    """The SDK client the options and configuration name. Raises ConfigError."""
    chosen: Options = ctx.obj or Options(None, None, None)
    settings = resolve(url=chosen.url, api_key=chosen.api_key, profile=chosen.profile)
    return Dravo(settings.url, settings.api_key, user_agent="dravo-cli")


def handles_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the API's errors into printed items and exit 1; bad input into exit 2."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        as_json = bool(kwargs.get("as_json"))
        try:
            return command(*args, **kwargs)
        except DravoError as error:
            output.print_error(error, as_json=as_json)
            raise typer.Exit(1) from error
        except httpx.TransportError as error:
            output.error_console().print(f"[red]Error[/red]: cannot reach Dravo ({error})")
            raise typer.Exit(1) from error
        except (ConfigError, ValueError) as error:
            output.error_console().print(f"[red]Error[/red]: {error}")
            raise typer.Exit(2) from error

    return run


@app.command()
@handles_errors
def whoami(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """The workspace and mode of the key in use."""
    me = client(ctx).whoami()
    if as_json:
        output.print_json(me)
    else:
        output.console().print(f"{me.workspace} ({me.workspace_id}), {me.mode} mode")


@app.command()
@handles_errors
def accounts(ctx: typer.Context,
             network: Annotated[str | None, typer.Option(help="Only this network's accounts.")] = None,
             as_json: JsonFlag = False) -> None:
    """List the connected accounts (`acc_…`)."""
    found = list(client(ctx).accounts.list(provider=network))
    output.show(found, as_json=as_json, render=output.accounts_table)


@app.command()
@handles_errors
def post(ctx: typer.Context,
         text: Annotated[str, typer.Argument(metavar="TEXT", help="The post's text.")],
         to: Annotated[list[str], typer.Option("--to", metavar="ACCOUNT_ID",
                                               help="An account id (acc_…); repeat for more.")],
         media: Annotated[list[str] | None, typer.Option("--media", metavar="FILE_OR_URL",
                                                         help="A file to upload, or a URL; repeat.")] = None,
         at: When = None,
         tz: Zone = None,
         draft: Annotated[bool, typer.Option(help="Save as a draft.")] = False,
         queue: Annotated[bool, typer.Option(help="Take the next free slot of the accounts' queue.")] = False,
         idempotency_key: Annotated[str | None, typer.Option(metavar="KEY",
                                                             help="Makes a repeat of this command safe.")] = None,
         as_json: JsonFlag = False) -> None:
    """Publish (or schedule, queue, draft) a post to accounts."""
    when = parse_when(at, tz=tz) if at else None
    dravo = client(ctx)
    media_urls = [media_url(dravo, item) for item in media or []]
    accepted = dravo.posts.create(text=text, account_ids=to, media_urls=media_urls or None, scheduled_at=when,
                                  draft=draft or None, queue=queue or None, idempotency_key=idempotency_key)
    if as_json:
        output.print_json(accepted)
        return
    line = f"{accepted.id}: {output.status_text(accepted.status).markup}"
    if accepted.scheduled_at and accepted.status != "processing":
        line += f", for {local_time(accepted.scheduled_at, tz)}"
    output.console().print(line)


def media_url(dravo: Dravo, item: str) -> str:
    """A URL as given; a file uploaded to Dravo first (its media URL)."""
    if item.startswith(("http://", "https://")):
        return item
    return dravo.media.upload(existing_file(item)).url


def existing_file(item: str) -> Path:
    """The file `item` names. Raises ValueError (exit 2) when there is none."""
    path = Path(item).expanduser()
    if not path.is_file():
        raise ValueError(f"no such file: {item}")
    return path


def local_time(iso_time: str, tz: str | None) -> str:
    """`2027-01-04 09:00 Europe/Paris (08:00 UTC)` for an API time."""
    moment = datetime.fromisoformat(iso_time.replace("Z", "+00:00"))
    here = moment.astimezone(zone(tz))
    return f"{here:%Y-%m-%d %H:%M} {tz or here.tzname()} ({moment.astimezone(UTC):%H:%M} UTC)"


@app.command()
@handles_errors
def posts(ctx: typer.Context,
          status: Annotated[str | None, typer.Option(help="draft, scheduled, queued, processing, published, "
                                                          "partial, failed or canceled.")] = None,
          account: Annotated[str | None, typer.Option(help="Only posts to this account (acc_…).")] = None,
          search: Annotated[str | None, typer.Option(help="Full-text search in the texts.")] = None,
          limit: Annotated[int, typer.Option(help="How many to show, newest first.")] = 20,
          as_json: JsonFlag = False) -> None:
    """List posts, newest first."""
    listing = client(ctx).posts.list(status=status, account_id=account, q=search, limit=min(max(limit, 1), 100))
    found = list(itertools.islice(listing, limit))
    output.show(found, as_json=as_json, render=output.posts_table)


@app.command()
@handles_errors
def watch(ctx: typer.Context, post_id: PostId,
          interval: Annotated[float, typer.Option(help="Seconds between reads.")] = 1.0,
          timeout: Annotated[float, typer.Option(help="Give up after this many seconds.")] = 600.0,
          as_json: JsonFlag = False) -> None:
    """Follow a post's per-account results until it is final; exit 0 only if published."""
    dravo = client(ctx)
    out = output.console()
    show = (lambda p: None) if as_json else (live_view(out) if out.is_terminal else change_printer(out))
    deadline = time.monotonic() + timeout
    current = dravo.posts.get(post_id)
    show(current)
    while not current.is_final and time.monotonic() < deadline:
        time.sleep(interval)
        current = dravo.posts.get(post_id)
        show(current)
    getattr(show, "close", lambda: None)()
    if as_json:
        output.print_json(current)
    else:
        out.print(output.results_table(current))
    if not current.is_final:
        output.error_console().print(f"still {current.status} after {timeout:g}s")
    if current.status != "published":
        raise typer.Exit(1)


@app.command()
@handles_errors
def show(ctx: typer.Context, post_id: PostId, as_json: JsonFlag = False) -> None:
    """A post's status and per-account results, once (`watch` follows them)."""
    output.show(client(ctx).posts.get(post_id), as_json=as_json, render=output.results_table)


@app.command()
@handles_errors
def cancel(ctx: typer.Context, post_id: PostId,
           series: Annotated[bool, typer.Option(help="Also every later occurrence of its series.")] = False,
           as_json: JsonFlag = False) -> None:
    """Cancel what of a post is not sent yet (results already published stay)."""
    print_status(client(ctx).posts.cancel(post_id, series=series or None), as_json)


@app.command()
@handles_errors
def retry(ctx: typer.Context, post_id: PostId, as_json: JsonFlag = False) -> None:
    """Send a post's failed deliveries again (`watch` it to see them end)."""
    print_status(client(ctx).posts.retry(post_id), as_json)


def print_status(answer: Post | PostAccepted, as_json: bool) -> None:
    """`post_…: status` (the post as JSON with `--json`)."""
    output.show(answer, as_json=as_json, render=lambda post: Text(f"{post.id}: ") + output.status_text(post.status))


@app.command()
@handles_errors
def publish(ctx: typer.Context, post_id: PostId,
            at: When = None,
            tz: Zone = None,
            as_json: JsonFlag = False) -> None:
    """Publish a draft now, or schedule it with --at."""
    answer = client(ctx).posts.publish(post_id, scheduled_at=parse_when(at, tz=tz) if at else None)
    if as_json:
        output.print_json(answer)
        return
    line = Text(f"{answer.id}: ") + output.status_text(answer.status)
    if answer.scheduled_at and answer.status == "scheduled":
        line += Text(f", for {local_time(answer.scheduled_at, tz)}")
    output.console().print(line)


@media_app.command("upload")
@handles_errors
def media_upload(ctx: typer.Context,
                 items: Annotated[list[str], typer.Argument(metavar="FILE_OR_URL",
                                                             help="Files to upload, or URLs for Dravo to fetch.")],
                 as_json: JsonFlag = False) -> None:
    """Upload files (or have Dravo fetch URLs); prints each one's media URL for `--media`."""
    dravo = client(ctx)
    made = [dravo.media.from_url(item) if item.startswith(("http://", "https://")) else
            dravo.media.upload(existing_file(item)) for item in items]
    output.show(made, as_json=as_json, render=output.media_table)


@media_app.command("list")
@handles_errors
def media_list(ctx: typer.Context,
               limit: Annotated[int, typer.Option(help="How many to show, newest first.")] = 20,
               as_json: JsonFlag = False) -> None:
    """The workspace's media files, newest first."""
    found = list(itertools.islice(client(ctx).media.list(limit=min(max(limit, 1), 100)), limit))
    output.show(found, as_json=as_json, render=output.media_table)


@media_app.command("delete")
@handles_errors
def media_delete(ctx: typer.Context, media_id: MediaId) -> None:
    """Delete a media file (refused, HTTP 409, while a post still to be sent uses it)."""
    client(ctx).media.delete(media_id)
    output.console().print(f"Deleted {media_id}")


def change_printer(out) -> Callable[[Post], None]:
    """Prints a line whenever the post or one of its results changes status."""
    seen: dict[str, str | None] = {}

    def show(current: Post) -> None:
        states = {current.id: current.status, **{r.account_id: r.status for r in current.results or []}}
        for who, state in states.items():
            if seen.get(who, "") != state:
                out.print(Text(f"{time.strftime('%H:%M:%S')} {who}: ") + output.status_text(state))
        seen.update(states)

    return show


def live_view(out) -> Callable[[Post], None]:
    """Redraws the results table in place (on a terminal)."""
    live = Live(console=out, auto_refresh=False, transient=True)
    live.start()

    def show(current: Post) -> None:
        live.update(output.results_table(current), refresh=True)

    show.close = live.stop  # type: ignore[attr-defined]
    return show


@app.command("import")
@handles_errors
def import_csv(ctx: typer.Context, file: Annotated[Path, typer.Argument(help="The CSV file.", exists=True,
                                                                        dir_okay=False)],
               dry_run: Annotated[bool, typer.Option(help="Only check the rows; make no post.")] = False,
               tz: Annotated[str | None, typer.Option(help="The zone of the rows' times (default UTC).")] = None,
               interval: Annotated[float, typer.Option(help="Seconds between reads of the job.")] = 0.5,
               as_json: JsonFlag = False) -> None:
    """Import posts from a CSV file (one per row); exit 1 if a row is refused."""
    dravo = client(ctx)
    accepted = dravo.posts.import_csv(file, dry_run=dry_run, time_zone=tz)
    job = follow_job(dravo, accepted.job_id, accepted.total or 0, interval, "Checking" if dry_run else "Importing")
    if as_json:
        output.print_json(job)
    else:
        output.console().print(output.job_results_table(job))
        output.console().print(f"{job.done} of {job.total} rows {'pass' if job.dry_run else 'made'}, "
                               f"{job.failed} refused")
    if job.failed or job.status == "failed":
        raise typer.Exit(1)


def follow_job(dravo: Dravo, job_id: str, total: int, interval: float, label: str) -> BulkJob:
    """Wait for a job with a progress bar (on stderr, so `--json` output stays clean)."""
    columns = (TextColumn(f"{label} {job_id}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=output.error_console()) as progress:
        task = progress.add_task(label, total=total)

        def advance(job: BulkJob) -> None:
            progress.update(task, completed=(job.done or 0) + (job.failed or 0), total=job.total or total)

        return dravo.jobs.wait(job_id, interval=interval, on_progress=advance)


@webhooks_app.command("listen")
@handles_errors
def listen(ctx: typer.Context,
           port: Annotated[int, typer.Option(help="The local port to listen on.")] = 8765,
           host: Annotated[str, typer.Option(help="The local address to listen on.")] = "127.0.0.1",
           events: Annotated[str, typer.Option(help="Event types, comma-separated ('*': all).")] = "*",
           count: Annotated[int | None, typer.Option(help="Stop after this many events.")] = None,
           as_json: JsonFlag = False) -> None:
    """Make a webhook endpoint pointing here, print each verified event until Ctrl-C (or
    --count events), then delete the endpoint. A badly signed request is answered 400."""
    dravo = client(ctx)
    received = Counter(count)
    receiver = EventReceiver(host=host, port=port, on_event=event_printer(as_json, received),
                             on_reject=rejection_printer(as_json)).start()
    try:
        endpoint = dravo.webhooks.create(url=receiver.url, events=[e.strip() for e in events.split(",") if e.strip()],
                                         description="dravo webhooks listen")
        receiver.secret = endpoint.secret
        output.error_console().print(f"Listening on {receiver.url} as {endpoint.id} (Ctrl-C to stop)")
        try:
            received.wait()
        except KeyboardInterrupt:
            pass
        finally:
            dravo.webhooks.delete(endpoint.id)
            output.error_console().print(f"Deleted {endpoint.id}")
    finally:
        receiver.stop()


class Counter:
    """Counts events; `wait()` returns once `limit` are seen (never, without a limit)."""

    def __init__(self, limit: int | None):
        self.limit = limit
        self.seen = 0
        self._done = threading.Event()

    def add(self) -> None:
        self.seen += 1
        if self.limit is not None and self.seen >= self.limit:
            self._done.set()

    def wait(self) -> None:
        while not self._done.wait(0.2):  # short waits, so Ctrl-C is felt at once
            pass


def event_printer(as_json: bool, received: Counter) -> Callable[[dict, dict], None]:
    out = output.console()
    lock = threading.Lock()

    def on_event(event: dict, headers: dict) -> None:
        with lock:
            if as_json:
                output.print_json(event)
            else:
                data = event.get("data") or {}
                subject = _event_subject(data)
                out.print(f"{time.strftime('%H:%M:%S')} [green]{event.get('type')}[/green] {subject} "
                          f"[dim]{headers.get('webhook-id', '')}[/dim]")
            received.add()

    return on_event


def rejection_printer(as_json: bool) -> Callable[[str, dict], None]:
    def on_reject(reason: str, headers: dict) -> None:
        output.error_console().print(f"{time.strftime('%H:%M:%S')} [red]rejected[/red] "
                                     f"{headers.get('webhook-id', '(no id)')}: {reason}")

    return on_reject


def main() -> None:
    app()


def _event_subject(data: object) -> str:
    """What an event is about, in a few words: the object's id, or for a delivery its post
    and account."""
    if not isinstance(data, dict):
        return ""
    if "id" in data:
        return str(data["id"])
    return " ".join(str(data[key]) for key in ("post_id", "account_id") if data.get(key))
