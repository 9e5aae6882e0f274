"""Every validation rule of POST /v1/posts is a 400 naming the field, before anything is stored."""

from datetime import timedelta

import pytest
from django.utils import timezone

from publishing import services
from publishing.models import Delivery, Post
from tests import factories


@pytest.fixture
def x_account(workspace):
    return factories.make_account(workspace, provider="x")


def create(client, **body):
    return client.post("/v1/posts", body, format="json")


def attrs(response):
    assert response.status_code == 400, response.content
    return [e["attr"] for e in response.json()["errors"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body,attr",
    [
        ({"text": "hi"}, "account_ids"),
        ({"account_ids": [], "text": "hi"}, "account_ids"),
        ({"account_ids": ["acc_1"] * 2, "text": "hi"}, "account_ids"),
        ({"account_ids": [f"acc_{i}" for i in range(101)], "text": "hi"}, "account_ids"),
        ({"account_ids": ["ACC"]}, "text"),
        ({"account_ids": ["ACC"], "text": ""}, "text"),
        ({"account_ids": ["ACC"], "text": "   "}, "text"),
        ({"account_ids": ["ACC"], "text": "a" * 5001}, "text"),
        ({"account_ids": ["ACC"], "text": "hi", "media_urls": ["ftp://x/y.png"]}, "media_urls.0"),
        ({"account_ids": ["ACC"], "text": "hi", "media_urls": "https://x/y.png"}, "media_urls"),
        ({"account_ids": ["ACC"], "text": "hi", "scheduled_at": "2020-01-01T00:00:00Z"}, "scheduled_at"),
        ({"account_ids": ["ACC"], "text": "hi", "scheduled_at": "2099-01-01T00:00:00"}, "scheduled_at"),
        ({"account_ids": ["ACC"], "text": "hi", "scheduled_at": "tomorrow"}, "scheduled_at"),
        ({"account_ids": ["ACC"], "text": "hi", "platform_options": []}, "platform_options"),
    ],
)
def test_shape_errors_are_400_naming_the_field(api_client, x_account, body, attr):
    body = {k: ([x_account.pk if a == "ACC" else a for a in v] if k == "account_ids" else v) for k, v in body.items()}
    assert attr in attrs(create(api_client, **body))
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_schedule_less_than_60s_ahead_is_refused(api_client, x_account):
    soon = (timezone.now() + timedelta(seconds=30)).isoformat()
    assert attrs(create(api_client, account_ids=[x_account.pk], text="hi", scheduled_at=soon)) == ["scheduled_at"]


@pytest.mark.django_db
def test_unknown_foreign_and_disconnected_accounts_are_named(api_client, workspace, x_account):
    foreign = factories.make_account(factories.make_workspace())
    gone = factories.make_account(workspace, health="disconnected")
    live = factories.make_account(workspace, mode="live")
    response = create(api_client, account_ids=[x_account.pk, "acc_nope", foreign.pk, gone.pk, live.pk], text="hi")
    errors = {e["attr"]: e["detail"] for e in response.json()["errors"]}
    assert set(errors) == {"account_ids.1", "account_ids.2", "account_ids.3", "account_ids.4"}
    assert "acc_nope" in errors["account_ids.1"] and foreign.pk in errors["account_ids.2"]
    assert "disconnected" in errors["account_ids.3"]
    assert not Post.objects.exists() and not Delivery.objects.exists()


@pytest.mark.django_db
def test_requires_reconnect_account_is_refused(api_client, workspace):
    account = factories.make_account(workspace, health="requires_reconnect")
    assert attrs(create(api_client, account_ids=[account.pk], text="hi")) == ["account_ids.0"]


@pytest.mark.django_db
def test_platform_options_are_strict(api_client, workspace, x_account):
    response = create(
        api_client,
        account_ids=[x_account.pk],
        text="hi",
        platform_options={"threads": {}, "facebook": {"as_reel": True}, "x": {"firstComent": "a"}},
    )
    assert set(attrs(response)) == {
        "platform_options.threads",
        "platform_options.facebook",
        "platform_options.x.firstComent",
    }


@pytest.mark.django_db
def test_option_types_and_enums_are_checked(api_client, workspace):
    tiktok = factories.make_account(workspace, provider="tiktok")
    response = create(
        api_client,
        account_ids=[tiktok.pk],
        text="hi",
        media_urls=["https://cdn.example.com/v.mp4"],
        platform_options={"tiktok": {"privacy_level": "public"}},
    )
    assert attrs(response) == ["platform_options.tiktok.privacy_level"]


@pytest.mark.django_db
def test_x_weighted_limit_names_the_account(api_client, x_account):
    response = create(api_client, account_ids=[x_account.pk], text="日本" * 141)  # 282 chars weigh 564
    error = response.json()["errors"][0]
    assert error["attr"] == "text" and x_account.pk in error["detail"]


@pytest.mark.django_db
def test_a_per_network_text_override_is_checked_against_that_network(api_client, workspace, x_account):
    linkedin = factories.make_account(workspace, provider="linkedin")
    ok = create(
        api_client,
        account_ids=[x_account.pk, linkedin.pk],
        text="a" * 1000,
        platform_options={"x": {"text": "short for X"}},
    )
    assert ok.status_code == 202, ok.json()
    bad = create(api_client, account_ids=[linkedin.pk], text="hi", platform_options={"linkedin": {"text": "a" * 3001}})
    assert attrs(bad) == ["platform_options.linkedin.text"]


@pytest.mark.django_db
def test_x_poll_with_media_is_refused(api_client, x_account):
    response = create(
        api_client,
        account_ids=[x_account.pk],
        text="vote",
        media_urls=["https://e.com/a.png"],
        platform_options={"x": {"poll": {"options": ["a", "b"], "duration_minutes": 60}}},
    )
    assert response.status_code == 400
    assert any("poll" in (e["attr"] or "") or "poll" in e["detail"].lower() for e in response.json()["errors"])


@pytest.mark.django_db
def test_tiktok_without_media_and_instagram_over_30_hashtags_are_refused(api_client, workspace):
    tiktok = factories.make_account(workspace, provider="tiktok")
    insta = factories.make_account(workspace, provider="instagram")
    response = create(
        api_client,
        account_ids=[tiktok.pk],
        text="no video",
        platform_options={"tiktok": {"privacy_level": "SELF_ONLY"}},
    )
    assert response.status_code == 400
    tags = " ".join(f"#t{i}" for i in range(31))
    response = create(api_client, account_ids=[insta.pk], text=tags, media_urls=["https://e.com/a.jpg"])
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "text"


@pytest.mark.django_db
def test_validate_endpoint_reports_problems_and_stores_nothing(api_client, workspace, x_account):
    linkedin = factories.make_account(workspace, provider="linkedin")
    response = api_client.post(
        "/v1/posts/validate", {"account_ids": [x_account.pk, linkedin.pk], "text": "a" * 300}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    assert [e["attr"] for e in body["errors"]] == ["text"] and x_account.pk in body["errors"][0]["detail"]
    good = api_client.post("/v1/posts/validate", {"account_ids": [linkedin.pk], "text": "fine"}, format="json")
    assert good.json() == {"valid": True, "errors": []}
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_accepted_post_is_202_with_one_delivery_per_account(api_client, workspace, x_account):
    linkedin = factories.make_account(workspace, provider="linkedin")
    when = (timezone.now() + timedelta(hours=2)).isoformat()
    response = create(api_client, account_ids=[x_account.pk, linkedin.pk], text="hello", scheduled_at=when)
    assert response.status_code == 202
    body = response.json()
    assert body["id"].startswith("post_") and body["status"] == "scheduled" and body["scheduled_at"]
    post = Post.objects.get(pk=body["id"])
    assert sorted(post.providers) == ["linkedin", "x"]
    assert post.deliveries.count() == 2 and not post.deliveries.filter(next_attempt_at__isnull=False).exists()


@pytest.mark.django_db
def test_a_post_for_now_is_answered_before_its_deliveries_are_made_and_shows_them_pending(
    api_client, workspace, x_account, django_capture_on_commit_callbacks
):
    linkedin = factories.make_account(workspace, provider="linkedin")
    with django_capture_on_commit_callbacks() as callbacks:
        response = create(api_client, account_ids=[linkedin.pk, x_account.pk], text="hello")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    post_id = response.json()["id"]
    assert not Delivery.objects.exists()  # one row written by the request; the worker makes the rest
    assert len(callbacks) == 1  # one fan-out message, sent after commit
    results = api_client.get(f"/v1/posts/{post_id}").json()["results"]
    assert [(r["account_id"], r["provider"], r["status"], r["attempts"]) for r in results] == [
        (linkedin.pk, "linkedin", "pending", 0),
        (x_account.pk, "x", "pending", 0),
    ]


@pytest.mark.django_db
def test_the_fan_out_makes_one_pending_delivery_per_target_in_request_order_once(
    api_client, workspace, x_account, django_capture_on_commit_callbacks
):
    linkedin = factories.make_account(workspace, provider="linkedin")
    tiktok = factories.make_account(workspace, provider="tiktok")
    ids = [linkedin.pk, x_account.pk, tiktok.pk]
    with django_capture_on_commit_callbacks():
        response = create(
            api_client,
            account_ids=ids,
            text="hello",
            media_urls=["https://cdn.example.com/a.mp4"],
            platform_options={"tiktok": {"privacy_level": "SELF_ONLY"}},
        )
    post_id = response.json()["id"]
    with django_capture_on_commit_callbacks() as sent:
        made = services.post_fan_out(post_id=post_id)
    rows = list(Delivery.objects.filter(post_id=post_id).order_by("pk"))
    assert made == [d.pk for d in rows] and len(sent) == 3  # one deliver task per delivery made
    expected = [(linkedin.pk, "linkedin"), (x_account.pk, "x"), (tiktok.pk, "tiktok")]
    assert [(d.account_id, d.provider) for d in rows] == expected
    for delivery in rows:
        assert delivery.status == "pending" and delivery.attempts == 0 and delivery.lease_until is None
        assert delivery.next_attempt_at is not None and delivery.dispatched_at == delivery.next_attempt_at
        assert delivery.warnings == [] and delivery.checkpoint == {} and delivery.error == ""
        assert delivery.platform_post_id == "" and delivery.created_at and delivery.updated_at
    results = api_client.get(f"/v1/posts/{post_id}").json()["results"]
    assert [r["account_id"] for r in results] == ids
    with django_capture_on_commit_callbacks() as sent_again:
        assert services.post_fan_out(post_id=post_id) == []  # a redelivered message makes and sends nothing
    assert sent_again == [] and Delivery.objects.filter(post_id=post_id).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "when",
    [
        "2030-06-30T23:59:60Z",  # a leap second: datetime cannot hold it
        "2030-02-30T10:00:00Z",
        "2030-13-01T10:00:00Z",
        "2030-06-30T24:00:00Z",
        "2030-06-30T10:00:00+25:00",
        "9999-12-31T23:59:59-23:59",  # past the last representable UTC time
    ],
)
def test_an_impossible_date_time_is_a_400_on_scheduled_at(api_client, x_account, when):
    body = {"account_ids": [x_account.pk], "text": "hi", "scheduled_at": when}
    for path in ("/v1/posts", "/v1/posts/validate", "/v1/publish"):
        response = api_client.post(path, body, format="json")
        if path.endswith("validate"):
            assert response.status_code == 200 and response.json()["errors"][0]["attr"] == "scheduled_at"
        else:
            assert attrs(response) == ["scheduled_at"]
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_list_item_has_the_same_attr_whether_its_shape_or_dravo_refuses_it(api_client, x_account, settings):
    shape = create(api_client, account_ids=[x_account.pk, "a" * 65], text="hi")  # refused by the serializer
    domain = create(api_client, account_ids=[x_account.pk, "acc_nope"], text="hi")  # refused by check_post
    assert attrs(shape) == attrs(domain) == ["account_ids.1"]
    bad_url = create(api_client, account_ids=[x_account.pk], text="hi", media_urls=["https://a.example/x.png", "nope"])
    unknown_media = create(
        api_client, account_ids=[x_account.pk], text="hi",
        media_urls=["https://a.example/x.png", f"{settings.BASE_URL}/media/med_nope/x.png"],
    )
    assert attrs(bad_url) == attrs(unknown_media) == ["media_urls.1"]
    assert unknown_media.json()["errors"][0]["code"] == "unknown_media"


@pytest.mark.django_db
def test_a_network_rule_on_a_list_item_names_it_by_index(api_client, x_account):
    images = [f"https://cdn.example.com/{i}.png" for i in range(5)]
    response = create(api_client, account_ids=[x_account.pk], text="hi", media_urls=images)
    assert attrs(response) == ["media_urls.4"]
    assert response.json()["errors"][0]["code"] == "too_many_media"  # X's own rule, from its client


@pytest.mark.django_db
def test_an_unknown_option_lists_the_valid_ones(api_client, x_account):
    from providers.x.rules import XOptionsSerializer

    response = create(api_client, account_ids=[x_account.pk], text="hi", platform_options={"x": {"thred": ["a"]}})
    [error] = response.json()["errors"]
    assert (error["attr"], error["code"]) == ("platform_options.x.thred", "unknown_option")
    assert "Did you mean 'thread'?" in error["detail"]
    for name in XOptionsSerializer().fields:
        assert name in error["detail"]


@pytest.mark.django_db
def test_an_unknown_option_of_a_nested_option_lists_that_options_fields(api_client, x_account):
    poll = {"options": ["a", "b"], "duration_minutes": 60, "colour": "red"}
    response = create(api_client, account_ids=[x_account.pk], text="hi", platform_options={"x": {"poll": poll}})
    [error] = response.json()["errors"]
    assert (error["attr"], error["code"]) == ("platform_options.x.poll.colour", "unknown_option")
    assert "Valid options: options, duration_minutes." in error["detail"]


def _mastodon(workspace, max_characters):
    account = factories.make_account(workspace, provider="mastodon")
    account.metadata = {"instance": {"limits": {"max_characters": max_characters}}}
    account.save(update_fields=["metadata"])
    return account


@pytest.mark.django_db
def test_each_account_is_checked_against_its_own_instance_s_limits_in_one_query(api_client, workspace):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, big = _mastodon(workspace, 500), _mastodon(workspace, 1000)
    refused = create(api_client, account_ids=[small.id, big.id], text="a" * 700)
    assert refused.status_code == 400, refused.content
    [error] = refused.json()["errors"]
    assert error["attr"] == "text" and small.id in error["detail"] and big.id not in error["detail"]
    assert create(api_client, account_ids=[big.id], text="a" * 700).status_code == 202

    def queries(accounts):
        with CaptureQueriesContext(connection) as ctx:
            assert create(api_client, account_ids=[a.id for a in accounts], text="a" * 700).status_code == 202
        return len(ctx)

    few = queries([_mastodon(workspace, 1000)])
    many = queries([_mastodon(workspace, 1000) for _ in range(6)])
    assert many == few  # the instances' limits are one read, not one per account
