"""One media item checked against a network's limits table (`LIMITS` in
providers/<network>/rules.py): shared by every network's rules, which word the problems
themselves and add the checks the table does not describe (dimensions, aspect ratios)."""

from providers.base import Media
from providers.network import MediaLimit

FORMAT, SIZE, DURATION = "format", "size", "duration"


def media_breaches(limit: MediaLimit | None, media: Media) -> set[str]:
    """Which rules of `limit` the item breaks: FORMAT (a known MIME type outside
    `formats`), SIZE (a known size over `max_bytes`), DURATION (a known duration outside
    `seconds`). A value the item does not carry breaks nothing; no limit, nothing. No I/O."""
    if limit is None:
        return set()
    breaches = set()
    if media.mime_type and limit.formats and media.mime_type not in limit.formats:
        breaches.add(FORMAT)
    if media.size_bytes is not None and limit.max_bytes is not None and media.size_bytes > limit.max_bytes:
        breaches.add(SIZE)
    if media.duration_s is not None and limit.seconds is not None:
        low, high = limit.seconds
        if media.duration_s < low or (high is not None and media.duration_s > high):
            breaches.add(DURATION)
    return breaches
