import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pytest
import requests
from django.conf import settings as django_settings
from django.test import Client

from accounts import services
from accounts.models import ThrottleCounter
from tests import factories, worker

REDIS_URL = os.environ.get("DRAVO_CACHE_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set DRAVO_CACHE_URL")
STORES = [pytest.param("", id="database"), pytest.param(REDIS_URL, id="redis", marks=needs_redis)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(*, cache_url: str, rate: str):
    """Dravo as deployed, in two gunicorn processes on the test database (sync workers, so
    that both take their share of parallel requests)."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": worker.test_database_url(),
        "DRAVO_CACHE_URL": cache_url,
        "DRAVO_THROTTLE_RATE": rate,
        "DRAVO_DATA_DIR": str(django_settings.DATA_DIR),
        "DRAVO_DEBUG": "1",
    }
    command = [sys.executable, "-m", "gunicorn", "dravo.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
               "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=django_settings.BASE_DIR)
    url = f"http://127.0.0.1:{port}"
    try:
        worker.wait_for(lambda: _answers(url), timeout=30)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/v1/whoami", timeout=5).status_code == 401  # no key: not counted
    except requests.RequestException:
        return False


def _parallel(count: int, send) -> list[requests.Response]:
    barrier = threading.Barrier(count)
    answers = []

    def run():
        barrier.wait()
        answers.append(send())

    threads = [threading.Thread(target=run) for _ in range(count)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return answers


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cache_url", STORES)
def test_sixty_parallel_requests_to_two_processes_against_thirty_a_minute_let_exactly_thirty_through(cache_url):
    _, raw = factories.make_api_key(factories.make_workspace())
    with gunicorn(cache_url=cache_url, rate="30/min") as url:
        answers = _parallel(
            60, lambda: requests.get(f"{url}/v1/whoami", headers={"Authorization": f"Bearer {raw}"}, timeout=30)
        )
    codes = sorted(response.status_code for response in answers)
    assert codes == [200] * 30 + [429] * 30
    refused = [response for response in answers if response.status_code == 429]
    assert all(1 <= int(response.headers["Retry-After"]) <= 60 for response in refused)
    assert refused[0].json()["errors"][0]["code"] == "throttled"


@pytest.mark.django_db(transaction=True)
def test_the_database_counter_is_shared_by_independent_processes():
    script = (
        "import django; django.setup(); from accounts.services import rate_limit_hit; "
        "print(sum(rate_limit_hit(ident='shared', limit=30, period=60) is None for _ in range(25)))"
    )
    env = {**os.environ, "DATABASE_URL": worker.test_database_url(), "DRAVO_CACHE_URL": "", "DRAVO_DEBUG": "1",
           "DRAVO_DATA_DIR": str(django_settings.DATA_DIR), "DJANGO_SETTINGS_MODULE": "dravo.settings"}  # fmt: skip
    processes = [
        subprocess.Popen([sys.executable, "-c", script], env=env, cwd=django_settings.BASE_DIR, stdout=subprocess.PIPE)
        for _ in range(2)
    ]
    allowed = [int(process.communicate(timeout=60)[0]) for process in processes]
    assert sum(allowed) == 30
    assert ThrottleCounter.objects.get(ident="shared").hits == 50


@pytest.mark.django_db
@pytest.mark.parametrize("cache_url", STORES)
def test_a_budget_opens_again_when_its_window_closes(settings, cache_url):
    settings.CACHE_URL = cache_url
    ident = f"window-{time.time_ns()}"
    assert [services.rate_limit_hit(ident=ident, limit=2, period=1) for _ in range(2)] == [None, None]
    wait = services.rate_limit_hit(ident=ident, limit=2, period=1)
    assert wait == 1.0
    time.sleep(1.1)
    assert services.rate_limit_hit(ident=ident, limit=2, period=1) is None


@pytest.mark.django_db
def test_closed_database_windows_are_pruned(settings):
    settings.CACHE_URL = ""
    services.rate_limit_hit(ident="old", limit=5, period=60)
    services.rate_limit_hit(ident="current", limit=5, period=60)
    ThrottleCounter.objects.filter(ident="old").update(window_ends=time.time() - 1)
    assert services.throttle_counters_prune() == 1
    assert list(ThrottleCounter.objects.values_list("ident", flat=True)) == ["current"]


@pytest.mark.parametrize(
    ("rate", "parsed"), [("1200/min", (1200, 60)), ("30/m", (30, 60)), ("10/5min", (10, 300)), ("2/s", (2, 1)),
                         ("100/hour", (100, 3600)), ("5/day", (5, 86400))],  # fmt: skip
)
def test_rates_read_as_count_per_period(rate, parsed):
    assert services.parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["", "0/min", "ten/min", "10/week", "10"])
def test_an_invalid_rate_is_refused(rate):
    with pytest.raises(ValueError):
        services.parse_rate(rate)


def obtain(client, username, password="wrong-password"):
    return client.post("/v1/auth/token", {"username": username, "password": password}, format="json")


@pytest.mark.django_db
def test_token_logins_over_the_per_username_budget_are_429_even_with_the_right_password(
    settings, workspace, anon_client
):
    settings.LOGIN_RATE_PER_USERNAME = "3/min"
    user = factories.make_user(workspace, password="pw-123456!")
    assert [obtain(anon_client, user.username).status_code for _ in range(3)] == [401] * 3
    assert obtain(anon_client, user.username.upper()).status_code == 429  # counted case-insensitively
    refused = obtain(anon_client, user.username, "pw-123456!")
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["code"] == "throttled"
    assert 1 <= int(refused["Retry-After"]) <= 60
    other = factories.make_user(workspace, password="pw-123456!")
    assert obtain(anon_client, other.username, "pw-123456!").status_code == 200


@pytest.mark.django_db
def test_token_logins_over_the_per_address_budget_are_429_whatever_the_username(settings, workspace, anon_client):
    settings.LOGIN_RATE_PER_IP = "4/min"
    assert [obtain(anon_client, f"nobody-{i}").status_code for i in range(4)] == [401] * 4
    user = factories.make_user(workspace, password="pw-123456!")
    assert obtain(anon_client, user.username, "pw-123456!").status_code == 429
    forged = anon_client.post(
        "/v1/auth/token", {"username": user.username, "password": "pw-123456!"}, format="json",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )  # fmt: skip
    assert forged.status_code == 429  # no trusted proxy: X-Forwarded-For is not the address
    assert anon_client.post(
        "/v1/auth/token", {"username": user.username, "password": "pw-123456!"}, format="json",
        REMOTE_ADDR="198.51.100.7",
    ).status_code == 200  # fmt: skip


@pytest.mark.django_db
def test_dashboard_logins_over_the_budget_get_a_clear_form_error(settings, workspace):
    settings.LOGIN_RATE_PER_USERNAME = "2/min"
    user = factories.make_user(workspace, password="pw-123456!")
    client = Client()
    for _ in range(2):
        assert client.post("/login/", {"username": user.username, "password": "nope"}).status_code == 200
    refused = client.post("/login/", {"username": user.username, "password": "pw-123456!"})
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert f"Too many login attempts. Try again in {refused['Retry-After']} seconds." in refused.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_dashboard_login_under_the_budget_logs_in(workspace):
    user = factories.make_user(workspace, password="pw-123456!")
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": "pw-123456!"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_admin_logins_spend_the_same_budget(settings, workspace):
    settings.LOGIN_RATE_PER_USERNAME = "2/min"
    user = factories.make_user(workspace, password="pw-123456!")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    for _ in range(2):
        assert client.post("/admin/login/", {"username": user.username, "password": "nope"}).status_code == 200
    refused = client.post("/admin/login/", {"username": user.username, "password": "pw-123456!"})
    assert "Too many login attempts." in refused.content.decode()
    assert "_auth_user_id" not in client.session
