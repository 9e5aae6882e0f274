"""The sandbox is a Django app of its own: it owns `SandboxRecord` (on the table it had
when the model lived in `providers`, so existing rows survive the move), and `providers`
holds no models."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sandbox.models import SandboxRecord


def test_providers_holds_no_models_and_the_sandbox_owns_its_record():
    assert list(apps.get_app_config("providers").get_models()) == []
    assert SandboxRecord._meta.app_label == "sandbox"


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_sandbox_rows():
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    before = [("providers", "0001_initial")]
    try:
        executor.migrate([("sandbox", None)])
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        old_model = executor.loader.project_state(before).apps.get_model("providers", "SandboxRecord")
        old_model.objects.create(network="n", kind="post", object_id="kept")

        executor = MigrationExecutor(connection)
        executor.migrate(targets)
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert SandboxRecord.objects.filter(kind="post", object_id="kept").exists()
