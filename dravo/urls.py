from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from accounts.api.accounts_views import SocialAccountViewSet
from accounts.api.views import ApiKeyViewSet, TokenObtainView, TokenRefreshView_, whoami
from accounts.views import connect_complete, connect_open
from analytics.api.views import AccountAnalyticsView, PostAnalyticsView
from dravo.docs import RedocView, SwaggerView
from dravo.errors import not_found
from dravo.health import health
from dravo.mcp import McpView
from providers.api.views import NetworkListView
from publishing.api.calendar_views import CalendarFeedTokenView, CalendarFeedView
from publishing.api.job_views import JobView
from publishing.api.media_views import MediaViewSet
from publishing.api.queue_views import QueueShuffleView, QueueView
from publishing.api.views import PostViewSet, PublishViewSet
from publishing.media_serve import media_file
from webhooks.api.views import WebhookViewSet

router = SimpleRouter(trailing_slash=False)
router.register("api-keys", ApiKeyViewSet, basename="api-key")
router.register("accounts", SocialAccountViewSet, basename="account")
router.register("posts", PostViewSet, basename="post")
router.register("publish", PublishViewSet, basename="publish")
router.register("media", MediaViewSet, basename="media")
router.register("webhooks", WebhookViewSet, basename="webhook")

handler400 = "dravo.errors.handler400"
handler403 = "dravo.errors.handler403"
handler404 = "dravo.errors.handler404"
handler500 = "dravo.errors.handler500"

public = {"authentication_classes": [], "permission_classes": [], "throttle_classes": []}

v1 = [
    path("health", health, name="health"),
    path("whoami", whoami, name="whoami"),
    path("auth/token", TokenObtainView.as_view(), name="token-obtain"),
    path("auth/token/refresh", TokenRefreshView_.as_view(), name="token-refresh"),
    path("schema", SpectacularAPIView.as_view(**public), name="schema"),
    path("docs", SwaggerView.as_view(url_name="schema", **public), name="docs"),
    path("redoc", RedocView.as_view(url_name="schema", **public), name="redoc"),
    path("analytics/posts", PostAnalyticsView.as_view(), name="analytics-posts"),
    path("analytics/accounts", AccountAnalyticsView.as_view(), name="analytics-accounts"),
    path("calendar/token", CalendarFeedTokenView.as_view(), name="calendar-token"),
    path("calendar.ics", CalendarFeedView.as_view(), name="calendar-feed"),
    path("jobs/<str:job_id>", JobView.as_view(), name="job"),
    path("networks", NetworkListView.as_view(), name="networks"),
    path("accounts/<str:account_id>/queue", QueueView.as_view(), name="account-queue"),
    path("accounts/<str:account_id>/queue/shuffle", QueueShuffleView.as_view(), name="account-queue-shuffle"),
    *router.urls,
    re_path(r"", not_found),  # last: any other /v1 path is a JSON 404, in DEBUG too
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("v1/", include(v1)),
    path("v1", not_found),
    path("mcp", McpView.as_view(), name="mcp"),
    path("sandbox/", include("sandbox.urls")),
    path("media/<str:media_id>/<str:filename>", media_file, name="media-file"),
    path("connect/<str:token>", connect_open, name="connect-open"),
    path("oauth/complete/<str:backend>/", connect_complete, name="oauth-complete"),
    path("oauth/", include("social_django.urls", namespace="social")),
    path("", include("dravo.dashboard_urls")),
]
