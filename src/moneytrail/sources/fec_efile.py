"""FEC electronic filings (``.fec``): the header and cover page of one filing, read before its lines.

A filing is one report: a header (``HDR``, or the ``/* Header`` block of format 2.x), a cover record
(``F3XN``, ``F3PA``, ``F24N``, ``F99``, ...) and then one line per itemization, text record or
summary page. Format versions 6 and later separate fields with the byte 0x1C; older versions are
comma-separated with quotes. Field positions per version come from the FEC's layouts as bundled in
hardmoney (``fec_efile_layouts``); the lines themselves are read by ``fec_efile_records``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import InputError
from . import fec_efile_layouts as layouts

SOURCE = "fec-efile"
FS = "\x1c"
#: How many leading lines may hold the header and the cover record (the 2.x header block is long).
HEAD_LINES = 200


@dataclass(frozen=True)
class Filing:
    """What the header and cover record of one filing say."""

    filing_id: int
    version: str
    delimiter: str  # FS, or "," for the legacy comma-separated versions
    header: dict[str, str]
    header_lines: int  # lines before the cover record (1, or the 2.x header block)
    cover_line: int  # 1-based line number of the cover record
    cover_table: str  # F3X, F3, F3P, F24, F99, ...
    form_type: str  # as filed, upper-cased: F3XA
    cover: dict[str, str] = field(default_factory=dict)

    @property
    def amendment(self) -> str:
        """N new, A amendment, T termination (the last letter of the form type), when it says."""
        last = self.form_type[-1:]
        return last if self.form_type != self.cover_table and last in "NAT" else "N"

    @property
    def amends_filing_id(self) -> int | None:
        """The filing this one amends, from the header's report id (``FEC-1542500``), if stated."""
        match = re.search(r"(\d+)", self.header.get("report_id", "") or "")
        return int(match.group(1)) if match and self.amendment == "A" else None

    @property
    def report_type(self) -> str | None:
        return self.cover.get("report_code") or self.cover.get("report_type") or None

    @property
    def coverage_from(self) -> date | None:
        return parse_date(self.cover.get("coverage_from_date"))

    @property
    def coverage_through(self) -> date | None:
        return parse_date(self.cover.get("coverage_through_date"))

    @property
    def date_signed(self) -> date | None:
        return parse_date(self.cover.get("date_signed"))

    @property
    def report_year(self) -> int | None:
        day = self.coverage_through or self.date_signed
        return day.year if day else None

    @property
    def filer_id(self) -> str | None:
        return self.cover.get("filer_committee_id_number") or None

    @property
    def software(self) -> str:
        return " ".join(v for v in (self.header.get("soft_name"), self.header.get("soft_ver")) if v)


def parse_date(value: str | None) -> date | None:
    """A ``YYYYMMDD`` date, or None when blank, zero-filled or not a real date."""
    if not value or not re.fullmatch(r"\d{8}", value):
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def clean(value: str) -> str:
    """A field as filed, without padding and one wrapping pair of quotes."""
    value = value.strip()
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        value = value[1:-1].strip()
    return value


def split(line: str, delimiter: str) -> list[str]:
    """The fields of one line: 0x1C-separated, or comma-separated with quotes (legacy versions)."""
    if delimiter == FS:
        return [clean(v) for v in line.split(FS)]
    return [clean(v) for v in next(csv.reader([line]), [])]


def _head(path: Path) -> list[str]:
    lines: list[str] = []
    with path.open("rb") as f:
        for raw in f:
            lines.append(decode(raw).rstrip("\r\n"))
            if len(lines) >= HEAD_LINES:
                break
    return lines


def decode(raw: bytes) -> str:
    """UTF-8, or Windows-1252/Latin-1 for the FEC's legacy encoding (every byte is a character)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def looks_like_filing(path: Path) -> bool:
    """True when the file starts like an FEC electronic filing (an HDR record or a 2.x header block)."""
    with path.open("rb") as f:
        start = f.read(64).lstrip(b"\xef\xbb\xbf").lstrip()
    return start.startswith((b"HDR", b'"HDR"', b"/* Header"))


def filing_id_from_name(filename: str) -> int | None:
    """The FEC filing number a file is named by (``1229017.fec``, ``FEC-1229017.fec``), if any."""
    stem = Path(filename).name.split(".")[0]
    match = re.match(r"^(?:FEC-?)?(\d{1,12})(?:\D|$)", stem, re.IGNORECASE) or re.search(r"(\d{4,12})", stem)
    return int(match.group(1)) if match else None


def _legacy_header(lines: list[str]) -> tuple[dict[str, str], int]:
    """The ``/* Header`` ... ``/* End Header`` block of format 2.x: ``key = value`` lines."""
    header: dict[str, str] = {"record_type": "HDR"}
    for i, line in enumerate(lines):
        if line.strip().lower().startswith("/* end header"):
            return header, i + 1
        key, sep, value = line.partition("=")
        if sep:
            header[key.strip().lower()] = value.strip()
    raise InputError("the /* Header block has no /* End Header line: the file is truncated; download it again")


def read_filing(path: Path, filename: str) -> Filing:
    """Read the header and cover record of a ``.fec`` file. Raises InputError when they are unusable."""
    lines = _head(path)
    if not lines:
        raise InputError(f"{filename}: the file is empty; download the filing again")
    first = lines[0].lstrip("\ufeff")
    if not looks_like_filing(path):
        raise InputError(f"{filename}: named like an FEC electronic filing but does not start with an HDR record; "
                         "check that it is a .fec file from docquery.fec.gov")
    if first.lstrip().startswith("/* Header"):
        header, n_header = _legacy_header(lines)
        header["version"] = header.get("fec_ver_#", "")
        header["soft_name"], header["soft_ver"] = header.get("soft_name", ""), header.get("soft_ver#", "")
        delimiter = ","
    else:
        delimiter = FS if FS in first else ","
        values = split(first, delimiter)
        version = values[2] if len(values) > 2 else ""
        names = layouts.field_names("HDR", version) if layouts.known_version(version) else []
        header = {name: values[i] if i < len(values) else "" for i, name in enumerate(names)}
        header["version"], n_header = version, 1
    version = layouts.normalize_version(header["version"])
    if not layouts.known_version(version):
        raise InputError(
            f"{filename}: unsupported .fec format version {header['version']!r} in its header (moneytrail reads "
            "FEC formats 2.02 to 8.x); the header is damaged or this is not an FEC filing: download it again")
    filing_id = filing_id_from_name(filename)
    if filing_id is None:
        raise InputError(f"{filename}: cannot tell the filing number from the file name; name the file by its "
                         "FEC filing number as docquery.fec.gov does (1229017.fec)")
    body = [i for i in range(n_header, len(lines)) if lines[i].strip()]
    if not body:
        raise InputError(f"{filename}: the filing has a header but no cover record: it is truncated; "
                         "download it again")
    cover_index = body[0]
    values = split(lines[cover_index], delimiter)
    form_type = values[0].upper() if values else ""
    table = layouts.form_table(form_type)
    if table is None or table not in layouts.COVER_TABLES:
        raise InputError(f"{filename}: line {cover_index + 1} should be the cover record (F3X, F3, F3P, F24, F99, "
                         f"...) but has record type {form_type!r}; check that the file is a whole FEC filing")
    names = layouts.field_names(table, version)
    cover = {name: values[i] if i < len(values) else "" for i, name in enumerate(names)}
    return Filing(filing_id, version, delimiter, header, n_header, cover_index + 1, table, form_type, cover)
