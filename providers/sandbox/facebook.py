urlpatterns = []  # replaced by the facebook sandbox
