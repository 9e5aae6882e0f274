from datetime import timedelta

from django.db import models
from django.db.models import Q

from accounts.models import Mode, SocialAccount, Workspace
from publishing.models import Delivery


class PostMetrics(models.Model):
    """The cached official metrics of one published delivery (one post on one account)."""

    class SyncStatus(models.TextChoices):
        SYNCED = "synced"
        PARTIAL = "partial"
        PENDING = "pending"
        FAILED = "failed"
        REQUIRES_RECONNECT = "requires_reconnect"
        UNSUPPORTED = "unsupported"  # the network gives no post metrics: never asked

    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="metrics")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(max_length=4, choices=Mode.choices)
    provider = models.CharField(max_length=20)
    metrics = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    sync_status = models.CharField(max_length=20, choices=SyncStatus.choices, default=SyncStatus.PENDING)
    error_message = models.TextField(blank=True)
    last_updated_at = models.DateTimeField(null=True, blank=True)
    stale_after = models.DateTimeField(null=True, blank=True, help_text="Refreshed on the next read after this.")
    refresh_lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, help_text="When Dravo recorded the publish result.")

    class Meta:
        verbose_name_plural = "post metrics"
        indexes = [
            models.Index(fields=["workspace", "mode", "-created_at"], name="metrics_page_idx"),
            models.Index(fields=["stale_after"], name="metrics_stale_idx"),
        ]

    def __str__(self) -> str:
        return f"metrics of delivery {self.delivery_id} ({self.sync_status})"

    def is_stale(self, now) -> bool:
        return self.last_updated_at is None or self.stale_after is None or self.stale_after <= now

    @staticmethod
    def stale_filter(now) -> Q:
        return Q(last_updated_at__isnull=True) | Q(stale_after__isnull=True) | Q(stale_after__lte=now)


# Young posts move fast, old ones barely: how long fresh metrics stay fresh, by post age.
FRESHNESS = [
    (timedelta(hours=1), timedelta(minutes=5)),
    (timedelta(hours=24), timedelta(minutes=30)),
    (timedelta(days=7), timedelta(hours=3)),
    (timedelta(days=30), timedelta(hours=12)),
]
OLD_POST_FRESHNESS = timedelta(hours=48)


def freshness_for(age: timedelta) -> timedelta:
    for younger_than, ttl in FRESHNESS:
        if age < younger_than:
            return ttl
    return OLD_POST_FRESHNESS


class MetricsSnapshot(models.Model):
    """Metrics as read at one time, for the charts over time (one per refresh)."""

    post_metrics = models.ForeignKey(PostMetrics, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField(db_index=True)
    metrics = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"snapshot {self.post_metrics_id} at {self.taken_at:%Y-%m-%d %H:%M}"


class AccountMetrics(models.Model):
    """An account's own numbers on one day (UTC): its followers and the account-level reach
    and engagement its network serves, under the network's names. One row per account and
    day, refreshed a few times a day; the rows of past days are the history."""

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="+")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(max_length=4, choices=Mode.choices)
    provider = models.CharField(max_length=20)
    day = models.DateField()
    metrics = models.JSONField(default=dict, blank=True)
    sync_status = models.CharField(
        max_length=20, choices=PostMetrics.SyncStatus.choices, default=PostMetrics.SyncStatus.PENDING
    )
    error_message = models.TextField(blank=True)
    last_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "account metrics"
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="one_account_metrics_row_a_day")]
        indexes = [models.Index(fields=["workspace", "mode", "day"], name="account_metrics_idx")]

    def __str__(self) -> str:
        return f"metrics of {self.account_id} on {self.day} ({self.sync_status})"
