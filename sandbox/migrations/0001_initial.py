from django.db import migrations, models


class Migration(migrations.Migration):
    """`SandboxRecord` moved here from `providers`, keeping its table
    (`providers_sandboxrecord`, created by providers' first migration): this adds the model
    to the state only and leaves the database, and its rows, as they are."""

    initial = True

    dependencies = [
        ("providers", "0002_move_sandboxrecord_to_sandbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SandboxRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("network", models.CharField(max_length=20)),
                        ("kind", models.CharField(max_length=30)),
                        ("object_id", models.CharField(max_length=200)),
                        ("owner", models.CharField(blank=True, help_text="Network account id the object belongs to.", max_length=200)),
                        ("status", models.CharField(blank=True, max_length=40)),
                        ("data", models.JSONField(default=dict)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "db_table": "providers_sandboxrecord",
                        "indexes": [models.Index(fields=["network", "kind", "owner"], name="providers_s_network_b1c936_idx")],
                        "constraints": [
                            models.UniqueConstraint(fields=("network", "kind", "object_id"), name="unique_sandbox_object")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
