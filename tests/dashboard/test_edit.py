"""Editing a draft or a scheduled post in the dashboard: the compose form prefilled with
the post, saved through the service PATCH /v1/posts/{id} uses, with its revision."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from publishing import services
from publishing.models import Post
from tests import factories

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def scheduled_post(workspace, account, text="Hello Monday", **fields):
    at = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    return services.post_create(
        workspace=workspace, mode="test", account_ids=[account.pk], text=text, scheduled_at=at, **fields
    )


def edit_fields(client, post, **changes):
    """The edit form's fields as the page renders them, with `changes` over them."""
    response = client.get(f"/posts/{post.pk}/edit")
    assert response.status_code == 200
    form = response.context["form"]
    data = {key: form.data.getlist(key) for key in form.data}
    return {**data, **changes}


@pytest.fixture
def paris_client(browser_client):
    browser_client.cookies["dravo_tz"] = "Europe/Paris"
    return browser_client


def test_the_edit_page_is_the_compose_form_filled_with_the_post(paris_client, workspace):
    account = factories.make_account(workspace, provider="x", handle="@editor")
    post = scheduled_post(workspace, account, platform_options={"x": {"reply_settings": "following"}})
    page = paris_client.get(f"/posts/{post.pk}/edit").content.decode()
    local = timezone.localtime(post.scheduled_at, PARIS).strftime("%Y-%m-%dT%H:%M")
    assert "Hello Monday</textarea>" in page
    assert f'value="{account.pk}" id="acc-{account.pk}"' in page and "checked" in page
    assert f'name="scheduled_local" id="id_scheduled_local" value="{local}"' in page
    assert '<option value="following" selected>' in page
    assert f'name="revision" value="{post.revision}"' in page
    assert "Save changes" in page and 'name="save_draft"' not in page


def test_saving_the_edit_form_changes_the_post_and_its_revision(paris_client, workspace):
    account = factories.make_account(workspace, provider="x")
    post = scheduled_post(workspace, account)
    later = timezone.localtime(post.scheduled_at, PARIS) + timedelta(hours=3)
    fields = edit_fields(paris_client, post, text="Hello Tuesday", scheduled_local=later.strftime("%Y-%m-%dT%H:%M"))
    response = paris_client.post(f"/posts/{post.pk}/edit", fields, follow=True)
    assert response.redirect_chain[-1][0] == f"/posts/{post.pk}"
    assert "Saved: revision 2." in response.content.decode()
    post.refresh_from_db()
    assert (post.text, post.revision, post.status) == ("Hello Tuesday", 2, "scheduled")
    assert post.scheduled_at == later.astimezone(ZoneInfo("UTC"))


def test_an_edit_runs_the_checks_of_a_create_and_shows_them_on_the_fields(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    post = scheduled_post(workspace, account)
    response = browser_client.post(f"/posts/{post.pk}/edit", edit_fields(browser_client, post, text="x" * 300))
    page = response.content.decode()
    assert response.status_code == 400
    assert "The changes were not saved" in page and "X allows 280 weighted characters" in page
    post.refresh_from_db()
    assert (post.text, post.revision) == ("Hello Monday", 1)


def test_a_change_made_meanwhile_is_shown_instead_of_overwritten(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    post = scheduled_post(workspace, account)
    fields = edit_fields(browser_client, post, text="My version")
    services.post_edit(post=post, changes={"text": "Their version"})  # someone else, meanwhile
    response = browser_client.post(f"/posts/{post.pk}/edit", fields)
    page = response.content.decode()
    assert response.status_code == 412
    assert "changed by someone else" in page and "Reload the post" in page and "revision 2" in page
    post.refresh_from_db()
    assert (post.text, post.revision) == ("Their version", 2)


def test_a_draft_is_edited_by_types_only(browser_client, workspace):
    post = services.post_create_draft(workspace=workspace, mode="test", account_ids=[], text="Half an idea")
    page = browser_client.get(f"/posts/{post.pk}/edit").content.decode()
    assert "No time yet" in page
    response = browser_client.post(f"/posts/{post.pk}/edit", edit_fields(browser_client, post, text="A whole idea"))
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.text, post.status, post.revision) == ("A whole idea", "draft", 2)


def test_saving_an_unchanged_form_changes_nothing(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    post = scheduled_post(workspace, account)
    response = browser_client.post(f"/posts/{post.pk}/edit", edit_fields(browser_client, post), follow=True)
    assert "Nothing changed." in response.content.decode()
    post.refresh_from_db()
    assert post.revision == 1


def test_the_post_page_offers_edit_only_for_drafts_and_scheduled_posts(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    scheduled = scheduled_post(workspace, account)
    draft = services.post_create_draft(workspace=workspace, mode="test", account_ids=[], text="Idea")
    published = Post.objects.create(workspace=workspace, mode="test", text="live", status="published")
    for post, shown in ((scheduled, True), (draft, True), (published, False)):
        page = browser_client.get(f"/posts/{post.pk}").content.decode()
        assert (f'href="/posts/{post.pk}/edit"' in page) is shown, post.status


@pytest.mark.parametrize("status", ["queued", "processing", "published", "failed", "canceled"])
def test_the_edit_page_of_a_post_past_editing_says_why(browser_client, workspace, status):
    post = Post.objects.create(workspace=workspace, mode="test", text="gone", status=status)
    response = browser_client.get(f"/posts/{post.pk}/edit", follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == f"/posts/{post.pk}"
    assert f"This post is {status} and can no longer be edited" in response.content.decode()
    response = browser_client.post(f"/posts/{post.pk}/edit", {"text": "late"}, follow=True)
    assert "can no longer be edited" in response.content.decode()
    post.refresh_from_db()
    assert post.text == "gone"


def test_a_post_released_while_it_was_being_edited_is_refused_with_the_reason(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    post = scheduled_post(workspace, account)
    fields = edit_fields(browser_client, post, text="Too late")
    Post.objects.filter(pk=post.pk).update(status="queued")
    response = browser_client.post(f"/posts/{post.pk}/edit", fields)
    assert response.status_code == 302
    follow = browser_client.get(response["Location"]).content.decode()
    assert "can no longer be edited" in follow


def test_an_unknown_post_is_a_404(browser_client):
    assert browser_client.get("/posts/post_nope/edit").status_code == 404


def series_posts(workspace, account):
    start = (timezone.now() + timedelta(days=1)).astimezone(PARIS).replace(tzinfo=None, second=0, microsecond=0)
    recurrence = {"rule": "FREQ=DAILY", "time_zone": "Europe/Paris", "start": start, "count": 4}
    first = services.post_create(
        workspace=workspace, mode="test", account_ids=[account.pk], text="Daily tip", recurrence=recurrence
    )
    return list(Post.objects.filter(series_id=first.series_id).order_by("occurrence_at"))


def test_an_occurrence_is_edited_alone_or_with_the_following_ones(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    first, second, third, fourth = series_posts(workspace, account)
    page = browser_client.get(f"/posts/{second.pk}/edit").content.decode()
    assert "This post only" in page and "This and following posts of the series" in page

    browser_client.post(f"/posts/{second.pk}/edit", edit_fields(browser_client, second, text="Only this one"))
    browser_client.post(
        f"/posts/{third.pk}/edit", edit_fields(browser_client, third, text="From here on", scope="following")
    )
    texts = [post.text for post in Post.objects.filter(series_id=first.series_id).order_by("occurrence_at")]
    assert texts == ["Daily tip", "Only this one", "From here on", "From here on"]
    fourth.refresh_from_db()
    assert fourth.occurrence_at == fourth.scheduled_at  # the rule's time, kept


def test_an_edit_page_has_one_h1_and_a_label_for_every_input(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    post = scheduled_post(workspace, account)
    page = browser_client.get(f"/posts/{post.pk}/edit").content.decode()
    assert page.count("<h1") == 1
    for input_id in re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', page):
        assert f'for="{input_id}"' in page, input_id


def test_revisions_are_kept_apart_from_the_dates_of_the_form(paris_client, workspace):
    account = factories.make_account(workspace, provider="x")
    post = scheduled_post(workspace, account)
    fields = edit_fields(paris_client, post, revision="abc", text="No revision given")
    response = paris_client.post(f"/posts/{post.pk}/edit", fields)
    assert response.status_code == 302  # no revision: the change is not conditional
    post.refresh_from_db()
    assert (post.text, post.revision) == ("No revision given", 2)


def test_options_the_form_cannot_show_survive_an_edit_and_cleared_ones_go(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    options = {"x": {"reply_settings": "following"}, account.pk: {"text": "Only for this account"}}
    post = scheduled_post(workspace, account, platform_options=options)
    fields = edit_fields(browser_client, post, text="New shared text", **{"opt.x.reply_settings": ""})
    response = browser_client.post(f"/posts/{post.pk}/edit", fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()
    assert post.text == "New shared text"
    assert post.platform_options == {account.pk: {"text": "Only for this account"}}


def test_a_time_shown_back_unchanged_is_kept_to_the_second(browser_client, workspace):
    account = factories.make_account(workspace, provider="x")
    at = (timezone.now() + timedelta(days=2)).replace(second=30, microsecond=0)
    post = services.post_create(
        workspace=workspace, mode="test", account_ids=[account.pk], text="At half past", scheduled_at=at
    )
    browser_client.post(f"/posts/{post.pk}/edit", edit_fields(browser_client, post, text="Still at half past"))
    post.refresh_from_db()
    assert (post.text, post.scheduled_at, post.revision) == ("Still at half past", at, 2)


def test_a_draft_whose_time_has_passed_is_still_edited(browser_client, workspace):
    post = services.post_create_draft(workspace=workspace, mode="test", account_ids=[], text="Old idea")
    Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() - timedelta(days=1))
    post.refresh_from_db()
    response = browser_client.post(f"/posts/{post.pk}/edit", edit_fields(browser_client, post, text="Fresh idea"))
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()
    assert post.text == "Fresh idea" and post.scheduled_at is not None
