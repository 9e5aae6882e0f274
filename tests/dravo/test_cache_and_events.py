"""The shared Redis cache client, and events skipped where nobody listens."""

import socket
import uuid

import pytest

from dravo import events
from dravo.cache import SharedClientRedisCache


def _redis_up() -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_up(), reason="needs Redis at 127.0.0.1:6379 (CI has it)")
def test_the_redis_cache_builds_one_client_per_pool_and_still_reads_and_writes():
    cache = SharedClientRedisCache("redis://127.0.0.1:6379/14", {})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is cache._cache.get_client()
    key = f"test:{uuid.uuid4().hex}"
    cache.set(key, {"n": 1}, 30)
    assert cache.get(key) == {"n": 1}
    cache.delete(key)
    assert cache.get(key) is None


@pytest.fixture
def listener(monkeypatch):
    calls, asked = [], []

    def listen(**event):
        calls.append(event["type"])

    def interested(workspace_id, mode):
        asked.append((workspace_id, mode))
        return workspace_id == "ws_wanted"

    monkeypatch.setattr(events, "_listeners", [listen])
    monkeypatch.setattr(events, "_interests", [interested])
    monkeypatch.setattr(events, "_guarded", [listen])
    return calls, asked


def test_an_emit_inside_a_block_nobody_wants_does_not_ask_again(listener):
    calls, asked = listener
    with events.event_transaction(workspace_id="ws_other", mode="test"):
        events.event_emit("post.queued", workspace_id="ws_other", mode="test", subject={})
    assert asked == [("ws_other", "test")]  # once, by the block
    assert calls == []


@pytest.mark.django_db
def test_a_wanted_block_and_an_emit_for_another_workspace_still_reach_the_listener(listener):
    calls, asked = listener
    with events.event_transaction(workspace_id="ws_wanted", mode="test"):
        events.event_emit("post.queued", workspace_id="ws_wanted", mode="test", subject={})
    with events.event_transaction(workspace_id="ws_other", mode="test"):
        events.event_emit("post.queued", workspace_id="ws_wanted", mode="live", subject={})
    events.event_emit("post.published", workspace_id="ws_other", mode="test", subject={})  # outside a block
    assert calls == ["post.queued", "post.queued", "post.published"]
