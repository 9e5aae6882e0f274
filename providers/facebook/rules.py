"""Facebook: what a post must be to publish, checked without I/O: the strict schema of
`platform_options.facebook`, the limits (as constants and as the `LIMITS` table) and the checks
that turn content into problems."""

from rest_framework import serializers

from providers.fields import StrictBooleanField, StrictCharField, StrictSerializer
from providers.network import Limits, MediaLimit, TextLimit

TEXT_LIMIT = 63_206  # widely cited (Postiz); not in Meta's docs
PHOTO_MIMES = ("image/jpeg", "image/bmp", "image/png", "image/gif", "image/tiff")
PHOTO_MAX_BYTES = 4 * 1024 * 1024
REEL_SECONDS = (3, 90)
REEL_MIN_SIZE = (540, 960)


class FacebookOptions(StrictSerializer):
    """`platform_options.facebook`."""

    text = StrictCharField(required=False, max_length=TEXT_LIMIT, trim_whitespace=False, label="Text on this network")
    as_reel = StrictBooleanField(
        required=False,
        label="Post the video as a Reel",
        help_text="A short vertical video shown in Reels instead of the feed.",
    )
    first_comment = StrictCharField(
        required=False,
        min_length=1,
        max_length=8000,
        trim_whitespace=False,
        label="Comment posted right after it",
        help_text="Posted as a comment right after the post.",
    )
    link = serializers.URLField(
        required=False, label="Link to share", help_text="The page shown as a link preview with the post."
    )
    video_title = StrictCharField(required=False, max_length=255, label="Title of the video")

    def validate(self, attrs):
        if attrs.get("as_reel") and attrs.get("link"):
            raise serializers.ValidationError({"link": ["A Reel cannot carry a link preview (as_reel is true)."]})
        return attrs


# The README table's row (`python -m providers.check`).
CAPABILITIES = {
    "content_kinds": ["text", "link", "photo", "photos", "video", "reel"],
    "options": ["text", "as_reel", "first_comment", "link", "video_title"],
    "limits": {
        "text": f"{TEXT_LIMIT:,} characters (unconfirmed)",
        "photos": "several per post; JPEG, BMP, PNG, GIF, TIFF; at most 4 MB each (unconfirmed)",
        "video": "1 per post, not mixed with photos",
        "reel": "1 video, 3-90 s, 9:16, at least 540x960; 30 API Reels per Page per 24 h",
        "first_comment": "1-8,000 characters",
        "video_title": "at most 255 characters",
    },
}

# The limits as data (text length; media kinds, counts, formats, sizes, durations).
LIMITS = Limits(
    text=TextLimit(TEXT_LIMIT, "chars"),
    media=(
        MediaLimit("image", PHOTO_MIMES, max_count=None, max_bytes=PHOTO_MAX_BYTES),
        MediaLimit("video", (), max_count=1),
    ),
)
