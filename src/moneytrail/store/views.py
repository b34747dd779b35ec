"""The public views over the record files, and the tables derived from them after each load.

Views are redefined whenever the set of record files changes; they read Parquet directly, so any
engine that reads Parquet sees the same rows (``records/<table>/*.parquet``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from .. import counting
from . import filings, totals
from .schema import LATEST_BY, TABLES

if TYPE_CHECKING:
    from .store import Store

EMPTY_DIR = "_empty"
#: Bump when a view's definition changes: a store whose views are older gets them anew when opened (for
#: the session only when opened read-only).
VIEWS_VERSION = "2"
#: Tables whose views always exist (an empty, typed file stands in before the first load).
TYPED = list(TABLES)
#: Tables that exist once a file of theirs is loaded.
OPTIONAL = ["committee_summaries", "candidate_summaries"]

SUPERSEDED_DDL = "CREATE TABLE IF NOT EXISTS _superseded (txn_id VARCHAR, superseded_by VARCHAR)"


def _quote(path: object) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _empty_file(store: Store, table: str) -> str:
    path = store.root / "records" / EMPTY_DIR / f"{table}.parquet"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pl.DataFrame(schema={c.name: c.dtype for c in TABLES[table]}).write_parquet(path)
    return str(path)


def define(store: Store, temporary: bool = False) -> None:
    """(Re)define every view from the load log."""
    kind = "TEMP VIEW" if temporary else "VIEW"
    con = store.con
    from ..resolve import tables as resolve_tables  # imported here: resolve imports the store package

    if not temporary:
        con.execute(SUPERSEDED_DDL)
        resolve_tables.create(con)  # donor_records exists (empty) before the first resolve
    for table in TYPED + OPTIONAL:
        files = [str(p) for p in store.files(table)]
        if not files and table in TYPED and not store.read_only:
            files = [_empty_file(store, table)]
        elif not files and table in TYPED:
            empty = store.root / "records" / EMPTY_DIR / f"{table}.parquet"
            files = [str(empty)] if empty.exists() else []
        if not files and table in TYPED:  # read-only, and no empty file written for it yet: typed, no rows
            source = "(SELECT " + ", ".join(f"NULL::{c.sql} AS {c.name}" for c in TABLES[table]) + " WHERE false)"
        elif files:
            source = f"read_parquet([{', '.join(map(_quote, files))}], union_by_name = true)"
        else:
            key = LATEST_BY[table][0]
            source = f"(SELECT NULL::VARCHAR AS {key}, NULL::INTEGER AS cycle, NULL::VARCHAR AS batch_id WHERE false)"
        con.execute(f"CREATE OR REPLACE {kind} _records_{table} AS SELECT * FROM {source}")
    _define_types(store, temporary)
    # The side: as the source gives it (e-filings: the schedule), else the schedule a bulk row's TRAN_ID
    # names, else the transaction type's. The kind: as the source gives it, else the type's, or, for a row
    # filed on the other side from its code's, what it is on the side it was filed on.
    side = f"coalesce(r.direction, {counting.schedule_direction_sql('r.tran_id')}, t.direction)"
    across = counting.kind_across_sides_sql("s.fec_transaction_type", "s.code_kind", "s.side", "s.memo_text")
    kind_sql = f"coalesce(s.kind, CASE WHEN s.side <> s.code_direction THEN {across} END, s.code_kind, 'other')"
    con.execute(f"""
        CREATE OR REPLACE {kind} transactions AS
        WITH sided AS (
            SELECT r.* REPLACE (coalesce(r.candidate_id, ci.candidate_id) AS candidate_id),
                   {side} AS side, t.direction AS code_direction, t.kind AS code_kind
            FROM _records_transactions r
            LEFT JOIN _records_transaction_candidate_ids ci ON ci.txn_id = r.txn_id
            LEFT JOIN fec_transaction_types t ON t.code = r.fec_transaction_type
        ),
        kinded AS (
            SELECT s.* EXCLUDE (code_direction, code_kind) REPLACE (s.side AS direction, {kind_sql} AS kind)
            FROM sided s
        ),
        ruled AS (
            SELECT k.* EXCLUDE (side),
                   {counting.net_amount_sql("k.kind", "k.amount")} AS net_amount,
                   {counting.note_sql("k.kind", "k.memo", "k.fec_transaction_type")} AS base_note
            FROM kinded k
        )
        SELECT u.* EXCLUDE (base_note),
               CASE WHEN s.superseded_by IS NULL THEN u.base_note
                    ELSE 'superseded by ' || s.superseded_by END AS counting_note,
               s.superseded_by,
               {counting.in_totals_sql("u.base_note")} AND s.superseded_by IS NULL AS counts_toward_totals,
               {counting.in_flows_sql("u.base_note")} AND s.superseded_by IS NULL AS counts_in_flows,
               dr.donor_id
        FROM ruled u LEFT JOIN _superseded s USING (txn_id)
        LEFT JOIN donor_records dr USING (txn_id)""")
    for table, key in LATEST_BY.items():
        # A later load of the same reference file (a newer snapshot) replaces the earlier rows.
        con.execute(f"""
            CREATE OR REPLACE {kind} {table} AS
            SELECT * FROM _records_{table}
            QUALIFY row_number() OVER (PARTITION BY {', '.join(key)} ORDER BY batch_id DESC) = 1""")
    con.execute(f"CREATE OR REPLACE {kind} rejected_rows AS SELECT * FROM _records_rejected_rows")
    con.execute(f"CREATE OR REPLACE {kind} transaction_candidate_ids AS "
                "SELECT * FROM _records_transaction_candidate_ids")
    resolve_tables.define_views(con, kind)  # donors, committee_names, related_committees
    filings.define(store, kind)
    totals.define(con, kind, summaries=bool(store.files("committee_summaries")))
    if not temporary:
        con.execute("INSERT OR REPLACE INTO meta VALUES ('root', ?)", [str(store.root)])
        con.execute("INSERT OR REPLACE INTO meta VALUES ('views_version', ?)", [VIEWS_VERSION])


def _define_types(store: Store, temporary: bool) -> None:
    """The FEC transaction type table the counting rules join on, from the package's layout data."""
    rows = [(t.code, t.direction, t.kind, t.description, t.fec_description, t.source)
            for t in counting.transaction_types().values()]
    values = ", ".join("(" + ", ".join("'" + v.replace("'", "''") + "'" for v in row) + ")" for row in rows)
    store.con.execute(f"""
        CREATE OR REPLACE {"TEMP VIEW" if temporary else "VIEW"} fec_transaction_types AS
        SELECT * FROM (VALUES {values}) AS t(code, direction, kind, description, fec_description, source)""")


def refresh(store: Store, batches: list[str] | None = None) -> None:
    """Recompute the derived tables after a load: rows superseded by a later amendment.

    Two rows report the same transaction when they share filer, TRAN_ID, report type and
    report year (the transaction's year where the record gives none); the row from the latest filing
    counts and the others are superseded by it (docs/counting.md).

    ``batches``: the loads just added. Only the report keys their rows hold can change, so when the
    store held transactions before and no rule across files applies (no IE file, no e-filing loaded),
    only those keys are recomputed; other rows keep their state. Otherwise every row is.
    """
    con = store.con
    con.execute(SUPERSEDED_DDL)
    ie_file, efile = _loaded(store, "file_kind = 'independent_expenditure'"), _loaded(store, "source = 'fec-efile'")
    new = ", ".join(map(_quote, batches or []))
    earlier = bool(new) and con.execute(
        f"SELECT count(*) > 0 FROM record_files WHERE target = 'transactions' AND batch_id NOT IN ({new})"
    ).fetchall()[0][0]
    incremental = earlier and not (ie_file or efile)
    # Few keys have more than one filing: a first pass over the keys' 64-bit hashes finds the candidates
    # with little memory, and only their rows are grouped by the key itself (a hash collision, or a key
    # repeated within one filing, only adds candidates, so the result is the same as grouping every row).
    # hash() of the columns themselves, without building one string per row, and count(*) rather than
    # min and max of filing_id: 8.3 -> 5.8 s of CPU on 11.4M rows (docs/benchmarks.md).
    # The key leaves out the source: an amendment read from an e-filing replaces the original's row
    # read from the bulk files too.
    key_hash = "hash(filer_id, tran_id, report_type, year)"
    touched = f"AND {key_hash} IN (SELECT {key_hash} FROM rows WHERE batch_id IN ({new}))" if incremental else ""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _amended AS
        WITH rows AS NOT MATERIALIZED (
            SELECT txn_id, batch_id, filing_id, filer_id, tran_id, coalesce(report_type, '') AS report_type,
                   coalesce(report_year, year(date), 0) AS year
            FROM _records_transactions
            WHERE tran_id IS NOT NULL AND filing_id IS NOT NULL
        ),
        candidates AS (
            SELECT {key_hash} AS key_hash FROM rows WHERE true {touched} GROUP BY key_hash HAVING count(*) > 1
        )
        SELECT * EXCLUDE (batch_id) FROM rows WHERE {key_hash} IN (SELECT key_hash FROM candidates)""")
    if incremental:
        # Every earlier pair of a touched key is among these rows: a key with a pair has two rows or more.
        con.execute("DELETE FROM _superseded WHERE txn_id IN (SELECT txn_id FROM _amended)")
    else:
        con.execute("DELETE FROM _superseded")
    con.execute("""
        INSERT INTO _superseded
        WITH latest AS (
            SELECT filer_id, tran_id, report_type, year, max(filing_id) AS filing_id,
                   arg_max(txn_id, filing_id) AS txn_id
            FROM _amended
            GROUP BY ALL
            HAVING count(DISTINCT filing_id) > 1
        )
        SELECT k.txn_id, l.txn_id AS superseded_by
        FROM _amended k JOIN latest l USING (filer_id, tran_id, report_type, year)
        WHERE k.filing_id < l.filing_id""")
    con.execute("DROP TABLE _amended")
    # The rules below join every transaction with every other; each is skipped when the load log shows
    # that no row can match it (e.g. no IE file or no e-filing loaded), which on bulk files alone saves
    # two scans of the store (4.3 s of 13 s of CPU on 11.4M rows).
    # The independent expenditure file repeats Schedule E rows that itoth or an e-filing also holds:
    # the other row counts, the IE-file row is kept as its copy.
    if ie_file:
        _mark_copies(store, copy="c.txn_id LIKE 'fec-ie:%'",
                     kept="o.txn_id NOT LIKE 'fec-ie:%' AND (o.fec_transaction_type IN ('24E', '24A') "
                          "OR o.form_type LIKE 'SE%')")
    if efile:
        # Every row of an e-filing that a later amendment replaces (store/filings.py).
        filings.refresh(store)
        # A transaction read from both the bulk files and the e-filing counts once, in the bulk row.
        _mark_copies(store, copy="c.source = 'fec-efile'",
                     kept="o.source = 'fec-bulk' AND o.txn_id NOT LIKE 'fec-ie:%'")


def _loaded(store: Store, where: str) -> bool:
    """Whether the load log holds a file matching ``where`` (the rows of this load's files are logged)."""
    return store.con.execute(f"SELECT count(*) > 0 FROM loads WHERE {where}").fetchall()[0][0]


def _mark_copies(store: Store, copy: str, kept: str) -> None:
    """Supersede rows matching ``copy`` (alias c) by a row matching ``kept`` (alias o) of the same
    filer, TRAN_ID and filing: the same transaction read from two files counts once."""
    store.con.execute(f"""
        INSERT INTO _superseded
        SELECT c.txn_id, min(o.txn_id)
        FROM _records_transactions c
        JOIN _records_transactions o
          ON o.filer_id = c.filer_id AND o.tran_id = c.tran_id AND o.filing_id = c.filing_id AND {kept}
        WHERE {copy} AND c.txn_id NOT IN (SELECT txn_id FROM _superseded)
        GROUP BY c.txn_id""")
