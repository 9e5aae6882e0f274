urlpatterns = []  # replaced by the instagram sandbox
