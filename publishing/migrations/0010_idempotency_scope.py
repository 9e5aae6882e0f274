"""Idempotency keys are scoped by (workspace, mode, key).

Rows stored before this migration get the mode of the object their answer names (a
post, a connected account, a media item, or an API key's own `mode`); a row whose mode
cannot be told is dropped rather than guessed, so it can never replay to the other mode.
"""

from django.db import migrations, models

MODES = ("live", "test")


def infer_modes(apps, schema_editor):
    IdempotencyKey = apps.get_model("publishing", "IdempotencyKey")
    owners = [apps.get_model("publishing", "Post"), apps.get_model("accounts", "SocialAccount"),
              apps.get_model("publishing", "Media")]  # fmt: skip
    for row in IdempotencyKey.objects.filter(mode="").iterator():
        body = row.response_body if isinstance(row.response_body, dict) else {}
        mode = body.get("mode") if body.get("mode") in MODES else None
        object_id = body.get("id")
        for model in owners:
            if mode is None and isinstance(object_id, str):
                mode = model.objects.filter(pk=object_id).values_list("mode", flat=True).first()
        if mode:
            IdempotencyKey.objects.filter(pk=row.pk).update(mode=mode)
        else:
            IdempotencyKey.objects.filter(pk=row.pk).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_connectlink"),
        ("publishing", "0009_delivery_canceled"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="idempotencykey",
            name="unique_idempotency_key",
        ),
        migrations.AddField(
            model_name="idempotencykey",
            name="mode",
            field=models.CharField(choices=[("live", "Live"), ("test", "Test")], default="", max_length=4),
            preserve_default=False,
        ),
        migrations.RunPython(infer_modes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="idempotencykey",
            constraint=models.UniqueConstraint(
                fields=("workspace", "mode", "key"), name="unique_idempotency_key_per_mode"
            ),
        ),
    ]
