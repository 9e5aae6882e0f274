"""Telegram (Bot API): what a post must be to publish, checked without I/O: the strict
schema of `platform_options.telegram`, the limits (as constants and as the `LIMITS`
table) and the checks that turn content into problems.

Limits: https://core.telegram.org/bots/api#sendmessage (text 1-4096 characters after
entity parsing), #sendphoto (caption 0-1024), #sendmediagroup (2-10 items) and
https://core.telegram.org/bots/api#sending-files (sent by URL: 5 MB photos, 20 MB other
files).
"""

from urllib.parse import urlsplit

from rest_framework import serializers

from providers.base import Media, Problem
from providers.fields import StrictBooleanField, StrictCharField, StrictIntegerField, StrictSerializer
from providers.media_rules import FORMAT, SIZE, media_breaches
from providers.network import Limits, MediaLimit, TextLimit

MB = 1024 * 1024
TEXT_LIMIT = 4096  # a message's text, in UTF-16 code units (unconfirmed: the docs say "characters")
CAPTION_LIMIT = 1024  # a media caption; bots never get the longer captions of Premium users
ALBUM_MIN, ALBUM_MAX = 2, 10
# Telegram downloads a file given by URL itself, with these caps (Sending files, point 2).
PHOTO_URL_MAX_BYTES = 5 * MB
FILE_URL_MAX_BYTES = 20 * MB
PHOTO_MAX_SIDES = 10000  # width + height
PHOTO_MAX_RATIO = 20
# Formats Telegram shows natively (unconfirmed as a list: the docs name MPEG4 for video and
# GIF or H.264 for animations, nothing for photos). Documents take any file.
PHOTO_MIMES = ("image/jpeg", "image/png", "image/webp")
VIDEO_MIMES = ("video/mp4",)
ANIMATION_MIMES = ("image/gif", "video/mp4")
# Telegram takes a document of any type; Dravo's media inspection knows PDF documents only.
DOCUMENT_MIMES = ("application/pdf",)
METHODS = {"image": "sendPhoto", "video": "sendVideo", "gif": "sendAnimation", "document": "sendDocument"}


class LinkPreviewSerializer(StrictSerializer):
    """`link_preview_options` of sendMessage (https://core.telegram.org/bots/api#linkpreviewoptions)."""

    is_disabled = StrictBooleanField(required=False, label="Hide the link preview")
    url = StrictCharField(
        required=False,
        max_length=2000,
        label="Link to preview",
        help_text="Another link than the first one in the text.",
    )
    prefer_small_media = StrictBooleanField(required=False, label="Small preview image")
    prefer_large_media = StrictBooleanField(required=False, label="Large preview image")
    show_above_text = StrictBooleanField(required=False, label="Show the link preview above the text")

    def validate_url(self, value):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise serializers.ValidationError("Must be an http(s) URL.")
        return value

    def validate(self, attrs):
        if attrs.get("prefer_small_media") and attrs.get("prefer_large_media"):
            raise serializers.ValidationError(
                {"prefer_large_media": ["Choose prefer_small_media or prefer_large_media, not both."]}
            )
        return attrs


class TelegramOptionsSerializer(StrictSerializer):
    """`platform_options.telegram`."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, label="Text on this network")
    disable_notification = StrictBooleanField(
        required=False, label="Send silently", help_text="Members get the message without a sound."
    )
    protect_content = StrictBooleanField(required=False, label="Stop forwarding and saving")
    link_preview_options = LinkPreviewSerializer(required=False, label="Link preview")
    show_caption_above_media = StrictBooleanField(required=False, label="Show the caption above the media")
    message_thread_id = StrictIntegerField(
        required=False, min_value=1, label="Forum topic (its ID)", help_text="For a group with topics."
    )
    reply_to_message_id = StrictIntegerField(required=False, min_value=1, label="Reply to a message (its ID)")

    def validate_text(self, value):
        if problem := text_problem("text", value):
            raise serializers.ValidationError(problem.message)
        return value


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def text_problem(field: str, text: str) -> Problem | None:
    length = utf16_length(text)
    if length > TEXT_LIMIT:
        message = f"A Telegram message holds at most {TEXT_LIMIT:,} characters; this text has {length:,}."
        return Problem(field, message, "too_long")
    return None


def media_problems(media: tuple[Media, ...]) -> list[Problem]:
    """The count and mix of the media (one file, or an album of 2-10), then each item."""
    problems = []
    if len(media) > ALBUM_MAX:
        message = f"A Telegram album holds at most {ALBUM_MAX} files; this post has {len(media)}."
        problems.append(Problem(f"media_urls.{ALBUM_MAX}", message, "too_many_media"))
    if len(media) > 1:
        problems += album_problems(media)
    for index, item in enumerate(media):
        problems += item_problems(f"media_urls.{index}", item)
    return problems


def album_problems(media: tuple[Media, ...]) -> list[Problem]:
    """sendMediaGroup: photos and videos mix; documents only with documents; no GIFs."""
    kinds = [item.kind for item in media]
    for index, kind in enumerate(kinds):
        if kind == "gif":
            message = "A Telegram album cannot hold a GIF (animation): send it alone."
            return [Problem(f"media_urls.{index}", message, "media_mix")]
    documents = [kind == "document" for kind in kinds]
    if any(documents) and not all(documents):
        index = documents.index(not documents[0])
        message = "A Telegram album holds either photos and videos, or documents only, not both."
        return [Problem(f"media_urls.{index}", message, "media_mix")]
    return []


def item_problems(field: str, media: Media) -> list[Problem]:
    if media.kind not in METHODS:
        return [Problem(field, f"Telegram does not take {media.kind} media.", "unsupported")]
    problems = []
    limit = LIMITS.media_for(media.kind)
    breaches = media_breaches(limit, media)
    name = {"image": "photo", "gif": "animation (GIF)"}.get(media.kind, media.kind)
    if FORMAT in breaches:
        allowed = ", ".join(limit.formats)
        problems.append(Problem(field, f"Telegram takes a {name} as {allowed}, not {media.mime_type}.", "format"))
    if SIZE in breaches:
        message = (
            f"Telegram fetches a {name} by URL up to {limit.max_bytes // MB} MB; "
            f"this one is {media.size_bytes / MB:.1f} MB."
        )
        problems.append(Problem(field, message, "size"))
    if media.kind == "image" and media.width and media.height:
        sides, ratio = media.width + media.height, max(media.width, media.height) / min(media.width, media.height)
        if sides > PHOTO_MAX_SIDES or ratio > PHOTO_MAX_RATIO:
            message = (
                f"A Telegram photo's width and height must total at most {PHOTO_MAX_SIDES} and their ratio "
                f"be at most {PHOTO_MAX_RATIO}; this one is {media.width}x{media.height}."
            )
            problems.append(Problem(field, message, "dimensions"))
    return problems


# The README table's row (`python -m providers.check`).
CAPABILITIES = {
    "content_kinds": ["text", "photo", "video", "animation", "document", "album"],
    "options": [
        "text",
        "disable_notification",
        "protect_content",
        "link_preview_options",
        "show_caption_above_media",
        "message_thread_id",
        "reply_to_message_id",
    ],
    "limits": {
        "text": f"{TEXT_LIMIT:,} characters (UTF-16 units); sent as HTML, escaped for you",
        "caption": f"{CAPTION_LIMIT:,} characters; a longer text goes as its own message after the media (a warning)",
        "media": f"1 file, or an album of {ALBUM_MIN}-{ALBUM_MAX} photos/videos or documents; a GIF alone",
        "photo": "JPEG/PNG/WEBP, at most 5 MB by URL, width + height ≤ 10,000, ratio ≤ 20",
        "video": "MP4, at most 20 MB by URL",
        "document": "PDF, at most 20 MB by URL",
        "analytics": "none: bots cannot read post metrics",
    },
}

# The limits as data (text length; media kinds, counts, formats, sizes).
LIMITS = Limits(
    text=TextLimit(TEXT_LIMIT, "utf16"),
    media=(
        MediaLimit("image", PHOTO_MIMES, max_count=ALBUM_MAX, max_bytes=PHOTO_URL_MAX_BYTES),
        MediaLimit("video", VIDEO_MIMES, max_count=ALBUM_MAX, max_bytes=FILE_URL_MAX_BYTES),
        MediaLimit("gif", ANIMATION_MIMES, max_count=1, max_bytes=FILE_URL_MAX_BYTES),
        MediaLimit("document", DOCUMENT_MIMES, max_count=ALBUM_MAX, max_bytes=FILE_URL_MAX_BYTES),
    ),
)
