"""The OpenAPI document says what the API does: shapes of pages, nullable fields, the
error answers each operation can give, summaries, deprecations."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(openapi, schema: dict) -> dict:
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _answer(openapi, path: str, method: str, status: str) -> dict:
    response = openapi["paths"][path][method]["responses"][status]
    return _resolve(openapi, response["content"]["application/json"]["schema"])


def _operations(openapi):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


@pytest.mark.parametrize("path", ["/v1/accounts", "/v1/posts", "/v1/media", "/v1/publish"])
def test_a_list_answer_is_documented_as_one_page_object(openapi, path):
    page = _answer(openapi, path, "get", "200")

    assert page["type"] == "object"
    assert set(page["properties"]) == {"items", "next_cursor", "total"}
    assert page["properties"]["items"]["type"] == "array"
    assert page["properties"]["next_cursor"]["nullable"] is True


@pytest.mark.parametrize("field", ["last_used_at", "revoked_at"])
def test_api_key_times_are_documented_as_nullable(openapi, field):
    key = _answer(openapi, "/v1/api-keys/{id}", "get", "200")

    assert key["properties"][field]["nullable"] is True


def test_every_operation_has_a_summary(openapi):
    missing = [f"{method.upper()} {path}" for path, method, op in _operations(openapi) if not op.get("summary")]

    assert missing == []


def test_only_the_legacy_publish_routes_are_deprecated(openapi):
    deprecated = {(path, method) for path, method, op in _operations(openapi) if op.get("deprecated")}

    assert deprecated == {
        ("/v1/publish", "get"),
        ("/v1/publish", "post"),
        ("/v1/publish/{id}", "get"),
        ("/v1/publish/{id}/cancel", "post"),
    }


def test_a_validation_error_on_any_input_matches_the_documented_400(openapi):
    """The cursor, the Idempotency-Key header and nested body fields all answer the same body."""
    bad_request = _answer(openapi, "/v1/posts", "get", "400")
    validation = _resolve(openapi, {"$ref": bad_request["discriminator"]["mapping"]["validation_error"]})
    error = _resolve(openapi, validation["properties"]["errors"]["items"])

    assert _answer(openapi, "/v1/posts", "post", "400") == bad_request
    assert "enum" not in error["properties"]["attr"]
    assert error["properties"]["attr"]["type"] == "string"
    assert error["properties"]["attr"]["nullable"] is True
    assert "enum" not in error["properties"]["code"]


def test_every_operation_that_needs_a_credential_documents_401_and_403(openapi):
    needing = [(path, method, op) for path, method, op in _operations(openapi) if any(op.get("security") or [])]
    undocumented = [
        f"{method.upper()} {path}" for path, method, op in needing if not {"401", "403"} <= set(op["responses"])
    ]

    assert len(needing) > 20
    assert undocumented == []


@pytest.mark.parametrize("path", ["/v1/auth/token", "/v1/auth/token/refresh"])
def test_the_token_routes_document_their_401(openapi, path):
    assert "401" in openapi["paths"][path]["post"]["responses"]


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/v1/posts", "post"),
        ("/v1/publish", "post"),
        ("/v1/accounts", "post"),
        ("/v1/api-keys", "post"),
        ("/v1/media", "post"),
        ("/v1/accounts/connect", "post"),
    ],
)
def test_an_operation_with_an_idempotency_key_documents_its_409_and_422(openapi, path, method):
    responses = openapi["paths"][path][method]["responses"]

    assert {"409", "422", "413", "415"} <= set(responses)
    assert _answer(openapi, path, method, "409")["properties"]["type"]["$ref"].endswith("ClientErrorEnum")


@pytest.mark.parametrize(
    ("path", "status"),
    [("/v1/posts/{id}/cancel", "409"), ("/v1/posts/{id}/retry", "409"), ("/v1/accounts/{id}/refresh", "503")],
)
def test_state_conflicts_and_unreachable_networks_are_documented(openapi, path, status):
    assert status in openapi["paths"][path]["post"]["responses"]


def test_an_account_token_is_documented_as_printable_ascii(openapi):
    credentials = openapi["components"]["schemas"]["CredentialsRequest"]

    assert credentials["properties"]["access_token"]["pattern"] == "^[\\u0021-\\u007e]+$"


def test_a_cursor_is_documented_with_a_well_formed_example(openapi):
    from dravo.pagination import decode_cursor

    cursor = next(p for p in openapi["paths"]["/v1/posts"]["get"]["parameters"] if p["name"] == "cursor")

    assert decode_cursor(cursor["schema"]["example"])
