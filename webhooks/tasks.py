"""The webhooks app's tasks (defined beside their services, which send them)."""

from webhooks.services.sending import webhook_dispatch_due_task, webhook_send_task

__all__ = ["webhook_dispatch_due_task", "webhook_send_task"]
