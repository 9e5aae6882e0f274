"""The MCP SDK is loaded by the first `/mcp` request, not by every web and Celery process
that loads the URLconf."""

import os
import subprocess
import sys

from django.conf import settings

LOAD_URLCONF = """
import os, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().check()
print(sorted(name for name in ("mcp", "a2wsgi", "httpx") if name in sys.modules))
"""


def test_loading_the_urlconf_does_not_import_the_mcp_sdk():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dravo.settings"}
    process = subprocess.run([sys.executable, "-c", LOAD_URLCONF], env=env, cwd=settings.BASE_DIR,
                             capture_output=True, text=True, timeout=120)

    assert process.returncode == 0, process.stderr[-2000:]
    assert process.stdout.strip().splitlines()[-1] == "[]"
