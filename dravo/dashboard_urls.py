"""The dashboard's pages (server-rendered, login required). Filled in by the dashboard work."""

urlpatterns = []
