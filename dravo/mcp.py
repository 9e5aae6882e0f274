"""`/mcp`: Dravo's MCP server (`dravo_sdk.mcp_server`) over streamable HTTP, inside the
WSGI app, with the API's own credentials.

The request is authenticated as any `/v1` request is (Bearer API key or JWT; anything
else is the API's 401). Its tool calls then go through `/v1` in-process: each one a
`Dravo` client holding the caller's Bearer token whose transport is Django's WSGI
handler, so workspace, mode, throttling, errors and idempotency are exactly the API's.
`/mcp` itself is not throttled; each tool call counts as the `/v1` requests it makes.

The MCP app is ASGI. Rather than moving Dravo to ASGI, it runs on one event loop thread
per process (a2wsgi), built on the first `/mcp` request (after gunicorn forks). The
session manager is stateless with JSON answers, and its task group (which the SDK wants
entered once, as an ASGI lifespan would) is entered on that loop at first use and kept
for the life of the process. Tool calls run on a worker thread each, where Django may run.
"""

import asyncio
import io
import json
import logging
import threading

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

log = logging.getLogger(__name__)

# After the answer is sent, how long a2wsgi waits for the MCP app to wind down.
WIND_DOWN_SECONDS = 5.0
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "upgrade"}


class _ManagedApp:
    """The session manager as an ASGI app whose `run()` (its task group) is entered on
    the event loop at the first request and held until the process ends."""

    def __init__(self, manager):
        self.manager = manager
        self._started: asyncio.Event | None = None
        self._task: asyncio.Task | None = None

    async def __call__(self, scope, receive, send):
        if self._started is None:  # only ever touched on the loop's thread
            self._started = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run())
        await self._started.wait()
        if self._task.done():
            raise RuntimeError("the MCP session manager stopped") from self._task.exception()
        await self.manager.handle_request(scope, receive, send)

    async def _run(self):
        try:
            async with self.manager.run():
                self._started.set()
                await asyncio.Event().wait()
        finally:
            self._started.set()


def build_mcp_app():
    """The WSGI app of the MCP server: the tools read the OpenAPI document built here, and
    each request's calls get a client holding its Bearer token that calls `/v1` through
    Django's WSGI handler, in-process.

    The MCP SDK (and httpx) are imported here, on the first `/mcp` request, rather than
    with the URLconf: they cost every web and Celery process about 2 s and 45 MB at start,
    which most of them would never use."""
    import httpx
    from a2wsgi import ASGIMiddleware
    from dravo_sdk.client import Dravo
    from dravo_sdk.mcp_server import build_server
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

    django = WSGIHandler()

    def client_for(ctx) -> Dravo:
        request = ctx.request
        token = request.headers.get("authorization", "").partition(" ")[2]
        transport = httpx.WSGITransport(app=django)
        return Dravo(str(request.base_url), token, transport=transport, max_retries=0, user_agent="dravo-mcp")

    server = build_server(openapi_document(), client_for)
    manager = StreamableHTTPSessionManager(app=server, json_response=True, stateless=True)
    return ASGIMiddleware(_ManagedApp(manager), wait_time=WIND_DOWN_SECONDS)


def openapi_document() -> dict:
    """The OpenAPI document `GET /v1/schema?format=json` serves, built in-process."""
    schema = spectacular_settings.DEFAULT_GENERATOR_CLASS().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


class McpBridge:
    """The process's MCP app, built once, on first use, under a lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._app = None

    def app(self):
        with self._lock:
            if self._app is None:
                self._app = build_mcp_app()
            return self._app

    def respond(self, request) -> HttpResponse:
        """Hand the (already authenticated) Django request to the MCP app and answer what it answers."""
        body = request.body
        environ = {**request.META, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        started = {}

        def start_response(status, headers, exc_info=None):
            started.update(status=int(status.split()[0]), headers=headers)

        content = b"".join(self.app()(environ, start_response))
        response = HttpResponse(content, status=started["status"])
        for name, value in started["headers"]:
            if name.lower() not in HOP_BY_HOP:
                response[name] = value
        return response


bridge = McpBridge()


@extend_schema(exclude=True)
class McpView(APIView):
    """`POST /mcp`: the MCP server for the caller's workspace and mode. Stateless, it
    offers no event stream (GET) and no session to end (DELETE): those are the API's
    405, as the transport allows, rather than a stream held open on a WSGI thread."""

    throttle_classes = []  # each tool call is throttled as the /v1 requests it makes

    def perform_content_negotiation(self, request, force=False):
        # The MCP transport reads Accept itself (JSON and/or an event stream).
        return super().perform_content_negotiation(request, force=True)

    def post(self, request):
        try:
            return bridge.respond(request)
        except Exception:
            log.exception("mcp: the MCP app failed")
            return internal_error(request.body)


def internal_error(body: bytes) -> HttpResponse:
    """What an MCP client can read when the MCP app itself fails: a JSON-RPC error
    (-32603, internal error) for the request's id, with HTTP 500."""
    try:
        message = json.loads(body)
        request_id = message.get("id") if isinstance(message, dict) else None
    except ValueError:
        request_id = None
    error = {"jsonrpc": "2.0", "id": request_id,
             "error": {"code": -32603, "message": "Internal error: Dravo's MCP server failed; try again."}}
    return HttpResponse(json.dumps(error), status=500, content_type="application/json")
