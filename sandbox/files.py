"""Sample media files the sandbox serves, so end-to-end tests and `make run` have public
media URLs that clients can download without the internet."""

import base64

from django.http import Http404, HttpResponse

from sandbox.core import sandbox_view

PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
SAMPLES = {
    "sample.png": ("image/png", PNG_1X1),
    "sample.jpg": ("image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"),
    "sample.mp4": ("video/mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 1024),
    "sample.gif": ("image/gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    "sample.pdf": ("application/pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
}


@sandbox_view
def sample_file(request, name: str):
    if name not in SAMPLES:
        raise Http404(name)
    content_type, body = SAMPLES[name]
    return HttpResponse(body, content_type=content_type)
