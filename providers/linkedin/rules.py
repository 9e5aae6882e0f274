"""LinkedIn: what a post must be to publish, checked without I/O: the strict schema of
`platform_options.linkedin`, the limits (as constants and as the `LIMITS` table) and the checks
that turn content into problems."""

from rest_framework import serializers

from providers.fields import StrictBooleanField, StrictCharField, StrictChoiceField, StrictSerializer
from providers.network import Limits, MediaLimit, TextLimit

TEXT_LIMIT = 3000
COMMENT_LIMIT = 1250
VISIBILITIES = ("PUBLIC", "CONNECTIONS", "LOGGED_IN")
MAX_IMAGES = 20
MB = 1024 * 1024
IMAGE_MIMES = ("image/jpeg", "image/png", "image/gif")
IMAGE_MAX_PIXELS = 36_152_320
IMAGE_MAX_BYTES = 5 * MB  # a third-party figure; LinkedIn publishes none (unconfirmed)
VIDEO_MIMES = ("video/mp4",)
VIDEO_MAX_BYTES = 500 * MB  # the lower of the published figures
VIDEO_SECONDS = (3, 1800)
VIDEO_ASPECT = (1 / 2.4, 2.4)
DOCUMENT_MIMES = (
    "application/pdf",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
DOCUMENT_MAX_BYTES = 100 * MB
DOCUMENT_MAX_PAGES = 300


class LinkedInOptions(StrictSerializer):
    """`platform_options.linkedin`, typed strictly: a boolean is a JSON boolean, a text a JSON string."""

    text = StrictCharField(
        required=False, trim_whitespace=False, label="Text on this network"
    )  # length: validate() (3,000)
    visibility = StrictChoiceField(choices=VISIBILITIES, required=False, label="Who can see it")
    link_preview = StrictBooleanField(
        required=False, label="Show a link preview", help_text="A card for the first link in the text."
    )
    link_title = StrictCharField(required=False, label="Link preview title")
    link_description = StrictCharField(required=False, label="Link preview description")
    document_title = StrictCharField(
        required=False,
        max_length=400,
        label="Title shown over the PDF",
        help_text="The title shown over an attached PDF.",
    )
    first_comment = StrictCharField(
        required=False,
        min_length=1,
        max_length=COMMENT_LIMIT,
        label="Comment posted right after it",
        help_text="Posted as a comment right after the post.",
    )

    def validate(self, attrs):
        overrides = sorted({"link_title", "link_description"} & set(attrs))
        if attrs.get("link_preview") is False and overrides:
            message = "Overrides the article card, which link_preview=false turns off."
            raise serializers.ValidationError({name: [message] for name in overrides})
        return attrs


# The README table's row (`python -m providers.check`).
CAPABILITIES = {
    "content_kinds": ["text", "article", "image", "multi_image", "video", "document"],
    "options": [
        "text",
        "visibility",
        "link_preview",
        "link_title",
        "link_description",
        "document_title",
        "first_comment",
    ],
    "limits": {
        "text": "3,000 characters (little-text characters escaped for you)",
        "images": "1, or 2–20 as a multi-image post; JPG/PNG/GIF, < 36,152,320 pixels, ≤ 5 MB",
        "video": "1 MP4, 3 s–30 min, ≤ 500 MB, aspect 1:2.4 to 2.4:1",
        "document": "1 PDF/PPT/PPTX/DOC/DOCX, ≤ 100 MB, ≤ 300 pages; not with other media",
        "first_comment": "1–1,250 characters",
    },
}

# The limits as data (text length; media kinds, counts, formats, sizes, durations).
LIMITS = Limits(
    text=TextLimit(TEXT_LIMIT, "chars"),
    media=(
        MediaLimit("image", IMAGE_MIMES, max_count=MAX_IMAGES, max_bytes=IMAGE_MAX_BYTES),
        MediaLimit("video", VIDEO_MIMES, max_count=1, max_bytes=VIDEO_MAX_BYTES, seconds=VIDEO_SECONDS),
        MediaLimit("document", DOCUMENT_MIMES, max_count=1, max_bytes=DOCUMENT_MAX_BYTES),
    ),
)
