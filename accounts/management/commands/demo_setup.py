import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from accounts import services
from accounts.models import SocialAccount
from sandbox.networks import SANDBOXES


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Command(BaseCommand):
    help = (
        "Create the demo user and workspace (kept across runs), connect one sandbox account per network "
        "in test mode, and print a fresh test API key."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="demo-password")
        parser.add_argument("--workspace", default="Demo")

    def handle(self, *args, username, password, workspace, **options):
        ws, raw = services.demo_setup(username=username, password=password, workspace_name=workspace)
        if settings.SANDBOX_ENABLED:
            self.connect_sandbox_accounts(ws)
        base = settings.BASE_URL
        self.stdout.write(f"Dashboard: {base}/  login {username} / {password}  (workspace {ws.name}, {ws.id})")
        self.stdout.write(f"Test API key: {raw}")
        self.stdout.write(f'Try: curl -H "Authorization: Bearer {raw}" {base}/v1/accounts')
        self.stdout.write(f"Docs: {base}/v1/docs")

    def connect_sandbox_accounts(self, workspace) -> None:
        """One sandbox account per network, verified through the sandbox like any BYOK
        connect (served here on a throwaway local port, since Dravo is not up yet)."""
        if SocialAccount.objects.filter(workspace=workspace, mode="test").exists():
            return
        from django.core.wsgi import get_wsgi_application

        server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=_Quiet)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with override_settings(SANDBOX_URL=f"http://127.0.0.1:{server.server_port}"):
                for provider, sandbox in SANDBOXES.items():
                    token = f"demo-{provider}-{workspace.pk}"
                    account, _ = services.social_account_connect(
                        workspace=workspace, mode="test", provider=provider,
                        credentials={"access_token": token, **sandbox.demo_credentials(token)},
                    )
                    self.stdout.write(f"Sandbox account: {provider} {account.handle} ({account.pk})")
        finally:
            server.shutdown()
