urlpatterns = []  # replaced by the x sandbox
