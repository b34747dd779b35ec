"""Counting rules: which rows add to totals, and with which sign. See docs/counting.md.

The rules are applied when the ``transactions`` view is read, never written into the records, so a
corrected rule applies to every row already loaded. Per-row rules come from the FEC transaction type
(``sources/layouts/fec_transaction_types.csv``) and the memo code; the rule that compares rows (an
amendment superseding the original) is computed after each load, see ``store.views.refresh``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

#: Kinds whose rows are kept for the path but never summed: the same dollars are counted elsewhere.
NOT_COUNTED_KINDS = {
    "conduit pass-through": "conduit pass-through: counted once, at the recipient's earmarked receipt",
    "joint fundraising memo": "joint fundraising memo: the share is reported again when it is transferred",
    "independent expenditure notice": "24/48-hour notice (F24): itemized again on the filer's periodic report",
    "contribution notice": "48-hour notice (F6): itemized again on the candidate committee's periodic report",
    "loan detail": "Schedule C loan detail: the loan itself is itemized as a receipt (Schedule A)",
    "debt detail": "Schedule D debt detail: an obligation outstanding, not money paid",
}
#: Kinds whose amounts subtract from the totals they belong to.
REFUND_KINDS = ("refund",)
MEMO_NOTE = "memo entry (MEMO_CD X): kept, not summed"
COUNTED = "counted"


@dataclass(frozen=True)
class TransactionType:
    code: str
    direction: str
    kind: str
    description: str


@cache
def transaction_types() -> dict[str, TransactionType]:
    """The FEC transaction type codes, keyed by code."""
    text = resources.files("moneytrail.sources.layouts").joinpath("fec_transaction_types.csv").read_text()
    return {row["code"]: TransactionType(**row) for row in csv.DictReader(text.splitlines())}


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def note_sql(kind: str, memo: str) -> str:
    """SQL for ``counting_note``: why a row counts or not (before amendments are considered)."""
    whens = " ".join(f"WHEN {kind} = {_lit(k)} THEN {_lit(why)}" for k, why in NOT_COUNTED_KINDS.items())
    return f"CASE WHEN {memo} THEN {_lit(MEMO_NOTE)} {whens} ELSE {_lit(COUNTED)} END"


def net_amount_sql(kind: str, amount: str) -> str:
    """SQL for ``net_amount``: the amount with the sign it takes in totals."""
    refunds = ", ".join(_lit(k) for k in REFUND_KINDS)
    return f"CASE WHEN {kind} IN ({refunds}) THEN -{amount} ELSE {amount} END"
