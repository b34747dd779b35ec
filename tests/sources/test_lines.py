"""The quick way of reading a bulk file's fields (Polars' CSV reader, ``scan_fields``) gives exactly the
good rows of the exact way (each line read whole, then split: ``with_fields(scan_lines(...))``).

Lines are real rows of ../shared/data/fec-bulk/2019-2020/itcont.txt, broken by Hypothesis: fields padded
with whitespace of every kind, emptied, dropped or added, blank lines, CRLF endings, Latin-1 bytes.
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import polars as pl
from hypothesis import event, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from moneytrail.sources import fec_bulk
from moneytrail.sources.files import fingerprint
from moneytrail.sources.lines import scan_lines

from ..conftest import shared

LAYOUT = fec_bulk.layouts()["indiv"]
#: Characters that trim (Unicode White_Space) and some that do not (\x1c, \x1f, zero-width space).
SPACES = [" ", "\t", "\r", "\x0b", "\x0c", "\x85", "\u00a0", "\u2003", "\u3000", "\x1c", "\x1f", "\u200b"]


@cache
def real_lines() -> list[str]:
    with shared("fec-bulk", "2019-2020", "itcont.txt").open(encoding="utf-8") as f:
        return [next(f).rstrip("\n") for _ in range(200)]


@st.composite
def broken_line(draw: st.DrawFn) -> str:
    fields = draw(st.sampled_from(real_lines())).split("|")
    for _ in range(draw(st.integers(0, 2))):
        i = draw(st.integers(0, len(fields) - 1))
        change = draw(st.sampled_from(["pad"] * 4 + ["empty"] * 2 + ["drop", "add", "spaces", "blank", "accent"]))
        if change == "pad":
            pad = st.text(st.sampled_from(SPACES), min_size=1, max_size=2)
            fields[i] = draw(pad) + fields[i] + draw(pad)
        elif change == "empty":
            fields[i] = ""
        elif change == "drop":
            del fields[i]
        elif change == "add":
            fields.insert(i, draw(st.sampled_from(["", "X", " "])))
        elif change == "spaces":
            fields = [draw(st.text(st.sampled_from(SPACES[:3]), max_size=3))]
        elif change == "blank":
            fields = [""]
        else:
            fields[i] += "É"
        if not fields:
            fields = [""]
    return "|".join(fields)


def good_rows(fields: pl.LazyFrame) -> pl.DataFrame:
    frame = fec_bulk.transactions(fields, LAYOUT, "itcont.txt", "b", 2020)
    return frame.filter(pl.col("reject_reason").is_null()).drop("reject_reason", "raw").collect()


@settings(max_examples=300, deadline=None)
@given(st.lists(broken_line(), min_size=1, max_size=12), st.sampled_from(["\n", "\r\n"]), st.booleans(),
       st.sampled_from(["utf-8", "utf-8", "utf-8", "latin-1"]))
def test_the_csv_reader_gives_the_good_rows_of_the_line_reader(lines: list[str], ending: str, final: bool,
                                                               encoding: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "itcont.txt"
        path.write_bytes((ending.join(lines) + (ending if final else "")).encode(encoding, errors="replace"))
        try:
            quick = good_rows(fec_bulk.quick_split(path, LAYOUT))
        except (pl.exceptions.ComputeError, pl.exceptions.SchemaError):
            # load() then reads the file the exact way: a line with too many fields, or not UTF-8.
            event("quick reading refused")
            return
        if fingerprint(path).unit_separator:
            event("the file holds the line reader's separator: read the exact way")
            return
        event("compared")
        assert_frame_equal(quick, good_rows(fec_bulk.split(scan_lines(path), LAYOUT)))


def test_only_transaction_files_that_end_in_a_required_field_are_read_quickly(tmp_path: Path) -> None:
    quick = {name for name, layout in fec_bulk.layouts().items() if fec_bulk.quick_split(tmp_path, layout) is not None}
    assert quick == {"indiv", "oth", "pas2"}  # oppexp ends in an empty field; cm, cn, ... are not transactions
