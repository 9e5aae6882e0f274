import pytest
from django.utils import timezone
from dravo_sdk import Dravo

from tests import factories


@pytest.fixture
def dravo(sandbox, api_key):
    """The SDK's client of the live server (which serves the sandbox networks too)."""
    with Dravo(sandbox, api_key, max_retries=0) as client:
        yield client


def sandbox_account(workspace, provider="mastodon", behavior="ok", handle=None):
    """A test-mode account whose deliveries go to the sandbox network over HTTP."""
    credentials = {"access_token": f"sbx-{provider}-{timezone.now().timestamp()}", "sandbox": {"behavior": behavior}}
    return factories.make_account(workspace, provider=provider, credentials=credentials, handle=handle)
