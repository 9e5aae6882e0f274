from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self):
        # Imported here, once the apps are loaded (services import models). Publishing
        # tells analytics of each published delivery through this explicit subscription,
        # so publishing never imports analytics.
        from analytics.services import post_metrics_track
        from publishing.services.delivery import delivery_published_subscribe

        delivery_published_subscribe(post_metrics_track)
