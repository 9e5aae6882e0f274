urlpatterns = []  # replaced by the tiktok sandbox
