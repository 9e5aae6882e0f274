from rest_framework.viewsets import GenericViewSet


class WorkspaceViewSet(GenericViewSet):
    """A viewset whose rows all belong to the caller's workspace (and mode).

    Subclasses set `model` and implement `scoped_queryset()`, which calls a selector with
    `self.workspace` (and `self.mode` where rows are live/test), so another workspace's id
    is simply not found: a 404.
    """

    model = None
    lookup_value_regex = "[A-Za-z0-9_]+"

    @property
    def workspace(self):
        return self.request.auth.workspace

    @property
    def mode(self) -> str:
        return self.request.auth.mode

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller
            return self.model.objects.none()
        return self.scoped_queryset()

    def scoped_queryset(self):
        raise NotImplementedError
