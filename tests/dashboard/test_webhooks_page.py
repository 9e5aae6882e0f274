"""The dashboard's Webhooks pages: the endpoints of the workspace and mode, a create form
whose secret is shown once, bad input beside its field, a test event that lands in the
delivery log, redelivery, disable and enable, rotation, delete, the members' read-only
view, and the warning of a disabled endpoint on the home and Webhooks pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.crypto import decrypt_credentials
from tests import factories
from tests.dashboard.conftest import login_as
from tests.webhooks.conftest import receiver  # noqa: F401 (a fixture)
from webhooks.models import Endpoint, EventDelivery
from webhooks.services.endpoints import endpoint_create, endpoint_send_test

pytestmark = [pytest.mark.django_db(transaction=True)]


def add(client, **data):
    return client.post("/webhooks/", {"events": ["*"], **data})


@pytest.fixture
def endpoint(workspace, receiver):  # noqa: F811
    endpoint, secret = endpoint_create(workspace=workspace, mode="test", url=receiver.url, events=["*"],
                                       description="CRM sync")
    receiver.secrets.append(secret)
    return endpoint


def test_the_page_lists_the_endpoints_of_the_workspace_and_mode(browser_client, workspace, endpoint):
    other = factories.make_workspace()
    endpoint_create(workspace=other, mode="test", url="http://127.0.0.1:9/other-workspace", events=["*"])
    endpoint_create(workspace=workspace, mode="live", url="http://127.0.0.1:9/live-mode", events=["post.failed"])
    response = browser_client.get("/webhooks/")
    assert response.status_code == 200
    page = response.content.decode()
    assert endpoint.url in page and "CRM sync" in page and "All events" in page
    assert "other-workspace" not in page and "live-mode" not in page
    assert 'href="/webhooks/"' in page and ">Webhooks</a>" in page  # the nav link
    for group in ("post.*", "delivery.*", "account.*", "job.*", "webhook.*"):
        assert group in page
    assert 'value="delivery.failed"' in page


def test_create_shows_the_secret_once_and_stores_it_encrypted(browser_client, workspace, receiver):  # noqa: F811
    response = add(browser_client, url=receiver.url, description="Orders", events=["post.published", "post.failed"])
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    row = Endpoint.objects.get(workspace=workspace)
    assert row.mode == "test" and row.events == ["post.published", "post.failed"] and row.description == "Orders"
    secret = decrypt_credentials(row.secret_encrypted)["secret"]
    page = response.content.decode()
    assert secret.startswith("whsec_") and secret in page and 'data-copy="new-secret"' in page
    assert secret not in row.secret_encrypted
    again = browser_client.get("/webhooks/").content.decode()
    assert secret not in again and receiver.url in again
    assert secret not in browser_client.get(f"/webhooks/{row.pk}").content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"url": "https://10.0.0.8/hook"}, "url", "only public addresses take webhooks"),
        ({"url": "http://203.0.113.9/hook"}, "url", "must use https://"),
        ({"url": "https://203.0.113.9/hook", "events": []}, "events", "Pick at least one event"),
        ({"url": "not a url"}, "url", "Enter a valid URL"),
    ],
)
def test_bad_input_rerenders_the_form_with_a_400_and_the_message_beside_the_field(
    browser_client, settings, data, field, message
):
    settings.WEBHOOK_REQUIRE_HTTPS = True
    response = add(browser_client, **data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and f'id="{"id_url" if field == "url" else "events"}_error"' in page
    assert Endpoint.objects.count() == 0


def test_a_test_event_lands_in_the_log_with_the_receivers_answer(browser_client, eager_tasks, endpoint, receiver):  # noqa: F811
    response = browser_client.post(f"/webhooks/{endpoint.pk}/test", follow=True)
    assert response.status_code == 200
    received = receiver.wait_for(1)
    assert [r.type for r in received] == ["webhook.test"] and received[0].verified is not None
    delivery = EventDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == "succeeded" and delivery.last_status_code == 204
    page = response.content.decode()
    assert "Sent a test event" in page and f'id="delivery-{delivery.pk}"' in page
    assert delivery.event_id in page and ">204<" in page and "Succeeded" in page


def test_redeliver_sends_the_same_event_again(browser_client, eager_tasks, endpoint, receiver):  # noqa: F811
    browser_client.post(f"/webhooks/{endpoint.pk}/test")
    delivery = EventDelivery.objects.get(endpoint=endpoint)
    response = browser_client.post(f"/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/redeliver", follow=True)
    assert "Sending webhook.test" in response.content.decode()
    received = receiver.wait_for(2)
    assert len(received) == 2 and received[0].headers["webhook-id"] == received[1].headers["webhook-id"]
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempts == 1


def test_disable_and_enable_again(browser_client, endpoint):
    page = browser_client.post(f"/webhooks/{endpoint.pk}/enabled", {"enabled": "false"}, follow=True)
    endpoint.refresh_from_db()
    assert endpoint.enabled is False and endpoint.disabled_reason == "Disabled from the dashboard."
    assert ">Enable</button>" in page.content.decode()
    browser_client.post(f"/webhooks/{endpoint.pk}/enabled", {"enabled": "true"})
    endpoint.refresh_from_db()
    assert endpoint.enabled is True and endpoint.disabled_reason == ""


def test_rotate_shows_the_new_secret_once(browser_client, endpoint):
    old = decrypt_credentials(endpoint.secret_encrypted)["secret"]
    response = browser_client.post(f"/webhooks/{endpoint.pk}/rotate-secret")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    endpoint.refresh_from_db()
    new = decrypt_credentials(endpoint.secret_encrypted)["secret"]
    assert new != old and new in response.content.decode() and old not in response.content.decode()


def test_delete_removes_the_endpoint(browser_client, endpoint):
    detail = browser_client.get(f"/webhooks/{endpoint.pk}").content.decode()
    assert "data-confirm=" in detail
    response = browser_client.post(f"/webhooks/{endpoint.pk}/delete", follow=True)
    assert response.redirect_chain[-1][0] == "/webhooks/" and not Endpoint.objects.exists()


def test_another_workspaces_endpoint_is_a_404(browser_client, receiver):  # noqa: F811
    theirs, _ = endpoint_create(workspace=factories.make_workspace(), mode="test", url=receiver.url, events=["*"])
    assert browser_client.get(f"/webhooks/{theirs.pk}").status_code == 404
    assert browser_client.post(f"/webhooks/{theirs.pk}/delete").status_code == 404
    assert Endpoint.objects.filter(pk=theirs.pk).exists()


def test_a_member_sees_the_list_and_log_but_cannot_change_anything(workspace, endpoint, receiver):  # noqa: F811
    member = login_as(factories.make_user(workspace, role="member"))
    listing = member.get("/webhooks/").content.decode()
    assert endpoint.url in listing and "Add endpoint" not in listing and "Only owners and admins" in listing
    detail = member.get(f"/webhooks/{endpoint.pk}").content.decode()
    assert "Delivery log" in detail and "Rotate secret" not in detail and "Send test event" not in detail
    refused = add(member, url=receiver.url)
    assert refused.status_code == 302 and Endpoint.objects.count() == 1
    member.post(f"/webhooks/{endpoint.pk}/delete")
    member.post(f"/webhooks/{endpoint.pk}/enabled", {"enabled": "false"})
    endpoint.refresh_from_db()
    assert endpoint.enabled is True and Endpoint.objects.count() == 1


def test_a_disabled_or_failing_endpoint_is_warned_of_on_home_and_webhooks(browser_client, endpoint):
    assert "Webhooks need attention" not in browser_client.get("/").content.decode()
    Endpoint.objects.filter(pk=endpoint.pk).update(enabled=False, disabled_reason="It answered 410 Gone.")
    for url in ("/", "/webhooks/", f"/webhooks/{endpoint.pk}"):
        page = browser_client.get(url).content.decode()
        assert "Webhooks need attention" in page and "It answered 410 Gone." in page, url
    assert "Webhooks need attention" not in browser_client.get("/posts/").content.decode()
    Endpoint.objects.filter(pk=endpoint.pk).update(enabled=True, disabled_reason="", failing_since=timezone.now())
    assert "has been failing since" in browser_client.get("/").content.decode()


def test_the_log_shows_the_newest_fifty_with_a_pager(browser_client, eager_tasks, endpoint, receiver):  # noqa: F811
    for _ in range(51):
        browser_client.post(f"/webhooks/{endpoint.pk}/test")
    first = browser_client.get(f"/webhooks/{endpoint.pk}").content.decode()
    assert first.count('id="delivery-') == 50 and "Page 1 of 2" in first
    assert browser_client.get(f"/webhooks/{endpoint.pk}?page=2").content.decode().count('id="delivery-') == 1


def test_the_endpoint_page_reads_its_log_in_a_constant_number_of_queries(
    browser_client, eager_tasks, endpoint, django_assert_num_queries
):
    for _ in range(3):
        endpoint_send_test(endpoint=endpoint)
    with CaptureQueriesContext(connection) as few:
        assert browser_client.get(f"/webhooks/{endpoint.pk}").status_code == 200
    for _ in range(20):
        endpoint_send_test(endpoint=endpoint)
    with django_assert_num_queries(len(few)):
        assert browser_client.get(f"/webhooks/{endpoint.pk}").content.decode().count('id="delivery-') == 23
