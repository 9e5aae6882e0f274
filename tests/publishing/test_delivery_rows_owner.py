"""The delivery rows have one owner: only the delivery path writes them, and a canceled
post's results never read `pending`, whatever state its rows were left in."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from publishing import services
from publishing.models import Delivery
from tests import factories

OWNER = Path("publishing/services/delivery.py")
WRITES = {"update", "create", "bulk_create", "bulk_update", "delete", "get_or_create", "update_or_create"}


def _root(node: ast.AST) -> ast.AST:
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def test_only_the_delivery_path_writes_delivery_rows():
    base = Path(settings.BASE_DIR)
    writers = []
    for app in ("accounts", "analytics", "dravo", "providers", "publishing"):
        for path in (base / app).rglob("*.py"):
            if "migrations" in path.parts or path.relative_to(base) == OWNER:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
                    root = _root(node.func.value)
                    if isinstance(root, ast.Name) and root.id == "Delivery":
                        writers.append(f"{path.relative_to(base)}:{node.lineno}")
    assert writers == []


@pytest.mark.django_db
def test_canceling_a_scheduled_post_cancels_every_delivery_that_is_not_final(api_client, workspace):
    accounts = [factories.make_account(workspace, provider="x"), factories.make_account(workspace, provider="linkedin")]
    post = factories.make_post(workspace, accounts, scheduled_at=timezone.now() + timedelta(minutes=10))
    # A row left mid-claim (a worker's lease) is not pending either, and must not stay so.
    Delivery.objects.filter(post=post, account=accounts[1]).update(status="processing")
    services.post_cancel(post=post)
    results = api_client.get(f"/v1/posts/{post.pk}").json()["results"]
    assert [r["status"] for r in results] == ["canceled", "canceled"]
