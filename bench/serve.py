"""A static server on 127.0.0.1 that compresses text like a real host (GitHub Pages, Netlify) does.

gzip (level 6, as nginx and GitHub Pages use) for text types when the client accepts it; brotli instead when
the `brotli` module is importable and the client asks for `br`. Directory URLs serve index.html, a missing
trailing slash redirects, a missing file gets the site's 404.html with status 404. HTTP/1.1 keep-alive,
`Cache-Control: max-age=600` like GitHub Pages. Compressed bodies are cached in memory per (path, mtime).

    python bench/serve.py site/ [port]
"""
from __future__ import annotations

import gzip
import mimetypes
import os
import posixpath
import sys
import threading
import urllib.parse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

try:  # optional: not in the project's lock file
    import brotli  # type: ignore
except ImportError:  # pragma: no cover
    brotli = None

TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml",
              "application/manifest+json", "font/ttf", "application/vnd.ms-fontobject")
MIN_SIZE = 256           # hosts don't bother compressing tiny bodies
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("application/json", ".json")
mimetypes.add_type("image/svg+xml", ".svg")
mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("application/manifest+json", ".webmanifest")


def encoding_name() -> str:
    return "br" if brotli else "gzip"


class CompressingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bench-static/1"
    root: Path = Path(".")
    _cache: dict = {}
    _lock = threading.Lock()
    record: list | None = None       # when a list: one dict per response (path, header and body bytes)

    def log_message(self, *args):  # quiet
        pass

    def _resolve(self) -> tuple[int, Path | None, str | None]:
        """(status, file, redirect location)."""
        raw = urllib.parse.urlsplit(self.path).path
        path = posixpath.normpath(urllib.parse.unquote(raw))
        parts = [p for p in path.split("/") if p and p not in (".", "..")]
        target = self.root.joinpath(*parts)
        if target.is_dir():
            if not raw.endswith("/"):
                return 301, None, raw + "/"
            target = target / "index.html"
        if target.is_file():
            return 200, target, None
        return 404, self.root / "404.html", None

    def _body(self, file: Path, accept: str) -> tuple[bytes, str | None]:
        data = file.read_bytes()
        ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if len(data) < MIN_SIZE or not ctype.startswith(TEXT_TYPES):
            return data, None
        use_br = brotli is not None and "br" in accept
        if not use_br and "gzip" not in accept:
            return data, None
        enc = "br" if use_br else "gzip"
        key = (str(file), file.stat().st_mtime_ns, enc)
        with self._lock:
            hit = self._cache.get(key)
        if hit is None:
            hit = brotli.compress(data, quality=11) if use_br else gzip.compress(data, 6, mtime=0)
            with self._lock:
                self._cache[key] = hit
        return hit, enc

    def _respond(self, head_only: bool) -> None:
        status, file, location = self._resolve()
        if status == 301:
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if file is None or not file.is_file():
            body, enc, ctype = b"not found", None, "text/plain"
        else:
            body, enc = self._body(file, self.headers.get("Accept-Encoding", ""))
            ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json", "image/svg+xml"):
            ctype += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("Vary", "Accept-Encoding")
        if enc:
            self.send_header("Content-Encoding", enc)
        head = sum(len(h) for h in getattr(self, "_headers_buffer", []))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)
        if self.record is not None:
            with self._lock:
                self.record.append({"path": self.path, "status": status, "encoding": enc or "identity",
                                    "header_bytes": head + 2, "body_bytes": 0 if head_only else len(body)})

    def do_GET(self):  # noqa: N802
        self._respond(False)

    def do_HEAD(self):  # noqa: N802
        self._respond(True)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


@contextmanager
def serving(root: str | Path, port: int = 0, record: list | None = None):
    """Serve root on 127.0.0.1 (a free port unless given) in a thread; yields the base URL.

    With `record` (a list), every response is appended to it: what the host sent, byte for byte.
    """
    handler = type("Handler", (CompressingHandler,), {"root": Path(root).resolve(), "_cache": {},
                                                       "record": record})
    server = _Server(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


if __name__ == "__main__":
    root = sys.argv[1] if len(sys.argv) > 1 else "site"
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 8001
    with serving(root, port) as url:
        print(f"serving {os.path.abspath(root)} at {url}/ ({encoding_name()}); Ctrl-C to stop", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
