"""Where the FEC publishes its files, and how to tell that a downloaded one is whole.

Bulk files live at ``<fec_bulk_url>/<cycle>/<name>``; electronic filings at
``<fec_filing_url>/<filing id>.fec``. Both base URLs are settings, so a mirror (or a test server)
can stand in for the FEC.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from pathlib import Path

from .. import settings
from ..errors import InputError
from ..sources import fec_efile, fec_ie
from .cache import Check, Fetched, FileProgress, fetch

#: The FEC's bulk files for one cycle, by the short name ``--files`` takes, as the FEC names them under
#: https://www.fec.gov/files/bulk-downloads/<cycle>/ (listed at
#: https://www.fec.gov/data/browse-data/?tab=bulk-data). ``{yy}`` is the cycle's last two digits,
#: ``{cycle}`` all four. Each zip holds one file: indiv -> itcont.txt (contributions from individuals),
#: oth -> itoth.txt (between committees), pas2 -> itpas2.txt (committees to candidates), cm -> cm.txt
#: (committees), cn -> cn.txt (candidates), ccl -> ccl.txt (candidate-committee links), oppexp ->
#: oppexp.txt (operating expenditures), webk/weball/webl -> webk24.txt ... (PAC, all-candidate and
#: House/Senate summaries). The independent expenditure file is a plain CSV.
BULK_FILES: dict[str, str] = {
    "indiv": "indiv{yy}.zip",
    "oth": "oth{yy}.zip",
    "pas2": "pas2{yy}.zip",
    "cm": "cm{yy}.zip",
    "cn": "cn{yy}.zip",
    "ccl": "ccl{yy}.zip",
    "oppexp": "oppexp{yy}.zip",
    "independent_expenditure": "independent_expenditure_{cycle}.csv",
    "webk": "webk{yy}.zip",
    "weball": "weball{yy}.zip",
    "webl": "webl{yy}.zip",
}
#: The first cycle of the FEC's bulk downloads.
FIRST_CYCLE = 1980


def bulk_cycle(cycle: int) -> int:
    """``cycle`` when it is an election cycle the FEC publishes bulk files for; else InputError."""
    if cycle % 2 or cycle < FIRST_CYCLE or cycle > 2100:
        raise InputError(f"--cycle {cycle}: give the even year that ends an election cycle, {FIRST_CYCLE} or "
                         "later (2024 for 2023-2024)")
    return cycle


def bulk_names(files: list[str] | None = None) -> list[str]:
    """The short names asked for (all of them when ``files`` is empty), validated, in BULK_FILES order."""
    if not files:
        return list(BULK_FILES)
    unknown = [f for f in files if f not in BULK_FILES]
    if unknown:
        raise InputError(f"unknown bulk file {', '.join(unknown)}: use one or more of {','.join(BULK_FILES)}")
    return [name for name in BULK_FILES if name in files]


def bulk_url(cycle: int, name: str) -> str:
    filename = BULK_FILES[name].format(yy=f"{cycle % 100:02d}", cycle=cycle)
    return f"{settings.get('fec_bulk_url').rstrip('/')}/{cycle}/{filename}"


def filing_id(text: str) -> int:
    """The filing number in ``1229017``, ``FEC-1229017`` or a docquery URL ending ``/1229017.fec``."""
    match = re.fullmatch(r"(?:.*/)?(?:FEC-?)?(\d{1,12})(?:\.fec)?", text.strip(), re.IGNORECASE)
    if not match or int(match.group(1)) == 0:
        raise InputError(f"{text!r} is not an FEC filing number: give the number, as in 1229017 or FEC-1229017")
    return int(match.group(1))


def filing_url(number: int) -> str:
    return f"{settings.get('fec_filing_url').rstrip('/')}/{number}.fec"


def check_zip(path: Path) -> None:
    """A zip archive whose every member passes its CRC check."""
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as e:
        raise InputError(f"not a readable zip archive ({e})") from None
    if bad is not None:
        raise InputError(f"member {bad} fails its CRC check")


def check_csv(path: Path) -> None:
    """The independent expenditure CSV, by its header line."""
    if not fec_ie.detect(path, "independent_expenditure.csv"):
        raise InputError("its first line is not the header of the FEC independent expenditure file")


def check_filing(number: int) -> Check:
    def check(path: Path) -> None:
        """A filing that starts with a valid HDR record (a format version moneytrail reads) and a cover."""
        fec_efile.read_filing(path, f"{number}.fec")

    return check


def fetch_bulk(cycle: int, files: list[str] | None = None, *, cache: str | os.PathLike[str] | None = None,
               refresh: bool = False, progress: FileProgress | None = None) -> list[Fetched]:
    """Download the cycle's bulk files (all, or the short names in ``files``) into the cache."""
    cycle = bulk_cycle(cycle)
    out = []
    for name in bulk_names(files):
        url = bulk_url(cycle, name)
        check = check_csv if url.endswith(".csv") else check_zip
        out.append(fetch(url, f"fec-bulk/{cycle}/{url.rsplit('/', 1)[1]}", check, cache=cache, refresh=refresh,
                         progress=progress))
    return out


def fetch_filings(ids: list[str | int], *, cache: str | os.PathLike[str] | None = None, refresh: bool = False,
                  progress: FileProgress | None = None) -> list[Fetched]:
    """Download electronic filings by number (``1229017``, ``FEC-1229017``) into the cache."""
    numbers = list(dict.fromkeys(filing_id(str(i)) for i in ids))  # all checked before any download
    return [fetch(filing_url(n), f"fec-efile/{n}.fec", check_filing(n), cache=cache, refresh=refresh,
                  progress=progress) for n in numbers]
