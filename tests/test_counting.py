"""The FEC transaction type table (sources/layouts/fec_transaction_types.csv), code by code, against the FEC's
own description of each code (kept in the table's fec_description column, with its source)."""

from __future__ import annotations

import pytest

from moneytrail import Store, counting

FEC_PAGE = "https://www.fec.gov/campaign-finance-data/transaction-type-code-descriptions/"
TYPES = counting.transaction_types()


def kind_from_the_fecs_words(description: str) -> str:
    """The kind a reader of the FEC's description would give the code (docs/counting.md lists the kinds)."""
    d = description.lower()
    rules = [
        (d.startswith("memo") or " - memo - " in d, "joint fundraising memo"),
        ("earmarked" in d and "intermediary" in d, "conduit pass-through"),
        ("earmarked" in d, "earmarked contribution"),
        ("refund" in d and "loan" not in d, "refund"),
        ("loans forgiven" in d or d.startswith("contribution from candidate"), "candidate contribution"),
        (d.startswith("contribution") or "in-kind contribution" in d, "contribution"),
        ("loan repay" in d or "loan repaid" in d, "loan repayment"),
        ("loan" in d, "loan"),
        ("independent expenditure" in d, "independent expenditure"),
        ("coordinated" in d, "coordinated expenditure"),
        ("communication cost" in d, "communication cost"),
        ("electioneering communication disbursement" in d, "electioneering communication"),
        ("transfer" in d, "affiliated transfer"),
        ("honorarium" in d, "honorarium"),
        ("nonfederal" in d, "nonfederal"),
        ("disbursement" in d, "expenditure"),
    ]
    return next((kind for matches, kind in rules if matches), "contribution")


@pytest.mark.parametrize("code", sorted(TYPES))
def test_each_code_means_what_the_fec_says(code: str) -> None:
    t = TYPES[code]
    assert t.fec_description and t.source.startswith(FEC_PAGE)
    # The FEC numbers receipts 10-19 and 30-32 (Schedule A), disbursements 20-29 and 40-42 (Schedules B, E).
    assert t.direction == ("receipt" if code[0] in "13" else "disbursement")
    assert t.kind == kind_from_the_fecs_words(t.fec_description), t.fec_description


def test_every_code_of_the_real_samples_is_in_the_table(bulk_store: Store) -> None:
    codes = {c for (c,) in bulk_store.rows("SELECT DISTINCT fec_transaction_type FROM transactions "
                                           "WHERE fec_transaction_type IS NOT NULL")}
    assert codes and codes <= set(TYPES)


def test_a_row_takes_the_side_of_its_schedule(bulk_store: Store) -> None:
    """Real rows: the side follows the schedule the TRAN_ID names, else the code (NRCC's SA11A 24T, the
    SA16 refunds coded 24K, Pelosi's SA17 rows coded 41)."""
    rows = bulk_store.rows("""SELECT fec_transaction_type, tran_id, direction FROM transactions
                              WHERE source = 'fec-bulk' AND fec_transaction_type IS NOT NULL""")
    flipped = 0
    for code, tran_id, direction in rows:
        named = tran_id[:2] if tran_id and tran_id[2:3].isdigit() and tran_id[:2] in ("SA", "SB") else None
        expected = {"SA": "receipt", "SB": "disbursement"}.get(named or "", TYPES[code].direction)
        assert direction == expected, (code, tran_id)
        flipped += expected != TYPES[code].direction
    assert flipped > 50
