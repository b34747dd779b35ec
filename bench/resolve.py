"""Resolution accuracy and scale. Prints pairwise precision and recall, cluster counts, the aggregate check.

    python bench/resolve.py                 # labelled real rows, SYNTHETIC rows with known truth, aggregate check
    python bench/resolve.py --rows 1000000  # scale: SYNTHETIC rows generated, loaded, resolved; time and peak memory

The labelled real set is bench/resolve/data/labelled.csv (its README says where each row came from and how
it was labelled). The aggregate check needs the real .fec filings in ../shared/data/fec-efile.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from moneytrail import Store, load
from moneytrail.errors import MoneytrailError
from moneytrail.resolve import evaluate, resolve, synthetic

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "data"
LABELLED = HERE / "resolve" / "data" / "labelled.csv"


def _peak_gb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024, 2)


def _truth(store: Store, rows: list[tuple[str, str]]) -> None:
    store.con.execute("CREATE OR REPLACE TEMP TABLE truth (txn_id VARCHAR, truth VARCHAR)")
    store.con.executemany("INSERT INTO truth VALUES (?, ?)", rows)


def _truth_csv(store: Store, path: Path) -> None:
    store.con.execute(f"""CREATE OR REPLACE TEMP TABLE truth AS
                          SELECT 'fec-bulk:' || sub_id AS txn_id, donor AS truth
                          FROM read_csv('{path}', header = true, all_varchar = true)""")


def labelled(work: Path) -> dict[str, object]:
    """Resolve the real bulk files, score the hand-labelled rows (pairs among labelled rows only)."""
    with open(LABELLED) as f:
        rows = list(csv.DictReader(f))
    with Store(work / "real") as store:
        load(store, [SHARED / "fec-bulk"])
        report = resolve(store)
        _truth(store, [(r["txn_id"], r["person"]) for r in rows])
        scores = evaluate.pairwise(store, "truth")
        agg = evaluate.aggregate_check(store)
    return {"labelled": scores.as_dict(), "resolve": {"records": report.records, "donors": report.donors,
                                                      "seconds": report.seconds}, "aggregate_check_bulk": agg}


def synthetic_accuracy(work: Path, rows: int, seed: int) -> dict[str, object]:
    folder = work / f"synthetic-{rows}"
    made = synthetic.write(folder, rows, seed=seed)
    with Store(work / f"store-{rows}") as store:
        load(store, [folder / "itcont.txt"], cycle=2024)
        report = resolve(store)
        _truth_csv(store, folder / "truth.csv")
        scores = evaluate.pairwise(store, "truth")
    return {"synthetic": {**scores.as_dict(), **made, "seconds": report.seconds}}


def aggregate(work: Path) -> dict[str, object]:
    """The .fec aggregate check on the real e-filings (needs the .fec loader)."""
    folder = SHARED / "fec-efile"
    skipped = []
    with Store(work / "efile") as store:
        for path in sorted(folder.glob("*.fec")):
            try:
                load(store, [path])
            except MoneytrailError as e:  # the deliberately broken filing, and any the loader refuses
                skipped.append(f"{path.name}: {str(e)[:80]}")
        resolve(store)
        return {"aggregate_check": {**evaluate.aggregate_check(store), "filings_skipped": skipped}}


def scale(work: Path, rows: int, seed: int) -> dict[str, object]:
    folder = work / "scale"
    t0 = time.monotonic()
    synthetic.write(folder, rows, seed=seed)
    t1 = time.monotonic()
    with Store(work / "scale-store") as store:
        load(store, [folder / "itcont.txt"], cycle=2024)
        t2 = time.monotonic()
        report = resolve(store)
        t3 = time.monotonic()
        _truth_csv(store, folder / "truth.csv")
        scores = evaluate.pairwise(store, "truth")
    return {"scale": {"rows": rows, "generate_s": round(t1 - t0, 1), "load_s": round(t2 - t1, 1),
                      "resolve_s": round(t3 - t2, 1), "peak_rss_gb": _peak_gb(), "profiles": report.profiles,
                      "links": report.links, "donors": report.donors, **scores.as_dict()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, help="scale run: this many SYNTHETIC rows")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        work = Path(tmp)
        if args.rows:
            out = scale(work, args.rows, args.seed)
        else:
            out = {**labelled(work), **synthetic_accuracy(work, 20_000, args.seed)}
            if (SHARED / "fec-efile").exists():
                out.update(aggregate(work))
    json.dump(out, sys.stdout, indent=2, default=str)
    print()


if __name__ == "__main__":
    main()
