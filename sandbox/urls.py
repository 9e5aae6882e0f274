from django.urls import include, path

from sandbox import files
from sandbox.networks import SANDBOXES

urlpatterns = [
    path("files/<str:name>", files.sample_file, name="sandbox-file"),
    *(path(f"{key}/", include(module.urlpatterns)) for key, module in SANDBOXES.items()),
]
