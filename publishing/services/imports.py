"""CSV import: a file of posts, one per row, read into the bodies `POST /v1/posts` takes
and run as a job (`Job.Kind.IMPORT`), or only checked (a dry run stores no post).

The columns are `IMPORT_COLUMNS` plus `<network>_text` for each network whose options
take a text of its own. The request reads the file (one query for the workspace's
accounts, to turn handles into ids); a row that cannot become a body is stored in the
job as its errors, so the job's results list every row in order."""

import csv
import io
import re
from datetime import datetime

from rest_framework.exceptions import ValidationError

from accounts.models import SocialAccount, Workspace
from providers import registry
from publishing.models import Job
from publishing.recurrence import RecurrenceError, instant, zone_of
from publishing.services.jobs import ROW_ERRORS, job_create

IMPORT_COLUMNS = ("text", "accounts", "scheduled_at", "time_zone", "queue", "media_urls", "first_comment", "draft")
MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024
TRUE, FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0", ""}
LOCAL_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def _option_fields(key: str) -> set[str]:
    return set(registry.CLIENTS[key].options_serializer().fields)


def import_text_columns() -> dict[str, str]:
    """`<network>_text` column → network, for the networks whose options take a text."""
    return {f"{key}_text": key for key in registry.PROVIDERS if "text" in _option_fields(key)}


def import_template() -> str:
    """A CSV with every column and two example rows, for `GET /v1/posts/import/template`."""
    text_columns = list(import_text_columns())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*IMPORT_COLUMNS, *text_columns])
    blanks = [""] * len(text_columns)
    writer.writerow(
        ["Our spring sale starts today", "acc_… @handle", "2027-03-01 09:00", "Europe/Paris", "", "", "", "", *blanks]
    )
    writer.writerow(["A post for the next free queue slot", "acc_…", "", "", "true", "", "", "", *blanks])
    return out.getvalue()


def import_rows(data: bytes) -> list[dict]:
    """The rows of a CSV file (UTF-8, a BOM allowed; a header row naming the columns).
    Raises ValidationError (400 on `file`) for a file Dravo cannot read as a whole."""
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": [f"At most {MAX_BYTES // 1024 // 1024} MB."]})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError({"file": ["Not UTF-8 text: save the sheet as CSV UTF-8."]}) from exc
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [name.strip().lower() for name in reader.fieldnames or []]
        rows = [row for row in reader if any((value or "").strip() for value in row.values())]
    except csv.Error as exc:
        raise ValidationError({"file": [f"Not a CSV file Dravo can read: {exc}."]}) from exc
    known = set(IMPORT_COLUMNS) | set(import_text_columns())
    if unknown := [name for name in header if name not in known]:
        columns = ", ".join(sorted(known))
        raise ValidationError({"file": [f"Unknown column(s): {', '.join(unknown)}; the columns are {columns}."]})
    if not {"text", "media_urls"} & set(header) or "accounts" not in header:
        raise ValidationError({"file": ["The first row names the columns: at least accounts and text."]})
    if not rows:
        raise ValidationError({"file": ["No rows after the header."]})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"file": [f"At most {MAX_ROWS} rows ({len(rows)} given)."]})
    if any(None in row for row in rows):
        raise ValidationError({"file": ["A row has more cells than the header has columns."]})
    return [{name.strip().lower(): (value or "").strip() for name, value in row.items()} for row in rows]


class _Accounts:
    """The workspace's accounts of one mode, found by id, `@handle`, `handle` or
    `network:handle` (a handle two networks share needs the network)."""

    def __init__(self, *, workspace: Workspace, mode: str):
        self.by_id, self.by_handle = {}, {}
        for account in SocialAccount.objects.filter(workspace=workspace, mode=mode).only("id", "provider", "handle"):
            self.by_id[account.id] = account
            if account.handle:
                self.by_handle.setdefault(account.handle.lower().lstrip("@"), []).append(account)

    def find(self, name: str) -> tuple[SocialAccount | None, str]:
        if name in self.by_id:
            return self.by_id[name], ""
        provider, _, handle = name.rpartition(":")
        found = self.by_handle.get(handle.lower().lstrip("@"), [])
        if provider:
            found = [a for a in found if a.provider == provider.lower()]
        if len(found) == 1:
            return found[0], ""
        if found:
            example = f"{found[0].provider}:{handle.lstrip('@')}"
            return None, f"{name!r} is a handle on {len(found)} networks: write network:handle, e.g. {example}."
        return None, f"No connected account {name!r} in this workspace and mode."


def _flag(row: dict, column: str, errors: list) -> bool:
    value = row.get(column, "").lower()
    if value not in TRUE | FALSE:
        errors.append(_error(column, f"{row[column]!r} is not true or false.", "invalid"))
    return value in TRUE


def _error(column: str, detail: str, code: str) -> dict:
    return {"code": code, "detail": detail, "attr": column}


def _scheduled_at(row: dict, default_zone: str, errors: list) -> str | None:
    value = row.get("scheduled_at", "")
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        errors.append(_error("scheduled_at", f"{value!r}: write the local time as 2027-03-01 09:00.", "invalid"))
        return None
    if parsed.tzinfo is not None:
        return parsed.isoformat()
    try:
        zone = zone_of(row.get("time_zone") or default_zone)
    except RecurrenceError as exc:
        errors.append(_error("time_zone", str(exc), "invalid"))
        return None
    return instant(parsed.replace(microsecond=0), zone).isoformat()


def _platform_options(row: dict, accounts: list[SocialAccount], errors: list) -> dict:
    options: dict[str, dict] = {}
    for column, key in import_text_columns().items():
        if row.get(column):
            options.setdefault(key, {})["text"] = row[column]
    if comment := row.get("first_comment"):
        takers = sorted({a.provider for a in accounts if "first_comment" in _option_fields(a.provider)})
        if accounts and not takers:
            errors.append(_error("first_comment", "None of this row's networks takes a first comment.", "invalid"))
        for key in takers:
            options.setdefault(key, {})["first_comment"] = comment
    return options


def import_row_body(row: dict, *, accounts: _Accounts, default_zone: str) -> dict:
    """The body of `POST /v1/posts` a row stands for, or `{ROW_ERRORS: [...]}` naming the
    columns at fault (what only the file can get wrong: handles, times, true/false)."""
    errors: list[dict] = []
    found = []
    for index, name in enumerate(re.split(r"[\s,;]+", row.get("accounts", "")) if row.get("accounts") else []):
        account, problem = accounts.find(name)
        if account is None:
            errors.append(_error(f"accounts.{index}", problem, "not_found"))
        else:
            found.append(account)
    body = {
        "account_ids": [a.id for a in found],
        "media_urls": [u for u in re.split(r"[\s|]+", row.get("media_urls", "")) if u],
        "platform_options": _platform_options(row, found, errors),
        "scheduled_at": _scheduled_at(row, default_zone, errors),
        "queue": _flag(row, "queue", errors),
        "draft": _flag(row, "draft", errors),
    }
    if row.get("text"):
        body["text"] = row["text"]
    if body["queue"] and body["scheduled_at"]:
        errors.append(_error("queue", "Give scheduled_at or queue, not both.", "invalid"))
    if not body["draft"]:
        body.pop("draft")
    return {ROW_ERRORS: errors} if errors else body


def import_create(*, workspace: Workspace, mode: str, data: bytes, time_zone: str, dry_run: bool) -> Job:
    """A job importing (or with `dry_run`, only checking) the rows of the CSV `data`; a
    local `scheduled_at` is read in the row's `time_zone` or else `time_zone`. Raises
    ValidationError (400) for a file or zone Dravo cannot use; row problems are results."""
    try:
        zone_of(time_zone)
    except RecurrenceError as exc:
        raise ValidationError({"time_zone": [str(exc)]}) from exc
    rows = import_rows(data)
    accounts = _Accounts(workspace=workspace, mode=mode)
    bodies = [import_row_body(row, accounts=accounts, default_zone=time_zone) for row in rows]
    return job_create(workspace=workspace, mode=mode, bodies=bodies, kind=Job.Kind.IMPORT, dry_run=dry_run)


def import_checked(*, job: Job) -> Job:
    """A new job making the posts of a dry run's rows (read from the file then), so what
    was checked is what is imported; rows that failed the check are reported again."""
    return job_create(workspace=job.workspace, mode=job.mode, bodies=job.bodies, kind=Job.Kind.IMPORT)
