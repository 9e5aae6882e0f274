"""Options of one account: `platform_options.<account id>` holds options for that account
only, over its network's (one level deep), checked with the network's own schema and
rules, and used by that account's delivery alone."""

import pytest
from django.utils import timezone

from publishing.models import Post
from sandbox.models import SandboxRecord
from tests import factories

PRIVATE = "SELF_ONLY"


def create(client, **body):
    return client.post("/v1/posts", body, format="json")


def errors(response):
    assert response.status_code == 400, response.content
    return {e["attr"]: e for e in response.json()["errors"]}


@pytest.mark.django_db(transaction=True)
def test_each_account_gets_its_own_options_over_its_networks(sandbox, eager_tasks, api_client, workspace):
    stamp = timezone.now().timestamp()
    first, second = (
        factories.make_account(
            workspace, provider="x", credentials={"access_token": f"opt-{n}-{stamp}", "sandbox": {"behavior": "ok"}}
        )
        for n in (1, 2)
    )
    response = create(
        api_client,
        account_ids=[first.pk, second.pk],
        text="shared words",
        platform_options={"x": {"text": "words for X"}, second.pk: {"text": "words for the second account"}},
    )
    assert response.status_code == 202, response.content
    post = Post.objects.get(pk=response.json()["id"])
    assert post.status == "published"
    sent = sorted(r.data["text"] for r in SandboxRecord.objects.filter(network="x", kind="post"))
    assert sent == ["words for X", "words for the second account"]


@pytest.mark.django_db
def test_a_required_option_may_come_from_each_account(api_client, workspace):
    one, two, three = (factories.make_account(workspace, provider="tiktok") for _ in range(3))
    media = ["https://example.com/clip.mp4"]
    ok = create(
        api_client,
        account_ids=[one.pk, two.pk],
        text="hi",
        media_urls=media,
        platform_options={one.pk: {"privacy_level": PRIVATE}, two.pk: {"privacy_level": "MUTUAL_FOLLOW_FRIENDS"}},
    )
    assert ok.status_code == 202, ok.content

    refused = errors(
        create(
            api_client,
            account_ids=[one.pk, two.pk, three.pk],
            text="hi",
            media_urls=media,
            platform_options={one.pk: {"privacy_level": PRIVATE}},
        )
    )
    assert list(refused) == ["platform_options.tiktok.privacy_level"]
    named = refused["platform_options.tiktok.privacy_level"]["detail"]
    assert two.pk in named and three.pk in named and one.pk not in named


@pytest.mark.django_db
def test_an_accounts_options_are_checked_by_its_networks_schema_and_rules(api_client, workspace):
    first, second = (factories.make_account(workspace, provider="x") for _ in range(2))
    stranger = factories.make_account(workspace, provider="x")
    found = errors(
        create(
            api_client,
            account_ids=[first.pk, second.pk],
            text="hi",
            platform_options={
                first.pk: {"text": "a" * 300},
                second.pk: {"reply_settings": "everyone", "colour": "red"},
                stranger.pk: {"text": "not targeted"},
            },
        )
    )
    assert set(found) == {
        f"platform_options.{first.pk}.text",
        f"platform_options.{second.pk}.colour",
        f"platform_options.{stranger.pk}",
    }
    assert found[f"platform_options.{stranger.pk}"]["code"] == "unknown_platform"
    assert "targeted account" in found[f"platform_options.{stranger.pk}"]["detail"]
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_wrong_network_option_is_reported_once_not_per_account(api_client, workspace):
    account = factories.make_account(workspace, provider="tiktok")
    found = errors(
        create(
            api_client,
            account_ids=[account.pk],
            text="hi",
            media_urls=["https://example.com/clip.mp4"],
            platform_options={"tiktok": {"privacy_level": "public"}, account.pk: {"disable_comment": True}},
        )
    )
    assert list(found) == ["platform_options.tiktok.privacy_level"]


@pytest.mark.django_db
def test_an_unset_destination_is_named_on_each_accounts_own_option(api_client, workspace):
    one, two, three = (factories.make_account(workspace, provider="pinterest") for _ in range(3))
    media = ["https://example.com/pin.jpg"]
    found = errors(
        create(
            api_client,
            account_ids=[one.pk, two.pk, three.pk],
            text="a pin",
            media_urls=media,
            platform_options={three.pk: {"board_id": "123"}},
        )
    )
    assert sorted(found) == sorted(f"platform_options.{a.pk}.board_id" for a in (one, two))
    assert found[f"platform_options.{one.pk}.board_id"]["code"] == "required"
    assert one.pk in found[f"platform_options.{one.pk}.board_id"]["detail"]
    # A board set for the whole network is the caller's choice for every account.
    ok = create(
        api_client,
        account_ids=[one.pk],
        text="a pin",
        media_urls=media,
        platform_options={"pinterest": {"board_id": "1"}},
    )
    assert ok.status_code == 202, ok.content
