"""A local stand-in for www.fec.gov and docquery.fec.gov on 127.0.0.1, with Range support.

It serves bytes from memory: zips built from the real bulk files in ../shared/data/fec-bulk and the
real filings in ../shared/data/fec-efile. Faults are switched on per path: drop the connection after
N bytes the first time, answer 503 a few times, or always promise more bytes than it sends.
Every test here points moneytrail at it through the MONEYTRAIL_* settings, so the production code
path runs and no test can reach any other host.
"""

from __future__ import annotations

import hashlib
import io
import re
import socket
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import shared


@dataclass
class Site:
    """What the server holds, what it has been asked, and which faults to play."""

    files: dict[str, bytes] = field(default_factory=dict)
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # (path, Range header)
    drop_after: dict[str, int] = field(default_factory=dict)  # path -> bytes sent before dropping, once
    busy: dict[str, int] = field(default_factory=dict)  # path -> how many 503 answers before serving
    short_by: dict[str, int] = field(default_factory=dict)  # path -> bytes always missing from the body
    base: str = ""
    stop: Callable[[], None] = lambda: None  # close the server: later connections are refused

    def url(self, path: str) -> str:
        return self.base + path

    def gets(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


class Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        site, path = self.site, self.path
        site.requests.append((path, self.headers.get("Range")))
        if site.busy.get(path, 0) > 0:
            site.busy[path] -= 1
            return self._empty(503, "Service Unavailable")
        body = site.files.get(path)
        if body is None:
            return self._empty(404, "Not Found")
        start, status = 0, 200
        match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
        if_range = self.headers.get("If-Range")
        if match and (if_range is None or if_range == _etag(body)):
            start = int(match.group(1))
            if start >= len(body):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        self.send_response(status)
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        self.send_header("Content-Length", str(len(body) - start))
        self.send_header("ETag", _etag(body))
        self.send_header("Last-Modified", "Sun, 01 Nov 2026 06:00:00 GMT")
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        chunk = body[start:]
        if path in site.drop_after:
            chunk = chunk[: site.drop_after.pop(path)]
            self.close_connection = True
        elif path in site.short_by:
            chunk = chunk[: len(chunk) - site.short_by[path]]
            self.close_connection = True
        self.wfile.write(chunk)

    def _empty(self, code: int, reason: str) -> None:
        self.send_response(code, reason)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """A running local server; MONEYTRAIL_FEC_BULK_URL and MONEYTRAIL_FEC_FILING_URL point at it."""
    state = Site()
    handler = type("SiteHandler", (Handler,), {"site": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    state.stop = stop
    monkeypatch.setenv("MONEYTRAIL_FEC_BULK_URL", state.base + "/files/bulk-downloads")
    monkeypatch.setenv("MONEYTRAIL_FEC_FILING_URL", state.base + "/dcdev/posted")
    yield state
    stop()


@pytest.fixture(autouse=True)
def local_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache, no waiting between retries, and FEC URLs that lead nowhere but
    a closed port on 127.0.0.1 unless the ``site`` fixture points them at the local server."""
    closed = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("MONEYTRAIL_FEC_BULK_URL", closed + "/files/bulk-downloads")
    monkeypatch.setenv("MONEYTRAIL_FEC_FILING_URL", closed + "/dcdev/posted")
    monkeypatch.setenv("MONEYTRAIL_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MONEYTRAIL_FETCH_BACKOFF", "0")
    monkeypatch.setenv("MONEYTRAIL_FETCH_RETRIES", "2")
    monkeypatch.setenv("MONEYTRAIL_FETCH_TIMEOUT", "10")
    return tmp_path / "cache"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def zipped(member: str, data: bytes) -> bytes:
    """A zip archive holding one member, as the FEC packs its bulk files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(member, data)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def bulk2020() -> dict[str, bytes]:
    """Real 2019-2020 bulk files, zipped under the FEC's names (indiv20.zip holds itcont.txt ...)."""
    folder = shared("fec-bulk", "2019-2020")
    return {"indiv20.zip": zipped("itcont.txt", (folder / "itcont.txt").read_bytes()),
            "cm20.zip": zipped("cm.txt", (folder / "cm.txt").read_bytes()),
            "ccl20.zip": zipped("ccl.txt", (folder / "ccl.txt").read_bytes())}
