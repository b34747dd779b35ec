"""``moneytrail fetch bulk`` end to end against the local server: download, verify, cache, load."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from moneytrail import Store
from moneytrail.cli import app
from moneytrail.errors import FetchError
from moneytrail.fetch import fetch_bulk, manifest
from moneytrail.sources.fec_ie import HEADER
from tests.conftest import shared
from tests.fetch.conftest import Site

runner = CliRunner()
BASE = "/files/bulk-downloads/2020/"


@pytest.fixture
def fec(site: Site, bulk2020: dict[str, bytes]) -> Site:
    site.files.update({BASE + name: body for name, body in bulk2020.items()})
    return site


def fetch_cli(*args: str) -> dict:
    result = runner.invoke(app, ["fetch", "bulk", "--cycle", "2020", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_fetch_and_load_puts_every_line_in_the_store(fec: Site, tmp_path: Path, local_only: Path) -> None:
    out = fetch_cli("--files", "indiv,cm", "--db", str(tmp_path / "db"))
    assert [f["status"] for f in out["fetched"]] == ["downloaded", "downloaded"]
    assert [f["key"] for f in out["fetched"]] == ["fec-bulk/2020/indiv20.zip", "fec-bulk/2020/cm20.zip"]
    lines = {name: len(shared("fec-bulk", "2019-2020", name).read_bytes().splitlines())
             for name in ("itcont.txt", "cm.txt")}
    assert lines == {"itcont.txt": 70_671, "cm.txt": 11_605}
    loaded = {f["source_file"]: (f["rows_read"], f["rows_loaded"], f["rows_rejected"]) for f in out["load"]["files"]}
    assert loaded == {"itcont.txt": (70_671, 70_671, 0), "cm.txt": (11_605, 11_605, 0)}
    with Store(tmp_path / "db", read_only=True) as store:
        assert store.rows("SELECT count(*) FROM transactions WHERE source_file = 'itcont.txt'") == [(70_671,)]
        origins = {o for (o,) in store.rows("SELECT origin FROM loads")}
    assert origins == {f"{local_only}/fec-bulk/2020/indiv20.zip!itcont.txt",
                       f"{local_only}/fec-bulk/2020/cm20.zip!cm.txt"}


def test_the_manifest_says_where_each_file_came_from(fec: Site, local_only: Path) -> None:
    fetched = fetch_bulk(2020, ["cm"])
    body = fec.files[BASE + "cm20.zip"]
    entry = manifest()["fec-bulk/2020/cm20.zip"]
    assert entry["url"] == fec.url(BASE + "cm20.zip") == fetched[0].url
    assert entry["bytes"] == len(body) and entry["sha256"] == hashlib.sha256(body).hexdigest()
    assert entry["last_modified"] == "Sun, 01 Nov 2026 06:00:00 GMT" and entry["fetched_at"].endswith("+00:00")
    assert (local_only / "fec-bulk/2020/cm20.zip").read_bytes() == body
    assert sorted(p.name for p in (local_only / "fec-bulk/2020").iterdir()) == ["cm20.zip"]  # no .part left


def test_a_second_fetch_downloads_nothing(fec: Site, tmp_path: Path) -> None:
    fetch_cli("--files", "cm,ccl", "--db", str(tmp_path / "db"))
    asked = len(fec.requests)
    again = fetch_cli("--files", "cm,ccl", "--db", str(tmp_path / "db"))
    assert len(fec.requests) == asked == 2
    assert [f["status"] for f in again["fetched"]] == ["cached", "cached"]
    assert {f["status"] for f in again["load"]["files"]} == {"already loaded"}


def test_refresh_downloads_again_and_a_changed_cached_file_is_replaced(fec: Site, local_only: Path) -> None:
    fetch_bulk(2020, ["ccl"])
    assert [f.status for f in fetch_bulk(2020, ["ccl"], refresh=True)] == ["downloaded"]
    assert fec.gets(BASE + "ccl20.zip") == 2
    (local_only / "fec-bulk/2020/ccl20.zip").write_bytes(b"SYNTHETIC: not what was downloaded")
    assert [f.status for f in fetch_bulk(2020, ["ccl"])] == ["downloaded"]
    assert (local_only / "fec-bulk/2020/ccl20.zip").read_bytes() == fec.files[BASE + "ccl20.zip"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "moneytrail", *args], capture_output=True, text=True)


@pytest.mark.parametrize("damage", ["flipped byte", "flipped early byte", "cut short"])
def test_a_corrupt_zip_is_rejected_and_nothing_is_loaded(fec: Site, tmp_path: Path, local_only: Path,
                                                          damage: str) -> None:
    body = bytearray(fec.files[BASE + "cm20.zip"])
    if damage == "flipped byte":
        body[len(body) // 2] ^= 0xFF  # the member's CRC no longer matches
    elif damage == "flipped early byte":
        body[100] ^= 0xFF  # the deflate stream itself breaks (zlib.error)
    else:
        del body[len(body) // 2:]  # served whole with its own Content-Length: only the zip check can tell
    fec.files[BASE + "cm20.zip"] = bytes(body)
    result = run("fetch", "bulk", "--cycle", "2020", "--files", "indiv,cm", "--db", str(tmp_path / "db"))
    assert result.returncode == 1, result.stdout
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {fec.url(BASE + 'cm20.zip')} arrived complete ({len(body):,} bytes) "
                                    "but is not valid: ")
    assert "nothing was loaded: run the command again to download it afresh" in result.stderr
    assert not (tmp_path / "db").exists()
    assert not (local_only / "fec-bulk/2020/cm20.zip").exists()
    assert list(manifest()) == ["fec-bulk/2020/indiv20.zip"]  # the good file stays cached for the next run


def test_no_load_only_downloads(fec: Site, tmp_path: Path) -> None:
    out = fetch_cli("--files", "ccl", "--no-load", "--db", str(tmp_path / "db"))
    assert out["load"] is None and not (tmp_path / "db").exists()


def test_a_missing_cycle_file_and_an_unreachable_server_are_one_line(fec: Site, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    missing = run("fetch", "bulk", "--cycle", "2020", "--files", "webl", "--db", str(tmp_path / "db"))
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1
    assert missing.stderr.startswith(f"error: {fec.url(BASE + 'webl20.zip')}: not found (HTTP 404 from 127.0.0.1)")
    monkeypatch.setenv("MONEYTRAIL_FEC_BULK_URL", "http://127.0.0.1:1/files/bulk-downloads")
    offline = run("fetch", "bulk", "--cycle", "2020", "--files", "cm", "--db", str(tmp_path / "db"))
    assert offline.returncode == 1 and offline.stderr.count("\n") == 1
    assert offline.stderr.startswith("error: cannot reach 127.0.0.1: ")
    assert "check your connection" in offline.stderr and "run moneytrail load FILE" in offline.stderr


def test_fetch_commands_have_help() -> None:
    for command in (["fetch", "bulk"], ["fetch", "filing"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output and "--no-load" in result.output


def test_the_independent_expenditure_csv_is_checked_by_its_header(site: Site, local_only: Path) -> None:
    path = BASE + "independent_expenditure_2020.csv"
    site.files[path] = (HEADER + "\n").encode()  # SYNTHETIC: the header line alone
    (fetched,) = fetch_bulk(2020, ["independent_expenditure"])
    assert fetched.status == "downloaded" and fetched.key == "fec-bulk/2020/independent_expenditure_2020.csv"
    site.files[path] = b"<html>SYNTHETIC maintenance page</html>\n"
    with pytest.raises(FetchError, match="is not valid: .*first line is not the header"):
        fetch_bulk(2020, ["independent_expenditure"], refresh=True)
    assert (local_only / fetched.key).read_bytes() == (HEADER + "\n").encode()  # the verified copy stays
