from django.urls import include, path

from providers.sandbox import facebook, files, instagram, linkedin, tiktok, x

urlpatterns = [
    path("files/<str:name>", files.sample_file, name="sandbox-file"),
    path("facebook/", include(facebook.urlpatterns)),
    path("instagram/", include(instagram.urlpatterns)),
    path("x/", include(x.urlpatterns)),
    path("linkedin/", include(linkedin.urlpatterns)),
    path("tiktok/", include(tiktok.urlpatterns)),
]
