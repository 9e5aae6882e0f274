"""How Dravo runs on a bare machine: the embedded broker (a SQLite file under
DRAVO_DATA_DIR, safe with several processes), dev mode recorded by `make run` for later
commands while production still refuses missing secrets, and Beat's ticks kept out of the
INFO log."""

import json
import logging
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from kombu import Connection, Exchange, Queue

from dravo import embedded_broker
from dravo.celery import broker_prune

ROOT = Path(__file__).resolve().parents[2]
SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.CELERY_BROKER_URL, s.CELERY_WORKER_ENABLE_REMOTE_CONTROL)"
)


def django_in_plain_shell(data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    """Dravo's settings loaded as in a fresh shell: none of this test run's variables."""
    plain = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"), "DRAVO_DATA_DIR": str(data_dir),
             "DJANGO_SETTINGS_MODULE": "dravo.settings", **env}  # fmt: skip
    return subprocess.run([sys.executable, "-c", SHOW_SETTINGS], cwd=ROOT, env=plain, capture_output=True, text=True,
                          timeout=60)  # fmt: skip


def test_a_plain_shell_on_a_data_dir_that_make_run_set_up_is_in_dev_mode(tmp_path):
    (tmp_path / "dravo.env").write_text("# written by make run\nDRAVO_DEBUG=1\nDRAVO_BASE_URL=http://127.0.0.1:9000\n")
    result = django_in_plain_shell(tmp_path)
    assert result.returncode == 0, result.stderr
    debug, broker, remote_control = result.stdout.split()
    assert debug == "True"
    assert broker == f"sqla+sqlite:///{tmp_path.resolve() / 'broker.sqlite3'}"  # under the data dir, not the checkout
    assert remote_control == "False"  # no fanout on this transport


def test_production_still_refuses_missing_secrets(tmp_path):
    result = django_in_plain_shell(tmp_path)  # no dravo.env, no DRAVO_DEBUG
    assert result.returncode != 0 and "DRAVO_SECRET_KEY is not set" in result.stderr
    (tmp_path / "dravo.env").write_text("DRAVO_DEBUG=1\n")
    overridden = django_in_plain_shell(tmp_path, DRAVO_DEBUG="0")  # the environment wins over the file
    assert overridden.returncode != 0 and "DRAVO_SECRET_KEY is not set" in overridden.stderr


# The transport options settings.py gives the embedded broker.
OPTIONS = embedded_broker.TRANSPORT_OPTIONS
QUEUE = Queue("q", Exchange("q", type="direct"), routing_key="q")
PUBLISH = """
import sys
from kombu import Connection, Exchange, Queue
from dravo.embedded_broker import TRANSPORT_OPTIONS
queue = Queue("q", Exchange("q", type="direct"), routing_key="q")
with Connection(sys.argv[1], transport_options=TRANSPORT_OPTIONS) as c:
    producer = c.Producer()
    for n in range(int(sys.argv[2]), int(sys.argv[3])):
        producer.publish({"n": n}, exchange=queue.exchange, routing_key="q", declare=[queue])
"""
CONSUME = """
import json, sys, time
from queue import Empty
from kombu import Connection
from dravo.embedded_broker import TRANSPORT_OPTIONS
seen, idle_since = [], time.monotonic()
with Connection(sys.argv[1], transport_options=TRANSPORT_OPTIONS) as c:
    q = c.SimpleQueue("q")
    while time.monotonic() - idle_since < 3:
        try:
            m = q.get(timeout=0.2)
        except Empty:
            continue
        seen.append(m.payload["n"])
        m.ack()
        idle_since = time.monotonic()
print(json.dumps(seen))
"""


def test_the_embedded_broker_takes_several_publishing_and_consuming_processes_at_once(tmp_path):
    url = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    with Connection(url, transport_options=OPTIONS) as connection:
        connection.Producer().publish({"n": -1}, exchange=QUEUE.exchange, routing_key="q", declare=[QUEUE])
    consumers = [subprocess.Popen([sys.executable, "-c", CONSUME, url], stdout=subprocess.PIPE, text=True)
                 for _ in range(2)]  # fmt: skip
    publishers = [subprocess.Popen([sys.executable, "-c", PUBLISH, url, str(start), str(start + 100)])
                  for start in (0, 100, 200)]  # fmt: skip
    assert all(p.wait(timeout=120) == 0 for p in publishers)
    got = [n for p in consumers for n in json.loads(p.communicate(timeout=120)[0])]
    assert sorted(got) == list(range(-1, 300))  # every message exactly once: none lost, none twice


def test_delivered_messages_are_pruned_from_the_embedded_broker(tmp_path):
    url = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    with Connection(url, transport_options=OPTIONS) as connection:
        producer = connection.Producer()
        for n in range(3):
            producer.publish({"n": n}, exchange=QUEUE.exchange, routing_key="q", declare=[QUEUE])
        simple = connection.SimpleQueue("q")
        for _ in range(2):
            simple.get(timeout=1).ack()
        channel = connection.default_channel
        message = channel.message_cls
        assert channel.session.query(message).count() == 3  # kombu keeps the two delivered ones
        assert broker_prune(connection=connection, older_than_seconds=3600) == 0  # delivered just now
        channel.session.query(message).filter(message.visible.is_(False)).update(
            {message.sent_at: datetime.now() - timedelta(hours=2)}, synchronize_session=False
        )
        channel.session.commit()
        assert broker_prune(connection=connection, older_than_seconds=3600) == 2
        channel.session.expire_all()
        assert channel.session.query(message).count() == 1 and channel.session.query(message).one().visible
        simple.close()


def test_beat_prunes_the_embedded_broker_and_only_it(tmp_path):
    show = "import django; django.setup(); from django.conf import settings as s; print(sorted(s.CELERY_BEAT_SCHEDULE))"
    plain = {"PATH": "/usr/bin:/bin", "DRAVO_DATA_DIR": str(tmp_path), "DRAVO_DEBUG": "1",
             "DJANGO_SETTINGS_MODULE": "dravo.settings"}
    embedded = subprocess.run([sys.executable, "-c", show], cwd=ROOT, env=plain, capture_output=True, text=True)
    redis = subprocess.run([sys.executable, "-c", show], cwd=ROOT, capture_output=True, text=True,
                           env={**plain, "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"})  # fmt: skip
    assert "broker-prune" in embedded.stdout, embedded.stderr
    assert "broker-prune" not in redis.stdout and "publishing-dispatch-due" in redis.stdout, redis.stderr


@pytest.mark.parametrize(
    ("logger", "message", "shown"),
    [
        ("celery.beat", "Scheduler: Sending due task publishing-dispatch-due (publishing.tasks.x)", False),
        ("celery.worker.strategy", "Task publishing.tasks.dispatch_due_task[1f] received", False),
        ("celery.app.trace", "Task publishing.tasks.dispatch_due_task[1f] succeeded in 0.01s: None", False),
        ("celery.app.trace", "Task publishing.tasks.recover_stuck_task[2a] succeeded in 0.01s: None", False),
        ("celery.worker.strategy", "Task publishing.tasks.deliver_task[3b] received", True),
        ("celery.app.trace", "Task publishing.tasks.deliver_task[3b] succeeded in 0.5s: None", True),
    ],
)
def test_beats_housekeeping_ticks_are_not_logged_at_info(caplog, logger, message, shown):
    with caplog.at_level(logging.INFO):
        logging.getLogger(logger).info(message)
    assert (message in caplog.text) is shown


def test_a_failing_tick_is_still_logged(caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("celery.app.trace").error("Task publishing.tasks.dispatch_due_task[1f] raised: boom")
    assert "boom" in caplog.text
