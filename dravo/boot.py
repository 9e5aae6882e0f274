"""Work a process does once at start so that its first requests or tasks do not: the web
server (dravo/wsgi.py) and each Celery worker (dravo/celery.py, on `worker_init`) call
`warm_up()` before they take work."""

import gc

from django.urls import get_resolver


def warm_up() -> None:
    """Load the URLconf and every view module, and build its reverse lookups.

    Django builds the lookups behind `reverse()` on first use, and the building is guarded
    per thread of execution: a worker running eight deliveries at once, each calling
    `reverse()` (a media URL in each), builds them eight times over, about 0.3 s each on
    one GIL. Then freeze
    what is loaded by now (Django, the apps, their modules: it lives as long as the process)
    out of the cyclic collector, whose full passes would otherwise walk it again and again."""
    resolver = get_resolver()
    resolver.check()
    resolver.reverse_dict  # noqa: B018 - the property builds the lookups, nested URLconfs included
    gc.freeze()
