"""Tool input schemas taken from Dravo's own OpenAPI document (`GET /v1/schema`).

The bodies and query parameters of `/v1` are described there by the serializers that
check them, so a tool's schema is the API's: `create_post` takes exactly the body of
`POST /v1/posts`. OpenAPI 3.0 says `nullable` and `$ref`; MCP clients read JSON Schema,
so references are inlined and `nullable` becomes a `null` type.
"""

from __future__ import annotations

from typing import Any

REF_PREFIX = "#/components/schemas/"
# Older names some operations keep as aliases ("Same as post_id."): a tool offers one name.
ALIAS_MARK = "Same as "


def json_schema(node: Any, openapi: dict, depth: int = 0) -> Any:
    """`node` with every `$ref` inlined and `nullable` made JSON Schema. Raises
    ValueError on references nested deeper than 20 (a cycle)."""
    if depth > 20:
        raise ValueError("the OpenAPI schema nests references too deeply")
    if isinstance(node, list):
        return [json_schema(item, openapi, depth) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return json_schema(component(openapi, node["$ref"]), openapi, depth + 1)
    schema = {key: json_schema(value, openapi, depth) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        schema = _nullable(schema)
    return schema


def _nullable(schema: dict) -> dict:
    if isinstance(schema.get("type"), str):
        schema = {**schema, "type": [schema["type"], "null"]}
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
        return schema
    described = {key: schema.pop(key) for key in ("description", "default") if key in schema}
    return {"anyOf": [schema, {"type": "null"}], **described}


def component(openapi: dict, ref: str) -> dict:
    """The component schema a `$ref` names. Raises KeyError for an unknown one."""
    return openapi["components"]["schemas"][ref.removeprefix(REF_PREFIX)]


def body_schema(openapi: dict, method: str, path: str) -> dict:
    """The JSON Schema (an object) of the JSON body of `method path` (e.g. `post`,
    `/v1/posts`). Raises KeyError when the operation has no JSON body."""
    operation = openapi["paths"][path][method]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    return json_schema(body, openapi)


def query_schema(openapi: dict, method: str, path: str) -> dict:
    """The query parameters of `method path` as one object schema (aliases left out)."""
    properties = {}
    for parameter in openapi["paths"][path][method].get("parameters", []):
        description = parameter.get("description", "")
        if parameter.get("in") != "query" or description.startswith(ALIAS_MARK):
            continue
        schema = json_schema(parameter.get("schema", {}), openapi)
        properties[parameter["name"]] = {**schema, "description": description} if description else schema
    return {"type": "object", "properties": properties}


def merge(*schemas: dict, required: tuple[str, ...] = ()) -> dict:
    """One object schema with the properties and required names of `schemas`, plus
    `required`; other properties are refused."""
    properties: dict = {}
    needed: list[str] = list(required)
    for schema in schemas:
        properties.update(schema.get("properties", {}))
        needed += [name for name in schema.get("required", []) if name not in needed]
    return {"type": "object", "properties": properties, "required": needed, "additionalProperties": False}
