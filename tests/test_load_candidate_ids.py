"""itpas2 repeats itoth rows (same SUB_ID) and adds CAND_ID: each row is stored once, with its candidate id,
whatever order the files load in, in one load or in several.

Read from the real 2015-16 and 2019-20 folders of ../shared/data/fec-bulk; the expected ids are read
straight from the raw pipe files (the FEC header files name the columns).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from moneytrail import Store, cli, load
from moneytrail.cli import app
from moneytrail.load import LoadReport

from .conftest import load_module, shared

CYCLES = ["2015-2016", "2019-2020"]
#: The transaction files of a cycle folder and the FEC header file that names their columns.
HEADERS = {"itcont.txt": "indiv_header_file.csv", "itoth.txt": "oth_header_file.csv",
           "itpas2.txt": "pas2_header_file.csv", "oppexp.txt": "oppexp_header_file.csv"}
#: How each case loads a folder: the files of each load, in order (None: the whole folder at once).
CASES = {"folder": None, "itoth then itpas2": [["itoth.txt"], ["itpas2.txt"]],
         "itpas2 then itoth": [["itpas2.txt"], ["itoth.txt"]]}


def raw_rows(folder: Path, name: str) -> list[dict[str, str]]:
    columns = (folder / HEADERS[name]).read_text().strip().split(",")
    with (folder / name).open(encoding="latin-1", newline="") as f:
        return [dict(zip(columns, line.rstrip("\r\n").split("|"), strict=False)) for line in f]


def raw_candidate_ids(folder: Path) -> set[tuple[int, str]]:
    """(SUB_ID, CAND_ID) of every itpas2 line that names a candidate."""
    return {(int(r["SUB_ID"]), r["CAND_ID"].strip()) for r in raw_rows(folder, "itpas2.txt") if r["CAND_ID"].strip()}


def raw_sub_ids(folder: Path, names: list[str]) -> set[str]:
    return {r["SUB_ID"] for name in names for r in raw_rows(folder, name)}


def stored_candidate_ids(store: Store) -> set[tuple[int, str]]:
    return set(store.rows("SELECT sub_id, candidate_id FROM transactions WHERE candidate_id IS NOT NULL"))


def steps(folder: Path, case: str) -> list[list[Path]]:
    files = CASES[case]
    return [[folder]] if files is None else [[folder / name for name in names] for names in files]


def files_read(folder: Path, case: str) -> list[str]:
    files = CASES[case]
    if files is None:
        return [name for name in HEADERS if (folder / name).exists()]
    return [name for names in files for name in names]


def check_counts(report: LoadReport) -> None:
    for f in report.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected
        assert f.rows_loaded == f.rows_new + f.rows_already_loaded + f.rows_also_in_load + f.rows_repeated_in_file


@pytest.fixture(scope="module", params=[(cycle, case) for cycle in CYCLES for case in CASES],
                ids=lambda p: f"{p[0]}: {p[1]}")
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    cycle, case = request.param
    folder = shared("fec-bulk", cycle)
    store = Store(tmp_path_factory.mktemp("candidates") / "store")
    reports = [load(store, paths) for paths in steps(folder, case)]
    yield folder, case, store, reports
    store.close()


def test_every_candidate_id_of_itpas2_is_kept(loaded) -> None:
    folder, _, store, reports = loaded
    assert stored_candidate_ids(store) == raw_candidate_ids(folder)
    for report in reports:
        check_counts(report)


def test_each_sub_id_is_stored_once(loaded) -> None:
    folder, case, store, _ = loaded
    assert store.scalar("SELECT count(*) - count(DISTINCT txn_id) FROM transactions") == 0
    assert store.scalar("SELECT count(*) FROM transactions") == len(raw_sub_ids(folder, files_read(folder, case)))


def test_loading_again_adds_nothing(loaded) -> None:
    folder, case, store, _ = loaded
    before = {t: store.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in ("transactions", "record_files")}
    for paths in steps(folder, case):
        report = load(store, paths)
        assert {f.status for f in report.files} <= {"already loaded", "skipped"}
    assert {t: store.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in before} == before


def test_the_report_says_what_happened_to_each_repeated_row(loaded) -> None:
    folder, case, _, reports = loaded
    pas2 = raw_rows(folder, "itpas2.txt")
    named = sum(1 for r in pas2 if r["CAND_ID"].strip())
    first = {f.source_file: f for f in reports[0].files}
    # A fresh store holds no row before its first load: nothing of it is "already in the store".
    assert all(f.rows_already_loaded == 0 and "already in the store" not in f.repeats for f in first.values())
    if case == "folder":
        # itpas2 is read first: its rows are stored with their CAND_ID, and itoth's copies are not stored again.
        assert (first["itpas2.txt"].rows_new, first["itoth.txt"].rows_also_in_load) == (len(pas2), len(pas2))
        assert first["itoth.txt"].also_in == ["itpas2.txt"]
        assert first["itoth.txt"].repeats == f"{len(pas2):,} also in itpas2.txt (same SUB_ID): stored once"
        assert [f.source_file for f in reports[0].files] == sorted(f.source_file for f in reports[0].files)
    elif case == "itoth then itpas2":
        (second,) = reports[1].files
        assert (second.rows_new, second.rows_already_loaded, second.candidate_ids_kept) == (0, len(pas2), named)
        assert second.repeats == f"{len(pas2):,} already in the store (same SUB_ID): {named:,} candidate ids kept"
    else:
        (second,) = reports[1].files
        assert (second.rows_already_loaded, second.candidate_ids_kept) == (len(pas2), 0)
        assert second.repeats == f"{len(pas2):,} already in the store (same SUB_ID)"


@pytest.mark.parametrize("cycle", CYCLES)
def test_the_load_table_of_a_fresh_store_says_no_row_was_already_in_it(cycle: str, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = shared("fec-bulk", cycle)
    monkeypatch.setattr(cli.console, "width", 250)  # one line a file: the phrases are not wrapped
    result = CliRunner().invoke(app, ["load", "--db", str(tmp_path / "store"), str(folder)])
    assert result.exit_code == 0, result.output
    assert "already in the store" not in result.output
    assert "also in itpas2.txt (same SUB_ID): stored once" in result.output
    result = CliRunner().invoke(app, ["load", "--db", str(tmp_path / "fresh"), str(folder), "--json"])
    assert "already in the store" not in result.output
    assert all(f["rows_already_loaded"] == 0 for f in json.loads(result.output)["files"])


def test_itpas2_after_itoth_in_one_load_keeps_the_candidate_ids(tmp_path: Path) -> None:
    """Files named in that order are still read itpas2 first; the report keeps the order they were named in."""
    folder = shared("fec-bulk", "2019-2020")
    with Store(tmp_path / "store") as store:
        report = load(store, [folder / "itoth.txt", folder / "itpas2.txt"])
        assert [f.source_file for f in report.files] == ["itoth.txt", "itpas2.txt"]
        check_counts(report)
        assert stored_candidate_ids(store) == raw_candidate_ids(folder)
        assert store.scalar("SELECT count(*) FROM transactions") == len(raw_sub_ids(folder, ["itoth.txt"]))


def test_candidate_ids_kept_for_stored_rows_commit_with_the_load(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = shared("fec-bulk", "2015-2016")
    with Store(tmp_path / "store") as store:
        load(store, [folder / "itoth.txt"])
        before = store.rows("SELECT * FROM transactions ORDER BY ALL")

        def interrupted(_store: Store, _batches: list[str] | None = None) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(load_module, "refresh", interrupted)
        with pytest.raises(KeyboardInterrupt):
            load(store, [folder / "itpas2.txt"])
        assert store.rows("SELECT * FROM transactions ORDER BY ALL") == before
        assert store.scalar("SELECT count(*) FROM record_files WHERE target = 'transaction_candidate_ids'") == 0
        assert not list((store.root / "records").glob("transaction_candidate_ids/*.parquet"))
        monkeypatch.undo()
        report = load(store, [folder / "itpas2.txt"])
        kept = store.rows("SELECT source_file, count(*), count(DISTINCT txn_id), min(batch_id), max(batch_id) "
                          "FROM _records_transaction_candidate_ids GROUP BY ALL")
        batch = store.scalar("SELECT batch_id FROM loads WHERE source_file = 'itpas2.txt'")
        n = report.files[0].candidate_ids_kept
        assert n > 0 and kept == [("itpas2.txt", n, n, batch, batch)]
        assert stored_candidate_ids(store) == raw_candidate_ids(folder)
