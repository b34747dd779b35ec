"""The ingest benchmark runs end to end on a few MB of synthetic data (its figures are not checked here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def run(*args: str) -> str:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True, timeout=300)
    return done.stdout


def test_generator_is_synthetic_deterministic_and_fec_shaped(tmp_path: Path) -> None:
    first, second = tmp_path / "synthetic-itcont-a.txt", tmp_path / "synthetic-itcont-b.txt"
    run(str(BENCH / "gen_itcont.py"), "--size", "1MB", "--out", str(first))
    run(str(BENCH / "gen_itcont.py"), "--size", "1MB", "--out", str(second))
    data = first.read_bytes()
    assert data == second.read_bytes() and 990_000 < len(data) <= 1_000_000
    lines = data.decode("utf-8").splitlines()
    assert all(line.count("|") == 20 for line in lines)
    assert not lines[0].startswith("CMTE_ID")  # no header line, as in the FEC's files
    fields = [line.split("|") for line in lines]
    assert len({f[20] for f in fields}) == len(lines)  # unique SUB_IDs
    assert {"15", "15E", "22Y"} <= {f[5] for f in fields}
    assert any(f[18] == "X" for f in fields) and any(not line.isascii() for line in lines)
    assert all(f[15].startswith("C") for f in fields if f[5] == "15E")
    assert all(f[14].startswith("-") for f in fields if f[5] == "22Y")


def test_ingest_benchmark_prints_its_figures_and_loads_every_line(tmp_path: Path) -> None:
    path = tmp_path / "synthetic-itcont-3MB.txt"
    run(str(BENCH / "gen_itcont.py"), "--size", "3MB", "--out", str(path))
    lines = path.read_bytes().count(b"\n")
    out = run(str(BENCH / "ingest.py"), "--file", str(path), "--work", str(tmp_path / "work"), "--json",
              "--typed")
    for figure in ("MB/s", "rows/s", "peak RSS", "ratio", "staging", "refresh", "ratio typed/plain"):
        assert figure in out
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["lines"] == lines
    assert summary["rows_loaded"] == summary["rows_in_store"] == lines and summary["rows_rejected"] == 0
    assert summary["plain_peak_rss_bytes"] > 0 and summary["moneytrail_peak_rss_bytes"] > 0


def test_efile_benchmark_loads_the_synthetic_filing_beside_an_earlier_source(tmp_path: Path) -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    done = subprocess.run([sys.executable, str(BENCH / "efile.py"), "--mb", "1", "--before", str(src)],
                          capture_output=True, text=True, check=True, timeout=300,
                          env={**os.environ, "EFILE_BENCH_OUT": str(tmp_path)})
    out = done.stdout
    for figure in ("MB/s", "cpu", "peak", "moneytrail load (before)", "load average"):
        assert figure in out
    synthetic = next(tmp_path.glob("990000001-synthetic-1mb.fec"))
    assert synthetic.read_bytes().startswith(b"HDR\x1cFEC\x1c8.3")
