"""Pinterest: what a Pin must be to publish, checked without I/O: the strict schema of
`platform_options.pinterest`, the limits (as constants and as the `LIMITS` table) and the
checks that turn content into problems.

A Pin goes on a board (`board_id`, required) and carries one image, a carousel of 2–5
images or one video. Dravo's post text is the Pin's description; the title, link and alt
text are options. Limits from Pinterest's API v5 reference ("Create Pin", spec 5.23) and
its help centre's video specs (https://help.pinterest.com/en/business/article/video-pins).
"""

from rest_framework import serializers

from providers.base import Content, Media, Problem
from providers.fields import StrictCharField, StrictIntegerField, StrictSerializer
from providers.media_rules import DURATION, FORMAT, SIZE, media_breaches
from providers.network import Limits, MediaLimit, TextLimit

DESCRIPTION_LIMIT = 800  # the API's limit; the app shows about 500, the feed the first 50–60
TITLE_LIMIT = 100
ALT_TEXT_LIMIT = 500
LINK_LIMIT = 2048
CAROUSEL_MIN, CAROUSEL_MAX = 2, 5
MB = 1024 * 1024
# Pinterest fetches images from their URLs; these formats and the size are (unconfirmed):
# integrators quote them, Pinterest's ad specs say PNG/JPEG up to 10 MB.
IMAGE_MIMES = ("image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/tiff")
IMAGE_MAX_BYTES = 20 * MB
VIDEO_MIMES = ("video/mp4", "video/quicktime", "video/x-m4v")
VIDEO_MAX_BYTES = 2 * 1024 * MB
VIDEO_SECONDS = (4, 15 * 60)
NUMERIC_ID = r"^\d+$"
HEX_COLOR = r"^#[0-9A-Fa-f]{6}$"
VIDEO_ONLY = ("cover_image_url", "cover_image_key_frame_time")
OPT = "platform_options.pinterest"


class StrictRegexField(serializers.RegexField):
    """A JSON string matching the pattern: a number is a type error, never converted (a
    board id is a numeric string, and a JSON number that long loses digits elsewhere)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class PinterestOptions(StrictSerializer):
    """`platform_options.pinterest`. `board_id` is required on every Pin; validate() says so
    (the schema alone also checks options given without it, e.g. in a per-network override)."""

    board_id = StrictRegexField(NUMERIC_ID, max_length=30, required=False, label="Board")
    board_section_id = StrictRegexField(NUMERIC_ID, max_length=30, required=False, label="Board section (its ID)")
    title = StrictCharField(
        required=False, min_length=1, max_length=TITLE_LIMIT, trim_whitespace=False, label="Pin title"
    )
    link = serializers.URLField(
        required=False, max_length=LINK_LIMIT, label="Destination link", help_text="Where the Pin leads when clicked."
    )
    alt_text = StrictCharField(
        required=False,
        min_length=1,
        max_length=ALT_TEXT_LIMIT,
        trim_whitespace=False,
        label="Image description (alt text)",
        help_text="Read aloud by screen readers.",
    )
    dominant_color = StrictRegexField(
        HEX_COLOR,
        required=False,
        label="Placeholder colour",
        help_text="A hex colour shown while the image loads, e.g. #6E7874.",
    )
    cover_image_url = serializers.URLField(required=False, max_length=LINK_LIMIT, label="Video cover image URL")
    cover_image_key_frame_time = StrictIntegerField(
        required=False, min_value=0, label="Video cover frame (seconds into the video)"
    )

    def validate(self, attrs):
        if "cover_image_url" in attrs and "cover_image_key_frame_time" in attrs:
            message = "A Pinterest video takes one cover: cover_image_url or cover_image_key_frame_time, not both."
            raise serializers.ValidationError({"cover_image_key_frame_time": [message]})
        return attrs


def option_field(option: str) -> str:
    return f"{OPT}.{option}"


def kind_of(content: Content) -> str:
    """image, carousel or video: the Pin's `media_source`."""
    if any(item.kind == "video" for item in content.media):
        return "video"
    return "carousel" if len(content.media) > 1 else "image"


def text_problems(text: str) -> list[Problem]:
    if len(text) > DESCRIPTION_LIMIT:
        message = f"A Pinterest description is at most {DESCRIPTION_LIMIT} characters; this text has {len(text)}."
        return [Problem("text", message, "too_long")]
    return []


def item_problems(field: str, media: Media) -> list[Problem]:
    breaches = media_breaches(LIMITS.media_for(media.kind), media)
    image = media.kind == "image"
    words = {
        FORMAT: (
            f"Pinterest takes {'JPEG, PNG, WEBP, GIF, BMP or TIFF' if image else 'MP4, MOV or M4V'} files, "
            f"not {media.mime_type}.",
            "format",
        ),
        SIZE: (f"A Pinterest {media.kind} must be at most {'20 MB' if image else '2 GB'}.", "too_large"),
        DURATION: (
            f"A Pinterest video lasts 4 seconds to 15 minutes ({media.duration_s or 0:g} s given).",
            "bad_duration",
        ),
    }
    return [Problem(field, *words[rule]) for rule in (FORMAT, SIZE, DURATION) if rule in breaches]


def media_problems(media: tuple[Media, ...]) -> list[Problem]:
    if not media:
        return [Problem("media_urls", "A Pin needs one image, 2–5 images or one video.", "required")]
    problems = []
    for index, item in enumerate(media):
        if item.kind not in ("image", "video"):
            message = f"Pinterest takes images and videos only, not a {item.kind}."
            problems.append(Problem(f"media_urls.{index}", message, "unsupported_media"))
        else:
            problems += item_problems(f"media_urls.{index}", item)
    videos = sum(item.kind == "video" for item in media)
    if videos and len(media) > 1:
        message = "A Pinterest video Pin carries one video and nothing else (a carousel takes images only)."
        problems.append(Problem("media_urls", message, "mixed_media"))
    elif len(media) > CAROUSEL_MAX:
        message = f"A Pinterest carousel takes {CAROUSEL_MIN} to {CAROUSEL_MAX} images ({len(media)} given)."
        problems.append(Problem("media_urls", message, "too_many_media"))
    return problems


def option_problems(content: Content) -> list[Problem]:
    options, problems = content.options or {}, []
    if not options.get("board_id"):
        message = (
            "Pinterest needs the board the Pin goes on: set board_id (GET /v1/accounts/{id}/destinations lists them)."
        )
        problems.append(Problem(option_field("board_id"), message, "required"))
    kind = kind_of(content) if content.media else ""
    if kind and kind != "video":
        for name in VIDEO_ONLY:
            if name in options:
                message = f"{name} is the cover of a video Pin; this Pin has no video."
                problems.append(Problem(option_field(name), message, "not_applicable"))
    if kind == "video" and "dominant_color" in options:
        message = "dominant_color applies to image Pins, not to a video Pin."
        problems.append(Problem(option_field("dominant_color"), message, "not_applicable"))
    return problems


def content_problems(content: Content) -> list[Problem]:
    """Every problem Pinterest would have with `content`. No I/O."""
    return text_problems(content.text or "") + media_problems(content.media) + option_problems(content)


# The README table's row (`python -m providers.check`).
CAPABILITIES = {
    "content_kinds": ["image", "video", "carousel"],
    "options": [
        "board_id",
        "board_section_id",
        "title",
        "link",
        "alt_text",
        "dominant_color",
        "cover_image_url",
        "cover_image_key_frame_time",
    ],
    "limits": {
        "text": "the description, 800 characters",
        "title": "100 characters",
        "alt_text": "500 characters",
        "link": "2,048 characters",
        "media": "required: 1 image, a carousel of 2–5 images, or 1 video",
        "image": "JPEG/PNG/WEBP/GIF/BMP/TIFF, ≤ 20 MB (fetched by Pinterest from the URL)",
        "video": "MP4/MOV/M4V, ≤ 2 GB, 4 s–15 min (uploaded; cover: an image URL or a key frame, default 0 s)",
        "board": "board_id required (the account's boards are its destinations)",
    },
}

# The limits as data (text length; media kinds, counts, formats, sizes, durations).
LIMITS = Limits(
    text=TextLimit(DESCRIPTION_LIMIT, "chars"),
    media=(
        MediaLimit("image", IMAGE_MIMES, max_count=CAROUSEL_MAX, max_bytes=IMAGE_MAX_BYTES),
        MediaLimit("video", VIDEO_MIMES, max_count=1, max_bytes=VIDEO_MAX_BYTES, seconds=VIDEO_SECONDS),
    ),
    media_required=True,
)
