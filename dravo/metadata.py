"""What `OPTIONS` answers on every /v1 route."""

from rest_framework.metadata import SimpleMetadata
from rest_framework.negotiation import DefaultContentNegotiation

from dravo.renderers import JSONRenderer


class ApiMetadata(SimpleMetadata):
    """The route's name, description and media types; the allowed methods are in `Allow`.

    DRF's default also describes the body by calling `view.get_serializer()`, which
    needs a `serializer_class`. Dravo's viewsets pick input and output serializers per
    action and declare none, so that made `OPTIONS` a 500 on every POST route. The
    bodies are described by the OpenAPI schema (`/v1/schema`) instead.
    """

    def determine_metadata(self, request, view):
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }


class ApiContentNegotiation(DefaultContentNegotiation):
    """`OPTIONS` answers JSON on every route, even those whose pages are HTML or YAML."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if request.method == "OPTIONS":
            return JSONRenderer(), JSONRenderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
