"""FEC names and numbers: bulk file URLs per cycle, filing numbers, and what is refused before any download."""

from __future__ import annotations

import pytest

from moneytrail.errors import InputError
from moneytrail.fetch import BULK_FILES, fetch_bulk, fetch_filings, filing_id
from moneytrail.fetch.fec import bulk_names, bulk_url, filing_url


def test_bulk_urls_follow_the_fec_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONEYTRAIL_FEC_BULK_URL", "https://www.fec.gov/files/bulk-downloads/")
    urls = [bulk_url(2024, name) for name in BULK_FILES]
    base = "https://www.fec.gov/files/bulk-downloads/2024/"
    assert urls == [base + n for n in ("indiv24.zip", "oth24.zip", "pas224.zip", "cm24.zip", "cn24.zip",
                                       "ccl24.zip", "oppexp24.zip", "independent_expenditure_2024.csv",
                                       "webk24.zip", "weball24.zip", "webl24.zip")]
    assert bulk_url(2000, "indiv").endswith("/2000/indiv00.zip")


def test_bulk_names_keep_the_table_order_and_refuse_unknown_ones() -> None:
    assert bulk_names(None) == list(BULK_FILES)
    assert bulk_names(["cm", "indiv"]) == ["indiv", "cm"]
    with pytest.raises(InputError, match="unknown bulk file itcont: use one or more of indiv,oth,pas2"):
        bulk_names(["itcont"])


@pytest.mark.parametrize("cycle", [2023, 1978, 0])
def test_a_cycle_is_an_even_year(cycle: int) -> None:
    with pytest.raises(InputError, match=f"--cycle {cycle}: give the even year"):
        fetch_bulk(cycle, ["cm"])


@pytest.mark.parametrize("text", ["1229017", "FEC-1229017", "fec-1229017", "FEC1229017", " 1229017 ",
                                  "1229017.fec", "https://docquery.fec.gov/dcdev/posted/1229017.fec"])
def test_filing_numbers_in_every_spelling(text: str) -> None:
    assert filing_id(text) == 1229017


@pytest.mark.parametrize("text", ["", "abc", "FEC-", "12x4", "-5", "0", "1229017.zip", "C00401224", "1.5"])
def test_junk_filing_numbers_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="is not an FEC filing number: give the number, as in 1229017"):
        filing_id(text)


def test_every_number_is_checked_before_anything_is_downloaded() -> None:
    # the autouse fixture points the filing URL at a closed port: reaching it would be a different error
    with pytest.raises(InputError, match="'junk' is not an FEC filing number"):
        fetch_filings(["1229017", "junk"])


def test_filing_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONEYTRAIL_FEC_FILING_URL", "https://docquery.fec.gov/dcdev/posted")
    assert filing_url(filing_id("FEC-1229017")) == "https://docquery.fec.gov/dcdev/posted/1229017.fec"
