from django.db import migrations, models

INDEX = "publishing_post_text_fts"
COLUMN = "text_search"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE publishing_post ADD COLUMN IF NOT EXISTS {COLUMN} tsvector"
        f" GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON publishing_post USING GIN ({COLUMN}) WITH (fastupdate = off)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE publishing_post DROP COLUMN IF EXISTS {COLUMN}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON publishing_post USING GIN (to_tsvector('simple', text))")


class Migration(migrations.Migration):
    """The history's text search reads stored words; its status + network count reads only an index.

    Post text search (PostgreSQL only; SQLite searches with LIKE):

    `text_search` is a generated column, `to_tsvector('simple', text)`, kept by PostgreSQL
    itself on every insert and update (the model does not name it; the history's `q` reads
    it). A history page with `q` walks the page index and tests each post it passes: with
    the words stored that test no longer parses the text (a word in 1 % of posts: 30 ms
    down to a few). The GIN index moves onto the column, and without GIN's `fastupdate`:
    with it, new entries wait in a pending list that every search reads in full (up to
    4 MB, some 20,000 posts) and the insert that overflows it pays for the whole flush;
    without it a create pays about 0.05 ms more (3,000 single-row inserts). Adding the
    column rewrites the table once (about a minute per million posts on this machine)."""

    dependencies = [("publishing", "0010_idempotency_scope")]
    operations = [
        migrations.RunPython(forward, backward),
        # The history's count with a status and a network tests `providers` in the index
        # (an index-only scan) instead of reading each post: 30 MB more per million posts.
        migrations.RemoveIndex(model_name="post", name="post_status_page_idx"),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["workspace", "mode", "status", "-created_at", "-id"],
                include=("providers",),
                name="post_status_page_idx",
            ),
        ),
    ]
