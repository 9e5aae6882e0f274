import django.db.models.deletion
from django.db import migrations, models

# What bumps a workspace's accounts version: an account added or deleted, or one whose
# id, health, network, mode or workspace changed. Other columns (tokens, leases, names)
# change often and leave it alone.
WATCHED = ("id", "health", "provider", "mode", "workspace_id")
TABLE = "accounts_socialaccount"
VERSIONS = "accounts_accountsversion"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION accounts_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            INSERT INTO {VERSIONS} (workspace_id, version) VALUES (OLD.workspace_id, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET version = {VERSIONS}.version + 1;
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.workspace_id <> OLD.workspace_id) THEN
            INSERT INTO {VERSIONS} (workspace_id, version) VALUES (NEW.workspace_id, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET version = {VERSIONS}.version + 1;
        END IF;
        RETURN NULL;
    END $$;
    """,
    f"""CREATE TRIGGER accounts_version_on_insert_delete AFTER INSERT OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION accounts_version_bump();""",
    f"""CREATE TRIGGER accounts_version_on_update AFTER UPDATE ON {TABLE} FOR EACH ROW
    WHEN ({" OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)})
    EXECUTE FUNCTION accounts_version_bump();""",
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS accounts_version_on_insert_delete ON {TABLE};",
    f"DROP TRIGGER IF EXISTS accounts_version_on_update ON {TABLE};",
    "DROP FUNCTION IF EXISTS accounts_version_bump();",
]


def _sqlite_bump(row: str) -> str:
    return (
        f"INSERT INTO {VERSIONS} (workspace_id, version) VALUES ({row}.workspace_id, 1) "
        f"ON CONFLICT (workspace_id) DO UPDATE SET version = version + 1;"
    )


SQLITE = [
    f"CREATE TRIGGER accounts_version_on_insert AFTER INSERT ON {TABLE} BEGIN {_sqlite_bump('NEW')} END;",
    f"CREATE TRIGGER accounts_version_on_delete AFTER DELETE ON {TABLE} BEGIN {_sqlite_bump('OLD')} END;",
    f"""CREATE TRIGGER accounts_version_on_update AFTER UPDATE ON {TABLE}
    WHEN {" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED)}
    BEGIN {_sqlite_bump("OLD")}
    INSERT INTO {VERSIONS} (workspace_id, version) SELECT NEW.workspace_id, 1
    WHERE NEW.workspace_id IS NOT OLD.workspace_id ON CONFLICT (workspace_id) DO UPDATE SET version = version + 1;
    END;""",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in ("accounts_version_on_insert", "accounts_version_on_delete", "accounts_version_on_update")
]


def _run(statements: dict):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise RuntimeError(f"Dravo runs on PostgreSQL or SQLite, not {vendor}.")
        for sql in statements[vendor]:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_destination"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccountsVersion",
            fields=[
                (
                    "workspace",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="accounts_version",
                        serialize=False,
                        to="accounts.workspace",
                    ),
                ),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
