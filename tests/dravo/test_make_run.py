"""`make run` itself, started as a person would (a plain environment, a private port and
data dir): its process manager brings a worker killed with kill -9 back and the queued
posts get published within 15 s while web and beat keep running; Beat's per-second ticks
stay out of the output; nothing is written into the checkout; README commands work in a
plain shell afterwards; Ctrl-C stops every process."""

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from providers import registry

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 240  # migrate + collectstatic + demo_setup on a fresh data dir, on a busy 2-core machine

pytestmark = [pytest.mark.worker]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def plain_env(**extra: str) -> dict:
    """What a fresh shell has: none of the test run's DRAVO_*/DATABASE_URL/broker variables."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8",
            **extra}  # fmt: skip


def git_status() -> set[str]:
    out = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.splitlines())


def request(method: str, url: str, *, key: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {})}
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=5) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, {}


def wait_until(predicate, *, timeout: float, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


class MakeRun:
    def __init__(self, tmp: Path):
        self.port = free_port()
        self.data = tmp / "data"
        self.log = tmp / "make-run.log"
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = plain_env(DRAVO_DATA_DIR=str(self.data), PORT=str(self.port))
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"PORT={self.port}"], cwd=ROOT, env=self.env,
            stdout=self.log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_until(lambda: self.process.poll() is None and request("GET", f"{self.base}/v1/health")[0] == 200,
                   timeout=STARTUP_TIMEOUT, interval=1)  # fmt: skip
        out = self.output()
        self.key = re.search(r"Test API key: (dra_test_\w+)", out).group(1)
        self.accounts = dict(re.findall(r"Sandbox account: (\w+) \S+ \((acc_\w+)\)", out))

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def supervised_pids(self) -> dict[str, int]:
        out = subprocess.run([str(ROOT / ".venv/bin/supervisorctl"), "-c", "supervisord.conf", "status"], cwd=ROOT,
                             env=self.env, capture_output=True, text=True).stdout  # fmt: skip
        return {name: int(pid) for name, pid in re.findall(r"^(\w+)\s+RUNNING\s+pid (\d+)", out, re.M)}

    def post(self, text: str, provider: str = "x") -> str:
        status, body = request("POST", f"{self.base}/v1/posts", key=self.key,
                               body={"account_ids": [self.accounts[provider]], "text": text})  # fmt: skip
        assert status == 202, body
        return body["id"]

    def post_status(self, post_id: str) -> str | None:
        return request("GET", f"{self.base}/v1/posts/{post_id}", key=self.key)[1].get("status")

    def stop(self) -> None:
        """Ctrl-C, as a terminal sends it: SIGINT to make's foreground process group."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    before = git_status()
    run = MakeRun(tmp_path_factory.mktemp("make-run"))
    try:
        run.start()
        run.checkout_before = before
        yield run
    finally:
        run.stop()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_worker_killed_with_sigkill_is_restarted_and_queued_posts_publish_within_15_seconds(make_run):
    first = make_run.post("Before the kill")
    wait_until(lambda: make_run.post_status(first) == "published", timeout=60)
    pids = make_run.supervised_pids()
    assert set(pids) == {"web", "worker", "beat"}

    pool = children(pids["worker"])
    assert pool  # the prefork pool
    os.kill(pids["worker"], signal.SIGKILL)
    killed_at = time.monotonic()
    queued = [make_run.post(f"Queued while the worker is down {n}", provider) for n, provider in
              enumerate(["x", "linkedin", "facebook"])]  # fmt: skip
    wait_until(lambda: all(make_run.post_status(post_id) == "published" for post_id in queued), timeout=15)
    assert request("GET", f"{make_run.base}/v1/health")[0] == 200
    assert time.monotonic() - killed_at <= 15

    after = make_run.supervised_pids()
    assert after["worker"] != pids["worker"]
    assert (after["web"], after["beat"]) == (pids["web"], pids["beat"])  # the others never stopped
    assert "exited: worker (terminated by SIGKILL" in make_run.output()
    wait_until(lambda: not any(alive(pid) for pid in pool), timeout=15)  # the old pool leaves no orphans


def scheduler_messages(data: Path) -> tuple[int, int]:
    """(sent, consumed) messages of the `scheduler` queue in the embedded broker; (0, 0)
    while the broker has not made its tables yet (a slow machine's first seconds)."""
    with closing(sqlite3.connect(data / "broker.sqlite3", timeout=30)) as db:
        try:
            return db.execute(
                "SELECT count(*), coalesce(sum(m.visible = 0), 0) FROM kombu_message m "
                "JOIN kombu_queue q ON q.id = m.queue_id WHERE q.name = 'scheduler'"
            ).fetchone()
        except sqlite3.OperationalError:
            return 0, 0


def test_beats_per_second_ticks_stay_out_of_the_output(make_run):
    sent, consumed = scheduler_messages(make_run.data)
    lines = len(make_run.output().splitlines())
    time.sleep(5)
    sent_after, consumed_after = scheduler_messages(make_run.data)
    assert sent_after - sent >= 3 and consumed_after - consumed >= 3  # Beat ticks, the worker runs them...
    out = make_run.output()
    assert "dispatch_due_task" not in out and "Sending due task" not in out  # ... and neither logs it
    assert "deliver_task" in out  # while the deliveries' own lines are there
    # Five idle seconds add next to nothing (an analytics refresh of the posts just made, at most).
    added = out.splitlines()[lines:]
    assert len(added) < 10, "\n".join(added)


def test_readme_commands_work_in_a_plain_shell_after_make_run(make_run):
    # No DRAVO_DEBUG in the environment: dravo.env in the data dir, written by `make run`, says dev mode.
    result = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "create_api_key", "--workspace", "Demo", "--test"],
        cwd=ROOT, env=plain_env(DRAVO_DATA_DIR=str(make_run.data)), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert key.startswith("dra_test_")
    status, body = request("GET", f"{make_run.base}/v1/accounts", key=key)
    assert status == 200 and body["total"] == len(registry.NETWORKS)  # demo_setup: one per network


def test_make_run_writes_nothing_into_the_checkout(make_run):
    assert git_status() == make_run.checkout_before
    assert not (ROOT / "control").exists()
    written = {path.name for path in make_run.data.iterdir()}
    assert {"broker.sqlite3", "dravo.sqlite3", "dravo.env", "supervisord.log"} <= written


def test_ctrl_c_stops_every_process(make_run):
    pids = make_run.supervised_pids()
    assert len(pids) == 3
    make_run.stop()
    assert make_run.process.returncode is not None
    wait_until(lambda: not any(alive(pid) for pid in pids.values()), timeout=10)
