import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dravo.settings")
application = get_wsgi_application()
get_resolver().check()  # load the URLconf and every view module now, not on the first request

# What is loaded by now (Django, the apps, their modules) lives as long as the process:
# freeze it out of the cyclic collector, whose full passes would otherwise walk those
# ~200,000 objects again and again (about 100 ms, once every ~20 history requests).
gc.freeze()
# A request's garbage is freed by reference counting; what the cyclic collector finds is
# little, so its full passes (30-60 ms on what a worker holds) need not run every ~10
# young-generation passes: one in 100 of them.
gc.set_threshold(700, 10, 100)
