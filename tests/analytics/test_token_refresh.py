"""A metrics read refreshes an expired token once, as a delivery does (one shared
"call, refresh once, call again"), and a token refused again right after a refresh means
the account must be reconnected."""

import re

import pytest
import responses
from django.utils import timezone

from accounts.models import SocialAccount
from analytics import services
from analytics.models import PostMetrics
from publishing.models import Delivery, Post
from tests import factories

pytestmark = [pytest.mark.django_db]
TWEET = re.compile(r"https://api\.x\.com/2/tweets/1900.*")
UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
TOKEN = {"token_type": "bearer", "expires_in": 7200, "access_token": "new", "refresh_token": "r2"}


def metrics_row(workspace) -> PostMetrics:
    account = factories.make_account(workspace, mode="live", credentials={"access_token": "old", "refresh_token": "r"})
    post = Post.objects.create(workspace=workspace, mode="live", text="hi", status="published", providers=["x"])
    delivery = Delivery.objects.create(
        post=post, account=account, provider="x", status="published", platform_post_id="1900",
        published_at=timezone.now(),
    )  # fmt: skip
    services.post_metrics_track(delivery=delivery)
    return PostMetrics.objects.get(delivery=delivery)


def test_a_metrics_read_whose_token_is_refused_again_after_a_refresh_asks_for_a_reconnect(workspace):
    row = metrics_row(workspace)
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.get(TWEET, status=401, json=UNAUTHORIZED)
        mock.post("https://api.x.com/2/oauth2/token", json=TOKEN)
        mock.get(TWEET, status=401, json=UNAUTHORIZED)
        services.post_metrics_refresh(metrics_id=row.pk)
        assert len(mock.calls) == 3
    row.refresh_from_db()
    assert row.sync_status == PostMetrics.SyncStatus.REQUIRES_RECONNECT
    assert "refused again after a refresh" in row.error_message
    assert SocialAccount.objects.get(pk=row.delivery.account_id).health == SocialAccount.Health.REQUIRES_RECONNECT
