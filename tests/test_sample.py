"""The bundled SYNTHETIC sample: exact layouts that moneytrail's own readers accept, rules exercised."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from moneytrail import Store, load, sample


def test_sample_is_deterministic_and_says_it_is_synthetic(tmp_path: Path) -> None:
    a = sample.write(tmp_path / "a")
    b = sample.write(tmp_path / "b")
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
    for path in a.iterdir():
        assert path.read_bytes() == (b / path.name).read_bytes()
    assert "SYNTHETIC" in (a / "README.txt").read_text()
    assert "SYNTHETIC FILING" in (a / f"{sample.ORIGINAL}.fec").read_text().split("\n")[0]


def test_sample_filings_reconcile_and_the_amendment_supersedes(store: Store, tmp_path: Path) -> None:
    report = load(store, [sample.write(tmp_path)])
    assert report.rows_rejected == 0
    assert store.scalar("SELECT count(*) FROM filing_checks WHERE NOT ok") == 0
    original = store.rows("""SELECT DISTINCT counts_toward_totals FROM transactions
                             WHERE filing_id = ?""", [sample.ORIGINAL])
    assert original == [(False,)]
    # The amendment's own summary page says what its itemized individual contributions add up to.
    itemized = store.scalar("""SELECT sum(net_amount) FROM transactions WHERE filing_id = ? AND form_type = 'SA11AI'
                               AND counts_toward_totals""", [sample.AMENDMENT])
    line = store.scalar("""SELECT column_a FROM filing_summary_lines WHERE filing_id = ?
                           AND field = 'individuals_itemized'""", [sample.AMENDMENT])
    assert itemized == Decimal(line) == Decimal("3750.00")
