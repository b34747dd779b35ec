"""Views over FEC electronic filings: filings, their summary pages, reconciliation, amendments.

- ``filings``: one row per filing (header and cover page), with ``superseded_by_filing_id`` when a later
  amendment replaces it.
- ``filing_lines``: every line of a filing that is neither an itemization nor the cover record.
- ``filing_summary_lines``: the summary page, one row per field, Column A and Column B side by side.
- ``filing_checks``: for Forms 3X, 3 and 3P, each summary line that itemized lines report beside the
  sum of those lines (memo entries excluded). ``ok`` is false when a line that must be itemized in
  full differs from its sum, or when a line that may hold unitemized entries ($200 or less) is below
  its itemized sum; ``difference`` is always shown.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import Store

SUPERSEDED_FILINGS_DDL = "CREATE TABLE IF NOT EXISTS _superseded_filings (filing_id BIGINT, superseded_by BIGINT)"


@cache
def summary_lines() -> list[tuple[str, str, str, str, str]]:
    """(base form, line label, cover field, relation, record-type prefix) of every reconciled summary line."""
    text = resources.files("moneytrail.sources.layouts").joinpath("fec_efile_lines.toml").read_text()
    return [(form, rule["line"], rule["field"], rule["relation"], prefix)
            for form, rules in tomllib.loads(text).items() for rule in rules for prefix in rule["record_types"]]


def _values(rows: list[tuple[str, ...]]) -> str:
    return ", ".join("(" + ", ".join("'" + v.replace("'", "''") + "'" for v in row) + ")" for row in rows)


def define(store: Store, kind: str) -> None:
    """(Re)define the filing views; ``kind`` is VIEW or TEMP VIEW."""
    con = store.con
    if kind == "VIEW":
        con.execute(SUPERSEDED_FILINGS_DDL)
    con.execute(f"""
        CREATE OR REPLACE {kind} filings AS
        SELECT f.*, s.superseded_by AS superseded_by_filing_id
        FROM _records_filings f LEFT JOIN _superseded_filings s USING (filing_id)
        QUALIFY row_number() OVER (PARTITION BY f.filing_id ORDER BY f.batch_id DESC) = 1""")
    con.execute(f"CREATE OR REPLACE {kind} filing_lines AS SELECT * FROM _records_filing_lines")
    con.execute(f"""
        CREATE OR REPLACE {kind} filing_summary_lines AS
        WITH fields AS (
            SELECT f.filing_id, f.form_type, f.base_form_type, k.key,
                   nullif(trim(json_extract_string(f.cover, '$."' || k.key || '"')), '') AS value
            FROM filings f, unnest(json_keys(f.cover)) AS k(key)
            WHERE k.key LIKE 'col\\_a\\_%' ESCAPE '\\' OR k.key LIKE 'col\\_b\\_%' ESCAPE '\\'
        )
        SELECT filing_id, form_type, base_form_type, substr(key, 7) AS field,
               max(CASE WHEN key LIKE 'col_a_%' THEN TRY_CAST(value AS DECIMAL(18,2)) END) AS column_a,
               max(CASE WHEN key LIKE 'col_b_%' THEN TRY_CAST(value AS DECIMAL(18,2)) END) AS column_b,
               bool_or(key LIKE 'col_a_%') AS has_column_a
        FROM fields GROUP BY ALL""")
    rules = _values(summary_lines())
    con.execute(f"""
        CREATE OR REPLACE {kind} filing_checks AS
        WITH rules(base_form_type, line, field, relation, record_type) AS (VALUES {rules}),
        lines AS (SELECT DISTINCT base_form_type, line, field, relation FROM rules),
        itemized AS (
            SELECT t.filing_id, r.line, sum(t.amount) AS itemized_sum, count(*) AS itemized_rows
            FROM _records_transactions t
            JOIN filings f ON f.filing_id = t.filing_id
            JOIN rules r ON r.base_form_type = f.base_form_type AND starts_with(t.form_type, r.record_type)
            WHERE t.source = 'fec-efile' AND NOT coalesce(t.memo, false)
            GROUP BY ALL
        )
        SELECT s.filing_id, s.form_type, f.filer_id, f.report_type, l.line, l.field, l.relation,
               coalesce(s.column_a, 0) AS summary_amount,
               coalesce(i.itemized_sum, 0) AS itemized_sum,
               coalesce(i.itemized_rows, 0) AS itemized_rows,
               coalesce(s.column_a, 0) - coalesce(i.itemized_sum, 0) AS difference,
               CASE WHEN l.relation = 'at_least' THEN coalesce(s.column_a, 0) >= coalesce(i.itemized_sum, 0)
                    ELSE coalesce(s.column_a, 0) = coalesce(i.itemized_sum, 0) END AS ok
        FROM filing_summary_lines s
        JOIN filings f USING (filing_id)
        JOIN lines l ON l.base_form_type = s.base_form_type AND l.field = s.field
        LEFT JOIN itemized i ON i.filing_id = s.filing_id AND i.line = l.line
        WHERE s.has_column_a
        ORDER BY s.filing_id, l.line""")


def refresh(store: Store) -> None:
    """Mark filings replaced by a later amendment, and every itemization of them as superseded.

    A filing is replaced by a later one that names it (the header's ``FEC-<n>``), or by a later
    filing (higher filing number) of the same committee, form, report type and coverage period. An
    itemization of a replaced filing is superseded by the row with the same TRAN_ID in the replacing
    filing, or, where there is none, by the filing itself (``fec-efile:<filing number>``).
    """
    con = store.con
    con.execute(SUPERSEDED_FILINGS_DDL)
    con.execute("""
        CREATE OR REPLACE TABLE _superseded_filings AS
        SELECT old.filing_id, max(new.filing_id) AS superseded_by
        FROM _records_filings old
        JOIN _records_filings new ON new.filing_id <> old.filing_id AND (
            new.amends_filing_id = old.filing_id
            OR (new.filing_id > old.filing_id AND new.filer_id = old.filer_id
                AND new.base_form_type = old.base_form_type AND new.report_type = old.report_type
                AND new.coverage_from = old.coverage_from AND new.coverage_through = old.coverage_through))
        GROUP BY old.filing_id""")
    con.execute("""
        INSERT INTO _superseded
        SELECT t.txn_id, coalesce(min(n.txn_id), 'fec-efile:' || s.superseded_by) AS superseded_by
        FROM _records_transactions t
        JOIN _superseded_filings s ON s.filing_id = t.filing_id
        LEFT JOIN _records_transactions n
          ON n.filing_id = s.superseded_by AND n.source = 'fec-efile' AND n.tran_id = t.tran_id
        WHERE t.source = 'fec-efile' AND t.txn_id NOT IN (SELECT txn_id FROM _superseded)
        GROUP BY t.txn_id, s.superseded_by""")
