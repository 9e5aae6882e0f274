from django.db import migrations

INDEX = "publishing_post_text_fts"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON publishing_post USING GIN (to_tsvector('simple', text))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    """Full-text search on post text (PostgreSQL only; SQLite searches with LIKE)."""

    dependencies = [("publishing", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
