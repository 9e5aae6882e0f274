from django.contrib import admin, messages
from rest_framework.exceptions import APIException
from social_django.models import Association, Nonce, UserSocialAuth

from accounts import services
from accounts.forms import AdminLoginForm
from accounts.models import ApiKey, ConnectLink, Destination, Membership, SocialAccount, Workspace
from dravo.errors import DomainError, error_text

# Dravo's connect flow never stores social-auth's own rows (accounts.pipeline keeps the
# grants as SocialAccount, encrypted); their admin would show raw tokens and secrets.
for _model in (UserSocialAuth, Nonce, Association):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

# The admin's login spends the same per-username and per-address budgets as every login.
admin.site.login_form = AdminLoginForm


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


class DestinationInline(admin.TabularInline):
    """Dravo's copy of the account's boards, playlists, locations or categories (read-only:
    the network's listing replaces it)."""

    model = Destination
    extra = 0
    fields = readonly_fields = ["position", "kind", "external_id", "name", "extra", "fetched_at"]
    ordering = ["position"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    list_display = ["__str__", "workspace", "mode", "provider", "handle", "health", "token_expires_at", "created_at"]
    list_filter = ["provider", "mode", "health", "connection_type"]
    search_fields = ["id", "handle", "name", "platform_account_id", "workspace__name"]
    date_hierarchy = "created_at"
    list_select_related = ["workspace"]
    # credentials_encrypted is never shown, not even encrypted.
    fields = [
        "id", "workspace", "mode", "provider", "platform_account_id", "handle", "name", "connection_type",
        "health", "health_reason", "token_expires_at", "refreshed_at", "metadata", "created_at", "updated_at",
        "disconnected_at",
    ]  # fmt: skip
    readonly_fields = fields
    inlines = [DestinationInline]
    actions = ["force_token_refresh"]

    def has_add_permission(self, request):
        return False  # accounts are connected through the API, the dashboard or a connect link

    def has_delete_permission(self, request, obj=None):
        # Disconnect (API or dashboard) keeps the row: posts name their accounts, and a new
        # post's deliveries are made from its targets just after the 202.
        return False

    @admin.action(description="Force a token refresh of the selected accounts")
    def force_token_refresh(self, request, queryset):
        done = 0
        for account in queryset:
            try:
                services.social_account_refresh(account_id=account.id, wait=5.0)
                done += 1
            except (APIException, DomainError) as exc:
                self.message_user(request, f"{account}: {error_text(exc)}", messages.ERROR)
        self.message_user(request, f"Refreshed {done} account(s).", messages.SUCCESS if done else messages.WARNING)


@admin.register(ConnectLink)
class ConnectLinkAdmin(admin.ModelAdmin):
    list_display = ["id", "workspace", "mode", "provider", "created_at", "expires_at", "opened_at", "completed_at"]
    list_filter = ["provider", "mode"]
    search_fields = ["id", "workspace__name", "redirect_uri"]
    date_hierarchy = "created_at"
    list_select_related = ["workspace"]
    # The token hash is not shown: the link's URL is never retrievable again.
    fields = [
        "id", "workspace", "mode", "provider", "redirect_uri", "created_at", "expires_at", "opened_at",
        "completed_at", "account_ids", "error",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
