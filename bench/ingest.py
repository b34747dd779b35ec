"""Ingest benchmark: moneytrail ``load()`` against the fastest plain reader of the same file, in the same run.

Each measurement runs in its own process, so its peak memory (max RSS) is its own:

* ``plain``: Polars ``scan_csv`` (``|``, no header, no quoting, 21 String columns) -> ``sink_parquet``;
  it checks nothing and keeps no provenance: the ceiling for reading the file.
* ``moneytrail``: ``load()`` of the same file into a fresh store, end to end (staging with every check,
  the duplicate check, commit, views, refresh of superseded rows).
* ``typed`` (with ``--typed``): the least any loader of the store does, written directly in Polars: the
  CSV reader, every field trimmed and empty ones null, the columns typed as the store types them (date,
  exact amount, integers) with their provenance (file, line, txn_id); no checks, no hash of the file,
  no duplicate check, no amendments. It shows how near the plain reader a loader could come at best.

The file is SYNTHETIC itcont data from ``bench/gen_itcont.py`` (made on first use, then reused).
The machine may be noisy: compare the ratio of the two in the same run, not figures across runs.

    python bench/ingest.py                  # 2 GB file, one round
    python bench/ingest.py --size 200MB --repeat 3
    python bench/ingest.py --typed          # and the floor of any loader beside them
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_itcont import COLUMNS, OUT, default_path, generate, parse_amount  # noqa: E402

CYCLE = 2024
SPLIT_ORDER = ["SHA-256 + line count (background thread, overlaps staging)",
               "staging (read, check, write Parquet; rejects pass if any)",
               "duplicate check (DuckDB)",
               "commit (move, log, views, refresh)",
               "  of which: define views",
               "  of which: refresh superseded rows",
               "load() total"]


# -- what runs in the child processes ----------------------------------------------------------------


def _plain(path: Path, work: Path) -> dict[str, object]:
    import polars as pl

    out = work / "plain.parquet"
    pl.scan_csv(path, separator="|", has_header=False, quote_char=None,
                schema={c: pl.String for c in COLUMNS}).sink_parquet(out)
    rows = pl.scan_parquet(out).select(pl.len()).collect().item()
    return {"rows_loaded": rows, "rows_read": rows, "rows_rejected": 0}


def _typed(path: Path, work: Path) -> dict[str, object]:
    import polars as pl

    from moneytrail.store.schema import MONEY

    out = work / "typed.parquet"
    fields = pl.scan_csv(path, separator="|", has_header=False, quote_char=None,
                         schema={c: pl.String for c in COLUMNS}).with_row_index("source_line", offset=1)
    trimmed = fields.with_columns(pl.col(c).str.strip_chars() for c in COLUMNS)
    nulled = trimmed.with_columns(pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in COLUMNS)
    text = [c for c in COLUMNS if c not in ("TRANSACTION_DT", "TRANSACTION_AMT", "FILE_NUM", "SUB_ID", "MEMO_CD")]
    nulled.select(
        (pl.lit("fec-bulk:") + pl.col("SUB_ID")).alias("txn_id"), pl.lit(path.name).alias("source_file"),
        pl.col("source_line").cast(pl.Int64), *text,
        pl.col("TRANSACTION_DT").str.strptime(pl.Date, "%m%d%Y", strict=False),
        pl.col("TRANSACTION_AMT").cast(MONEY, strict=False), pl.col("FILE_NUM").cast(pl.Int64, strict=False),
        pl.col("SUB_ID").cast(pl.Int64, strict=False), (pl.col("MEMO_CD").fill_null("") == "X").alias("memo"),
    ).sink_parquet(out, compression_level=1)
    rows = pl.scan_parquet(out).select(pl.len()).collect().item()
    return {"rows_loaded": rows, "rows_read": rows, "rows_rejected": 0}


def _moneytrail(path: Path, work: Path) -> dict[str, object]:
    import importlib

    from moneytrail import Store, load

    load_module = importlib.import_module("moneytrail.load")

    split: dict[str, float] = {}

    def timed(owner: object, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                split[label] = split.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, name, wrapper)

    # Where the time goes, without touching the code measured: wrap the steps of one load.
    for owner, name, label in zip([load_module, load_module, load_module._Loader, load_module._Loader, load_module,
                                   load_module], ["fingerprint", "_stage", "dedupe", "commit", "define", "refresh"],
                                  SPLIT_ORDER, strict=False):
        timed(owner, name, label)

    store_path = work / "store"
    shutil.rmtree(store_path, ignore_errors=True)
    with Store(store_path) as store:
        start = time.perf_counter()
        report = load(store, [path], cycle=CYCLE)
        split["load() total"] = time.perf_counter() - start
        stored = store.scalar("SELECT count(*) FROM transactions")
    return {"rows_read": report.rows_read, "rows_loaded": report.rows_loaded, "rows_rejected": report.rows_rejected,
            "rows_in_store": stored, "split": split}


def _child(mode: str, path: Path, work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    result = {"plain": _plain, "typed": _typed, "moneytrail": _moneytrail}[mode](path, work)
    result["seconds"] = time.perf_counter() - start
    print(json.dumps(result))


# -- the parent: runs the children, prints the figures -------------------------------------------------


def measure(mode: str, path: Path, work: Path) -> dict[str, object]:
    """Run one measurement in a fresh process; its own wall time and peak RSS."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, str(path), "--work", str(work)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} run failed (exit {proc.returncode})")
    result: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    result["peak_rss_bytes"] = usage.ru_maxrss * 1024  # Linux reports KiB
    # CPU seconds (user + system, every thread): other jobs on the machine move them far less than wall time.
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    result["mode"] = mode
    shutil.rmtree(work, ignore_errors=True)
    return result


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    except OSError:
        mem = float("nan")
    import duckdb
    import polars as pl

    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}, "
            f"Polars {pl.__version__}, DuckDB {duckdb.__version__}")


def _fmt(result: dict[str, object], size: int) -> str:
    seconds = float(result["seconds"])  # type: ignore[arg-type]
    rows = int(result["rows_loaded"])  # type: ignore[call-overload]
    return (f"{result['mode']:<11} {seconds:8.2f} s {size / seconds / 1e6:8.1f} MB/s {rows / seconds:12,.0f} rows/s"
            f" {int(result['peak_rss_bytes']) / 2**30:7.2f} GiB peak RSS"  # type: ignore[call-overload]
            f" {float(result['cpu_seconds']):8.2f} s CPU")  # type: ignore[arg-type]


def _loads(averages: tuple[float, float, float]) -> str:
    return ", ".join(f"{a:.2f}" for a in averages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="2GB", help="size of the synthetic file (default 2GB; e.g. 200MB)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of (plain, moneytrail); the median counts")
    parser.add_argument("--file", type=Path, help="an existing itcont-layout file to use instead of a synthetic one")
    parser.add_argument("--work", type=Path, default=OUT / "work", help="scratch folder (emptied after each run)")
    parser.add_argument("--typed", action="store_true",
                        help="also measure the least any loader does (trim, type, provenance; no checks)")
    parser.add_argument("--json", action="store_true", help="also print every figure as one JSON line")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], Path(args.child[1]), args.work)
        return 0

    path = args.file
    if path is None:
        label = args.size.upper()
        path = default_path(label)
        if not path.exists():
            written, lines = generate(path, size=parse_amount(label))
            print(f"generated {path} ({written:,} bytes, {lines:,} lines, synthetic)")
    size = path.stat().st_size
    with path.open("rb") as f:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b""))  # also warms the cache
    print(f"machine: {machine()}")
    print(f"file: {path} ({size:,} bytes, {lines:,} lines)")

    runs: list[tuple[dict[str, object], dict[str, object]]] = []
    for round_ in range(1, args.repeat + 1):
        # Other jobs on the machine move wall times (and, less, CPU seconds): print how busy it was.
        load_before = os.getloadavg()
        plain = measure("plain", path, args.work)
        ours = measure("moneytrail", path, args.work)
        runs.append((plain, ours))
        typed = measure("typed", path, args.work) if args.typed else None
        ratio = float(plain["seconds"]) / float(ours["seconds"])  # type: ignore[arg-type]
        print(f"round {round_}: load average (1, 5, 15 min) {_loads(load_before)} before, "
              f"{_loads(os.getloadavg())} after")
        print(f"  {_fmt(plain, size)}")
        print(f"  {_fmt(ours, size)}")
        cpu_ratio = float(plain["cpu_seconds"]) / float(ours["cpu_seconds"])  # type: ignore[arg-type]
        print(f"  ratio moneytrail/plain MB/s: {ratio:.2f} (of CPU seconds, plain/moneytrail: {cpu_ratio:.2f})")
        if typed is not None:
            print(f"  {_fmt(typed, size)}")
            print(f"  ratio typed/plain MB/s: {float(plain['seconds']) / float(typed['seconds']):.2f} "  # type: ignore[arg-type]
                  f"(of CPU seconds, plain/typed: {float(plain['cpu_seconds']) / float(typed['cpu_seconds']):.2f})")  # type: ignore[arg-type]
        print("  moneytrail load time split:")
        split: dict[str, float] = ours["split"]  # type: ignore[assignment]
        for label in SPLIT_ORDER:
            if label in split:
                print(f"    {label:<62} {split[label]:7.2f} s")

    def med(results: list[dict[str, object]], key: str) -> float:
        return statistics.median(float(r[key]) for r in results)  # type: ignore[arg-type]

    plain_s, ours_s = med([p for p, _ in runs], "seconds"), med([o for _, o in runs], "seconds")
    ratios = [float(p["seconds"]) / float(o["seconds"]) for p, o in runs]  # type: ignore[arg-type]
    last = runs[-1][1]
    summary = {
        "file": str(path), "bytes": size, "lines": lines, "repeat": args.repeat,
        "plain_mb_s": size / plain_s / 1e6, "moneytrail_mb_s": size / ours_s / 1e6,
        "plain_rows_s": lines / plain_s, "moneytrail_rows_s": lines / ours_s,
        "ratio": statistics.median(ratios),
        "cpu_ratio": statistics.median(float(p["cpu_seconds"]) / float(o["cpu_seconds"])  # type: ignore[arg-type]
                                       for p, o in runs),
        "plain_peak_rss_bytes": max(int(p["peak_rss_bytes"]) for p, _ in runs),  # type: ignore[call-overload]
        "moneytrail_peak_rss_bytes": max(int(o["peak_rss_bytes"]) for _, o in runs),  # type: ignore[call-overload]
        "rows_read": last["rows_read"], "rows_loaded": last["rows_loaded"], "rows_rejected": last["rows_rejected"],
        "rows_in_store": last["rows_in_store"],
    }
    print(f"median of {args.repeat}: plain {summary['plain_mb_s']:.1f} MB/s, moneytrail "
          f"{summary['moneytrail_mb_s']:.1f} MB/s ({summary['moneytrail_rows_s']:,.0f} rows/s), ratio "
          f"{summary['ratio']:.2f} (CPU {summary['cpu_ratio']:.2f}); peak RSS plain "
          f"{summary['plain_peak_rss_bytes'] / 2**30:.2f} GiB, moneytrail "
          f"{summary['moneytrail_peak_rss_bytes'] / 2**30:.2f} GiB")
    print(f"rows: {lines:,} lines, {last['rows_loaded']:,} loaded, {last['rows_rejected']:,} rejected, "
          f"{last['rows_in_store']:,} in the store")
    if args.json:
        print(json.dumps(summary))
    return 0 if last["rows_read"] == last["rows_loaded"] + last["rows_rejected"] == lines else 1


if __name__ == "__main__":
    raise SystemExit(main())
