"""`python -m providers.check`: per network, the content kinds and options supported and
the limits enforced (the table in the README)."""

import os


def table() -> str:
    from providers.registry import CLIENTS

    lines = ["| network | content kinds | options | limits |", "|---|---|---|---|"]
    for name, client in CLIENTS.items():
        caps = client.capabilities
        options = ", ".join(f"`{o}`" for o in caps.get("options", []))
        limits = "; ".join(f"{k}: {v}" for k, v in caps.get("limits", {}).items())
        lines.append(f"| {name} | {', '.join(caps.get('content_kinds', []))} | {options} | {limits} |")
    return "\n".join(lines)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dravo.settings")
    os.environ.setdefault("DRAVO_DEBUG", "1")
    import django

    django.setup()
    print(table())


if __name__ == "__main__":
    main()
