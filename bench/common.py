"""What the benchmarks share: a throwaway PostgreSQL database, Redis, and Dravo's own
processes (gunicorn, Celery) started on this machine. Run with the project's venv:
`.venv/bin/python bench/<name>.py`. Needs PostgreSQL at 127.0.0.1:5432 and Redis at
127.0.0.1:6379 (as CI has)."""

import os
import secrets
import statistics
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def bench_env(port: int) -> dict:
    db = f"dravo_bench_{uuid.uuid4().hex[:8]}"
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/13",
        "DRAVO_CACHE_URL": "redis://127.0.0.1:6379/12",
        "DRAVO_CELERY_QUEUE": f"bench-{db}",
        # Production mode: DEBUG off (no query log on every cursor), its own secrets, and
        # the sandbox switched on explicitly for the sandbox accounts the benches use.
        "DRAVO_DEBUG": "0",
        "DRAVO_SECRET_KEY": secrets.token_urlsafe(50),
        "DRAVO_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DRAVO_SANDBOX": "1",
        "DRAVO_DATA_DIR": str(ROOT / "var" / "bench"),
        "DRAVO_BASE_URL": f"http://127.0.0.1:{port}",
        "DRAVO_SANDBOX_URL": f"http://127.0.0.1:{port}",
        "DRAVO_THROTTLE_RATE": "100000000/min",
        "DRAVO_POLL_INTERVAL": "0",
        "DRAVO_LOG_LEVEL": "WARNING",
        "DRAVO_DB_CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "dravo.settings",
    }


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql, "postgres"], check=True)


@contextmanager
def database(env: dict):
    """Create the database, migrate it, set up Django in this process; drop it afterwards."""
    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    _psql(f"CREATE DATABASE {name}")
    try:
        os.environ.update(env)
        subprocess.run([str(BIN / "python"), "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        import django

        django.setup()
        yield name
    finally:
        from django.db import connections

        connections.close_all()
        time.sleep(0.5)
        _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def process(args: list[str], env: dict, wait_for_port: int | None = None):
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if wait_for_port:
            import socket

            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", wait_for_port)) == 0:
                        break
                time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def web(env: dict, port: int, workers: int = 4, threads: int = 4):
    args = [
        str(BIN / "gunicorn"),
        "dravo.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
    ]
    return process(args, env, wait_for_port=port)


def worker(env: dict, queues: str, concurrency: int = 4, pool: str = "prefork"):
    args = [
        str(BIN / "celery"),
        "-A",
        "dravo",
        "worker",
        "-Q",
        queues,
        "--concurrency",
        str(concurrency),
        "--pool",
        pool,
        "--without-mingle",
        "--without-gossip",
        "--loglevel",
        "WARNING",
    ]
    return process(args, env)


def beat(env: dict):
    schedule = ROOT / "var" / "bench" / f"beat-{uuid.uuid4().hex[:6]}"
    return process([str(BIN / "celery"), "-A", "dravo", "beat", "--loglevel", "WARNING", "-s", str(schedule)], env)


def purge(env: dict, queues: list[str]) -> None:
    import redis

    client = redis.Redis.from_url(env["CELERY_BROKER_URL"])
    for queue in queues:
        client.delete(queue)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(values: list[float]) -> str:
    return (
        f"n={len(values)} p50={percentile(values, 50) * 1000:.1f}ms p99={percentile(values, 99) * 1000:.1f}ms "
        f"mean={statistics.mean(values) * 1000:.1f}ms"
    )


def make_tenant(accounts: int, provider: str | tuple[str, ...] = "x"):
    """A workspace, a test key, and `accounts` sandbox accounts with zero latency, of one
    network or, for a tuple, of each network in turn (with the credentials the sandbox's
    demo account of that network has)."""
    from accounts import services
    from accounts.crypto import encrypt_credentials
    from accounts.models import SocialAccount
    from sandbox.networks import SANDBOXES

    networks = (provider,) if isinstance(provider, str) else provider
    workspace = services.workspace_get_or_create(name=f"bench-{uuid.uuid4().hex[:6]}")
    _, key = services.api_key_create(workspace=workspace, mode="test", name="bench")
    rows = []
    for i in range(accounts):
        network = networks[i % len(networks)]
        token = f"bench-token-{i}-{uuid.uuid4().hex[:6]}"
        credentials = {"access_token": token, "sandbox": {"behavior": "ok"}}
        if len(networks) > 1:
            credentials.update(SANDBOXES[network].demo_credentials(token))
            if network == "linkedin":  # the demo posts as one organization: a member each here
                credentials["author_urn"] = "urn:li:person:" + SANDBOXES[network].member_id(token)
        rows.append(
            SocialAccount(
                workspace=workspace,
                mode="test",
                provider=network,
                platform_account_id=f"bench{i}",
                handle=f"@bench{i}",
                credentials_encrypted=encrypt_credentials(credentials),
            )
        )
    SocialAccount.objects.bulk_create(rows)
    return workspace, key, [a.pk for a in SocialAccount.objects.filter(workspace=workspace).order_by("pk")]
