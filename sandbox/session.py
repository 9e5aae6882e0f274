"""What the sandbox adds to a test-mode account's HTTP calls, so the real clients send
nothing sandbox-specific: the registry builds a sandbox client with `session_for()`
(named by the SANDBOX_SESSION setting) as its HTTP session."""

from urllib.parse import quote

from providers import http

BEHAVIOR_HEADER = "X-Dravo-Sandbox"
# The account named at connect (the credential the network's client calls
# `account_credential`): the sandbox binds a token or refresh token it never saw to it.
ACCOUNT_HEADER = "X-Dravo-Sandbox-Account"


def sandbox_headers(credentials: dict, account_credential: str = "") -> dict:
    """`X-Dravo-Sandbox: behavior=flaky;latency_ms=0` from the account's `sandbox`
    credentials (how the sandbox should answer it) and `X-Dravo-Sandbox-Account` with the
    account named at connect; {} for an account that sets neither. No I/O."""
    sandbox = credentials.get("sandbox")
    if not isinstance(sandbox, dict):
        return {}
    parts = [f"behavior={sandbox.get('behavior', 'ok')}"]
    if "latency_ms" in sandbox:
        parts.append(f"latency_ms={int(sandbox['latency_ms'])}")
    headers = {BEHAVIOR_HEADER: ";".join(parts)}
    named = str(credentials.get(account_credential) or "") if account_credential else ""
    if named:
        headers[ACCOUNT_HEADER] = quote(named, safe="")
    return headers


class SandboxSession:
    """The shared `requests` session (its pool, User-Agent and adapters), with the
    account's sandbox headers added to every request; a call's own headers win."""

    def __init__(self, headers: dict):
        self.headers = headers

    def request(self, method: str, url: str, *, headers: dict | None = None, **kwargs):
        return http.session().request(method, url, headers={**self.headers, **(headers or {})}, **kwargs)


def session_for(credentials: dict, account_credential: str = "") -> SandboxSession:
    """The HTTP session of a test-mode account's client."""
    return SandboxSession(sandbox_headers(credentials, account_credential))
