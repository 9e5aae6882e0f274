from django.urls import include, path

from providers.sandbox import files
from providers.sandbox.networks import SANDBOXES

urlpatterns = [
    path("files/<str:name>", files.sample_file, name="sandbox-file"),
    *(path(f"{key}/", include(module.urlpatterns)) for key, module in SANDBOXES.items()),
]
