"""The JSON renderer of every /v1 route: DRF's, safe for text that is not valid UTF-8."""

from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    """Renders UTF-8 as DRF does; an answer holding a lone surrogate (`"\\ud800"` in a
    request's JSON is one, and error details quote what was sent, e.g. '"\\ud800" is not
    a valid choice') cannot be encoded as UTF-8, so it is rendered with ASCII escapes
    instead of failing with a 500."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            self.ensure_ascii = True  # renderers are made per response
            return super().render(data, accepted_media_type, renderer_context)


class CSVRenderer(renderers.BaseRenderer):
    """Lets a route that answers CSV (already text) be asked for with `Accept: text/csv`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data
