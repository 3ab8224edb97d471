"""pressroom serve: output/ on 127.0.0.1 with a static host's content types and headers, no
listing, nothing outside output/; --watch rebuilds the archive's pages when the store or a
record changes; the command itself, as a process, answering."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import SAMPLE_ID
from pressroom.archive import update_archive
from pressroom.serve import Watcher, default_rebuild, inputs_stamp, make_server
from pressroom.site import load_site
from test_archive_pages import THAI, make_archive_site
from test_workflow import CHEN, run

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_archive_site(tmp_path_factory.mktemp("serve") / "site")
    update_archive(load_site(root))
    return root


@pytest.fixture(scope="module")
def server(built):
    server = make_server(load_site(built), 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def get(server, path: str, method: str = "GET", headers: dict | None = None):
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})  # sent as it is: no normalising
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_it_listens_on_the_loopback_address_only(server):
    assert server.server_address[0] == "127.0.0.1"
    assert server.url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize(("path", "expected"), [
    ("/index.html", "text/html; charset=utf-8"),
    ("/countries/thailand.html", "text/html; charset=utf-8"),
    ("/feed.atom", "application/atom+xml"),
    ("/sitemap.xml", "application/xml"),
    ("/search-index.json", "application/json"),
    ("/search.js", "text/javascript; charset=utf-8"),
    ("/redirects/nginx.map", "text/plain; charset=utf-8"),
    (f"/{SAMPLE_ID}/{SAMPLE_ID}.html", "text/html; charset=utf-8"),
    (f"/{SAMPLE_ID}/{SAMPLE_ID}.pdf", "application/pdf"),
    (f"/{SAMPLE_ID}/{SAMPLE_ID}.docx", DOCX),
    (f"/{SAMPLE_ID}/manifest.json", "application/json"),
])
def test_each_file_with_its_content_type_and_a_static_hosts_headers(server, built, path,
                                                                    expected):
    status, headers, body = get(server, path)
    assert status == 200
    assert headers["Content-Type"] == expected
    assert body == (built / "output" / path.lstrip("/")).read_bytes()
    assert headers["Content-Length"] == str(len(body))
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Last-Modified"].endswith("GMT") and headers["ETag"].startswith('"')


def test_head_etag_folders_and_queries(server, built):
    status, headers, body = get(server, "/feed.atom", "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    etag = headers["ETag"]
    assert get(server, "/feed.atom", headers={"If-None-Match": etag})[0] == 304
    status, headers, body = get(server, "/countries/")
    assert status == 200 and body == (built / "output/countries/index.html").read_bytes()
    status, headers, _ = get(server, "/countries?x=1")
    assert status == 301 and headers["Location"] == "/countries/?x=1"
    assert get(server, "/search.html?q=zephyrine")[0] == 200
    assert get(server, "/2024/05/thailand-lese-majeste/")[0] == 200  # an old address
    assert get(server, "/")[0] == 200


def test_no_listing_and_nothing_outside_output(server, built, tmp_path):
    outside = built / "output" / "elsewhere"
    if not outside.is_symlink():
        outside.symlink_to(built / "statements")
    (built / "output" / ".hidden.html").write_text("hidden", encoding="utf-8")
    for path in (f"/{SAMPLE_ID}/",  # a folder without index.html: no listing
                 "/../pressroom.toml", "/%2e%2e/pressroom.toml", "/countries/../../runs/",
                 f"/elsewhere/{SAMPLE_ID}.md", "/.hidden.html", "/missing.html",
                 "/index.html%00.txt"):
        status, _, body = get(server, path)
        assert status == 404 and b"<h1>Not found</h1>" in body, path
    assert get(server, "/index.html", "POST")[0] == 501


def test_watch_rebuilds_the_archive_when_the_store_changes(tmp_path):
    root = make_archive_site(tmp_path / "site")
    site = load_site(root)
    update_archive(site)
    said: list[str] = []
    watcher = Watcher(lambda: inputs_stamp(site), default_rebuild(root), said.append)
    assert watcher.check() is False  # nothing changed yet
    run(root, CHEN, "workflow", THAI, "retract")
    assert watcher.check() is True
    assert f"{THAI}/{THAI}.html" not in (root / "output" / "index.html").read_text(
        encoding="utf-8")
    assert said and said[0].startswith("rebuilt: archive pages: 3 statement(s) listed")
    assert watcher.check() is False
    template = root / "templates" / "archive" / "index.html.j2"
    text = template.read_text(encoding="utf-8")
    assert not template.is_symlink() and not (root / "templates").is_symlink()
    template.write_text(text.replace("Search the statements", "Find a statement"), "utf-8")
    assert watcher.check() is True
    assert "Find a statement" in (root / "output" / "index.html").read_text(encoding="utf-8")


def test_a_failing_rebuild_is_reported_and_the_watch_goes_on(tmp_path):
    stamps = iter([(1,), (2,), (3,)])
    said: list[str] = []

    def boom():
        raise ValueError("half-saved record")

    watcher = Watcher(lambda: next(stamps), boom, said.append)
    assert watcher.check() is True and said == ["rebuild failed: half-saved record"]
    watcher._rebuild = lambda: "fine"
    assert watcher.check() is True and said[-1] == "rebuilt: fine"


def test_the_command_serves_until_stopped(built):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "pressroom", "-C", str(built), "serve",
                             "--port", "0"], stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stderr.readline()
        assert line.startswith("Serving ") and "http://127.0.0.1:" in line, line
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        deadline = time.monotonic() + 10
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/feed.atom")
                response = conn.getresponse()
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert response.status == 200
        assert response.getheader("Content-Type") == "application/atom+xml"
        conn.close()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        proc.stderr.close()
    assert proc.returncode == 0
