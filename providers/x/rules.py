"""X: what a post must be to publish, checked without I/O: the strict schema of
`platform_options.x`, the limits (as constants and as the `LIMITS` table) and the checks
that turn content into problems."""

from rest_framework import serializers
from twitter_text import parse_tweet

from providers.base import Media, Problem
from providers.fields import StrictSerializer
from providers.media_rules import DURATION, FORMAT, SIZE, media_breaches
from providers.network import Limits, MediaLimit, TextLimit

MAX_WEIGHTED = 280
MAX_IMAGES = 4
MAX_THREAD = 24
MB = 1024 * 1024
REPLY_SETTINGS = ("following", "mentionedUsers", "subscribers", "verified")
MEDIA_RULES = {  # https://docs.x.com/x-api/media/quickstart/best-practices
    "image": {"types": ("image/jpeg", "image/png", "image/gif", "image/webp"), "max_mb": 5},
    "gif": {"types": ("image/gif",), "max_mb": 15, "max_wh": (1280, 1080)},
    "video": {
        "types": ("video/mp4", "video/quicktime"),
        "max_mb": 512,
        "max_wh": (1280, 1024),
        "min_wh": (32, 32),
        "seconds": (0.5, 140),
        "aspect": (1 / 3, 3),
    },
}


class PollSerializer(StrictSerializer):
    options = serializers.ListField(
        child=serializers.CharField(min_length=1, max_length=25, trim_whitespace=False),
        min_length=2,
        max_length=4,
        label="Poll choices",
    )
    duration_minutes = serializers.IntegerField(
        min_value=5,
        max_value=10080,
        label="Poll length (minutes)",
        help_text="From 5 minutes to 7 days (10,080 minutes).",
    )


class XOptionsSerializer(StrictSerializer):
    """`platform_options.x`."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, label="Text on this network")
    poll = PollSerializer(required=False, label="Poll")
    thread = serializers.ListField(
        child=serializers.CharField(trim_whitespace=False),
        max_length=MAX_THREAD,
        required=False,
        label="Thread: further posts",
    )
    reply_settings = serializers.ChoiceField(choices=REPLY_SETTINGS, required=False, label="Who can reply")
    quote_post_id = serializers.RegexField(
        r"^[0-9]{1,19}$",
        required=False,
        label="Quote a post (its ID)",
        help_text="The numeric ID of the post to quote.",
    )
    reply_to_post_id = serializers.RegexField(
        r"^[0-9]{1,19}$",
        required=False,
        label="Reply to a post (its ID)",
        help_text="The numeric ID of the post this one answers.",
    )

    def validate_text(self, value):
        if problem := text_problem("text", value):
            raise serializers.ValidationError(problem.message)
        return value

    def validate_thread(self, value):
        errors = {i: [p.message] for i, text in enumerate(value) if (p := text_problem("thread", text, required=True))}
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def validate(self, attrs):
        if "poll" in attrs and "quote_post_id" in attrs:
            raise serializers.ValidationError({"poll": ["An X poll cannot quote a post: drop poll or quote_post_id."]})
        return attrs


def text_problem(field: str, text: str, *, required: bool = False) -> Problem | None:
    if required and not text.strip():
        return Problem(field, "Each post of an X thread needs text.", "required")
    weighted = parse_tweet(text).weightedLength
    if weighted > MAX_WEIGHTED:
        rule = f"X allows {MAX_WEIGHTED} weighted characters (URLs 23, emoji and CJK 2)"
        message = f"{rule}; this text counts {weighted}."
        return Problem(field, message, "too_long")
    return None


def media_mix_problems(media: tuple[Media, ...]) -> list[Problem]:
    kinds = [item.kind for item in media]
    if len(media) > 1 and any(kind in ("gif", "video") for kind in kinds):
        message = "A GIF or a video must be the only media of an X post (up to 4 images, or 1 GIF, or 1 video)."
        return [Problem("media_urls.1", message, "media_mix")]
    if len(media) > MAX_IMAGES:
        message = f"X allows at most {MAX_IMAGES} images per post; this post has {len(media)}."
        return [Problem(f"media_urls.{MAX_IMAGES}", message, "too_many_media")]
    return []


def media_problems(field: str, media: Media) -> list[Problem]:
    rule = MEDIA_RULES.get(media.kind)
    if rule is None:
        return [Problem(field, f"X does not accept {media.kind} media (images, a GIF or a video only).", "unsupported")]
    kind, problems = media.kind, []
    breaches = media_breaches(LIMITS.media_for(kind), media)
    if FORMAT in breaches:
        allowed = ", ".join(rule["types"])
        problems.append(Problem(field, f"X accepts a {kind} as {allowed}, not {media.mime_type}.", "format"))
    if SIZE in breaches:
        size = f"{media.size_bytes / MB:.1f} MB"
        problems.append(Problem(field, f"An X {kind} must be at most {rule['max_mb']} MB; this one is {size}.", "size"))
    if media.width and media.height:
        problems += dimension_problems(field, media, rule)
    if DURATION in breaches:
        low, high = rule["seconds"]
        message = f"An X video must last {low:g}-{high:g} s; this one lasts {media.duration_s:g} s."
        problems.append(Problem(field, message, "duration"))
    return problems


def dimension_problems(field: str, media: Media, rule: dict) -> list[Problem]:
    (max_w, max_h), (min_w, min_h) = rule.get("max_wh", (10**6, 10**6)), rule.get("min_wh", (1, 1))
    size = f"{media.width}x{media.height}"
    if not (min_w <= media.width <= max_w and min_h <= media.height <= max_h):
        limits = f"{min_w}x{min_h} to {max_w}x{max_h}" if "min_wh" in rule else f"at most {max_w}x{max_h}"
        return [Problem(field, f"An X {media.kind} must be {limits} pixels; this one is {size}.", "dimensions")]
    low, high = rule.get("aspect", (0, float("inf")))
    if not low <= media.width / media.height <= high:
        message = f"An X {media.kind} needs an aspect ratio from 1:3 to 3:1; this one is {size}."
        return [Problem(field, message, "aspect")]
    return []


# The README table's row (`python -m providers.check`).
CAPABILITIES = {
    "content_kinds": ["text", "images", "gif", "video", "poll", "thread", "reply", "quote"],
    "options": ["text", "poll", "thread", "reply_settings", "quote_post_id", "reply_to_post_id"],
    "limits": {
        "text": "280 weighted characters (each URL 23, emoji and CJK 2)",
        "media": "1-4 images, or 1 GIF, or 1 video; no mixing; no documents",
        "image": "JPG/PNG/GIF/WEBP, at most 5 MB",
        "gif": "at most 15 MB and 1280x1080",
        "video": "MP4/MOV, at most 512 MB, 0.5-140 s, 32x32 to 1280x1024, aspect 1:3 to 3:1",
        "poll": "2-4 options of 1-25 characters, 5-10,080 minutes, not with media or a quote",
        "thread": f"at most {MAX_THREAD} further posts, each within the text limit",
    },
}

# The limits as data (text length; media kinds, counts, formats, sizes, durations).
LIMITS = Limits(
    text=TextLimit(MAX_WEIGHTED, "weighted"),
    media=tuple(
        MediaLimit(
            kind,
            rule["types"],
            max_count=MAX_IMAGES if kind == "image" else 1,
            max_bytes=rule["max_mb"] * MB,
            seconds=rule.get("seconds"),
        )
        for kind, rule in MEDIA_RULES.items()
    ),
)
