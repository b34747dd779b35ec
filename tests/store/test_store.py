"""The store's connection settings: a load runs DuckDB under its own memory limit, then gives it back."""

from __future__ import annotations

from pathlib import Path

import pytest

from moneytrail import InputError, Store, load

from ..conftest import load_module, shared


def limit(store: Store) -> str:
    return store.scalar("SELECT current_setting('memory_limit')")


def test_a_load_checks_duplicates_under_the_load_memory_limit_and_restores_the_store_s(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONEYTRAIL_LOAD_MEMORY_LIMIT", "300MB")
    before, during = limit(store), []
    dedupe = load_module._Loader.dedupe

    def spy(self: object, *args: object, **kwargs: object) -> int:
        during.append(limit(store))
        return dedupe(self, *args, **kwargs)

    monkeypatch.setattr(load_module._Loader, "dedupe", spy)
    load(store, [shared("fec-bulk", "2023-2024", "itpas2.txt")])
    assert during == ["286.1 MiB"] and limit(store) == before != during[0]


def test_the_limit_comes_back_when_a_load_fails(store: Store, tmp_path: Path) -> None:
    before = limit(store)
    (tmp_path / "itcont.txt").touch()
    with pytest.raises(InputError, match="empty"):
        load(store, [tmp_path / "itcont.txt"])
    assert limit(store) == before
