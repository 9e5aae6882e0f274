"""YouTube: what a video must be to publish, checked without I/O: the strict schema of
`platform_options.youtube`, the limits (as constants and as the `LIMITS` table) and the
checks that turn content into problems.

A YouTube post is one video (the Data API uploads videos only). Its title is the option
`title`, else the first line of the post text; its description is the option
`description`, else the post text. Limits from the Data API's `videos.insert` and video
resource references (https://developers.google.com/youtube/v3/docs/videos/insert,
https://developers.google.com/youtube/v3/docs/videos#resource).
"""

from rest_framework import serializers

from providers.base import Content, Media, Problem
from providers.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictSerializer,
)
from providers.media_rules import DURATION, FORMAT, SIZE, media_breaches
from providers.network import Limits, MediaLimit, TextLimit

TITLE_LIMIT = 100  # characters
DESCRIPTION_BYTES = 5000  # UTF-8 bytes
# Tags: 500 characters in all, a tag containing a space counting its quotes too
# (unconfirmed: the video resource page's wording, not checked against the API).
TAGS_LIMIT = 500
GB = 1024**3
VIDEO_MAX_BYTES = 256 * GB
# `video/*` or application/octet-stream (videos.insert); the common containers listed.
VIDEO_MIMES = (
    "video/mp4",
    "video/quicktime",
    "video/webm",
    "video/x-msvideo",
    "video/x-matroska",
    "video/mpeg",
    "video/3gpp",
    "video/x-flv",
    "video/x-ms-wmv",
    "application/octet-stream",
)
# 15 minutes for a channel that has not verified a phone number, 12 hours once it has
# (unconfirmed); Dravo checks the longer one and YouTube refuses the rest.
VIDEO_SECONDS = (0.0, 12 * 3600.0)
UNVERIFIED_SECONDS = 15 * 60
SHORTS_SECONDS = 180  # a square or vertical video up to 3 minutes is a Short
PRIVACY = ("public", "unlisted", "private")
LICENSES = ("youtube", "creativeCommon")
THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024
THUMBNAIL_MIMES = ("image/jpeg", "image/png")
ID_PATTERN = r"^[A-Za-z0-9_-]+$"
OPT = "platform_options.youtube"


class TagField(StrictCharField):
    def __init__(self, **kwargs):
        super().__init__(min_length=1, max_length=TAGS_LIMIT, trim_whitespace=False, **kwargs)


class YouTubeOptions(StrictSerializer):
    """`platform_options.youtube`: the video's snippet and status fields, and what Dravo
    does after the upload (the playlist, the custom thumbnail)."""

    title = StrictCharField(
        required=False,
        min_length=1,
        max_length=TITLE_LIMIT,
        trim_whitespace=False,
        label="Video title",
        help_text="Without it, the first line of the text.",
    )
    description = StrictCharField(required=False, allow_blank=True, trim_whitespace=False, label="Video description")
    tags = serializers.ListField(
        child=TagField(), required=False, max_length=TAGS_LIMIT, label="Tags", help_text="One per line."
    )
    category_id = serializers.RegexField(
        r"^\d{1,4}$",
        required=False,
        label="Category (its ID)",
        help_text="A YouTube category number, e.g. 22 for People & Blogs.",
    )
    privacy_status = StrictChoiceField(PRIVACY, required=False, label="Who can watch")
    made_for_kids = StrictBooleanField(
        required=False,
        label="Made for children (COPPA)",
        help_text="Required by law (COPPA) when it is aimed at children.",
    )
    contains_synthetic_media = StrictBooleanField(
        required=False,
        label="Disclose altered or AI-generated content",
        help_text="Realistic content made or changed with AI or editing.",
    )
    shorts = StrictBooleanField(required=False, label="Publish as a Short")
    playlist_id = serializers.RegexField(ID_PATTERN, max_length=64, required=False, label="Playlist")
    thumbnail_url = serializers.URLField(required=False, max_length=2048, label="Thumbnail image URL")
    notify_subscribers = StrictBooleanField(required=False, label="Tell subscribers it is out")
    default_language = serializers.RegexField(
        r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        required=False,
        label="Language of the title and description",
        help_text="A language code, e.g. en.",
    )
    license = StrictChoiceField(LICENSES, required=False, label="Licence")
    embeddable = StrictBooleanField(required=False, label="Allow embedding on other sites")
    public_stats_viewable = StrictBooleanField(required=False, label="Show view statistics publicly")

    def to_internal_value(self, data):
        for name in ("category_id", "playlist_id", "default_language"):
            if isinstance(data, dict) and name in data and not isinstance(data[name], str):
                raise serializers.ValidationError({name: ["A JSON string."]})
        return super().to_internal_value(data)


def option_field(option: str) -> str:
    return f"{OPT}.{option}"


def title_of(content: Content) -> str:
    """The video's title: the option, else the post text's first non-blank line, cut to
    100 characters."""
    options = content.options or {}
    if options.get("title"):
        return options["title"]
    line = next((line.strip() for line in (content.text or "").splitlines() if line.strip()), "")
    return line[:TITLE_LIMIT].rstrip()


def description_of(content: Content) -> str:
    options = content.options or {}
    return options["description"] if "description" in options else content.text or ""


def tags_length(tags: list[str]) -> int:
    """How YouTube counts the tags against 500: each tag's characters, plus two for the
    quotes of a tag with a space."""
    return sum(len(tag) + (2 if " " in tag else 0) for tag in tags)


def is_short(media: Media) -> bool | None:
    """Whether YouTube will take this video for a Short (square or vertical, ≤ 3 minutes),
    from the media probe; None when the probe did not give the size or duration."""
    if media.width is None or media.height is None or media.duration_s is None:
        return None
    return media.height >= media.width and media.duration_s <= SHORTS_SECONDS


def text_problems(content: Content) -> list[Problem]:
    problems = []
    title, description = title_of(content), description_of(content)
    if not title:
        message = "A YouTube video needs a title: set title, or give the post a text (its first line is the title)."
        problems.append(Problem(option_field("title"), message, "required"))
    title_field = option_field("title") if (content.options or {}).get("title") else "text"
    description_field = option_field("description") if "description" in (content.options or {}) else "text"
    if "<" in title or ">" in title:
        problems.append(Problem(title_field, "A YouTube title cannot contain < or >.", "invalid_characters"))
    if "<" in description or ">" in description:
        problems.append(
            Problem(description_field, "A YouTube description cannot contain < or >.", "invalid_characters")
        )
    size = len(description.encode("utf-8"))
    if size > DESCRIPTION_BYTES:
        message = f"A YouTube description is at most {DESCRIPTION_BYTES} bytes (UTF-8); this one has {size}."
        problems.append(Problem(description_field, message, "too_long"))
    return problems


def media_problems(media: tuple[Media, ...]) -> list[Problem]:
    if not media:
        return [Problem("media_urls", "A YouTube post is one video.", "required")]
    problems = []
    for index, item in enumerate(media):
        field = f"media_urls.{index}"
        if item.kind != "video":
            kind = {"image": "an image", "gif": "a GIF", "document": "a document"}.get(item.kind, item.kind)
            problems.append(Problem(field, f"YouTube takes videos only, not {kind}.", "unsupported_media"))
            continue
        breaches = media_breaches(LIMITS.media_for("video"), item)
        if FORMAT in breaches:
            problems.append(Problem(field, f"YouTube takes video files, not {item.mime_type}.", "format"))
        if SIZE in breaches:
            problems.append(Problem(field, "A YouTube video is at most 256 GB.", "too_large"))
        if DURATION in breaches:
            message = f"A YouTube video lasts at most 12 hours ({item.duration_s or 0:g} s given)."
            problems.append(Problem(field, message, "bad_duration"))
    if len(media) > 1:
        problems.append(Problem("media_urls", f"A YouTube post is one video ({len(media)} given).", "too_many_media"))
    return problems


def option_problems(content: Content) -> list[Problem]:
    options, problems = content.options or {}, []
    tags = options.get("tags") or []
    if tags_length(tags) > TAGS_LIMIT:
        message = f"YouTube tags are at most {TAGS_LIMIT} characters in all (a tag with a space counts its quotes)."
        problems.append(Problem(option_field("tags"), message, "too_long"))
    if any("<" in tag or ">" in tag or "," in tag for tag in tags):
        problems.append(Problem(option_field("tags"), "A YouTube tag cannot contain <, > or a comma.", "invalid"))
    video = next((item for item in content.media if item.kind == "video"), None)
    if options.get("shorts") and video is not None:
        short = is_short(video)
        if short is None:
            message = "shorts needs the video's width, height and duration, which the media probe did not give."
            problems.append(Problem(option_field("shorts"), message, "unknown_media"))
        elif not short:
            message = (
                f"YouTube takes a square or vertical video of at most {SHORTS_SECONDS} seconds for a Short "
                f"({video.width}×{video.height}, {video.duration_s:g} s given)."
            )
            problems.append(Problem(option_field("shorts"), message, "not_a_short"))
    return problems


def content_problems(content: Content) -> list[Problem]:
    """Every problem YouTube would have with `content`. No I/O."""
    return text_problems(content) + media_problems(content.media) + option_problems(content)


# The README table's row (`python -m providers.check`).
CAPABILITIES = {
    "content_kinds": ["video", "short"],
    "options": [
        "title",
        "description",
        "tags",
        "category_id",
        "privacy_status",
        "made_for_kids",
        "contains_synthetic_media",
        "shorts",
        "playlist_id",
        "thumbnail_url",
        "notify_subscribers",
        "default_language",
        "license",
        "embeddable",
        "public_stats_viewable",
    ],
    "limits": {
        "text": "the description, 5,000 bytes (no < or >); the title (100 characters) defaults to its first line",
        "tags": "500 characters in all",
        "media": "required: 1 video",
        "video": "video/* (MP4, MOV, WebM…), ≤ 256 GB, ≤ 12 h (15 min for an unverified channel)",
        "shorts": "square or vertical, ≤ 3 min (YouTube decides; the option only checks)",
        "thumbnail": "JPEG/PNG ≤ 2 MB (a channel without custom thumbnails: a warning)",
        "quota": "per Google Cloud project and Pacific day: videos.insert 1,600 of 10,000 units",
    },
}

# The limits as data (text length; media kinds, counts, formats, sizes, durations).
LIMITS = Limits(
    text=TextLimit(DESCRIPTION_BYTES, "utf8"),
    media=(MediaLimit("video", VIDEO_MIMES, max_count=1, max_bytes=VIDEO_MAX_BYTES, seconds=VIDEO_SECONDS),),
    media_required=True,
)
