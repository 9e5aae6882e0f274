"""Media: ingesting a file (an upload, or a URL downloaded safely), listing and deleting it.

Ingest is two steps so that no transaction is open during a download: `media_stage`
fetches or reads the bytes into a temporary file, inspects them and stores the file
(no database write); `media_commit` inserts the row (under an Idempotency-Key when
given). A failure at any point leaves nothing behind: the temporary file is gone and a
stored file whose row was not written is deleted.
"""

import hashlib
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files import File
from django.db import transaction
from rest_framework.exceptions import ErrorDetail, NotFound, ValidationError

from accounts.models import Workspace
from dravo import media_fetch
from dravo.errors import Conflict
from dravo.idempotency import idempotent, request_fingerprint
from dravo.media_inspect import HEAD_BYTES, Inspected, MediaRejected, inspect, sniff_kind, unsupported
from publishing.media_serve import media_id_in
from publishing.models import Media, Post, new_media_id

CHUNK = 1024 * 1024
IN_USE_STATUSES = (Post.Status.SCHEDULED, Post.Status.QUEUED, Post.Status.PROCESSING)


class MediaNotFound(NotFound):
    default_detail = "No media with this id."


class MediaInUse(Conflict):
    default_code = "media_in_use"
    default_detail = "This media is used by a post that is not delivered yet; cancel or finish that post first."


@dataclass(frozen=True)
class Staged:
    """A stored file with its inspection, waiting for its row."""

    id: str
    name: str  # storage name
    inspected: Inspected
    size_bytes: int
    sha256: str
    original_name: str
    source_url: str


# --- reads ------------------------------------------------------------------------------
def media_list(*, workspace: Workspace, mode: str):
    return Media.objects.filter(workspace=workspace, mode=mode)


def media_get(*, workspace: Workspace, mode: str, media_id: str) -> Media | None:
    return Media.objects.filter(workspace=workspace, mode=mode, pk=media_id).first()


# --- ingest -----------------------------------------------------------------------------
def media_check_upload_length(*, content_length: str | None) -> None:
    """Refuse (400 on `file`) a request body larger than the largest cap before it is read."""
    limit = max(settings.MEDIA_MAX_BYTES.values())
    if content_length and content_length.isdigit() and int(content_length) > limit + 64 * 1024:
        raise _invalid("file", media_fetch.too_large(None, int(content_length)))


def media_stage(*, workspace: Workspace, url: str | None = None, file=None) -> Staged:
    """Download `url` (safely) or read the uploaded `file`, inspect it and store it.

    Raises ValidationError (400) on `url` or `file` with the reason's code
    (`unsupported_media_type`, `invalid_media`, `too_large`, `private_address`, …).
    Writes no row; safe to repeat (each call stores a new file)."""
    attr = "url" if url is not None else "file"
    try:
        return _stage_url(workspace, url) if url is not None else _stage_upload(workspace, file)
    except MediaRejected as exc:
        raise _invalid(attr, exc) from exc


def media_commit(
    *, workspace: Workspace, mode: str, staged: Staged, idempotency_key: str | None, render: Callable[[Media], dict]
) -> tuple[int, dict, bool]:
    """Insert the row of `staged`; returns (201, render(media), replayed). With an
    Idempotency-Key, Stripe's semantics (dravo.idempotency): a replay answers
    the first response and discards this staged file. Raises IdempotencyKeyReused (422)."""

    def create() -> tuple[int, dict]:
        return 201, render(_insert(workspace, mode, staged))

    try:
        if idempotency_key is None:
            return (*create(), False)
        fingerprint = request_fingerprint(path="/v1/media", body=_request_summary(staged))
        status, body, replayed = idempotent(
            workspace=workspace, mode=mode, key=idempotency_key, fingerprint=fingerprint, create=create
        )
    except BaseException:
        media_discard(staged=staged)
        raise
    if replayed:
        media_discard(staged=staged)
    return status, body, replayed


def media_create(
    *,
    workspace: Workspace,
    mode: str,
    url: str | None = None,
    file=None,
    idempotency_key: str | None = None,
    render: Callable[[Media], dict],
) -> tuple[int, dict, bool]:
    """Add one media file, the one upload path of the API and the dashboard: a safe
    download of `url` or the uploaded `file`, inspected and stored (media_stage), then its
    row (media_commit, under `idempotency_key` when given). Returns (201, render(media),
    replayed). Raises ValidationError (400 on `url` or `file`, also when neither is
    given), IdempotencyKeyReused (422) or IdempotencyKeyInFlight (409); leaves nothing
    behind when it raises."""
    if url is None and file is None:
        raise ValidationError({"file": [ErrorDetail("Choose a file to upload.", code="required")]})
    staged = media_stage(workspace=workspace, url=url, file=file)
    return media_commit(workspace=workspace, mode=mode, staged=staged, idempotency_key=idempotency_key, render=render)


def media_discard(*, staged: Staged) -> None:
    """Delete a staged file that will get no row. Safe to repeat."""
    Media._meta.get_field("file").storage.delete(staged.name)


def media_from_source(*, workspace: Workspace, mode: str, url: str) -> Media:
    """The media ingested from the foreign `url` for this workspace: the newest one already
    ingested from it, else a fresh safe download. Raises MediaRejected; safe to repeat."""
    existing = media_list(workspace=workspace, mode=mode).filter(source_url=url).order_by("-created_at").first()
    if existing is not None:
        return existing
    staged = _stage_url(workspace, url)
    try:
        return _insert(workspace, mode, staged)
    except BaseException:
        media_discard(staged=staged)
        raise


def _stage_url(workspace: Workspace, url: str) -> Staged:
    with tempfile.TemporaryFile() as tmp:
        media_fetch.download(url, tmp)
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
        return _store(tmp, workspace_id=workspace.pk, original_name=name, source_url=url)


def _stage_upload(workspace: Workspace, upload) -> Staged:
    return _store(upload.file, workspace_id=workspace.pk, original_name=upload.name or "", source_url="")


def _store(fp: BinaryIO, *, workspace_id: str, original_name: str, source_url: str) -> Staged:
    size = fp.seek(0, 2)
    fp.seek(0)
    kind = sniff_kind(fp.read(HEAD_BYTES))
    if kind is None:
        raise unsupported()
    if size > settings.MEDIA_MAX_BYTES[kind]:
        raise media_fetch.too_large(kind, size)
    inspected = inspect(fp)
    digest = _sha256(fp)
    media_id = new_media_id()
    path = f"{workspace_id}/{media_id}/{_safe_name(original_name, inspected.extension)}"
    name = Media._meta.get_field("file").storage.save(path, File(fp))
    return Staged(media_id, name, inspected, size, digest, original_name[:255], source_url)


def _sha256(fp: BinaryIO) -> str:
    digest = hashlib.sha256()
    fp.seek(0)
    while chunk := fp.read(CHUNK):
        digest.update(chunk)
    fp.seek(0)
    return digest.hexdigest()


def _safe_name(original: str, extension: str) -> str:
    """ASCII letters, digits, `-` and `_` of the original stem, and the extension of the
    type actually found (a PNG named `x.html` is served as `x.png`)."""
    stem = original.rsplit(".", 1)[0] if "." in original else original
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_")[:60]
    return f"{stem or 'media'}.{extension}"


def _insert(workspace: Workspace, mode: str, staged: Staged) -> Media:
    found = staged.inspected
    return Media.objects.create(
        id=staged.id,
        workspace=workspace,
        mode=mode,
        kind=found.kind,
        mime_type=found.mime_type,
        size_bytes=staged.size_bytes,
        width=found.width,
        height=found.height,
        duration_s=found.duration_s,
        extra=found.extra,
        file=staged.name,
        original_name=staged.original_name,
        source_url=staged.source_url,
        sha256=staged.sha256,
    )


def _request_summary(staged: Staged) -> dict:
    if staged.source_url:
        return {"url": staged.source_url}
    return {"file": {"sha256": staged.sha256, "name": staged.original_name}}


def _invalid(attr: str, exc: MediaRejected) -> ValidationError:
    return ValidationError({attr: [ErrorDetail(exc.message, code=exc.code)]})


# --- delete -----------------------------------------------------------------------------
def media_delete(*, media: Media) -> None:
    """Delete the row, then (after commit) its file. Raises MediaInUse (409) while a post
    that is scheduled, queued or being delivered carries its URL. Safe to repeat."""
    if _in_use(media):
        raise MediaInUse()
    storage, name = media.file.storage, media.file.name
    with transaction.atomic():
        media.delete()
        transaction.on_commit(lambda: storage.delete(name))


def _in_use(media: Media) -> bool:
    candidates = Post.objects.filter(
        workspace_id=media.workspace_id, status__in=IN_USE_STATUSES, media_urls__icontains=f"/media/{media.id}/"
    ).values_list("media_urls", flat=True)
    return any(media_id_in(url) == media.id for urls in candidates for url in urls)
