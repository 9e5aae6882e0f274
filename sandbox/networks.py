"""The sandbox module of every registered network, by key: `sandbox/<key>.py`,
each with its `urlpatterns` and `demo_credentials()`. Read from the registry, so the
sandbox names no network outside each network's own module."""

from importlib import import_module

from providers import registry

SANDBOXES = {key: import_module(f"sandbox.{key}") for key in registry.NETWORKS}
