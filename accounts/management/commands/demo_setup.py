from django.conf import settings
from django.core.management.base import BaseCommand

from accounts import services


class Command(BaseCommand):
    help = "Create the demo user and workspace (kept across runs) and print a fresh test API key."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="demo-password")
        parser.add_argument("--workspace", default="Demo")

    def handle(self, *args, username, password, workspace, **options):
        ws, raw = services.demo_setup(username=username, password=password, workspace_name=workspace)
        base = settings.BASE_URL
        self.stdout.write(f"Dashboard/admin login: {username} / {password}  (workspace {ws.name}, {ws.id})")
        self.stdout.write(f"Test API key: {raw}")
        self.stdout.write(f'Try: curl -H "Authorization: Bearer {raw}" {base}/v1/accounts')
        self.stdout.write(f"Docs: {base}/v1/docs")
