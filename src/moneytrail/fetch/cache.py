"""The download cache: verified files, and a manifest of where each came from.

``<cache>/manifest.json`` holds one entry per file, by its path inside the cache: the URL it came
from, when it arrived (UTC), its size, its SHA-256, and the server's ``Last-Modified``. A file whose
entry matches it on disk (size and modification time) is not downloaded again; ``refresh`` fetches
the current version anyway (the FEC rebuilds its bulk files as new reports arrive).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import settings
from ..errors import FetchError, MoneytrailError
from .http import download

MANIFEST = "manifest.json"

#: Raises a MoneytrailError when a downloaded file is not what it should be (a zip that fails its
#: CRC check, a filing without its header ...).
Check = Callable[[Path], None]
#: Called with (path inside the cache, bytes on disk, total bytes or None) as a download advances.
FileProgress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class Fetched:
    """One file in the cache, and what this fetch did to get it."""

    key: str  # path inside the cache: fec-bulk/2024/indiv24.zip
    path: Path
    url: str
    fetched_at: str
    bytes: int
    sha256: str
    last_modified: str | None
    status: str  # downloaded | resumed | cached

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "path": str(self.path)}


def root(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The cache folder: the explicit path, else MONEYTRAIL_CACHE, else ~/.cache/moneytrail."""
    return Path(explicit if explicit is not None else settings.get("cache")).expanduser()


def _read(folder: Path) -> dict[str, dict[str, object]]:
    try:
        return json.loads((folder / MANIFEST).read_text())["files"]
    except FileNotFoundError:
        return {}
    except (ValueError, KeyError, TypeError):
        raise FetchError(f"{folder / MANIFEST} is damaged; delete it (files are then downloaded again)") from None


def _write(folder: Path, key: str, entry: dict[str, object]) -> None:
    files = _read(folder)  # read again: another fetch may have added entries since
    files[key] = entry
    tmp = folder / f"{MANIFEST}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"files": dict(sorted(files.items()))}, indent=1) + "\n")
    tmp.replace(folder / MANIFEST)


def manifest(cache: str | os.PathLike[str] | None = None) -> dict[str, dict[str, object]]:
    """Every entry of the cache's manifest, by path inside the cache."""
    return _read(root(cache))


def _cached(folder: Path, key: str, url: str) -> Fetched | None:
    entry, path = _read(folder).get(key), folder / key
    if not entry or entry.get("url") != url or not path.is_file():
        return None
    stat = path.stat()
    if stat.st_size != entry["bytes"] or stat.st_mtime_ns != entry["mtime_ns"]:
        return None  # changed since it was verified: fetch it again
    return Fetched(key, path, url, str(entry["fetched_at"]), stat.st_size, str(entry["sha256"]),
                   entry.get("last_modified"), "cached")  # type: ignore[arg-type]


def fetch(url: str, key: str, check: Check, *, cache: str | os.PathLike[str] | None = None,
          refresh: bool = False, progress: FileProgress | None = None) -> Fetched:
    """``url`` as a verified file at ``<cache>/<key>``: from the cache when it is there, else downloaded.

    The download goes to ``<key>.part`` (resumed when a part is there), is checked for size and then
    by ``check``; only a file that passes replaces the cached one and enters the manifest. A file
    that fails is deleted and the error says so.
    """
    folder = root(cache)
    if not refresh and (hit := _cached(folder, key, url)) is not None:
        return hit
    path = folder / key
    part = path.with_name(path.name + ".part")
    transfer = download(url, part, timeout=float(settings.get("fetch_timeout")),
                        retries=int(settings.get("fetch_retries")), backoff=float(settings.get("fetch_backoff")),
                        progress=(lambda done, total: progress(key, done, total)) if progress else None)
    try:
        check(part)
    except MoneytrailError as e:
        part.unlink(missing_ok=True)
        raise FetchError(f"{url} arrived complete ({transfer.bytes:,} bytes) but is not valid: {e}; it was deleted, "
                         "nothing was loaded: run the command again to download it afresh") from None
    part.replace(path)
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    entry = {"url": url, "fetched_at": fetched_at, "bytes": transfer.bytes, "sha256": transfer.sha256,
             "last_modified": transfer.last_modified, "mtime_ns": path.stat().st_mtime_ns}
    _write(folder, key, entry)
    status = "resumed" if transfer.resumed_from else "downloaded"
    return Fetched(key, path, url, fetched_at, transfer.bytes, transfer.sha256, transfer.last_modified, status)
