from django.conf import settings
from django.db import models

from dravo.ids import new_id


def new_workspace_id() -> str:
    return new_id("ws")


def new_api_key_id() -> str:
    return new_id("key")


class Mode(models.TextChoices):
    LIVE = "live"
    TEST = "test"


class Workspace(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_workspace_id, editable=False)
    name = models.CharField(max_length=200, unique=True)
    is_active = models.BooleanField(default=True, help_text="A disabled workspace's keys and tokens are refused.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner"
        ADMIN = "admin"
        MEMBER = "member"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "workspace"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"


class ApiKey(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_api_key_id, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=200, blank=True)
    mode = models.CharField(max_length=4, choices=Mode.choices)
    lookup = models.CharField(max_length=16, unique=True, help_text="First characters of the key's random part.")
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"dra_{self.mode}_{self.lookup}… ({self.name or self.id})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def display_prefix(self) -> str:
        return f"dra_{self.mode}_{self.lookup}"
