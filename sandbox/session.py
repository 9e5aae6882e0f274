"""What the sandbox adds to a test-mode account's HTTP calls, so the real clients send
nothing sandbox-specific: the registry builds a sandbox client with `session_for()`
(named by the SANDBOX_SESSION setting) as its HTTP session."""

from providers import http

BEHAVIOR_HEADER = "X-Dravo-Sandbox"


def behavior_header(credentials: dict) -> dict:
    """`X-Dravo-Sandbox: behavior=flaky;latency_ms=0` from the account's `sandbox`
    credentials (how the sandbox should answer it), or {} when it sets none. No I/O."""
    sandbox = credentials.get("sandbox")
    if not isinstance(sandbox, dict):
        return {}
    parts = [f"behavior={sandbox.get('behavior', 'ok')}"]
    if "latency_ms" in sandbox:
        parts.append(f"latency_ms={int(sandbox['latency_ms'])}")
    return {BEHAVIOR_HEADER: ";".join(parts)}


class SandboxSession:
    """The shared `requests` session (its pool, User-Agent and adapters), with the
    account's sandbox headers added to every request; a call's own headers win."""

    def __init__(self, headers: dict):
        self.headers = headers

    def request(self, method: str, url: str, *, headers: dict | None = None, **kwargs):
        return http.session().request(method, url, headers={**self.headers, **(headers or {})}, **kwargs)


def session_for(credentials: dict) -> SandboxSession:
    """The HTTP session of a test-mode account's client."""
    return SandboxSession(behavior_header(credentials))
