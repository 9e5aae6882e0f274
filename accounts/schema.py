"""OpenAPI descriptions of Dravo's authenticators (loaded by AccountsConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A Dravo API key: `Authorization: Bearer dra_live_…` or `dra_test_…`.",
        }


class WorkspaceJWTAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.WorkspaceJWTAuthentication"
    name = "JWT"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A dashboard user's access token from POST /v1/auth/token.",
        }
