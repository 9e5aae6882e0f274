"""TikTok: what a post must be to publish, checked without I/O: the strict schema of
`platform_options.tiktok`, the limits (as constants and as the `LIMITS` table) and the checks
that turn content into problems."""

from rest_framework import serializers

from providers.base import Media, Problem
from providers.fields import StrictBooleanField, StrictCharField, StrictIntegerField, StrictSerializer
from providers.media_rules import DURATION, FORMAT, SIZE, media_breaches
from providers.network import Limits, MediaLimit, TextLimit

PRIVACY_LEVELS = ("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY")
VIDEO_CAPTION_MAX, PHOTO_DESCRIPTION_MAX, PHOTO_TITLE_MAX, MAX_PHOTOS = 2200, 4000, 90, 35
PHOTO_MIMES = ("image/jpeg", "image/jpg", "image/webp")
VIDEO_MIMES = ("video/mp4", "video/webm", "video/quicktime")
PHOTO_MAX_BYTES, VIDEO_MAX_BYTES = 20 * 1024**2, 4 * 1024**3
VIDEO_MIN_SECONDS, VIDEO_SIDES, VIDEO_FPS = 3, (360, 4096), (23, 60)
PHOTO_SHORT_SIDE, PHOTO_LONG_SIDE = 1080, 1920
VIDEO_ONLY_OPTIONS = ("disable_duet", "disable_stitch", "is_aigc", "video_cover_timestamp_ms")
PHOTO_ONLY_OPTIONS = ("title", "auto_add_music")


class TikTokOptionsSerializer(StrictSerializer):
    """`platform_options.tiktok`. privacy_level is required by
    TikTok but checked by `TikTokClient.validate()`, so a bare `text` override is a valid shape."""

    text = StrictCharField(required=False, allow_blank=True, trim_whitespace=False, label="Text on this network")
    privacy_level = serializers.ChoiceField(
        choices=PRIVACY_LEVELS,
        required=False,
        label="Who can watch",
        help_text="TikTok requires a choice; the account may offer only some of these.",
    )
    disable_comment = StrictBooleanField(required=False, label="Turn off comments")
    disable_duet = StrictBooleanField(required=False, label="Turn off Duet")
    disable_stitch = StrictBooleanField(required=False, label="Turn off Stitch")
    video_cover_timestamp_ms = StrictIntegerField(
        required=False, min_value=0, label="Cover frame (milliseconds into the video)"
    )
    brand_content_toggle = StrictBooleanField(
        required=False,
        label="Paid partnership (branded content)",
        help_text="Promotes another brand in exchange for something.",
    )
    brand_organic_toggle = StrictBooleanField(required=False, label="Promotes your own brand")
    is_aigc = StrictBooleanField(
        required=False, label="Disclose AI-generated content", help_text="Labels the post as made or edited with AI."
    )
    title = StrictCharField(
        required=False, allow_blank=True, max_length=PHOTO_TITLE_MAX, trim_whitespace=False, label="Photo post title"
    )
    auto_add_music = StrictBooleanField(required=False, label="Add music automatically", help_text="For photo posts.")

    def validate(self, attrs):
        # Branded content cannot be private (TikTok's Direct Post guidelines; unconfirmed).
        if attrs.get("brand_content_toggle") and attrs.get("privacy_level") == "SELF_ONLY":
            raise serializers.ValidationError(
                {"brand_content_toggle": ["Branded content (brand_content_toggle) cannot use privacy_level SELF_ONLY."]}
            )
        return attrs


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def media_problems(media: tuple[Media, ...]) -> list[Problem]:
    """Media count, kinds and (when known) format, size, dimensions and duration."""
    if not media:
        return [Problem("media_urls", "A TikTok post needs media: one video or 1–35 photos.", "media_required")]
    problems = [
        Problem(f"media_urls.{i}", f"TikTok posts a video or photos, not a {m.kind}.", "unsupported_media")
        for i, m in enumerate(media)
        if m.kind not in ("image", "video")
    ]
    videos = sum(m.kind == "video" for m in media)
    photos = sum(m.kind == "image" for m in media)
    if videos and photos:
        problems.append(Problem("media_urls", "TikTok cannot mix photos and a video in one post.", "mixed_media"))
    if videos > 1:
        problems.append(Problem("media_urls", f"A TikTok post has at most 1 video; got {videos}.", "too_many_media"))
    if photos > MAX_PHOTOS:
        problems.append(
            Problem(
                "media_urls", f"A TikTok photo post has at most {MAX_PHOTOS} photos; got {photos}.", "too_many_media"
            )
        )
    for i, m in enumerate(media):
        rules = _photo_rules(m) if m.kind == "image" else _video_rules(m) if m.kind == "video" else []
        problems += [Problem(f"media_urls.{i}", message, "invalid_media") for message in rules]
    return problems


def _photo_rules(m: Media) -> list[str]:
    broken, breaches = [], media_breaches(LIMITS.media_for("image"), m)
    if FORMAT in breaches:
        broken.append(f"TikTok photos must be JPEG or WebP (no PNG); this one is {m.mime_type}.")
    if SIZE in breaches:
        broken.append(f"TikTok photos are at most 20 MB; this one is {m.size_bytes / 1024**2:.1f} MB.")
    if m.width is not None and m.height is not None:
        if min(m.width, m.height) > PHOTO_SHORT_SIDE or max(m.width, m.height) > PHOTO_LONG_SIDE:
            broken.append(f"TikTok photos are at most 1080p (1920×1080 px); this one is {m.width}×{m.height}.")
    return broken


def _video_rules(m: Media) -> list[str]:
    broken, breaches = [], media_breaches(LIMITS.media_for("video"), m)
    if FORMAT in breaches:
        broken.append(f"TikTok videos must be MP4, WebM or MOV; this one is {m.mime_type}.")
    if SIZE in breaches:
        broken.append(f"TikTok videos are at most 4 GB; this one is {m.size_bytes / 1024**3:.1f} GB.")
    if DURATION in breaches:
        broken.append(f"TikTok videos last at least {VIDEO_MIN_SECONDS} s; this one lasts {m.duration_s:g} s.")
    for side in (m.width, m.height):
        if side is not None and not VIDEO_SIDES[0] <= side <= VIDEO_SIDES[1]:
            broken.append(f"TikTok video sides are 360–4096 px; this video has a side of {side} px.")
    fps = m.extra.get("fps")
    if fps is not None and not VIDEO_FPS[0] <= fps <= VIDEO_FPS[1]:
        broken.append(f"TikTok videos run at 23–60 fps; this one runs at {fps:g} fps.")
    return broken


# The README table's row (`python -m providers.check`).
CAPABILITIES = {
    "content_kinds": ["video", "photo"],
    "options": [name for name in TikTokOptionsSerializer().fields if name != "text"],
    "limits": {
        "text": "video caption ≤ 2,200 UTF-16 units; photo description ≤ 4,000, title ≤ 90",
        "media": "exactly 1 video, or 1–35 photos (no mixing); media is required",
        "photos": "JPEG/WebP (no PNG), ≤ 20 MB, ≤ 1080p",
        "video": "MP4/WebM/MOV, ≤ 4 GB, 3 s to the creator's max_video_post_duration_sec, 360–4096 px, 23–60 fps",
        "rate": "6 publish inits/min per token, ~15 posts/day per creator",
    },
}

# The limits as data (text length; media kinds, counts, formats, sizes, durations). The
# text limit is the video caption's, the stricter one: a photo post's description may be
# longer (PHOTO_DESCRIPTION_MAX). The longest video depends on the creator.
LIMITS = Limits(
    text=TextLimit(VIDEO_CAPTION_MAX, "utf16"),
    media=(
        MediaLimit("image", PHOTO_MIMES, max_count=MAX_PHOTOS, max_bytes=PHOTO_MAX_BYTES),
        MediaLimit("video", VIDEO_MIMES, max_count=1, max_bytes=VIDEO_MAX_BYTES, seconds=(VIDEO_MIN_SECONDS, None)),
    ),
    media_required=True,
)
