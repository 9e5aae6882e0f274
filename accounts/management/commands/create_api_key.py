from django.core.management.base import BaseCommand

from accounts import services


class Command(BaseCommand):
    help = "Create an API key for a workspace (created if needed) and print only the key."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="Workspace name.")
        parser.add_argument("--test", action="store_true", help="Make a test-mode key (dra_test_…).")
        parser.add_argument("--name", default="", help="A label for the key.")

    def handle(self, *args, workspace, test, name, **options):
        ws = services.workspace_get_or_create(name=workspace)
        _, raw = services.api_key_create(workspace=ws, mode="test" if test else "live", name=name)
        self.stdout.write(raw)
