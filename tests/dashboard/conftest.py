import pytest
from django.test import Client

from tests import factories


@pytest.fixture
def owner(workspace):
    return factories.make_user(workspace, role="owner", username="olivia")


@pytest.fixture
def browser_client(owner):
    """A Django test client logged into the dashboard as the workspace's owner (test mode)."""
    client = Client()
    client.force_login(owner)
    return client


def login_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a fixture can tell that the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
