"""Why records were put together: the profiles of a donor, the scored links between them, and the judgements."""

from __future__ import annotations

from typing import Any

from ..store import Store
from .judgements import donor_records
from .linkage import COMPARISONS, level_labels

#: Most records listed by ``explain`` (the profile and link lists are complete).
RECORD_LIMIT = 200


def _dicts(store: Store, sql: str, params: list[object]) -> list[dict[str, Any]]:
    cur = store.con.execute(sql, params)
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def explain(store: Store, ident: str) -> dict[str, Any]:
    """Evidence for donor ``ident`` (a donor id, an old id that redirects, or one of its record keys)."""
    donor_id, keys = donor_records(store, ident)
    summary = _dicts(store, "SELECT * FROM donors WHERE donor_id = ?", [donor_id])
    profiles = _dicts(store, """SELECT node_id AS profile, surname, first_name, middle_initial, suffix, zip5, city,
                                       state, employer, occupation, records
                                FROM donor_nodes WHERE donor_id = ? ORDER BY records DESC, node_id""", [donor_id])
    records = _dicts(store, f"""
        SELECT t.txn_id, d.node_id AS profile, t.name, t.city, t.state, t.zip, t.employer, t.occupation, t.date,
               t.amount, t.counts_toward_totals, t.filer_id, t.source_file, t.source_line
        FROM donor_records d JOIN transactions t USING (txn_id)
        WHERE d.donor_id = ? ORDER BY t.date, t.txn_id LIMIT {RECORD_LIMIT}""", [donor_id])
    labels = level_labels()
    gammas = ", ".join([f"l.gamma_{c.name}" for c in COMPARISONS] + [f"l.mw_{c.name}" for c in COMPARISONS])
    threshold = store.scalar("SELECT threshold FROM resolve_runs ORDER BY run_id DESC LIMIT 1")
    links = []
    for row in _dicts(store, f"""
            SELECT l.node_l, l.node_r, l.match_probability, l.match_weight, a.donor_id AS donor_l,
                   b.donor_id AS donor_r, {gammas}
            FROM donor_links l JOIN donor_nodes a ON a.node_id = l.node_l JOIN donor_nodes b ON b.node_id = l.node_r
            WHERE a.donor_id = ? OR b.donor_id = ?
            ORDER BY l.match_probability DESC, l.node_l, l.node_r""", [donor_id, donor_id]):
        other = row["donor_r"] if row["donor_l"] == donor_id else row["donor_l"]
        links.append({
            "profile_l": row["node_l"], "profile_r": row["node_r"],
            "match_probability": round(float(row["match_probability"]), 6),
            "match_weight": round(float(row["match_weight"]), 2),
            "used": other == donor_id and threshold is not None and row["match_probability"] >= threshold,
            "other_donor": None if other == donor_id else other,
            "evidence": {c.name: {"level": labels[c.name].get(int(row[f"gamma_{c.name}"]), "?"),
                                  "weight": round(float(row[f"mw_{c.name}"] or 0), 2)} for c in COMPARISONS},
        })
    placeholders = ", ".join("?" for _ in keys) or "NULL"
    judgements = _dicts(store, f"""SELECT judgement_id, left_id, right_id, judgement, user_name, judged_at, reason
                                   FROM judgements WHERE left_id IN ({placeholders}) OR right_id IN ({placeholders})
                                   ORDER BY judgement_id""", [*keys, *keys])
    redirected = [str(o) for (o,) in store.rows(
        "SELECT old_donor_id FROM donor_id_redirects WHERE donor_id = ? ORDER BY 1", [donor_id])]
    return {
        "donor_id": donor_id,
        "asked_for": ident,
        "former_ids": redirected,
        "summary": summary[0] if summary else None,
        "threshold": threshold,
        "profiles": profiles,
        "links": links,
        "judgements": judgements,
        "records": records,
        "records_total": len(keys),
        "records_truncated": len(keys) > RECORD_LIMIT,
        "note": "records in one profile agree on every compared field after normalization; profiles are joined "
                "by links at or above the threshold (used) and by positive judgements",
    }
