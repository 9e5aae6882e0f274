"""`dravo webhooks listen`: its server checks signatures, and the command makes its
endpoint on Dravo, prints what arrives and deletes the endpoint on Ctrl-C.

The command runs here against a stand-in for the webhooks routes of the API (their agreed
contract), served by a small local server."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from dravo_sdk.cli_listen import EventReceiver

from tests.sdk.signing import EVENT, SECRET, signed


@pytest.fixture
def receiver():
    seen = {"events": [], "rejected": []}
    server = EventReceiver(port=0, secret=SECRET, on_event=lambda event, headers: seen["events"].append(event),
                           on_reject=lambda reason, headers: seen["rejected"].append(reason)).start()
    yield server, seen
    server.stop()


def test_the_receiver_accepts_a_genuine_event_and_refuses_a_forged_one(receiver):
    server, seen = receiver
    body, headers = signed(EVENT)
    assert httpx.post(server.url, content=body, headers=headers).status_code == 204
    forged = httpx.post(server.url, content=body.replace(b"post_1", b"post_9"), headers=headers)
    assert forged.status_code == 400 and b"signature" in forged.content
    assert seen["events"] == [EVENT] and len(seen["rejected"]) == 1


def test_the_receiver_refuses_events_until_it_knows_the_secret(receiver):
    server, seen = receiver
    server.secret = None
    body, headers = signed(EVENT)
    assert httpx.post(server.url, content=body, headers=headers).status_code == 400
    assert seen["events"] == [] and seen["rejected"] == ["the endpoint's secret is not known yet"]


class StandIn:
    """The webhooks routes of Dravo, as agreed: create answers the secret, delete a 204."""

    def __init__(self):
        self.calls = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stand_in.calls.append(("POST", self.path, body, self.headers.get("Authorization")))
                answer = {"id": "wh_standin", "url": body["url"], "events": body["events"],
                          "description": body.get("description", ""), "enabled": True, "secret": SECRET}
                self._send(201, json.dumps(answer).encode())

            def do_DELETE(self):  # noqa: N802
                stand_in.calls.append(("DELETE", self.path, None, self.headers.get("Authorization")))
                self._send(204, b"")

            def _send(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_listen(url: str, api_key: str, port: int, tmp_path: Path, *options: str) -> subprocess.Popen:
    """`dravo webhooks listen --port PORT …` on the Dravo at `url`, in a subprocess, once
    it says it listens."""
    env = {**os.environ, "DRAVO_URL": url, "DRAVO_API_KEY": api_key, "PYTHONUNBUFFERED": "1",
           "DRAVO_CONFIG": str(tmp_path / "none.toml"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "clients/python/src")}
    command = [str(Path(sys.executable).with_name("dravo")), "webhooks", "listen", "--port", str(port), *options]
    listener = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert "Listening on" in listener.stderr.readline()
    return listener


def test_listen_makes_an_endpoint_prints_verified_events_and_deletes_it_on_ctrl_c(tmp_path):
    dravo = StandIn()
    port = free_port()
    listener = start_listen(dravo.url, "dra_test_key", port, tmp_path, "--events", "post.published,post.failed")
    try:
        body, headers = signed(EVENT, msg_id="msg_good")
        assert httpx.post(f"http://127.0.0.1:{port}/", content=body, headers=headers).status_code == 204
        forged = {**headers, "Webhook-Id": "msg_forged"}
        assert httpx.post(f"http://127.0.0.1:{port}/", content=body, headers=forged).status_code == 400
    finally:
        listener.send_signal(signal.SIGINT)
        out, err = listener.communicate(timeout=30)
    assert listener.returncode == 0, err
    assert "post.published post_1 msg_good" in out
    assert "rejected msg_forged" in err and "Deleted wh_standin" in err
    created, deleted = dravo.calls
    assert created[:3] == ("POST", "/v1/webhooks", {"url": f"http://127.0.0.1:{port}/",
                                                    "events": ["post.published", "post.failed"],
                                                    "description": "dravo webhooks listen"})
    assert created[3] == "Bearer dra_test_key" and deleted[:2] == ("DELETE", "/v1/webhooks/wh_standin")
    dravo.server.shutdown()


def test_listen_with_json_and_count_prints_each_event_and_stops(tmp_path):
    dravo = StandIn()
    port = free_port()
    listener = start_listen(dravo.url, "dra_test_key", port, tmp_path, "--count", "1", "--json")
    body, headers = signed(EVENT)
    httpx.post(f"http://127.0.0.1:{port}/", content=body, headers=headers)
    out, err = listener.communicate(timeout=30)
    assert listener.returncode == 0 and json.loads(out) == EVENT
    assert [call[0] for call in dravo.calls] == ["POST", "DELETE"]
    dravo.server.shutdown()


def test_a_delivery_event_is_named_by_its_post_and_account():
    from dravo_sdk.cli import _event_subject

    assert _event_subject({"post_id": "post_1", "account_id": "acc_2", "status": "published"}) == "post_1 acc_2"
    assert _event_subject({"id": "post_1", "status": "published"}) == "post_1"
    assert _event_subject(None) == ""
