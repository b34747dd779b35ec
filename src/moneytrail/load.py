"""Load files into the store: detect, stage as Parquet, drop rows already present, commit atomically.

One call to :func:`load` is one transaction: either every file it names is in the store afterwards,
or (on an error or Ctrl-C) the store is exactly as before. Loading a file a second time adds nothing.

A transaction read twice (the same ``txn_id``: itpas2 repeats itoth rows, with the same SUB_ID, and adds
CAND_ID) is stored once. A load reads itpas2 files first, so that the row it stores carries the candidate
id; an itpas2 row whose transaction an earlier load stored without one has its candidate id kept in the
``transaction_candidate_ids`` record table, which the ``transactions`` view joins in.
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
from .sources import Reader, detect, fec_bulk
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
    #: Rows added to the store. Each other good row has the txn_id of a row stored before (for FEC bulk
    #: rows, the same SUB_ID): rows_loaded = rows_new + rows_already_loaded + rows_also_in_load
    #: + rows_repeated_in_file.
    rows_new: int = 0
    #: Rows whose txn_id an earlier load stored.
    rows_already_loaded: int = 0
    #: Rows whose txn_id an earlier file of this load holds (named in ``also_in``).
    rows_also_in_load: int = 0
    #: Rows whose txn_id an earlier line of the same file holds.
    rows_repeated_in_file: int = 0
    rows_rejected: int = 0
    also_in: list[str] = field(default_factory=list)
    #: Candidate ids of this file's rows whose transaction was stored without one (from another file),
    #: kept in the transaction_candidate_ids table.
    candidate_ids_kept: int = 0
    #: What became of the rows that were not new, in words ("" when every row was new).
    repeats: str = ""
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

#: The record table of candidate ids kept for transactions stored without one (store/schema.py).
CANDIDATE_IDS = "transaction_candidate_ids"


@dataclass
class _Repeats:
    """Rows of one staged file that are not stored, because a row with their txn_id is."""

    in_store: int = 0  # stored by an earlier load
    in_load: int = 0  # staged from an earlier file of this load
    in_file: int = 0  # on an earlier line of the same file
    files: list[str] = field(default_factory=list)  # the earlier files of this load
    candidate_ids: Path | None = None  # their candidate ids that the stored rows lack (staged)


def _files_sql(files: list[str]) -> str:
    return "read_parquet([" + ", ".join(f"'{f}'" for f in files) + "])"


def _in_words(report: FileReport, id_name: str) -> str:
    """What became of a file's rows that were not new: "3,159 also in itpas2.txt (same SUB_ID): stored once"."""
    parts = []
    if report.rows_already_loaded:
        parts.append(f"{report.rows_already_loaded:,} already in the store")
    if report.rows_also_in_load:
        parts.append(f"{report.rows_also_in_load:,} also in {', '.join(report.also_in)}")
    if report.rows_repeated_in_file:
        parts.append(f"{report.rows_repeated_in_file:,} repeated in the file")
    if not parts:
        return ""
    outcomes = ["stored once"] if report.rows_also_in_load or report.rows_repeated_in_file else []
    if report.candidate_ids_kept:
        outcomes.append(f"{report.candidate_ids_kept:,} candidate ids kept")
    return "; ".join(parts) + f" (same {id_name})" + (": " + ", ".join(outcomes) if outcomes else "")


def _adds_candidate_ids(item: Input) -> bool:
    """Whether ``item`` is an FEC bulk transaction file with CAND_ID (itpas2), read first in a load."""
    try:
        layout = fec_bulk.detect(item.path, item.name)
    except InputError:
        return False  # reported when the file itself is read
    return layout is not None and layout.kind == "transactions" and "CAND_ID" in layout.columns


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

    def stored_and_staged(self, target: str) -> tuple[list[str], list[str]]:
        """Record files of ``target``: those of earlier loads, and those this load has staged."""
        staged = [str(records[target]) for _, records, _ in self.pending if target in records]
        return [str(p) for p in self.store.files(target)], staged

    def dedupe(self, path: Path, batch_id: str, id_column: str | None = None) -> _Repeats:
        """Drop rows whose txn_id is already in the store, in this load, or earlier in the same file.

        ``id_column``: an integer column that each row's txn_id determines (FEC bulk: ``sub_id``); when
        it is distinct on every row, so are the ids. A dropped row's candidate id that the stored row
        lacks is staged for the transaction_candidate_ids table (``_Repeats.candidate_ids``)."""
        con, staged = self.store.con, f"read_parquet('{path}')"
        stored, earlier = self.stored_and_staged("transactions")
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
        found = _Repeats()
        # The files of earlier loads and those staged by this one hold no txn_id in common (each staged
        # file is checked against both), so a row is counted in one of the two at most.
        counts = [f"count(*) FILTER (WHERE txn_id IN (SELECT txn_id FROM {_files_sql(files)}))"
                  for files in (stored, earlier) if files]
        if counts:
            ((*overlaps,),) = con.execute(f"SELECT {', '.join(counts)} FROM {staged}").fetchall()
            found.in_store = overlaps.pop(0) if stored else 0
            found.in_load = overlaps.pop(0) if earlier else 0
        if total == distinct and found.in_store + found.in_load == 0:
            return found
        known = _files_sql(stored + earlier)
        if found.in_load:
            found.files = [name for (name,) in con.execute(
                f"SELECT DISTINCT source_file FROM {_files_sql(earlier)} "
                f"WHERE txn_id IN (SELECT txn_id FROM {staged}) ORDER BY 1").fetchall()]
        if found.in_store + found.in_load:
            found.candidate_ids = self._candidate_ids(path, batch_id, known)
        kept = path.with_suffix(".dedup.parquet")
        where = f"WHERE txn_id NOT IN (SELECT txn_id FROM {known})" if found.in_store + found.in_load else ""
        con.execute(f"""COPY (SELECT * FROM {staged} {where}
                     QUALIFY row_number() OVER (PARTITION BY txn_id ORDER BY source_line) = 1
                     ORDER BY source_line) TO '{kept}' (FORMAT parquet, COMPRESSION zstd)""")
        kept.replace(path)
        found.in_file = total - _num_rows(path) - found.in_store - found.in_load
        return found

    def _candidate_ids(self, path: Path, batch_id: str, known: str) -> Path | None:
        """Stage the candidate ids of ``path``'s rows whose txn_id is stored (or staged) without one and not
        yet kept: itpas2 read after itoth. None when there are none."""
        con, staged = self.store.con, f"read_parquet('{path}')"
        ((named,),) = con.execute(f"SELECT count(candidate_id) FROM {staged}").fetchall()
        if not named:
            return None
        kept_before = [f for files in self.stored_and_staged(CANDIDATE_IDS) for f in files]
        not_kept = f"AND txn_id NOT IN (SELECT txn_id FROM {_files_sql(kept_before)})" if kept_before else ""
        out = path.parent / f"{CANDIDATE_IDS}-{batch_id}.parquet"
        con.execute(f"""COPY (SELECT {', '.join(c.name for c in TABLES[CANDIDATE_IDS])} FROM {staged}
                     WHERE candidate_id IS NOT NULL
                       AND txn_id IN (SELECT txn_id FROM {known} WHERE candidate_id IS NULL) {not_kept}
                     QUALIFY row_number() OVER (PARTITION BY txn_id ORDER BY source_line) = 1
                     ORDER BY source_line) TO '{out}' (FORMAT parquet, COMPRESSION zstd)""")
        if _num_rows(out):
            return out
        out.unlink()
        return None

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
        id_column = getattr(reader, "id_column", None)
        for target, path in list(records.items()):
            loaded = _num_rows(path)
            found = self.dedupe(path, batch_id, id_column) if target == "transactions" else _Repeats()
            report.rows_loaded += loaded
            report.rows_already_loaded += found.in_store
            report.rows_also_in_load += found.in_load
            report.rows_repeated_in_file += found.in_file
            report.also_in += found.files
            report.rows_new += loaded - found.in_store - found.in_load - found.in_file
            if found.candidate_ids is not None:  # committed with the file's rows, as a record of its own
                records[CANDIDATE_IDS] = found.candidate_ids
                report.candidate_ids_kept = _num_rows(found.candidate_ids)
        report.repeats = _in_words(report, "SUB_ID" if id_column == "sub_id" else "txn_id")
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
            items = list(expand([Path(p) for p in paths], loader.staging))
            # itpas2 files first: of two rows with one SUB_ID, the one stored is the one with CAND_ID.
            # The report lists the files in the order they were named.
            done: dict[int, FileReport] = {}
            for i in sorted(range(len(items)), key=lambda i: not _adds_candidate_ids(items[i])):
                item = items[i]
                try:
                    done[i] = loader.add(item)
                except InputError as e:
                    if item.explicit:  # a file the user named must load, or nothing does
                        raise
                    # A broken file found in a folder is refused on its own; the others still load.
                    done[i] = FileReport(item.name, item.origin, bytes=item.size, status="refused", note=str(e))
            report.files = [done[i] for i in sorted(done)]
            if loader.pending:
                loader.commit()
    finally:
        loader.pool.shutdown()
        shutil.rmtree(loader.staging, ignore_errors=True)
    if not report.files:
        raise InputError(f"nothing to load under {', '.join(map(str, paths))}: no record files found")
    return report


__all__ = ["FileReport", "LoadReport", "TABLES", "load"]
