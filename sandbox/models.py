from django.db import models


class SandboxRecord(models.Model):
    """What the sandbox networks keep: posts, containers, uploads, comments, attempt
    counters. Only `sandbox/` reads or writes it; real clients never do."""

    network = models.CharField(max_length=20)
    kind = models.CharField(max_length=30)
    object_id = models.CharField(max_length=200)
    owner = models.CharField(max_length=200, blank=True, help_text="Network account id the object belongs to.")
    status = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table keeps the name it had when the model lived in `providers`.
        db_table = "providers_sandboxrecord"
        constraints = [
            models.UniqueConstraint(fields=["network", "kind", "object_id"], name="unique_sandbox_object"),
        ]
        indexes = [models.Index(fields=["network", "kind", "owner"])]

    def __str__(self) -> str:
        return f"{self.network} {self.kind} {self.object_id}"
