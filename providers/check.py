"""`python -m providers.check`: per network in the registry, the content kinds and options
supported and the limits enforced (the table in the README)."""

import os

from providers.registry import NETWORKS


def table() -> str:
    lines = ["| network | content kinds | options | limits |", "|---|---|---|---|"]
    for key, network in NETWORKS.items():
        caps = network.client.capabilities
        options = ", ".join(f"`{o}`" for o in caps.get("options", []))
        limits = "; ".join(f"{k}: {v}" for k, v in caps.get("limits", {}).items())
        lines.append(f"| {key} | {', '.join(network.content_kinds)} | {options} | {limits} |")
    return "\n".join(lines)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dravo.settings")
    os.environ.setdefault("DRAVO_DEBUG", "1")
    import django

    django.setup()
    print(table())


if __name__ == "__main__":
    main()
