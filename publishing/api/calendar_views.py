"""The calendar feed's API: its secret token (made, reset, removed with an API key) and the
feed itself, which a calendar app reads with the token in the URL."""

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from dravo.schema import error_response
from publishing.services import calendar as calendar_services


class ICalendarRenderer(BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CalendarFeedTokenView(APIView):
    @extend_schema(
        tags=["calendar"],
        summary="Make (or reset) the calendar feed's token",
        request=None,
        responses={
            201: inline_serializer(
                "CalendarFeedToken",
                {
                    "token": serializers.CharField(help_text="Shown once: Dravo keeps only its hash."),
                    "url": serializers.CharField(help_text="The feed's address, to subscribe to in a calendar app."),
                },
            )
        },
    )
    def post(self, request):
        """A new secret for this workspace's and mode's feed; the one before stops working."""
        token = calendar_services.calendar_feed_reset(workspace=request.auth.workspace, mode=request.auth.mode)
        url = f"{settings.BASE_URL}/v1/calendar.ics?token={token}"
        return Response({"token": token, "url": url}, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["calendar"], summary="Turn the calendar feed off", request=None, responses={204: None})
    def delete(self, request):
        calendar_services.calendar_feed_disable(workspace=request.auth.workspace, mode=request.auth.mode)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CalendarFeedView(APIView):
    authentication_classes = []
    permission_classes = []
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, ICalendarRenderer]

    @extend_schema(
        tags=["calendar"],
        summary="The scheduled posts as iCalendar",
        parameters=[
            OpenApiParameter(
                "token", OpenApiTypes.STR, required=True, description="The feed's secret (POST /v1/calendar/token)."
            )
        ],
        responses={(200, "text/calendar"): OpenApiTypes.STR, 404: error_response(404)},
    )
    def get(self, request):
        """The workspace's scheduled posts (the soonest 1,000), one event each; no API key:
        the token in the URL is the credential, as calendar apps send no headers."""
        feed = calendar_services.calendar_feed_for(request.query_params.get("token", ""))
        if feed is None:
            raise NotFound("No calendar feed has this token (it may have been reset).")
        body = calendar_services.calendar_ics(feed=feed)
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")
