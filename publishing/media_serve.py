"""The public side of stored media: its URL, and the view that serves it.

Networks that pull media by URL (and the sandbox) fetch it from this URL without credentials,
so it is public; an unguessable `med_…` id is what keeps it private in practice. Files
are served with the type found by inspection, `nosniff` and a sandboxing CSP, so a
browser never runs or renders them as a page, whatever their bytes.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import FileResponse, Http404
from django.urls import reverse
from django.views.decorators.http import require_safe

from publishing.models import Media

PATH = re.compile(r"^/media/(?P<media_id>med_[A-Za-z0-9]+)/(?P<filename>[^/]+)$")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "Cache-Control": "public, max-age=3600",
}


def public_url(media: Media) -> str:
    """`{DRAVO_BASE_URL}/media/{id}/{filename}`: what posts carry and networks fetch."""
    return settings.BASE_URL + reverse("media-file", args=[media.id, media.filename])


def media_id_in(url: str) -> str | None:
    """The `med_…` id when `url` is a Dravo media URL (under DRAVO_BASE_URL), else None."""
    base = settings.BASE_URL + "/media/"
    if not url.startswith(base):
        return None
    match = PATH.match(urlsplit(url[len(settings.BASE_URL) :]).path)
    return match["media_id"] if match else None


@require_safe
def media_file(request, media_id: str, filename: str):
    """GET/HEAD a stored file; 404 for an unknown id or a filename that is not its own."""
    media = Media.objects.filter(pk=media_id).first()
    if media is None or media.filename != filename:
        raise Http404("No such media.")
    try:
        handle = media.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("No such media.") from exc
    response = FileResponse(handle, content_type=media.mime_type)
    response["Content-Disposition"] = f'inline; filename="{media.filename}"'
    for name, value in SECURITY_HEADERS.items():
        response[name] = value
    return response
