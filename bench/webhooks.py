"""Webhooks: the lag from a state change to the receiver's 2xx, for about 1,000 events
(target: p99 <= 2 s on this machine).

50 posts to 20 sandbox accounts each (zero latency) are sent through the API at once;
each makes `post.queued`, one `delivery.published` per account and `post.published`:
1,100 events to one endpoint that takes them all. A local receiver (a threaded HTTP
server in this process) answers 204 and notes when each event arrived; the lag is that
moment minus the event's `timestamp` (the change's commit, in the payload). One web
process, one worker (8 threads, consuming the deliveries' queue and the events' own
queue, as `make run`'s does) on Redis and PostgreSQL, no Beat: an event that needed
the sweep would show as missing.

Usage: .venv/bin/python bench/webhooks.py"""

import json
import threading
import time
import uuid
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from common import bench_env, database, make_tenant, percentile, web, worker

PORT = 8794
POSTS, ACCOUNTS = 50, 20
EXPECTED = POSTS * (ACCOUNTS + 2)


def start_receiver(arrivals: list) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the stdlib's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(204)
            self.end_headers()
            arrivals.append((time.time(), json.loads(body), self.headers["webhook-id"]))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    env = bench_env(PORT) | {"DRAVO_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"}
    env["DRAVO_WEBHOOK_QUEUE"] = env["DRAVO_CELERY_QUEUE"] + "-webhooks"
    queues = f"{env['DRAVO_WEBHOOK_QUEUE']},{env['DRAVO_CELERY_QUEUE']}"  # in make run's order
    arrivals: list = []
    receiver = start_receiver(arrivals)
    with database(env):
        _, key, account_ids = make_tenant(ACCOUNTS, "x")
        api, auth = f"http://127.0.0.1:{PORT}/v1", {"Authorization": f"Bearer {key}"}
        with web(env, PORT, workers=2, threads=8), worker(env, queues, concurrency=8,
                                                          pool="threads"):
            time.sleep(3)  # let the worker connect
            hook = requests.post(f"{api}/webhooks", headers=auth, json={
                "url": f"http://127.0.0.1:{receiver.server_port}/hook", "events": ["*"]})
            hook.raise_for_status()
            time.sleep(0.5)
            session = requests.Session()
            for i in range(POSTS):
                body = {"account_ids": account_ids, "text": f"webhooks {i} {uuid.uuid4().hex}"}
                session.post(f"{api}/posts", headers=auth, json=body).raise_for_status()
            deadline = time.monotonic() + 120
            while len(arrivals) < EXPECTED and time.monotonic() < deadline:
                time.sleep(0.1)
    receiver.shutdown()
    lags = [at - datetime.fromisoformat(p["timestamp"].replace("Z", "+00:00")).timestamp() for at, p, _ in arrivals]
    types: dict[str, int] = {}
    for _, payload, _ in arrivals:
        types[payload["type"]] = types.get(payload["type"], 0) + 1
    print(f"events received: {len(arrivals)} of {EXPECTED} ({len({i for _, _, i in arrivals})} distinct ids)")
    print("by type: " + ", ".join(f"{t} {n}" for t, n in sorted(types.items())))
    print(f"lag from the change to the receiver's 2xx: p50 {percentile(lags, 50):.3f} s, "
          f"p99 {percentile(lags, 99):.3f} s, max {max(lags):.3f} s (target p99 <= 2 s)")


if __name__ == "__main__":
    main()
