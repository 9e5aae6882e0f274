"""A job's progress: GET /v1/jobs/{job_id} (bulk creates and CSV imports)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from dravo.schema import error_response
from publishing import selectors
from publishing.api.serializers import BulkJobSerializer
from publishing.errors import JobNotFound


class JobView(APIView):
    @extend_schema(tags=["posts"], summary="Show a job", responses={200: BulkJobSerializer, 404: error_response(404)})
    def get(self, request, job_id: str):
        """Its status, counts and, per post of the request (by index), the post made or the
        errors a single create would have answered."""
        job = selectors.job_get(workspace=request.auth.workspace, mode=request.auth.mode, job_id=job_id)
        if job is None:
            raise JobNotFound()
        return Response(BulkJobSerializer(job).data)
