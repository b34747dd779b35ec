"""Turn what a user names (files, folders, zip archives) into inputs a reader can parse.

Archives are opened member by member into the load's staging folder, so a loader always reads a
plain file; nothing outside the staging folder is written.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

#: Files that travel with FEC downloads but hold no records.
IGNORED_NAMES = ("*_header_file.csv", "*header*.csv", "SOURCE.txt", "README*", "readme*", "*.md", ".*")
CHUNK = 1 << 24


@dataclass(frozen=True)
class Input:
    """One file to load. ``path`` is readable on disk; ``name`` is how citations refer to it."""

    path: Path
    name: str
    origin: str
    explicit: bool

    @property
    def size(self) -> int:
        return self.path.stat().st_size


#: A byte that does not occur in campaign-finance text: the line reader splits on it (``lines.py``).
UNIT_SEPARATOR = b"\x1f"


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    lines: int
    #: Whether the file holds :data:`UNIT_SEPARATOR` anywhere (such files are read from a cleaned copy).
    unit_separator: bool = False


#: Read size of :func:`fingerprint`: one reused buffer that stays in the CPU cache between hashing and
#: counting; 27% less CPU than reading 16 MiB chunks (docs/benchmarks.md).
FINGERPRINT_CHUNK = 1 << 20


def fingerprint(path: Path) -> Fingerprint:
    """SHA-256 of the file, its number of lines (a last line without a newline counts) and whether it holds
    :data:`UNIT_SEPARATOR`, in one pass."""
    digest, lines, last, separator = hashlib.sha256(), 0, ord("\n"), False
    buffer = bytearray(FINGERPRINT_CHUNK)
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as f:
        while n := f.readinto(buffer):
            digest.update(view[:n])
            lines += buffer.count(b"\n", 0, n)
            separator = separator or buffer.find(UNIT_SEPARATOR, 0, n) >= 0
            last = buffer[n - 1]
    return Fingerprint(digest.hexdigest(), lines + (0 if last == ord("\n") else 1), separator)


def is_ignored(path: Path) -> bool:
    return any(path.match(pattern) for pattern in IGNORED_NAMES)


def expand(paths: list[Path], staging: Path) -> Iterator[Input]:
    """Every loadable file under ``paths``; zip members are extracted into ``staging``."""
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not is_ignored(p)):
                yield from _one(child, staging, explicit=False)
        else:
            yield from _one(path, staging, explicit=True)


def _one(path: Path, staging: Path, explicit: bool) -> Iterator[Input]:
    if path.suffix.lower() == ".zip":
        yield from _unzip(path, staging)
    else:
        yield Input(path, path.name, str(path), explicit)


def _unzip(path: Path, staging: Path) -> Iterator[Input]:
    try:
        archive = zipfile.ZipFile(path)
        bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as e:
        raise InputError(f"{path}: not a readable zip archive ({e}); download it again") from None
    if bad is not None:
        raise InputError(f"{path}: member {bad} is corrupt (CRC mismatch); download the archive again")
    target = staging / "unzipped" / hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    with archive:
        for info in archive.infolist():
            member = Path(info.filename)
            if info.is_dir() or is_ignored(member):
                continue
            out = target / member.name
            out.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(info) as src, out.open("wb") as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
            except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as e:
                raise InputError(f"{path}: member {info.filename} cannot be read ({e}); download it again") from None
            yield Input(out, member.name, f"{path}!{info.filename}", explicit=False)


def to_utf8(src: Path, dst: Path, separator: bytes) -> Path:
    """Copy ``src`` to ``dst`` as UTF-8: lines that are not valid UTF-8 are read as Latin-1 (the FEC's
    legacy encoding, in which every byte is a character), and the byte ``separator`` that the line
    reader uses internally is replaced by a space. Returns ``dst``."""
    with src.open("rb") as f, dst.open("wb") as out:
        for line in f:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                line = line.decode("latin-1").encode("utf-8")
            out.write(line.replace(separator, b" "))
    return dst
