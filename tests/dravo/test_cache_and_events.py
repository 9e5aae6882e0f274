"""The shared Redis cache client, and events skipped where nobody listens."""

import uuid

import pytest
from django.conf import settings

from dravo import events
from dravo.cache import SharedClientRedisCache

# As in tests/accounts/test_throttling.py: the round trip needs the Redis of
# DRAVO_CACHE_URL, which CI sets (and then every cache call of the suite goes through it).
needs_redis = pytest.mark.skipif(not settings.CACHE_URL, reason="needs Redis: set DRAVO_CACHE_URL")


def test_the_redis_cache_builds_one_client_per_pool():
    cache = SharedClientRedisCache("redis://127.0.0.1:6379/14,redis://127.0.0.1:6379/13", {})
    writer = cache._cache.get_client(write=True)  # no connection is opened here
    assert cache._cache.get_client(write=True) is writer
    reader = cache._cache.get_client()
    assert cache._cache.get_client() is reader
    assert reader is not writer  # a replica has a pool and a client of its own


@needs_redis
def test_the_shared_client_still_reads_and_writes():
    cache = SharedClientRedisCache(settings.CACHE_URL, {})
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
    monkeypatch.setattr(events, "_interests", {listen: interested})
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
