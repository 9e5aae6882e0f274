"""Start a real Celery worker process on the test database and the configured broker."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection


def test_database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{s['NAME']}"


@contextmanager
def celery_worker(*, sandbox_url: str, pool: str = "prefork", concurrency: int = 2, extra_env: dict | None = None,
                  include: str | None = None):
    """A worker consuming a queue of its own until the block ends: this process sends its
    tasks there meanwhile, so tests running beside it (pytest-xdist) on the same broker
    neither feed it their messages nor take its own."""
    from dravo.celery import app

    queue = f"e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    default_queue, app.conf.task_default_queue = app.conf.task_default_queue, queue
    webhook_queue, settings.WEBHOOK_QUEUE = settings.WEBHOOK_QUEUE, queue
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DRAVO_DATA_DIR": str(settings.DATA_DIR),
        "DRAVO_DEBUG": "1",
        "DRAVO_SANDBOX": "1",
        "DRAVO_SANDBOX_URL": sandbox_url,
        "DRAVO_POLL_INTERVAL": "0",
        "DRAVO_CELERY_QUEUE": queue,
        "DRAVO_WEBHOOK_QUEUE": queue,
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "dravo", "worker", "--pool", pool, "--concurrency",
               str(concurrency), "--without-mingle", "--without-gossip", "--loglevel", "WARNING"]
    if include:  # a test module the worker imports at start (e.g. one that makes it die on cue)
        command += ["--include", include]
    process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)
    try:
        yield process
    finally:
        app.conf.task_default_queue, settings.WEBHOOK_QUEUE = default_queue, webhook_queue
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


def wait_for_connection_to(url: str, *, timeout: float = 30.0) -> None:
    """Wait until a client holds an open TCP connection to the server at `url` (Linux:
    /proc/net/tcp*), i.e. a request to it has left its sender."""
    port = f"{urlsplit(url).port:04X}"

    def connected() -> bool:
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                lines = open(table).read().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                fields = line.split()
                if fields[1].rsplit(":", 1)[1] == port and fields[3] == "01":  # server side, ESTABLISHED
                    return True
        return False

    wait_for(connected, timeout=timeout, interval=0.05)
