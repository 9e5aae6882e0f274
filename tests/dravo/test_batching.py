import os
import threading
import time

from dravo.batching import Batcher


def collecting(linger=0.05, direct=lambda: False):
    sent, arrived = [], threading.Event()

    def send(items):
        sent.append(list(items))
        arrived.set()

    return Batcher(send, linger=lambda: linger, direct=direct, name="test"), sent, arrived


def test_items_added_within_the_linger_go_as_one_send_from_many_threads():
    batcher, sent, arrived = collecting(linger=0.2)
    threads = [threading.Thread(target=batcher.add, args=(n,)) for n in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sent == []  # nothing before the linger is over
    assert arrived.wait(2)
    time.sleep(0.05)
    assert len(sent) == 1 and sorted(sent[0]) == list(range(8))


def test_items_after_a_send_go_in_the_next_one():
    batcher, sent, arrived = collecting(linger=0.02)
    batcher.add("a")
    assert arrived.wait(2)
    arrived.clear()
    batcher.add("b")
    batcher.add("c")
    assert arrived.wait(2)
    assert sent == [["a"], ["b", "c"]]


def test_no_linger_or_a_direct_mode_sends_in_the_caller_one_by_one():
    for batcher, sent, _ in (collecting(linger=0), collecting(direct=lambda: True)):
        batcher.add(1)
        assert sent == [[1]]  # already sent, before add() returned
        batcher.add(2)
        assert sent == [[1], [2]]


def test_a_failed_send_is_logged_and_later_items_still_go(caplog):
    calls, arrived = [], threading.Event()

    def send(items):
        calls.append(items)
        arrived.set()
        if len(calls) == 1:
            raise ConnectionError("broker down")

    batcher = Batcher(send, linger=lambda: 0.01, name="flaky")
    batcher.add(1)
    assert arrived.wait(2)
    arrived.clear()
    batcher.add(2)
    assert arrived.wait(2)
    assert calls == [[1], [2]]
    assert "could not send 1 item(s)" in caplog.text


def test_flush_sends_what_waits_at_once():
    batcher, sent, _ = collecting(linger=30)
    batcher.add("x")
    batcher.flush()  # as at exit
    assert sent == [["x"]]
    batcher.flush()
    assert sent == [["x"]]  # nothing twice


def test_a_forked_child_starts_empty_and_the_parent_keeps_its_items():
    batcher, sent, _ = collecting(linger=30)
    batcher.add("parent's")
    pid = os.fork()
    if pid == 0:  # the child: the parent's item is not its own to send
        os._exit(0 if batcher._items == [] and batcher._thread is None else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    batcher.flush()
    assert sent == [["parent's"]]
