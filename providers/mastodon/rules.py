"""Mastodon: what a post must be to publish, checked without I/O: the strict schema of
`platform_options.mastodon`, the limits and the checks that turn content into problems.

Every Mastodon server sets its own limits and publishes them in `GET /api/v2/instance`
(`configuration`): the client reads them when an account connects and keeps them with
the account (`instance_limits`). The values below are upstream Mastodon's defaults, used
when an instance does not say, and they are the `LIMITS` table (what the compose form and
`python -m providers.check` show).
Docs: https://docs.joinmastodon.org/methods/instance/#v2
"""

import re

import regex
from django.core.validators import RegexValidator
from rest_framework import serializers

from providers.base import Media, Problem
from providers.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictSerializer,
)
from providers.media_rules import FORMAT, SIZE, media_breaches
from providers.network import Limits, MediaLimit, TextLimit

MB = 1024 * 1024
VISIBILITIES = ("public", "unlisted", "private", "direct")
MAX_THREAD = 24  # Dravo's own bound on follow-up posts (Mastodon sets none)
IMAGE_MIMES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif", "image/avif")
VIDEO_MIMES = ("video/mp4", "video/quicktime", "video/webm")
# Upstream defaults of `configuration` (https://docs.joinmastodon.org/entities/Instance/#configuration),
# used for every key an instance leaves out.
DEFAULT_LIMITS = {
    "max_characters": 500,
    "max_media_attachments": 4,
    "characters_reserved_per_url": 23,
    "supported_mime_types": list(IMAGE_MIMES + VIDEO_MIMES),
    "image_size_limit": 16 * MB,
    "video_size_limit": 103_809_024,
    "description_limit": 1500,
    "poll_max_options": 4,
    "poll_max_characters_per_option": 50,
    "poll_min_expiration": 300,
    "poll_max_expiration": 2_629_746,
}
# `configuration` path of each kept limit.
INSTANCE_KEYS = {
    "max_characters": ("statuses", "max_characters"),
    "max_media_attachments": ("statuses", "max_media_attachments"),
    "characters_reserved_per_url": ("statuses", "characters_reserved_per_url"),
    "supported_mime_types": ("media_attachments", "supported_mime_types"),
    "image_size_limit": ("media_attachments", "image_size_limit"),
    "video_size_limit": ("media_attachments", "video_size_limit"),
    "description_limit": ("media_attachments", "description_limit"),
    "poll_max_options": ("polls", "max_options"),
    "poll_max_characters_per_option": ("polls", "max_characters_per_option"),
    "poll_min_expiration": ("polls", "min_expiration"),
    "poll_max_expiration": ("polls", "max_expiration"),
}

# Mastodon counts the text as its server does (StatusLengthValidator): grapheme clusters
# of the content warning plus the text, where each http(s) URL counts
# `characters_reserved_per_url` and a mention `@user@domain` counts as `@user` only.
# https://docs.joinmastodon.org/user/posting/#text
URL_RE = re.compile(r"(?<![\w@/])https?://[^\s<>\"]+", re.IGNORECASE)
URL_TRAILING = ".,:;!?)]}'\""
MENTION_RE = re.compile(r"(?<![/\w])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)(?:@[\w.-]+\w)?", re.IGNORECASE)
LANGUAGE = RegexValidator(r"^[a-z]{2,3}$", "An ISO 639 language code in lowercase, e.g. en.")
STATUS_ID = RegexValidator(r"^[A-Za-z0-9_-]{1,64}$", "A Mastodon status id.")
_COORD = r"-?(0(\.\d+)?|1(\.0+)?)"
FOCUS = RegexValidator(rf"^{_COORD},{_COORD}$", 'A focal point "x,y", each from -1.0 to 1.0.')


def instance_limits(instance: dict) -> dict:
    """The limits kept from a `GET /api/v2/instance` answer: each known one the instance
    gives (of the right type), else the upstream default. No I/O."""
    configuration = instance.get("configuration") if isinstance(instance.get("configuration"), dict) else {}
    limits = {}
    for name, (group, key) in INSTANCE_KEYS.items():
        value = (configuration.get(group) or {}).get(key) if isinstance(configuration.get(group), dict) else None
        default = DEFAULT_LIMITS[name]
        if isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
        else:
            ok = isinstance(value, list) and all(isinstance(item, str) for item in value) and value
        limits[name] = value if ok else default
    return limits


def limits_of(stored: dict | None) -> dict:
    """Stored limits completed with the defaults (an account connected before a limit was kept)."""
    stored = stored if isinstance(stored, dict) else {}
    return {name: stored.get(name, default) for name, default in DEFAULT_LIMITS.items()}


def graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


def countable_text(text: str, per_url: int = 23) -> str:
    """`text` as the server measures it: URLs as `per_url` characters, mentions without their domain."""

    def url(match: re.Match) -> str:
        found = match.group(0)
        kept = found.rstrip(URL_TRAILING)
        return "x" * per_url + found[len(kept) :]

    return MENTION_RE.sub(lambda match: "@" + match.group(1), URL_RE.sub(url, text))


def status_length(text: str, spoiler_text: str = "", per_url: int = 23) -> int:
    """The length Mastodon counts for a status: content warning plus text (graphemes,
    URLs `per_url`, mentions by their username). No I/O."""
    return graphemes(spoiler_text + countable_text(text, per_url))


class PollSerializer(StrictSerializer):
    options = serializers.ListField(
        child=StrictCharField(min_length=1, trim_whitespace=False), min_length=2, label="Poll choices"
    )
    expires_in = StrictIntegerField(
        min_value=1, help_text="Seconds the poll stays open.", label="Poll length (seconds)"
    )
    multiple = StrictBooleanField(required=False, label="Allow several choices")
    hide_totals = StrictBooleanField(required=False, label="Hide vote counts until the poll ends")


class MastodonOptionsSerializer(StrictSerializer):
    """`platform_options.mastodon`."""

    text = StrictCharField(required=False, allow_blank=True, trim_whitespace=False, label="Text on this network")
    visibility = StrictChoiceField(choices=VISIBILITIES, required=False, label="Who can see it")
    spoiler_text = StrictCharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        label="Content warning",
        help_text="Shown before the text, which stays folded until opened.",
    )
    sensitive = StrictBooleanField(
        required=False, label="Mark media as sensitive", help_text="Media stay blurred until opened."
    )
    language = StrictCharField(
        required=False, validators=[LANGUAGE], help_text="ISO 639 code, e.g. en.", label="Language"
    )
    poll = PollSerializer(required=False, label="Poll")
    thread = serializers.ListField(
        child=StrictCharField(trim_whitespace=False),
        max_length=MAX_THREAD,
        required=False,
        label="Thread: further posts",
    )
    in_reply_to_id = StrictCharField(required=False, validators=[STATUS_ID], label="Reply to a post (its ID)")
    alt_texts = serializers.ListField(
        child=StrictCharField(allow_blank=True, trim_whitespace=False),
        required=False,
        label="Media descriptions (alt text)",
        help_text="One per line, in the order of the media.",
    )
    focus_points = serializers.ListField(
        child=StrictCharField(validators=[FOCUS]),
        required=False,
        label="Media focal points",
        help_text="One x,y pair per line (from -1 to 1), in the order of the media.",
    )


def text_problems(field: str, text: str, spoiler_text: str, limits: dict, *, required: bool = False) -> list[Problem]:
    if required and not text.strip():
        return [Problem(field, "Each post of a Mastodon thread needs text.", "required")]
    length = status_length(text, spoiler_text, limits["characters_reserved_per_url"])
    if length > limits["max_characters"]:
        rule = (
            f"This Mastodon instance allows {limits['max_characters']:,} characters, content warning included "
            f"(each URL {limits['characters_reserved_per_url']}, a mention without its domain)"
        )
        return [Problem(field, f"{rule}; this text counts {length:,}.", "too_long")]
    return []


def media_mix_problems(media: tuple[Media, ...], limits: dict) -> list[Problem]:
    single = [item for item in media if item.kind in ("video", "gif")]
    if single and len(media) > 1:
        message = "A Mastodon video or GIF must be the only attachment of its post (it cannot be mixed with images)."
        return [Problem("media_urls.1", message, "media_mix")]
    most = limits["max_media_attachments"]
    if len(media) > most:
        message = f"This Mastodon instance allows {most} attachments per post; this post has {len(media)}."
        return [Problem(f"media_urls.{most}", message, "too_many_media")]
    return []


def media_problems(field: str, media: Media, limits: dict) -> list[Problem]:
    if media.kind not in ("image", "gif", "video"):
        return [Problem(field, f"Mastodon does not take {media.kind} media (images, a GIF or a video).", "unsupported")]
    table = limit_for(media.kind, limits)
    breaches = media_breaches(table, media)
    problems = []
    if FORMAT in breaches:
        message = f"This Mastodon instance does not take {media.mime_type} files."
        problems.append(Problem(field, message, "format"))
    if SIZE in breaches:
        message = (
            f"This Mastodon instance takes a {media.kind} of at most {table.max_bytes / MB:.1f} MB; "
            f"this one is {media.size_bytes / MB:.1f} MB."
        )
        problems.append(Problem(field, message, "size"))
    return problems


def limit_for(kind: str, limits: dict) -> MediaLimit:
    """The MediaLimit of `kind` on an instance with `limits` (its supported MIME types and sizes)."""
    mimes = tuple(limits["supported_mime_types"])
    if kind == "video":
        return MediaLimit("video", tuple(m for m in mimes if m.startswith("video/")), 1, limits["video_size_limit"])
    if kind == "gif":
        return MediaLimit("gif", tuple(m for m in mimes if m == "image/gif"), 1, limits["image_size_limit"])
    images = tuple(m for m in mimes if m.startswith("image/"))
    return MediaLimit("image", images, limits["max_media_attachments"], limits["image_size_limit"])


def option_problems(options: dict, media: tuple[Media, ...], limits: dict) -> list[Problem]:
    """Poll, alt text and focus rules of the instance."""
    problems = []
    root = "platform_options.mastodon"
    if poll := options.get("poll"):
        problems += poll_problems(f"{root}.poll", poll, limits)
        if media:
            problems.append(Problem(f"{root}.poll", "A Mastodon poll cannot be combined with media.", "conflict"))
    for key in ("alt_texts", "focus_points"):
        if len(options.get(key) or []) > len(media):
            message = f"{key} has {len(options[key])} items for {len(media)} media (one per media, in order)."
            problems.append(Problem(f"{root}.{key}", message, "too_many"))
    most = limits["description_limit"]
    for index, text in enumerate(options.get("alt_texts") or []):
        if graphemes(text) > most:
            message = (
                f"This Mastodon instance allows alt text of {most:,} characters; this one has {graphemes(text):,}."
            )
            problems.append(Problem(f"{root}.alt_texts.{index}", message, "too_long"))
    return problems


def poll_problems(field: str, poll: dict, limits: dict) -> list[Problem]:
    problems = []
    most, longest = limits["poll_max_options"], limits["poll_max_characters_per_option"]
    if len(poll["options"]) > most:
        message = f"This Mastodon instance allows {most} poll options; this poll has {len(poll['options'])}."
        problems.append(Problem(f"{field}.options", message, "too_many"))
    for index, option in enumerate(poll["options"]):
        if graphemes(option) > longest:
            message = f"A poll option on this Mastodon instance has at most {longest} characters."
            problems.append(Problem(f"{field}.options.{index}", message, "too_long"))
    low, high = limits["poll_min_expiration"], limits["poll_max_expiration"]
    if not low <= poll["expires_in"] <= high:
        message = f"A Mastodon poll runs {low:,} to {high:,} seconds; expires_in is {poll['expires_in']:,}."
        problems.append(Problem(f"{field}.expires_in", message, "out_of_range"))
    return problems


# The README table's row (`python -m providers.check`).
CAPABILITIES = {
    "content_kinds": ["text", "images", "gif", "video", "poll", "thread", "reply", "content_warning"],
    "options": [
        "text",
        "visibility",
        "spoiler_text",
        "sensitive",
        "language",
        "poll",
        "thread",
        "in_reply_to_id",
        "alt_texts",
        "focus_points",
    ],
    "limits": {
        "text": "the instance's own (upstream default 500), content warning included, each URL 23, mentions "
        "without their domain",
        "media": "up to the instance's attachment count (default 4) images, or 1 GIF or 1 video; no mixing",
        "image": "the instance's MIME types and size (default JPG/PNG/GIF/WEBP/HEIC/AVIF, 16 MB)",
        "video": "MP4/MOV/WEBM by default, at most the instance's size (default 99 MB)",
        "poll": "the instance's (default 2-4 options of up to 50 characters, 300 s to 30 days), not with media",
        "thread": f"at most {MAX_THREAD} further posts, each within the text limit",
    },
}

# The upstream defaults as data (an instance's own limits replace them per account).
LIMITS = Limits(
    text=TextLimit(DEFAULT_LIMITS["max_characters"], "url23"),
    media=tuple(limit_for(kind, DEFAULT_LIMITS) for kind in ("image", "gif", "video")),
)
