"""Graph benchmark: build the money graph of SYNTHETIC transactions, then time profiles and traces.

The transactions are generated straight into the store layout (one Parquet record file, logged like a
load), SYNTHETIC from end to end: invented committees C9xxxxxxx, donors "SYNTHETIC DONOR n", vendors
and candidates. The mix: individual contributions (85%), earmarked gifts reported by both the
recipient (15E) and the conduit (24T) (6%), committee-to-committee payments (4%, about a third of them
reported by both sides), vendor payments (4%) and independent expenditures (1%).

Printed beside each figure is a baseline measured in the same run: a plain DuckDB scan of the same
transactions (the query a user without the graph would run).

    python bench/graph.py                      # 10 million transactions
    python bench/graph.py --rows 1000000 --repeat 5
    python bench/graph.py --rows 1000000 --reuse   # time the queries again on the store of the last run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from moneytrail import Store  # noqa: E402
from moneytrail.graph import build, committee_profile, donor_profile, ensure, trace  # noqa: E402
from moneytrail.store import schema, views  # noqa: E402

OUT = HERE / "out" / "graph"
BATCH = "synthetic-graph-bench"

# Hash-derived pseudo-random integers: the same rows on every run.
R = "CAST(hash(i, {salt}) % {n} AS BIGINT)"


def _r(salt: int, n: int) -> str:
    return R.format(salt=salt, n=n)


def generate(store: Store, rows: int) -> Path:
    """Write ``rows`` SYNTHETIC transactions as one record file of the store and log it as a load."""
    committees, donors, vendors, candidates = 2000, max(rows // 10, 1000), 50_000, 5000
    n_indiv = int(rows * 0.85)
    n_ear = int(rows * 0.03)           # each makes a 15E and a 24T row
    n_24k = int(rows * 0.03)
    n_18k = rows // 100                # the recipients' own reports of the first 24K rows
    n_exp = int(rows * 0.04)
    n_ie = rows - n_indiv - 2 * n_ear - n_24k - n_18k - n_exp
    cmte = "'C9' || lpad(CAST({} AS VARCHAR), 7, '0')"
    day = f"DATE '2023-01-01' + CAST({_r(3, 700)} AS INTEGER)"
    amount = f"CAST([25, 50, 100, 250, 500, 1000, 2900, 5000][1 + {_r(4, 8)}] AS DECIMAL(18,2))"
    donor = f"'SYNTHETIC DONOR ' || {_r(5, donors)}"
    donor_zip = f"lpad(CAST(10000 + {_r(5, donors)} % 89999 AS VARCHAR), 5, '0')"
    # Contributions crowd into a few committees, as real ones do: square the uniform draw.
    popular = cmte.format(f"CAST(pow({_r(6, 1000)} / 1000.0, 2) * {committees} AS INTEGER) + 1")
    conduit = cmte.format("0")
    parts = {
        "indiv": (n_indiv, f"""'15' AS tp, {popular} AS filer_id, {donor} AS name, {donor_zip} AS zip,
                               NULL AS other_id, {day} AS date, {amount} AS amount"""),
        "e15": (n_ear, f"""'15E', {popular}, {donor}, {donor_zip}, {conduit}, {day}, {amount}"""),
        "e24t": (n_ear, f"""'24T', {conduit}, {donor}, {donor_zip}, {popular}, {day}, {amount}"""),
        "k24": (n_24k, f"""'24K', {cmte.format(_r(7, committees) + ' + 1')}, 'SYNTHETIC COMMITTEE', '00000',
                           {cmte.format(_r(8, committees) + ' + 1')}, {day}, {amount}"""),
        "k18": (n_18k, f"""'18K', {cmte.format(_r(8, committees) + ' + 1')}, 'SYNTHETIC COMMITTEE', '00000',
                           {cmte.format(_r(7, committees) + ' + 1')}, {day} + 2, {amount}"""),
        "exp": (n_exp, f"""NULL, {cmte.format(_r(9, committees) + ' + 1')},
                           'SYNTHETIC VENDOR ' || {_r(10, vendors)}, '00000', NULL, {day}, {amount}"""),
        "ie": (n_ie, f"""'24E', {cmte.format(_r(11, committees) + ' + 1')}, 'SYNTHETIC MEDIA BUYER', '00000',
                         'H4OR' || lpad(CAST({_r(12, candidates)} AS VARCHAR), 5, '0'), {day}, {amount}"""),
    }
    # e15/e24t and k24/k18 share their row numbers (i), so both reports of one payment agree.
    starts = {"indiv": 0, "e15": n_indiv}
    starts["e24t"] = starts["e15"]
    starts["k24"] = starts["k18"] = n_indiv + n_ear
    starts["exp"] = starts["k24"] + n_24k
    starts["ie"] = starts["exp"] + n_exp
    selects = [(name, n, starts[name], cols) for name, (n, cols) in parts.items()]
    columns = {c.name: c.sql for c in schema.TRANSACTIONS}
    store.staging()  # DuckDB spills large sorts here
    target = store.root / "records" / "transactions" / f"{BATCH}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    union = " UNION ALL ".join(
        f"SELECT {j} AS part, i, * FROM (SELECT {cols}, i FROM range({start}, {start + n}) t(i))"
        for j, (_name, n, start, cols) in enumerate(selects))
    store.con.execute(f"""
        COPY (
            SELECT 'synthetic:' || part || ':' || i AS txn_id, 'synthetic' AS source,
                   'synthetic-graph-bench' AS source_file,
                   row_number() OVER () AS source_line, '{BATCH}' AS batch_id, 2024 AS cycle, filer_id,
                   CASE WHEN tp IS NULL THEN 'disbursement' END AS direction,
                   CASE WHEN tp IS NULL THEN 'expenditure' END AS kind,
                   tp AS fec_transaction_type, NULL AS form_type, NULL AS entity_type, name, 'SYNTHETIC CITY' AS city,
                   'OR' AS state, zip, NULL AS employer, NULL AS occupation, date, amount, other_id,
                   NULL AS candidate_id, false AS memo, NULL AS memo_text, 'N' AS amendment, 'Q1' AS report_type,
                   2024 AS report_year, NULL AS election, NULL AS image_number, NULL AS filing_id,
                   NULL AS sub_id, NULL AS tran_id, NULL AS back_ref_tran_id, NULL AS purpose,
                   NULL AS aggregate_ytd, NULL AS extra
            FROM ({union})
        ) TO '{target}' (FORMAT parquet)""")
    cast = ", ".join(f"CAST({name} AS {sql}) AS {name}" for name, sql in columns.items())
    store.con.execute(f"COPY (SELECT {cast} FROM read_parquet('{target}')) TO '{target}.tmp' (FORMAT parquet)")
    os.replace(f"{target}.tmp", target)
    with store.transaction() as con:
        con.execute("INSERT INTO record_files VALUES (?, 'transactions', ?, ?)",
                    [BATCH, str(target.relative_to(store.root)), rows])
        con.execute("INSERT INTO loads (batch_id, loaded_at, source, file_kind, origin, rows_read, rows_loaded) "
                    "VALUES (?, now(), 'synthetic', 'graph-bench', 'bench/graph.py', ?, ?)", [BATCH, rows, rows])
    views.define(store)
    views.refresh(store)
    return target



def timed(fn, repeat: int) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    runs = []
    for i in range(repeat):
        started = time.perf_counter()
        fn(i)
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the store of the last run with as many rows (rebuild its graph only if stale)")
    args = parser.parse_args()
    reuse = args.reuse and (args.out / "store").exists()
    if not reuse:
        shutil.rmtree(args.out, ignore_errors=True)
    figures: dict[str, object] = {"rows": args.rows, "machine": f"{platform.machine()} {os.cpu_count()} cores",
                                  "python": platform.python_version()}
    with Store(args.out / "store") as store:
        if reuse:
            held = store.scalar("SELECT rows_loaded FROM loads WHERE batch_id = ?", [BATCH])
            if held != args.rows:
                sys.exit(f"{args.out} holds {held} rows, not {args.rows}: run without --reuse")
            stats = ensure(store)
            figures["build"] = stats.as_dict() if stats else "current graph kept"
        else:
            started = time.perf_counter()
            generate(store, args.rows)
            figures["generate_s"] = round(time.perf_counter() - started, 1)
            figures["build"] = build(store).as_dict()
        donors = [r[0] for r in store.rows("""SELECT src FROM graph_edges WHERE src LIKE 'D:%'
                                              GROUP BY 1 HAVING count(*) >= 5 ORDER BY hash(src) LIMIT ?""",
                                           [args.repeat])]
        committees = [r[0] for r in store.rows("""SELECT node_id FROM graph_nodes WHERE node_type = 'committee'
                                                  ORDER BY hash(node_id) LIMIT ?""", [args.repeat])]
        raw = store.files("transactions")[0]
        results = {}
        results["baseline: DuckDB scan of transactions for one donor name"] = timed(
            lambda i: store.rows("SELECT filer_id, sum(amount) FROM transactions WHERE name = ? GROUP BY 1",
                                 [donors[i][2:].split("|")[0]]),
            args.repeat)
        results["baseline: DuckDB scan of the Parquet file for one committee"] = timed(
            lambda i: store.rows(f"SELECT count(*), sum(amount) FROM read_parquet('{raw}') "
                                 "WHERE filer_id = ? OR other_id = ?", [committees[i], committees[i]]), args.repeat)
        results["donor profile"] = timed(lambda i: donor_profile(store, donors[i]), args.repeat)
        results["committee profile"] = timed(lambda i: committee_profile(store, committees[i]), args.repeat)
        results["trace, 3 hops, from a donor"] = timed(lambda i: trace(store, donors[i], hops=3), args.repeat)
        results["trace, 3 hops, from a committee"] = timed(lambda i: trace(store, committees[i], hops=3),
                                                           args.repeat)
    figures["median_ms"] = {k: round(v[0], 1) for k, v in results.items()}
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
