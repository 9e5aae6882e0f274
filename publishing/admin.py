from django.contrib import admin, messages
from rest_framework.exceptions import APIException

from dravo.errors import DomainError, error_text
from publishing import services
from publishing.models import Delivery, IdempotencyKey, Media, Post

DELIVERY_FIELDS = [
    "account", "provider", "status", "attempts", "next_attempt_at", "platform_post_id", "platform_post_url",
    "published_at", "error_code", "error", "warnings",
]  # fmt: skip


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = DELIVERY_FIELDS
    readonly_fields = DELIVERY_FIELDS
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


def _each(modeladmin, request, queryset, service, verb: str) -> None:
    done = 0
    for post in queryset:
        try:
            service(post=post)
            done += 1
        except (APIException, DomainError) as exc:
            modeladmin.message_user(request, f"{post.id}: {error_text(exc)}", messages.WARNING)
    modeladmin.message_user(request, f"{verb} {done} post(s).", messages.SUCCESS if done else messages.WARNING)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["id", "workspace", "mode", "status", "short_text", "providers", "scheduled_at", "created_at"]
    list_filter = ["status", "mode"]
    search_fields = ["id", "text", "workspace__name"]
    date_hierarchy = "created_at"
    list_select_related = ["workspace"]
    readonly_fields = [
        "id", "workspace", "mode", "text", "media_urls", "platform_options", "providers", "targets", "status",
        "scheduled_at", "released_at", "finished_at", "created_at", "updated_at",
    ]  # fmt: skip
    inlines = [DeliveryInline]
    actions = ["retry_failed", "cancel_scheduled"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Text")
    def short_text(self, post):
        return post.text[:60] + ("…" if len(post.text) > 60 else "")

    @admin.action(description="Retry failed deliveries of the selected posts")
    def retry_failed(self, request, queryset):
        _each(self, request, queryset, services.post_retry, "Retried")

    @admin.action(description="Cancel the selected scheduled posts")
    def cancel_scheduled(self, request, queryset):
        _each(self, request, queryset, services.post_cancel, "Canceled")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "post", "account", "provider", "status", "attempts", "next_attempt_at", "published_at"]
    list_filter = ["status", "provider", "error_code"]
    search_fields = ["post__id", "account__id", "account__handle", "platform_post_id", "error"]
    date_hierarchy = "created_at"
    list_select_related = ["post", "account"]
    readonly_fields = [
        "post",
        *DELIVERY_FIELDS,
        "dispatched_at",
        "lease_until",
        "checkpoint",
        "created_at",
        "updated_at",
    ]
    actions = ["retry_posts"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry the failed deliveries of these deliveries' posts")
    def retry_posts(self, request, queryset):
        posts = {d.post_id: d.post for d in queryset.filter(status=Delivery.Status.FAILED).select_related("post")}
        _each(self, request, posts.values(), services.post_retry, "Retried")


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    """Stored answers hold no secret (services.idempotent leaves new keys and link URLs out)."""

    list_display = ["key", "workspace", "mode", "response_status", "created_at"]
    list_filter = ["mode", "response_status"]
    search_fields = ["key", "workspace__name"]
    date_hierarchy = "created_at"
    list_select_related = ["workspace"]
    readonly_fields = ["workspace", "mode", "key", "request_hash", "response_status", "response_body", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Media)
class MediaAdmin(admin.ModelAdmin):
    list_display = ["id", "workspace", "mode", "kind", "mime_type", "size_bytes", "width", "height", "created_at"]
    list_filter = ["kind", "mode", "mime_type"]
    search_fields = ["id", "original_name", "source_url", "sha256", "workspace__name"]
    date_hierarchy = "created_at"
    list_select_related = ["workspace"]
    readonly_fields = [
        "id", "workspace", "mode", "kind", "mime_type", "size_bytes", "width", "height", "duration_s", "extra",
        "file", "original_name", "source_url", "sha256", "created_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False
