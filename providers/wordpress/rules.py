"""WordPress: what a blog post must be to publish, checked without I/O: the strict schema of
`platform_options.wordpress`, the limits (as constants and as the `LIMITS` table) and the
checks that turn content into problems.

A post is a title and HTML content. The title is the `title` option, else the text's first
line (the rest of the text is then the content; a first line longer than 200 characters
is cut there, with an ellipsis, for the title and kept whole in the content). The text
becomes paragraphs (`<p>`; a single line break is `<br />`), HTML-escaped, unless the
`html` option says it is already HTML or block markup. Images are uploaded to the media
library: the first is the post's featured image, the others follow the text as image
blocks. WordPress sets no length limit (`post_content` is a LONGTEXT; the site's PHP
`post_max_size` is the real bound), so Dravo caps the text at CONTENT_LIMIT characters.
"""

from rest_framework import serializers

from providers.base import Content, Media, Problem
from providers.fields import StrictBooleanField, StrictCharField, StrictChoiceField, StrictSerializer
from providers.media_rules import FORMAT, SIZE, media_breaches
from providers.network import Limits, MediaLimit, TextLimit

CONTENT_LIMIT = 100_000  # Dravo's own cap (WordPress has none; PHP's post size decides)
TITLE_LIMIT = 1000  # Dravo's own cap on a title (WordPress has no hard limit)
TITLE_FROM_TEXT = 200  # a longer first line is cut there for the title, and kept in the post
EXCERPT_LIMIT = 5000
SLUG_LIMIT = 200  # the `post_name` column is 200 characters
TAG_LIMIT = 200  # a term's name
MAX_TAGS = 50
MAX_CATEGORIES = 100
MAX_IMAGES = 20  # Dravo's bound on images per post (uploads are one call each)
MB = 1024 * 1024
# The image types WordPress accepts by default (SVG is refused unless a plugin allows it);
# the size is the site's PHP upload limit: unknown here, so unchecked.
IMAGE_MIMES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/avif")
FORMATS = ("standard", "aside", "chat", "gallery", "link", "image", "quote", "status", "video", "audio")
COMMENT_STATUSES = ("open", "closed")
# What the post is on the site once Dravo sends it (at the post's time: Dravo schedules,
# so WordPress's own `future` is not offered): published, or kept for the site's editors.
STATUSES = ("publish", "draft", "pending", "private")
SLUG_RE = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
OPT = "platform_options.wordpress"


class StrictRegexField(serializers.RegexField):
    """A JSON string matching the pattern: a number is a type error, never converted."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CategoryIdField(serializers.Field):
    """A category id: a positive JSON integer, or its digits as a string (how destinations
    and the compose form give it); normalised to an integer."""

    default_error_messages = {"invalid": "A category id is a positive integer (or its digits as a string)."}

    def to_internal_value(self, data):
        if isinstance(data, str) and data.isdigit():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int) or data < 1:
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class WordPressOptions(StrictSerializer):
    """`platform_options.wordpress`."""

    title = StrictCharField(required=False, min_length=1, max_length=TITLE_LIMIT, label="Post title")
    html = StrictBooleanField(
        required=False, label="The text is HTML", help_text="Without it, the text is escaped and its line breaks kept."
    )
    excerpt = StrictCharField(
        required=False,
        max_length=EXCERPT_LIMIT,
        trim_whitespace=False,
        label="Excerpt",
        help_text="The summary shown in lists of posts.",
    )
    slug = StrictRegexField(
        SLUG_RE,
        required=False,
        max_length=SLUG_LIMIT,
        label="Address slug",
        help_text="The end of the post's address, e.g. my-first-post.",
    )
    categories = serializers.ListField(
        child=CategoryIdField(), required=False, max_length=MAX_CATEGORIES, label="Categories"
    )
    tags = serializers.ListField(
        child=StrictCharField(min_length=1, max_length=TAG_LIMIT),
        required=False,
        max_length=MAX_TAGS,
        label="Tags",
        help_text="One per line.",
    )
    format = StrictChoiceField(FORMATS, required=False, label="Post format")
    comment_status = StrictChoiceField(COMMENT_STATUSES, required=False, label="Comments")
    status = StrictChoiceField(
        STATUSES,
        required=False,
        label="Publish as",
        help_text="Published, a draft, private or pending review on the site.",
    )

    def validate_tags(self, value):
        names = [name.strip() for name in value]
        if any(not name for name in names):
            raise serializers.ValidationError("A tag name cannot be blank.")
        if len({name.lower() for name in names}) != len(names):
            raise serializers.ValidationError("Each tag once.")
        return names


def title_and_body(content: Content) -> tuple[str, str]:
    """The post's title and the text that becomes its content: the `title` option and the
    whole text, else the text's first line and the lines after it."""
    options = content.options or {}
    text = content.text or ""
    if options.get("title"):
        return options["title"], text
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    if len(first) > TITLE_FROM_TEXT:  # a long first line is a paragraph, not a title
        cut = first[:TITLE_FROM_TEXT].rsplit(" ", 1)[0] or first[:TITLE_FROM_TEXT]
        return f"{cut}…", text.strip("\n")
    return first, rest.strip("\n")


def text_problems(content: Content) -> list[Problem]:
    problems = []
    if len(content.text or "") > CONTENT_LIMIT:
        length = len(content.text)
        message = f"A WordPress post's text is at most {CONTENT_LIMIT:,} characters here; this one has {length}."
        problems.append(Problem("text", message, "too_long"))
    title, _ = title_and_body(content)
    if not title:
        message = "A WordPress post needs a title: set the title option or write it on the text's first line."
        problems.append(Problem("text", message, "required"))
    return problems


def item_problems(field: str, media: Media) -> list[Problem]:
    if media.kind != "image":
        return [Problem(field, f"WordPress posts take images only here, not a {media.kind}.", "unsupported_media")]
    breaches = media_breaches(LIMITS.media_for("image"), media)
    if FORMAT in breaches:
        message = f"WordPress takes JPEG, PNG, GIF, WEBP or AVIF images, not {media.mime_type}."
        return [Problem(field, message, "format")]
    if SIZE in breaches:
        return [Problem(field, "The image is larger than WordPress accepts.", "too_large")]
    return []


def media_problems(media: tuple[Media, ...]) -> list[Problem]:
    problems = []
    for index, item in enumerate(media):
        problems += item_problems(f"media_urls.{index}", item)
    if len(media) > MAX_IMAGES:
        message = f"A WordPress post takes at most {MAX_IMAGES} images here ({len(media)} given)."
        problems.append(Problem("media_urls", message, "too_many_media"))
    return problems


def content_problems(content: Content) -> list[Problem]:
    """Every problem WordPress would have with `content`. No I/O."""
    return text_problems(content) + media_problems(content.media)


# The README table's row (`python -m providers.check`).
CAPABILITIES = {
    "content_kinds": ["text", "image"],
    "options": ["title", "html", "excerpt", "slug", "categories", "tags", "format", "comment_status", "status"],
    "limits": {
        "text": f"{CONTENT_LIMIT:,} characters (Dravo's cap; WordPress has none)",
        "title": "the title option (≤ 1,000 characters), else the text's first line (cut at 200)",
        "media": f"up to {MAX_IMAGES} images: the first is the featured image, the others follow the text",
        "image": "JPEG/PNG/GIF/WEBP/AVIF, uploaded to the media library (size: the site's upload limit)",
        "categories": "ids (the site's categories are the account's destinations)",
        "tags": f"up to {MAX_TAGS} names, created when missing",
    },
}

LIMITS = Limits(
    text=TextLimit(CONTENT_LIMIT, "chars"),
    media=(MediaLimit("image", IMAGE_MIMES, max_count=MAX_IMAGES),),
)
