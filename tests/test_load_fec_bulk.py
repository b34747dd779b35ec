"""Loading the real FEC bulk samples of three cycles (../shared/data/fec-bulk)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from moneytrail import Store, load
from moneytrail.sources import FecBulkReader

from .conftest import shared, stored


def test_three_cycles_load_with_no_rejects(bulk_store: Store) -> None:
    report = bulk_store.report  # type: ignore[attr-defined]
    loaded = [f for f in report.files if f.status == "loaded"]
    assert {f.cycle for f in loaded} == {2016, 2020, 2024}
    assert report.rows_rejected == 0
    assert bulk_store.scalar("SELECT count(*) FROM rejected_rows") == 0
    for f in loaded:
        assert f.rows_read == f.rows_loaded + f.rows_rejected
        with open(f.origin, "rb") as raw:
            assert f.rows_read == sum(1 for _ in raw)
    skipped = [f.source_file for f in report.files if f.status == "skipped"]
    assert skipped == ["2020_PRESIDENTIAL_CAMPAIGNS_DOWNLOAD.csv"]


def test_itpas2_rows_are_the_itoth_rows_once(bulk_store: Store) -> None:
    """itpas2 repeats itoth rows (same SUB_ID): each transaction is stored once, from itpas2 (read first)."""
    report = bulk_store.report  # type: ignore[attr-defined]
    pas2 = {f.cycle: f for f in report.files if f.file_kind == "pas2"}
    oth = {f.cycle: f for f in report.files if f.file_kind == "oth"}
    assert pas2[2020].rows_new == 3159 and pas2[2020].rows_already_loaded == 0
    assert (oth[2020].rows_also_in_load, oth[2020].rows_new, oth[2020].rows_already_loaded) == (3159, 47762, 0)
    assert pas2[2024].rows_new == 11458  # 2023-24's itoth is a small sample without them
    assert bulk_store.scalar("SELECT count(*) - count(DISTINCT txn_id) FROM transactions") == 0


def test_real_rows_keep_their_provenance(bulk_store: Store) -> None:
    # The second line of 2019-20 itcont: a refund reversal of -500 to LEMUNYON, GLENN.
    row = bulk_store.rows("""SELECT source_file, source_line, filer_id, fec_transaction_type, kind, amount, net_amount,
                                    date, filing_id, image_number, tran_id
                             FROM transactions WHERE txn_id = 'fec-bulk:4021320191639407453'""")
    assert row == [("itcont.txt", 2, "C00432906", "22Y", "refund", Decimal("-500.00"), Decimal("500.00"),
                    __import__("datetime").date(2019, 1, 18), 1305860, "201901219143901218", "SB20A.55755")]


def test_earmarks_count_at_the_recipient_not_the_conduit(bulk_store: Store) -> None:
    # ActBlue (C00401224) reported 4,236 earmark pass-throughs (24T) in the 2015-16 sample: in its own totals
    # (it took the money in and passed it on), never in the flows, where the recipient's 15E carries the dollar.
    rows = dict(bulk_store.rows("""SELECT (counts_toward_totals, counts_in_flows), count(*) FROM transactions
                                   WHERE filer_id = 'C00401224' AND fec_transaction_type = '24T' GROUP BY 1"""))
    assert rows == {(True, False): 4236}
    counted_15e = bulk_store.scalar("""SELECT count(*) FROM transactions WHERE fec_transaction_type = '15E'
                                       AND other_id = 'C00401224' AND counts_in_flows AND counts_toward_totals""")
    assert counted_15e > 0


def test_committees_link_across_cycles_and_renames(bulk_store: Store) -> None:
    names = dict(bulk_store.rows("SELECT cycle, name FROM committees WHERE committee_id = 'C00428557'"))
    assert names[2016] == "COLOROFCHANGE.ORG PAC"
    assert names[2020].startswith("COLOROFCHANGE PAC")


def test_loading_again_adds_nothing(bulk_store: Store, tmp_path: Path) -> None:
    before = bulk_store.scalar("SELECT count(*) FROM transactions")
    report = load(bulk_store, [shared("fec-bulk", "2019-2020")])
    assert {f.status for f in report.files} <= {"already loaded", "skipped"}
    assert bulk_store.scalar("SELECT count(*) FROM transactions") == before


def test_the_real_files_load_the_same_read_line_by_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "quick") as store:  # itcont, itoth and itpas2 read by the CSV reader (lines.scan_fields)
        load(store, [shared("fec-bulk")])
        read_quickly = stored(store)
    monkeypatch.setattr(FecBulkReader, "quick_frames", lambda self, *args: None)
    with Store(tmp_path / "lines") as store:
        load(store, [shared("fec-bulk")])
        assert stored(store) == read_quickly
