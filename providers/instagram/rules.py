"""Instagram: what a post must be to publish, checked without I/O: the strict schema of
`platform_options.instagram`, the limits (as constants and as the `LIMITS` table) and the checks
that turn content into problems."""

import re

from rest_framework import serializers

from providers.base import Content, Media, Problem
from providers.fields import StrictBooleanField, StrictIntegerField, StrictSerializer
from providers.media_rules import DURATION, FORMAT, SIZE, media_breaches
from providers.network import Limits, MediaLimit, TextLimit

CAPTION_LIMIT = 2200
HASHTAG_LIMIT = 30
HASHTAG = re.compile(r"#\w+")
CAROUSEL_MIN, CAROUSEL_MAX = 2, 10
COLLABORATORS_MAX = 3
IMAGE_MIMES = ("image/jpeg",)
IMAGE_MAX_BYTES = 8 * 1024 * 1024
IMAGE_WIDTH = (320, 1440)
IMAGE_ASPECT = (4 / 5, 1.91)
VIDEO_MIMES = ("video/mp4", "video/quicktime")
VIDEO_MAX_BYTES = 300 * 1024 * 1024
VIDEO_MAX_WIDTH = 1920
REEL_SECONDS = (3, 15 * 60)
STORY_VIDEO_MAX_S = 60
REEL_OPTIONS = ("share_to_feed", "cover_url", "thumb_offset_ms")
STORY_UNSUPPORTED = ("first_comment", "collaborators", "location_id", "alt_text") + REEL_OPTIONS


class InstagramOptions(StrictSerializer):
    """`platform_options.instagram`."""

    text = serializers.CharField(
        required=False, allow_blank=True, max_length=CAPTION_LIMIT, trim_whitespace=False, label="Text on this network"
    )
    placement = serializers.ChoiceField(
        choices=["feed", "reel", "story"],
        required=False,
        label="Where it appears",
        help_text="The feed, Reels or a story.",
    )
    first_comment = serializers.CharField(
        required=False,
        min_length=1,
        max_length=2200,
        trim_whitespace=False,
        label="Comment posted right after it",
        help_text="Posted as a comment right after the post (a place for hashtags).",
    )
    share_to_feed = StrictBooleanField(required=False, label="Also show the Reel in the feed")
    collaborators = serializers.ListField(
        child=serializers.CharField(min_length=1, max_length=30),
        required=False,
        max_length=COLLABORATORS_MAX,
        label="Collaborators",
        help_text="Usernames invited as co-authors, one per line.",
    )
    cover_url = serializers.URLField(
        required=False, label="Cover image URL", help_text="The image shown before a Reel plays."
    )
    thumb_offset_ms = StrictIntegerField(required=False, min_value=0, label="Cover frame (milliseconds into the video)")
    location_id = serializers.CharField(
        required=False, min_length=1, label="Tag a place (its location ID)", help_text="The ID of a place page to tag."
    )
    alt_text = serializers.CharField(
        required=False, max_length=1000, label="Image description (alt text)", help_text="Read aloud by screen readers."
    )

    def validate(self, attrs):
        if attrs.get("placement") == "story":
            refused = {name: ["Not available for an Instagram story."] for name in STORY_UNSUPPORTED if name in attrs}
            if refused:
                raise serializers.ValidationError(refused)
        if attrs.get("placement") == "reel" and "alt_text" in attrs:
            raise serializers.ValidationError({"alt_text": ["alt_text applies to images only, not to a Reel."]})
        return attrs


def option_field(option: str) -> str:
    return f"platform_options.instagram.{option}"


def kind_of(content: Content) -> str:
    """image, carousel, reel or story: a single video in feed is published as a Reel."""
    placement = content.options.get("placement", "feed")
    if placement in ("reel", "story"):
        return placement
    if len(content.media) > 1:
        return "carousel"
    return "reel" if content.media and content.media[0].kind == "video" else "image"


MESSAGES = {
    "too_long": "Instagram captions are limited to 2,200 characters ({n:,} given).",
    "too_many_hashtags": "Instagram allows at most 30 hashtags per caption ({n} given).",
    "media_required": "Instagram needs an image or a video: text-only posts are not possible.",
    "unsupported_media": "Instagram accepts images and videos only, not a {kind}.",
    "one_media": "An Instagram {kind} takes exactly one image or video ({n} given).",
    "too_many_media": "An Instagram carousel takes 2 to 10 items ({n} given).",
    "video_required": "An Instagram Reel needs a video.",
    "reel_only": "{name} applies only to a Reel (placement 'reel' or a single video in feed).",
    "image_only": "alt_text applies only to a single feed image.",
    "image_format": "Instagram accepts JPEG images only (got {mime}).",
    "image_size": "Instagram images must be at most 8 MB.",
    "image_width": "Instagram feed images must be 320 to 1440 px wide ({width} px).",
    "aspect_ratio": "Instagram feed images need an aspect ratio from 4:5 to 1.91:1 ({ratio:.2f}:1).",
    "video_format": "Instagram accepts MP4 or MOV videos only (got {mime}).",
    "video_size": "Instagram videos must be at most 300 MB.",
    "video_width": "Instagram videos must be at most 1920 px wide ({width} px).",
    "reel_duration": "Instagram Reels must last 3 s to 15 min ({seconds:g} s).",
    "story_duration": "Instagram story videos must last at most 60 s ({seconds:g} s).",
}
CODES = {"one_media": "too_many_media", "reel_only": "not_applicable", "image_only": "not_applicable"}
CODES.update({key: "unsupported_format" for key in ("image_format", "video_format")})
CODES.update({key: "too_large" for key in ("image_size", "video_size")})
CODES.update({key: "bad_dimensions" for key in ("image_width", "video_width")})
CODES.update({"aspect_ratio": "bad_aspect_ratio", "reel_duration": "bad_duration", "story_duration": "bad_duration"})


def rule_problem(field: str, rule: str, **values) -> Problem:
    return Problem(field, MESSAGES[rule].format(**values), CODES.get(rule, rule))


def text_problems(content: Content) -> list[Problem]:
    if kind_of(content) == "story":
        return []  # stories have no caption; the text is dropped with a warning
    text, problems = content.text or "", []
    if len(text) > CAPTION_LIMIT:
        problems.append(rule_problem("text", "too_long", n=len(text)))
    if len(HASHTAG.findall(text)) > HASHTAG_LIMIT:
        problems.append(rule_problem("text", "too_many_hashtags", n=len(HASHTAG.findall(text))))
    return problems


def media_problems(content: Content) -> list[Problem]:
    kind, media = kind_of(content), content.media
    if not media:
        return [rule_problem("media_urls", "media_required")]
    problems = [
        rule_problem(f"media_urls.{i}", "unsupported_media", kind=item.kind)
        for i, item in enumerate(media)
        if item.kind not in ("image", "video")
    ]
    if kind in ("story", "reel") and len(media) > 1:
        problems.append(rule_problem("media_urls", "one_media", kind=kind, n=len(media)))
    if kind == "reel" and media[0].kind != "video":
        problems.append(rule_problem("media_urls.0", "video_required"))
    if kind == "carousel" and len(media) > CAROUSEL_MAX:
        problems.append(rule_problem("media_urls", "too_many_media", n=len(media)))
    return problems


def option_problems(content: Content) -> list[Problem]:
    kind, options = kind_of(content), content.options
    problems = [
        rule_problem(option_field(name), "reel_only", name=name)
        for name in REEL_OPTIONS
        if name in options and kind != "reel"
    ]
    if "alt_text" in options and kind != "image":
        problems.append(rule_problem(option_field("alt_text"), "image_only"))
    return problems


def image_problems(field: str, media: Media, story: bool) -> list[Problem]:
    ratio = media.width / media.height if media.width and media.height else None
    breaches = media_breaches(LIMITS.media_for("image"), media)
    broken = {
        "image_format": FORMAT in breaches,
        "image_size": SIZE in breaches,
        "image_width": media.width and not story and not IMAGE_WIDTH[0] <= media.width <= IMAGE_WIDTH[1],
        "aspect_ratio": ratio and not story and not IMAGE_ASPECT[0] - 0.005 <= ratio <= IMAGE_ASPECT[1] + 0.005,
    }
    values = {"mime": media.mime_type, "width": media.width, "ratio": ratio or 0}
    return [rule_problem(field, rule, **values) for rule, bad in broken.items() if bad]


def video_problems(field: str, media: Media, story: bool) -> list[Problem]:
    seconds = media.duration_s
    breaches = media_breaches(LIMITS.media_for("video"), media)  # its durations are a Reel's
    broken = {
        "video_format": FORMAT in breaches,
        "video_size": SIZE in breaches,
        "video_width": media.width and media.width > VIDEO_MAX_WIDTH,
        "story_duration": story and seconds is not None and seconds > STORY_VIDEO_MAX_S,
        "reel_duration": not story and DURATION in breaches,
    }
    values = {"mime": media.mime_type, "width": media.width, "seconds": seconds or 0}
    return [rule_problem(field, rule, **values) for rule, bad in broken.items() if bad]


def metadata_problems(content: Content) -> list[Problem]:
    story, problems = kind_of(content) == "story", []
    for i, media in enumerate(content.media):
        check = {"image": image_problems, "video": video_problems}.get(media.kind)
        if check:
            problems += check(f"media_urls.{i}", media, story)
    return problems


# The README table's row (`python -m providers.check`).
CAPABILITIES = {
    "content_kinds": ["image", "carousel", "reel", "story"],
    "options": [
        "placement",
        "first_comment",
        "share_to_feed",
        "collaborators",
        "cover_url",
        "thumb_offset_ms",
        "location_id",
        "alt_text",
    ],
    "limits": {
        "text": "caption ≤ 2,200 characters, ≤ 30 hashtags (no caption on stories)",
        "media": "1 image, 1 video (a Reel), carousel of 2–10 images/videos, story of 1 image or video",
        "image": "JPEG, ≤ 8 MB, 320–1440 px wide, aspect 4:5 to 1.91:1 (feed)",
        "video": "MP4/MOV, ≤ 300 MB, ≤ 1920 px wide, Reels 3 s–15 min, story video ≤ 60 s",
        "first_comment": "1–2,200 characters",
        "collaborators": "≤ 3 usernames",
    },
}

# The limits as data (text length; media kinds, counts, formats, sizes, durations).
LIMITS = Limits(
    text=TextLimit(CAPTION_LIMIT, "chars"),
    media=(
        MediaLimit("image", IMAGE_MIMES, max_count=CAROUSEL_MAX, max_bytes=IMAGE_MAX_BYTES),
        MediaLimit("video", VIDEO_MIMES, max_count=CAROUSEL_MAX, max_bytes=VIDEO_MAX_BYTES, seconds=REEL_SECONDS),
    ),
    media_required=True,
)
