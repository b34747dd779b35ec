"""The command line: thin over the library, one-line errors, machine-readable output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from moneytrail import Store, counting
from moneytrail.cli import app
from moneytrail.status import SUPERSEDED

runner = CliRunner()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "moneytrail", *args], capture_output=True, text=True)


def test_demo_loads_the_synthetic_sample_and_reports_it(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--db", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC" in result.output
    status = runner.invoke(app, ["status", "--db", str(tmp_path / "demo"), "--json"])
    data = json.loads(status.stdout)
    assert data["tables"]["rejected_rows"] == 0
    notes = {row["counting_note"]: row["rows"] for row in data["not_counted"]}
    assert set(notes) == {"memo entry (MEMO_CD X): kept, not summed", SUPERSEDED,
                          counting.NOT_IN_FLOWS["conduit pass-through"]}
    # every superseded row of the sample is summed into one line of the status
    with Store(tmp_path / "demo", read_only=True) as store:
        assert notes[SUPERSEDED] == store.scalar("SELECT count(*) FROM transactions WHERE superseded_by IS NOT NULL")


def test_sql_formats_and_refuses_writes(tmp_path: Path) -> None:
    db = str(tmp_path / "demo")
    runner.invoke(app, ["demo", "--db", db])
    out = runner.invoke(app, ["sql", "--db", db, "--format", "csv",
                              "SELECT filer_id, sum(net_amount) AS total FROM transactions "
                              "WHERE counts_in_flows AND filer_id = 'C99990002' GROUP BY 1"])
    assert out.exit_code == 0
    assert out.stdout.splitlines()[0] == "filer_id,total"
    refused = run("sql", "--db", db, "DELETE FROM loads")
    assert refused.returncode == 1
    assert refused.stderr.strip().startswith("error: moneytrail sql runs one read-only statement")
    assert "Traceback" not in refused.stderr


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    result = run("status", "--db", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "no moneytrail store at" in result.stderr
    missing = run("load", "--db", str(tmp_path / "s"), str(tmp_path / "missing.txt"))
    assert missing.returncode == 1 and "no such file or folder" in missing.stderr


def test_running_out_of_memory_is_one_line_that_names_the_limit(tmp_path: Path) -> None:
    db = str(tmp_path / "demo")
    runner.invoke(app, ["demo", "--db", db])
    result = subprocess.run([sys.executable, "-m", "moneytrail", "sql", "--db", db,
                             "SELECT count(DISTINCT x::VARCHAR) FROM range(3000000) t(x)"],
                            capture_output=True, text=True, env={**os.environ, "MONEYTRAIL_MEMORY_LIMIT": "1MB"})
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "MONEYTRAIL_MEMORY_LIMIT=1MB" in result.stderr


def test_every_command_has_help() -> None:
    for command in ("load", "status", "sql", "demo"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_load_table_names_files_from_their_common_folder() -> None:
    from moneytrail.cli import _folder_and_names

    folder, names = _folder_and_names(["/data/fec/2020/itcont.txt", "/data/fec/2020/zips/oth20.zip!itoth.txt",
                                       "/data/fec/2020/1229017.fec"])
    assert folder == "/data/fec/2020"
    assert names == ["itcont.txt", "zips/oth20.zip!itoth.txt", "1229017.fec"]
    assert _folder_and_names(["/abs/itcont.txt", "rel/cm.txt"]) == ("", ["/abs/itcont.txt", "rel/cm.txt"])
