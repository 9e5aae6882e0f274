"""The dashboard shows each network's badge from its descriptor (the registry), never
from a list in a template, a script or a stylesheet."""

import json

from django.template.loader import render_to_string
from django.utils.html import escape

from providers.registry import NETWORKS


def test_every_registered_network_gets_its_own_badge_text_and_style():
    for key, network in NETWORKS.items():
        html = render_to_string("dashboard/_net.html", {"provider": key})
        assert f">{escape(network.icon)}</span>" in html
        assert f'style="{escape(network.badge)}"' in html


def test_an_unknown_network_gets_a_neutral_badge():
    html = render_to_string("dashboard/_net.html", {"provider": "myspace"})
    assert '>?</span>' in html and 'style=""' in html


def test_the_scripts_get_every_network_s_label_badge_and_text_limit():
    html = render_to_string("dashboard/compose.html", {"form": None, "accounts": [], "limits": {}})
    data = json.loads(html.split('<script id="networks" type="application/json">')[1].split("</script>")[0])
    assert list(data) == list(NETWORKS)
    for key, network in NETWORKS.items():
        assert data[key]["label"] == network.label and data[key]["badge"] == network.badge
        assert data[key]["limit"] == network.limits.text.max
