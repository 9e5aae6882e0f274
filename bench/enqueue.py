"""Enqueue: POST /v1/posts to 10 accounts under concurrent load, against an authenticated
no-op endpoint (GET /v1/whoami) on the same server. Prints throughput, the ratio
(target >= 0.5) and p50/p99 latency.

The two loads alternate over several rounds and the ratio is the median of the per-round
ratios, so that a slow spell of a shared machine does not land on one side only.

Usage: bench/enqueue.py [requests per round=1500] [gunicorn workers=4 threads=4] [rounds=5]"""

import statistics
import sys
import threading
import time
import uuid

import requests
from common import bench_env, database, make_tenant, purge, summary, web

PORT = 8791
REQUESTS = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
CONCURRENCY = 16
WORKERS, THREADS = (int(v) for v in (sys.argv[2:4] if len(sys.argv) > 3 else (4, 4)))
ROUNDS = int(sys.argv[4]) if len(sys.argv) > 4 else 5


def load(url: str, key: str, body_for) -> tuple[float, list[float]]:
    latencies, errors, lock = [], [], threading.Lock()
    per_thread = REQUESTS // CONCURRENCY

    def run():
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {key}"
        for _ in range(per_thread):
            body = body_for()
            start = time.perf_counter()
            response = session.post(url, json=body) if body is not None else session.get(url)
            elapsed = time.perf_counter() - start
            with lock:
                (latencies if response.status_code in (200, 202) else errors).append(elapsed)

    threads = [threading.Thread(target=run) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    [t.start() for t in threads]
    [t.join() for t in threads]
    wall = time.perf_counter() - started
    assert not errors, f"{len(errors)} requests failed"
    return len(latencies) / wall, latencies


def main() -> None:
    env = bench_env(PORT)
    with database(env):
        _, key, account_ids = make_tenant(10)
        with web(env, PORT, workers=WORKERS, threads=THREADS):
            base = f"http://127.0.0.1:{PORT}/v1"

            def post_body():
                return {"account_ids": account_ids, "text": f"bench {uuid.uuid4().hex}"}

            load(f"{base}/whoami", key, lambda: None)  # warm up both paths
            load(f"{base}/posts", key, post_body)
            rounds, noop_lat, post_lat = [], [], []
            for _ in range(ROUNDS):
                noop_rps, noop_round = load(f"{base}/whoami", key, lambda: None)
                post_rps, post_round = load(f"{base}/posts", key, post_body)
                rounds.append((noop_rps, post_rps))
                noop_lat += noop_round
                post_lat += post_round
                purge(env, [env["DRAVO_CELERY_QUEUE"]])
    for i, (noop_rps, post_rps) in enumerate(rounds, 1):
        print(f"round {i}: no-op {noop_rps:7.1f} req/s, create {post_rps:7.1f} req/s, ratio {post_rps / noop_rps:.2f}")
    print(f"no-op  GET /v1/whoami : {summary(noop_lat)}")
    print(f"create POST /v1/posts : {summary(post_lat)}  (10 accounts; fan-out messages gathered per web process)")
    ratio = statistics.median(post / noop for noop, post in rounds)
    print(f"throughput ratio posts/no-op = {ratio:.2f} (median of {ROUNDS} rounds, target >= 0.5)")


if __name__ == "__main__":
    main()
