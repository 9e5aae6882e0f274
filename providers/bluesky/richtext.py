"""Bluesky rich text: the facets (links, mentions, hashtags) of a post's text, with their
UTF-8 byte ranges, as the official app detects them. Bluesky never links text on its own:
a URL without a facet is plain text.

Docs: https://docs.bsky.app/docs/advanced-guides/post-richtext
"""

from collections.abc import Callable

import regex

# A mention is @ and a domain-like handle, after a start, a space or an opening bracket.
LABEL = r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
MENTION = regex.compile(rf"(?:^|[\s(])@(({LABEL}\.)+[a-zA-Z]([a-zA-Z0-9-]{{0,61}}[a-zA-Z0-9])?)")
LINK = regex.compile(r"(?:^|[\s(])(https?://[^\s]+)", regex.IGNORECASE)
# A hashtag: # then anything but spaces, not only digits and punctuation.
INVISIBLE = r"\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2"
TAG = regex.compile(rf"(?:^|\s)[#＃]((?!\ufe0f)[^\s{INVISIBLE}]*[^\d\s\p{{P}}{INVISIBLE}]+[^\s{INVISIBLE}]*)?")
TRAILING_PUNCTUATION = ".,;:!?\"'"
TAG_MAX_GRAPHEMES = 64


def _byte_range(text: str, start: int, end: int) -> dict:
    start_byte = len(text[:start].encode("utf-8"))
    return {"byteStart": start_byte, "byteEnd": start_byte + len(text[start:end].encode("utf-8"))}


def _trim_url(url: str) -> str:
    url = url.rstrip(TRAILING_PUNCTUATION)
    if url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1].rstrip(TRAILING_PUNCTUATION)
    return url


def facets(text: str, resolve_handle: Callable[[str], str | None]) -> list[dict]:
    """The `app.bsky.richtext.facet`s of `text`: links, mentions of handles that resolve to
    a DID (`resolve_handle(handle)` -> DID or None; an unresolved one stays plain text) and
    hashtags. Byte offsets are UTF-8, start inclusive, end exclusive; facets never overlap."""
    found: list[tuple[int, int, dict]] = []
    for match in LINK.finditer(text):
        url = _trim_url(match.group(1))
        start = match.start(1)
        found.append((start, start + len(url), {"$type": "app.bsky.richtext.facet#link", "uri": url}))
    for match in MENTION.finditer(text):
        did = resolve_handle(match.group(1).lower())
        if did:
            start = match.start(1) - 1  # the @ is part of the mention
            found.append((start, match.end(1), {"$type": "app.bsky.richtext.facet#mention", "did": did}))
    for match in TAG.finditer(text):
        tag = match.group(1)
        if not tag:
            continue
        tag = tag.strip().rstrip(TRAILING_PUNCTUATION + ")")
        if not tag or len(regex.findall(r"\X", tag)) > TAG_MAX_GRAPHEMES:
            continue
        start = match.start(1) - 1  # with its #
        found.append((start, match.start(1) + len(tag), {"$type": "app.bsky.richtext.facet#tag", "tag": tag}))
    return _without_overlaps(text, found)


def _without_overlaps(text: str, found: list[tuple[int, int, dict]]) -> list[dict]:
    """The facets in text order, each one dropped that overlaps an earlier one (a link
    wins over the mention or tag inside it, since links were found first)."""
    kept: list[tuple[int, int, dict]] = []
    for start, end, feature in found:
        if all(end <= other_start or start >= other_end for other_start, other_end, _ in kept):
            kept.append((start, end, feature))
    kept.sort(key=lambda item: item[0])
    return [{"index": _byte_range(text, start, end), "features": [feature]} for start, end, feature in kept]
