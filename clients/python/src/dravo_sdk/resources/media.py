"""`client.media`: upload files (or have Dravo fetch a URL) to use in posts."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from dravo_sdk.models import Media
from dravo_sdk.operations import Resource, operation


class MediaFiles(Resource):
    @operation("POST", "/media")
    def upload(self, file: str | Path | IO[bytes], *, filename: str | None = None,
               content_type: str | None = None, idempotency_key: str | None = None) -> Media:
        """Upload a file (a path or a binary file object). Its type is guessed from the
        name unless given. Raises `ValidationError` on `file` for a type or size refused."""
        if isinstance(file, str | Path):
            with open(file, "rb") as handle:
                return self.upload(handle, filename=filename or Path(file).name, content_type=content_type,
                                   idempotency_key=idempotency_key)
        name = filename or Path(getattr(file, "name", "upload.bin")).name
        kind = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        answer = self._send(self.upload, files={"file": (name, file.read(), kind)}, idempotency_key=idempotency_key)
        return Media.from_dict(answer)

    @operation("POST", "/media")
    def from_url(self, url: str, *, idempotency_key: str | None = None) -> Media:
        """Have Dravo download `url` (public addresses only) and keep it as media."""
        return Media.from_dict(self._send(self.from_url, json={"url": url}, idempotency_key=idempotency_key))

    @operation("GET", "/media/{id}")
    def get(self, media_id: str) -> Media:
        return Media.from_dict(self._send(self.get, path_params={"id": media_id}))

    @operation("GET", "/media")
    def list(self, *, limit: int | None = None) -> Iterator[Media]:
        """Every media file of the workspace and mode, newest first, page by page."""
        return self._pages(self.list, Media, {"limit": limit})

    @operation("DELETE", "/media/{id}")
    def delete(self, media_id: str) -> None:
        self._send(self.delete, path_params={"id": media_id})
