"""What a media file is, read from its bytes, never from its name or a Content-Type header.

`sniff_kind` looks at the first bytes (enough to apply the right size cap while a file
streams in); `inspect` reads the whole file with the library that knows the format:
Pillow for images, PyAV (FFmpeg) for videos, pypdf for PDFs. Anything else, or a file
its library cannot read, raises MediaRejected, which callers turn into a 400.
"""

from dataclasses import dataclass, field
from typing import BinaryIO

import av
import pypdf
from PIL import Image, UnidentifiedImageError

HEAD_BYTES = 64
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
# ISO base media brands that are still images (HEIC/AVIF), not videos: not supported.
IMAGE_BRANDS = {b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif", b"avis"}
QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip"}
SUPPORTED = "JPEG, PNG, GIF or WebP images, MP4, MOV or WebM videos, or PDF documents"


class MediaRejected(Exception):
    """A media file or URL Dravo will not take: `code` is stable, `message` says why."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Inspected:
    kind: str  # image | video | document
    mime_type: str
    extension: str
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    extra: dict = field(default_factory=dict)


def unsupported() -> MediaRejected:
    return MediaRejected("unsupported_media_type", f"Unsupported file type: send {SUPPORTED}.")


def sniff_kind(head: bytes) -> str | None:
    """image, video or document from the magic bytes at the start of a file; None if unknown."""
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")):
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    if head[4:8] == b"ftyp":
        return None if head[8:12] in IMAGE_BRANDS else "video"
    if head[4:8] in QUICKTIME_ATOMS or head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video"
    if head.startswith(b"%PDF-"):
        return "document"
    return None


def inspect(fp: BinaryIO) -> Inspected:
    """The kind, MIME type and metadata of the file in `fp` (seekable; left at position 0).
    Raises MediaRejected (`unsupported_media_type` or `invalid_media`). No I/O besides `fp`."""
    fp.seek(0)
    head = fp.read(HEAD_BYTES)
    fp.seek(0)
    kind = sniff_kind(head)
    if kind is None:
        raise unsupported()
    try:
        return {"image": _image, "video": _video, "document": _pdf}[kind](fp, head)
    finally:
        fp.seek(0)


def _invalid(what: str, exc: Exception) -> MediaRejected:
    return MediaRejected("invalid_media", f"The file looks like {what} but cannot be read ({exc.__class__.__name__}).")


def _image(fp: BinaryIO, head: bytes) -> Inspected:
    try:
        with Image.open(fp) as image:
            fmt, (width, height) = image.format, image.size
            frames = getattr(image, "n_frames", 1)
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise _invalid("an image", exc) from exc
    if fmt not in IMAGE_FORMATS:
        raise unsupported()
    mime, ext = IMAGE_FORMATS[fmt]
    extra = {"format": fmt, **({"frames": frames} if frames > 1 else {})}
    return Inspected("image", mime, ext, width, height, None, extra)


def _video_type(container: str, head: bytes) -> tuple[str, str]:
    if "mp4" in container:
        return ("video/quicktime", "mov") if head[8:12] == b"qt  " or head[4:8] != b"ftyp" else ("video/mp4", "mp4")
    if "webm" in container and b"webm" in head:
        return "video/webm", "webm"
    raise unsupported()


def _video(fp: BinaryIO, head: bytes) -> Inspected:
    try:
        with av.open(fp, mode="r", metadata_errors="ignore") as container:
            mime, ext = _video_type(container.format.name, head)
            if not container.streams.video:
                raise MediaRejected("invalid_media", "The file is a container without a video stream.")
            stream = container.streams.video[0]
            audio = container.streams.audio[0].codec_context.name if container.streams.audio else None
            rate = stream.average_rate or stream.guessed_rate
            duration = _duration(container, stream)
            width, height = stream.codec_context.width, stream.codec_context.height
            codecs = {"video": stream.codec_context.name, "audio": audio}
    except av.FFmpegError as exc:
        raise _invalid("a video", exc) from exc
    extra = {"container": ext, "codecs": codecs, "fps": round(float(rate), 3) if rate else None}
    return Inspected("video", mime, ext, width or None, height or None, duration, extra)


def _duration(container, stream) -> float | None:
    if container.duration:
        return round(container.duration / av.time_base, 3)
    if stream.duration and stream.time_base:
        return round(float(stream.duration * stream.time_base), 3)
    return None


def _pdf(fp: BinaryIO, head: bytes) -> Inspected:
    try:
        reader = pypdf.PdfReader(fp)
        if reader.is_encrypted:
            reader.decrypt("")
        pages = len(reader.pages)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on malformed input
        raise _invalid("a PDF", exc) from exc
    return Inspected("document", "application/pdf", "pdf", extra={"format": "PDF", "pages": pages})
