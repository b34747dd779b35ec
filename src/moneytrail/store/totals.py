"""Committee totals under the FEC's definitions, beside the figures the FEC and the filers report.

- ``committee_totals``: one row per filer and cycle: total receipts and total disbursements of the
  itemized rows that add to the filer's own totals (``counts_toward_totals``: each counted once, amount as
  filed, on the side it was filed on), their breakdown by summary line, and, where the FEC's PAC and party
  summary file (webk) of the cycle is loaded, its figures beside them with the difference (the unitemized
  part, or reports not loaded).
- ``filing_totals``: one row per Form 3, 3X or 3P e-filing: its own itemized receipts and disbursements
  beside the totals of its cover page (Column A, this period).

docs/counting.md explains each line with the FEC's source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from .. import counting

if TYPE_CHECKING:
    from .store import Store

#: Summary lines of committee_totals: (column, direction, the SQL condition on the row's kind and entity).
COMMITTEE = "('PAC', 'PTY', 'CCM', 'COM')"
CONTRIBUTIONS = "('contribution', 'earmarked contribution', 'conduit pass-through')"
LINES: list[tuple[str, str, str]] = [
    ("individual_contributions", "receipt",
     f"kind IN {CONTRIBUTIONS} AND coalesce(entity_type, '') NOT IN {COMMITTEE} "
     "AND coalesce(entity_type, '') <> 'CAN'"),
    ("committee_contributions", "receipt", f"kind IN {CONTRIBUTIONS} AND entity_type IN {COMMITTEE}"),
    ("candidate_contributions", "receipt",
     f"kind = 'candidate contribution' OR (kind IN {CONTRIBUTIONS} AND entity_type = 'CAN')"),
    ("transfers_from_affiliated", "receipt", "kind = 'affiliated transfer'"),
    ("loans_received", "receipt", "kind = 'loan'"),
    ("loan_repayments_received", "receipt", "kind = 'loan repayment'"),
    ("refunds_and_offsets_received", "receipt", "kind = 'refund'"),
    ("operating_expenditures", "disbursement", "kind = 'expenditure'"),
    ("transfers_to_affiliated", "disbursement", "kind = 'affiliated transfer'"),
    ("contributions_to_committees", "disbursement", f"kind IN {CONTRIBUTIONS}"),
    ("independent_expenditures", "disbursement", "kind = 'independent expenditure'"),
    ("coordinated_expenditures", "disbursement", "kind = 'coordinated expenditure'"),
    ("loan_repayments_made", "disbursement", "kind = 'loan repayment'"),
    ("loans_made", "disbursement", "kind = 'loan'"),
    ("refunds_to_individuals", "disbursement", f"kind = 'refund' AND coalesce(entity_type, '') NOT IN {COMMITTEE}"),
    ("refunds_to_committees", "disbursement", f"kind = 'refund' AND entity_type IN {COMMITTEE}"),
]
#: What is left on each side: the line of the rows no line above takes.
OTHER = {"receipt": "other_receipts", "disbursement": "other_disbursements"}
#: committee_totals column -> the webk column that reports the same line (the FEC's PAC and party summary).
REPORTED = {
    "receipts": "TTL_RECEIPTS", "disbursements": "TTL_DISB",
    "individual_contributions": "INDV_CONTRIB", "committee_contributions": "OTHER_POL_CMTE_CONTRIB",
    "candidate_contributions": "CAND_CONTRIB", "transfers_from_affiliated": "TRANS_FROM_AFF",
    "loans_received": "TTL_LOANS_RECEIVED", "transfers_to_affiliated": "TRANF_TO_AFF",
    "contributions_to_committees": "CONTRIB_TO_OTHER_CMTE", "independent_expenditures": "IND_EXP",
    "coordinated_expenditures": "PTY_COORD_EXP", "loan_repayments_made": "LOAN_REPAY",
    "refunds_to_individuals": "INDV_REFUNDS", "refunds_to_committees": "OTHER_POL_CMTE_REFUNDS",
}
#: Cover-page fields (Column A) of each form's total receipts and total disbursements.
COVER_TOTALS = {"F3X": ("total_receipts", "total_disbursements"), "F3": ("total_receipts", "total_disbursements"),
                "F3P": ("total_receipts", "total_disbursements")}
MONEY = "DECIMAL(18,2)"

#: What each line column holds, in the FEC's words where it has them (Form 3X line numbers; docs/counting.md).
LINE_HELP = {
    "individual_contributions": "Contributions from individuals and other persons that are not committees "
                                "(3X line 11(a)), earmarked ones included (15E).",
    "committee_contributions": "Contributions from party and other political committees (3X lines 11(b), 11(c)).",
    "candidate_contributions": "Contributions from the candidate (3 line 11(d), 3P line 17(d)).",
    "transfers_from_affiliated": "Transfers from affiliated or authorized committees (3X line 12).",
    "loans_received": "Loans received (3X line 13).",
    "loan_repayments_received": "Repayments of loans the committee made (3X line 14).",
    "refunds_and_offsets_received": "Offsets to operating expenditures (refunds, rebates) and refunds of "
                                    "contributions the committee made (3X lines 15, 16; 3 line 14; 3P line 20).",
    "other_receipts": "Other receipts: dividends, interest, nonfederal transfers, anything else on Schedule A.",
    "operating_expenditures": "Operating expenditures (3X line 21; operating expenditures file).",
    "transfers_to_affiliated": "Transfers to affiliated or authorized committees (3X line 22).",
    "contributions_to_committees": "Contributions to candidates and other committees, a conduit's pass-throughs "
                                   "included (3X line 23).",
    "independent_expenditures": "Independent expenditures (3X line 24, Schedule E).",
    "coordinated_expenditures": "Coordinated party expenditures (3X line 25, Schedule F).",
    "loan_repayments_made": "Loan repayments made (3X line 26).",
    "loans_made": "Loans made (3X line 27).",
    "refunds_to_individuals": "Contribution refunds to individuals and other persons (3X line 28(a)).",
    "refunds_to_committees": "Contribution refunds to party and other committees (3X lines 28(b), 28(c)).",
    "other_disbursements": "Other disbursements: communication costs, electioneering, nonfederal, anything else.",
}


def columns() -> list[tuple[str, str, str]]:
    """(name, SQL type, meaning) of every committee_totals column, for docs/schema.md."""
    out = [("filer_id", "VARCHAR", "The committee (transactions.filer_id)."),
           ("cycle", "INTEGER", "Two-year election cycle."),
           ("receipts", MONEY, "Total receipts of the itemized rows that count toward the committee's totals."),
           ("disbursements", MONEY, "Total disbursements of those rows (refunds paid included)."),
           ("receipt_rows", "BIGINT", "Rows summed into receipts."),
           ("disbursement_rows", "BIGINT", "Rows summed into disbursements.")]
    out += [(c, MONEY, LINE_HELP[c]) for c in line_columns()]
    for ours, fec in REPORTED.items():
        out += [(f"reported_{ours}", MONEY, f"The FEC's figure for {ours} (webk {fec}), where the summary is loaded."),
                (f"{ours}_difference", MONEY, f"reported_{ours} - {ours}: money reported but not itemized, "
                                              "or in reports not loaded.")]
    out += [("reported_through", "DATE", "Last day the FEC's summary covers (webk CVG_END_DT)."),
            ("reported_by", "VARCHAR", "Where the reported figures come from (webk), or null.")]
    return out


def line_columns() -> list[str]:
    """The line columns of committee_totals, receipts' lines first."""
    return [c for c, d, _ in LINES if d == "receipt"] + [OTHER["receipt"]] + \
        [c for c, d, _ in LINES if d == "disbursement"] + [OTHER["disbursement"]]


def _sum(column: str, value: str) -> str:
    return f"coalesce(sum(amount) FILTER (WHERE {column} = '{value}'), 0)::{MONEY}"


def _line_sql() -> str:
    whens = " ".join(f"WHEN direction = '{d}' AND ({cond}) THEN '{c}'" for c, d, cond in LINES)
    return (f"CASE {whens} WHEN direction = 'receipt' THEN '{OTHER['receipt']}' "
            f"WHEN direction = 'disbursement' THEN '{OTHER['disbursement']}' END")


def _reported_sql(summaries: bool) -> tuple[str, str]:
    """The reported columns of committee_totals and the join that brings them (none without a summary)."""
    if not summaries:
        nulls = [f"NULL::{MONEY} AS reported_{o}, NULL::{MONEY} AS {o}_difference" for o in REPORTED]
        return ", ".join([*nulls, "NULL::DATE AS reported_through", "NULL::VARCHAR AS reported_by"]), ""
    figures = [f"w.{fec}::{MONEY} AS reported_{ours}, (w.{fec} - coalesce(i.{ours}, 0))::{MONEY} AS {ours}_difference"
               for ours, fec in REPORTED.items()]
    # FULL: a committee the summary names but no itemized row of: the FEC's figures beside zeros
    return (", ".join([*figures, "w.CVG_END_DT AS reported_through",
                       "CASE WHEN w.CMTE_ID IS NOT NULL THEN 'webk' END AS reported_by"]),
            "FULL JOIN committee_summaries w ON w.CMTE_ID = i.filer_id AND w.cycle = i.cycle")


def define(con: duckdb.DuckDBPyConnection, kind: str, summaries: bool) -> None:
    """(Re)define committee_totals and filing_totals; ``summaries``: whether committee_summaries exists."""
    sums = ", ".join(f"{_sum('line', c)} AS {c}" for c in line_columns())
    names = ["receipts", "disbursements", "receipt_rows", "disbursement_rows", *line_columns()]
    reported, join = _reported_sql(summaries)
    key = ("coalesce(i.filer_id, w.CMTE_ID) AS filer_id, coalesce(i.cycle, w.cycle) AS cycle" if summaries
           else "i.filer_id, i.cycle")
    columns = ", ".join([key, *(f"coalesce(i.{c}, 0) AS {c}" for c in names), reported])
    con.execute(f"""
        CREATE OR REPLACE {kind} committee_totals AS
        WITH rows AS (
            SELECT filer_id, cycle, direction, amount, {_line_sql()} AS line
            FROM transactions WHERE counts_toward_totals AND direction IN ('receipt', 'disbursement')
        ),
        i AS (
            SELECT filer_id, cycle,
                   {_sum('direction', 'receipt')} AS receipts,
                   {_sum('direction', 'disbursement')} AS disbursements,
                   count(*) FILTER (WHERE direction = 'receipt') AS receipt_rows,
                   count(*) FILTER (WHERE direction = 'disbursement') AS disbursement_rows,
                   {sums}
            FROM rows GROUP BY filer_id, cycle
        )
        SELECT {columns} FROM i {join}""")
    covers = " ".join(f"WHEN '{form}' THEN '{field}'" for form, (field, _) in COVER_TOTALS.items())
    cover_d = " ".join(f"WHEN '{form}' THEN '{field}'" for form, (_, field) in COVER_TOTALS.items())
    forms = ", ".join(f"'{f}'" for f in COVER_TOTALS)
    kept_aside = ", ".join(f"'{k}'" for k in counting.NOT_IN_TOTALS)
    con.execute(f"""
        CREATE OR REPLACE {kind} filing_totals AS
        WITH own AS (
            -- the filing's own rows by their own rules, whether or not a later filing or the bulk files replace them
            SELECT filing_id,
                   {_sum('direction', 'receipt')} AS itemized_receipts,
                   {_sum('direction', 'disbursement')} AS itemized_disbursements,
                   count(*) AS itemized_rows
            FROM transactions
            WHERE source = 'fec-efile' AND NOT coalesce(memo, false) AND kind NOT IN ({kept_aside})
            GROUP BY filing_id
        ),
        cover AS (
            SELECT f.filing_id,
                   max(s.column_a) FILTER (WHERE s.field = CASE f.base_form_type {covers} END) AS cover_receipts,
                   max(s.column_a) FILTER (WHERE s.field = CASE f.base_form_type {cover_d} END) AS cover_disbursements
            FROM filings f JOIN filing_summary_lines s USING (filing_id)
            WHERE f.base_form_type IN ({forms})
            GROUP BY f.filing_id
        )
        SELECT f.filing_id, f.filer_id, f.form_type, f.report_type, f.coverage_from, f.coverage_through, f.cycle,
               f.superseded_by_filing_id,
               coalesce(o.itemized_receipts, 0)::{MONEY} AS itemized_receipts,
               c.cover_receipts::{MONEY} AS cover_receipts,
               (c.cover_receipts - coalesce(o.itemized_receipts, 0))::{MONEY} AS receipts_difference,
               coalesce(o.itemized_disbursements, 0)::{MONEY} AS itemized_disbursements,
               c.cover_disbursements::{MONEY} AS cover_disbursements,
               (c.cover_disbursements - coalesce(o.itemized_disbursements, 0))::{MONEY} AS disbursements_difference,
               coalesce(o.itemized_rows, 0) AS itemized_rows
        FROM filings f JOIN cover c USING (filing_id) LEFT JOIN own o USING (filing_id)""")


def for_committee(store: Store, committee_id: str, cycles: list[int] | None = None) -> list[dict[str, object]]:
    """The committee's rows of committee_totals (all loaded cycles, or those named), oldest cycle first."""
    names = [n for n, _, _ in columns()]
    where = "filer_id = ?" + (f" AND cycle IN ({', '.join('?' * len(cycles))})" if cycles else "")
    rows = store.rows(f"SELECT {', '.join(names)} FROM committee_totals WHERE {where} ORDER BY cycle",
                      [committee_id, *(cycles or [])])
    return [dict(zip(names, r, strict=True)) for r in rows]
