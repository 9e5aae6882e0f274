"""Template helpers that show networks from the registry (never a list in a template)."""

from django import template
from django.utils.html import json_script

from providers import registry

register = template.Library()


@register.filter
def network_icon(key: str) -> str:
    """The short text of the network's badge ("?" for a key the registry does not know)."""
    network = registry.NETWORKS.get(key)
    return network.icon if network else "?"


@register.filter
def network_badge(key: str) -> str:
    """The CSS declarations of the network's badge ("" for an unknown key: the default grey)."""
    network = registry.NETWORKS.get(key)
    return network.badge if network else ""


@register.simple_tag
def networks_json(element_id: str = "networks"):
    """A JSON script element with each network's label, icon, colour and text limit, for
    the dashboard's scripts."""
    return json_script({key: network.as_json() for key, network in registry.NETWORKS.items()}, element_id)


@register.filter
def network_label(key: str) -> str:
    """The network's name ("X", "Google Business Profile"), or the key itself if unknown."""
    network = registry.NETWORKS.get(key)
    return network.label if network else key
