urlpatterns = []  # replaced by the linkedin sandbox
