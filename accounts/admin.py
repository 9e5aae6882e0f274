from django.contrib import admin, messages

from accounts import services
from accounts.models import ApiKey, Membership, Workspace


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "id", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "id"]
    date_hierarchy = "created_at"
    readonly_fields = ["id", "created_at"]
    inlines = [MembershipInline]
    actions = ["disable_workspaces"]

    @admin.action(description="Disable selected workspaces (their keys and tokens stop working)")
    def disable_workspaces(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(request, f"Disabled {count} workspace(s).", messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "workspace__name"]
    autocomplete_fields = ["user", "workspace"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["display_prefix", "name", "workspace", "mode", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["mode", "revoked_at"]
    search_fields = ["name", "lookup", "workspace__name"]
    date_hierarchy = "created_at"
    # The hash is never shown; keys are created through the API, the dashboard or
    # `manage.py create_api_key`, which show the raw key once.
    fields = ["id", "workspace", "name", "mode", "display_prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke_keys"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke selected API keys")
    def revoke_keys(self, request, queryset):
        for key in queryset:
            services.api_key_revoke(api_key=key)
        self.message_user(request, f"Revoked {queryset.count()} key(s).", messages.SUCCESS)
