from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.api.base import WorkspaceViewSet
from dravo.idempotency import IDEMPOTENCY_HEADER, IdempotencyKeyParam
from dravo.pagination import keyset_response, page_schema
from dravo.parsers import JSONParser
from dravo.schema import CONFLICT
from publishing.api.media_serializers import (
    MediaCreateSerializer,
    MediaListParams,
    MediaSerializer,
    MediaUploadInput,
    MediaUrlInput,
)
from publishing.models import Media
from publishing.services import media as media_services

MEDIA_PAGE = page_schema("MediaPage", MediaSerializer)


@extend_schema(tags=["media"])
class MediaViewSet(WorkspaceViewSet):
    """Media: ingest from a URL or an upload (201), list, show one, delete (204; 409 while in use)."""

    model = Media
    parser_classes = [JSONParser, MultiPartParser]
    lookup_field = "pk"

    def scoped_queryset(self):
        return media_services.media_list(workspace=self.workspace, mode=self.mode)

    def get_object(self):
        media = media_services.media_get(workspace=self.workspace, mode=self.mode, media_id=self.kwargs["pk"])
        if media is None:
            raise media_services.MediaNotFound()
        return media

    @extend_schema(
        summary="Add a media file (from a URL or an upload)",
        request={"application/json": MediaUrlInput, "multipart/form-data": MediaUploadInput},
        responses={201: MediaSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def create(self, request):
        media_services.media_check_upload_length(content_length=request.META.get("CONTENT_LENGTH"))
        key = _idempotency_key(request)
        params = MediaCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        code, body, replayed = media_services.media_create(
            workspace=self.workspace,
            mode=self.mode,
            **params.validated_data,
            idempotency_key=key,
            render=lambda media: MediaSerializer(media).data,
        )
        return Response(body, status=code, headers={"Idempotent-Replayed": "true"} if replayed else {})

    @extend_schema(summary="List media", parameters=[MediaListParams], responses=MEDIA_PAGE)
    def list(self, request):
        params = MediaListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        return keyset_response(self.get_queryset(), params.validated_data, MediaSerializer)

    @extend_schema(summary="Show a media file", responses=MediaSerializer)
    def retrieve(self, request, pk=None):
        return Response(MediaSerializer(self.get_object()).data)

    @extend_schema(summary="Delete a media file", responses={204: None, 409: CONFLICT})
    def destroy(self, request, pk=None):
        media_services.media_delete(media=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None:
        IdempotencyKeyParam(data={"key": key}).is_valid(raise_exception=True)
    return key
