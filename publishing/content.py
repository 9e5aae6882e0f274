"""From what a post stores to what a network client takes (providers.base.Content)."""

from pathlib import PurePosixPath
from urllib.parse import urlparse

from providers.base import Content, Media

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


def content_for(*, text: str, media: tuple[Media, ...], options: dict, provider: str) -> Content:
    """The content one network gets: its own `text` override if any, and its options."""
    network_options = dict(options.get(provider) or {})
    network_text = network_options.pop("text", None) or text
    return Content(text=network_text, media=media, options=network_options)
