"""The first-party import graph, read from the source with `ast`: no module imports
another that (directly or through others) imports it back, and no function imports a
first-party module to dodge such a circle. The few function-local imports that are
truly needed (Django's app loading, entry points that set Django up first) are listed
below with their reason."""

import ast
from pathlib import Path

from django.conf import settings

APPS = ("accounts", "analytics", "dravo", "providers", "publishing", "sandbox", "webhooks")

# (module, imported module) pairs allowed inside a function, each with its reason.
LOCAL_IMPORTS_ALLOWED = {
    # AppConfig.ready(): the moment Django allows importing modules that use models.
    ("accounts.apps", "accounts.schema"),
    ("analytics.apps", "analytics.services"),
    ("analytics.apps", "publishing.services.delivery"),
    ("analytics.apps", "analytics.selectors"),
    ("analytics.apps", "publishing.services.autoschedule"),
    ("webhooks.apps", "dravo.events"),
    ("webhooks.apps", "webhooks.services.outbox"),
    # `python -m providers.check` sets Django up before reading the registry.
    ("providers.check", "providers.registry"),
    # The demo command imports the sandbox's Instagram module only when it runs.
    ("accounts.management.commands.demo_setup", "sandbox.instagram"),
}


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(settings.BASE_DIR).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _target(name: str, modules: dict[str, Path]) -> str | None:
    """The first-party module an import names (`a.b.c` or, for `from a.b import c` where c
    is not a module, `a.b`), or None for a third-party one."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imports(node: ast.AST, modules: dict[str, Path]) -> list[tuple[int, str]]:
    found = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Import):
            names = [alias.name for alias in sub.names]
        elif isinstance(sub, ast.ImportFrom) and sub.module and not sub.level:
            names = [f"{sub.module}.{alias.name}" for alias in sub.names]
        else:
            continue
        found += [(sub.lineno, target) for name in names if (target := _target(name, modules))]
    return found


def _graph() -> tuple[dict[str, set[str]], list[tuple[str, int, str]]]:
    modules = _modules()
    edges, local = {name: set() for name in modules}, []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        local_lines = {line for function in functions for line, _ in _imports(function, modules)}
        for line, target in _imports(tree, modules):
            if line in local_lines:
                local.append((name, line, target))
            # A function-local import is an edge too (hiding a circle in a function does
            # not remove it), except the listed ones, which run once the graph is loaded.
            if target != name and (line not in local_lines or (name, target) not in LOCAL_IMPORTS_ALLOWED):
                edges[name].add(target)
    return edges, local


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_first_party_module_imports_itself_back_through_others():
    edges, _ = _graph()
    assert _cycles(edges) == []


def test_no_function_imports_a_first_party_module_except_the_listed_few():
    _, local = _graph()
    unexpected = [
        f"{module}:{line} imports {target}"
        for module, line, target in local
        if (module, target) not in LOCAL_IMPORTS_ALLOWED
    ]
    assert unexpected == []


def test_the_walk_sees_the_delivery_path_and_its_imports():
    edges, _ = _graph()
    assert "publishing.models" in edges["publishing.services.delivery"]
    assert "publishing.services.delivery" in edges["publishing.tasks"]


def test_no_app_imports_the_apps_that_build_on_it():
    edges, _ = _graph()
    upward = {
        "accounts": ("publishing", "analytics"),
        "publishing": ("analytics",),
        # The networks' library sits beneath every app, and never knows of the sandbox.
        "providers": ("accounts", "publishing", "analytics", "webhooks", "sandbox"),
    }
    wrong = [
        f"{module} imports {target}"
        for module, targets in edges.items()
        for target in targets
        if any(module.startswith(f"{app}.") and target.split(".")[0] in above for app, above in upward.items())
    ]
    assert wrong == []
