"""Rows superseded by a later amendment (docs/counting.md), on real bulk rows.

The files here are real rows of ../shared/data/fec-bulk/2019-2020/itcont.txt; the "amended" copies are
SYNTHETIC: the same rows with a later FILE_NUM and new SUB_IDs, as the FEC's files carry an amended report.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from moneytrail import Store, load

from ..conftest import load_module, shared

FILE_NUM, TRAN_ID, SUB_ID = 17, 16, 20


def real_lines(n: int) -> list[list[str]]:
    """``n`` real rows with a TRAN_ID and a FILE_NUM, each the only row of its filer, TRAN_ID and report."""
    seen: set[tuple[str, ...]] = set()
    out = []
    with shared("fec-bulk", "2019-2020", "itcont.txt").open(encoding="latin-1") as f:
        for line in f:
            r = line.rstrip("\n").split("|")
            key = (r[0], r[TRAN_ID], r[2], r[13][-4:])
            if r[TRAN_ID] and r[FILE_NUM] and key not in seen:
                seen.add(key)
                out.append(r)
    return out[:n]


def write(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join("|".join(r) + "\n" for r in rows))
    return path


def amended(rows: list[list[str]], copy: int, file_offset: int) -> list[list[str]]:
    """The same rows reported again in filing FILE_NUM + ``file_offset``, with new SUB_IDs (``copy``)."""
    return [[*r[:FILE_NUM], str(int(r[FILE_NUM]) + file_offset), *r[FILE_NUM + 1:SUB_ID],
             str(int(r[SUB_ID]) + copy * 10**12)] for r in rows]


def expected(store: Store) -> dict[str, str]:
    """The amendment rule restated in Python: per filer, TRAN_ID, report type and year, rows of earlier
    filings are superseded by the row of the latest filing."""
    groups: dict[tuple[object, ...], list[tuple[int, str]]] = defaultdict(list)
    for txn_id, filer, tran_id, report_type, year, filing in store.rows(
            "SELECT txn_id, filer_id, tran_id, report_type, coalesce(report_year, year(date)), filing_id "
            "FROM transactions WHERE tran_id IS NOT NULL AND filing_id IS NOT NULL"):
        groups[(filer, tran_id, report_type or "", year or 0)].append((filing, txn_id))
    out = {}
    for rows in groups.values():
        latest = max(filing for filing, _ in rows)
        winners = {t for filing, t in rows if filing == latest}
        for filing, txn_id in rows:
            if filing < latest:
                out[txn_id] = winners
    return out


def superseded(store: Store) -> dict[str, str]:
    return dict(store.rows("SELECT txn_id, superseded_by FROM _superseded"))


def test_only_rows_of_an_earlier_filing_are_superseded(store: Store, tmp_path: Path) -> None:
    rows = real_lines(400)
    # A TRAN_ID repeated within one filing (another SUB_ID) is not an amendment: neither row is superseded.
    repeated = amended(rows[:50], copy=1, file_offset=0)
    later = amended(rows[100:300], copy=2, file_offset=5)
    load(store, [write(tmp_path / "itcont.txt", rows + repeated + later)], cycle=2020)
    got, want = superseded(store), expected(store)
    assert len(got) == 200 and set(got) == set(want)
    assert all(got[t] in want[t] for t in got)
    repeated_ids = {f"fec-bulk:{r[SUB_ID]}" for r in rows[:50] + repeated}
    assert not repeated_ids & set(got)


def test_loading_in_steps_supersedes_as_loading_at_once(tmp_path: Path) -> None:
    rows = real_lines(600)
    parts = {"a": rows[:300], "b": amended(rows[200:400], 1, 3), "c": amended(rows[250:600], 2, 9)}
    files = []
    for folder, part in parts.items():
        (tmp_path / folder).mkdir()
        files.append(write(tmp_path / folder / "itcont.txt", part))
    with Store(tmp_path / "once") as once, Store(tmp_path / "steps") as steps:
        load(once, files, cycle=2020)
        for path in files:
            load(steps, [path], cycle=2020)
        assert superseded(once) == superseded(steps)
        # Rows 200-249 are in two filings, 250-299 in three, 300-399 in two: all but the latest copy count.
        assert len(superseded(once)) == 50 + 2 * 50 + 100
        want = expected(once)
        assert all(by in want[t] for t, by in superseded(once).items()) and len(want) == len(superseded(once))


def test_an_interrupted_refresh_leaves_the_earlier_pairs(store: Store, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    rows = real_lines(200)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    load(store, [write(tmp_path / "a" / "itcont.txt", rows + amended(rows[:100], 1, 2))], cycle=2020)
    before = superseded(store)
    assert len(before) == 100
    refresh = load_module.refresh

    def interrupted(s: Store, batches: list[str] | None = None) -> None:
        refresh(s, batches)  # the new pairs are written, then the load is cut off before its commit
        raise KeyboardInterrupt

    monkeypatch.setattr(load_module, "refresh", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load(store, [write(tmp_path / "b" / "itcont.txt", amended(rows[50:150], 2, 4))], cycle=2020)
    assert superseded(store) == before
    monkeypatch.undo()
    load(store, [tmp_path / "b" / "itcont.txt"], cycle=2020)
    assert len(superseded(store)) == 100 + 50 + 50
