"""The FEC bulk reader on single lines: exact money, detection by name and shape, cycles from names."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from moneytrail.sources import detect, fec_bulk

from ..conftest import shared

# A real itcont line (2019-20, line 3), with its TRANSACTION_AMT (field 15) replaced in the tests.
LINE = (
    "C00638478|T|TER|P|201901289144040159|15C|CAN|JANOWICZ, PHILIP|BUENA PARK|CA|906211685|"
    "FRIENDS OF PHIL JANOWICZ|CANDIDATE|01282019|{amount}|H8CA39133|3703295|1307800||"
    "CONVERTING PRIMARY LOAN TO CONTRIBUTION|4021220191639267648")


def read(lines: list[str]) -> pl.DataFrame:
    frame = pl.LazyFrame({"source_line": list(range(1, len(lines) + 1)), "raw": lines},
                         schema={"source_line": pl.Int64, "raw": pl.String})
    layout = fec_bulk.layouts()["indiv"]
    return fec_bulk.transactions(fec_bulk.split(frame, layout), layout, "itcont.txt", "b", 2020).collect()


@given(st.decimals(min_value=Decimal("-99999999999.99"), max_value=Decimal("99999999999.99"), places=2,
                   allow_nan=False, allow_infinity=False))
def test_cents_survive_exactly(amount: Decimal) -> None:
    row = read([LINE.format(amount=f"{amount:f}")]).row(0, named=True)
    assert row["reject_reason"] is None
    assert row["amount"] == amount


@given(st.sampled_from(["12.345", "1e3", "1,000", "$5", "", "5.", "--5", "0x10"]))
def test_amounts_that_are_not_exact_cents_are_rejected(text: str) -> None:
    row = read([LINE.format(amount=text)]).row(0, named=True)
    assert row["reject_reason"] == "missing or bad TRANSACTION_AMT"


def test_the_real_line_maps_onto_the_schema() -> None:
    row = read([LINE.format(amount="35000")]).row(0, named=True)
    assert row["txn_id"] == "fec-bulk:4021220191639267648"
    assert (row["filer_id"], row["fec_transaction_type"], row["entity_type"]) == ("C00638478", "15C", "CAN")
    assert (row["amount"], str(row["date"]), row["filing_id"], row["other_id"]) == (
        Decimal("35000.00"), "2019-01-28", 1307800, "H8CA39133")
    assert row["memo"] is False and row["memo_text"] == "CONVERTING PRIMARY LOAN TO CONTRIBUTION"


def test_cycles_from_names() -> None:
    assert fec_bulk.cycle_from_name("indiv20.zip!itcont.txt") == 2020
    assert fec_bulk.cycle_from_name("/data/2019-2020/itcont.txt") == 2020
    assert fec_bulk.cycle_from_name("/data/2015-2016/cm.txt") == 2016
    assert fec_bulk.cycle_from_name("webk24.txt") == 2024
    assert fec_bulk.cycle_from_name("itcont.txt") is None


def test_every_real_bulk_file_is_detected_by_name_and_by_shape(tmp_path: Path) -> None:
    expected = {"itcont.txt": "indiv", "itoth.txt": "oth", "itpas2.txt": "pas2", "oppexp.txt": "oppexp",
                "cm.txt": "cm", "cn.txt": "cn", "ccl.txt": "ccl", "webk20.txt": "webk", "weball20.txt": "weball"}
    for name, kind in expected.items():
        path = shared("fec-bulk", "2019-2020", name)
        assert detect(path, name).file_kind == kind  # type: ignore[union-attr]
        renamed = tmp_path / "renamed-by-a-user.dat"
        renamed.write_bytes(path.read_bytes()[:20000])
        by_shape = detect(renamed, renamed.name)
        # indiv and oth share one layout; the transaction type tells their rows apart anyway.
        assert by_shape is not None and by_shape.file_kind in ({kind} | ({"indiv"} if kind == "oth" else set()))
