"""Dashboard pages of the CSV import: upload a file (checked first or imported at once),
then follow its job on a page whose progress bar updates itself until the job is done.
They call the same services and selectors as /v1/posts/import and /v1/jobs."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from accounts.views import dashboard_view
from dravo.errors import flatten_errors
from publishing import selectors
from publishing.models import Job
from publishing.services import imports as import_services

FINISHED = (Job.Status.COMPLETED, Job.Status.FAILED)


@dashboard_view
def import_page(request):
    """The upload form; POST stores a job (a check with "Check", posts with "Import")."""
    if request.method != "POST":
        return render(request, "dashboard/import.html", {"zone": request.tz.key})
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError({"file": ["Choose a CSV file."]})
        job = import_services.import_create(
            workspace=request.workspace,
            mode=request.mode,
            data=upload.read(),
            time_zone=request.POST.get("time_zone") or request.tz.key,
            dry_run=request.POST.get("action") != "import",
        )
    except ValidationError as exc:
        errors = [message for _, message in flatten_errors(exc.detail)]
        return render(request, "dashboard/import.html", {"zone": request.tz.key, "errors": errors}, status=400)
    return redirect("dashboard-job", job_id=job.pk)


@dashboard_view
def import_template(request):
    response = HttpResponse(import_services.import_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dravo-posts-template.csv"'
    return response


def _job_or_404(request, job_id: str) -> Job:
    job = selectors.job_get(workspace=request.workspace, mode=request.mode, job_id=job_id)
    if job is None:
        raise Http404("No job with this id.")
    return job


@dashboard_view
def job_page(request, job_id: str):
    """A job's progress; `?fragment=progress` is the part htmx polls until it is done."""
    job = _job_or_404(request, job_id)
    context = {"job": job, "finished": job.status in FINISHED, "rows": _rows(job)}
    if request.GET.get("fragment") == "progress":
        return render(request, "dashboard/_job_progress.html", context)
    return render(request, "dashboard/job.html", context)


def _rows(job: Job) -> list[dict]:
    """The results by row, numbered from 1 as a spreadsheet shows the data rows after the header."""
    return [{**result, "row": result["index"] + 1} for result in job.results]


@require_POST
@dashboard_view
def job_import(request, job_id: str):
    """Import the rows a dry run checked (the rows that passed are made; the others are
    reported again)."""
    checked = _job_or_404(request, job_id)
    if not (checked.dry_run and checked.status == Job.Status.COMPLETED):
        messages.error(request, "Only a finished check can be imported.")
        return redirect("dashboard-job", job_id=job_id)
    job = import_services.import_checked(job=checked)
    return redirect("dashboard-job", job_id=job.pk)
