from django.contrib import admin, messages

from analytics import services
from analytics.models import MetricsSnapshot, PostMetrics


@admin.register(PostMetrics)
class PostMetricsAdmin(admin.ModelAdmin):
    list_display = ["delivery", "workspace", "mode", "provider", "sync_status", "last_updated_at", "stale_after"]
    list_filter = ["provider", "mode", "sync_status"]
    search_fields = ["delivery__post__id", "delivery__platform_post_id", "workspace__name"]
    date_hierarchy = "created_at"
    list_select_related = ["delivery", "workspace"]
    actions = ["refresh_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Refresh the selected metrics from the networks now")
    def refresh_now(self, request, queryset):
        done = sum(1 for row in queryset if services.post_metrics_refresh(metrics_id=row.pk))
        self.message_user(request, f"Refreshed {done} of {queryset.count()} row(s).", messages.SUCCESS)


@admin.register(MetricsSnapshot)
class MetricsSnapshotAdmin(admin.ModelAdmin):
    list_display = ["post_metrics", "taken_at"]
    date_hierarchy = "taken_at"
    search_fields = ["post_metrics__delivery__post__id"]
    list_select_related = ["post_metrics"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
