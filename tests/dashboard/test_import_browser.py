"""The CSV import in a real browser: a file checked, its progress bar following the job
without a reload, the rows that passed imported; the pages pass axe at 1280 and 390 px."""

import pytest
from playwright.sync_api import expect

from publishing.models import Job, Post
from publishing.services import jobs as job_services
from tests import factories
from tests.dashboard.test_browser import axe_violations, chromium, log_in, page, person  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)

CSV = "text,accounts,linkedin_text\nHello,@acme acme-corp,Hello network\nHi,@nobody,\n"


def fits_and_passes_axe(tab) -> None:
    for width in (1280, 390):
        tab.set_viewport_size({"width": width, "height": 900})
        widths = tab.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], (width, widths)
        assert axe_violations(tab) == [], width
    tab.set_viewport_size({"width": 1280, "height": 900})


def test_a_csv_is_checked_with_a_live_progress_bar_then_imported(sandbox, page, person, workspace):  # noqa: F811
    factories.make_account(workspace, provider="x", handle="@acme")
    factories.make_account(workspace, provider="linkedin", handle="acme-corp")
    log_in(page, sandbox)
    page.goto(f"{sandbox}/posts/")
    page.get_by_role("link", name="Import CSV").click()
    fits_and_passes_axe(page)
    page.get_by_label("CSV file").set_input_files({"name": "posts.csv", "mimeType": "text/csv", "buffer": CSV.encode()})
    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_text("Waiting for a worker")).to_be_visible()
    check = Job.objects.get()
    assert page.locator("progress").get_attribute("value") == "0"

    job_services.job_run(job_id=check.pk)  # the worker's part; the page polls and shows it
    expect(page.get_by_text("Checked 2 rows: 1 would be posted, 1 with problems.")).to_be_visible()
    assert page.locator("progress").get_attribute("value") == "2"
    expect(page.get_by_text("Hello network")).to_be_visible()
    expect(page.get_by_text("No connected account '@nobody'")).to_be_visible()
    assert not Post.objects.exists()
    fits_and_passes_axe(page)

    page.get_by_role("button", name="Import the 1 row that passed").click()
    expect(page.get_by_role("heading", name="Importing posts")).to_be_visible()
    job_services.job_run(job_id=Job.objects.exclude(pk=check.pk).get().pk)
    expect(page.get_by_text("Done: 1 post made, 1 row refused.")).to_be_visible()
    post = Post.objects.get()
    page.get_by_role("link", name=f"Post {post.pk}").click()
    expect(page.get_by_text("Hello", exact=True).first).to_be_visible()
