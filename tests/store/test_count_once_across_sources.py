"""A transaction read from more than one source counts once.

The bulk files are the FEC's processing of the same electronic filings that moneytrail reads as .fec
files, so a user who loads both sees each itemization twice. These tests take the real filing
../shared/data/fec-efile/1229017.fec and write its Schedule A rows in the itcont layout (a SYNTHETIC
conversion of real rows: filer, TRAN_ID, filing number, names and amounts are the filing's own).
"""

from __future__ import annotations

from pathlib import Path

from moneytrail import Store, load

from ..conftest import shared


def itcont_from_filing(store: Store, path: Path, *, file_num: int | None = None, amendment: str = "N") -> Path:
    rows = store.rows("""SELECT filer_id, report_type, image_number, fec_transaction_type, entity_type, name, city,
                                state, zip, employer, occupation, strftime(date, '%m%d%Y'), amount, other_id, tran_id,
                                filing_id, memo, memo_text
                         FROM transactions WHERE source = 'fec-efile' AND form_type LIKE 'SA11%'
                         ORDER BY source_line""")
    lines = []
    for i, r in enumerate(rows):
        (filer, rpt, image, tp, entity, name, city, state, zip_code, employer, occupation, day, amount, other,
         tran_id, filing, memo, memo_text) = r
        fields = [filer, amendment, rpt, "P", image or "", tp or "15", entity or "", name or "", city or "",
                  state or "", zip_code or "", employer or "", occupation or "", day or "", f"{amount}", other or "",
                  tran_id, str(file_num or filing), "X" if memo else "", memo_text or "", str(4_100_000_000 + i)]
        lines.append("|".join(fields))
    path.write_text("\n".join(lines) + "\n")
    return path


def counted(store: Store) -> object:
    return store.scalar("SELECT sum(net_amount) FROM transactions WHERE counts_toward_totals AND form_type IS DISTINCT "
                        "FROM 'SB17' AND direction = 'receipt' AND (form_type LIKE 'SA11%' OR source = 'fec-bulk')")


def test_the_same_filing_in_bulk_and_efile_counts_once(store: Store, tmp_path: Path) -> None:
    filing = shared("fec-efile", "1229017.fec")
    load(store, [filing])
    efile_only = counted(store)
    assert efile_only is not None and efile_only > 0
    bulk = itcont_from_filing(store, tmp_path / "itcont.txt")
    load(store, [bulk], cycle=2018)
    assert counted(store) == efile_only
    # The bulk rows count; the e-filing's copies name them.
    assert store.scalar("""SELECT count(*) FROM transactions WHERE source = 'fec-efile' AND form_type LIKE 'SA11%'
                           AND counts_toward_totals""") == 0


def test_an_amendment_in_one_source_replaces_the_original_in_the_other(store: Store, tmp_path: Path) -> None:
    filing = shared("fec-efile", "1229017.fec")
    load(store, [filing])
    efile_only = counted(store)
    # The bulk rows say they come from an earlier filing of the same report: the e-filing amends them.
    bulk = itcont_from_filing(store, tmp_path / "itcont.txt", file_num=1229000)
    load(store, [bulk], cycle=2018)
    assert counted(store) == efile_only
    assert store.scalar("""SELECT count(*) FROM transactions WHERE source = 'fec-bulk'
                           AND counts_toward_totals""") == 0
