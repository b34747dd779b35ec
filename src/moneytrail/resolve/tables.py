"""The tables and views of resolution, created on every store open so that queries work before any run.

Derived (rebuilt by each ``moneytrail resolve``): ``donor_records``, ``donor_nodes``, ``donor_links``,
``committee_mentions``, ``resolve_runs`` (appended). Kept (user data, never rebuilt): ``judgements``,
and ``donor_id_redirects`` (which old donor ids now live on in which donor). Views: ``donors``,
``committee_names``, ``related_committees``.
"""

from __future__ import annotations

import duckdb

from .linkage import COMPARISONS

_GAMMAS = ", ".join([f"gamma_{c.name} INTEGER" for c in COMPARISONS] + [f"mw_{c.name} DOUBLE" for c in COMPARISONS])

DDL = f"""
CREATE TABLE IF NOT EXISTS donor_records (
    txn_id VARCHAR, donor_id VARCHAR, node_id VARCHAR, unresolved_reason VARCHAR);
CREATE TABLE IF NOT EXISTS donor_nodes (
    node_id VARCHAR, donor_id VARCHAR, entity_class VARCHAR, surname VARCHAR, first_name VARCHAR,
    middle_initial VARCHAR, suffix VARCHAR, zip5 VARCHAR, city VARCHAR, state VARCHAR, employer VARCHAR,
    occupation VARCHAR, records BIGINT);
CREATE TABLE IF NOT EXISTS donor_links (
    node_l VARCHAR, node_r VARCHAR, match_probability DOUBLE, match_weight DOUBLE, {_GAMMAS});
CREATE TABLE IF NOT EXISTS judgements (
    judgement_id BIGINT, left_id VARCHAR, right_id VARCHAR, judgement VARCHAR, user_name VARCHAR,
    judged_at TIMESTAMP, reason VARCHAR);
CREATE TABLE IF NOT EXISTS donor_id_redirects (old_donor_id VARCHAR, donor_id VARCHAR, run_id BIGINT);
CREATE TABLE IF NOT EXISTS resolve_runs (
    run_id BIGINT, started_at TIMESTAMP, model_version VARCHAR, threshold DOUBLE, records BIGINT,
    unresolved BIGINT, profiles BIGINT, pairs_scored BIGINT, links BIGINT, donors BIGINT, seconds DOUBLE);
CREATE TABLE IF NOT EXISTS committee_mentions (txn_id VARCHAR, committee_id VARCHAR, method VARCHAR);
"""


def create(con: duckdb.DuckDBPyConnection) -> None:
    """Create the resolution tables that do not exist yet (empty until the first ``resolve``)."""
    con.execute(DDL)


def define_views(con: duckdb.DuckDBPyConnection, kind: str = "VIEW") -> None:
    """The ``donors``, ``committee_names`` and ``related_committees`` views (``kind`` may be TEMP VIEW)."""
    con.execute(f"""
        CREATE OR REPLACE {kind} donors AS
        WITH r AS (SELECT * FROM transactions WHERE donor_id IS NOT NULL),
        names AS (SELECT donor_id, name, count(*) AS n, max(date) AS last FROM r GROUP BY donor_id, name)
        SELECT r.donor_id,
               any_value(c.name) AS name,
               any_value(n.entity_class) AS entity_class,
               list_sort(list_distinct(list(r.name))) AS name_variants,
               list_sort(list_distinct(list(concat_ws(', ', r.city, concat_ws(' ', r.state, left(r.zip, 5))))))
                   AS locations,
               list_sort(list_distinct(list(r.employer))) AS employers,
               list_sort(list_distinct(list(r.occupation))) AS occupations,
               count(*) AS records,
               count(*) FILTER (WHERE r.counts_in_flows) AS counted_records,
               coalesce(sum(r.net_amount) FILTER (WHERE r.counts_in_flows), 0)::DECIMAL(18,2) AS total,
               min(r.date) AS first_date,
               max(r.date) AS last_date
        FROM r
        JOIN (SELECT donor_id, first(name ORDER BY n DESC, last DESC NULLS LAST, name) AS name
              FROM names GROUP BY donor_id) c USING (donor_id)
        LEFT JOIN (SELECT donor_id, any_value(entity_class) AS entity_class FROM donor_nodes GROUP BY donor_id) n
             USING (donor_id)
        GROUP BY r.donor_id""")
    con.execute(f"""
        CREATE OR REPLACE {kind} committee_names AS
        SELECT committee_id, name, min(cycle) AS first_cycle, max(cycle) AS last_cycle,
               list_sort(list_distinct(list(cycle))) AS cycles
        FROM committees
        WHERE name IS NOT NULL
        GROUP BY committee_id, name""")
    # Shared street + ZIP5, or shared treasurer, in any cycle's committee master file: related, not merged.
    con.execute(f"""
        CREATE OR REPLACE {kind} related_committees AS
        WITH c AS (
            SELECT committee_id, cycle, name,
                   nullif(trim(regexp_replace(upper(concat_ws(' ', street_1, street_2)), '[^A-Z0-9]+', ' ', 'g')), '')
                       AS street,
                   nullif(left(regexp_replace(coalesce(zip, ''), '[^0-9]', '', 'g'), 5), '') AS zip5,
                   nullif(trim(regexp_replace(upper(coalesce(treasurer, '')), '[^A-Z0-9]+', ' ', 'g')), '')
                       AS treasurer_n
            FROM committees
        ),
        pairs AS (
            SELECT a.committee_id AS committee_id, b.committee_id AS related_id, a.cycle, b.cycle AS related_cycle,
                   'same street and ZIP' AS evidence, a.street || ' ' || a.zip5 AS shared_value
            FROM c a JOIN c b ON a.street = b.street AND a.zip5 = b.zip5 AND a.committee_id <> b.committee_id
            UNION ALL
            SELECT a.committee_id, b.committee_id, a.cycle, b.cycle, 'same treasurer', a.treasurer_n
            FROM c a JOIN c b ON a.treasurer_n = b.treasurer_n AND a.committee_id <> b.committee_id
        )
        SELECT committee_id, related_id, evidence, shared_value,
               list_sort(list_distinct(list(cycle))) AS cycles,
               list_sort(list_distinct(list(related_cycle))) AS related_cycles
        FROM pairs
        GROUP BY committee_id, related_id, evidence, shared_value""")
