"""The FEC independent expenditure file (CSV with a header).

No published IE file is among the real samples, so these tests write one in the IE file's layout
from the real 24E/24A rows of ../shared/data/fec-bulk/2019-2020/itoth.txt: a SYNTHETIC conversion of
real rows (the amounts, dates, filers and TRAN_IDs are the real ones), which lets the tests check that
an expenditure in both files is counted once.
"""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from moneytrail import InputError, Store, load
from moneytrail.sources.fec_ie import HEADER

from ..conftest import shared


def itoth_ie_rows() -> list[list[str]]:
    with shared("fec-bulk", "2019-2020", "itoth.txt").open(encoding="latin-1") as f:
        rows = [line.rstrip("\n").split("|") for line in f]
    return [r for r in rows if r[5] in ("24E", "24A")]


def as_ie_csv(rows: list[list[str]], path: Path, quoted: bool = True) -> Path:
    """Write itoth rows in the IE file's layout (SYNTHETIC conversion of real rows)."""
    out = []
    for r in rows:
        date = datetime.strptime(r[13], "%m%d%Y").strftime("%d-%b-%y").upper()  # 15-MAY-19, as the IE file writes
        fields = [r[15], "", r[0], "", "G", "", "", "", "", r[14], date, r[14], "S" if r[5] == "24E" else "O",
                  r[19], r[7], r[17], r[1], r[16], r[4], "", "2020", "", ""]
        out.append(fields)
    with path.open("w", newline="") as f:
        f.write(HEADER + "\n")
        csv.writer(f, quoting=csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL).writerows(out)
    return path


def test_ie_file_loads_and_counts_each_expenditure_once_beside_itoth(store: Store, tmp_path: Path) -> None:
    rows = itoth_ie_rows()
    assert len(rows) == 106
    ie = as_ie_csv(rows, tmp_path / "independent_expenditure_2020.csv")
    report = load(store, [ie])
    (f,) = report.files
    assert (f.file_kind, f.cycle, f.rows_read, f.rows_loaded, f.rows_rejected) == (
        "independent_expenditure", 2020, 106, 106, 0)
    counted = store.scalar("SELECT sum(net_amount) FROM transactions WHERE counts_toward_totals")
    expected = sum(Decimal(r[14]) for r in rows if r[18] != "X")
    assert counted == sum(Decimal(r[14]) for r in rows)  # the IE file has no memo rows of its own
    by_side = dict(store.rows("SELECT fec_transaction_type, count(*) FROM transactions GROUP BY 1"))
    assert by_side == {"24E": sum(r[5] == "24E" for r in rows), "24A": sum(r[5] == "24A" for r in rows)}
    # Now the same expenditures from itoth: the IE-file copies stop counting, itoth's rows count.
    load(store, [shared("fec-bulk", "2019-2020", "itoth.txt")])
    ie_counted = store.scalar("""SELECT count(*) FROM transactions
                                 WHERE txn_id LIKE 'fec-ie:%' AND counts_toward_totals""")
    assert ie_counted == 0
    total = store.scalar("""SELECT sum(net_amount) FROM transactions
                            WHERE counts_toward_totals AND fec_transaction_type IN ('24E', '24A')""")
    assert total == expected


def test_unquoted_ie_lines_read_the_same(store: Store, tmp_path: Path) -> None:
    rows = itoth_ie_rows()[:10]
    load(store, [as_ie_csv(rows, tmp_path / "independent_expenditure_2020.csv", quoted=False)])
    assert store.scalar("SELECT count(*) FROM transactions") == 10
    assert store.scalar("SELECT count(*) FROM rejected_rows") == 0


def test_bad_ie_lines_are_rejected_with_reasons(store: Store, tmp_path: Path) -> None:
    path = as_ie_csv(itoth_ie_rows()[:3], tmp_path / "independent_expenditure_2020.csv")
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace('"S"', '"X"').replace('"O"', '"X"')
    lines.append('"H0XX00000","ONLY","THREE"')
    path.write_text("\n".join(lines) + "\n")
    report = load(store, [path])
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (4, 2, 2)
    assert dict(store.rows("SELECT source_line, reason FROM rejected_rows")) == {
        3: "missing or bad sup_opp", 5: "wrong number of fields (expected 23 separated by commas)"}


def test_a_wrong_header_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "independent_expenditure_2020.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(InputError, match="first line is not the header"):
        load(store, [path])
