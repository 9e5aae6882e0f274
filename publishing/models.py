from datetime import timedelta

from django.db import models
from django.db.models import Q

from accounts.models import Mode, SocialAccount, Workspace
from dravo.ids import new_id


def new_post_id() -> str:
    return new_id("post")


def new_series_id() -> str:
    return new_id("ser")


class PostSeries(models.Model):
    """A recurring post: the content and accounts of every occurrence, and when they fall
    (an RFC 5545 rule from a local wall time in a time zone; see publishing.recurrence).
    Occurrences are made as posts of their own a little ahead of time (`made_until`)."""

    id = models.CharField(primary_key=True, max_length=32, default=new_series_id, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="post_series")
    mode = models.CharField(max_length=4, choices=Mode.choices)
    rule = models.CharField(max_length=500)
    time_zone = models.CharField(max_length=64)
    start = models.DateTimeField(help_text="The first occurrence's local wall time, stored without a zone.")
    count = models.PositiveIntegerField(null=True, blank=True)
    until = models.DateTimeField(null=True, blank=True, help_text="The last local wall time, without a zone.")
    text = models.TextField()
    media_urls = models.JSONField(default=list, blank=True)
    platform_options = models.JSONField(default=dict, blank=True)
    providers = models.JSONField(default=list, blank=True)
    targets = models.JSONField(default=list, blank=True)
    variations = models.JSONField(
        default=list, blank=True, help_text="A recycled post's texts, one per repeat in turn (else `text`)."
    )
    made_until = models.DateTimeField(null=True, blank=True, help_text="Occurrences up to here exist as posts.")
    finished = models.BooleanField(default=False, help_text="Every occurrence is made (or the series canceled).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "post series"
        indexes = [models.Index(fields=["made_until"], name="series_due_idx", condition=Q(finished=False))]

    def __str__(self) -> str:
        return f"{self.id} ({self.rule})"


class Post(models.Model):
    """One piece of content sent to up to 100 accounts; its status derives from its deliveries."""

    class Status(models.TextChoices):
        DRAFT = "draft"  # saved, not validated for publishing, sent nowhere
        SCHEDULED = "scheduled"
        QUEUED = "queued"
        PROCESSING = "processing"
        PUBLISHED = "published"
        PARTIAL = "partial"
        FAILED = "failed"
        CANCELED = "canceled"

    FINAL = (Status.PUBLISHED, Status.PARTIAL, Status.FAILED, Status.CANCELED)

    id = models.CharField(primary_key=True, max_length=32, default=new_post_id, editable=False)
    # No index of its own: post_page_idx leads with workspace.
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="posts", db_index=False)
    mode = models.CharField(max_length=4, choices=Mode.choices)
    text = models.TextField()
    media_urls = models.JSONField(default=list, blank=True)
    platform_options = models.JSONField(default=dict, blank=True)
    providers = models.JSONField(default=list, blank=True, help_text="Networks targeted, for filtering and display.")
    targets = models.JSONField(
        default=list, blank=True, help_text="[account id, network] per targeted account, in request order."
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True, help_text="When it was queued for delivery.")
    finished_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1, help_text="Grows by one with each change (If-Match).")
    series = models.ForeignKey(
        PostSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences", db_index=False
    )
    occurrence_at = models.DateTimeField(null=True, blank=True, help_text="Its time in its series (UTC).")
    schedule_reason = models.CharField(
        max_length=300, blank=True, help_text="How auto-scheduling chose its time (empty otherwise)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "mode", "-created_at", "-id"], name="post_page_idx"),
            # The history filtered by status: a page and its capped count read only the matching rows;
            # with a network too, the count tests `providers` in the index without reading the posts.
            models.Index(
                fields=["workspace", "mode", "status", "-created_at", "-id"],
                include=["providers"],
                name="post_status_page_idx",
            ),
            models.Index(fields=["scheduled_at"], name="post_due_idx", condition=Q(status="scheduled")),
            # Queued posts are few at any time: finds one whose fan-out message was lost.
            models.Index(fields=["released_at"], name="post_queued_idx", condition=Q(status="queued")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence_at"], name="one_post_per_occurrence", condition=Q(series__isnull=False)
            )
        ]

    def __str__(self) -> str:
        return f"{self.id} ({self.status})"

    @property
    def results(self) -> list["Delivery"]:
        """Its deliveries (made by the fan-out just after a 202), then a placeholder, not
        stored, for each target whose delivery is not made yet: pending, or canceled with
        the post."""
        if self.status == self.Status.DRAFT:
            return []  # a draft goes nowhere until it is published
        made = list(self.deliveries.all())
        have = {d.account_id for d in made}
        status = Delivery.Status.CANCELED if self.status == self.Status.CANCELED else Delivery.Status.PENDING
        return made + [
            Delivery(post=self, account_id=account_id, provider=provider, status=status)
            for account_id, provider in self.targets
            if account_id not in have
        ]

    @property
    def account_ids(self) -> list[str]:
        return [account_id for account_id, _ in self.targets]

    @property
    def job_id(self) -> str:
        """The legacy /v1/publish name of this post: the same suffix with `job_`."""
        return "job_" + self.id.split("_", 1)[1]


class Delivery(models.Model):
    """The post on one account: claimed by a conditional update, written before and after
    the network call, never published twice once it has a platform post id."""

    class Status(models.TextChoices):
        PENDING = "pending"
        PROCESSING = "processing"
        PUBLISHED = "published"
        FAILED = "failed"
        CANCELED = "canceled"  # its post was canceled before release; never attempted

    FINAL = (Status.PUBLISHED, Status.FAILED, Status.CANCELED)

    # No index of its own: the (post, account) unique constraint leads with post.
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    account = models.ForeignKey(SocialAccount, on_delete=models.PROTECT, related_name="deliveries")
    provider = models.CharField(max_length=20)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="Due time; null while not released.")
    dispatched_at = models.DateTimeField(null=True, blank=True, help_text="When a task message was last sent.")
    lease_until = models.DateTimeField(null=True, blank=True, help_text="A worker holds it until then.")
    error = models.TextField(blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    checkpoint = models.JSONField(default=dict, blank=True, help_text="Server-side objects made so far.")
    platform_post_id = models.CharField(max_length=200, blank=True)
    platform_post_url = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "account"], name="one_delivery_per_account")]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="delivery_due_idx", condition=Q(status="pending")),
            models.Index(fields=["lease_until"], name="delivery_lease_idx", condition=Q(status="processing")),
            models.Index(fields=["published_at"], name="delivery_published_idx", condition=Q(status="published")),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.post_id} → {self.account_id} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL

    def backoff(self, base: float, cap: float = 3600.0) -> timedelta:
        """Exponential backoff for the next attempt after `attempts` tries (jitter added by the caller)."""
        return timedelta(seconds=min(cap, base * 2 ** max(0, self.attempts - 1)))


class IdempotencyKey(models.Model):
    """The first response to a POST with an Idempotency-Key, replayed for 24 hours to
    requests of the same workspace and mode. Secrets the first answer showed (a new API
    key) are not kept: `response_body` is what a replay answers."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE)
    mode = models.CharField(max_length=4, choices=Mode.choices)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "mode", "key"], name="unique_idempotency_key_per_mode")
        ]

    def __str__(self) -> str:
        return f"{self.workspace_id}:{self.mode}:{self.key}"


def new_media_id() -> str:
    return new_id("med")


class Media(models.Model):
    """A file ingested through POST /v1/media (or before delivery, from a post's foreign
    URL): stored through Django's storage API, described by what its bytes are."""

    class Kind(models.TextChoices):
        IMAGE = "image"
        VIDEO = "video"
        DOCUMENT = "document"

    id = models.CharField(primary_key=True, max_length=32, default=new_media_id, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="media")
    mode = models.CharField(max_length=4, choices=Mode.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    mime_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True, help_text="format, frames, container, codecs, fps, pages.")
    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    source_url = models.URLField(max_length=2000, blank=True, help_text="Where it was downloaded from, if it was.")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "mode", "-created_at", "-id"], name="media_page_idx"),
            models.Index(fields=["workspace", "mode", "source_url"], name="media_source_idx"),
        ]
        verbose_name_plural = "media"

    def __str__(self) -> str:
        return f"{self.id} ({self.mime_type})"

    @property
    def filename(self) -> str:
        """The last part of the stored name: the one in the public URL."""
        return self.file.name.rsplit("/", 1)[-1]


class CalendarFeed(models.Model):
    """The secret of a workspace's (and mode's) calendar feed, `GET /v1/calendar.ics?token=`:
    only its SHA-256 is kept; resetting it makes a new one and the old stops working."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="calendar_feeds")
    mode = models.CharField(max_length=4, choices=Mode.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "mode"], name="one_calendar_feed")]

    def __str__(self) -> str:
        return f"calendar feed of {self.workspace_id} ({self.mode})"


class QueueSchedule(models.Model):
    """An account's queue: weekly slots (a day and a local time in `time_zone`) that the
    posts sent with `queue: true` take, the earliest free one first."""

    account = models.OneToOneField(
        SocialAccount, on_delete=models.CASCADE, primary_key=True, related_name="queue_schedule"
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    slots = models.JSONField(default=list, help_text='[{"day": "mon", "time": "09:00"}, …], in order.')
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"queue of {self.account_id} ({len(self.slots)} slots, {self.time_zone})"


class QueueSlot(models.Model):
    """A slot's instant taken by a queued post on one of its accounts. One post per account
    and instant (the constraint), so two posts queued at the same moment never share a
    slot; canceling the post deletes its rows, deleting it cascades."""

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="queue_slots")
    auto = models.BooleanField(default=False, help_text="An hour chosen by auto-scheduling, not a queue slot.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "at"], name="one_post_per_queue_slot")]

    def __str__(self) -> str:
        return f"{self.account_id} at {self.at:%Y-%m-%d %H:%M} UTC: {self.post_id}"


def new_job_id() -> str:
    return new_id("job")


class Job(models.Model):
    """Many posts made in the background from one request (`POST /v1/posts/bulk`, a CSV
    import): the request's post bodies, and per index the post made or the errors."""

    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        COMPLETED = "completed"
        FAILED = "failed"

    class Kind(models.TextChoices):
        BULK = "bulk"
        IMPORT = "import"

    id = models.CharField(primary_key=True, max_length=32, default=new_job_id, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="jobs")
    mode = models.CharField(max_length=4, choices=Mode.choices)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.BULK)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    atomic = models.BooleanField(default=False)
    dry_run = models.BooleanField(default=False)
    bodies = models.JSONField(default=list, help_text="The post bodies, as POST /v1/posts takes them.")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=list, help_text='[{"index", "post_id"} | {"index", "errors"}], by index.')
    leased_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="job_unfinished", condition=Q(status__in=["pending", "running"]))
        ]

    def __str__(self) -> str:
        return f"{self.id} ({self.kind}, {self.status}, {self.done}/{self.total})"
