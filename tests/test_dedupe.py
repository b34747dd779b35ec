"""A transaction is stored once: ids repeated within a file, across files and across loads.

Lines are real rows of ../shared/data/fec-bulk/2019-2020/itcont.txt; some are given other SUB_IDs.
"""

from __future__ import annotations

from pathlib import Path

from moneytrail import Store, load

from .conftest import shared

SUB_ID = 20


def real_rows(n: int) -> list[list[str]]:
    with shared("fec-bulk", "2019-2020", "itcont.txt").open(encoding="latin-1") as f:
        return [next(f).rstrip("\n").split("|") for _ in range(n)]


def write(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join("|".join(r) + "\n" for r in rows))
    return path


def with_sub_id(row: list[str], sub_id: str) -> list[str]:
    return [*row[:SUB_ID], sub_id]


def stored_ids(store: Store) -> list[str]:
    return [t for (t,) in store.rows("SELECT txn_id FROM transactions ORDER BY source_line")]


def test_a_sub_id_repeated_in_a_file_is_stored_once(store: Store, tmp_path: Path) -> None:
    rows = real_rows(100)
    report = load(store, [write(tmp_path / "itcont.txt", rows + rows[10:20])], cycle=2020)
    assert report.files[0].rows_repeated_in_file == 10 and report.files[0].rows_new == 100
    assert report.files[0].rows_already_loaded == 0
    assert report.files[0].repeats == "10 repeated in the file (same SUB_ID): stored once"
    assert stored_ids(store) == [f"fec-bulk:{r[SUB_ID]}" for r in rows]


def test_sub_ids_equal_as_numbers_but_not_as_text_are_two_transactions(store: Store, tmp_path: Path) -> None:
    # txn_id keeps SUB_ID as written: "42" and "0042" are two ids, though both are the number 42.
    rows = real_rows(3)
    load(store, [write(tmp_path / "itcont.txt", [with_sub_id(rows[0], "42"), with_sub_id(rows[1], "0042"),
                                                 rows[2]])], cycle=2020)
    assert stored_ids(store) == ["fec-bulk:42", "fec-bulk:0042", f"fec-bulk:{rows[2][SUB_ID]}"]


def test_sub_ids_beyond_64_bits_are_compared_as_text(store: Store, tmp_path: Path) -> None:
    # 19 digits pass the SUB_ID check but do not fit a 64-bit integer (sub_id is null for them).
    big, other = "9999999999999999999", "9999999999999999998"
    rows = real_rows(4)
    report = load(store, [write(tmp_path / "itcont.txt", [with_sub_id(rows[0], big), with_sub_id(rows[1], other),
                                                          with_sub_id(rows[2], big), rows[3]])], cycle=2020)
    assert (report.files[0].rows_repeated_in_file, report.files[0].rows_already_loaded) == (1, 0)
    assert stored_ids(store) == [f"fec-bulk:{big}", f"fec-bulk:{other}", f"fec-bulk:{rows[3][SUB_ID]}"]
    assert store.scalar("SELECT count(*) FROM transactions WHERE sub_id IS NULL") == 2



def test_ids_read_earlier_in_the_load_are_told_apart_from_ids_in_the_store(store: Store, tmp_path: Path) -> None:
    rows = real_rows(20)
    (tmp_path / "a").mkdir()
    first = load(store, [write(tmp_path / "a" / "itcont.txt", rows[:10]), write(tmp_path / "b.txt", rows[5:15])],
                 cycle=2020)
    b = first.files[1]
    assert (b.rows_new, b.rows_also_in_load, b.rows_already_loaded, b.also_in) == (5, 5, 0, ["itcont.txt"])
    assert b.repeats == "5 also in itcont.txt (same SUB_ID): stored once"
    (c,) = load(store, [write(tmp_path / "c.txt", rows[12:20])], cycle=2020).files
    assert (c.rows_new, c.rows_also_in_load, c.rows_already_loaded) == (5, 0, 3)
    assert c.repeats == "3 already in the store (same SUB_ID)"
    assert sorted(stored_ids(store)) == sorted(f"fec-bulk:{r[SUB_ID]}" for r in rows)
