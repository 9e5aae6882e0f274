from django.contrib import admin

from webhooks.models import Endpoint, EventDelivery

DELIVERY_FIELDS = [
    "event", "status", "attempts", "last_status_code", "last_response_ms", "next_attempt_at", "delivered_at",
    "last_error", "response_excerpt",
]  # fmt: skip


class EventDeliveryInline(admin.TabularInline):
    model = EventDelivery
    extra = 0
    can_delete = False
    fields = DELIVERY_FIELDS
    readonly_fields = DELIVERY_FIELDS
    ordering = ["-created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    """Staff see and pause endpoints; the secrets (encrypted) are never shown."""

    list_display = ["id", "workspace", "mode", "url", "enabled", "failing_since", "created_at"]
    list_filter = ["enabled", "mode"]
    search_fields = ["id", "url", "workspace__name"]
    exclude = ["secret_encrypted", "previous_secret_encrypted"]
    readonly_fields = ["id", "workspace", "mode", "previous_secret_until", "failing_since", "created_at",
                       "updated_at"]
    inlines = [EventDeliveryInline]


@admin.register(EventDelivery)
class EventDeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "endpoint", "event", "status", "attempts", "last_status_code", "created_at"]
    list_filter = ["status"]
    search_fields = ["id", "event__id", "endpoint__id"]
    readonly_fields = ["id", "endpoint", "created_at", "updated_at", *DELIVERY_FIELDS]

    def has_add_permission(self, request):
        return False
