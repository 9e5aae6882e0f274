"""How a resource method names the API operation it calls, and keyset paging.

Every public method that calls the API is decorated with `@operation(METHOD, PATH)` (the
path as the OpenAPI schema spells it, under `/v1`), and sends its request with
`self._send(self.<method>, ...)`: the route is written once, and the drift test reads
the same declaration to check that every operation of the schema has a method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from dravo_sdk.models import Model

if TYPE_CHECKING:
    from dravo_sdk.client import Dravo

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=Model)


def operation(method: str, path: str) -> Callable[[F], F]:
    """Declare the (method, path) a resource method calls, e.g. `("GET", "/posts/{id}")`."""

    def declare(func: F) -> F:
        func.operation = (method.upper(), path)  # type: ignore[attr-defined]
        return func

    return declare


class Resource:
    """A group of operations (`client.posts`, `client.accounts`…) sharing one client."""

    def __init__(self, client: Dravo):
        self._client = client

    def _send(self, method: Callable[..., Any], *, path_params: dict[str, str] | None = None, **request: Any) -> Any:
        """Send the request of `method`'s operation, its path filled with `path_params`
        (ids are percent-quoted). Raises what `Dravo.request()` raises."""
        verb, template = method.operation  # type: ignore[attr-defined]
        return self._client.request(verb, fill_path(template, path_params or {}), **request)

    def _pages(self, method: Callable[..., Any], model: type[M] | None, params: dict[str, Any], *,
               path_params: dict[str, str] | None = None, items_key: str = "items") -> Iterator[Any]:
        """Every item of a keyset list (as `model`, or the raw dict), page after page
        (`cursor` from `next_cursor`), fetched lazily as the iterator is read."""
        params = dict(params)
        while True:
            page = self._send(method, path_params=path_params, params=params)
            for item in page.get(items_key) or []:
                yield model.from_dict(item) if model else item
            if not page.get("next_cursor"):
                return
            params["cursor"] = page["next_cursor"]


def fill_path(template: str, values: dict[str, str]) -> str:
    """`/posts/{id}` with `{"id": "post_1"}` → `/posts/post_1`."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", quote(str(value), safe=""))
    if "{" in template:
        raise ValueError(f"missing a path parameter in {template}")
    return template


def operations_of(resource: object) -> dict[str, tuple[str, str]]:
    """`{"posts.create": ("POST", "/posts"), …}` for the decorated methods of a resource."""
    found = {}
    for name in dir(type(resource)):
        declared = getattr(getattr(type(resource), name), "operation", None)
        if declared and not name.startswith("_"):
            found[name] = declared
    return found
