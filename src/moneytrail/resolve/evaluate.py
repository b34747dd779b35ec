"""Accuracy of a resolution run: pairwise precision and recall against known truth, and the aggregate check.

Pairwise: every two records of one true contributor are a true pair; every two records with one
``donor_id`` are a predicted pair (an unresolved record pairs with nothing). Precision = correct
predicted pairs / predicted pairs; recall = correct predicted pairs / true pairs.

Aggregate check (an independent real test): in a ``.fec`` filing each Schedule A row carries the filing
committee's own year-to-date aggregate for that contributor (``aggregate_ytd``). For each such row we sum
the amounts of the same donor's rows to the same committee in the same calendar year up to that date
(rows of the same source, superseded amendments excluded) and count the rows where this equals the
filed aggregate, and those where it exceeds it (a sign of records wrongly put together; a sum below is
expected when earlier reports of the year are not loaded); donors taken as the exact name as filed are
the baseline.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..store import Store


@dataclass
class PairScores:
    records: int
    true_clusters: int
    predicted_clusters: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "precision": round(self.precision, 4), "recall": round(self.recall, 4)}


def pairwise(store: Store, truth_table: str) -> PairScores:
    """Scores of the last run against ``truth_table(txn_id, truth)``; truth NULL or '-' means a singleton."""
    row = store.rows(f"""
        WITH j AS (
            SELECT t.txn_id, CASE WHEN t.truth IS NULL OR t.truth = '-' THEN 'single:' || t.txn_id ELSE t.truth END
                       AS truth,
                   coalesce(d.donor_id, 'single:' || t.txn_id) AS pred
            FROM {truth_table} t LEFT JOIN donor_records d USING (txn_id)
        ),
        cells AS (SELECT truth, pred, count(*) AS n FROM j GROUP BY truth, pred),
        tc AS (SELECT truth, sum(n) AS n FROM cells GROUP BY truth),
        pc AS (SELECT pred, sum(n) AS n FROM cells GROUP BY pred)
        SELECT (SELECT count(*) FROM j), (SELECT count(*) FROM tc), (SELECT count(*) FROM pc),
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM tc),
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM pc),
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM cells)""")[0]
    return PairScores(*(int(v) for v in row))  # type: ignore[arg-type]


def aggregate_check(store: Store) -> dict[str, Any]:
    """Share of rows with a filed ``aggregate_ytd`` that the donor clusters (and exact names) reproduce."""
    rows = store.rows("""
        WITH base AS (
            SELECT t.txn_id, t.source, t.filer_id, t.donor_id, t.name, t.date, t.amount, t.aggregate_ytd,
                   t.superseded_by, t.memo
            FROM transactions t
            WHERE t.direction = 'receipt' AND t.date IS NOT NULL
              AND t.source IN (SELECT DISTINCT source FROM transactions WHERE aggregate_ytd IS NOT NULL)
        ),
        checked AS (SELECT * FROM base WHERE aggregate_ytd IS NOT NULL AND donor_id IS NOT NULL
                    AND superseded_by IS NULL)
        SELECT c.txn_id, c.aggregate_ytd,
               (SELECT sum(b.amount) FROM base b WHERE b.filer_id = c.filer_id AND b.donor_id = c.donor_id
                    AND b.source = c.source AND year(b.date) = year(c.date) AND b.date <= c.date
                    AND b.superseded_by IS NULL AND NOT coalesce(b.memo, false)) AS by_donor,
               (SELECT sum(b.amount) FROM base b WHERE b.filer_id = c.filer_id AND b.name = c.name
                    AND b.source = c.source AND year(b.date) = year(c.date) AND b.date <= c.date
                    AND b.superseded_by IS NULL AND NOT coalesce(b.memo, false)) AS by_name
        FROM checked c""")
    n = len(rows)
    donor_ok = sum(1 for _, agg, d, _ in rows if d is not None and d == agg)
    name_ok = sum(1 for _, agg, _, nm in rows if nm is not None and nm == agg)
    # A filing holds one period: earlier contributions of the year may be in reports not loaded, so a sum
    # below the filed aggregate is expected; a sum above it means records were wrongly put together.
    donor_over = sum(1 for _, agg, d, _ in rows if d is not None and d > agg)
    name_over = sum(1 for _, agg, _, nm in rows if nm is not None and nm > agg)
    return {"rows_with_aggregate": n, "reproduced_by_donor": donor_ok, "reproduced_by_exact_name": name_ok,
            "above_aggregate_by_donor": donor_over, "above_aggregate_by_exact_name": name_over,
            "share_by_donor": round(donor_ok / n, 4) if n else None,
            "share_by_exact_name": round(name_ok / n, 4) if n else None}
