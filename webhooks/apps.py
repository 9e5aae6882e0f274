from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Listen to every event of the apps this one builds on; they never import it.
        from dravo.events import event_subscribe
        from webhooks.services.outbox import endpoints_exist, event_record

        event_subscribe(event_record, interested=endpoints_exist)
