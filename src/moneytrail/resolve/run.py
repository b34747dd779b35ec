"""``resolve(store)``: contributor records -> profiles -> scored pairs -> clusters -> donors with stable ids.

Every table written here is derived and rebuilt by the next run, except ``judgements`` (read, never
written here) and ``donor_id_redirects`` (appended). Source rows are only read.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .. import settings
from ..store import Store
from . import committees, linkage, tables
from .cluster import Clusters, fresh_id
from .normalize import normalized_sql

#: Default clustering threshold on splink's match probability (docs/resolution.md, bench/resolve.py).
THRESHOLD = 0.99

_FIELDS = ["entity_class", "surname", "first_name", "middle_initial", "suffix", "zip5", "city", "state",
           "employer", "occupation"]


@dataclass
class ResolveReport:
    run_id: int
    records: int
    unresolved: int
    profiles: int
    links: int
    pairs_scored: int
    donors: int
    multi_record_donors: int
    judgements: int
    judgement_conflicts: int
    ids_kept: int
    ids_new: int
    ids_redirected: int
    committee_mentions: int
    seconds: float
    unresolved_by_reason: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _profile_key() -> str:
    parts = ", ".join(f"coalesce({f}, '~')" for f in _FIELDS)
    return f"'p:' || left(md5(concat_ws('|', {parts})), 20)"


def resolve(store: Store, *, threshold: float = THRESHOLD) -> ResolveReport:
    """Resolve every contributor record of the store into donors; see the package docstring."""
    started = time.monotonic()
    con = store.con
    tables.create(con)
    run_id = int(store.scalar("SELECT coalesce(max(run_id), 0) + 1 FROM resolve_runs") or 1)
    work = store.staging() / "resolve"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    # 1. Normalized records and their profiles; records named in judgements are profiles of their own.
    con.execute("""CREATE OR REPLACE TEMP TABLE _rs_judged AS
                   SELECT left_id AS txn_id FROM judgements UNION SELECT right_id FROM judgements""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _rs_records AS
        SELECT n.*,
               CASE WHEN n.unresolved_reason IS NOT NULL THEN NULL
                    WHEN j.txn_id IS NOT NULL THEN 'r:' || n.txn_id
                    ELSE {_profile_key()} END AS node_id
        FROM ({normalized_sql('transactions')}) n
        LEFT JOIN _rs_judged j USING (txn_id)""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _rs_nodes AS
        SELECT node_id, {', '.join(f'any_value({f}) AS {f}' for f in _FIELDS)}, count(*) AS records,
               min(txn_id) AS first_txn
        FROM _rs_records WHERE node_id IS NOT NULL GROUP BY node_id""")
    nodes_file = work / "nodes.parquet"
    con.execute(f"COPY (SELECT node_id, {', '.join(_FIELDS)} FROM _rs_nodes ORDER BY node_id) "
                f"TO '{nodes_file}' (FORMAT parquet)")

    # 2. Score blocked pairs with the fixed model, on a connection of its own (its work tables stay out
    #    of the catalog); spill to the staging folder when memory runs short.
    scorer = duckdb.connect(config={"memory_limit": settings.get("memory_limit"), "threads": settings.threads(),
                                    "temp_directory": str(work / "spill")})
    try:
        scorer.execute(f"CREATE TABLE mt_nodes AS SELECT * FROM read_parquet('{nodes_file}')")
        linkage.score(scorer, "mt_nodes", "mt_edges")
        pairs_scored = 0  # splink reports only the kept pairs; the count of blocked pairs is in bench/
        edges_file = work / "edges.parquet"
        scorer.execute(f"COPY (SELECT * FROM mt_edges ORDER BY node_l, node_r) TO '{edges_file}' (FORMAT parquet)")
    finally:
        scorer.close()
    con.execute(f"CREATE OR REPLACE TEMP TABLE _rs_links AS SELECT * FROM read_parquet('{edges_file}')")

    # 3. Clusters: positive judgements, then links strongest first; negative judgements are cannot-links.
    con.execute("""CREATE OR REPLACE TEMP TABLE _rs_idx AS
                   SELECT node_id, (row_number() OVER (ORDER BY node_id) - 1)::BIGINT AS idx FROM _rs_nodes""")
    n_nodes = int(store.scalar("SELECT count(*) FROM _rs_idx") or 0)
    judged = """
        WITH latest AS (
            SELECT left_id, right_id, arg_max(judgement, judgement_id) AS judgement, max(judgement_id) AS jid
            FROM judgements GROUP BY left_id, right_id)
        SELECT a.idx, b.idx FROM latest
        JOIN _rs_idx a ON a.node_id = 'r:' || left_id JOIN _rs_idx b ON b.node_id = 'r:' || right_id
        WHERE judgement = ? ORDER BY jid"""
    negatives = [(int(a), int(b)) for a, b in store.rows(judged, ["negative"])]
    positives = [(int(a), int(b)) for a, b in store.rows(judged, ["positive"])]
    clusters = Clusters(n_nodes, negatives)
    for a, b in positives:
        clusters.union(a, b)
    cur = con.execute("""
        SELECT a.idx, b.idx FROM _rs_links e
        JOIN _rs_idx a ON a.node_id = e.node_l JOIN _rs_idx b ON b.node_id = e.node_r
        WHERE e.match_probability >= ?
        ORDER BY e.match_probability DESC, e.node_l, e.node_r""", [threshold])
    links = 0
    while batch := cur.fetchmany(500_000):
        for a, b in batch:
            clusters.union(a, b)
        links += len(batch)
    roots = clusters.roots()
    roots_file = work / "roots.parquet"
    pq.write_table(pa.table({"idx": pa.array(range(n_nodes), pa.int64()), "root": pa.array(roots, pa.int64())}),
                   roots_file)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _rs_assign AS
        SELECT r.txn_id, c.root AS cluster
        FROM _rs_records r JOIN _rs_idx i USING (node_id) JOIN read_parquet('{roots_file}') c USING (idx)""")

    # 4. Donor ids (cluster.py): old ids follow most of their records; new clusters get a new id.
    ids = _assign_ids(store)

    # 5. Write the derived tables in one transaction.
    with store.transaction() as tx:
        tx.execute("""CREATE OR REPLACE TABLE donor_records AS
                      SELECT r.txn_id, d.donor_id, r.node_id, r.unresolved_reason
                      FROM _rs_records r LEFT JOIN _rs_assign a USING (txn_id)
                      LEFT JOIN _rs_cluster_ids d USING (cluster)
                      ORDER BY r.txn_id""")
        tx.execute(f"""CREATE OR REPLACE TABLE donor_nodes AS
                       SELECT n.node_id, d.donor_id, {', '.join('n.' + f for f in _FIELDS)}, n.records
                       FROM _rs_nodes n JOIN _rs_idx i USING (node_id)
                       JOIN read_parquet('{roots_file}') c USING (idx)
                       JOIN _rs_cluster_ids d ON d.cluster = c.root ORDER BY n.node_id""")
        tx.execute("DELETE FROM donor_links")
        tx.execute("INSERT INTO donor_links SELECT * FROM _rs_links")
        for old, new in ids["redirects"]:
            tx.execute("UPDATE donor_id_redirects SET donor_id = ? WHERE donor_id = ?", [new, old])
            tx.execute("INSERT INTO donor_id_redirects VALUES (?, ?, ?)", [old, new, run_id])
        mentions = committees.write_mentions(tx)
    counts = store.rows("""SELECT count(*), count(*) FILTER (WHERE donor_id IS NULL),
                                  count(DISTINCT donor_id) FROM donor_records""")[0]
    multi = store.scalar("SELECT count(*) FROM (SELECT donor_id FROM donor_records WHERE donor_id IS NOT NULL "
                         "GROUP BY donor_id HAVING count(*) > 1)")
    reasons = dict(store.rows("SELECT unresolved_reason, count(*) FROM donor_records "
                              "WHERE unresolved_reason IS NOT NULL GROUP BY 1 ORDER BY 2 DESC"))
    n_judgements = int(store.scalar("SELECT count(*) FROM judgements") or 0)
    seconds = round(time.monotonic() - started, 2)
    report = ResolveReport(
        run_id=run_id, records=int(counts[0]), unresolved=int(counts[1]), profiles=n_nodes, links=links,
        pairs_scored=pairs_scored or int(store.scalar("SELECT count(*) FROM _rs_links") or 0),
        donors=int(counts[2]), multi_record_donors=int(multi or 0), judgements=n_judgements,
        judgement_conflicts=clusters.skipped, ids_kept=ids["kept"], ids_new=ids["new"],
        ids_redirected=len(ids["redirects"]), committee_mentions=mentions, seconds=seconds,
        unresolved_by_reason={str(k): int(v) for k, v in reasons.items()})
    con.execute("INSERT INTO resolve_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, datetime.now().replace(microsecond=0), linkage.MODEL_VERSION, threshold, report.records,
                 report.unresolved, report.profiles, report.pairs_scored, report.links, report.donors, seconds])
    for t in ("_rs_judged", "_rs_records", "_rs_nodes", "_rs_idx", "_rs_links", "_rs_assign", "_rs_cluster_ids"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    shutil.rmtree(work, ignore_errors=True)
    return report


def _assign_ids(store: Store) -> dict[str, Any]:
    """Create ``_rs_cluster_ids(cluster, donor_id)`` by the rule of cluster.py; returns counts and redirects."""
    con = store.con
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _rs_votes AS
        SELECT a.cluster, p.donor_id AS old_id, count(*) AS n
        FROM _rs_assign a JOIN donor_records p USING (txn_id)
        WHERE p.donor_id IS NOT NULL GROUP BY a.cluster, p.donor_id""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _rs_owned AS
        WITH cmin AS (SELECT cluster, min(txn_id) AS first_txn FROM _rs_assign GROUP BY cluster)
        SELECT v.old_id, first(v.cluster ORDER BY v.n DESC, c.first_txn) AS cluster,
               first(v.n ORDER BY v.n DESC, c.first_txn) AS n
        FROM _rs_votes v JOIN cmin c USING (cluster) GROUP BY v.old_id""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _rs_kept AS
        SELECT cluster, first(old_id ORDER BY n DESC, old_id) AS donor_id FROM _rs_owned GROUP BY cluster""")
    redirects = [(str(o), str(n)) for o, n in con.execute("""
        SELECT o.old_id, k.donor_id FROM _rs_owned o JOIN _rs_kept k USING (cluster)
        WHERE o.old_id <> k.donor_id ORDER BY o.old_id""").fetchall()]
    taken = {str(i) for (i,) in con.execute("""
        SELECT DISTINCT donor_id FROM donor_records WHERE donor_id IS NOT NULL
        UNION SELECT old_donor_id FROM donor_id_redirects UNION SELECT donor_id FROM donor_id_redirects""").fetchall()}
    fresh_rows = con.execute("""
        SELECT a.cluster, min(a.txn_id) FROM _rs_assign a ANTI JOIN _rs_kept k USING (cluster)
        GROUP BY a.cluster ORDER BY 2""").fetchall()
    new_ids = []
    for cluster, first_txn in fresh_rows:
        donor = fresh_id(str(first_txn), taken)
        taken.add(donor)
        new_ids.append((cluster, donor))
    new_file = store.staging() / "resolve" / "new_ids.parquet"
    pq.write_table(pa.table({"cluster": pa.array([c for c, _ in new_ids], pa.int64()),
                             "donor_id": pa.array([d for _, d in new_ids], pa.string())}), new_file)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _rs_cluster_ids AS
                    SELECT cluster, donor_id FROM _rs_kept
                    UNION ALL SELECT cluster, donor_id FROM read_parquet('{new_file}')""")
    kept = int(con.execute("SELECT count(*) FROM _rs_kept").fetchall()[0][0])
    for t in ("_rs_votes", "_rs_owned", "_rs_kept"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    return {"kept": kept, "new": len(new_ids), "redirects": redirects}
