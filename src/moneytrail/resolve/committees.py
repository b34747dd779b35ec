"""Committee identity: committees are keyed by their FEC id across cycles; names are history, not identity.

``committee_names`` (a view, ``tables.py``) lists each id's names with the first and last cycle seen;
``related_committees`` shows committees sharing a street address + ZIP or a treasurer, as evidence,
never merged. ``committee_mentions`` (a table written by ``moneytrail resolve``) links transaction rows
whose counterparty is a committee to its id:

- method ``other_id``: the row's ``other_id`` is a known committee id and the counterparty is not a
  person (``entity_type`` not IND or CAN: for those, ``other_id`` names the conduit or recipient, not
  the person);
- method ``name``: otherwise, the counterparty name (``entity_type`` not IND or CAN), stripped of
  everything but letters and digits, equals a name some committee has carried, and only one committee
  ever carried it (an ambiguous name links to nothing).
"""

from __future__ import annotations

import duckdb


def name_key(expr: str) -> str:
    """SQL: the comparison key of a committee name (upper case letters and digits only)."""
    return f"regexp_replace(upper(coalesce({expr}, '')), '[^A-Z0-9]', '', 'g')"


def write_mentions(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild ``committee_mentions``; returns its row count."""
    con.execute(f"""
        CREATE OR REPLACE TABLE committee_mentions AS
        WITH ids AS (SELECT DISTINCT committee_id FROM committees),
        keys AS (
            SELECT {name_key('name')} AS key, min(committee_id) AS committee_id
            FROM committee_names GROUP BY 1 HAVING count(DISTINCT committee_id) = 1 AND length(key) >= 6
        ),
        rows AS (
            SELECT txn_id, other_id, {name_key('name')} AS key
            FROM transactions WHERE coalesce(entity_type, '') NOT IN ('IND', 'CAN')
        )
        SELECT r.txn_id, coalesce(i.committee_id, k.committee_id) AS committee_id,
               CASE WHEN i.committee_id IS NOT NULL THEN 'other_id' ELSE 'name' END AS method
        FROM rows r
        LEFT JOIN ids i ON i.committee_id = r.other_id
        LEFT JOIN keys k ON k.key = r.key
        WHERE i.committee_id IS NOT NULL OR k.committee_id IS NOT NULL
        ORDER BY r.txn_id""")
    return int(con.execute("SELECT count(*) FROM committee_mentions").fetchall()[0][0])
