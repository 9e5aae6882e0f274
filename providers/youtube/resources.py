"""YouTube's resources as Dravo reads and writes them, without I/O: the video resource
videos.insert creates, what an uploaded video's status says, the resumable protocol's
Range header, statistics as metrics, playlists as destinations."""

from providers import http
from providers.base import Content, Destination, MetricsResult
from providers.errors import MediaUnavailable, Rejected
from providers.youtube.rules import description_of, title_of

# Dravo's metric keys for the statistics of videos.list.
STATISTICS = {"viewCount": "views", "likeCount": "likes", "commentCount": "comments", "favoriteCount": "favorites"}
FAILED_UPLOADS = {"failed", "rejected", "deleted"}


def video_body(content: Content) -> dict:
    """The video resource videos.insert creates: snippet and status from the options. The
    privacy applies at once: Dravo publishes at the post's time itself (no publishAt)."""
    options = content.options or {}
    snippet = {"title": title_of(content), "description": description_of(content)}
    if options.get("tags"):
        snippet["tags"] = list(options["tags"])
    for option, field in (("category_id", "categoryId"), ("default_language", "defaultLanguage")):
        if options.get(option):
            snippet[field] = options[option]
    status = {
        "privacyStatus": options.get("privacy_status", "public"),
        "selfDeclaredMadeForKids": bool(options.get("made_for_kids", False)),
    }
    for option, field in (
        ("contains_synthetic_media", "containsSyntheticMedia"),
        ("license", "license"),
        ("embeddable", "embeddable"),
        ("public_stats_viewable", "publicStatsViewable"),
    ):
        if option in options:
            status[field] = options[option]
    return {"snippet": snippet, "status": status}


def check_upload_status(video: dict) -> None:
    """Rejected for an upload YouTube refused (duplicate, copyright, length…),
    MediaUnavailable for one it could not process (codec, empty or invalid file)."""
    status = video.get("status") or {}
    upload = status.get("uploadStatus")
    if upload == "rejected":
        raise Rejected(f"YouTube rejected the video {video.get('id')}: {status.get('rejectionReason') or 'rejected'}.")
    if upload in FAILED_UPLOADS:
        reason = status.get("failureReason") or upload
        raise MediaUnavailable(f"YouTube could not process the video {video.get('id')}: {reason}.")


def privacy_lock(content: Content, video: dict) -> str:
    """A warning when YouTube made the video private though the post asked for more: the
    uploads of an API project that has not passed Google's audit are locked to private
    (videos.insert reference); "" otherwise."""
    wanted = (content.options or {}).get("privacy_status", "public")
    got = (video.get("status") or {}).get("privacyStatus")
    if got == "private" and wanted != "private":
        return (
            f"YouTube made the video private, not {wanted}: uploads of an API project that has not "
            "passed Google's audit are locked to private."
        )
    return ""


def next_byte(header: str | None) -> int:
    """The next byte to send after a 308's `Range: bytes=0-N` (0 without one)."""
    if not header or "-" not in header:
        return 0
    last = http.int_or_none(header.rsplit("-", 1)[1])
    return last + 1 if last is not None else 0


def metrics_of(statistics: dict) -> MetricsResult:
    metrics = {}
    for native, key in STATISTICS.items():
        value = http.int_or_none(statistics.get(native))
        if value is not None:
            metrics[key] = value
    missing = [native for native in ("viewCount", "likeCount", "commentCount") if native not in statistics]
    warnings = (
        [f"YouTube did not report {', '.join(missing)} for this video (hidden by the channel?)."] if missing else []
    )
    return MetricsResult(metrics, warnings, partial=bool(warnings))


def playlist_destination(item: dict) -> Destination:
    snippet = item.get("snippet") or {}
    extra = {}
    privacy = (item.get("status") or {}).get("privacyStatus")
    if privacy:
        extra["privacy_status"] = privacy
    count = (item.get("contentDetails") or {}).get("itemCount")
    if isinstance(count, int):
        extra["item_count"] = count
    return Destination(id=str(item["id"]), name=str(snippet.get("title") or ""), kind="playlist", extra=extra)
