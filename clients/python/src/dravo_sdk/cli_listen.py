"""The local HTTP server of `dravo webhooks listen`: it receives Dravo's events, checks
each signature with the endpoint's secret, and hands them on.

A genuine event is answered 204 and passed to `on_event(event, headers)`; anything else
(bad or missing signature, a request before the secret is known, not JSON) is answered
400 and passed to `on_reject(reason, headers)`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from dravo_sdk.webhooks import InvalidSignature, verify

MAX_BODY_BYTES = 1_048_576

EventHandler = Callable[[dict[str, Any], dict[str, str]], None]
RejectHandler = Callable[[str, dict[str, str]], None]


class EventReceiver:
    """A server on `host:port` (port 0: any free one) that verifies events with `secret`,
    which may be set after it starts (the endpoint's secret is known once it is made)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 8765, secret: str | None = None,
                 on_event: EventHandler, on_reject: RejectHandler):
        self.secret = secret
        self.on_event = on_event
        self.on_reject = on_reject
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, name="dravo-listen", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> EventReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def receive(self, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        """Check one request and dispatch it; answers (status, reason)."""
        if not self.secret:
            self.on_reject("the endpoint's secret is not known yet", headers)
            return 400, "not ready"
        try:
            event = verify(body, headers, self.secret)
        except InvalidSignature as error:
            self.on_reject(str(error), headers)
            return 400, str(error)
        self.on_event(event, headers)
        return 204, "ok"


def _handler_for(receiver: EventReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self._answer(413, "too large")
                return
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, reason = receiver.receive(self.rfile.read(length), headers)
            self._answer(status, reason)

        def _answer(self, status: int, reason: str) -> None:
            body = b"" if status == 204 else reason.encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the command prints each event itself."""

    return Handler
