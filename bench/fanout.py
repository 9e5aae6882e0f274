"""Fan-out: one post to 100 sandbox accounts (zero latency), delivered by one worker on
Redis: time from 202 to all deliveries final (target <= 3 s), and database queries per
delivery (constant: no N+1; at most 8).

Usage: bench/fanout.py [--mixed]. With --mixed the 100 accounts are of every network in
turn: the accounts of networks that take images get one post with an image uploaded to
Dravo, those of networks that take only video (YouTube) a second post, sent just after,
with a short uploaded video; without it, 100 X accounts and text only."""

import io
import os
import sys
import time
import uuid

import requests
from common import bench_env, database, make_tenant, purge, web, worker

PORT = 8792
FINAL = ["published", "failed"]
MIXED = "--mixed" in sys.argv
# What the networks that require options must be told (the others need none).
REQUIRED_OPTIONS = {"tiktok": {"privacy_level": "SELF_ONLY"}}


def upload(base: str, key: str, name: str, content: bytes, mime: str) -> str:
    """A file uploaded to Dravo: its URL."""
    response = requests.post(
        f"{base}/media", files={"file": (name, content, mime)}, headers={"Authorization": f"Bearer {key}"}
    )
    response.raise_for_status()
    return response.json()["url"]


def upload_image(base: str, key: str) -> str:
    """A 1080x1080 JPEG uploaded to Dravo: its URL."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1080, 1080), (40, 90, 160)).save(buffer, "JPEG", quality=80)
    return upload(base, key, "bench.jpg", buffer.getvalue(), "image/jpeg")


def upload_video(base: str, key: str) -> str:
    """A 3-second vertical MP4 uploaded to Dravo: its URL."""
    from tests.media_files import mp4

    return upload(base, key, "bench.mp4", mp4((360, 640), seconds=3), "video/mp4")


def split_by_media(account_ids: list[str]) -> tuple[list[str], list[str]]:
    """The accounts whose network takes an image, and those whose network takes only video."""
    from accounts.models import SocialAccount
    from providers.registry import NETWORKS

    providers = dict(SocialAccount.objects.filter(pk__in=account_ids).values_list("pk", "provider"))
    images = [a for a in account_ids if NETWORKS[providers[a]].limits.media_for("image") is not None]
    return images, [a for a in account_ids if a not in images]


def queries_per_delivery(account_ids, workspace, body: dict) -> list[int]:
    """Deliver a second post in this process and count each delivery's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import SocialAccount
    from publishing import services
    from publishing.models import Delivery, Post

    post = Post.objects.create(
        workspace=workspace,
        mode="test",
        text=f"count {uuid.uuid4().hex}",
        media_urls=body.get("media_urls", []),
        platform_options=body.get("platform_options", {}),
        status="queued",
    )
    from django.utils import timezone

    providers = dict(SocialAccount.objects.filter(pk__in=account_ids).values_list("pk", "provider"))
    Delivery.objects.bulk_create(
        Delivery(post=post, account_id=a, provider=providers[a], next_attempt_at=timezone.now()) for a in account_ids
    )
    counts = []
    for delivery_id, provider in post.deliveries.values_list("pk", "provider"):
        with CaptureQueriesContext(connection) as ctx:
            services.delivery_attempt(delivery_id=delivery_id)
        counts.append((provider, len(ctx)))
        if os.environ.get("BENCH_SHOW_SQL") == provider:
            print("\n".join(q["sql"][:160] for q in ctx.captured_queries))
    return counts


def destinations(api: str, key: str, account_ids: list[str]) -> dict:
    """Each account whose network needs a destination (a board...) gets the first one it
    lists, as its own option: every account has its own."""
    from accounts.models import SocialAccount
    from providers.registry import NETWORKS

    options = {}
    for account in SocialAccount.objects.filter(pk__in=account_ids):
        kind = NETWORKS[account.provider].destinations
        if kind is None or not kind.required:
            continue
        listed = requests.get(f"{api}/accounts/{account.pk}/destinations", headers={"Authorization": f"Bearer {key}"})
        first = listed.json()["items"][0]["id"]
        options[account.pk] = {kind.option: [first] if kind.multiple else first}
    return options


def options_for(options: dict, account_ids: list[str]) -> dict:
    """The options of one post: those of its accounts' networks, and of its accounts."""
    from accounts.models import SocialAccount

    networks = set(SocialAccount.objects.filter(pk__in=account_ids).values_list("provider", flat=True))
    return {k: v for k, v in options.items() if k in networks or k in account_ids}


def main() -> None:
    env = bench_env(PORT)
    with database(env):
        from providers.registry import PROVIDERS
        from publishing.models import Delivery, Post

        workspace, key, account_ids = make_tenant(100, PROVIDERS if MIXED else "x")
        with (
            web(env, PORT, workers=2, threads=16),
            worker(env, env["DRAVO_CELERY_QUEUE"], concurrency=8, pool="threads"),
        ):
            time.sleep(3)  # let the worker connect
            api = f"http://127.0.0.1:{PORT}/v1"
            bodies = [{"account_ids": account_ids, "text": f"fan-out {uuid.uuid4().hex}"}]
            if MIXED:
                images, video_only = split_by_media(account_ids)
                options = {k: v for k, v in REQUIRED_OPTIONS.items() if k in PROVIDERS}
                options.update(destinations(api, key, account_ids))
                bodies = [
                    {"account_ids": ids, "text": f"fan-out {uuid.uuid4().hex}", "media_urls": [url(api, key)]}
                    for ids, url in ((images, upload_image), (video_only, upload_video))
                    if ids
                ]
                for body in bodies:
                    body["platform_options"] = options_for(options, body["account_ids"])
            start = time.perf_counter()
            post_ids = []
            for body in bodies:
                response = requests.post(f"{api}/posts", json=body, headers={"Authorization": f"Bearer {key}"})
                assert response.status_code == 202, response.text
                post_ids.append(response.json()["id"])
            accepted = time.perf_counter() - start
            deliveries = Delivery.objects.filter(post_id__in=post_ids)
            # The worker makes the deliveries (post_fan_out) just after the 202.
            while deliveries.count() < len(account_ids) or deliveries.exclude(status__in=FINAL).exists():
                time.sleep(0.05)
                if time.perf_counter() - start > 120:
                    break
            elapsed = time.perf_counter() - start
            published = deliveries.filter(status="published").count()
            failures = list(deliveries.filter(status="failed").values_list("provider", "error")[:5])
            started_at = Post.objects.filter(pk__in=post_ids).order_by("created_at").first().created_at
            slowest = {}
            for provider, finished in deliveries.values_list("provider", "updated_at"):
                slowest[provider] = max(slowest.get(provider, 0), (finished - started_at).total_seconds())
            unfinished = list(
                deliveries.exclude(status__in=FINAL).values_list(
                    "provider", "status", "attempts", "error_code", "error"
                )[:5]
            )
            counts = queries_per_delivery(bodies[0]["account_ids"][:20], workspace, bodies[0])
        purge(env, [env["DRAVO_CELERY_QUEUE"]])
    networks = f"{len(PROVIDERS)} networks" if MIXED else "X"
    print(
        f"202 after {accepted * 1000:.0f} ms ({len(post_ids)} post(s)); 100 deliveries ({networks}) "
        f"final after {elapsed:.2f} s ({published} published) with one worker (8 threads) on Redis (target <= 3 s)"
    )
    if failures:
        print("failed, e.g.:", failures)
    if unfinished:
        print("not final, e.g.:", unfinished)
    by_network = {}
    for provider, count in counts:
        by_network.setdefault(provider, []).append(count)
    numbers = [count for _, count in counts]
    print(
        f"DB queries per delivery: first={numbers[0]} last={numbers[-1]} min={min(numbers)} max={max(numbers)} "
        f"over {len(numbers)} deliveries (constant = no N+1; target <= 8)"
    )
    if MIXED:
        by_time = sorted(slowest.items(), key=lambda item: -item[1])
        print("  last final per network (s after the first post):", ", ".join(f"{p} {t:.2f}" for p, t in by_time))
        print("  per network:", ", ".join(f"{p} {sorted(set(c))}" for p, c in by_network.items()))


if __name__ == "__main__":
    main()
