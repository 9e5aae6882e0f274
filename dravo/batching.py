"""Many small sends of one process made as one: items added by any thread are handed
to `send(items)` together by a background thread, `linger` seconds after the first of
them. Under load this turns a broker message per request into one per few milliseconds;
idle, it costs `linger` of latency.

What is added is lost if the process dies before the send (a kill; a clean exit sends
it, at exit). Callers use it only for messages that a sweep redoes when they never came.
"""

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


class Batcher:
    """`add(item)` from any thread; `send(items)` runs on this batcher's own thread (or at
    once in the caller when `direct()` says so, or `linger` is 0). A failed send is
    logged and dropped: the caller's sweep redoes it."""

    def __init__(
        self,
        send: Callable[[list], None],
        *,
        linger: Callable[[], float],
        direct: Callable[[], bool] = lambda: False,
        name: str = "batcher",
    ):
        self._send, self._linger, self._direct, self._name = send, linger, direct, name
        self._reset()
        # A child forked from this process starts empty, without the parent's thread and
        # whatever the parent still had to send (the parent sends it).
        os.register_at_fork(after_in_child=self._reset)
        atexit.register(self.flush)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._due = threading.Event()
        self._items: list = []
        self._thread: threading.Thread | None = None

    def add(self, item) -> None:
        linger = self._linger()
        if linger <= 0 or self._direct():
            self._send([item])
            return
        with self._lock:
            self._items.append(item)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
        self._due.set()

    def flush(self) -> None:
        """Send what is waiting now, in the caller."""
        with self._lock:
            items, self._items = self._items, []
        if items:
            try:
                self._send(items)
            except Exception:
                logger.exception("%s: could not send %d item(s); they are redone later", self._name, len(items))

    def _run(self) -> None:
        while True:
            self._due.wait()
            time.sleep(max(self._linger(), 0))  # what comes meanwhile goes with the first
            self._due.clear()
            self.flush()
