"""Read a delimited text file as numbered raw lines with Polars, so every line can be accounted for.

Reading each line whole (then splitting it) rather than letting the CSV reader split fields keeps the
raw text for rejected rows and catches lines with too many or too few fields, which a CSV reader
pads (or refuses). The CSV reader splits for less CPU, so :func:`scan_fields` offers it for rows whose
last field tells a padded line apart (docs/benchmarks.md).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .files import UNIT_SEPARATOR, to_utf8

#: The line reader splits on this byte, which does not occur in campaign-finance text, so each line is one field.
LINE_SEPARATOR = UNIT_SEPARATOR.decode()


def scan_lines(path: Path, *, n_rows: int | None = None, apart: bool = False) -> pl.LazyFrame:
    """Columns ``source_line`` (1-based) and ``raw`` (the line without its line ending).

    Blank lines are kept (as empty ``raw``) so that line numbers match the file. ``n_rows``: the first
    lines only. ``apart``: a scan that Polars does not share with another scan of the same file in frames
    sunk together (``collect_all`` shares identical scans, and a shared scan buffers what the slowest of
    its frames has not taken yet); the same lines and numbers."""
    column = "line" if apart else "raw"  # a scan of another column name is not the same scan
    lines = pl.scan_csv(
        path,
        separator=LINE_SEPARATOR,
        has_header=False,
        quote_char=None,
        schema={column: pl.String},
        encoding="utf8",
        n_rows=n_rows,
    )
    if apart:
        lines = lines.rename({column: "raw"})
    return (
        lines.with_row_index("source_line", offset=1)
        .with_columns(pl.col("source_line").cast(pl.Int64), pl.col("raw").fill_null("").str.strip_chars_end("\r"))
    )


def readable_copy(path: Path, staging: Path) -> Path:
    """A UTF-8 copy of ``path`` in ``staging``, for files the fast reader refuses (Latin-1 bytes)."""
    staging.mkdir(parents=True, exist_ok=True)
    return to_utf8(path, staging / (path.name + ".utf8"), LINE_SEPARATOR.encode())


def with_fields(lines: pl.LazyFrame, names: dict[str, int], delimiter: str) -> pl.LazyFrame:
    """``lines`` with a column per name: field ``names[name]`` of the line split on ``delimiter``, trimmed,
    empty strings as nulls; and ``_n``, the number of fields on the line.

    Each field is a column computed once: an expression that repeats a field (a check, then the value)
    is computed again each time it appears, which on FEC bulk files cost about a sixth of staging."""
    split = lines.with_columns(pl.col("raw").str.split(delimiter).alias("_p"))
    split = split.with_columns(pl.col("_p").list.len().alias("_n"),
                               *(pl.col("_p").list.get(i, null_on_oob=True).alias(name) for name, i in names.items()))
    return _trimmed(split.drop("_p"), names)


def scan_fields(path: Path, names: dict[str, int], delimiter: str) -> pl.LazyFrame:
    """The columns of ``with_fields(scan_lines(path), names, delimiter)``, read by Polars' CSV reader, which
    splits lines for about 7% less CPU than splitting each read line (docs/benchmarks.md), but is exact on
    fewer lines:

    * a line with more fields than ``names`` raises ``pl.exceptions.ComputeError`` (as do bytes that are
      not UTF-8);
    * a line with fewer comes padded with nulls (a blank line too), and ``_n`` is ``len(names)`` whatever
      the line held; ``raw`` is null;
    * a file holding :data:`LINE_SEPARATOR` is read as it is here, and from a cleaned copy by the line reader.

    So, in a file without :data:`LINE_SEPARATOR`, a row whose last field is not null is exactly the row
    ``with_fields`` gives: a reader that rejects rows without their last field can take its good rows from
    here and its rejected rows (with their reasons and raw text) from ``with_fields``."""
    order = sorted(names, key=names.__getitem__)
    if [names[n] for n in order] != list(range(len(names))):
        raise ValueError("scan_fields reads every field of a line: names must number them 0, 1, 2, ...")
    fields = pl.scan_csv(path, separator=delimiter, has_header=False, quote_char=None, encoding="utf8",
                         schema={name: pl.String for name in order}, truncate_ragged_lines=False)
    rows = fields.with_row_index("source_line", offset=1).with_columns(
        pl.col("source_line").cast(pl.Int64), pl.lit(len(names)).alias("_n"), pl.lit(None, pl.String).alias("raw"))
    return _trimmed(rows, names)


def _trimmed(frame: pl.LazyFrame, names: dict[str, int]) -> pl.LazyFrame:
    trimmed = frame.with_columns(pl.col(name).str.strip_chars() for name in names)
    return trimmed.with_columns(pl.when(pl.col(n) == "").then(None).otherwise(pl.col(n)).alias(n) for n in names)
