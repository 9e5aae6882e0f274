from django.contrib import admin

from sandbox.models import SandboxRecord


@admin.register(SandboxRecord)
class SandboxRecordAdmin(admin.ModelAdmin):
    """What the sandbox networks keep, for looking into a test-mode delivery. Read-only."""

    list_display = ["object_id", "network", "kind", "owner", "status", "created_at", "updated_at"]
    list_filter = ["network", "kind", "status"]
    search_fields = ["object_id", "owner"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
