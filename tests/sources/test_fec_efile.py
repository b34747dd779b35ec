"""FEC electronic filings (.fec): the real filings in ../shared/data/fec-efile, checked against hardmoney's
own parser and reconciliation (a second, independent reading) and against each filing's summary page."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import hardmoney
import pytest

from moneytrail import InputError, Store, load
from moneytrail.sources import fec_efile_layouts as layouts
from tests.conftest import shared

EFILE = "fec-efile"
INVALID = "filing_invalid_version.fec"


def real_filings() -> list[Path]:
    return sorted(p for p in shared(EFILE).glob("*.fec") if p.name != INVALID)


def line_count(path: Path) -> int:
    data = path.read_bytes()
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


@pytest.fixture(scope="module")
def efile_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = Store(tmp_path_factory.mktemp("efile") / "store")
    s.report = load(s, real_filings())  # type: ignore[attr-defined]
    yield s
    s.close()


def test_every_real_filing_loads_every_line(efile_store: Store) -> None:
    report = efile_store.report  # type: ignore[attr-defined]
    by_name = {f.source_file: f for f in report.files}
    assert sorted(by_name) == sorted(p.name for p in real_filings())
    for path in real_filings():
        f = by_name[path.name]
        assert f.status == "loaded"
        assert f.rows_read == line_count(path), path.name
        assert (f.rows_loaded, f.rows_rejected) == (f.rows_read, 0), path.name
    # Each line is in exactly one table.
    lines = efile_store.scalar("""SELECT (SELECT count(*) FROM transactions WHERE source = 'fec-efile')
                                  + (SELECT count(*) FROM filings) + (SELECT count(*) FROM filing_lines)""")
    assert lines == sum(line_count(p) for p in real_filings())
    versions = {v for (v,) in efile_store.rows("SELECT DISTINCT fec_version FROM filings")}
    assert {"2.02", "3.00", "5.00", "6.4", "7.0", "8.0", "8.2", "8.3"} <= versions


def _hardmoney_itemizations(path: Path) -> dict[int, tuple[str, Decimal | None, str | None]]:
    filing = hardmoney.parse_file(path)
    txn = set(layouts.transaction_tables())
    out = {}
    for line in filing.iter_lines():
        if line.table not in txn:
            continue
        amount_field = next(n for n in layouts.column_fields("amount") if n in line)
        out[line.line_no] = (line.form_type, line.amount(amount_field), line.get("transaction_id") or None)
    return out


def test_itemizations_match_a_second_parser(efile_store: Store) -> None:
    checked = 0
    for path in real_filings():
        try:
            expected = _hardmoney_itemizations(path)
        except hardmoney.FecError:
            assert path.name == "13360.fec"  # format 2.02: hardmoney refuses the /* Header block
            continue
        rows = efile_store.rows("""SELECT source_line, form_type, amount, tran_id FROM transactions
                                   WHERE source_file = ? ORDER BY source_line""", [path.name])
        assert {r[0]: (r[1], r[2], r[3]) for r in rows} == expected, path.name
        checked += len(rows)
    assert checked > 10_000


def test_rows_carry_their_filing_and_are_read_as_the_bulk_files_are(efile_store: Store) -> None:
    row = efile_store.rows("""
        SELECT txn_id, filing_id, filer_id, name, entity_type, direction, kind, memo, report_type, cycle, extra
        FROM transactions WHERE source_file = '1229017.fec' AND form_type = 'SA11AI' AND entity_type = 'IND'
        ORDER BY source_line LIMIT 1""")[0]
    line = next(x for x in hardmoney.parse_file(shared(EFILE, "1229017.fec")).iter_lines()
                if x.form_type == "SA11AI" and x["entity_type"] == "IND")
    assert row[0] == f"fec-efile:1229017:{line['transaction_id']}"
    assert row[1:3] == (1229017, line["filer_committee_id_number"])
    first = " ".join(v for v in (line["contributor_first_name"], line["contributor_middle_name"],
                                 line["contributor_suffix"]) if v)
    assert row[3] == f"{line['contributor_last_name']}, {first}"
    assert row[4:10] == ("IND", "receipt", "contribution", line.is_memo, "12P", 2018)
    extra = json.loads(row[10])
    assert extra["contributor_street_1"] == (line["contributor_street_1"] or None)
    assert extra["contribution_purpose_descrip"] == (line["contribution_purpose_descrip"] or None)


def test_legacy_names_and_header_block(efile_store: Store) -> None:
    # 13360.fec is format 2.02: a /* Header block, comma-separated lines, names as LAST^FIRST.
    rows = efile_store.rows("SELECT record_type, count(*) FROM filing_lines WHERE filing_id = 13360 GROUP BY 1")
    text = shared(EFILE, "13360.fec").read_text(encoding="latin-1").splitlines()
    block = text.index("/* End Header") + 1
    assert dict(rows)["header block"] == block
    name = efile_store.scalar("SELECT name FROM transactions WHERE filing_id = 13360 AND source_line = ?", [block + 2])
    last, first = text[block + 1].split(",")[3].split("^")
    assert name == f"{last}, {first}"


def test_reconciliation_agrees_with_hardmoney(efile_store: Store) -> None:
    compared = 0
    for path in real_filings():
        filing_id = int(path.stem)
        checks = efile_store.rows("SELECT line, itemized_sum, ok FROM filing_checks WHERE filing_id = ?", [filing_id])
        try:
            reconciliation = hardmoney.parse_file(path).reconcile()
        except hardmoney.UnsupportedForm:
            assert not checks
            continue
        except hardmoney.FecError:
            continue
        for line, itemized, ok in checks:
            check = reconciliation.line("A", line)
            if check is None:
                continue
            assert (line, itemized, ok) == (line, check.expected, check.matches), path.name
            compared += 1
    assert compared > 200


def test_reconciliation_passes_where_the_filing_agrees_with_itself(efile_store: Store) -> None:
    # The 2.02 filing, which hardmoney cannot read: its own summary page is the expected value.
    assert efile_store.scalar("SELECT count(*) FROM filing_checks WHERE filing_id = 13360 AND NOT ok") == 0
    cover = json.loads(efile_store.scalar("SELECT cover FROM filings WHERE filing_id = 13360"))
    line_11ai = "SELECT summary_amount FROM filing_checks WHERE filing_id = 13360 AND line = '11(a)(i)'"
    assert efile_store.scalar(line_11ai) == Decimal(cover["col_a_individuals_itemized"])
    # Mismatches are reported, never hidden: the sample's truncated filings (cover without itemizations).
    bad = {f for (f,) in efile_store.rows("SELECT DISTINCT filing_id FROM filing_checks WHERE NOT ok")}
    assert {97405, 723604, 1385191} <= bad


def test_real_amendment_supersedes_the_filing_it_names(efile_store: Store) -> None:
    # 767339.fec (F3A) names FEC-467627 in its header.
    assert efile_store.scalar("SELECT superseded_by_filing_id FROM filings WHERE filing_id = 467627") == 767339
    counted = efile_store.rows("""SELECT filing_id, bool_or(counts_toward_totals) FROM transactions
                                  WHERE filing_id IN (467627, 767339) GROUP BY 1 ORDER BY 1""")
    assert counted == [(467627, False), (767339, True)]
    # History stays: every row of the original is still there, naming what replaced it.
    kept = "SELECT count(*) FROM transactions WHERE filing_id = 467627 AND superseded_by IS NULL"
    assert efile_store.scalar(kept) == 0


def test_synthetic_amendment_matched_by_committee_report_and_coverage(store: Store, tmp_path: Path) -> None:
    original = shared(EFILE, "753533.fec")
    lines = original.read_bytes().split(b"\n")
    # SYNTHETIC: an amended copy of a real F3XN, under a made-up filing number, naming no filing.
    lines[1] = lines[1].replace(b"F3XN\x1c", b"F3XA\x1c", 1)
    amended = tmp_path / "999753533.fec"
    amended.write_bytes(b"\n".join(lines))
    load(store, [original, amended])
    assert store.scalar("SELECT superseded_by_filing_id FROM filings WHERE filing_id = 753533") == 999753533
    assert store.rows("""SELECT DISTINCT filing_id FROM transactions WHERE counts_toward_totals""") == [(999753533,)]
    n = store.scalar("SELECT count(*) FROM transactions WHERE filing_id = 753533")
    assert n > 0 and store.scalar("SELECT count(*) FROM transactions WHERE superseded_by IS NOT NULL") == n


def test_notices_are_kept_but_not_counted_twice(efile_store: Store) -> None:
    rows = efile_store.rows("SELECT kind, counts_toward_totals FROM transactions WHERE filing_id = 752356")
    assert rows and {r for r in rows} == {("independent expenditure notice", False)}


# -- bad input ----------------------------------------------------------------------------------------


def test_invalid_version_is_one_clear_error_and_loads_nothing(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unsupported \.fec format version '180\.5'") as e:
        load(store, [shared(EFILE, INVALID)])
    assert "\n" not in str(e.value)
    # Named beside a good filing, it stops the whole load: the store stays as it was.
    folder = tmp_path / "filings"
    folder.mkdir()
    shutil.copy(shared(EFILE, "753533.fec"), folder)
    shutil.copy(shared(EFILE, INVALID), folder)
    with pytest.raises(InputError):
        load(store, [folder / "753533.fec", folder / INVALID])
    assert store.scalar("SELECT count(*) FROM loads") == 0
    assert store.scalar("SELECT count(*) FROM transactions") == 0
    # Found in a folder, it is refused on its own and the good filing loads.
    report = load(store, [folder])
    assert {f.source_file: f.status for f in report.files} == {"753533.fec": "loaded", INVALID: "refused"}
    assert store.scalar("SELECT count(DISTINCT filing_id) FROM transactions") == 1


def test_truncated_filing_keeps_its_good_lines_and_rejects_the_cut_one(store: Store, tmp_path: Path) -> None:
    data = shared(EFILE, "1229017.fec").read_bytes()
    cut = data[: data.index(b"\n", len(data) // 2) + 40]  # ends inside an itemization, before its amount
    path = tmp_path / "1229017.fec"
    path.write_bytes(cut)
    report = load(store, [path])
    f = report.files[0]
    assert (f.rows_read, f.rows_loaded + f.rows_rejected, f.rows_rejected) == (line_count(path), f.rows_read, 1)
    reason, raw = store.rows("SELECT reason, raw FROM rejected_rows")[0]
    assert reason.startswith("missing amount") and cut.decode().endswith(raw)


def test_unknown_record_types_and_surplus_fields(store: Store, tmp_path: Path) -> None:
    lines = shared(EFILE, "753533.fec").read_bytes().split(b"\n")
    # SYNTHETIC edits of a real filing: an unknown record type, and an itemization with two extra fields.
    sa = next(i for i, line in enumerate(lines) if line.startswith(b"SA11AI"))
    lines.insert(sa, b"ZZ99\x1cC00448563\x1cwhat is this")
    lines[sa + 1] = lines[sa + 1].rstrip(b"\r") + b"\x1cSURPLUS-1\x1cSURPLUS-2"
    path = tmp_path / "753533.fec"
    path.write_bytes(b"\n".join(lines))
    report = load(store, [path])
    assert report.rows_rejected == 1 and report.rows_loaded == report.rows_read - 1
    reason, raw = store.rows("SELECT reason, raw FROM rejected_rows")[0]
    assert "unknown record type" in reason and raw == "ZZ99\x1cC00448563\x1cwhat is this"
    extra = json.loads(store.scalar("SELECT extra FROM transactions WHERE source_line = ?", [sa + 2]))
    assert extra["surplus_fields"][-2:] == ["SURPLUS-1", "SURPLUS-2"]


def test_padded_and_quoted_fields_read_as_the_plain_ones(store: Store, tmp_path: Path) -> None:
    plain = shared(EFILE, "753533.fec")
    lines = plain.read_bytes().split(b"\n")
    # SYNTHETIC edit of a real filing: every field of every itemization wrapped in spaces, tabs and quotes
    # (as some filing software writes them), and a quote inside one name, which stays.
    padded = [b"\x1c".join(b' "\t%s" ' % f for f in line.split(b"\x1c")) if line.startswith(b"SA") else line
              for line in lines]
    padded[2] = padded[2].replace(b"Ratcliffe", b'Rat"cliffe', 1)
    path = tmp_path / "999753534.fec"
    path.write_bytes(b"\n".join(padded))
    load(store, [plain, path])
    columns = "source_line, form_type, name, city, state, zip, employer, occupation, date, amount, memo, extra"
    rows = {f: store.rows(f"SELECT {columns} FROM transactions WHERE filing_id = ? ORDER BY 1", [f])
            for f in (753533, 999753534)}
    assert len(rows[753533]) > 1
    quoted = rows[753533][0][:2] + ('Rat"cliffe, Brandon',) + rows[753533][0][3:-1]
    assert rows[999753534][0][:-1] == quoted
    assert json.loads(rows[999753534][0][-1]) == {**json.loads(rows[753533][0][-1]),
                                                  "contributor_last_name": 'Rat"cliffe'}
    assert rows[999753534][1:] == rows[753533][1:]


def test_lines_passed_over_as_itemizations_are_itemizations() -> None:
    starts = layouts.transaction_starts()
    txn = set(layouts.transaction_tables())
    tokens = {line.split(b"\x1c")[0].split(b",")[0].strip(b'" ').decode("latin-1").upper()
              for path in real_filings() for line in path.read_bytes().split(b"\n") if line.strip()}
    # Every record type of the real filings, and the ones named like an itemization that are not.
    tokens |= {"SA3L", "SC1", "SC2", "SC10", "SC/10", "SI", "SL", "H1", "H3", "TEXT", "HDR", "F3XN", "F56", "F132"}
    for token in tokens:
        if token.startswith(starts):
            assert layouts.form_table(token) in txn, token
    assert {"SA11AI", "SB17", "SC/10", "SE"} <= {t for t in tokens if t.startswith(starts)}
    assert not {"SA3L", "SC1", "SC2", "SC10"} & {t for t in tokens if t.startswith(starts)}


def test_zip_of_filings_and_other_files(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "filings.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(shared(EFILE, "753533.fec"), "753533.fec")
        z.writestr("notes.txt", "not a filing\n")
    report = load(store, [archive])
    assert [(f.source_file, f.status) for f in report.files] == [("753533.fec", "loaded"), ("notes.txt", "skipped")]
    assert store.scalar("SELECT count(*) FROM filings") == 1


def test_file_named_fec_without_a_header_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "123.fec"
    path.write_text("SA11AI,C00000000\n")
    with pytest.raises(InputError, match="does not start with an HDR record"):
        load(store, [path])


def test_status_reports_each_filing_and_its_mismatches(efile_store: Store) -> None:
    from moneytrail.status import status

    rows = {r["filing_id"]: r for r in status(efile_store)["filings"]}
    assert len(rows) == len(real_filings())
    assert rows[467627]["superseded_by"] == 767339
    expected_off = efile_store.scalar("SELECT count(*) FROM filing_checks WHERE filing_id = 1385191 AND NOT ok")
    assert rows[1385191]["lines_off"] == len(rows[1385191]["mismatches"]) == expected_off > 0
    assert rows[1229017]["lines_off"] == 0 and rows[1229017]["lines_checked"] > 0


# -- large filings --------------------------------------------------------------------------------------


def test_filing_larger_than_a_read_chunk_and_a_row_group_keeps_every_line_in_order(
        store: Store, tmp_path: Path) -> None:
    import os

    import pyarrow.parquet as pq

    from moneytrail.sources import fec_efile_records as records

    real = shared(EFILE, "1544132.fec")
    lines = real.read_bytes().split(b"\n")
    head, body = lines[:2], [line for line in lines[2:] if line.strip()]
    copies = records.ROW_GROUP_ROWS // len(body) + 2
    # SYNTHETIC: the real filing's itemizations repeated under a made-up filing number, each copy with its
    # own TRAN_IDs, so that the file spans several of the scan's read chunks and of the staged row groups.
    out = head + [line if i == 0 else _renumbered(line, i) for i in range(copies) for line in body]
    path = tmp_path / "990000002.fec"
    path.write_bytes(b"\n".join(out) + b"\n")
    assert path.stat().st_size > 2 * records.CSV_CHUNK_BYTES
    before = os.environ.get("POLARS_CSV_CHUNK_SIZE")
    report = load(store, [path])
    assert os.environ.get("POLARS_CSV_CHUNK_SIZE") == before  # the setting is the reader's while it runs
    f = report.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (len(out), len(out), 0)
    file = store.scalar("SELECT path FROM record_files WHERE target = 'transactions'")
    assert pq.read_metadata(store.root / file).num_row_groups > 1
    # Line for line the real filing's rows, in every copy: same record types and amounts at the same lines.
    one = store.rows("""SELECT source_line, form_type, amount FROM transactions
                        WHERE filing_id = 990000002 AND source_line <= ? ORDER BY 1""", [len(body) + 2])
    assert len(one) == sum(1 for line in body if line[:2] in (b"SA", b"SB", b"SC", b"SD", b"SE", b"SF"))
    for k in (1, copies - 1):
        shifted = store.rows("""SELECT source_line - ?, form_type, amount FROM transactions
                                WHERE filing_id = 990000002 AND source_line BETWEEN ? AND ? ORDER BY 1""",
                             [k * len(body), k * len(body) + 3, k * len(body) + len(body) + 2])
        assert shifted == one
    assert store.scalar("SELECT count(DISTINCT txn_id) = count(*) FROM transactions")


def _renumbered(line: bytes, copy: int) -> bytes:
    fields = line.split(b"\x1c")
    if len(fields) > 2 and fields[0][:2] in (b"SA", b"SB", b"SC", b"SD", b"SE", b"SF"):
        fields[2] += b"-%d" % copy
    return b"\x1c".join(fields)


def test_repeated_tran_ids_keep_every_line(store: Store, tmp_path: Path) -> None:
    lines = shared(EFILE, "1544132.fec").read_bytes().split(b"\n")
    head, body = lines[:2], [line for line in lines[2:] if line.strip()]
    # SYNTHETIC: the real itemizations three times over under a made-up filing number, TRAN_IDs unchanged.
    path = tmp_path / "990000003.fec"
    path.write_bytes(b"\n".join(head + body * 3) + b"\n")
    report = load(store, [path])
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2 + 3 * len(body),) * 2 + (0,)
    rows = store.rows("SELECT txn_id, tran_id, source_line FROM transactions ORDER BY source_line")
    assert len(rows) == 3 * len(body) and len({r[0] for r in rows}) == len(rows)
    assert all(txn_id == f"fec-efile:990000003:{tran_id}:fec-efile:990000003:line{line}"
               for txn_id, tran_id, line in rows)


def test_filings_loading_in_two_threads_take_turns_with_the_chunk_size(monkeypatch: pytest.MonkeyPatch) -> None:
    from moneytrail.sources.fec_efile_records import FecEfileReader

    monkeypatch.delenv("POLARS_CSV_CHUNK_SIZE", raising=False)
    turns: list[tuple[str, int, str | None]] = []
    start = threading.Barrier(2)

    def stage(i: int) -> None:
        start.wait()
        with FecEfileReader.running():
            turns.append(("in", i, os.environ.get("POLARS_CSV_CHUNK_SIZE")))
            time.sleep(0.05)
            turns.append(("out", i, os.environ.get("POLARS_CSV_CHUNK_SIZE")))

    threads = [threading.Thread(target=stage, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [(step, i) for step, i, _ in turns] in ([("in", 0), ("out", 0), ("in", 1), ("out", 1)],
                                                  [("in", 1), ("out", 1), ("in", 0), ("out", 0)])
    assert {size for _, _, size in turns} == {str(1 << 20)} and "POLARS_CSV_CHUNK_SIZE" not in os.environ
