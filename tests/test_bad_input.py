"""Bad input: nothing is lost, errors are one line, loads are atomic.

Lines here are real rows of ../shared/data/fec-bulk/2019-2020/itcont.txt, broken on purpose.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from moneytrail import InputError, Store, load
from moneytrail.sources import FecBulkReader
from moneytrail.sources import files as files_module

from .conftest import load_module, shared, stored


def real_lines(n: int) -> list[str]:
    with shared("fec-bulk", "2019-2020", "itcont.txt").open(encoding="latin-1") as f:
        return [next(f).rstrip("\n") for _ in range(n)]


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def with_field(line: str, index: int, value: str) -> str:
    fields = line.split("|")
    fields[index] = value
    return "|".join(fields)


def test_bad_rows_are_quarantined_with_reasons(store: Store, tmp_path: Path) -> None:
    good = real_lines(6)
    broken = [
        good[0],
        good[1] + "|EXTRA",                                   # one field too many
        "|".join(good[2].split("|")[:-2]),                    # fields missing
        with_field(good[3], 13, "13452019"),                  # impossible TRANSACTION_DT
        with_field(good[4], 14, '35,000"'),                   # amount with a comma and a stray quote
        "",                                                   # blank line
        good[5],
    ]
    path = write(tmp_path / "in" / "itcont.txt", broken)
    report = load(store, [path], cycle=2020)
    (f,) = report.files
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (7, 2, 5)
    reasons = dict(store.rows("SELECT source_line, reason FROM rejected_rows ORDER BY source_line"))
    assert reasons == {
        2: "wrong number of fields (expected 21 separated by |)",
        3: "wrong number of fields (expected 21 separated by |)",
        4: "bad TRANSACTION_DT",
        5: "missing or bad TRANSACTION_AMT",
        6: "blank line",
    }
    raw = store.scalar("SELECT raw FROM rejected_rows WHERE source_line = 5")
    assert raw == broken[4]
    assert [r[0] for r in store.rows("SELECT source_line FROM transactions ORDER BY 1")] == [1, 7]


@pytest.mark.parametrize(("case", "quick"), [("broken", True), ("field too many", False),
                                             ("line reader's separator", False), ("latin-1", False)])
def test_files_read_quickly_or_not_load_what_line_by_line_reading_loads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, quick: bool) -> None:
    good = real_lines(8)
    lines = [good[0], "|".join(good[1].split("|")[:-2]), with_field(good[2], 13, "13452019"), "", "  \t",
             with_field(good[3], 7, " MUÑOZ, PHILIP\u00a0"), with_field(good[4], 20, ""), good[5]]
    if case == "field too many":
        lines.append(good[6] + "|EXTRA")
    elif case == "line reader's separator":
        lines.append(with_field(good[6], 11, "ACME\x1fINC"))
    path = write(tmp_path / "in" / "itcont.txt", lines, "latin-1" if case == "latin-1" else "utf-8")
    staged: list[bool] = []
    sink = load_module._sink

    def spy(*args, **kwargs):  # which way each staging that finished read the good rows
        result = sink(*args, **kwargs)
        staged.append(len(args) > 7 and args[7] is not None)
        return result

    monkeypatch.setattr(load_module, "_sink", spy)
    with Store(tmp_path / "quick") as store:
        load(store, [path], cycle=2020)
        read_quickly = stored(store)
    assert staged == [quick]
    monkeypatch.setattr(FecBulkReader, "quick_frames", lambda self, *args: None)
    with Store(tmp_path / "lines") as store:
        load(store, [path], cycle=2020)
        assert stored(store) == read_quickly
    # Rejected: fields missing, bad date, blank, only whitespace, no SUB_ID (and the line with a field too many).
    rejected = 5 + (case == "field too many")
    assert len(read_quickly["rejected_rows"]) == rejected and len(read_quickly["transactions"]) == len(lines) - rejected


def test_latin1_bytes_are_read_not_lost(store: Store, tmp_path: Path) -> None:
    lines = real_lines(3)
    lines[1] = with_field(lines[1], 7, "MUÑOZ, PHILIP")
    path = write(tmp_path / "itcont.txt", lines, encoding="latin-1")
    report = load(store, [path], cycle=2020)
    assert report.rows_loaded == 3 and report.rows_rejected == 0
    assert store.scalar("SELECT name FROM transactions WHERE source_line = 2") == "MUÑOZ, PHILIP"


def test_empty_file_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "itcont.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="itcont.txt: the file is empty"):
        load(store, [path])


def test_wrong_kind_of_file_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    cm = shared("fec-bulk", "2019-2020", "cm.txt")
    path = tmp_path / "itcont.txt"
    path.write_bytes(cm.read_bytes()[:5000])
    expected = r"named like the FEC indiv file \(21 fields a line\) but its first line has 15"
    with pytest.raises(InputError, match=expected):
        load(store, [path])
    unknown = tmp_path / "notes.txt"
    unknown.write_text("hello\n")
    with pytest.raises(InputError, match="not a file moneytrail recognizes"):
        load(store, [unknown])


def test_truncated_zip_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "indiv20.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(shared("fec-bulk", "2019-2020", "itcont.txt"), "itcont.txt")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="indiv20.zip: not a readable zip archive"):
        load(store, [archive])


def test_fec_zip_loads_with_cycle_from_its_name(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "indiv20.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("itcont.txt", "\n".join(real_lines(50)) + "\n")
    report = load(store, [archive])
    assert [(f.file_kind, f.cycle, f.rows_loaded) for f in report.files] == [("indiv", 2020, 50)]
    assert report.files[0].origin.endswith("indiv20.zip!itcont.txt")


def test_a_failing_load_leaves_the_store_as_it_was(store: Store, tmp_path: Path) -> None:
    write(tmp_path / "first" / "itcont.txt", real_lines(10))
    load(store, [tmp_path / "first"], cycle=2020)
    before = store.rows("SELECT txn_id FROM transactions ORDER BY 1")
    # A folder with a good new file, and an empty file named beside it: nothing of either may land.
    write(tmp_path / "second" / "a" / "itcont.txt", real_lines(20)[10:])
    empty = tmp_path / "itoth.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError):
        load(store, [tmp_path / "second", empty], cycle=2020)
    assert store.rows("SELECT txn_id FROM transactions ORDER BY 1") == before
    assert store.scalar("SELECT count(*) FROM loads") == 1
    assert sorted(p.name for p in (store.root / "records" / "transactions").iterdir()) == [
        Path(p).name for p in store.logged_files("transactions")]


def test_a_broken_file_inside_a_folder_is_refused_alone(store: Store, tmp_path: Path) -> None:
    write(tmp_path / "folder" / "a" / "itcont.txt", real_lines(12))
    (tmp_path / "folder" / "b").mkdir()
    (tmp_path / "folder" / "b" / "itoth.txt").write_bytes(b"")
    report = load(store, [tmp_path / "folder"], cycle=2020)
    assert [(f.source_file, f.status) for f in report.files] == [("itcont.txt", "loaded"), ("itoth.txt", "refused")]
    assert "itoth.txt: the file is empty" in report.refused[0].note
    assert store.scalar("SELECT count(*) FROM transactions") == 12


def test_a_corrupt_deflate_stream_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "indiv20.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("itcont.txt", "\n".join(real_lines(2000)) + "\n")
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(64)  # zero a run of the compressed stream
    archive.write_bytes(bytes(data))
    with pytest.raises(InputError, match="indiv20.zip"):
        load(store, [archive])
    assert store.scalar("SELECT count(*) FROM loads") == 0


def test_interrupt_during_commit_leaves_the_store_as_it_was(store: Store, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "itcont.txt", real_lines(10))

    def interrupted(_store: Store, _batches: list[str] | None = None) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(load_module, "refresh", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load(store, [path], cycle=2020)
    assert store.scalar("SELECT count(*) FROM transactions") == 0
    assert store.scalar("SELECT count(*) FROM loads") == 0
    assert not (store.root / "records" / "transactions").exists() or not any(
        (store.root / "records" / "transactions").iterdir())
    monkeypatch.undo()
    assert load(store, [path], cycle=2020).rows_loaded == 10


def test_unlogged_record_files_are_swept_on_open(tmp_path: Path) -> None:
    with Store(tmp_path / "s") as s:
        stray = s.root / "records" / "transactions" / "cut-off.parquet"
        stray.parent.mkdir(parents=True)
        stray.write_bytes(b"PAR1")
    with Store(tmp_path / "s"):
        assert not stray.exists()


def test_cleaner_keeps_every_line(tmp_path: Path) -> None:
    src = tmp_path / "x.txt"
    src.write_bytes(b"A|\xd1|B\nC\x1fD|E\r\n\nlast")
    out = files_module.to_utf8(src, tmp_path / "y.txt", b"\x1f")
    assert out.read_bytes().decode("utf-8").split("\n") == ["A|Ñ|B", "C D|E\r", "", "last"]


def test_the_real_efile_folder_loads_all_but_the_broken_filing(store: Store) -> None:
    folder = shared("fec-efile")
    report = load(store, [folder])
    statuses = {f.source_file: f.status for f in report.files if f.source_file.endswith(".fec")}
    assert statuses.pop("filing_invalid_version.fec") == "refused"
    assert len(statuses) == 26 and set(statuses.values()) == {"loaded"}
    assert report.rows_rejected == 0
    assert store.scalar("SELECT count(DISTINCT filing_id) FROM transactions WHERE source = 'fec-efile'") > 0
