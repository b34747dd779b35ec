"""The lines of one FEC electronic filing as lazy frames: transactions, the filing's cover, other lines.

Every line of the file becomes exactly one row: an itemization (Schedules A-F, H4, H6 and the
itemized lines of Forms 5, 6, 7, 9 and 13) a row of ``transactions``; the cover record the row of
``filings``; every other line (header, summary pages, loan terms, text records, F99 text, blank
lines) a row of ``filing_lines``; a line whose record type no FEC layout knows, or whose amount is
not an amount, a row of ``rejected_rows`` with its reason and raw text.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from ..store.schema import MONEY, polars_schema
from . import fec_efile_layouts as layouts
from .fec_bulk import MONEY_PATTERN
from .fec_efile import FS, SOURCE, Filing, decode, split
from .lines import scan_lines

#: Fields copied into their own transactions column (the rest of each line goes to ``extra``).
VERBATIM = ("form_type", "filer_committee_id_number", "transaction_id", "back_reference_tran_id", "entity_type",
            "election_code", "memo_code", "memo_text")
NONE = pl.lit(None, pl.String)


#: Padding around a field (spaces, tabs, quotes), matched where it touches a separator or the line's ends; the
#: separator is kept (groups 1 and 2). Removed from the whole line before it is split, it leaves every field
#: as ``str.strip(' \t"')`` would: one pass over the line (which finds nothing on most lines) costs less than
#: stripping each field after the split, which copied every field and was a fifth of the reader's time.
PADDING = r'[ \t"]+(\x1c)[ \t"]*|(\x1c)[ \t"]+|^[ \t"]+|[ \t"]+$'
STRIP = ' \t"'


def _clean(value: pl.Expr) -> pl.Expr:
    value = value.str.strip_chars(STRIP)
    return pl.when(value == "").then(None).otherwise(value)


def _field(i: int) -> pl.Expr:
    """Field ``i`` of the line (``_p`` holds the fields stripped already), empty as null."""
    value = pl.col("_p").list.get(i, null_on_oob=True)
    return pl.when(value == "").then(None).otherwise(value)


def _split(raw: pl.Expr) -> pl.Expr:
    """The stripped fields of a 0x1C-separated line."""
    return raw.str.replace_all(PADDING, "${1}${2}").str.split(FS)


def _streamed(filing: Filing) -> bool:
    return filing.delimiter == FS and filing.cover_table != "F99"


def read_lines(path: Path, filing: Filing) -> pl.LazyFrame:
    """Columns ``source_line``, ``raw`` (the line as read), ``_p`` (its fields, stripped), ``block``, and for
    legacy files ``_parts`` (the fields as split, before stripping).

    Files with 0x1C separators are scanned by Polars, streaming; legacy comma-separated files and
    F99 filings (whose free text spans lines between ``[BEGINTEXT]`` and ``[ENDTEXT]``) are small and
    read here line by line."""
    if _streamed(filing):
        return scan_lines(path).with_columns(_split(pl.col("raw")).alias("_p"), NONE.alias("block"))
    data = path.read_bytes()
    raws = [decode(b).rstrip("\r") for b in data.split(b"\n")]
    if data.endswith(b"\n"):
        raws.pop()
    parts, blocks, in_text = [], [], False
    for i, raw in enumerate(raws):
        upper = raw.strip().upper()
        block = None
        if i < filing.header_lines and filing.header_lines > 1:
            block = "header block"
        elif upper.startswith("[BEGINTEXT]") or in_text:
            block, in_text = "text", not upper.startswith("[ENDTEXT]")
        blocks.append(block)
        parts.append(split(raw, filing.delimiter) if block is None else [raw])
    return _legacy_frame(pl.Series(range(1, len(raws) + 1), dtype=pl.Int64), raws, parts, blocks)


def _legacy_frame(source_line: pl.Series, raws: list[str], parts: list[list[str]],
                  blocks: list[str | None]) -> pl.LazyFrame:
    fields = [[v.strip(STRIP) for v in p] for p in parts]
    return pl.LazyFrame({"source_line": source_line, "raw": raws, "_p": pl.Series(fields, dtype=pl.List(pl.String)),
                         "_parts": pl.Series(parts, dtype=pl.List(pl.String)), "block": blocks},
                        schema_overrides={"block": pl.String})


def _table_expr(token: pl.Expr) -> pl.Expr:
    # Line by line: a mapping (replace_strict) would be a whole-column step that stops the scan streaming.
    forms = layouts.form_tokens()
    same = [token for token, table in forms.items() if table == token]
    suffixed = [token for token, table in forms.items() if table == token[:-1]]
    assert len(same) + len(suffixed) == len(forms)
    expr = pl.when(token.is_in(same)).then(token).when(token.is_in(suffixed)).then(token.str.head(-1))
    for prefix, table in layouts.prefixes():
        expr = expr.when(token.str.starts_with(prefix)).then(pl.lit(table))
    return expr.otherwise(NONE)


def classify(lines: pl.LazyFrame, filing: Filing) -> pl.LazyFrame:
    """Add ``token`` (record type), ``table`` and ``target`` to every line."""
    token = _clean(pl.col("_p").list.get(0, null_on_oob=True)).str.to_uppercase()
    txn = layouts.transaction_tables()
    target = (
        pl.when(pl.col("source_line") == filing.cover_line).then(pl.lit("filings"))
        .when(pl.col("table").is_in(txn) & pl.col("block").is_null()).then(pl.lit("transactions"))
        .otherwise(pl.lit("filing_lines"))
    )
    return lines.with_columns(token.alias("token")).with_columns(_table_expr(pl.col("token")).alias("table")) \
        .with_columns(target.alias("target"))


STRING = pl.String()


def _by_table(tables: list[str], build: Callable[[str], pl.Expr | None], dtype: pl.DataType = STRING) -> pl.Expr:
    """One expression choosing, line by line, the expression ``build(table)`` of the line's table.

    Polars computes every branch of a ``when`` on every line, so tables with the same expression (the
    same field position) share one branch."""
    branches: list[tuple[pl.Expr, list[str]]] = []
    for table in tables:
        value = build(table)
        if value is None:
            continue
        same = next((b for b in branches if b[0].meta.eq(value)), None)
        if same is None:
            branches.append((value, [table]))
        else:
            same[1].append(table)
    expr = None
    for value, group in branches:
        test = pl.col("table") == group[0] if len(group) == 1 else pl.col("table").is_in(group)
        expr = (pl.when(test) if expr is None else expr.when(test)).then(value)
    return pl.lit(None, dtype) if expr is None else expr.otherwise(pl.lit(None, dtype))


def _name(pos: dict[str, int], party: str | None) -> pl.Expr | None:
    """``LAST, FIRST MIDDLE SUFFIX`` for people, the organization name otherwise (as the bulk files have it)."""
    if party is None:
        return None
    parts = ("organization_name", "last_name", "first_name", "middle_name", "suffix", "name")
    get = {part: _field(pos[f"{party}_{part}"]) for part in parts if f"{party}_{part}" in pos}
    if "name" in get:  # formats 2.x-5.x: one name field, LAST^FIRST with the header's name delimiter
        name = get["name"].str.replace("^", ", ", literal=True, n=1).str.replace_all("^", " ", literal=True)
        return name.str.replace_all(r"\s+", " ").str.strip_chars(" ,")
    if "last_name" not in get:
        return get.get("organization_name")
    rest = pl.concat_str([get[p] for p in ("first_name", "middle_name", "suffix") if p in get], separator=" ",
                         ignore_nulls=True)
    person = pl.when(rest.is_null() | (rest == "")).then(get["last_name"]) \
        .otherwise(pl.concat_str([get["last_name"], rest], separator=", "))
    org = get.get("organization_name")
    return person if org is None else pl.when(get["last_name"].is_null()).then(org).otherwise(person)


def _first(pos: dict[str, int], column: str) -> tuple[pl.Expr | None, str | None]:
    names = [n for n in layouts.column_fields(column) if n in pos]
    if not names:
        return None, None
    return pl.coalesce([_field(pos[n]) for n in names]), names[0]


def _surplus(filing: Filing, width: int) -> pl.Expr:
    """The fields beyond the layout's ``width``, as split (not stripped); null when there are none."""
    beyond = pl.col("_p").list.len() > width
    if not _streamed(filing):
        return pl.when(beyond).then(pl.col("_parts").list.slice(width))
    # Only the few lines with more fields are split again: the split runs on a column null elsewhere.
    return pl.when(beyond).then(pl.col("raw")).str.split(FS).list.slice(width)


def _kind_exprs(filing: Filing) -> tuple[pl.Expr, pl.Expr]:
    direction, kind = None, None
    for prefix, d, k in layouts.kinds(filing.cover_table):
        test = pl.col("token").str.starts_with(prefix)
        direction = (pl.when(test) if direction is None else direction.when(test)).then(pl.lit(d))
        kind = (pl.when(test) if kind is None else kind.when(test)).then(pl.lit(k))
    assert direction is not None and kind is not None
    return direction.otherwise(NONE), kind.otherwise(NONE)


def _cycle(filing: Filing, cycle: int | None, day: pl.Expr) -> pl.Expr:
    if cycle:
        return pl.lit(cycle, pl.Int32)
    if filing.report_year:
        return pl.lit(filing.report_year + filing.report_year % 2, pl.Int32)
    return (day.dt.year() + day.dt.year() % 2).cast(pl.Int32)


def transactions(lines: pl.LazyFrame, filing: Filing, source_file: str, batch_id: str,
                 cycle: int | None) -> pl.LazyFrame:
    """The itemizations of a filing on the transactions schema, with ``reject_reason`` and ``raw``."""
    v = filing.version
    tables = [t for t in layouts.transaction_tables() if layouts.positions(t, v)]
    pos = {t: layouts.positions(t, v) for t in tables}
    parties = {t: layouts.party(t, v) for t in tables}

    def plain(name_of: Callable[[str], str]) -> pl.Expr:
        return _by_table(tables, lambda t: _field(pos[t][name_of(t)]) if name_of(t) in pos[t] else None)

    def first(column: str) -> pl.Expr:
        return _by_table(tables, lambda t: _first(pos[t], column)[0])

    used: dict[str, set[str]] = {t: set(VERBATIM) | {f"{parties[t]}_{p}" for p in ("city", "state", "zip_code",
                                                                                     "employer", "occupation")}
                                 for t in tables}
    for t in tables:
        used[t].add(_first(pos[t], "amount")[1] or "")

    def extra(t: str) -> pl.Expr:
        width = max(pos[t].values()) + 1
        fields = {n: _field(i) for n, i in pos[t].items() if n not in used[t]}
        fields["surplus_fields"] = _surplus(filing, width)
        # Only the lines of the table are encoded (the others are null structs): a tenth of the reader's time.
        return pl.when(pl.col("table") == t).then(pl.struct(**fields)).struct.json_encode()

    amount_str = first("amount")
    date_str = first("date")
    day = date_str.str.strptime(pl.Date, "%Y%m%d", strict=False)
    tran_id = plain(lambda t: "transaction_id")
    direction, kind = _kind_exprs(filing)
    prefix = f"{SOURCE}:{filing.filing_id}:"
    line_id = pl.lit(prefix + "line") + pl.col("source_line").cast(pl.String)
    # A TRAN_ID that repeats within the filing gets its line number too, after staging (FecEfileReader.finish):
    # a duplicate check here would hold the whole file in memory.
    txn_id = pl.when(tran_id.is_null()).then(line_id).otherwise(pl.lit(prefix) + tran_id)
    memo = plain(lambda t: "memo_code").fill_null("").str.to_uppercase() == "X"
    n_fields = pl.col("_p").list.len().cast(pl.String)
    reason = (
        pl.when(amount_str.is_null() & ~pl.col("table").is_in(["SchC", "SchD"]))
        .then(pl.lit("missing amount: the line has ") + n_fields
              + pl.lit(f" fields, too few for its FEC format {v} layout (truncated line?)"))
        .when(amount_str.is_not_null() & ~amount_str.str.contains(MONEY_PATTERN))
        .then(pl.lit("bad amount (not dollars and cents)"))
    )
    columns = {
        "txn_id": txn_id,
        "source": pl.lit(SOURCE),
        "source_file": pl.lit(source_file),
        "source_line": pl.col("source_line"),
        "batch_id": pl.lit(batch_id),
        "cycle": _cycle(filing, cycle, day),
        "filer_id": plain(lambda t: "filer_committee_id_number").fill_null(pl.lit(filing.filer_id, pl.String)),
        "direction": direction,
        "kind": kind,
        "fec_transaction_type": NONE,
        "form_type": pl.col("token"),
        "entity_type": plain(lambda t: "entity_type"),
        "name": _by_table(tables, lambda t: _name(pos[t], parties[t])),
        "city": plain(lambda t: f"{parties[t]}_city"),
        "state": plain(lambda t: f"{parties[t]}_state"),
        "zip": plain(lambda t: f"{parties[t]}_zip_code"),
        "employer": plain(lambda t: f"{parties[t]}_employer"),
        "occupation": plain(lambda t: f"{parties[t]}_occupation"),
        "date": day,
        "amount": amount_str.cast(MONEY, strict=False),
        "other_id": first("other_id"),
        "candidate_id": first("candidate_id"),
        "memo": memo,
        "memo_text": plain(lambda t: "memo_text"),
        "amendment": pl.lit(filing.amendment),
        "report_type": pl.lit(filing.report_type, pl.String),
        "report_year": pl.lit(filing.report_year, pl.Int32),
        "election": plain(lambda t: "election_code"),
        "image_number": NONE,
        "filing_id": pl.lit(filing.filing_id, pl.Int64),
        "sub_id": pl.lit(None, pl.Int64),
        "tran_id": tran_id,
        "back_ref_tran_id": plain(lambda t: "back_reference_tran_id"),
        "purpose": first("purpose"),
        "aggregate_ytd": first("aggregate_ytd").cast(MONEY, strict=False),
        "extra": _by_table(tables, extra),
    }
    schema = polars_schema("transactions")
    return lines.filter(pl.col("target") == "transactions").select(
        *[columns[name].cast(dtype).alias(name) for name, dtype in schema.items()],
        reason.alias("reject_reason"), "raw")


def filings(lines: pl.LazyFrame, filing: Filing, source_file: str, batch_id: str, cycle: int | None) -> pl.LazyFrame:
    """The filing's one row of ``filings``: header and cover page, from the cover record's line."""
    values = {
        "filing_id": filing.filing_id, "source": SOURCE, "source_file": source_file, "batch_id": batch_id,
        "form_type": filing.form_type, "base_form_type": filing.cover_table, "amendment": filing.amendment,
        "amends_filing_id": filing.amends_filing_id, "filer_id": filing.filer_id,
        "committee_name": filing.cover.get("committee_name") or filing.cover.get("organization_name") or None,
        "report_type": filing.report_type, "report_year": filing.report_year,
        "coverage_from": filing.coverage_from, "coverage_through": filing.coverage_through,
        "date_signed": filing.date_signed, "fec_version": filing.version, "software": filing.software or None,
        "cycle": cycle or (filing.report_year + filing.report_year % 2 if filing.report_year else None),
        "header": json.dumps(filing.header), "cover": json.dumps(filing.cover),
    }
    schema = polars_schema("filings")
    return lines.filter(pl.col("target") == "filings").select(
        *[(pl.col("source_line") if name == "source_line" else pl.lit(values[name], dtype)).cast(dtype).alias(name)
          for name, dtype in schema.items()],
        NONE.alias("reject_reason"), "raw")


def filing_lines(lines: pl.LazyFrame, filing: Filing, source_file: str, batch_id: str) -> pl.LazyFrame:
    """Every line that is neither an itemization nor the cover, with its fields as JSON when the layout knows them."""
    v = filing.version
    txn = set(layouts.transaction_tables())
    tables = sorted(t for t in layouts.tables() if t not in txn and layouts.positions(t, v))

    def fields(t: str) -> pl.Expr:
        return pl.struct(**{n: _field(i) for n, i in layouts.positions(t, v).items()}).struct.json_encode()

    blank = pl.col("raw").str.strip_chars() == ""
    record = pl.when(pl.col("block").is_not_null()).then(pl.col("block")).when(blank).then(pl.lit("blank line")) \
        .otherwise(pl.col("token"))
    reason = pl.when(pl.col("block").is_null() & ~blank & pl.col("table").is_null()).then(
        pl.lit(f"unknown record type for FEC format {v}: no FEC layout names it (see the raw line)"))
    columns = {
        "filing_id": pl.lit(filing.filing_id, pl.Int64), "source": pl.lit(SOURCE), "source_file": pl.lit(source_file),
        "source_line": pl.col("source_line"), "batch_id": pl.lit(batch_id), "record_type": record,
        "table_name": pl.when(pl.col("block").is_null()).then(pl.col("table")),
        "fields": pl.when(pl.col("block").is_null()).then(_by_table(tables, fields)),
        "line_text": pl.col("raw"),
    }
    schema = polars_schema("filing_lines")
    return lines.filter(pl.col("target") == "filing_lines").select(
        *[columns[name].cast(dtype).alias(name) for name, dtype in schema.items()],
        reason.alias("reject_reason"), "raw")


def _rejected_lines(rejects: Path, filing: Filing) -> pl.LazyFrame:
    """The rejected lines of a staged filing (no block of text among them), split as ``read_lines`` splits them."""
    frame = pl.read_parquet(rejects, columns=["source_line", "raw"])
    if _streamed(filing):
        return frame.lazy().with_columns(_split(pl.col("raw")).alias("_p"), NONE.alias("block"))
    raws = frame["raw"].to_list()
    return _legacy_frame(frame["source_line"], raws, [split(raw, filing.delimiter) for raw in raws],
                         [None] * len(raws))


#: Memory DuckDB may take to find repeated TRAN_IDs before spilling to disk.
DUCKDB_MEMORY = "128MB"


def repeated_tran_ids(staged: Path, rejects: Path, filing: Filing) -> list[str]:
    """TRAN_IDs that more than one itemization of the filing has, loaded or rejected."""
    ids = f"SELECT tran_id FROM read_parquet('{staged}')"
    # Every TRAN_ID is grouped: beyond the limit DuckDB spills the groups to disk, so that the memory this
    # takes does not grow with the filing (the 2.5 million of a 570 MB filing took about 130 MB, now 40).
    config = {"memory_limit": DUCKDB_MEMORY, "temp_directory": str(staged.parent / "duckdb-spill")}
    with duckdb.connect(config=config) as con:
        if rejects.exists():
            lines = classify(_rejected_lines(rejects, filing), filing)
            con.register("rejected", transactions(lines, filing, "", "", None).select("tran_id").collect().to_arrow())
            ids += " UNION ALL SELECT tran_id FROM rejected"
        return [tran_id for (tran_id,) in con.execute(
            f"SELECT tran_id FROM ({ids}) WHERE tran_id IS NOT NULL GROUP BY tran_id HAVING count(*) > 1").fetchall()]


#: Bytes of the file Polars' CSV scan reads at a time. Its default grows with the file (a 280 MB filing
#: held about 300 MB of lines in flight); 1 MB chunks keep the scans' memory flat and measured no slower.
CSV_CHUNK_BYTES = 1 << 20
#: The chunk size is a setting of the whole process: filings loading in two threads take turns with it.
_CHUNK_SIZE_HELD = threading.Lock()
#: Rows per Parquet row group of the staged tables: the writer holds a row group before writing it.
ROW_GROUP_ROWS = 16_384


class FecEfileReader:
    """Reader of one FEC electronic filing (see ``sources.Reader``)."""

    source = SOURCE
    parquet_options = {"row_group_size": ROW_GROUP_ROWS}

    @staticmethod
    @contextmanager
    def running() -> Iterator[None]:
        """Polars' CSV chunk size while the filing's frames run (an environment setting it reads per scan).

        One filing at a time per process: another thread's filing waits. Other scans running meanwhile read
        in the same chunks (the same rows; only their memory and speed differ)."""
        with _CHUNK_SIZE_HELD:
            before = os.environ.get("POLARS_CSV_CHUNK_SIZE")
            os.environ["POLARS_CSV_CHUNK_SIZE"] = str(CSV_CHUNK_BYTES)
            try:
                yield
            finally:
                if before is None:
                    del os.environ["POLARS_CSV_CHUNK_SIZE"]
                else:
                    os.environ["POLARS_CSV_CHUNK_SIZE"] = before

    def __init__(self, filing: Filing) -> None:
        self.filing = filing
        self.file_kind = filing.form_type

    def frames(self, path: Path, source_file: str, batch_id: str, cycle: int | None) -> dict[str, pl.LazyFrame]:
        filing = self.filing
        lines = cover = others = classify(read_lines(path, filing), filing)
        if _streamed(filing):
            # Sunk together, the three tables would share one scan of the file, which then runs ahead for
            # the two small ones and buffers the lines the transactions have not taken yet (peak memory grew
            # with the file). So the cover (the file's head) and the other lines are read by scans of their
            # own, which split only the lines they keep.
            head = scan_lines(path, n_rows=filing.cover_line, apart=True).slice(filing.cover_line - 1, 1)
            cover = classify(head.with_columns(_split(pl.col("raw")).alias("_p"), NONE.alias("block")), filing)
            first = pl.concat_list(pl.col("raw").str.splitn(FS, 2).struct.field("field_0"))  # enough to classify
            # Most lines are itemizations: those starting as only itemizations do are passed over unclassified.
            starts = "|".join(map(re.escape, layouts.transaction_starts()))
            itemization = pl.col("raw").str.contains(f"^(?:{starts})")
            others = classify(scan_lines(path, apart=True).filter(~itemization).with_columns(first.alias("_p"),
                                                                                  NONE.alias("block")), filing) \
                .filter(pl.col("target") == "filing_lines").with_columns(_split(pl.col("raw")).alias("_p"))
        return {
            "transactions": transactions(lines, filing, source_file, batch_id, cycle),
            "filings": filings(cover, filing, source_file, batch_id, cycle),
            "filing_lines": filing_lines(others, filing, source_file, batch_id),
        }

    def finish(self, records: dict[str, Path], rejects: Path) -> None:
        """After staging: a TRAN_ID that repeats within the filing gets the line number too in ``txn_id``
        (``fec-efile:<filing>:<TRAN_ID>:fec-efile:<filing>:line<n>``), so that each line stays its own row.

        Done on the staged Parquet file rather than while reading: a duplicate check over the lines as they
        stream would hold the whole file in memory. Filings without a repeated TRAN_ID are not rewritten."""
        staged = records.get("transactions")
        if staged is None or not staged.exists():
            return
        repeated = repeated_tran_ids(staged, rejects, self.filing)
        if not repeated:
            return
        prefix, tran_id = f"{SOURCE}:{self.filing.filing_id}:", pl.col("tran_id")
        txn_id = pl.when(tran_id.is_in(repeated)).then(pl.concat_str([
            pl.lit(prefix), tran_id, pl.lit(f":{prefix}line"), pl.col("source_line").cast(pl.String)]))
        fixed = staged.with_suffix(".tran_ids.parquet")
        pl.scan_parquet(staged).with_columns(txn_id.otherwise(pl.col("txn_id")).alias("txn_id")) \
            .sink_parquet(fixed, compression_level=1, **self.parquet_options)
        fixed.replace(staged)

    def cycle(self, origin: str) -> int | None:
        return None
