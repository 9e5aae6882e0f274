"""A real local webhook receiver: an HTTP server on 127.0.0.1 that verifies every request
with the `standardwebhooks` library (as a consumer would) and answers the status codes it
is told to, in turn."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    headers: dict
    body: bytes
    verified: dict | None  # the payload when a secret verified it, else None
    at: float

    @property
    def type(self) -> str:
        return json.loads(self.body)["type"]


@dataclass
class Receiver:
    url: str = ""
    secrets: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answered in turn; 204 once spent
    received: list[Received] = field(default_factory=list)

    def verify(self, body: bytes, headers: dict) -> dict | None:
        for secret in self.secrets:
            try:
                return Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
        return None

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.received)

    def types(self) -> list[str]:
        """The event types received, in the order the events happened (their `timestamp`):
        events are sent concurrently, so they may arrive in another order."""
        return [r.type for r in sorted(self.received, key=lambda r: json.loads(r.body)["timestamp"])]

    def of_type(self, event_type: str) -> list[Received]:
        return [r for r in self.received if r.type == event_type]


def start_receiver() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the stdlib's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            receiver.received.append(Received(headers, body, receiver.verify(body, headers), time.time()))
            code = receiver.statuses.pop(0) if receiver.statuses else 204
            self.send_response(code)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.url = f"http://127.0.0.1:{server.server_port}/hooks"
    return receiver, server
