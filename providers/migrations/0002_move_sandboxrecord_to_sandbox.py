from django.db import migrations


class Migration(migrations.Migration):
    """`SandboxRecord` moved to the `sandbox` app. Its table stays as it is (the sandbox
    app's first migration takes it over by name), so this drops it from the state only."""

    dependencies = [
        ("providers", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SandboxRecord")],
            database_operations=[],
        ),
    ]
