"""`python -m providers.check`: the README's table of networks, read from the registry."""

from providers import check
from providers.registry import NETWORKS


def test_the_check_table_has_one_row_per_registered_network_in_registry_order():
    rows = check.table().splitlines()[2:]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == list(NETWORKS)


def test_each_row_lists_the_network_s_content_kinds_from_its_descriptor():
    rows = dict(zip(NETWORKS, check.table().splitlines()[2:], strict=True))
    for key, network in NETWORKS.items():
        assert f"| {', '.join(network.content_kinds)} |" in rows[key]
