import pytest
from django.db.models import signals
from django.forms.models import model_to_dict

from dravo.rows import row_insert
from publishing.models import Post
from tests import factories


def new_post(workspace, account, text):
    return Post(
        workspace=workspace,
        mode="test",
        text=text,
        media_urls=["https://cdn.example/a.jpg"],
        platform_options={"x": {"reply_settings": "following"}},
        providers=["x"],
        targets=[[account.pk, "x"]],
        status=Post.Status.QUEUED,
    )


def stored(post_id) -> dict:
    row = model_to_dict(Post.objects.get(pk=post_id))
    return {k: v for k, v in row.items() if k not in ("id", "text")}


@pytest.mark.django_db
def test_the_row_is_the_one_save_writes(workspace):
    account = factories.make_account(workspace)
    saved, inserted = new_post(workspace, account, "saved"), new_post(workspace, account, "inserted")
    saved.save(force_insert=True)
    row_insert(inserted)
    assert stored(inserted.pk) == stored(saved.pk)
    row = Post.objects.get(pk=inserted.pk)
    assert row.text == "inserted" and row.created_at is not None and row.updated_at is not None
    assert row.platform_options == {"x": {"reply_settings": "following"}} and row.targets == [[account.pk, "x"]]


@pytest.mark.django_db
def test_the_object_is_stored_afterwards_so_a_save_updates_it(workspace):
    post = new_post(workspace, factories.make_account(workspace), "first")
    row_insert(post)
    post.text = "second"
    post.save()  # an UPDATE: an INSERT would fail on the primary key
    assert Post.objects.get(pk=post.pk).text == "second" and Post.objects.count() == 1


@pytest.mark.django_db
def test_a_model_with_save_receivers_goes_through_save(workspace):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    signals.post_save.connect(receiver, sender=Post)
    try:
        post = new_post(workspace, factories.make_account(workspace), "watched")
        row_insert(post)
    finally:
        signals.post_save.disconnect(receiver, sender=Post)
    assert seen == [post.pk] and Post.objects.filter(pk=post.pk).exists()
