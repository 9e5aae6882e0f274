from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publishing import services
from publishing.models import Delivery, Post
from tests import factories


def make_post(workspace, accounts, text="hello", status="published", mode="test", created_at=None):
    post = Post.objects.create(
        workspace=workspace, mode=mode, text=text, status=status, providers=sorted({a.provider for a in accounts})
    )
    for account in accounts:
        Delivery.objects.create(
            post=post,
            account=account,
            provider=account.provider,
            status="published" if status == "published" else "pending",
            platform_post_id="p1" if status == "published" else "",
            attempts=1,
        )
    if created_at:
        Post.objects.filter(pk=post.pk).update(created_at=created_at)
    return post


@pytest.fixture
def accounts(workspace):
    return factories.make_account(workspace, provider="x"), factories.make_account(workspace, provider="linkedin")


@pytest.mark.django_db
def test_history_items_carry_results_per_account(api_client, workspace, accounts):
    post = make_post(workspace, accounts, text="Shipping Dravo")
    body = api_client.get("/v1/posts").json()
    assert body["total"] == 1 and body["next_cursor"] is None
    item = body["items"][0]
    assert item["id"] == post.pk and item["text"] == "Shipping Dravo" and item["providers"] == ["linkedin", "x"]
    assert {r["account_id"] for r in item["results"]} == {a.pk for a in accounts}
    assert set(item["results"][0]) >= {
        "account_id",
        "provider",
        "status",
        "platform_post_id",
        "platform_post_url",
        "error",
        "warnings",
        "attempts",
        "published_at",
    }
    assert {"scheduled_at", "created_at", "status"} <= set(item)


@pytest.mark.django_db
def test_filters_by_status_provider_and_text(api_client, workspace, accounts):
    x, li = accounts
    make_post(workspace, [x], text="launch day rocket", status="published")
    make_post(workspace, [li], text="quiet update", status="failed")
    assert [i["text"] for i in api_client.get("/v1/posts?status=failed").json()["items"]] == ["quiet update"]
    assert [i["text"] for i in api_client.get("/v1/posts?provider=x").json()["items"]] == ["launch day rocket"]
    assert [i["text"] for i in api_client.get("/v1/posts?q=rocket").json()["items"]] == ["launch day rocket"]
    assert api_client.get("/v1/posts?status=bogus").status_code == 400


@pytest.mark.django_db
def test_search_matches_words_on_postgres_and_substrings_elsewhere(api_client, workspace, accounts):
    make_post(workspace, accounts[:1], text="Rockets and launches")
    found = api_client.get("/v1/posts?q=rockets").json()["items"]
    assert len(found) == 1
    if connection.vendor == "postgresql":  # full-text: whole words, any order
        assert len(api_client.get("/v1/posts?q=launches rockets").json()["items"]) == 1


@pytest.mark.django_db
def test_paging_has_no_repeats_or_gaps_under_inserts(api_client, workspace, accounts):
    base = timezone.now() - timedelta(hours=1)
    made = [make_post(workspace, accounts, created_at=base + timedelta(seconds=i // 3)).pk for i in range(11)]
    seen, cursor = [], None
    while True:
        page = api_client.get("/v1/posts?limit=4" + (f"&cursor={cursor}" if cursor else "")).json()
        seen += [i["id"] for i in page["items"]]
        make_post(workspace, accounts)
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 11 and set(seen) == set(made)


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_posts(api_client, workspace, accounts):
    make_post(workspace, accounts)
    api_client.get("/v1/posts")  # warm up: the key's last use is recorded once a minute
    with CaptureQueriesContext(connection) as few:
        api_client.get("/v1/posts")
    for _ in range(15):
        make_post(workspace, accounts)
    with CaptureQueriesContext(connection) as many:
        api_client.get("/v1/posts")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_another_workspaces_post_is_404_and_not_listed(api_client, workspace, accounts):
    other_ws = factories.make_workspace()
    foreign = make_post(other_ws, [factories.make_account(other_ws)])
    assert api_client.get(f"/v1/posts/{foreign.pk}").status_code == 404
    assert api_client.get("/v1/posts").json()["total"] == 0


@pytest.mark.django_db
def test_legacy_publish_routes_show_the_same_post_as_a_job(api_client, workspace, accounts):
    response = api_client.post(
        "/v1/publish",
        {
            "account_ids": [accounts[0].pk],
            "text": "legacy",
            "provider_options": {"x": {"reply_settings": "following"}},
            "scheduled_at": (timezone.now() + timedelta(hours=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 202
    job = response.json()
    assert (
        job["job_id"].startswith("job_")
        and job["status"] == "scheduled"
        and set(job) == {"job_id", "status", "scheduled_at"}
    )
    post_id = "post_" + job["job_id"][4:]
    assert Post.objects.get(pk=post_id).platform_options == {"x": {"reply_settings": "following"}}
    assert api_client.get(f"/v1/publish/{job['job_id']}").json()["job_id"] == job["job_id"]
    assert api_client.get(f"/v1/posts/{post_id}").json()["id"] == post_id
    listed = api_client.get("/v1/publish").json()
    assert listed["items"][0]["job_id"] == job["job_id"] and listed["total"] == 1
    canceled = api_client.post(f"/v1/publish/{job['job_id']}/cancel")
    assert canceled.status_code == 200 and canceled.json()["status"] == "canceled"
    assert canceled.json()["job_id"] == job["job_id"]
    assert api_client.post(f"/v1/publish/{post_id}/cancel").status_code == 200  # either prefix on input


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.django_db
def test_the_provider_filter_finds_a_post_before_its_fan_out(api_client, workspace, accounts):
    x, li = accounts
    waiting = services.post_create(workspace=workspace, mode="test", account_ids=[li.pk], text="not fanned out yet")
    assert not waiting.deliveries.exists()
    delivered = make_post(workspace, [x], text="delivered")
    assert ids(api_client.get("/v1/posts?provider=linkedin")) == [waiting.pk]
    assert ids(api_client.get("/v1/posts?provider=x")) == [delivered.pk]
    assert ids(api_client.get("/v1/posts?provider=tiktok")) == []


@pytest.mark.django_db
def test_the_account_id_filter_finds_posts_by_target_or_delivery(api_client, workspace, accounts):
    x, li = accounts
    waiting = services.post_create(workspace=workspace, mode="test", account_ids=[x.pk, li.pk], text="two targets")
    older = make_post(workspace, [x], text="from before targets were kept")  # deliveries only
    make_post(workspace, [li], text="the other account")
    assert set(ids(api_client.get(f"/v1/posts?account_id={x.pk}"))) == {waiting.pk, older.pk}
    assert ids(api_client.get(f"/v1/publish?account_id={x.pk}&provider=x&q=two")) == [waiting.pk]
    assert ids(api_client.get("/v1/posts?account_id=acc_unknown")) == []


@pytest.mark.django_db
def test_from_and_to_filter_on_created_time_inclusively(api_client, workspace, accounts):
    base = timezone.now().replace(microsecond=0) - timedelta(days=3)
    made = [make_post(workspace, accounts, created_at=base + timedelta(days=day)) for day in range(3)]
    day1 = (base + timedelta(days=1)).isoformat()
    assert ids(api_client.get("/v1/posts", {"from": day1})) == [made[2].pk, made[1].pk]
    assert ids(api_client.get("/v1/posts", {"to": day1})) == [made[1].pk, made[0].pk]
    assert ids(api_client.get("/v1/posts", {"from": day1, "to": day1})) == [made[1].pk]
    in_paris = (base + timedelta(days=1)).astimezone(ZoneInfo("Europe/Paris")).isoformat()
    assert ids(api_client.get("/v1/posts", {"from": in_paris, "to": in_paris})) == [made[1].pk]
    raw_plus = in_paris.replace("+", " ")  # a "+" not encoded in the URL arrives as a space
    assert ids(api_client.get(f"/v1/posts?from={raw_plus}&to={raw_plus}")) == [made[1].pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "attr", "code"),
    [
        ("from=2030-06-30T23:59:60Z", "from", "invalid"),
        ("to=2030-02-30T10:00:00Z", "to", "invalid"),
        ("from=2030-06-01T10:00:00", "from", "naive_datetime"),
        ("to=2030-06-01", "to", "naive_datetime"),
        ("from=yesterday", "from", "invalid"),
        ("from=2030-06-02T00:00:00Z&to=2030-06-01T00:00:00Z", "from", "invalid_range"),
        ("account_id=" + "a" * 65, "account_id", "max_length"),
    ],
)
def test_bad_history_filters_are_400_naming_them(api_client, query, attr, code):
    for path in ("/v1/posts", "/v1/publish"):
        response = api_client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [(attr, code)]


@pytest.mark.django_db
def test_an_unknown_history_filter_is_400_instead_of_every_post(api_client, workspace, accounts):
    make_post(workspace, accounts)
    response = api_client.get("/v1/posts?platform=tiktok")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["attr"] == "platform" and error["code"] == "unknown_parameter"
    assert "provider" in error["detail"] and "account_id" in error["detail"]


@pytest.mark.django_db
def test_total_counts_up_to_the_limit_then_is_null(api_client, workspace, accounts, monkeypatch):
    from publishing import selectors

    monkeypatch.setattr(selectors, "HISTORY_COUNT_LIMIT", 3)
    for n in range(3):
        make_post(workspace, accounts[:1], text=f"post {n}", status="failed" if n else "published")
    assert api_client.get("/v1/posts").json()["total"] == 3
    assert api_client.get("/v1/posts?status=failed").json()["total"] == 2
    make_post(workspace, accounts[:1])
    page = api_client.get("/v1/posts?limit=2").json()
    assert page["total"] is None and len(page["items"]) == 2 and page["next_cursor"]
    assert api_client.get(f"/v1/posts?limit=2&cursor={page['next_cursor']}").json()["total"] is None
    assert api_client.get("/v1/publish").json()["total"] is None


@pytest.mark.django_db
def test_a_cursor_bounds_the_created_at_range_so_a_deep_page_reads_only_its_rows(api_client, workspace, accounts):
    base = timezone.now() - timedelta(hours=1)
    for i in range(3):
        make_post(workspace, accounts[:1], created_at=base + timedelta(seconds=i))
    cursor = api_client.get("/v1/posts?limit=1").json()["next_cursor"]
    with CaptureQueriesContext(connection) as ctx:
        assert len(api_client.get(f"/v1/posts?limit=1&cursor={cursor}").json()["items"]) == 1
    page_sql = next(q["sql"] for q in ctx.captured_queries if "ORDER BY" in q["sql"] and "LIMIT 2" in q["sql"])
    # A range condition on its own (not only inside an OR): the index seeks to the cursor.
    assert '"publishing_post"."created_at" <= ' in page_sql


def count_sql(api_client, path: str) -> str:
    with CaptureQueriesContext(connection) as ctx:
        response = api_client.get(path)
    assert response.status_code == 200
    return next(q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper())


@pytest.mark.django_db
def test_the_capped_total_counts_in_page_order_except_for_a_text_search(api_client, workspace, accounts):
    # In page order the count walks the page's index and stops after the cap (a status and
    # a network together otherwise read the table); a text search counts from its own index.
    make_post(workspace, accounts, text="launch day", status="failed")
    make_post(workspace, accounts[:1], text="launch week")
    for query in ("", "?status=failed&provider=linkedin", "?provider=x", "?account_id=" + accounts[0].pk):
        sql = count_sql(api_client, f"/v1/posts{query}")
        assert 'ORDER BY "publishing_post"."created_at" DESC, "publishing_post"."id" DESC LIMIT 1001' in sql, query
    assert api_client.get("/v1/posts?status=failed&provider=linkedin").json()["total"] == 1
    assert api_client.get("/v1/posts?provider=x").json()["total"] == 2
    sql = count_sql(api_client, "/v1/posts?q=launch&status=failed")
    assert "ORDER BY" not in sql and "LIMIT 1001" in sql
    assert api_client.get("/v1/posts?q=launch").json()["total"] == 2
    assert api_client.get("/v1/posts?q=launch&provider=linkedin").json()["total"] == 1


@pytest.mark.django_db
def test_a_search_finds_a_post_by_its_current_words(api_client, workspace, accounts):
    # On PostgreSQL the words are a stored column that PostgreSQL keeps with the text.
    post = make_post(workspace, accounts, text="launch day")
    assert ids(api_client.get("/v1/posts?q=launch")) == [post.pk]
    Post.objects.filter(pk=post.pk).update(text="webinar week")
    assert ids(api_client.get("/v1/posts?q=launch")) == []
    assert ids(api_client.get("/v1/posts?q=webinar")) == [post.pk]
    assert api_client.get("/v1/posts?q=webinar").json()["total"] == 1


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the text-search index is PostgreSQL's; SQLite uses LIKE")
def test_the_text_search_index_is_on_the_stored_words_without_a_pending_list():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(c.oid), c.reloptions FROM pg_class c WHERE c.relname = 'publishing_post_text_fts'"
        )
        definition, options = cursor.fetchone()
    assert "USING gin (text_search)" in definition
    assert "fastupdate=off" in options


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="index-only scans are PostgreSQL's")
def test_the_status_index_carries_the_networks_so_a_status_and_network_count_reads_only_it():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef('post_status_page_idx'::regclass)")
        assert cursor.fetchone()[0].endswith("INCLUDE (providers)")


@pytest.mark.django_db
@pytest.mark.parametrize("serializer_class", ["PostSerializer", "JobSerializer"])
def test_the_fast_rendering_of_a_post_equals_drfs_own(workspace, accounts, serializer_class):
    from rest_framework import serializers as drf

    from publishing.api import serializers

    x, li = accounts
    waiting = factories.make_account(workspace, provider="tiktok")
    post = Post.objects.create(
        workspace=workspace, mode="test", text="Rendered", status="partial", providers=["linkedin", "tiktok", "x"],
        media_urls=["https://example.com/a.jpg"], platform_options={"x": {"reply_settings": "following"}},
        scheduled_at=timezone.now() + timedelta(days=1),
        targets=[[x.pk, "x"], [li.pk, "linkedin"], [waiting.pk, "tiktok"]],
    )  # fmt: skip
    now = timezone.now()
    Delivery.objects.create(
        post=post, account=x, provider="x", status="published", platform_post_id="9", attempts=2,
        platform_post_url="https://x.com/a/status/9", warnings=["first comment failed"], published_at=now,
    )  # fmt: skip
    Delivery.objects.create(
        post=post, account=li, provider="linkedin", status="failed", error="Rejected", error_code="rejected",
        next_attempt_at=now + timedelta(seconds=30),
    )  # fmt: skip
    post = Post.objects.prefetch_related("deliveries").get(pk=post.pk)
    serializer = getattr(serializers, serializer_class)()
    generic = drf.ModelSerializer.to_representation(serializer, post)
    generic["results"] = [
        drf.ModelSerializer.to_representation(serializers.ResultSerializer(), result) for result in post.results
    ]
    fast = serializer.to_representation(post)
    assert fast == dict(generic) and list(fast) == list(generic)
    assert len(fast["results"]) == 3 and fast["results"][2]["status"] == "pending"  # the placeholder
