from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dravo.fields import StrictBooleanField, StrictCharField
from dravo.pagination import KeysetParams
from dravo.query import TimeRangeParams
from providers.registry import PROVIDERS
from publishing.models import Delivery, Post
from publishing.recurrence import RecurrenceError, zone_of
from publishing.services.posts import MIN_SCHEDULE_AHEAD


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with an explicit offset; a naive time is refused rather than guessed, and
    a well-formed but impossible one (`2030-02-30`, a leap second `23:59:60`) is a 400."""

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value)
            except ValueError as exc:
                raise serializers.ValidationError(f"Not a real date-time: {exc}.", code="invalid") from exc
            if parsed is not None and parsed.tzinfo is None:
                raise serializers.ValidationError(
                    "Must include a time zone offset, e.g. 2026-07-01T09:00:00Z.", code="naive_datetime"
                )
        return super().to_internal_value(value)


@extend_schema_field({"type": "string", "example": "2027-01-04T09:00"})
class LocalDateTimeField(serializers.Field):
    """A local wall time without an offset (`2027-01-04T09:00`): the time zone is given
    beside it."""

    default_error_messages = {
        "invalid": "A local date-time without an offset, e.g. 2027-01-04T09:00.",
        "offset": "No offset here: the time zone is given as time_zone.",
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            parsed = datetime.fromisoformat(data)
        except ValueError:
            self.fail("invalid")
        if parsed.tzinfo is not None:
            self.fail("offset")
        return parsed.replace(microsecond=0)

    def to_representation(self, value):
        return value.replace(tzinfo=None).isoformat(timespec="minutes")


class AutoScheduleSerializer(serializers.Serializer):
    """`{"from", "to", "time_zone"}`: local dates, both included (`from` is a Python keyword,
    hence get_fields)."""

    to = serializers.DateField(help_text="The window's last local day, e.g. 2027-01-10.")
    time_zone = StrictCharField(
        required=False, default="UTC", max_length=64, help_text="The IANA zone of the window's days, e.g. Europe/Paris."
    )

    def get_fields(self):
        fields = super().get_fields()
        return {"from": serializers.DateField(help_text="The window's first local day, e.g. 2027-01-04."), **fields}

    def validate_time_zone(self, value):
        try:
            zone_of(value)
        except RecurrenceError as exc:
            raise serializers.ValidationError(str(exc), code="invalid") from exc
        return value


class RecurrenceSerializer(serializers.Serializer):
    rule = StrictCharField(max_length=500, help_text="An RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=MO,WE.")
    time_zone = StrictCharField(max_length=64, help_text="The IANA zone of the wall times, e.g. Europe/Paris.")
    start = LocalDateTimeField(help_text="The first occurrence's local wall time, e.g. 2027-01-04T09:00.")
    count = serializers.IntegerField(required=False, min_value=1, max_value=1000, help_text="How many occurrences.")
    until = LocalDateTimeField(required=False, help_text="Or: the last local wall time an occurrence may have.")


class RecycleSerializer(serializers.Serializer):
    every_days = serializers.IntegerField(min_value=1, max_value=365, help_text="Days between two repeats.")
    times = serializers.IntegerField(min_value=1, max_value=52, help_text="How many times it is published again.")
    variations = serializers.ListField(
        child=StrictCharField(max_length=5000),
        required=False,
        default=list,
        max_length=52,
        help_text="Texts for the repeats, in turn (networks that refuse a repeated text need them).",
    )


class PostCreateSerializer(serializers.Serializer):
    account_ids = serializers.ListField(
        child=StrictCharField(max_length=64),
        min_length=1,
        max_length=100,
        help_text="1 to 100 connected account ids.",
    )
    text = StrictCharField(min_length=1, max_length=5000, trim_whitespace=False)
    media_urls = serializers.ListField(
        child=serializers.URLField(max_length=2000), required=False, default=list, max_length=35
    )
    platform_options = serializers.DictField(child=serializers.DictField(), required=False, default=dict)
    scheduled_at = AwareDateTimeField(required=False, allow_null=True, default=None)
    recurrence = RecurrenceSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "Repeat the post: each occurrence becomes a scheduled post of its own (its local time kept "
            "across daylight saving changes). Instead of scheduled_at."
        ),
    )
    recycle = RecycleSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="Publish it again every N days, N times, each time as a post of its own (evergreen content).",
    )
    auto_schedule = AutoScheduleSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "Instead of scheduled_at: Dravo picks the whole hour of these local days where the accounts' "
            "audience engages most (their own history, else their networks' usual best hours); the answer "
            "carries scheduled_at and schedule_reason."
        ),
    )
    queue = StrictBooleanField(
        required=False,
        default=False,
        help_text=(
            "Instead of scheduled_at: take the earliest slot, a minute or more ahead, that is a queue slot "
            "of every account and free on each (PUT /v1/accounts/{id}/queue); the answer carries it."
        ),
    )
    draft = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Save a draft (201) instead of publishing: accounts, options and time may be missing "
            "and are checked when it is published (POST /v1/posts/{id}/publish)."
        ),
    )

    def validate_account_ids(self, value):
        seen = set()
        for index, account_id in enumerate(value):
            if account_id in seen:
                raise serializers.ValidationError(
                    f"Duplicate account id {account_id} at index {index}.", code="duplicate"
                )
            seen.add(account_id)
        return value

    def validate_media_urls(self, value):
        for url in value:
            if not url.lower().startswith(("http://", "https://")):
                raise serializers.ValidationError(f"{url} is not an http(s) URL.", code="invalid_url")
        return value

    def validate_text(self, value):
        if not value.strip():
            raise serializers.ValidationError("Text cannot be blank.", code="blank")
        return value

    def validate_scheduled_at(self, value):
        if value is not None and value < timezone.now() + MIN_SCHEDULE_AHEAD:
            raise serializers.ValidationError("Must be at least 60 seconds in the future.", code="too_soon")
        return value

    def validate(self, attrs):
        if attrs.get("recurrence") and attrs.get("scheduled_at"):
            raise serializers.ValidationError(
                {"recurrence": ["Give recurrence or scheduled_at, not both."]}, code="conflict"
            )
        if attrs.get("recurrence") and attrs.get("recycle"):
            raise serializers.ValidationError({"recycle": ["Give recurrence or recycle, not both."]}, code="conflict")
        if attrs.get("auto_schedule"):
            for other in ("scheduled_at", "recurrence", "recycle", "queue"):
                if attrs.get(other):
                    raise serializers.ValidationError(
                        {"auto_schedule": [f"Dravo picks the time: give auto_schedule or {other}, not both."]},
                        code="conflict",
                    )
        if attrs.get("queue"):
            for other in ("scheduled_at", "recurrence", "recycle"):
                if attrs.get(other):
                    raise serializers.ValidationError(
                        {"queue": [f"A queued post takes its time from the queue: give queue or {other}, not both."]},
                        code="conflict",
                    )
        return attrs


class PostDraftSerializer(PostCreateSerializer):
    """A draft: the types of a create, but accounts may be none and text may be empty when
    there is media (it needs one or the other)."""

    account_ids = serializers.ListField(
        child=StrictCharField(max_length=64), required=False, default=list, max_length=100
    )
    text = StrictCharField(required=False, default="", allow_blank=True, max_length=5000, trim_whitespace=False)

    def validate_text(self, value):
        return value

    def validate(self, attrs):
        if not attrs.get("text", "").strip() and not attrs.get("media_urls"):
            raise serializers.ValidationError({"text": ["A draft needs text or media."]}, code="required")
        for name in ("recurrence", "recycle"):
            if attrs.get(name):
                raise serializers.ValidationError(
                    {name: ["A draft does not repeat: publish the series directly."]}, code="not_supported"
                )
        for name in ("queue", "auto_schedule"):
            if attrs.get(name):
                raise serializers.ValidationError(
                    {name: ["A draft takes no time of its own choosing: give it one when it is published."]},
                    code="not_supported",
                )
        return attrs


class PostEditSerializer(PostDraftSerializer):
    """PATCH: any of the fields a draft or a scheduled post may change; the others stay."""

    draft = None
    recurrence = None
    recycle = None
    queue = None
    auto_schedule = None
    series = serializers.BooleanField(
        required=False,
        default=False,
        help_text="An occurrence of a recurring post: change it and every later one not released yet.",
    )

    def validate(self, attrs):
        if not {k: v for k, v in attrs.items() if k != "series"}:
            raise serializers.ValidationError(
                "Give at least one of text, media_urls, platform_options, account_ids, scheduled_at.", code="empty"
            )
        return attrs


class CancelSerializer(serializers.Serializer):
    series = serializers.BooleanField(
        required=False,
        default=False,
        help_text="An occurrence of a recurring post: cancel it and every later one, and make no more.",
    )


class PublishDraftSerializer(serializers.Serializer):
    scheduled_at = AwareDateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When to publish; without it, the draft's own time, or now.",
    )

    def validate_scheduled_at(self, value):
        return PostCreateSerializer().validate_scheduled_at(value)


class LegacyPublishSerializer(PostCreateSerializer):
    """The /v1/publish body: `provider_options` is the old name of `platform_options`."""

    draft = None  # drafts and series are /v1/posts'
    recurrence = None
    recycle = None
    provider_options = serializers.DictField(child=serializers.DictField(), required=False)

    def validate(self, attrs):
        legacy = attrs.pop("provider_options", None)
        if legacy is not None:
            if attrs.get("platform_options"):
                raise serializers.ValidationError(
                    {"provider_options": "Send platform_options or provider_options, not both."}
                )
            attrs["platform_options"] = legacy
        return attrs


class ResultSerializer(serializers.ModelSerializer):
    error = serializers.SerializerMethodField()
    # A URL once published, "" before: documented as a string, not as a URI.
    platform_post_url = serializers.CharField(read_only=True, help_text="The post on the network; empty until then.")

    class Meta:
        model = Delivery
        fields = [
            "account_id",
            "provider",
            "status",
            "platform_post_id",
            "platform_post_url",
            "error",
            "error_code",
            "warnings",
            "attempts",
            "next_attempt_at",
            "published_at",
        ]
        read_only_fields = fields

    def get_error(self, delivery) -> str | None:
        return delivery.error or None

    def to_representation(self, delivery):
        return result_data(delivery)


def result_data(delivery) -> dict:
    """What ResultSerializer's declared fields render, without DRF's machinery per field: a
    history page renders some 250 results, and that machinery was a third of the request's
    CPU. tests/publishing/test_history.py holds this equal to DRF's own rendering."""
    return {
        "account_id": delivery.account_id,
        "provider": delivery.provider,
        "status": delivery.status,
        "platform_post_id": delivery.platform_post_id,
        "platform_post_url": delivery.platform_post_url,
        "error": delivery.error or None,
        "error_code": delivery.error_code,
        "warnings": delivery.warnings,
        "attempts": delivery.attempts,
        "next_attempt_at": _datetime(delivery.next_attempt_at),
        "published_at": _datetime(delivery.published_at),
    }


_DATETIME = serializers.DateTimeField()


def _datetime(value):
    return None if value is None else _DATETIME.to_representation(value)


# Each output field of a post, read straight from the row (see ResultSerializer.to_representation).
_POST_FIELDS = {
    "id": lambda post: post.id,
    "job_id": lambda post: post.job_id,
    "status": lambda post: post.status,
    "text": lambda post: post.text,
    "providers": lambda post: post.providers,
    "media_urls": lambda post: post.media_urls,
    "platform_options": lambda post: post.platform_options,
    "results": lambda post: [result_data(result) for result in post.results],
    "scheduled_at": lambda post: _datetime(post.scheduled_at),
    "account_ids": lambda post: post.account_ids,
    "series_id": lambda post: post.series_id,
    "occurrence_at": lambda post: _datetime(post.occurrence_at),
    "schedule_reason": lambda post: post.schedule_reason or None,
    "revision": lambda post: post.revision,
    "created_at": lambda post: _datetime(post.created_at),
    "updated_at": lambda post: _datetime(post.updated_at),
}


class PostSerializer(serializers.ModelSerializer):
    results = ResultSerializer(many=True, read_only=True)
    account_ids = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The accounts it targets, in request order."
    )
    series_id = serializers.CharField(read_only=True, allow_null=True, help_text="Its recurring series, if any.")
    schedule_reason = serializers.SerializerMethodField(help_text="How auto_schedule chose its time; null otherwise.")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_schedule_reason(self, post) -> str | None:
        return post.schedule_reason or None

    def to_representation(self, post):
        return {name: _POST_FIELDS[name](post) for name in self.Meta.fields}

    class Meta:
        model = Post
        fields = [
            "id",
            "status",
            "text",
            "providers",
            "media_urls",
            "platform_options",
            "results",
            "scheduled_at",
            "account_ids",
            "revision",
            "series_id",
            "occurrence_at",
            "schedule_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# The 202 answers are declared, not ModelSerializers: they are built on every create, and a
# ModelSerializer introspects the model each time.
class PostAcceptedSerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Post.Status.choices, read_only=True)
    scheduled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    series_id = serializers.CharField(
        read_only=True, allow_null=True, help_text="A recurring post's series; `id` is its first occurrence."
    )
    schedule_reason = serializers.CharField(
        read_only=True, allow_null=True, help_text="How auto_schedule chose scheduled_at, in a line."
    )

    def to_representation(self, post):
        return {
            "id": post.id,
            "status": post.status,
            "scheduled_at": _datetime(post.scheduled_at),
            "series_id": post.series_id,
            "schedule_reason": post.schedule_reason or None,
        }


class OccurrenceSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="UTC.")
    local = serializers.CharField(help_text="The same instant in the series' time zone, with its offset.")


class SeriesSerializer(serializers.Serializer):
    id = serializers.CharField()
    rule = serializers.CharField()
    time_zone = serializers.CharField()
    start = LocalDateTimeField()
    count = serializers.IntegerField(allow_null=True)
    until = LocalDateTimeField(allow_null=True)
    next = OccurrenceSerializer(many=True, help_text="The next five occurrences.")


class PostDetailSerializer(PostSerializer):
    """One post: with its series (rule and next occurrences) when it recurs."""

    series = SeriesSerializer(read_only=True, allow_null=True)

    class Meta(PostSerializer.Meta):
        fields = [*PostSerializer.Meta.fields, "series"]


class JobAcceptedSerializer(serializers.Serializer):
    job_id = serializers.CharField(read_only=True, help_text="The legacy /v1/publish name of this post.")
    status = serializers.ChoiceField(choices=Post.Status.choices, read_only=True)
    scheduled_at = serializers.DateTimeField(read_only=True, allow_null=True)


class JobSerializer(PostSerializer):
    class Meta(PostSerializer.Meta):
        fields = ["id", "job_id", *PostSerializer.Meta.fields[1:]]


class PostListParams(KeysetParams, TimeRangeParams):
    """The history's filters; `from`/`to` are on `created_at`."""

    status = serializers.ChoiceField(choices=Post.Status.choices, required=False)
    provider = serializers.ChoiceField(
        choices=PROVIDERS, required=False, help_text="Posts that target this network, delivered or not yet."
    )
    account_id = serializers.CharField(
        required=False, max_length=64, help_text="Posts that target this connected account."
    )
    q = serializers.CharField(required=False, max_length=200, help_text="Full-text search on the post's text.")


class ValidationReportSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.DictField())


class BulkSerializer(serializers.Serializer):
    posts = serializers.ListField(
        child=serializers.DictField(),
        min_length=1,
        max_length=500,
        help_text="1 to 500 bodies of POST /v1/posts, each checked and made as a single create.",
    )
    atomic = StrictBooleanField(
        required=False, default=False, help_text="Store nothing unless every post passes its checks."
    )


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A CSV file, UTF-8, a header row naming the columns (see the template).")
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Only check every row and show what each network gets."
    )
    time_zone = serializers.CharField(
        required=False,
        default="UTC",
        max_length=64,
        help_text="The zone of local scheduled_at values without one of their own.",
    )


class BulkAcceptedSerializer(serializers.Serializer):
    job_id = serializers.CharField(help_text="Follow it at GET /v1/jobs/{job_id}.")
    status = serializers.CharField()
    total = serializers.IntegerField()


class ErrorItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class PreviewSerializer(serializers.Serializer):
    account_id = serializers.CharField()
    provider = serializers.CharField()
    text = serializers.CharField(help_text="The text this account would get (its network's own text if given).")


class JobResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The post's place in the request (a CSV's data row), from 0.")
    post_id = serializers.CharField(required=False, help_text="The post made.")
    previews = PreviewSerializer(many=True, required=False, help_text="A dry run's passing row: each account's text.")
    errors = ErrorItemSerializer(many=True, required=False, help_text="Or why it was not.")


class BulkJobSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField(help_text="pending, running, completed or failed (an atomic job refused).")
    total = serializers.IntegerField()
    dry_run = serializers.BooleanField(help_text="A CSV check: no post is made, `done` counts rows that pass.")
    done = serializers.IntegerField(help_text="Posts made (rows that pass, in a dry run).")
    failed = serializers.IntegerField(help_text="Posts refused.")
    results = JobResultSerializer(many=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
