"""The SDK follows the API: every `/v1` operation of the OpenAPI schema has a method, every
method calls an operation of the schema, and each model has its component's fields."""

import dataclasses
import re

import pytest
from dravo_sdk import Dravo
from dravo_sdk.models import all_models
from dravo_sdk.operations import operations_of
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def schema_operations(schema) -> set[tuple[str, str]]:
    return {(method.upper(), _shape(path.removeprefix("/v1")))
            for path, item in schema["paths"].items() if path.startswith("/v1/")
            for method in item if method in {"get", "post", "put", "patch", "delete"}}


def sdk_operations() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for group, resource in Dravo("http://unused", "unused").resources().items():
        for name, (method, path) in operations_of(resource).items():
            found.setdefault((method, _shape(path)), []).append(f"{group}.{name}")
    return found


def test_every_operation_of_the_schema_has_an_sdk_method(schema):
    missing = sorted(schema_operations(schema) - set(sdk_operations()))
    assert missing == [], f"operations without an SDK method: {missing}"


def test_every_sdk_method_calls_an_operation_of_the_schema(schema):
    unknown = {op: names for op, names in sdk_operations().items() if op not in schema_operations(schema)}
    assert unknown == {}


def model_drift(models, components) -> dict[str, dict[str, list[str]]]:
    """For each model whose fields differ from its component's properties, what differs."""
    drift = {}
    for model in models:
        expected = set(components.get(model.component, {}).get("properties", {}))
        fields = {f.name for f in dataclasses.fields(model)}
        if not expected or fields != expected:
            drift[model.__name__] = {"missing": sorted(expected - fields), "unknown": sorted(fields - expected)}
    return drift


def test_every_model_has_the_fields_of_its_schema_component(schema):
    assert model_drift(all_models(), schema["components"]["schemas"]) == {}


def test_the_drift_check_sees_a_field_the_schema_lacks_and_a_component_it_lacks(schema):
    @dataclasses.dataclass
    class Stray:
        component = "WhoAmI"
        workspace_id: str | None = None
        workspace: str | None = None
        mode: str | None = None
        colour: str | None = None

    @dataclasses.dataclass
    class Orphan:
        component = "NoSuchThing"
        id: str | None = None

    drift = model_drift([Stray, Orphan], schema["components"]["schemas"])
    assert drift == {"Stray": {"missing": [], "unknown": ["colour"]}, "Orphan": {"missing": [], "unknown": ["id"]}}
