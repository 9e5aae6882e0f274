from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings

from accounts.api.base import WorkspaceViewSet
from dravo.idempotency import IDEMPOTENCY_HEADER, idempotent_response
from dravo.pagination import keyset_response, page_schema
from dravo.renderers import CSVRenderer
from dravo.schema import CONFLICT, PRECONDITION_FAILED
from publishing import selectors, services
from publishing.api.creation import PostMaker, post_create_from_body
from publishing.api.serializers import (
    BulkAcceptedSerializer,
    BulkSerializer,
    CancelSerializer,
    ImportSerializer,
    JobAcceptedSerializer,
    JobSerializer,
    LegacyPublishSerializer,
    PostAcceptedSerializer,
    PostCreateSerializer,
    PostDetailSerializer,
    PostEditSerializer,
    PostListParams,
    PostSerializer,
    PublishDraftSerializer,
    SeriesSerializer,
    ValidationReportSerializer,
)
from publishing.errors import PostNotFound
from publishing.models import Post
from publishing.services import imports as import_services
from publishing.services import jobs as job_services
from publishing.services import series as series_services

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The post's `revision` as you last read it (quotes allowed): the change fails with 412 if it moved.",
)


def series_data(series) -> dict:
    """A series as PostDetailSerializer shows it: its rule and its next occurrences."""
    data = SeriesSerializer(
        {
            "id": series.pk,
            "rule": series.rule,
            "time_zone": series.time_zone,
            "start": series.start,
            "count": series.count,
            "until": series.until,
            "next": series_services.series_next(series=series),
        }
    ).data
    return data


def _if_match(request) -> int | None:
    """The revision named by If-Match (`3` or `"3"`), None without the header."""
    value = request.headers.get("If-Match")
    if value is None:
        return None
    revision = value.strip().removeprefix("W/").strip('"')
    if not revision.isdigit():
        raise ValidationError({"If-Match": ["Must be the post's revision, a number, e.g. If-Match: 3."]})
    return int(revision)


class BasePostViewSet(WorkspaceViewSet):
    """Shared by /v1/posts and the legacy /v1/publish: the shapes differ, not the behaviour."""

    model = Post
    input_serializer = PostCreateSerializer
    accepted_serializer = PostAcceptedSerializer
    output_serializer = PostSerializer
    lookup_field = "pk"

    def scoped_queryset(self):
        return selectors.post_list(workspace=self.workspace, mode=self.mode)

    def get_object(self):
        post = selectors.post_get(workspace=self.workspace, mode=self.mode, post_id=self.kwargs["pk"])
        if post is None:
            raise PostNotFound()
        return post

    def _create(self, request):
        params = self.input_serializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = {k: v for k, v in params.validated_data.items() if k != "draft"}
        post = services.post_create(workspace=self.workspace, mode=self.mode, **data)
        return status.HTTP_202_ACCEPTED, self.accepted_serializer(post).data

    def create(self, request):
        return idempotent_response(request, self.workspace, lambda: self._create(request))

    def list(self, request):
        params = PostListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        qs = selectors.post_list(
            workspace=self.workspace,
            mode=self.mode,
            status=p.get("status"),
            provider=p.get("provider"),
            account_id=p.get("account_id"),
            q=p.get("q"),
            created_from=p.get("from"),
            created_to=p.get("to"),
        )
        return keyset_response(qs, p, self.output_serializer, count_limit=selectors.HISTORY_COUNT_LIMIT)

    def retrieve(self, request, pk=None):
        post = self.get_object()
        data = self.output_serializer(post).data
        if self.output_serializer is PostSerializer:
            data["series"] = series_data(post.series) if post.series_id else None
        return Response(data)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        post = services.post_cancel(post=self.get_object())
        return Response(self.accepted_serializer(post).data)


@extend_schema(tags=["posts"])
class PostViewSet(BasePostViewSet):
    """Posts: create (202), drafts (201, edit, publish, delete), history, one post with its
    per-account results, edit a scheduled post, cancel, retry, validate."""

    @extend_schema(
        summary="Create a post",
        request=PostCreateSerializer,
        responses={202: PostAcceptedSerializer, 201: PostSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def create(self, request):
        return super().create(request)

    @extend_schema(
        summary="Create many posts",
        request=BulkSerializer,
        responses={202: BulkAcceptedSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Up to 500 posts in one request, made in the background, each as a single create
        makes it (`atomic: true`: none unless every one passes). Answers a job to follow at
        GET /v1/jobs/{job_id}."""
        return idempotent_response(request, self.workspace, lambda: self._bulk(request))

    def _bulk(self, request):
        params = BulkSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        job = job_services.job_create(
            workspace=self.workspace,
            mode=self.mode,
            bodies=params.validated_data["posts"],
            atomic=params.validated_data["atomic"],
        )
        return status.HTTP_202_ACCEPTED, {"job_id": job.pk, "status": job.status, "total": job.total}

    @extend_schema(
        summary="Import posts from a CSV file",
        request={"multipart/form-data": ImportSerializer},
        responses={202: BulkAcceptedSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_csv(self, request):
        """One post per row of a CSV file (columns: GET /v1/posts/import/template), made in
        the background as a job; `dry_run=true` only checks every row and shows what each
        network would get. Follow it at GET /v1/jobs/{job_id}."""
        params = ImportSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        job = import_services.import_create(
            workspace=self.workspace,
            mode=self.mode,
            data=p["file"].read(),
            time_zone=p["time_zone"],
            dry_run=p["dry_run"],
        )
        return Response({"job_id": job.pk, "status": job.status, "total": job.total}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The CSV import's template",
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="import/template",
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, CSVRenderer],
    )
    def import_template(self, request):
        """A CSV with every column the import reads and two example rows."""
        response = HttpResponse(import_services.import_template(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="dravo-posts-template.csv"'
        return response

    @extend_schema(
        summary="List posts",
        parameters=[PostListParams],
        responses=page_schema("PostPage", PostSerializer, selectors.HISTORY_COUNT_LIMIT),
    )
    def list(self, request):
        return super().list(request)

    @extend_schema(summary="Show a post with its results", responses=PostDetailSerializer)
    def retrieve(self, request, pk=None):
        return super().retrieve(request, pk)

    @extend_schema(
        summary="Cancel a post", request=CancelSerializer, responses={200: PostAcceptedSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        params = CancelSerializer(data=request.data or {})
        params.is_valid(raise_exception=True)
        if not params.validated_data["series"]:
            return super().cancel(request, pk)
        post = services.post_cancel_series(post=self.get_object())
        return Response(PostAcceptedSerializer(post).data)

    @extend_schema(
        summary="Retry a post's failed results", request=None, responses={202: PostSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        post = services.post_retry(post=self.get_object())
        return Response(PostSerializer(post).data, status=status.HTTP_202_ACCEPTED)

    def _create(self, request):
        post = post_create_from_body(workspace=self.workspace, mode=self.mode, body=request.data)
        if post.status == Post.Status.DRAFT:
            return status.HTTP_201_CREATED, PostSerializer(post).data
        return status.HTTP_202_ACCEPTED, self.accepted_serializer(post).data

    @extend_schema(
        summary="Change a draft or a scheduled post",
        request=PostEditSerializer,
        parameters=[IF_MATCH],
        responses={200: PostSerializer, 409: CONFLICT, 412: PRECONDITION_FAILED},
    )
    def partial_update(self, request, pk=None):
        """Change text, media, options, accounts or time of a draft or a scheduled post (a
        scheduled one is checked in full, as a create). 409 `not_editable` once it is queued;
        with `If-Match: <revision>`, 412 when someone changed it first."""
        params = PostEditSerializer(data=request.data, partial=True)
        params.is_valid(raise_exception=True)
        changes = dict(params.validated_data)
        edit = services.post_edit_series if changes.pop("series", False) else services.post_edit
        post = edit(post=self.get_object(), changes=changes, revision=_if_match(request))
        return Response(PostSerializer(post).data, headers={"ETag": f'"{post.revision}"'})

    @extend_schema(summary="Delete a draft or a canceled post", request=None, responses={204: None, 409: CONFLICT})
    def destroy(self, request, pk=None):
        services.post_delete(post=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Publish a draft",
        request=PublishDraftSerializer,
        parameters=[IF_MATCH],
        responses={202: PostAcceptedSerializer, 409: CONFLICT, 412: PRECONDITION_FAILED},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Check a draft in full, as a create, then schedule it (`scheduled_at`, else the
        draft's own time) or queue it now: 202 as a create. 409 `not_a_draft` otherwise."""
        params = PublishDraftSerializer(data=request.data or {})
        params.is_valid(raise_exception=True)
        post = services.post_publish(
            post=self.get_object(), scheduled_at=params.validated_data["scheduled_at"], revision=_if_match(request)
        )
        return Response(PostAcceptedSerializer(post).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Check a post without creating it", request=PostCreateSerializer, responses=ValidationReportSerializer
    )
    @action(detail=False, methods=["post"])
    def validate(self, request):
        """Pre-flight: the problems each targeted account would raise; nothing stored or queued."""
        _, errors = PostMaker(workspace=self.workspace, mode=self.mode).check(request.data)
        return Response({"valid": not errors, "errors": errors})


@extend_schema(tags=["publish (legacy)"], deprecated=True)
class PublishViewSet(BasePostViewSet):
    """The legacy /v1/publish routes: the same posts, shown as jobs (`job_…`)."""

    input_serializer = LegacyPublishSerializer
    accepted_serializer = JobAcceptedSerializer
    output_serializer = JobSerializer

    @extend_schema(
        summary="Create a post (legacy)",
        request=LegacyPublishSerializer,
        responses={202: JobAcceptedSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def create(self, request):
        return super().create(request)

    @extend_schema(
        summary="List posts (legacy)",
        parameters=[PostListParams],
        responses=page_schema("JobPage", JobSerializer, selectors.HISTORY_COUNT_LIMIT),
    )
    def list(self, request):
        return super().list(request)

    @extend_schema(summary="Show a post (legacy)", responses=JobSerializer)
    def retrieve(self, request, pk=None):
        return super().retrieve(request, pk)

    @extend_schema(
        summary="Cancel a post (legacy)", request=None, responses={200: JobAcceptedSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return super().cancel(request, pk)
