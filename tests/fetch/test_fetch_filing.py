"""``moneytrail fetch filing`` against the local server, serving real filings from ../shared/data/fec-efile."""

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
from moneytrail.fetch import fetch_filings, manifest
from tests.conftest import shared
from tests.fetch.conftest import Site

runner = CliRunner()
POSTED = "/dcdev/posted/"


@pytest.fixture
def docquery(site: Site) -> Site:
    for number in ("1229017", "13360"):
        site.files[f"{POSTED}{number}.fec"] = shared("fec-efile", f"{number}.fec").read_bytes()
    return site


def test_fetch_and_load_a_filing(docquery: Site, tmp_path: Path) -> None:
    result = runner.invoke(app, ["fetch", "filing", "FEC-1229017", "13360", "--db", str(tmp_path / "db"), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [(f["key"], f["status"]) for f in out["fetched"]] == [("fec-efile/1229017.fec", "downloaded"),
                                                                 ("fec-efile/13360.fec", "downloaded")]
    body = docquery.files[f"{POSTED}1229017.fec"]
    itemized = sum(1 for line in body.splitlines() if line[:2] in (b"SA", b"SB"))
    assert itemized == 233
    files = {f["source_file"]: f for f in out["load"]["files"]}
    assert files["1229017.fec"]["rows_read"] == len(body.splitlines()) and files["1229017.fec"]["rows_rejected"] == 0
    with Store(tmp_path / "db", read_only=True) as store:
        assert store.rows("SELECT count(*) FROM transactions WHERE filing_id = 1229017") == [(itemized,)]
        assert store.rows("SELECT sha256 FROM loads WHERE source_file = '1229017.fec'") == [
            (hashlib.sha256(body).hexdigest(),)]


def test_the_same_filing_twice_is_fetched_once(docquery: Site) -> None:
    first = fetch_filings(["1229017", "FEC-1229017"])
    assert len(first) == 1 and docquery.gets(f"{POSTED}1229017.fec") == 1
    again = fetch_filings(["1229017"])
    assert again[0].status == "cached" and docquery.gets(f"{POSTED}1229017.fec") == 1
    assert manifest()["fec-efile/1229017.fec"]["url"] == docquery.url(f"{POSTED}1229017.fec")


def test_a_dropped_filing_download_is_resumed(docquery: Site) -> None:
    docquery.drop_after[f"{POSTED}1229017.fec"] = 10_000
    (fetched,) = fetch_filings(["1229017"])
    body = docquery.files[f"{POSTED}1229017.fec"]
    assert fetched.status == "resumed" and fetched.path.read_bytes() == body
    assert fetched.sha256 == hashlib.sha256(body).hexdigest()
    assert docquery.requests[-1] == (f"{POSTED}1229017.fec", "bytes=10000-")


@pytest.mark.parametrize(("served", "reason"), [
    (b"<html><body>SYNTHETIC error page</body></html>\n", "does not start with an HDR record"),
    (None, "unsupported .fec format version"),
])
def test_a_file_that_is_not_a_filing_is_rejected(docquery: Site, local_only: Path, served: bytes | None,
                                                  reason: str) -> None:
    # None: the real broken filing of the samples (a damaged header version)
    docquery.files[f"{POSTED}1550000.fec"] = served or shared("fec-efile", "filing_invalid_version.fec").read_bytes()
    with pytest.raises(FetchError, match=f"1550000.fec arrived complete .* but is not valid: .*{reason}"):
        fetch_filings(["1550000"])
    assert not (local_only / "fec-efile/1550000.fec").exists() and manifest() == {}


def test_an_unknown_filing_number_is_a_one_line_404(docquery: Site, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "moneytrail", "fetch", "filing", "FEC-9999999", "--db",
                             str(tmp_path / "db")], capture_output=True, text=True)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {docquery.url(POSTED + '9999999.fec')}: not found (HTTP 404")


def test_junk_ids_are_refused_by_the_command(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "moneytrail", "fetch", "filing", "12x4", "--db",
                             str(tmp_path / "db")], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == ("error: '12x4' is not an FEC filing number: give the number, as in 1229017 or "
                             "FEC-1229017\n")
