"""Load files into the store: detect, stage as Parquet, drop rows already present, commit atomically.

One call to :func:`load` is one transaction: either every file it names is in the store afterwards,
or (on an error or Ctrl-C) the store is exactly as before. Loading a file a second time adds nothing.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from . import settings
from .errors import InputError, MoneytrailError
from .sources import Reader, detect
from .sources.files import Fingerprint, Input, expand, fingerprint
from .sources.lines import readable_copy
from .store import Store
from .store.schema import TABLES
from .store.views import define, refresh


@dataclass
class FileReport:
    """What one load did with one file."""

    source_file: str
    origin: str
    file_kind: str | None = None
    target: str | None = None
    cycle: int | None = None
    bytes: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_new: int = 0
    rows_already_loaded: int = 0
    rows_rejected: int = 0
    status: str = "loaded"  # loaded | already loaded | skipped | refused
    note: str = ""


@dataclass
class LoadReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def refused(self) -> list[FileReport]:
        return [f for f in self.files if f.status == "refused"]

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    def as_dict(self) -> dict[str, object]:
        return {"rows_read": self.rows_read, "rows_loaded": self.rows_loaded,
                "rows_rejected": self.rows_rejected, "files": [asdict(f) for f in self.files]}


Progress = Callable[[str, Input | None, int], None]


def _batch_id(digest: str) -> str:
    # Sortable by time, unique per file: later loads of the same table sort later.
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{digest[:12]}-{uuid.uuid4().hex[:6]}"


def _num_rows(path: Path) -> int:
    return pq.read_metadata(path).num_rows if path.exists() else 0


def _good(frame: pl.LazyFrame) -> pl.LazyFrame:
    return frame.filter(pl.col("reject_reason").is_null()).drop("reject_reason", "raw")


def _rejects(frames: dict[str, pl.LazyFrame], batch_id: str, source: str) -> pl.LazyFrame:
    return pl.concat([
        frame.filter(pl.col("reject_reason").is_not_null()).select(
            pl.lit(batch_id).alias("batch_id"), pl.lit(source).alias("source"), pl.col("source_file"),
            pl.col("source_line"), pl.col("reject_reason").alias("reason"), pl.col("raw"))
        for frame in frames.values()])


def _sink(reader: Reader, path: Path, item: Input, out: Path, batch_id: str, cycle: int | None,
          lines: Callable[[], int], quick: dict[str, pl.LazyFrame] | None = None) -> tuple[dict[str, Path], Path]:
    """Write good rows per target (from the reader's ``quick`` frames when given), then (only when some
    lines are missing) the rejected rows."""
    frames = reader.frames(path, item.name, batch_id, cycle)
    good = quick or frames
    records = {target: out / f"{target}-{batch_id}.parquet" for target in frames}
    # zstd level 1: on FEC rows 7% smaller than the default level and no slower to write (docs/benchmarks.md).
    # A reader may add writer options (``parquet_options``) and settings held while its frames run (``running``).
    options = {"compression_level": 1, **getattr(reader, "parquet_options", {})}
    with getattr(reader, "running", nullcontext)():
        pl.collect_all([_good(good[t]).sink_parquet(records[t], lazy=True, **options) for t in frames])
        rejects = out / f"rejected_rows-{batch_id}.parquet"
        # The common case has no bad line: skip the second pass when every line became a row.
        if sum(_num_rows(p) for p in records.values()) != lines():
            _rejects(frames, batch_id, reader.source).sink_parquet(rejects)
    if (finish := getattr(reader, "finish", None)) is not None:  # a reader's step on its staged files
        finish(records, rejects)
    return records, rejects


def _stage(reader: Reader, item: Input, staging: Path, batch_id: str, cycle: int | None,
           counted: Callable[[], Fingerprint], header_lines: int) -> tuple[dict[str, Path], Path]:
    def lines() -> int:  # a header line (CSV files) is read but is not a row
        return counted().lines - header_lines

    offer = getattr(reader, "quick_frames", None)
    quick = offer(item.path, item.name, batch_id, cycle) if offer is not None else None
    if quick is not None:
        try:
            staged = _sink(reader, item.path, item, staging, batch_id, cycle, lines, quick)
            if not counted().unit_separator:
                return staged
        except (pl.exceptions.ComputeError, pl.exceptions.SchemaError):
            pass  # a line with more fields than the layout, or bytes that are not UTF-8: the line reader says which
        _clear(staging, batch_id)
    try:
        return _sink(reader, item.path, item, staging, batch_id, cycle, lines)
    except (pl.exceptions.ComputeError, pl.exceptions.SchemaError):
        # Latin-1 bytes or a stray control character: read a cleaned UTF-8 copy instead.
        _clear(staging, batch_id)
        copy = readable_copy(item.path, staging / "utf8")
        return _sink(reader, copy, item, staging, batch_id, cycle, lines)


def _clear(staging: Path, batch_id: str) -> None:
    """Remove what an attempt to stage a file left, before the next attempt."""
    for path in staging.glob(f"*-{batch_id}.parquet"):
        path.unlink()


class _Loader:
    def __init__(self, store: Store, cycle: int | None, progress: Progress | None) -> None:
        self.store, self.cycle, self.progress = store, cycle, progress or (lambda *a: None)
        self.staging = store.staging() / uuid.uuid4().hex
        self.staging.mkdir(parents=True)
        self.pending: list[tuple[dict[str, object], dict[str, Path], Path | None]] = []
        self.seen_hashes = {h for (h,) in store.rows("SELECT sha256 FROM loads")}
        self.seen_sizes = {n for (n,) in store.rows("SELECT bytes FROM loads")}
        self.pool = ThreadPoolExecutor(max_workers=1)

    def known_txn_files(self) -> list[str]:
        staged = [str(records["transactions"]) for _, records, _ in self.pending if "transactions" in records]
        return [str(p) for p in self.store.files("transactions")] + staged

    def dedupe(self, path: Path, id_column: str | None = None) -> int:
        """Drop rows whose txn_id is already in the store, in this load, or earlier in the same file.

        ``id_column``: an integer column that each row's txn_id determines (FEC bulk: ``sub_id``); when
        it is distinct on every row, so are the ids."""
        con, staged = self.store.con, f"read_parquet('{path}')"
        known = self.known_txn_files()
        total = distinct = -1
        if id_column is not None:
            # Distinct integers (null counted as one value) prove the ids distinct for less than half the
            # work of hashing the strings: 1.3 s of CPU for 11.4M rows, within the load's memory limit.
            ((total, distinct),) = con.execute(
                f"SELECT count(*), count(DISTINCT {id_column}) + (count(*) > count({id_column}))::INT FROM {staged}"
            ).fetchall()
        if distinct != total:
            # Distinct 64-bit hashes of the ids prove the ids distinct, for less work than comparing strings;
            # fewer hashes than rows (a duplicate or a collision) are settled by counting the ids themselves.
            ((total, distinct),) = con.execute(
                f"SELECT count(*), count(DISTINCT hash(txn_id)) FILTER (WHERE txn_id IS NOT NULL) FROM {staged}"
            ).fetchall()
        if distinct != total:
            ((distinct,),) = con.execute(f"SELECT count(DISTINCT txn_id) FROM {staged}").fetchall()
        overlap = 0
        if known:
            files = ", ".join(f"'{f}'" for f in known)
            ((overlap,),) = con.execute(
                f"SELECT count(*) FROM {staged} WHERE txn_id IN (SELECT txn_id FROM read_parquet([{files}]))"
            ).fetchall()
        if total == distinct and overlap == 0:
            return 0
        kept = path.with_suffix(".dedup.parquet")
        where = f"WHERE txn_id NOT IN (SELECT txn_id FROM read_parquet([{files}]))" if overlap else ""
        con.execute(f"""COPY (SELECT * FROM {staged} {where}
                     QUALIFY row_number() OVER (PARTITION BY txn_id ORDER BY source_line) = 1
                     ORDER BY source_line) TO '{kept}' (FORMAT parquet, COMPRESSION zstd)""")
        kept.replace(path)
        return total - _num_rows(path)

    def add(self, item: Input) -> FileReport:
        report = FileReport(item.name, item.origin, bytes=item.size)
        reader = detect(item.path, item.name)
        if reader is None:
            if item.explicit:
                raise InputError(f"{item.origin}: not a file moneytrail recognizes (FEC bulk files: itcont, "
                                 "itoth, itpas2, oppexp, cm, cn, ccl, webk, weball, webl, independent_expenditure; "
                                 "FEC electronic filings: NNNNNNN.fec)")
            report.status, report.note = "skipped", "not a recognized record file"
            return report
        report.file_kind = reader.file_kind
        report.cycle = self.cycle or reader.cycle(item.origin)
        if item.size in self.seen_sizes:
            # Possibly a file loaded before: hash first, so a repeat costs one read and adds nothing.
            hashing: Future[Fingerprint] = Future()
            hashing.set_result(fingerprint(item.path))
        else:
            # Hash while the file is staged: both read it once, on separate cores.
            hashing = self.pool.submit(fingerprint, item.path)
        if hashing.done() and hashing.result().sha256 in self.seen_hashes:
            report.status, report.note = "already loaded", "the same file was loaded before; nothing added"
            return report
        batch_id = _batch_id(uuid.uuid4().hex)
        header_lines = getattr(reader, "header_lines", 0)
        self.progress("stage", item, 0)
        records, rejects = _stage(reader, item, self.staging, batch_id, report.cycle, hashing.result, header_lines)
        digest, lines = hashing.result().sha256, hashing.result().lines - header_lines
        if digest in self.seen_hashes:
            report.status, report.note = "already loaded", "the same file was loaded before; nothing added"
            return report
        self.seen_hashes.add(digest)
        self.seen_sizes.add(item.size)
        report.rows_rejected = _num_rows(rejects)
        report.target = ",".join(records)
        for target, path in records.items():
            loaded = _num_rows(path)
            duplicates = self.dedupe(path, getattr(reader, "id_column", None)) if target == "transactions" else 0
            report.rows_loaded += loaded
            report.rows_already_loaded += duplicates
            report.rows_new += loaded - duplicates
        report.rows_read = lines
        if report.rows_read != report.rows_loaded + report.rows_rejected:
            raise MoneytrailError(
                f"{item.origin}: {lines} lines read but {report.rows_loaded} loaded and {report.rows_rejected} "
                "rejected; nothing was loaded. Please report this file to the moneytrail maintainers")
        row = {"batch_id": batch_id, "source": reader.source, "file_kind": reader.file_kind,
               "origin": item.origin, "source_file": item.name, "sha256": digest, "cycle": report.cycle,
               "bytes": item.size, **{k: getattr(report, k) for k in
                                      ("rows_read", "rows_loaded", "rows_new", "rows_already_loaded",
                                       "rows_rejected")}}
        self.pending.append((row, records, rejects if report.rows_rejected else None))
        self.progress("staged", item, item.size)
        return report

    def commit(self) -> None:
        """Move the staged files into records/ and log them, all or nothing."""
        moved: list[Path] = []
        try:
            with self.store.transaction() as con:
                for row, records, rejects in self.pending:
                    columns = ", ".join(f"? AS {k}" for k in row)
                    con.execute(f"INSERT INTO loads BY NAME SELECT now() AS loaded_at, {columns}", list(row.values()))
                    targets = dict(records)
                    if rejects is not None:
                        targets["rejected_rows"] = rejects
                    for target, path in targets.items():
                        rows = _num_rows(path)
                        if rows:
                            rel = self._move(path, target, row["batch_id"], moved)
                            con.execute("INSERT INTO record_files VALUES (?, ?, ?, ?)",
                                        [row["batch_id"], target, rel, rows])
                define(self.store)
                refresh(self.store, [str(row["batch_id"]) for row, _, _ in self.pending])
        except BaseException:
            for path in moved:
                path.unlink(missing_ok=True)
            raise

    def _move(self, path: Path, target: str, batch_id: object, moved: list[Path]) -> str:
        rel = Path("records") / target / f"{batch_id}.parquet"
        dest = self.store.root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, dest)
        moved.append(dest)
        return str(rel)


def load(store: Store, paths: list[Path], *, cycle: int | None = None,
         progress: Progress | None = None) -> LoadReport:
    """Load every record file under ``paths`` (files, folders, zips) into ``store``, atomically.

    A file named in ``paths`` that cannot be read stops the load and leaves the store as it was. A
    broken file found inside a named folder is refused on its own (``FileReport.status`` "refused",
    the reason in ``note``) and the other files load.
    """
    if store.read_only:
        raise InputError("the store is open read-only; open it for writing to load")
    report = LoadReport()
    loader = _Loader(store, cycle, progress)
    # DuckDB's part of a load (duplicate check, amendments) spills to disk past its own limit, so that a
    # load's memory stays flat whatever the file size; measured no slower than a larger limit.
    try:
        with store.memory_limit(settings.get("load_memory_limit")):
            for item in expand([Path(p) for p in paths], loader.staging):
                try:
                    report.files.append(loader.add(item))
                except InputError as e:
                    if item.explicit:  # a file the user named must load, or nothing does
                        raise
                    # A broken file found in a folder is refused on its own; the others still load.
                    report.files.append(FileReport(item.name, item.origin, bytes=item.size, status="refused",
                                                   note=str(e)))
            if loader.pending:
                loader.commit()
    finally:
        loader.pool.shutdown()
        shutil.rmtree(loader.staging, ignore_errors=True)
    if not report.files:
        raise InputError(f"nothing to load under {', '.join(map(str, paths))}: no record files found")
    return report


__all__ = ["FileReport", "LoadReport", "TABLES", "load"]
