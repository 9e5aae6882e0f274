"""Soak `make run`: post continuously to sandbox accounts for N minutes, then report how
many times a process was restarted and how many posts were lost (answered 202 but never
reached a final state: published, partial, failed or canceled).

By default it starts `make run` itself, as a person would (a plain environment, a fresh
data dir under var/, a free port), and stops it with Ctrl-C's signal at the end:

    .venv/bin/python bench/soak.py                 # 10 minutes
    .venv/bin/python bench/soak.py --minutes 3     # shorter
    .venv/bin/python bench/soak.py --kill-worker-every 60   # kill -9 the worker each minute

or it soaks a `make run` that is already up (restarts are counted when its data dir is
given, from supervisord's log there):

    .venv/bin/python bench/soak.py --base-url http://127.0.0.1:8000 --key dra_test_… --data-dir var

Only 127.0.0.1 is ever contacted; every loop is bounded in time. Exit status 0 when no
post was lost and no request failed, 1 otherwise."""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
FINAL = {"published", "partial", "failed", "canceled"}
NETWORKS = ("x", "linkedin", "facebook")  # text-only posts; Instagram and TikTok need media


def request(method: str, url: str, *, key: str | None = None, body: dict | None = None, timeout: float = 10):
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {})}
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read() or b"{}")
        except ValueError:
            return exc.code, {}
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return 0, {"error": str(exc)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MakeRun:
    """`make run` in its own process group, on a private port and data dir."""

    def __init__(self, data_dir: Path, port: int, extra_env: dict[str, str]):
        self.data_dir, self.port = data_dir, port
        self.base = f"http://127.0.0.1:{port}"
        self.log = data_dir.parent / f"{data_dir.name}.log"
        self.env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"),
                    "LANG": "C.UTF-8", "DRAVO_DATA_DIR": str(data_dir), "PORT": str(port), **extra_env}  # fmt: skip
        self.process = None

    def start(self, timeout: float = 300) -> tuple[str, list[str]]:
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.data_dir.mkdir(parents=True)
        self.process = subprocess.Popen(["make", "--no-print-directory", "run", f"PORT={self.port}"], cwd=ROOT,
                                        env=self.env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
                                        start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"make run exited early; see {self.log}")
            if request("GET", f"{self.base}/v1/health", timeout=2)[0] == 200:
                out = self.log.read_text(errors="replace")
                key = re.search(r"Test API key: (dra_test_\w+)", out).group(1)
                return key, re.findall(r"Sandbox account: (?:x|linkedin|facebook) \S+ \((acc_\w+)\)", out)
            time.sleep(1)
        raise SystemExit(f"make run did not answer /v1/health within {timeout}s; see {self.log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGINT)  # Ctrl-C
        try:
            self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


def sandbox_accounts(base: str, key: str) -> list[str]:
    status, body = request("GET", f"{base}/v1/accounts?limit=100", key=key)
    if status != 200:
        raise SystemExit(f"GET /v1/accounts answered {status}: {body}")
    return [a["id"] for a in body.get("items", []) if a.get("provider") in NETWORKS]


def worker_pid(data_dir: Path | None) -> int | None:
    if data_dir is None:
        return None
    out = subprocess.run([str(ROOT / ".venv/bin/supervisorctl"), "-c", str(ROOT / "supervisord.conf"), "pid",
                          "worker"], env={**os.environ, "DRAVO_DATA_DIR": str(data_dir), "PORT": "0"},
                         capture_output=True, text=True).stdout.strip()  # fmt: skip
    return int(out) if out.isdigit() and out != "0" else None


def restarts(data_dir: Path | None) -> dict[str, int] | None:
    """Unexpected exits per process, from supervisord's log (each one was restarted)."""
    if data_dir is None or not (data_dir / "supervisord.log").exists():
        return None
    text = (data_dir / "supervisord.log").read_text(errors="replace")
    counts = {"web": 0, "worker": 0, "beat": 0}
    for name in re.findall(r"exited: (\w+) \(.*not expected\)", text):
        counts[name] = counts.get(name, 0) + 1
    return counts


def soak(args) -> int:
    run = None
    data_dir = Path(args.data_dir).resolve() if args.data_dir else None
    if args.base_url:
        if urlsplit(args.base_url).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("--base-url must be on this machine (127.0.0.1 or localhost)")
        base, key = args.base_url.rstrip("/"), args.key
        accounts = sandbox_accounts(base, key)
    else:
        data_dir = data_dir or ROOT / "var" / "soak"
        run = MakeRun(data_dir, args.port or free_port(), {f"DRAVO_{k}": v for k, v in args.env})
        print(f"starting make run on {run.base}, data in {data_dir} (output: {run.log})", flush=True)
        started = time.monotonic()
        base = run.base
        key, accounts = run.start()
        print(f"up after {time.monotonic() - started:.0f}s", flush=True)
    if not accounts:
        raise SystemExit("no sandbox account of x, linkedin or facebook in this workspace")

    posts: dict[str, float] = {}  # id -> time of the 202
    done: dict[str, tuple[str, float]] = {}  # id -> (final status, seconds from 202 to final)
    errors: list[str] = []
    kills = 0
    lock = threading.Lock()
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            with lock:
                pending = [p for p in posts if p not in done]
            for post_id in pending[:200]:
                status, body = request("GET", f"{base}/v1/posts/{post_id}", key=key)
                if status == 200 and body.get("status") in FINAL:
                    with lock:
                        done[post_id] = (body["status"], time.monotonic() - posts[post_id])
            stop.wait(0.5)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    end = time.monotonic() + args.minutes * 60
    next_kill = time.monotonic() + args.kill_worker_every if args.kill_worker_every else None
    next_report = time.monotonic() + 30
    n = 0
    try:
        while time.monotonic() < end:
            n += 1
            targets = random.sample(accounts, k=random.choice([1, 1, 1, 2, len(accounts)]))
            status, body = request("POST", f"{base}/v1/posts", key=key,
                                   body={"account_ids": targets, "text": f"Soak {n} {time.time():.3f}"})  # fmt: skip
            if status == 202:
                with lock:
                    posts[body["id"]] = time.monotonic()
            else:
                errors.append(f"POST /v1/posts answered {status}: {json.dumps(body)[:200]}")
            if next_kill and time.monotonic() >= next_kill:
                pid = worker_pid(data_dir)
                if pid:
                    os.kill(pid, signal.SIGKILL)
                    kills += 1
                    print(f"kill -9 worker (pid {pid})", flush=True)
                next_kill += args.kill_worker_every
            if time.monotonic() >= next_report:
                with lock:
                    print(f"{len(posts)} posts sent, {len(done)} final, {len(errors)} errors", flush=True)
                next_report += 30
            time.sleep(max(0.0, 1 / args.rate - 0.001))
        drain_end = time.monotonic() + args.drain
        while time.monotonic() < drain_end:
            with lock:
                if len(done) == len(posts):
                    break
            time.sleep(1)
        health = request("GET", f"{base}/v1/health")[0]
    finally:
        stop.set()
        poller.join(timeout=30)
        counted = restarts(data_dir)
        if run:
            run.stop()

    latencies = sorted(seconds for _, seconds in done.values())
    finals: dict[str, int] = {}
    for status, _ in done.values():
        finals[status] = finals.get(status, 0) + 1
    lost = sorted(set(posts) - set(done))
    report = {
        "minutes": args.minutes,
        "posts_sent": n,
        "posts_accepted_202": len(posts),
        "final_statuses": finals,
        "lost_posts": len(lost),
        "lost_post_ids": lost[:20],
        "request_errors": len(errors),
        "first_errors": errors[:5],
        "worker_kills": kills,
        "restarts": counted if counted is not None else "unknown (give --data-dir)",
        "health_at_end": health,
        "seconds_202_to_final_p50": round(statistics.median(latencies), 2) if latencies else None,
        "seconds_202_to_final_p95": round(latencies[int(0.95 * (len(latencies) - 1))], 2) if latencies else None,
        "seconds_202_to_final_max": round(latencies[-1], 2) if latencies else None,
    }
    print(json.dumps(report, indent=2))
    return 0 if not lost and not errors and health == 200 else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to post (default 10)")
    parser.add_argument("--rate", type=float, default=2.0, help="posts per second (default 2)")
    parser.add_argument("--drain", type=float, default=60.0, help="seconds to wait for the last posts (default 60)")
    parser.add_argument("--base-url", help="a running make run (127.0.0.1 only); else one is started")
    parser.add_argument("--key", help="a test API key of that Dravo (with --base-url)")
    parser.add_argument("--data-dir", help="its DRAVO_DATA_DIR, to count restarts (default var/soak when started)")
    parser.add_argument("--port", type=int, help="port of the make run started here (default: a free one)")
    parser.add_argument("--kill-worker-every", type=float, default=0, help="kill -9 the worker every N seconds")
    parser.add_argument("--env", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a DRAVO_<NAME> setting for the make run started here, e.g. --env REDISPATCH_SECONDS 20")
    args = parser.parse_args()
    if args.base_url and not args.key:
        parser.error("--base-url needs --key")
    sys.exit(soak(args))


if __name__ == "__main__":
    main()
