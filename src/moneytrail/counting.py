"""Counting rules: which rows add to totals, on which side, and with which sign. See docs/counting.md.

Two figures, never mixed:

- a committee's **totals** under the FEC's definitions (``committee_totals``): every row that adds to
  its filer's own report, with its amount as filed, on the side of the schedule it was filed on (refunds
  paid are disbursements, refunds and offsets received are receipts); the flag is
  ``counts_toward_totals``;
- **net flows** between two parties (profiles, graph edges, traces): each dollar once across all
  filers (a conduit's legs and joint-fundraising memos are passed over, the recipient's row counts), and a
  refund from B back to A reduces what A gave B: ``net_amount`` with the flag ``counts_in_flows``.

The rules are applied when the ``transactions`` view is read, never written into the records, so a
corrected rule applies to every row already loaded. Per-row rules come from the FEC transaction type
(``sources/layouts/fec_transaction_types.csv``), the schedule a row was filed on and the memo code; the
rule that compares rows (an amendment superseding the original) is computed after each load, see
``store.views.refresh``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

#: Kinds whose rows are kept but add to no total: the same dollars are reported on another line or report.
NOT_IN_TOTALS = {
    "joint fundraising memo": "joint fundraising memo: the share is reported again when it is transferred",
    "independent expenditure notice": "24/48-hour notice (F24): itemized again on the filer's periodic report",
    "contribution notice": "48-hour notice (F6): itemized again on the candidate committee's periodic report",
    "loan detail": "Schedule C loan detail: the loan itself is itemized as a receipt (Schedule A)",
    "debt detail": "Schedule D debt detail: an obligation outstanding, not money paid",
}
#: Codes of a conduit forwarding the contributor's own check: memo entries on the conduit's report.
FORWARDED_CHECK_CODES = ("15I", "24I")
FORWARDED_CHECK = "earmarked check forwarded by a conduit (15I/24I): a memo entry on the conduit's report"
#: Kinds that count in their filer's totals but not in flows: the same dollars count once, at the recipient.
NOT_IN_FLOWS = {
    "conduit pass-through": "conduit pass-through: in the conduit's totals; in flows the dollar counts once, "
                            "at the recipient's earmarked receipt",
}
#: Kinds whose amounts subtract from the flow they return (``net_amount``); in totals they add on their side.
REFUND_KINDS = ("refund",)
MEMO_NOTE = "memo entry (MEMO_CD X): kept, not summed"
COUNTED = "counted"


@dataclass(frozen=True)
class TransactionType:
    code: str
    direction: str
    kind: str
    description: str
    fec_description: str
    source: str


@cache
def transaction_types() -> dict[str, TransactionType]:
    """The FEC transaction type codes, keyed by code."""
    text = resources.files("moneytrail.sources.layouts").joinpath("fec_transaction_types.csv").read_text()
    return {row["code"]: TransactionType(**row) for row in csv.DictReader(text.splitlines())}


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in(values: object) -> str:
    return ", ".join(_lit(v) for v in values)  # type: ignore[attr-defined]


def schedule_direction_sql(tran_id: str) -> str:
    """SQL for the side of the schedule a bulk row was filed on, where its TRAN_ID names the schedule
    (``SA11AI.4896``, ``SB23.4447``, ``SA17-989362``: filing software names its ids so); else NULL.

    The FEC's bulk files give a row's transaction type but not its schedule line, and a few filers' rows
    carry a code of the other side (NRCC's line 11(a) earmarked receipts coded 24T, refunds received on
    line 16 coded 24K or 22Z): the schedule the filer used decides the side."""
    return (f"CASE WHEN {tran_id}[3] BETWEEN '0' AND '9' THEN CASE {tran_id}[1:2] "
            f"WHEN 'SA' THEN 'receipt' WHEN 'SB' THEN 'disbursement' END END")


def kind_across_sides_sql(code: str, code_kind: str, side: str, memo_text: str) -> str:
    """SQL for the kind of a row filed on the other side from its code's (``side`` is where it was filed).

    A 24T/24I receipt is the conduit's report of an earmarked contribution it took in (``other_id`` names
    the recipient: ActBlue, NORPAC, VoteSane file them so), unless its memo names the other committee as
    the conduit ('EARMARK: VOTESANE', 'EARMARKED THROUGH ...'): then the filer is the recipient and the row
    is its earmarked contribution, with the conduit in ``other_id`` as on a 15E row. A contribution or a
    refund code on the other side is a refund (money given back); anything else is 'other'."""
    names_conduit = (f"(upper({memo_text}) LIKE 'EARMARK:%' OR upper({memo_text}) LIKE '%EARMARKED THROUGH%' "
                     f"OR upper({memo_text}) LIKE '%EARMARKED VIA%')")
    return (f"CASE WHEN {side} = 'receipt' AND {code} IN ('24T', '24I') THEN "
            f"CASE WHEN coalesce({names_conduit}, false) THEN 'earmarked contribution' "
            f"ELSE 'conduit pass-through' END "
            f"WHEN {code_kind} IN ('contribution', 'earmarked contribution', 'refund') THEN 'refund' "
            f"ELSE 'other' END")


def note_sql(kind: str, memo: str, code: str) -> str:
    """SQL for the base counting note: why a row counts or not (before amendments are considered)."""
    whens = " ".join(f"WHEN {kind} = {_lit(k)} THEN {_lit(why)}" for k, why in NOT_IN_TOTALS.items())
    flows = " ".join(f"WHEN {kind} = {_lit(k)} THEN {_lit(why)}" for k, why in NOT_IN_FLOWS.items())
    return (f"CASE WHEN {memo} THEN {_lit(MEMO_NOTE)} {whens} "
            f"WHEN {code} IN ({_in(FORWARDED_CHECK_CODES)}) THEN {_lit(FORWARDED_CHECK)} "
            f"{flows} ELSE {_lit(COUNTED)} END")


def in_totals_sql(note: str) -> str:
    """SQL: whether a row with this base note adds to its filer's totals (before amendments)."""
    return f"{note} IN ({_in([COUNTED, *NOT_IN_FLOWS.values()])})"


def in_flows_sql(note: str) -> str:
    """SQL: whether a row with this base note is the one counted in flows (before amendments)."""
    return f"{note} = {_lit(COUNTED)}"


def net_amount_sql(kind: str, amount: str) -> str:
    """SQL for ``net_amount``: what the row adds to the net flow between its filer and the other party."""
    return f"CASE WHEN {kind} IN ({_in(REFUND_KINDS)}) THEN -{amount} ELSE {amount} END"


def code_treatment(t: TransactionType) -> tuple[str, str]:
    """In words, whether a non-memo row of this code adds to its filer's totals and to flows."""
    if t.kind in NOT_IN_TOTALS:
        return "no: " + NOT_IN_TOTALS[t.kind].split(": ", 1)[1], "no"
    if t.code in FORWARDED_CHECK_CODES:
        return "no: a memo entry on the conduit's report", "no"
    if t.kind in NOT_IN_FLOWS:
        return "yes, the conduit's", "no: counted at the recipient"
    if t.kind in REFUND_KINDS:
        return f"yes, as a {t.direction}", "yes, subtracting from the flow it returns"
    return f"yes, as a {t.direction}", "yes"
