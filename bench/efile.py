"""Benchmark: loading a large FEC electronic filing end to end, beside the parsers' own rates.

Builds a SYNTHETIC filing of tens of MB by repeating the itemizations of a real one (1544132.fec,
format 8.3) under a made-up filing number, then measures in the same run:

- ``load()`` end to end into a fresh store (read, split, map, Parquet, commit, views, refresh),
- hardmoney's own parse of the file (Rust core, whole filing in memory),
- fastfec's C core writing its per-form CSV files,
- the plain Polars line scan that moneytrail's reader starts from (the floor).

Each runs in its own process so that peak memory (max RSS) is its own. Usage:
``python bench/efile.py [--mb 70 141 280] [--before OLD/src]`` (one run per size, to show whether peak
memory grows with the file; ``--before`` also loads with the moneytrail source under OLD/src, e.g. a
checkout of an earlier commit, in the same run); writes into bench/out/. A parser that is not installed
is left out of the run. The load average is printed before and after each size.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Where the synthetic filings and the stores go (the tests point it elsewhere).
OUT = Path(os.environ.get("EFILE_BENCH_OUT") or HERE / "out" / "efile")
REAL = HERE.parents[1] / "shared" / "data" / "fec-efile" / "1544132.fec"
SYNTHETIC_ID = 990000001


def build(mb: int) -> Path:
    """A synthetic filing: the real header and cover, then the real body repeated to ``mb`` MB."""
    path = OUT / f"{SYNTHETIC_ID}-synthetic-{mb}mb.fec"
    if path.exists():
        return path
    lines = REAL.read_bytes().split(b"\n")
    head, body = lines[:2], [line for line in lines[2:] if line.strip()]
    chunk = b"\n".join(body) + b"\n"
    OUT.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        f.write(b"\n".join(head) + b"\n")
        for i in range(max(1, mb * 1_000_000 // len(chunk))):
            # Distinct transaction ids per copy, so that every row is its own transaction.
            f.write(chunk if i == 0 else _renumber(body, i))
    return path


def _renumber(body: list[bytes], i: int) -> bytes:
    out = []
    for line in body:
        fields = line.split(b"\x1c")
        if len(fields) > 2 and fields[0][:2] in (b"SA", b"SB", b"SE"):
            fields[2] = fields[2] + b"-%d" % i
        out.append(b"\x1c".join(fields))
    return b"\n".join(out) + b"\n"


def run_one(what: str, path: Path) -> dict[str, float]:
    start = time.perf_counter()
    source = ""
    if what == "moneytrail load":
        from moneytrail import Store, load

        root = OUT / "store"
        shutil.rmtree(root, ignore_errors=True)
        with Store(root) as store:
            report = load(store, [path])
        rows = report.rows_loaded
        source = str(Path(sys.modules["moneytrail"].__file__).parent)
    elif what == "hardmoney parse":
        import hardmoney

        rows = len(hardmoney.parse_file(path).lines)
    elif what == "fastfec parse_as_files":
        from fastfec import FastFEC

        out = OUT / "fastfec"
        shutil.rmtree(out, ignore_errors=True)
        with FastFEC() as fastfec, path.open("rb") as f:
            fastfec.parse_as_files(f, str(out))
        rows = 0
    else:  # the Polars line scan alone
        import polars as pl

        from moneytrail.sources.lines import scan_lines

        rows = scan_lines(path).select(pl.col("raw").str.split("\x1c").list.len().sum()).collect().item()
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # CPU seconds as well: on a shared machine they vary less than the wall time.
    return {"seconds": seconds, "rows": rows, "max_rss_mb": usage.ru_maxrss / 1e3,
            "cpu_seconds": usage.ru_utime + usage.ru_stime, "source": source}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, nargs="+", default=[70])
    parser.add_argument("--before", type=Path, help="src folder of another moneytrail checkout, also loaded")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, Path(args.path))))
        return
    for size in args.mb:
        bench(build(size), args.before)


def bench(path: Path, before: Path | None) -> None:
    mb = path.stat().st_size / 1e6
    print(f"synthetic filing {path.name}: {mb:.1f} MB (real 1544132.fec itemizations repeated); "
          f"load average {os.getloadavg()[0]:.2f}")
    runs = [("polars line scan", "polars", None), ("moneytrail load", "moneytrail", None)]
    if before is not None:
        runs.append(("moneytrail load (before)", "moneytrail", before.resolve()))
    runs += [("hardmoney parse", "hardmoney", None), ("fastfec parse_as_files", "fastfec", None)]
    results = {}
    for what, module, src in runs:
        if importlib.util.find_spec(module) is None:
            print(f"{what:24s} not installed, left out")
            continue
        env = None if src is None else {**os.environ, "PYTHONPATH": str(src)}
        done = subprocess.run([sys.executable, __file__, "--one", what.removesuffix(" (before)"), "--path", str(path)],
                              capture_output=True, text=True, check=True, env=env)
        results[what] = json.loads(done.stdout.strip().splitlines()[-1])
        if src is not None and not results[what]["source"].startswith(str(src)):
            raise SystemExit(f"--before {src}: the run imported moneytrail from {results[what]['source']}")
    base = results["moneytrail load"]["seconds"]
    for what, r in results.items():
        print(f"{what:24s} {mb / r['seconds']:7.1f} MB/s  {r['seconds']:6.2f} s  cpu {r['cpu_seconds']:6.2f} s"
              f"  peak {r['max_rss_mb']:6.0f} MB  ({base / r['seconds']:.2f}x moneytrail load's speed)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
