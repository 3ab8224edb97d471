"""A preview of the public tree: output/ served on 127.0.0.1 as a static host would serve it.

What a static host sends: the content type of each of our formats (with a charset for
text), Content-Length, Last-Modified and an ETag, `X-Content-Type-Options: nosniff`, a
folder's index.html for the folder (a folder without one is a 404, never a listing), a
redirect from a folder's address without its slash to the address with it. Nothing outside
output/ is served: no `..`, no link that leads out of it, no hidden or temporary file.

With `watch`, a thread polls the records, the store, the settings and the templates every
`interval` seconds and rebuilds the archive's pages (`archive.update_archive`, or the
`rebuild` given) when any of them changed.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.server
import posixpath
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import UsageError

HOST = "127.0.0.1"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
    ".map": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}
DEFAULT_TYPE = "application/octet-stream"


def content_type(name: str) -> str:
    return TYPES.get(posixpath.splitext(name)[1].lower(), DEFAULT_TYPE)


class StaticHandler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD of files under `root` (set on the server), nothing else."""

    server_version = "pressroom-serve"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def log_message(self, format: str, *args) -> None:
        if getattr(self.server, "quiet", False):
            return
        super().log_message(format, *args)

    def _answer(self, body: bool) -> None:
        root: Path = self.server.root  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        found = resolve(root, unquote(url.path))
        if found == "slash":
            self.send_response(301)
            self.send_header("Location", url.path + "/" + (f"?{url.query}" if url.query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if found is None:
            self._not_found(body)
            return
        try:
            data = found.read_bytes()
            mtime = found.stat().st_mtime
        except OSError:
            self._not_found(body)
            return
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type(found.name))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))
        self.send_header("ETag", etag)
        self.send_header("Cache-Control", "no-cache")  # a preview: always the latest
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _not_found(self, body: bool) -> None:
        page = b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>\n"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(page)


def resolve(root: Path, path: str) -> Path | str | None:
    """The file under `root` that `path` (an URL path, decoded) names; "slash" for a folder
    asked for without its trailing slash; None for anything not to be served."""
    parts = path.split("/")
    if any(p in (".", "..") or p.startswith(".") or "\0" in p or "\\" in p for p in parts):
        return None
    names = [p for p in parts if p]
    top = root.resolve()
    target = top.joinpath(*names)
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real != top and top not in real.parents:
        return None  # a link leading out of output/
    if real.is_dir():
        if not path.endswith("/"):
            return "slash"
        real = real / "index.html"
        if not real.is_file():
            return None  # no listing of a folder
    return real if real.is_file() else None


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, port: int, quiet: bool = False):
        self.root = Path(root)
        self.quiet = quiet
        super().__init__((HOST, port), StaticHandler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


def make_server(site, port: int = 8000, *, quiet: bool = False) -> Server:
    """A server of the site's output/ on 127.0.0.1:`port` (0: any free port), not started."""
    site.output_dir.mkdir(exist_ok=True)
    try:
        return Server(site.output_dir, port, quiet=quiet)
    except OSError as exc:
        raise UsageError(f"Cannot serve on {HOST}:{port}: {exc.strerror or exc}. Another "
                         "program may use that port: try another with --port.") from exc


# --- watching ---------------------------------------------------------------------------


def inputs_stamp(site) -> tuple:
    """What, when it changes, changes the archive's pages: the records, the store (the
    database and its write-ahead log), the settings, the organisations and the templates."""
    paths = [site.root / "pressroom.toml", *site.statements_dir.glob("*"),
             *site.runs_dir.glob("*.sqlite"), *site.runs_dir.glob("*.sqlite-wal")]
    if site.templates_dir.is_dir():
        paths += [p for p in site.templates_dir.rglob("*") if p.is_file()]
    stamp = []
    for path in sorted(set(paths)):
        try:
            st = path.stat()
        except OSError:
            continue
        stamp.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(stamp)


class Watcher(threading.Thread):
    """Polls `stamp()`; calls `rebuild()` when it changes. Errors are reported, not fatal:
    a record saved half-way through an edit must not stop the preview."""

    def __init__(self, stamp: Callable[[], tuple], rebuild: Callable[[], object],
                 report: Callable[[str], None], interval: float = 1.0):
        super().__init__(daemon=True, name="pressroom-watch")
        self._stamp, self._rebuild, self._report = stamp, rebuild, report
        self.interval = interval
        self.stopped = threading.Event()
        self.rebuilds = 0
        self._last = stamp()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.check()

    def check(self) -> bool:
        now = self._stamp()
        if now == self._last:
            return False
        self._last = now
        try:
            said = self._rebuild()
            self.rebuilds += 1
            self._report(f"rebuilt: {said}" if isinstance(said, str) else "rebuilt")
        except Exception as exc:  # reported, and the next change is tried again
            self._report(f"rebuild failed: {exc}")
        return True

    def stop(self) -> None:
        self.stopped.set()


def default_rebuild(site_root: Path) -> Callable[[], str]:
    def rebuild() -> str:
        from .archive import update_archive
        from .site import load_site

        return update_archive(load_site(site_root)).summary()

    return rebuild


def serve(site, port: int = 8000, *, watch: bool = False, interval: float = 1.0,
          rebuild: Callable[[], object] | None = None,
          report: Callable[[str], None] = print) -> None:
    """Serve output/ until interrupted; with `watch`, rebuild on change (see the module)."""
    server = make_server(site, port)
    watcher = None
    if watch:
        watcher = Watcher(lambda: inputs_stamp(site), rebuild or default_rebuild(site.root),
                          report, interval)
        watcher.start()
    report(f"Serving {site.output_dir} at {server.url} (Ctrl-C stops)"
           + (", rebuilding the archive's pages when a record changes" if watch else ""))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if watcher:
            watcher.stop()
        server.server_close()
