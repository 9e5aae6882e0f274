"""Every network's options are labelled on the compose page in words a person uses (each
options serializer field's own label, from the network's rules), and the options a
network needs to publish come first, marked required."""

import html
import re

import pytest
from rest_framework import serializers

from providers import registry
from publishing.forms import OPTION_FIELDS
from tests import factories

pytestmark = pytest.mark.django_db

LABEL = re.compile(r'<label for="(opt-[^"]+)">(.*?)</label>', re.S)


def leaf_options(fields, path=()):
    """(path, field) of each option a form input stands for (nested objects walked)."""
    for name, f in fields.items():
        if isinstance(f, serializers.Serializer):
            yield from leaf_options(f.fields, (*path, name))
        else:
            yield (*path, name), f


def machine_spellings(path: tuple[str, ...]) -> set[str]:
    """What a label is when it is only the key: its snake_case words title-cased or
    capitalized ("Is aigc"), the nested path's too. A key of one plain word ("tags") may
    well be its own label, so it has none."""
    spelled = set()
    for words in (path[-1], "_".join(path)):
        if "_" in words:
            plain = words.replace("_", " ")
            spelled |= {plain, plain.title(), plain.capitalize(), words}
    return {text.lower() for text in spelled}


def compose_labels(client) -> dict[str, str]:
    page = client.get("/compose/").content.decode()
    return {
        for_id: html.unescape(re.sub(r"<[^>]+>", "", text)).replace("(required)", "").strip()
        for for_id, text in LABEL.findall(page)
    }


@pytest.mark.parametrize("key", list(registry.NETWORKS))
def test_no_option_label_is_its_key_title_cased(browser_client, key):
    labels = compose_labels(browser_client)
    destination = registry.network(key).destinations
    checked = 0
    for path, _field in leaf_options(registry.CLIENTS[key].options_serializer().fields):
        if destination is not None and path == (destination.option,):
            continue  # offered per account, labelled by the network's destination kind
        label = labels[f"opt-{'-'.join((key, *path))}"]
        assert label.lower() not in machine_spellings(path), (key, path, label)
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize("key", list(registry.NETWORKS))
def test_every_options_serializer_field_has_a_label_of_its_own(key):
    for path, field in leaf_options(registry.CLIENTS[key].options_serializer().fields):
        given = field._kwargs.get("label")  # what the rules wrote, not DRF's default from the name
        assert given and given.lower() not in machine_spellings(path), (key, path, given)


def test_the_ai_disclosure_reads_as_a_person_would_say_it(browser_client):
    labels = compose_labels(browser_client)
    assert "Disclose AI-generated content" in labels.values()
    assert "Is aigc" not in labels.values()


def test_options_a_network_needs_come_first_and_are_marked_required(browser_client):
    page = browser_client.get("/compose/").content.decode()
    tiktok = page[page.index('id="options-tiktok"') :]
    tiktok = tiktok[: tiktok.index("</details>")]
    first = LABEL.search(tiktok)
    assert first.group(1) == "opt-tiktok-privacy_level" and "(required)" in first.group(2)
    assert tiktok.count("(required)") == 1


@pytest.mark.parametrize("key", list(registry.NETWORKS))
def test_required_options_lead_each_networks_fields(key):
    needed = registry.network(key).required_options
    fields = OPTION_FIELDS[key]
    flags = [f.required for f in fields]
    assert flags == sorted(flags, reverse=True), key
    assert {f.path for f in fields if f.required} == set(needed)
    paths = {path for path, _ in leaf_options(registry.CLIENTS[key].options_serializer().fields)}
    assert set(needed) <= paths  # a descriptor names only options its schema has


def test_a_required_destination_comes_first_for_its_account(browser_client, workspace):
    account = factories.make_account(workspace, provider="pinterest", handle="@pins")
    page = browser_client.get("/compose/").content.decode()
    group = page[page.index('id="options-pinterest"') :]
    group = group[: group.index("</details>")]
    first = LABEL.search(group)
    assert first.group(1) == f"opt-{account.pk}-board_id" and "(required)" in first.group(2)
