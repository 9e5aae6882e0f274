"""Bluesky: what a post must be to publish, checked without I/O: the strict schema of
`platform_options.bluesky`, the limits (as constants and as the `LIMITS` table) and the
checks that turn content into problems.

Limits come from the `app.bsky.feed.post` and `app.bsky.embed.*` lexicons
(https://docs.bsky.app/docs/advanced-guides/posts) and the video tutorial
(https://docs.bsky.app/docs/tutorials/video).
"""

import regex
from django.core.validators import RegexValidator
from rest_framework import serializers

from providers.base import Media, Problem
from providers.fields import StrictCharField, StrictSerializer
from providers.media_rules import DURATION, FORMAT, SIZE, media_breaches
from providers.network import Limits, MediaLimit, TextLimit

MAX_GRAPHEMES = 300
MAX_TEXT_BYTES = 3000
MAX_IMAGES = 4
IMAGE_MAX_BYTES = 1_000_000  # checked by the PDS when the post is created (BlobTooLarge)
IMAGE_MIMES = ("image/jpeg", "image/png", "image/webp")
VIDEO_MIMES = ("video/mp4",)
VIDEO_MAX_BYTES = 100_000_000  # app.bsky.embed.video lexicon
VIDEO_MAX_SECONDS = 180.0  # (unconfirmed) the video service's duration cap
VIDEO_ALT_MAX_GRAPHEMES = 1000
MAX_LANGS = 3
MAX_THREAD = 24  # Dravo's bound: the network sets none
CARD_TITLE_MAX = 300
CARD_DESCRIPTION_MAX = 1000
AT_POST_URI = r"^at://[A-Za-z0-9:._%-]+/app\.bsky\.feed\.post/[A-Za-z0-9._:~-]{1,512}$"
LANG = r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$"
GRAPHEME = regex.compile(r"\X")
AT_URI_VALIDATOR = RegexValidator(AT_POST_URI, "Must be the at:// URI of a post: at://<did>/app.bsky.feed.post/<rkey>.")


def graphemes(text: str) -> int:
    """User-perceived characters (Unicode extended grapheme clusters), as Bluesky counts."""
    return len(GRAPHEME.findall(text))


def text_problem(field: str, text: str, *, required: bool = False) -> Problem | None:
    if required and not text.strip():
        return Problem(field, "Each post of a Bluesky thread needs text.", "required")
    count, size = graphemes(text), len(text.encode("utf-8"))
    if count > MAX_GRAPHEMES:
        message = f"Bluesky allows {MAX_GRAPHEMES} characters (graphemes); this text has {count}."
        return Problem(field, message, "too_long")
    if size > MAX_TEXT_BYTES:
        message = f"Bluesky allows {MAX_TEXT_BYTES:,} bytes of UTF-8 text; this text has {size:,}."
        return Problem(field, message, "too_long")
    return None


class LinkCardSerializer(StrictSerializer):
    """An external link card (`app.bsky.embed.external`): Bluesky never fetches the page, so
    Dravo sends what is given here (the title defaults to the URL)."""

    url = serializers.URLField(max_length=2000, label="Link card address")
    title = StrictCharField(max_length=CARD_TITLE_MAX, required=False, allow_blank=True, label="Title on the link card")
    description = StrictCharField(
        max_length=CARD_DESCRIPTION_MAX, required=False, allow_blank=True, label="Description on the link card"
    )
    thumbnail_url = serializers.URLField(max_length=2000, required=False, label="Link card image URL")


class BlueskyOptionsSerializer(StrictSerializer):
    """`platform_options.bluesky`."""

    text = StrictCharField(required=False, allow_blank=True, trim_whitespace=False, label="Text on this network")
    thread = serializers.ListField(
        child=StrictCharField(trim_whitespace=False),
        max_length=MAX_THREAD,
        required=False,
        label="Thread: further posts",
    )
    alt_texts = serializers.ListField(
        child=StrictCharField(allow_blank=True, max_length=10_000, trim_whitespace=False),
        max_length=MAX_IMAGES,
        required=False,
        label="Media descriptions (alt text)",
        help_text="One per line, in the order of the media.",
    )
    langs = serializers.ListField(
        child=StrictCharField(max_length=20, validators=[RegexValidator(LANG, "Not a BCP-47 language code.")]),
        max_length=MAX_LANGS,
        required=False,
        label="Languages",
        help_text="Language codes, one per line, e.g. en.",
    )
    reply_to = StrictCharField(required=False, validators=[AT_URI_VALIDATOR], label="Reply to a post (its at:// URI)")
    quote = StrictCharField(required=False, validators=[AT_URI_VALIDATOR], label="Quote a post (its at:// URI)")
    link_card = LinkCardSerializer(required=False, label="Link card")

    def validate_text(self, value):
        if problem := text_problem("text", value):
            raise serializers.ValidationError(problem.message)
        return value

    def validate_thread(self, value):
        errors = {i: [p.message] for i, text in enumerate(value) if (p := text_problem("thread", text, required=True))}
        if errors:
            raise serializers.ValidationError(errors)
        return value


def media_mix_problems(media: tuple[Media, ...]) -> list[Problem]:
    kinds = [item.kind for item in media]
    if len(media) > 1 and "video" in kinds:
        message = "A video must be the only media of a Bluesky post (up to 4 images, or 1 video)."
        return [Problem("media_urls.1", message, "media_mix")]
    if len(media) > MAX_IMAGES:
        message = f"Bluesky allows at most {MAX_IMAGES} images per post; this post has {len(media)}."
        return [Problem(f"media_urls.{MAX_IMAGES}", message, "too_many_media")]
    return []


def media_problems(field: str, media: Media) -> list[Problem]:
    if media.kind not in ("image", "video"):
        hint = " (convert a GIF to MP4)" if media.kind == "gif" else ""
        return [Problem(field, f"Bluesky takes images or a video, not a {media.kind}{hint}.", "unsupported")]
    breaches, problems = media_breaches(LIMITS.media_for(media.kind), media), []
    limit = LIMITS.media_for(media.kind)
    if FORMAT in breaches:
        allowed = ", ".join(limit.formats)
        problems.append(Problem(field, f"Bluesky takes a {media.kind} as {allowed}, not {media.mime_type}.", "format"))
    if SIZE in breaches:
        message = f"A Bluesky {media.kind} must be at most {limit.max_bytes:,} bytes; this one is {media.size_bytes:,}."
        problems.append(Problem(field, message, "size"))
    if DURATION in breaches:
        message = f"A Bluesky video may last at most {VIDEO_MAX_SECONDS:g} s; this one lasts {media.duration_s:g} s."
        problems.append(Problem(field, message, "duration"))
    return problems


def option_problems(options: dict, media: tuple[Media, ...]) -> list[Problem]:
    """Combinations of options and media Bluesky refuses (a post has one embed: images, a
    video or a link card, plus at most a quoted post)."""
    problems, prefix = [], "platform_options.bluesky"
    if options.get("link_card") and media:
        message = "A Bluesky post carries images, a video or a link card, not several: drop link_card or the media."
        problems.append(Problem(f"{prefix}.link_card", message, "conflict"))
    alt_texts = options.get("alt_texts") or []
    if len(alt_texts) > len(media):
        message = f"alt_texts has {len(alt_texts)} texts for {len(media)} media item(s): one per media item, in order."
        problems.append(Problem(f"{prefix}.alt_texts", message, "invalid"))
    for index, alt in enumerate(alt_texts[: len(media)]):
        if media[index].kind == "video" and graphemes(alt) > VIDEO_ALT_MAX_GRAPHEMES:
            message = f"The alt text of a Bluesky video may have {VIDEO_ALT_MAX_GRAPHEMES} characters at most."
            problems.append(Problem(f"{prefix}.alt_texts.{index}", message, "too_long"))
    return problems


# The README table's row (`python -m providers.check`).
CAPABILITIES = {
    "content_kinds": ["text", "images", "video", "link_card", "thread", "reply", "quote"],
    "options": ["text", "thread", "alt_texts", "langs", "reply_to", "quote", "link_card"],
    "limits": {
        "text": f"{MAX_GRAPHEMES} graphemes and {MAX_TEXT_BYTES:,} UTF-8 bytes; links, mentions, hashtags as facets",
        "media": "1-4 images, or 1 video, or a link card; a quote may add one of them",
        "image": "JPG/PNG/WEBP, at most 1,000,000 bytes, alt text per image",
        "video": f"MP4, at most 100 MB, at most {VIDEO_MAX_SECONDS:g} s (unconfirmed), alt at most 1,000 graphemes",
        "thread": f"at most {MAX_THREAD} further posts (replies), each within the text limit",
        "langs": f"at most {MAX_LANGS} BCP-47 codes",
    },
}

# The limits as data (text length; media kinds, counts, formats, sizes, durations).
LIMITS = Limits(
    text=TextLimit(MAX_GRAPHEMES, "graphemes"),
    media=(
        MediaLimit("image", IMAGE_MIMES, max_count=MAX_IMAGES, max_bytes=IMAGE_MAX_BYTES),
        MediaLimit("video", VIDEO_MIMES, max_count=1, max_bytes=VIDEO_MAX_BYTES, seconds=(0.0, VIDEO_MAX_SECONDS)),
    ),
)
