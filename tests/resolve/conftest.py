"""Stores of SYNTHETIC contribution rows (moneytrail.resolve.synthetic) with their known truth."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from moneytrail import Store, load
from moneytrail.resolve import synthetic


def write_truth(store: Store, truth_csv: Path) -> None:
    with open(truth_csv) as f:
        rows = [(f"fec-bulk:{r['sub_id']}", r["donor"]) for r in csv.DictReader(f)]
    store.con.execute("CREATE OR REPLACE TEMP TABLE truth (txn_id VARCHAR, truth VARCHAR)")
    store.con.executemany("INSERT INTO truth VALUES (?, ?)", rows)


@pytest.fixture
def synthetic_store(tmp_path: Path) -> Store:
    """3,000 SYNTHETIC rows loaded into a fresh store, with a ``truth`` temp table."""
    folder = tmp_path / "synthetic"
    synthetic.write(folder, 3000, seed=11)
    (folder / "truth.csv").rename(tmp_path / "truth.csv")
    with Store(tmp_path / "store") as store:
        load(store, [folder / "itcont.txt"], cycle=2024)
        write_truth(store, tmp_path / "truth.csv")
        yield store
