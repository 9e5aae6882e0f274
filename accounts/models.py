from django.conf import settings
from django.db import models

from dravo.ids import new_id
from providers import registry


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


def new_social_account_id() -> str:
    return new_id("acc")


# The networks, as the registry lists them (`Provider("…").label`, `Provider.choices`).
Provider = models.TextChoices(
    "Provider", [(key.upper(), (key, network.label)) for key, network in registry.NETWORKS.items()]
)


def provider_choices() -> list[tuple[str, str]]:
    """The provider column's choices, read from the registry when asked: migrations record
    this function, not the list, so adding a network needs no migration."""
    return registry.CHOICES


# What each network needs besides access_token to name the account it acts as.
REQUIRED_CREDENTIAL_EXTRAS = {
    key: network.required_credential_names
    for key, network in registry.NETWORKS.items()
    if network.required_credential_names
}


class SocialAccount(models.Model):
    class Health(models.TextChoices):
        ACTIVE = "active"
        EXPIRED = "expired"
        REQUIRES_RECONNECT = "requires_reconnect"
        DISCONNECTED = "disconnected"

    class ConnectionType(models.TextChoices):
        OAUTH = "oauth"
        BYOK = "byok"

    USABLE_HEALTH = (Health.ACTIVE, Health.EXPIRED)

    id = models.CharField(primary_key=True, max_length=32, default=new_social_account_id, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="social_accounts")
    mode = models.CharField(max_length=4, choices=Mode.choices)
    provider = models.CharField(max_length=20, choices=provider_choices)
    platform_account_id = models.CharField(max_length=200)
    handle = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=200, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    connection_type = models.CharField(max_length=5, choices=ConnectionType.choices, default=ConnectionType.BYOK)
    health = models.CharField(max_length=20, choices=Health.choices, default=Health.ACTIVE)
    health_reason = models.TextField(blank=True)
    credentials_encrypted = models.TextField(blank=True, help_text="Fernet token; never shown.")
    token_expires_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    refresh_lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    disconnected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "mode", "provider", "platform_account_id"], name="unique_social_account"
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "mode", "-created_at", "-id"], name="account_page_idx"),
            models.Index(fields=["health", "token_expires_at"], name="account_refresh_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.handle or self.platform_account_id} ({self.id})"

    @property
    def is_sandbox(self) -> bool:
        return self.mode == Mode.TEST

    @property
    def is_usable(self) -> bool:
        return self.health in self.USABLE_HEALTH


class AccountsVersion(models.Model):
    """A number that changes whenever a workspace's accounts change in what a post's
    checks read of them (one added or deleted; an id, health, network, mode or workspace
    changed).
    Database triggers keep it (migration 0007), so every writer is covered, QuerySet
    updates and SQL included; nothing in Python writes it. A process may keep what it
    read of the accounts while the number stays the same (accounts.selectors).

    No foreign key constraint: a deleted account's trigger may run after its workspace's
    row is gone, and an orphan row is harmless."""

    workspace = models.OneToOneField(
        Workspace,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="accounts_version",
    )
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.workspace_id} accounts v{self.version}"


def new_connect_link_id() -> str:
    return new_id("cl")


class ConnectLink(models.Model):
    """A single-use hosted connect link a customer sends to their own end user."""

    id = models.CharField(primary_key=True, max_length=32, default=new_connect_link_id, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="connect_links")
    mode = models.CharField(max_length=4, choices=Mode.choices)
    provider = models.CharField(max_length=20, choices=provider_choices)
    token_hash = models.CharField(max_length=64, unique=True)
    redirect_uri = models.URLField(max_length=2000, blank=True)
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    account_ids = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.provider} connect link {self.id}"


class ThrottleCounter(models.Model):
    """A fixed-window request counter shared by every process, used when no Redis is
    configured (DRAVO_CACHE_URL unset). Updated only by one atomic UPSERT in
    accounts.services.rate_limits; the window starts at its first request."""

    ident = models.CharField(primary_key=True, max_length=200)
    hits = models.PositiveIntegerField()
    window_ends = models.FloatField(db_index=True, help_text="Unix time at which the window closes.")

    def __str__(self) -> str:
        return f"{self.ident}: {self.hits}"


class Destination(models.Model):
    """A place inside a connected account a post can go to (a board, a playlist, a
    location, a category), as the network listed it: a cache of the network's listing,
    replaced whole by each refresh (accounts.services.destinations). Rows of one listing
    share its time; `position` keeps the network's order."""

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="destinations")
    external_id = models.CharField(max_length=300, help_text="The id the network's option takes.")
    kind = models.CharField(max_length=20)
    name = models.CharField(max_length=500, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField()
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "external_id"], name="unique_account_destination")]
        indexes = [models.Index(fields=["account", "position"], name="destination_page_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.name or self.external_id} of {self.account_id}"
