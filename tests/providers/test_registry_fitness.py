"""The registry is the only list of networks: no module outside a network's own folder
(`providers/<network>/`) and its sandbox module (`sandbox/<network>.py`) names a
network, so that adding one is a folder and a registry line, never a hunt through the code.

"Names a network" means, in Python: a string (docstrings included) or comment that
mentions a network's key as a word ("tiktok", "TikTok"), an identifier containing it
(`TikTokClient`, `TIKTOK_LIMIT`), or a string that is exactly the key or label of a network
whose key is too short to search for as a word ("x", "X"); in templates and scripts the
same, on the text (stylesheets too).
"""

import io
import re
import tokenize
from pathlib import Path

from providers.registry import NETWORKS

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "var", ".git", "node_modules", "__pycache__", ".ruff_cache"}
# Where naming networks cannot be avoided, and why.
ALLOWED = {
    "providers/registry.py": "the list of networks itself",
    "tests": "tests exercise particular networks on purpose",
    "bench": "benchmarks pick the networks of their load mix on purpose",
    "dravo/static/vendor": "third-party libraries",
}
ALLOWED_PARTS = {"migrations"}  # migrations are history: they record the choices of their day


def _word_keys() -> list[str]:
    return [key for key in NETWORKS if len(key) > 2]


def _exact_names() -> set[str]:
    """Keys too short to search for as words: only a literal that is exactly one counts."""
    return {name for key, network in NETWORKS.items() if len(key) <= 2 for name in (key, network.label)}


def _exact_constants() -> set[str]:
    """Identifiers that name a short-keyed network (`Provider.X`); a lowercase `x` is a variable."""
    return {key.upper() for key in NETWORKS if len(key) <= 2}


_KEYS = "|".join(_word_keys())
_EXACT = "|".join(re.escape(name) for name in _exact_names())
WORD = re.compile(rf"(?<![a-z0-9])({_KEYS})(?![a-z0-9])", re.IGNORECASE)
INSIDE_NAME = re.compile(_KEYS, re.IGNORECASE)
QUOTED_EXACT = re.compile(rf"""(["'])({_EXACT})\1""")


def _owner_allows(relative: str) -> bool:
    parts = relative.split("/")
    if ALLOWED_PARTS & set(parts):
        return True
    if any(relative == allowed or relative.startswith(allowed + "/") for allowed in ALLOWED):
        return True
    if parts[0] == "providers" and len(parts) > 2 and parts[1] in NETWORKS:
        return True  # the network's own folder
    return parts[0] == "sandbox" and len(parts) == 2 and parts[1].removesuffix(".py") in NETWORKS


def _source_files():
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in {".py", ".html", ".js", ".css"} or SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
            continue
        relative = path.relative_to(ROOT).as_posix()
        if not _owner_allows(relative):
            yield relative, path.read_text(encoding="utf-8")


def _string_body(token: str) -> str:
    return re.sub(r"^[a-zA-Z]*('''|\"\"\"|'|\")|('''|\"\"\"|'|\")$", "", token)


def python_mentions(source: str) -> list[tuple[int, str]]:
    """(line, text) of each place `source` names a network."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        text = token.string
        if token.type == tokenize.NAME and (INSIDE_NAME.search(text) or text in _exact_constants()):
            found.append((token.start[0], text))
        elif token.type in (tokenize.STRING, tokenize.COMMENT) or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            body = _string_body(text) if token.type == tokenize.STRING else text
            if WORD.search(body) or (token.type == tokenize.STRING and body in _exact_names()):
                found.append((token.start[0], text[:80]))
    return found


def text_mentions(source: str) -> list[tuple[int, str]]:
    """(line, text) of each place a template or script names a network."""
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        if WORD.search(line) or QUOTED_EXACT.search(line):
            found.append((number, line.strip()[:80]))
    return found


def test_only_a_network_s_own_folder_and_sandbox_module_name_it():
    offenders = []
    for relative, source in _source_files():
        mentions = python_mentions(source) if relative.endswith(".py") else text_mentions(source)
        offenders += [f"{relative}:{line}: {text}" for line, text in mentions]
    assert offenders == [], "Name networks through providers.registry only:\n" + "\n".join(offenders)


def test_the_fitness_check_sees_a_network_named_in_code_strings_and_templates():
    key = next(iter(_word_keys()))
    assert python_mentions(f"LIMIT = {{'{key}': 3}}\n")
    assert python_mentions(f"class {key.title()}Thing:\n    pass\n")
    assert python_mentions(f'def f():\n    """Works for {key.upper()}."""\n')
    assert text_mentions(f"{{% if provider == '{key}' %}}")
    for name in _exact_names():
        assert python_mentions(f"PROVIDERS = ('{name}',)\n") and text_mentions(f"if (network === '{name}')")
    assert not python_mentions("def f(x):\n    return {'networks': registry.NETWORKS, 'export': x}\n")
