"""Real, small media files made on the spot, and a tiny local HTTP server to fetch them from."""

import io
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import av
import pypdf
from PIL import Image


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (640, 640), color=(200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def jpeg(size=(640, 640)) -> bytes:
    return image_bytes("JPEG", size)


def png(size=(640, 640)) -> bytes:
    return image_bytes("PNG", size)


def mp4(size=(640, 360), seconds: float = 4.0, fps: int = 24) -> bytes:
    """An H.264 MP4 (MPEG-4 part 2 if this FFmpeg has no H.264 encoder) of a plain picture."""
    codec = "libx264" if "libx264" in av.codecs_available else "mpeg4"
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for index in range(round(seconds * fps)):
            frame = av.VideoFrame(size[0], size[1], "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([90]) * plane.buffer_size)
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return buffer.getvalue()


def pdf(pages: int = 2) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@contextmanager
def http_server(routes: dict[str, tuple]):
    """Serve `routes` ({path: (status, headers, body[, seconds to wait before the body])})
    on 127.0.0.1. A header set to None is left out (no Content-Length: the body ends when
    the connection closes). Yields a Served; each request's path is added to its `hits`."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            status, headers, body, *wait = routes.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            for name, value in {"Content-Length": str(len(body)), **headers}.items():
                if value is not None:
                    self.send_header(name, value)
            self.end_headers()
            time.sleep(wait[0] if wait else 0)
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(server.server_address[1], hits)
    finally:
        server.shutdown()
        server.server_close()


class Served:
    def __init__(self, port: int, hits: list[str]):
        self.port = port
        self.hits = hits

    def url(self, path: str, host: str = "localhost") -> str:
        return f"http://{host}:{self.port}{path}"
