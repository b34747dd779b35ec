"""Query benchmark: a store the size of a full FEC cycle of itcont, queried on this machine.

Loads a SYNTHETIC itcont file of ``--rows`` lines (default 20M, about a full cycle's contributions by
individuals) into a fresh store, then, in a separate process, times the questions reporters ask: totals
per committee over the counted rows, and lookups of a donor by name. Prints each query's time (first
and second run) and the peak memory (max RSS) of the load and of the query process.

    python bench/query.py                   # 20M rows (about 3.5 GB of text)
    python bench/query.py --rows 2M
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_itcont import OUT, default_path, generate, parse_amount  # noqa: E402

QUERIES = {
    "totals per committee (committee_totals)": "SELECT filer_id, cycle, receipts, disbursements FROM committee_totals",
    "one donor by exact name": "SELECT * FROM transactions WHERE name = 'GITENSTEIN, OLIVIA'",
    "donors by name prefix (non-ASCII)": "SELECT name, city, sum(net_amount) FROM transactions "
                                         "WHERE name LIKE 'MUÑOZ, J%' AND counts_in_flows GROUP BY ALL",
    "rows superseded by an amendment": "SELECT count(*) FROM transactions WHERE superseded_by IS NOT NULL",
}


def _load(path: Path, store_path: Path) -> dict[str, object]:
    from moneytrail import Store, load

    shutil.rmtree(store_path, ignore_errors=True)
    with Store(store_path) as store:
        start = time.perf_counter()
        report = load(store, [path], cycle=2024)
        seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in (store_path / "records").rglob("*.parquet"))
    return {"seconds": seconds, "rows_loaded": report.rows_loaded, "parquet_bytes": size}


def _query(store_path: Path) -> dict[str, object]:
    from moneytrail import Store

    times: dict[str, list[float]] = {}
    rows: dict[str, int] = {}
    with Store(store_path, read_only=True) as store:
        for label, sql in QUERIES.items():
            for _ in range(2):
                start = time.perf_counter()
                result = store.rows(sql)
                times.setdefault(label, []).append(time.perf_counter() - start)
            rows[label] = len(result)
    return {"times": times, "rows": rows}


def _child(mode: str, args: list[str]) -> None:
    result = _load(Path(args[0]), Path(args[1])) if mode == "load" else _query(Path(args[0]))
    print(json.dumps(result))


def measure(mode: str, *args: str) -> dict[str, object]:
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", mode, *args],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{mode} failed")
    result: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    result["peak_rss_bytes"] = usage.ru_maxrss * 1024
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="20M", help="lines of synthetic itcont to load (default 20M)")
    parser.add_argument("--store", type=Path, default=OUT / "query-store", help="store folder (replaced)")
    parser.add_argument("--keep", action="store_true", help="keep the store and the generated file")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], args.child[1:])
        return 0
    path = default_path(args.rows.upper() + "ROWS")
    if not path.exists():
        written, lines = generate(path, rows=parse_amount(args.rows))
        print(f"generated {path} ({written:,} bytes, {lines:,} lines, synthetic)")
    size = path.stat().st_size
    loaded = measure("load", str(path), str(args.store))
    print(f"load: {loaded['rows_loaded']:,} rows from {size / 1e9:.2f} GB in {loaded['seconds']:.1f} s "
          f"({size / float(loaded['seconds']) / 1e6:.0f} MB/s), peak RSS "  # type: ignore[arg-type]
          f"{int(loaded['peak_rss_bytes']) / 2**30:.2f} GiB, store "  # type: ignore[call-overload]
          f"{int(loaded['parquet_bytes']) / 1e9:.2f} GB of Parquet")  # type: ignore[call-overload]
    queried = measure("query", str(args.store))
    times: dict[str, list[float]] = queried["times"]  # type: ignore[assignment]
    rows: dict[str, int] = queried["rows"]  # type: ignore[assignment]
    for label, (first, second) in times.items():
        print(f"  {label:<40} first {first:6.2f} s, again {second:6.2f} s, {rows[label]:,} result rows")
    print(f"query process peak RSS: {int(queried['peak_rss_bytes']) / 2**30:.2f} GiB")  # type: ignore[call-overload]
    if not args.keep:
        shutil.rmtree(args.store, ignore_errors=True)
        path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
