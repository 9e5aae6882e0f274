from django.db import migrations, models


class Migration(migrations.Migration):
    """The history filtered by status reads only the matching posts (bench/history.py)."""

    dependencies = [("publishing", "0007_post_leaner_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["workspace", "mode", "status", "-created_at", "-id"], name="post_status_page_idx"
            ),
        ),
    ]
