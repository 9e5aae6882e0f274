"""The dashboard's pages (server-rendered, login required), at the root of the site."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views as account_views
from analytics import account_views as account_analytics_views
from analytics import views as analytics_views
from publishing import calendar_views, edit_views, import_views
from publishing import views as publishing_views
from webhooks import views as webhook_views

urlpatterns = [
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", publishing_views.home, name="home"),
    path("workspace", account_views.workspace_switch, name="workspace-switch"),
    path("mode", account_views.mode_switch, name="mode-switch"),
    # accounts
    path("accounts/", account_views.accounts_page, name="accounts"),
    path("accounts/connect/<str:provider>", account_views.account_connect, name="account-connect"),
    path("accounts/connected", account_views.account_connected, name="account-connected"),
    path("accounts/<str:account_id>/refresh", account_views.account_refresh, name="account-refresh"),
    path("accounts/<str:account_id>/disconnect", account_views.account_disconnect, name="account-disconnect"),
    # API keys
    path("api-keys/", account_views.api_keys_page, name="api-keys"),
    path("api-keys/<str:key_id>/revoke", account_views.api_key_revoke, name="api-key-revoke"),
    # webhooks
    path("webhooks/", webhook_views.webhooks_page, name="webhooks"),
    path("webhooks/<str:endpoint_id>", webhook_views.webhook_detail, name="webhook-detail"),
    path("webhooks/<str:endpoint_id>/test", webhook_views.webhook_send_test, name="webhook-test"),
    path("webhooks/<str:endpoint_id>/enabled", webhook_views.webhook_toggle, name="webhook-toggle"),
    path("webhooks/<str:endpoint_id>/rotate-secret", webhook_views.webhook_rotate_secret, name="webhook-rotate"),
    path("webhooks/<str:endpoint_id>/delete", webhook_views.webhook_delete, name="webhook-delete"),
    path(
        "webhooks/<str:endpoint_id>/deliveries/<str:delivery_id>/redeliver",
        webhook_views.webhook_redeliver,
        name="webhook-redeliver",
    ),
    # publishing
    path("compose/", publishing_views.compose, name="compose"),
    path("compose/media", publishing_views.compose_media, name="compose-media"),
    path("compose/recurrence-preview", edit_views.compose_recurrence_preview, name="compose-recurrence-preview"),
    path("compose/preview", edit_views.compose_preview, name="compose-preview"),
    path("posts/<str:post_id>/edit", edit_views.post_edit, name="post-edit"),
    path("posts/", publishing_views.posts_page, name="posts"),
    path("posts/live", publishing_views.posts_live, name="posts-live"),
    path("posts/<str:post_id>", publishing_views.post_detail, name="post-detail"),
    path("posts/<str:post_id>/cancel", publishing_views.post_cancel, name="post-cancel"),
    path("posts/<str:post_id>/retry", publishing_views.post_retry, name="post-retry"),
    path("posts/<str:post_id>/publish", publishing_views.post_publish, name="post-publish"),
    path("posts/<str:post_id>/delete", publishing_views.post_delete, name="post-delete"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("posts/<str:post_id>/reschedule", calendar_views.post_reschedule, name="post-reschedule"),
    # analytics
    path("analytics/", analytics_views.analytics_page, name="analytics"),
    path("analytics/accounts/", account_analytics_views.account_analytics_page, name="analytics-accounts-page"),
    # CSV import and its jobs
    path("import/", import_views.import_page, name="import"),
    path("import/template.csv", import_views.import_template, name="import-template"),
    path("jobs/<str:job_id>", import_views.job_page, name="dashboard-job"),
    path("jobs/<str:job_id>/import", import_views.job_import, name="dashboard-job-import"),
]
