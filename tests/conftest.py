"""Shared fixtures. Real records are read in place from ../shared/data (see its README)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from moneytrail import Store

#: The module moneytrail.load, for tests that wrap its steps (the package exports its function as ``load``).
load_module = importlib.import_module("moneytrail.load")

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
FEC_BULK = SHARED / "fec-bulk"


def shared(*parts: str) -> Path:
    """A path under ../shared/data; skips the test with a reason when the real samples are absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real sample {path} is not present (../shared/data is beside the checkout in CI)")
    return path


def stored(store: Store) -> dict[str, list[tuple]]:
    """Every row of ``transactions`` and ``rejected_rows``, but for the batch ids, in one order."""
    return {table: store.rows(f"SELECT * EXCLUDE (batch_id) FROM {table} ORDER BY ALL")
            for table in ("transactions", "rejected_rows")}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "store") as s:
        yield s


@pytest.fixture(scope="session")
def bulk_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store holding all three real FEC bulk cycles, loaded once for the session."""
    from moneytrail import load

    root = tmp_path_factory.mktemp("bulk")
    s = Store(root / "store")
    report = load(s, [shared("fec-bulk")])
    s.report = report  # type: ignore[attr-defined]
    yield s
    s.close()
