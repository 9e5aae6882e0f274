"""A process warms up before it takes work: the first deliveries of a worker, arriving
together on all its threads, must not each build Django's URL lookups (a media URL is
reversed in every delivery)."""

import gc
import threading
from unittest import mock

import pytest
from celery.signals import worker_init
from django.urls import clear_url_caches, get_resolver, reverse
from django.urls.resolvers import URLResolver


def _populations_during(work) -> int:
    """How many times URLResolver._populate ran (nested URLconfs included) during work()."""
    with mock.patch.object(URLResolver, "_populate", autospec=True, side_effect=URLResolver._populate) as populate:
        work()
    return populate.call_count


def _eight_threads_reverse():
    threads = [
        threading.Thread(target=reverse, args=("media-file",), kwargs={"args": ["med_1", "a.jpg"]}) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.filterwarnings("ignore:DjangoFixup.on_worker_init called without a sender")
def test_a_worker_builds_the_url_lookups_on_worker_init_so_its_threads_do_not():
    clear_url_caches()
    try:
        assert _populations_during(lambda: worker_init.send(sender=None)) > 0
        assert _populations_during(_eight_threads_reverse) == 0
    finally:
        gc.unfreeze()


def test_without_the_warm_up_the_first_reverse_builds_them():
    """The other side of the test above: what the warm-up spares."""
    clear_url_caches()
    assert _populations_during(_eight_threads_reverse) > 0
    assert get_resolver()._populated
