"""The webhooks app's services: endpoints (endpoints.py), the outbox (outbox.py) and
sending (sending.py)."""
