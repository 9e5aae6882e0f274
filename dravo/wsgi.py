import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dravo.settings")
application = get_wsgi_application()

from dravo.boot import warm_up  # noqa: E402 - needs the settings configured above

# The URLconf, the views and the reverse lookups loaded now, not on the first requests;
# then frozen out of the cyclic collector (~200,000 objects, whose full passes took about
# 100 ms, once every ~20 history requests).
warm_up()
# A request's garbage is freed by reference counting; what the cyclic collector finds is
# little, so its full passes (30-60 ms on what a worker holds) need not run every ~10
# young-generation passes: one in 100 of them.
gc.set_threshold(700, 10, 100)
