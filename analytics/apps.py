from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self):
        # Imported here, once the apps are loaded (services import models). Publishing
        # tells analytics of each published delivery through this explicit subscription,
        # so publishing never imports analytics.
        from analytics.selectors import engagement_by_hour
        from analytics.services import post_metrics_track
        from publishing.services.autoschedule import engagement_reader_set
        from publishing.services.delivery import delivery_published_subscribe

        delivery_published_subscribe(post_metrics_track)
        # Auto-scheduling reads the accounts' engagement by hour the same way round.
        engagement_reader_set(engagement_by_hour)
