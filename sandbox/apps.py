from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """Dravo's imitation of every network: its views, its one model (`SandboxRecord`)
    and the admin page to look into it."""

    name = "sandbox"
