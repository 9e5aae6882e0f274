"""The one lease claim every worker uses: one conditional UPDATE, one winner, and a lease
that runs out frees the row again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dravo.leases import lease_claim
from publishing.models import Delivery, Post
from tests import factories

pytestmark = [pytest.mark.django_db]


def test_a_lease_is_taken_once_until_it_runs_out_and_writes_its_updates(workspace):
    account = factories.make_account(workspace)
    post = Post.objects.create(workspace=workspace, mode="test", text="hi", status="queued", providers=["x"])
    delivery = Delivery.objects.create(post=post, account=account, provider="x")
    rows = Delivery.objects.filter(pk=delivery.pk)
    assert lease_claim(rows, field="lease_until", duration=timedelta(minutes=5), error_code="taken")
    assert not lease_claim(rows, field="lease_until", duration=timedelta(minutes=5))
    rows.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert lease_claim(rows, field="lease_until", duration=timedelta(minutes=5))
    assert rows.get().error_code == "taken"
