"""Committee totals checked against figures moneytrail did not compute: the FEC's own PAC and party summary
(webk20) and the filers' own cover pages, read by a second parser (hardmoney)."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import hardmoney
import pytest

from moneytrail import Store, load

from ..conftest import shared

CYCLE_2020 = ("fec-bulk", "2019-2020")
#: Rounding: the bulk itcont and itoth files carry whole dollars (docs/counting.md), webk cents.
TOLERANCE = Decimal(5)


def _pipe_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="latin-1", newline="") as f:
        return list(csv.reader(f, delimiter="|", quoting=csv.QUOTE_NONE))


def raw_itemized_totals(folder: Path) -> dict[str, dict[str, Decimal]]:
    """Per committee, the plain sum of its non-memo itemized rows on each side, read from the raw files.

    The side is the schedule the row was filed on where its TRAN_ID names one (SA... receipts, SB...
    disbursements), else the FEC's numbering of transaction types (1x and 3x receipts, 2x and 4x
    disbursements); operating expenditures (oppexp) are disbursements. itpas2 repeats itoth rows."""
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    seen: set[str] = set()
    for name, tp, amt, tran, memo, sub in (("itcont.txt", 5, 14, 16, 18, 20), ("itoth.txt", 5, 14, 16, 18, 20),
                                            ("itpas2.txt", 5, 14, 17, 19, 21)):
        for row in _pipe_rows(folder / name):
            if row[sub] in seen or row[memo] == "X":
                continue
            seen.add(row[sub])
            schedule = row[tran][:2] if row[tran][2:3].isdigit() else ""
            receipt = schedule == "SA" or (schedule != "SB" and row[tp][:1] in "13")
            totals[row[0]]["receipts" if receipt else "disbursements"] += Decimal(row[amt])
    for row in _pipe_rows(folder / "oppexp.txt"):
        if row[18] != "X":
            totals[row[0]]["disbursements"] += Decimal(row[13])
    return totals


def webk(folder: Path) -> dict[str, dict[str, Decimal]]:
    names = next(csv.reader((folder / "webk_headers.csv").open()))
    return {r[0]: {"receipts": Decimal(r[names.index("TTL_RECEIPTS")] or 0),
                   "disbursements": Decimal(r[names.index("TTL_DISB")] or 0)}
            for r in _pipe_rows(folder / "webk20.txt")}


@pytest.fixture(scope="module")
def cycle_2020(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = Store(tmp_path_factory.mktemp("totals") / "store")
    load(s, [shared(*CYCLE_2020)])
    yield s
    s.close()


def test_committee_totals_agree_with_the_fecs_summary_where_the_raw_rows_do(cycle_2020: Store) -> None:
    """Every committee whose raw itemized rows add up to its webk20 figure (within $5): committee_totals
    gives that figure too, and shows it beside the FEC's with the difference."""
    folder = shared(*CYCLE_2020)
    raw, reported = raw_itemized_totals(folder), webk(folder)
    ours = {(f, side): (total, fec, diff) for f, r, rr, rd, d, dr, dd in cycle_2020.rows("""
                SELECT filer_id, receipts, reported_receipts, receipts_difference,
                       disbursements, reported_disbursements, disbursements_difference
                FROM committee_totals WHERE cycle = 2020""")
            for side, total, fec, diff in (("receipts", r, rr, rd), ("disbursements", d, dr, dd))}
    checked = 0
    for committee, figures in reported.items():
        for side, fec in figures.items():
            if fec == 0 or abs(raw[committee][side] - fec) > TOLERANCE:
                continue  # unitemized money, or reports not in the sample: the raw rows do not add up
            total, shown, difference = ours[(committee, side)]
            assert abs(total - fec) <= TOLERANCE, (committee, side, total, fec)
            assert shown == fec and difference == fec - total
            checked += 1
    assert checked > 300


def test_refunds_paid_are_disbursements(cycle_2020: Store) -> None:
    """RNC (C00003418) paid 109 refunds to individuals (22Y): the FEC's total disbursements include them."""
    folder = shared(*CYCLE_2020)
    fec = webk(folder)["C00003418"]["disbursements"]
    refunds = sum(Decimal(r[14]) for r in _pipe_rows(folder / "itcont.txt")
                  if r[0] == "C00003418" and r[5] == "22Y" and r[18] != "X")
    got, refunded = cycle_2020.rows("""SELECT disbursements, refunds_to_individuals FROM committee_totals
                                       WHERE filer_id = 'C00003418' AND cycle = 2020""")[0]
    assert refunds > 0 and refunded == refunds
    assert abs(got - fec) <= TOLERANCE


def test_no_negative_total_that_the_filings_do_not_file(cycle_2020: Store) -> None:
    negative = cycle_2020.rows("""
        SELECT c.filer_id, c.receipts < 0, c.disbursements < 0,
               count(*) FILTER (WHERE t.direction = 'receipt' AND t.amount < 0),
               count(*) FILTER (WHERE t.direction = 'disbursement' AND t.amount < 0)
        FROM committee_totals c JOIN transactions t
          ON t.filer_id = c.filer_id AND t.cycle = c.cycle AND t.counts_toward_totals
        WHERE c.receipts < 0 OR c.disbursements < 0
        GROUP BY ALL""")
    for filer, receipts_negative, disbursements_negative, negative_receipts, negative_disbursements in negative:
        assert negative_receipts or not receipts_negative, filer
        assert negative_disbursements or not disbursements_negative, filer
    # refund-paying committees of the sample that once showed negative disbursements
    for filer in ("C00557322", "C00010868"):
        assert cycle_2020.scalar("SELECT disbursements FROM committee_totals WHERE filer_id = ?", [filer]) > 0


def test_earmarks_the_recipient_coded_24t_count_for_the_recipient(cycle_2020: Store) -> None:
    """NRCC's line 11(a) receipts earmarked through VoteSane PAC, coded 24T (sub_id 4022220191643614200 ...)."""
    raw = [r for r in _pipe_rows(shared(*CYCLE_2020) / "itcont.txt") if r[0] == "C00075820" and r[5] == "24T"]
    assert len(raw) == 36 and {r[15] for r in raw} == {"C00484535"}
    rows = cycle_2020.rows("""SELECT direction, kind, other_id, counts_toward_totals, counts_in_flows, sum(amount)
                              FROM transactions WHERE filer_id = 'C00075820' AND fec_transaction_type = '24T'
                              GROUP BY ALL""")
    assert rows == [("receipt", "earmarked contribution", "C00484535", True, True, sum(Decimal(r[14]) for r in raw))]


# -- cover pages ----------------------------------------------------------------------------------------

EFILE = "fec-efile"


@pytest.fixture(scope="module")
def efile_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = Store(tmp_path_factory.mktemp("covers") / "store")
    load(s, sorted(p for p in shared(EFILE).glob("*.fec") if p.name != "filing_invalid_version.fec"))
    yield s
    s.close()


def test_filing_totals_are_the_filings_own_itemized_lines_beside_its_cover(efile_store: Store) -> None:
    """Every Form 3, 3X and 3P filing: its itemized receipts (Schedule A) and disbursements (Schedules B, E,
    F and the allocated H4 and H6) read by a second parser, and its cover page's total receipts and disbursements."""
    checked = 0
    for filing_id, itemized_r, cover_r, itemized_d, cover_d in efile_store.rows("""
            SELECT filing_id, itemized_receipts, cover_receipts, itemized_disbursements, cover_disbursements
            FROM filing_totals ORDER BY filing_id"""):
        try:
            parsed = hardmoney.parse_file(shared(EFILE, f"{filing_id}.fec"))
        except hardmoney.FecError:
            continue  # format 2.02 (13360), which that parser refuses
        sums = {"SA": Decimal(0), "S[BEF]": Decimal(0)}
        for line in parsed.iter_lines():
            schedule = line.form_type[:2]
            if schedule in ("SA", "SB", "SE", "SF", "H4", "H6") and not line.is_memo:
                amount = next(line.amount(k) for k in line.keys() if k.endswith("_amount") and line.get(k))
                sums["SA" if schedule == "SA" else "S[BEF]"] += amount
        cover = parsed.summary
        assert (itemized_r, itemized_d) == (sums["SA"], sums["S[BEF]"]), filing_id
        assert (cover_r, cover_d) == (Decimal(cover["col_a_total_receipts"]),
                                      Decimal(cover["col_a_total_disbursements"])), filing_id
        checked += 1
    assert checked >= 10


def test_offsets_received_are_receipts(efile_store: Store) -> None:
    """Biden for President's Q2 2021 report (1527862.fec): almost all its receipts are offsets (line 20(a));
    its cover's total receipts less what it itemized is what line 20(a) left unitemized."""
    cover = hardmoney.parse_file(shared(EFILE, "1527862.fec")).summary
    r, cover_r, difference = efile_store.rows("""SELECT itemized_receipts, cover_receipts, receipts_difference
                                                 FROM filing_totals WHERE filing_id = 1527862""")[0]
    offsets = efile_store.scalar("""SELECT summary_amount - itemized_sum FROM filing_checks
                                    WHERE filing_id = 1527862 AND line = '20(a)'""")
    assert r > 0 and cover_r == Decimal(cover["col_a_total_receipts"]) and difference == offsets
    totals = efile_store.rows("SELECT receipts, disbursements FROM committee_totals WHERE filer_id = 'C00703975'")
    assert totals == [(r, efile_store.scalar("SELECT itemized_disbursements FROM filing_totals "
                                             "WHERE filing_id = 1527862"))]


def test_committee_command_shows_the_totals_beside_the_fecs(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from moneytrail.cli import app

    folder = shared(*CYCLE_2020)
    with Store(tmp_path / "store") as store:
        load(store, [folder / "itcont.txt", folder / "oppexp.txt", folder / "webk20.txt", folder / "cm.txt"])
    fec, db = webk(folder)["C00003418"], str(tmp_path / "store")
    result = CliRunner().invoke(app, ["committee", "C00003418", "--db", db, "--format", "json", "--cycle", "2020"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [row] = data["totals"]
    assert row["cycle"] == 2020
    assert Decimal(row["reported_disbursements"]) == fec["disbursements"]
    assert Decimal(row["reported_receipts"]) == fec["receipts"]
    wide = CliRunner().invoke(app, ["committee", "C00003418", "--db", db], env={"COLUMNS": "200"})
    assert "cycles 2020 (all loaded)" in wide.output and f"${fec['disbursements']:,.2f}" in wide.output
