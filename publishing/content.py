"""From what a post stores to what a network client takes (providers.base.Content).

A post's `media_urls` hold Dravo media URLs (`{DRAVO_BASE_URL}/media/med_…/name`), whose
metadata is known from inspection, or foreign http(s) URLs, known only by their extension
until they are ingested before delivery.
"""

from pathlib import PurePosixPath
from urllib.parse import urlparse

from accounts.models import Workspace
from providers.base import Content, Media
from publishing import models
from publishing.media_serve import media_id_in, public_url

EXTENSION_KINDS = {
    ".jpg": "image",
    ".jpeg": "image",
    ".png": "image",
    ".webp": "image",
    ".heic": "image",
    ".gif": "gif",
    ".mp4": "video",
    ".mov": "video",
    ".m4v": "video",
    ".webm": "video",
    ".pdf": "document",
}
MIME_BY_EXTENSION = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".pdf": "application/pdf",
}


def media_from_url(url: str) -> Media:
    """A Media for a URL whose bytes Dravo has not inspected: kind from the extension."""
    suffix = PurePosixPath(urlparse(url).path).suffix.lower()
    return Media(url=url, kind=EXTENSION_KINDS.get(suffix, "image"), mime_type=MIME_BY_EXTENSION.get(suffix))


def media_for(row: models.Media) -> Media:
    """The inspected media as a client takes it, at its public Dravo URL. A GIF is the
    `gif` kind the networks treat apart from still images."""
    kind = "gif" if row.mime_type == "image/gif" else row.kind
    return Media(
        url=public_url(row),
        kind=kind,
        mime_type=row.mime_type,
        size_bytes=row.size_bytes,
        width=row.width,
        height=row.height,
        duration_s=row.duration_s,
        extra=dict(row.extra or {}),
    )


def dravo_media(*, workspace: Workspace, mode: str, urls: list[str]) -> dict[str, models.Media]:
    """The Media rows of this workspace and mode named by the Dravo media URLs among `urls`,
    by id (an id of another workspace, or a deleted one, is simply missing). One query."""
    ids = {media_id for url in urls if (media_id := media_id_in(url))}
    if not ids:
        return {}
    return {row.pk: row for row in models.Media.objects.filter(workspace=workspace, mode=mode, pk__in=ids)}


def content_for(
    *, text: str, media: tuple[Media, ...], options: dict, provider: str, account_id: str | None = None
) -> Content:
    """The content one account of a network gets: its network's options with the account's
    own (`platform_options.<account id>`, one level deep) over them, and the `text`
    override of either if any."""
    network_options = {**(options.get(provider) or {}), **((options.get(account_id) if account_id else None) or {})}
    network_text = network_options.pop("text", None) or text
    return Content(text=network_text, media=media, options=network_options)
