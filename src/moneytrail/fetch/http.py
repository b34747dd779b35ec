"""A resumable HTTP download into a ``.part`` file, with size checks and retries.

Standard library only (``urllib``): a download needs one GET with a ``Range`` header, which urllib
does as well as any client, and it adds no dependency whose upgrade could change what we fetch.

A transfer that stops (connection lost, timeout, a body shorter than its ``Content-Length``) leaves
its bytes in ``<name>.part``; the next attempt, in this process or a later one, asks for the rest with
``Range: bytes=<have>-`` and ``If-Range`` (the server's ``ETag`` or ``Last-Modified`` when the part
began, kept beside it in ``<name>.part.json``), so a file that changed on the server starts over
instead of being spliced.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .. import __version__
from ..errors import FetchError

CHUNK = 1 << 20
#: HTTP statuses worth another try: the server or a proxy is busy or briefly broken.
TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}

#: Called with (bytes on disk, total bytes or None) as a transfer advances.
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Transfer:
    """A complete ``.part`` file: its size and SHA-256, and how it got there."""

    url: str
    part: Path
    bytes: int
    sha256: str
    resumed_from: int  # bytes already on disk when the last attempt began (0: a fresh download)
    requests: int
    last_modified: str | None


class _Retry(Exception):
    """A transient failure: worth another attempt, resuming from the bytes on disk."""


class _Unreachable(_Retry):
    """No connection at all (name not resolved, connection refused): offline or the wrong host.

    Retried only once a transfer has begun (a server restarting mid-download); on the first attempt
    the user hears at once rather than after every backoff."""


def host(url: str) -> str:
    return urlsplit(url).hostname or url


def _by_hand(url: str) -> str:
    return f"or download {url} by hand and run moneytrail load FILE"


def _sidecar(part: Path) -> Path:
    return part.with_name(part.name + ".json")


def _validator(part: Path, url: str) -> str | None:
    try:
        meta = json.loads(_sidecar(part).read_text())
    except (OSError, ValueError):
        return None
    return meta.get("validator") if meta.get("url") == url else None


def _content_range(value: str | None) -> tuple[int, int | None]:
    """Start and total of ``Content-Range: bytes START-END/TOTAL`` (TOTAL may be ``*``)."""
    match = re.fullmatch(r"bytes\s+(\d+)-\d+/(\d+|\*)", (value or "").strip())
    if not match:
        raise _Retry(f"the server answered 206 with an unreadable Content-Range {value!r}")
    total = match.group(2)
    return int(match.group(1)), None if total == "*" else int(total)


def _hash_of(part: Path) -> hashlib._Hash:
    digest = hashlib.sha256()
    with part.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest


class _Attempt:
    """One GET: from byte 0, or the rest of an existing ``.part``."""

    def __init__(self, url: str, part: Path, timeout: float, progress: Progress) -> None:
        self.url, self.part, self.timeout, self.progress = url, part, timeout, progress
        self.have = part.stat().st_size if part.exists() else 0
        self.last_modified: str | None = None

    def request(self) -> urllib.request.Request:
        headers = {"User-Agent": f"moneytrail/{__version__}", "Accept-Encoding": "identity"}
        validator = _validator(self.part, self.url) if self.have else None
        if self.have and validator:
            headers["Range"] = f"bytes={self.have}-"
            headers["If-Range"] = validator
        elif self.have:  # nothing to tell a changed file by: start over
            self.have = 0
        return urllib.request.Request(self.url, headers=headers)

    def run(self) -> tuple[int, hashlib._Hash, int]:
        """Write the body into the part; returns (bytes on disk, their SHA-256, bytes there before)."""
        try:
            response = urllib.request.urlopen(self.request(), timeout=self.timeout)
        except urllib.error.HTTPError as e:
            return self._refused(e)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
            reason = getattr(e, "reason", e)
            kind = _Unreachable if isinstance(reason, (socket.gaierror, ConnectionRefusedError)) else _Retry
            raise kind(f"cannot reach {host(self.url)}: {reason}") from None
        with response:
            return self._body(response)

    def _refused(self, e: urllib.error.HTTPError) -> tuple[int, hashlib._Hash, int]:
        e.close()
        if e.code == 416 and self.have:
            # The range starts at or past the end: either the part is complete, or stale and too long.
            match = re.fullmatch(r"bytes\s+\*/(\d+)", (e.headers.get("Content-Range") or "").strip())
            if match and int(match.group(1)) == self.have:
                return self.have, _hash_of(self.part), self.have
            self.part.unlink()
            raise _Retry(f"the partial download of {self.url} is longer than the file; starting over")
        if e.code in TRANSIENT_STATUS:
            raise _Retry(f"{host(self.url)} answered HTTP {e.code} {e.reason}")
        if e.code == 404:
            raise FetchError(f"{self.url}: not found (HTTP 404 from {host(self.url)}); check the cycle, file or "
                             f"filing number, {_by_hand(self.url)}")
        raise FetchError(f"{self.url}: {host(self.url)} answered HTTP {e.code} {e.reason}; try again later, "
                         f"{_by_hand(self.url)}")

    def _body(self, response: http.client.HTTPResponse) -> tuple[int, hashlib._Hash, int]:
        self.last_modified = response.headers.get("Last-Modified")
        if response.status == 206:
            start, total = _content_range(response.headers.get("Content-Range"))
            if start != self.have:
                self.part.unlink()
                raise _Retry(f"{host(self.url)} resumed at byte {start}, not {self.have}; starting over")
            digest, mode = _hash_of(self.part), "ab"
        else:  # 200: the whole file (the server ignored the range, or the file changed)
            length = response.headers.get("Content-Length")
            self.have, digest, mode = 0, hashlib.sha256(), "wb"
            total = int(length) if length and length.isdigit() else None
            validator = response.headers.get("ETag") or self.last_modified
            _sidecar(self.part).write_text(json.dumps({"url": self.url, "validator": validator}))
        done = self.have
        self.progress(done, total)
        with self.part.open(mode) as out:
            try:
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    self.progress(done, total)
            except (OSError, http.client.HTTPException) as e:
                raise _Retry(f"the connection to {host(self.url)} broke after {done:,} bytes ({e})") from None
        if total is not None and done != total:
            raise _Retry(f"{host(self.url)} sent {done:,} of {total:,} bytes of {self.url}")
        return done, digest, self.have


def download(url: str, part: Path, *, timeout: float, retries: int, backoff: float,
             progress: Progress | None = None, sleep: Callable[[float], None] = time.sleep) -> Transfer:
    """Fetch ``url`` into ``part``, resuming what is there; retries transient errors with backoff.

    Raises FetchError with a one-line message when the server refuses (404, 403, ...) or when the
    retries are spent; the bytes received so far stay in ``part`` for the next run to resume.
    """
    part.parent.mkdir(parents=True, exist_ok=True)
    report = progress or (lambda done, total: None)
    problem, tries = "", 0
    for attempt in range(retries + 1):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        step = _Attempt(url, part, timeout, report)
        try:
            size, digest, resumed = step.run()
        except _Retry as e:
            problem, tries = str(e), attempt + 1
            if isinstance(e, _Unreachable) and attempt == 0:
                break
            continue
        _sidecar(part).unlink(missing_ok=True)
        return Transfer(url, part, size, digest.hexdigest(), resumed, attempt + 1, step.last_modified)
    have = part.stat().st_size if part.exists() else 0
    kept = f"; {have:,} bytes are kept and the next run resumes from there" if have else ""
    after = f" (after {tries} tries)" if tries > 1 else ""
    raise FetchError(f"{problem}{after}{kept}; check your connection and run the command again, {_by_hand(url)}")
