"""Threads: what a post must be to publish, checked without I/O: the strict schema of
`platform_options.threads`, the limits (as constants and as the `LIMITS` table) and the
checks that turn content into problems.

Limits from Meta's Threads docs, "Posts" (https://developers.facebook.com/docs/threads/posts)
and "Text Attachments" (https://developers.facebook.com/docs/threads/create-posts/text-attachments).
"""

import re

from rest_framework import serializers

from providers.base import Content, Media, Problem
from providers.fields import StrictCharField, StrictSerializer
from providers.media_rules import DURATION, FORMAT, SIZE, media_breaches
from providers.network import Limits, MediaLimit, TextLimit

TEXT_LIMIT = 500
LINK_LIMIT = 5  # unique URLs in the text plus a different link attachment (since 2025-12-22)
ALT_TEXT_LIMIT = 1000
CAROUSEL_MIN, CAROUSEL_MAX = 2, 20  # the minimum of 2 is (unconfirmed)
POLL_OPTIONS = (2, 4)
POLL_OPTION_CHARS = 25
TOPIC_TAG_CHARS = 50  # (unconfirmed) as integrators document it; no "." or "&" (unconfirmed)
TOPIC_TAG_FORBIDDEN = ".&"
MAX_THREAD = 24  # further posts chained as replies; a Dravo bound, not Meta's
MB = 1024 * 1024
IMAGE_MIMES = ("image/jpeg", "image/png")
IMAGE_MAX_BYTES = 8 * MB  # (unconfirmed) Meta's media table as integrators quote it
VIDEO_MIMES = ("video/mp4", "video/quicktime")
VIDEO_MAX_BYTES = 1024 * MB  # (unconfirmed)
VIDEO_SECONDS = (0, 300)  # (unconfirmed) at most 5 minutes
REPLY_CONTROL = ("everyone", "accounts_you_follow", "mentioned_only", "parent_post_author_only", "followers_only")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
POST_ID = r"^[0-9]{1,25}$"


def is_emoji_part(char: str) -> bool:
    """Code points of emoji and their sequences (pictographs, dingbats, flags, keycaps,
    skin tones, tags, ZWJ and the emoji variation selector): Threads counts these as their
    UTF-8 bytes. A slightly wide net (some symbol blocks), so the count errs long."""
    point = ord(char)
    return (
        point >= 0x1F000
        or 0x2300 <= point <= 0x23FF
        or 0x2600 <= point <= 0x27BF
        or 0x2B00 <= point <= 0x2BFF
        or point in (0x200D, 0xFE0F, 0x20E3)
    )


def text_length(text: str) -> int:
    """Threads' count: a character is 1, an emoji its number of UTF-8 bytes (👍 is 4, a
    family emoji 18+). The "utf8_emoji" count of the compose form."""
    return sum(len(char.encode()) if is_emoji_part(char) else 1 for char in text)


def _link(url: str) -> str:
    url = re.sub(r"^https?://", "", url.rstrip(".,;:!?)").lower())
    return url.rstrip("/")


def links_in(text: str, attachment: str = "") -> int:
    """How many links Threads counts: the unique URLs of the text, plus the attachment URL
    when it is none of them (www.a.com in the text and as the attachment is one link)."""
    urls = {_link(url) for url in URL.findall(text or "")}
    if attachment:
        urls.add(_link(attachment))
    return len(urls)


class PollSerializer(StrictSerializer):
    options = serializers.ListField(
        child=StrictCharField(min_length=1, max_length=POLL_OPTION_CHARS, trim_whitespace=False),
        min_length=POLL_OPTIONS[0],
        max_length=POLL_OPTIONS[1],
        label="Poll choices",
    )


class ThreadsOptions(StrictSerializer):
    """`platform_options.threads`."""

    text = StrictCharField(required=False, allow_blank=True, trim_whitespace=False, label="Text on this network")
    reply_control = serializers.ChoiceField(choices=REPLY_CONTROL, required=False, label="Who can reply")
    topic_tag = StrictCharField(
        required=False,
        min_length=1,
        max_length=TOPIC_TAG_CHARS,
        label="Topic (one tag)",
        help_text="One topic, without the #.",
    )
    link_attachment = serializers.URLField(
        required=False, label="Link to attach", help_text="Shown as a link preview card."
    )
    poll = PollSerializer(required=False, label="Poll")
    thread = serializers.ListField(
        child=StrictCharField(trim_whitespace=False, allow_blank=True),
        max_length=MAX_THREAD,
        required=False,
        label="Thread: further posts",
    )
    quote_post_id = serializers.RegexField(POST_ID, required=False, label="Quote a post (its ID)")
    reply_to_post_id = serializers.RegexField(POST_ID, required=False, label="Reply to a post (its ID)")
    alt_text = StrictCharField(
        required=False,
        min_length=1,
        max_length=ALT_TEXT_LIMIT,
        trim_whitespace=False,
        label="Image description (alt text)",
        help_text="Read aloud by screen readers.",
    )

    def validate_topic_tag(self, value):
        if any(char in value for char in TOPIC_TAG_FORBIDDEN):
            raise serializers.ValidationError("A Threads topic tag cannot contain '.' or '&'.")
        return value

    def validate_thread(self, value):
        errors = {i: [p.message] for i, text in enumerate(value) for p in thread_part_problems("thread", text)[:1]}
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def validate(self, attrs):
        if "poll" in attrs and "link_attachment" in attrs:
            raise serializers.ValidationError({"poll": ["A Threads poll cannot carry a link attachment."]})
        return attrs


def option_field(option: str) -> str:
    return f"platform_options.threads.{option}"


def kind_of(content: Content) -> str:
    """text, image, video or carousel: the media_type of the post's container."""
    if len(content.media) > 1:
        return "carousel"
    if content.media:
        return "video" if content.media[0].kind == "video" else "image"
    return "text"


def text_problems(field: str, text: str, attachment: str = "") -> list[Problem]:
    problems = []
    length = text_length(text)
    if length > TEXT_LIMIT:
        rule = f"Threads allows {TEXT_LIMIT} characters (an emoji counts its UTF-8 bytes)"
        message = f"{rule}; this text counts {length}."
        problems.append(Problem(field, message, "too_long"))
    links = links_in(text, attachment)
    if links > LINK_LIMIT:
        rule = f"Threads allows at most {LINK_LIMIT} links per post (URLs in the text and the link attachment)"
        message = f"{rule}; this post has {links}."
        problems.append(Problem(field, message, "too_many_links"))
    return problems


def thread_part_problems(field: str, text: str) -> list[Problem]:
    if not text.strip():
        return [Problem(field, "Each post of a Threads thread needs text.", "required")]
    return text_problems(field, text)


def media_problems(content: Content) -> list[Problem]:
    media, problems = content.media, []
    for index, item in enumerate(media):
        if item.kind not in ("image", "video"):
            message = f"Threads takes images and videos only, not a {item.kind}."
            problems.append(Problem(f"media_urls.{index}", message, "unsupported_media"))
        else:
            problems += item_problems(f"media_urls.{index}", item)
    if len(media) > CAROUSEL_MAX:
        message = f"A Threads carousel takes {CAROUSEL_MIN} to {CAROUSEL_MAX} images and videos ({len(media)} given)."
        problems.append(Problem("media_urls", message, "too_many_media"))
    return problems


def item_problems(field: str, media: Media) -> list[Problem]:
    breaches = media_breaches(LIMITS.media_for(media.kind), media)
    image = media.kind == "image"
    words = {
        FORMAT: (f"Threads takes {'JPEG or PNG' if image else 'MP4 or MOV'} files, not {media.mime_type}.", "format"),
        SIZE: (f"A Threads {media.kind} must be at most {'8 MB' if image else '1 GB'}.", "too_large"),
        DURATION: (f"A Threads video lasts at most 5 minutes ({media.duration_s or 0:g} s given).", "bad_duration"),
    }
    return [Problem(field, *words[rule]) for rule in (FORMAT, SIZE, DURATION) if rule in breaches]


def option_problems(content: Content) -> list[Problem]:
    options, kind, problems = content.options or {}, kind_of(content), []
    if kind != "text":
        for name in ("poll", "link_attachment"):
            if name in options:
                message = f"A Threads {name.replace('_', ' ')} goes on a text-only post, not with media."
                problems.append(Problem(option_field(name), message, "not_applicable"))
    if "alt_text" in options and kind not in ("image", "video"):
        message = "alt_text applies to a post of one image or one video."
        problems.append(Problem(option_field("alt_text"), message, "not_applicable"))
    for index, text in enumerate(options.get("thread") or []):
        problems += thread_part_problems(option_field(f"thread.{index}"), text)
    return problems


def content_problems(content: Content) -> list[Problem]:
    """Every problem Threads would have with `content`. No I/O."""
    text = content.text or ""
    problems = text_problems("text", text, (content.options or {}).get("link_attachment", ""))
    if not text.strip() and not content.media:
        problems.append(Problem("text", "A Threads post needs text or media.", "required"))
    return problems + media_problems(content) + option_problems(content)


# The README table's row (`python -m providers.check`).
CAPABILITIES = {
    "content_kinds": ["text", "image", "video", "carousel", "link", "poll", "thread", "reply", "quote"],
    "options": [
        "text",
        "reply_control",
        "topic_tag",
        "link_attachment",
        "poll",
        "thread",
        "quote_post_id",
        "reply_to_post_id",
        "alt_text",
    ],
    "limits": {
        "text": "500 characters, an emoji counting its UTF-8 bytes; at most 5 links",
        "media": "1 image, 1 video, or a carousel of 2–20 images/videos",
        "image": "JPEG/PNG, ≤ 8 MB",
        "video": "MP4/MOV, ≤ 1 GB, ≤ 5 min",
        "poll": "2–4 options of 1–25 characters, text-only posts",
        "topic_tag": "one tag, 1–50 characters, no '.' or '&'",
        "thread": f"at most {MAX_THREAD} further posts, each within the text limit",
        "quota": "250 posts and 1,000 replies per 24 h (read before publishing)",
    },
}

# The limits as data (text length; media kinds, counts, formats, sizes, durations).
LIMITS = Limits(
    text=TextLimit(TEXT_LIMIT, "utf8_emoji"),
    media=(
        MediaLimit("image", IMAGE_MIMES, max_count=CAROUSEL_MAX, max_bytes=IMAGE_MAX_BYTES),
        MediaLimit("video", VIDEO_MIMES, max_count=CAROUSEL_MAX, max_bytes=VIDEO_MAX_BYTES, seconds=VIDEO_SECONDS),
    ),
)
