"""The public schema: every table users query, column by column. docs/schema.md is generated from it."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

MONEY = pl.Decimal(18, 2)
MONEY_SQL = "DECIMAL(18,2)"


@dataclass(frozen=True)
class Column:
    name: str
    sql: str
    dtype: pl.DataType
    help: str


def _c(name: str, sql: str, help: str) -> Column:
    dtypes: dict[str, pl.DataType] = {
        "VARCHAR": pl.String(), "BIGINT": pl.Int64(), "INTEGER": pl.Int32(), "DATE": pl.Date(),
        "BOOLEAN": pl.Boolean(), MONEY_SQL: MONEY,
    }
    return Column(name, sql, dtypes[sql], help)


TRANSACTIONS = [
    _c("txn_id", "VARCHAR", "Stable id from the record's natural key (FEC SUB_ID for bulk rows); the same on every reload."),
    _c("source", "VARCHAR", "Where the row came from: fec-bulk, fec-efile, ..."),
    _c("source_file", "VARCHAR", "File name the row was read from (inside its archive, if any)."),
    _c("source_line", "BIGINT", "1-based line number in source_file."),
    _c("batch_id", "VARCHAR", "The load that added the row (see the loads table)."),
    _c("cycle", "INTEGER", "Two-year election cycle, named by its even year (2020 for 2019-2020)."),
    _c("filer_id", "VARCHAR", "FEC id of the committee that reported the transaction (CMTE_ID)."),
    _c("direction", "VARCHAR", "receipt or disbursement, from the filer's side: the schedule the row was filed on (an e-filing's record type, a bulk row's TRAN_ID where it names one), else the transaction type's."),
    _c("kind", "VARCHAR", "contribution, earmarked contribution, conduit pass-through, refund, transfer, ... (docs/counting.md)."),
    _c("fec_transaction_type", "VARCHAR", "FEC transaction type code (TRANSACTION_TP): 15, 15E, 24K, 22Y, ..."),
    _c("form_type", "VARCHAR", "Schedule line the row was reported on (SA11AI, SB23, LINE_NUM of oppexp), when known."),
    _c("entity_type", "VARCHAR", "ENTITY_TP: IND, ORG, PAC, PTY, CCM, COM, CAN."),
    _c("name", "VARCHAR", "Contributor, recipient or payee name as filed."),
    _c("city", "VARCHAR", "City as filed."),
    _c("state", "VARCHAR", "State as filed."),
    _c("zip", "VARCHAR", "ZIP code as filed (5 or 9 digits)."),
    _c("employer", "VARCHAR", "Employer as filed."),
    _c("occupation", "VARCHAR", "Occupation as filed."),
    _c("date", "DATE", "Transaction date (TRANSACTION_DT)."),
    _c("amount", MONEY_SQL, "Amount as filed, exact to the cent (TRANSACTION_AMT); may be negative."),
    _c("other_id", "VARCHAR", "FEC id of the other committee or candidate (for 15E: the conduit; for 24T/24K: the recipient)."),
    _c("candidate_id", "VARCHAR", "FEC candidate id the transaction is for (CAND_ID of itpas2), when given."),
    _c("memo", "BOOLEAN", "True for memo entries (MEMO_CD X): kept, never summed."),
    _c("memo_text", "VARCHAR", "MEMO_TEXT as filed."),
    _c("amendment", "VARCHAR", "AMNDT_IND of the report: N new, A amendment, T termination."),
    _c("report_type", "VARCHAR", "RPT_TP: Q1, M3, YE, 12G, TER, ..."),
    _c("report_year", "INTEGER", "Year of the report, when the record gives it (RPT_YR)."),
    _c("election", "VARCHAR", "TRANSACTION_PGI: the election the money is for (P primary, G general, ...)."),
    _c("image_number", "VARCHAR", "IMAGE_NUM: the page of the filing on the FEC's site."),
    _c("filing_id", "BIGINT", "FEC filing number (FILE_NUM)."),
    _c("sub_id", "BIGINT", "FEC's unique row id in the bulk files (SUB_ID)."),
    _c("tran_id", "VARCHAR", "The filer's own transaction id (TRAN_ID); kept across amendments."),
    _c("back_ref_tran_id", "VARCHAR", "TRAN_ID of the row this one refers to (memo rows, earmark detail)."),
    _c("purpose", "VARCHAR", "Purpose of a disbursement, as filed."),
    _c("aggregate_ytd", MONEY_SQL, "The filer's own year-to-date aggregate for this contributor, when filed."),
    _c("extra", "VARCHAR", "Fields of the source record that have no column here, as JSON."),
]

#: Columns the transactions view computes from the stored rows and the counting rules.
TRANSACTIONS_DERIVED = [
    _c("net_amount", MONEY_SQL, "What the row adds to the net flow between its filer and the other party: amount, negative for refunds (a refund from B back to A reduces what A gave B). Not a committee total: see committee_totals."),
    _c("counting_note", "VARCHAR", "Why the row counts or not, in words."),
    _c("superseded_by", "VARCHAR", "txn_id of the later amendment that replaces this row, if any."),
    _c("counts_toward_totals", "BOOLEAN", "True when the row adds to its filer's totals under the FEC's definitions (committee_totals: amount as filed, on its direction's side): not a memo entry, a notice, a detail schedule or a superseded row."),
    _c("counts_in_flows", "BOOLEAN", "True when the row is the one counted for money between two parties (profiles, graph, traces: net_amount), each dollar once: counts_toward_totals and not a conduit's own leg of an earmarked contribution (that dollar counts at the recipient)."),
    _c("donor_id", "VARCHAR", "The donor this contributor record was resolved to by `moneytrail resolve` (docs/resolution.md); null before resolution and for records left unresolved."),
]

COMMITTEES = [
    _c("committee_id", "VARCHAR", "CMTE_ID."),
    _c("cycle", "INTEGER", "Cycle of the committee master file the row came from."),
    _c("name", "VARCHAR", "CMTE_NM."),
    _c("treasurer", "VARCHAR", "TRES_NM."),
    _c("street_1", "VARCHAR", "CMTE_ST1."),
    _c("street_2", "VARCHAR", "CMTE_ST2."),
    _c("city", "VARCHAR", "CMTE_CITY."),
    _c("state", "VARCHAR", "CMTE_ST."),
    _c("zip", "VARCHAR", "CMTE_ZIP."),
    _c("designation", "VARCHAR", "CMTE_DSGN: A authorized, B lobbyist PAC, D leadership PAC, J joint fundraiser, P principal, U unauthorized."),
    _c("committee_type", "VARCHAR", "CMTE_TP: H House, S Senate, P presidential, O super PAC, Q qualified PAC, N nonqualified PAC, X/Y party, ..."),
    _c("party", "VARCHAR", "CMTE_PTY_AFFILIATION."),
    _c("filing_frequency", "VARCHAR", "CMTE_FILING_FREQ."),
    _c("org_type", "VARCHAR", "ORG_TP: interest group category (C corporation, L labor, M membership, T trade, V cooperative, W corporation without stock)."),
    _c("connected_org", "VARCHAR", "CONNECTED_ORG_NM."),
    _c("candidate_id", "VARCHAR", "CAND_ID of the candidate, for authorized committees."),
]

CANDIDATES = [
    _c("candidate_id", "VARCHAR", "CAND_ID."),
    _c("cycle", "INTEGER", "Cycle of the candidate master file the row came from."),
    _c("name", "VARCHAR", "CAND_NAME."),
    _c("party", "VARCHAR", "CAND_PTY_AFFILIATION."),
    _c("election_year", "INTEGER", "CAND_ELECTION_YR."),
    _c("office_state", "VARCHAR", "CAND_OFFICE_ST."),
    _c("office", "VARCHAR", "CAND_OFFICE: H House, S Senate, P President."),
    _c("office_district", "VARCHAR", "CAND_OFFICE_DISTRICT."),
    _c("incumbent_challenger", "VARCHAR", "CAND_ICI: I incumbent, C challenger, O open seat."),
    _c("status", "VARCHAR", "CAND_STATUS."),
    _c("principal_committee_id", "VARCHAR", "CAND_PCC."),
    _c("street_1", "VARCHAR", "CAND_ST1."),
    _c("street_2", "VARCHAR", "CAND_ST2."),
    _c("city", "VARCHAR", "CAND_CITY."),
    _c("state", "VARCHAR", "CAND_ST."),
    _c("zip", "VARCHAR", "CAND_ZIP."),
]

CANDIDATE_COMMITTEES = [
    _c("candidate_id", "VARCHAR", "CAND_ID."),
    _c("candidate_election_year", "INTEGER", "CAND_ELECTION_YR."),
    _c("fec_election_year", "INTEGER", "FEC_ELECTION_YR."),
    _c("committee_id", "VARCHAR", "CMTE_ID."),
    _c("committee_type", "VARCHAR", "CMTE_TP."),
    _c("designation", "VARCHAR", "CMTE_DSGN."),
    _c("linkage_id", "BIGINT", "LINKAGE_ID: FEC's id of the link."),
    _c("cycle", "INTEGER", "Cycle of the linkage file the row came from."),
]

#: Where each reference row came from.
PROVENANCE = [
    _c("source_file", "VARCHAR", "File the row was read from."),
    _c("source_line", "BIGINT", "1-based line number in source_file."),
    _c("batch_id", "VARCHAR", "The load that added the row; a later load of the same key replaces it."),
]
COMMITTEES += PROVENANCE
CANDIDATES += PROVENANCE
CANDIDATE_COMMITTEES += PROVENANCE

#: Candidate ids of itpas2 rows whose transaction was already stored without one (from itoth, by an earlier
#: load): records are never rewritten, so the id is kept here and the transactions view joins it in.
TRANSACTION_CANDIDATE_IDS = [
    _c("txn_id", "VARCHAR", "The transaction the candidate id is for (one row at most per txn_id)."),
    _c("candidate_id", "VARCHAR", "CAND_ID as read; transactions.candidate_id shows it where the stored row has none."),
    _c("source_file", "VARCHAR", "File the candidate id was read from (itpas2.txt)."),
    _c("source_line", "BIGINT", "1-based line number in source_file."),
    _c("batch_id", "VARCHAR", "The load that read it (see the loads table)."),
]

REJECTED_ROWS = [
    _c("batch_id", "VARCHAR", "The load that read the row."),
    _c("source", "VARCHAR", "Source family (fec-bulk, ...)."),
    _c("source_file", "VARCHAR", "File the row was read from."),
    _c("source_line", "BIGINT", "1-based line number."),
    _c("reason", "VARCHAR", "Why the row was not loaded."),
    _c("raw", "VARCHAR", "The line as read."),
]

FILINGS = [
    _c("filing_id", "BIGINT", "FEC filing number (the .fec file's name on docquery.fec.gov)."),
    _c("source", "VARCHAR", "fec-efile."),
    _c("source_file", "VARCHAR", "File the filing was read from."),
    _c("source_line", "BIGINT", "Line of the cover record in source_file."),
    _c("batch_id", "VARCHAR", "The load that added the filing."),
    _c("form_type", "VARCHAR", "Cover record type as filed: F3XN, F3XA, F3PN, F24N, F99, ..."),
    _c("base_form_type", "VARCHAR", "The form without its N/A/T suffix: F3X, F3, F3P, F24, F99, ..."),
    _c("amendment", "VARCHAR", "N new, A amendment, T termination (the form type's last letter)."),
    _c("amends_filing_id", "BIGINT", "The filing this amendment replaces, when its header names it (FEC-<n>)."),
    _c("filer_id", "VARCHAR", "FEC id of the filing committee."),
    _c("committee_name", "VARCHAR", "Committee name on the cover page."),
    _c("report_type", "VARCHAR", "Report code (Q1, M3, YE, 12G, ...), or 24/48 for notices."),
    _c("report_year", "INTEGER", "Year of the end of the coverage period (or of signing)."),
    _c("coverage_from", "DATE", "First day the report covers."),
    _c("coverage_through", "DATE", "Last day the report covers."),
    _c("date_signed", "DATE", "Date the treasurer signed."),
    _c("fec_version", "VARCHAR", "FEC electronic format version of the file (2.02 ... 8.x)."),
    _c("software", "VARCHAR", "Filing software and version named in the header."),
    _c("cycle", "INTEGER", "Two-year election cycle of the coverage period."),
    _c("header", "VARCHAR", "The header record's fields, as JSON."),
    _c("cover", "VARCHAR", "Every field of the cover record, as JSON (the summary page: col_a_* this period, col_b_* year or cycle to date)."),
]

FILING_LINES = [
    _c("filing_id", "BIGINT", "FEC filing number."),
    _c("source", "VARCHAR", "fec-efile."),
    _c("source_file", "VARCHAR", "File the line was read from."),
    _c("source_line", "BIGINT", "1-based line number in source_file."),
    _c("batch_id", "VARCHAR", "The load that read the line."),
    _c("record_type", "VARCHAR", "Record type as filed (HDR, TEXT, SC1/10, F3Z, H1, ...), or header block, text, blank line."),
    _c("table_name", "VARCHAR", "FEC layout the line was read with (HDR, TEXT, SchC1, F3Z, ...)."),
    _c("fields", "VARCHAR", "The line's fields by FEC name, as JSON."),
    _c("line_text", "VARCHAR", "The line as read."),
]

#: Stored tables and the column lists of their Parquet records. Summaries keep FEC names as read.
TABLES = {
    "transactions": TRANSACTIONS,
    "transaction_candidate_ids": TRANSACTION_CANDIDATE_IDS,
    "committees": COMMITTEES,
    "candidates": CANDIDATES,
    "candidate_committees": CANDIDATE_COMMITTEES,
    "rejected_rows": REJECTED_ROWS,
    "filings": FILINGS,
    "filing_lines": FILING_LINES,
}

#: The natural key of each table whose later loads replace earlier rows of the same key.
LATEST_BY = {
    "committees": ["committee_id", "cycle"],
    "candidates": ["candidate_id", "cycle"],
    "candidate_committees": ["linkage_id"],
    "committee_summaries": ["CMTE_ID", "cycle"],
    "candidate_summaries": ["CAND_ID", "cycle"],
}


def polars_schema(table: str) -> dict[str, pl.DataType]:
    return {c.name: c.dtype for c in TABLES[table]}
