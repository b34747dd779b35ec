"""FEC bulk data files (itcont, itoth, itpas2, oppexp, cm, cn, ccl, webk, weball, webl).

Layouts are data (``layouts/fec_bulk.toml``). Each file is read as raw numbered lines, split on ``|``,
checked, and mapped onto the store's tables; a line that fails a check goes to ``rejected_rows`` with
its reason and raw text, so that for every file ``rows read = rows loaded + rows rejected``. The good
rows of itcont, itoth and itpas2 are read faster by the CSV reader (:func:`quick_split`).
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import polars as pl

from ..errors import InputError
from ..store.schema import MONEY, polars_schema
from .lines import scan_fields, with_fields

SOURCE = "fec-bulk"
MONEY_PATTERN = r"^-?(\d{1,16}(\.\d{1,2})?|\.\d{1,2})$"
INT_PATTERN = r"^-?\d{1,18}$"


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str
    doc: str
    names: tuple[str, ...]
    columns: tuple[str, ...]
    date_format: str | None = None
    trailing_delimiter: bool = False

    @property
    def n_fields(self) -> int:
        return len(self.columns) + (1 if self.trailing_delimiter else 0)

    def matches(self, filename: str) -> bool:
        stem = filename.lower()
        return any(fnmatch.fnmatch(stem, pattern) for pattern in self.names)


@cache
def layouts() -> dict[str, Layout]:
    text = resources.files("moneytrail.sources.layouts").joinpath("fec_bulk.toml").read_text()
    return {
        name: Layout(name, t["kind"], t["doc"], tuple(t["names"]), tuple(t["columns"]),
                     t.get("date_format"), t.get("trailing_delimiter", False))
        for name, t in tomllib.loads(text).items()
    }


def _first_line(path: Path) -> str:
    with path.open("rb") as f:
        for raw in f:
            line = raw.decode("latin-1").rstrip("\r\n")
            if line.strip():
                return line
    return ""


def _by_shape(line: str) -> Layout | None:
    n = line.count("|") + 1
    first = line.split("|", 1)[0]
    for layout in layouts().values():
        if layout.n_fields != n:
            continue
        if layout.name in ("cm", "cn"):
            # Same width: committee ids start with C, candidate ids with H, S or P.
            if (layout.name == "cm") != first.startswith("C"):
                continue
        return layout  # indiv and oth share a layout; the transaction type tells them apart anyway
    return None


def detect(path: Path, filename: str) -> Layout | None:
    """The layout of a bulk file, by its name and the shape of its first line; None if it is not one.

    Raises InputError for an empty file or one named like a bulk file whose lines have another shape.
    """
    line = _first_line(path)
    named = next((layout for layout in layouts().values() if layout.matches(filename)), None)
    if named is None:
        return _by_shape(line) if "|" in line else None
    if not line:
        raise InputError(f"{filename}: the file is empty; nothing to load (download it again?)")
    found = line.count("|") + 1
    if found != named.n_fields:
        raise InputError(
            f"{filename}: named like the FEC {named.name} file ({named.n_fields} fields a line) but its first "
            f"line has {found}; check that it is the right file ({named.doc})"
        )
    return named


_YEAR = re.compile(r"(?<!\d)(19|20)(\d\d)(?!\d)")
_SHORT = re.compile(r"(?:indiv|oth|pas2|oppexp|cm|cn|ccl|webk|weball|webl)(\d\d)(?!\d)", re.IGNORECASE)


def cycle_from_name(origin: str) -> int | None:
    """The election cycle a file's name or folder gives (``indiv20.zip``, ``.../2019-2020/itcont.txt``)."""
    short = _SHORT.findall(origin)
    if short:
        return 2000 + int(short[-1])
    years = [int(a + b) for a, b in _YEAR.findall(origin)]
    if years:
        year = max(years)
        return year + (year % 2)
    return None


# -- transactions ---------------------------------------------------------------------------------


#: Prefix of the columns that hold the split fields while a file is mapped (``_f:CMTE_ID``).
FIELD = "_f:"


#: Fields without which a transaction is rejected.
REQUIRED = ("CMTE_ID", "SUB_ID", "TRANSACTION_AMT")


def split(lines: pl.LazyFrame, layout: Layout) -> pl.LazyFrame:
    """Numbered raw lines (:func:`lines.scan_lines`) with their fields (:func:`lines.with_fields`)."""
    return with_fields(lines, _names(layout), "|")


def quick_split(path: Path, layout: Layout) -> pl.LazyFrame | None:
    """:func:`split` of the file's lines, read by the CSV reader (:func:`lines.scan_fields`), for transaction
    files whose last field is required: the good rows mapped from it are exactly those mapped from
    :func:`split` (its rejected rows are not: read them from :func:`split`). None for other layouts."""
    if layout.kind != "transactions" or layout.trailing_delimiter or layout.columns[-1] not in REQUIRED:
        return None
    return scan_fields(path, _names(layout), "|")


def _names(layout: Layout) -> dict[str, int]:
    return {FIELD + c: i for i, c in enumerate(layout.columns)}


def _fields(layout: Layout) -> dict[str, pl.Expr]:
    """The fields of a line split by :func:`split`, trimmed, empty strings as nulls."""
    return {c: pl.col(FIELD + c) for c in layout.columns}


def _structure_reason(layout: Layout) -> pl.Expr:
    # Reasons are literals (the raw line beside them shows the value): cheap on every row.
    n = pl.col("_n")
    # A blank line (only whitespace) has no "|", so its one field is the whole line trimmed: empty, so null.
    blank = (n == 1) & pl.col(FIELD + layout.columns[0]).is_null()
    return (
        pl.when(blank).then(pl.lit("blank line"))
        .when(n != layout.n_fields)
        .then(pl.lit(f"wrong number of fields (expected {layout.n_fields} separated by |)"))
    )


def _bad(expr: pl.Expr, column: str, pattern: str, required: bool) -> tuple[pl.Expr, pl.Expr]:
    check = expr.is_not_null() & ~expr.str.contains(pattern)
    if required:
        check = expr.is_null() | check
        return check, pl.lit(f"missing or bad {column}")
    return check, pl.lit(f"bad {column}")


def _money(expr: pl.Expr) -> pl.Expr:
    return expr.cast(MONEY, strict=False)


def transactions(fields: pl.LazyFrame, layout: Layout, source_file: str, batch_id: str,
                 cycle: int | None) -> pl.LazyFrame:
    """Map lines split by :func:`split` onto the transactions schema; rows carry a ``reject_reason``
    (null when good)."""
    f = _fields(layout)
    amount_str, date_str = f["TRANSACTION_AMT"], f["TRANSACTION_DT"]
    date = pl.col("_date")  # computed once, below, for the check, the column and the cycle
    reason = _structure_reason(layout)
    for column, pattern in [("CMTE_ID", r"^C\d{8}$"), ("SUB_ID", r"^\d{1,19}$"),
                            ("TRANSACTION_AMT", MONEY_PATTERN), ("FILE_NUM", INT_PATTERN)]:
        check, why = _bad(f[column], column, pattern, column in REQUIRED)
        reason = reason.when(check).then(why)
    reason = reason.when(date_str.is_not_null() & date.is_null()).then(pl.lit("bad TRANSACTION_DT"))

    amount = pl.col("_amount")
    memo = f["MEMO_CD"].fill_null("") == "X"
    none = pl.lit(None, pl.String)
    if "TRANSACTION_TP" in f:  # direction and kind follow from the type when the view is read
        direction, kind, tx_type = none, none, f["TRANSACTION_TP"]
    else:  # oppexp: operating expenditures only
        direction, kind, tx_type = pl.lit("disbursement"), pl.lit("expenditure"), none
    year = date.dt.year()
    row_cycle = pl.lit(cycle, pl.Int32) if cycle else (year + year % 2).cast(pl.Int32)
    extra = pl.lit(None, pl.String)
    if layout.name == "oppexp":
        extra = pl.struct(FORM_TP_CD=f["FORM_TP_CD"], CATEGORY=f["CATEGORY"],
                          CATEGORY_DESC=f["CATEGORY_DESC"]).struct.json_encode()
    columns = {
        "txn_id": pl.lit(SOURCE + ":") + f["SUB_ID"],
        "source": pl.lit(SOURCE),
        "source_file": pl.lit(source_file),
        "source_line": pl.col("source_line"),
        "batch_id": pl.lit(batch_id),
        "cycle": row_cycle,
        "filer_id": f["CMTE_ID"],
        "direction": direction,
        "kind": kind,
        "fec_transaction_type": tx_type,
        "form_type": (f["SCHED_TP_CD"] + f["LINE_NUM"]) if "LINE_NUM" in f else pl.lit(None, pl.String),
        "entity_type": f["ENTITY_TP"],
        "name": f["NAME"],
        "city": f["CITY"],
        "state": f["STATE"],
        "zip": f["ZIP_CODE"],
        "employer": f.get("EMPLOYER", pl.lit(None, pl.String)),
        "occupation": f.get("OCCUPATION", pl.lit(None, pl.String)),
        "date": date,
        "amount": amount,
        "other_id": f.get("OTHER_ID", pl.lit(None, pl.String)),
        "candidate_id": f.get("CAND_ID", pl.lit(None, pl.String)),
        "memo": memo,
        "memo_text": f["MEMO_TEXT"],
        "amendment": f["AMNDT_IND"],
        "report_type": f["RPT_TP"],
        "report_year": f["RPT_YR"].cast(pl.Int32, strict=False) if "RPT_YR" in f else pl.lit(None, pl.Int32),
        "election": f["TRANSACTION_PGI"],
        "image_number": f["IMAGE_NUM"],
        "filing_id": f["FILE_NUM"].cast(pl.Int64, strict=False),
        "sub_id": f["SUB_ID"].cast(pl.Int64, strict=False),
        "tran_id": f["TRAN_ID"],
        "back_ref_tran_id": f.get("BACK_REF_TRAN_ID", pl.lit(None, pl.String)),
        "purpose": f.get("PURPOSE", pl.lit(None, pl.String)),
        "aggregate_ytd": pl.lit(None, MONEY),
        "extra": extra,
    }
    schema = polars_schema("transactions")
    typed = fields.with_columns(
        date_str.str.strptime(pl.Date, layout.date_format or "%m%d%Y", strict=False).alias("_date"),
        _money(amount_str).alias("_amount"))
    return typed.select(
        *[columns[name].cast(dtype).alias(name) for name, dtype in schema.items()],
        reason.alias("reject_reason"), "raw")


# -- reference tables -------------------------------------------------------------------------------

#: FEC column -> store column, for the reference tables. Columns not named here keep their FEC names.
RENAMES = {
    "cm": {"CMTE_ID": "committee_id", "CMTE_NM": "name", "TRES_NM": "treasurer", "CMTE_ST1": "street_1",
           "CMTE_ST2": "street_2", "CMTE_CITY": "city", "CMTE_ST": "state", "CMTE_ZIP": "zip",
           "CMTE_DSGN": "designation", "CMTE_TP": "committee_type", "CMTE_PTY_AFFILIATION": "party",
           "CMTE_FILING_FREQ": "filing_frequency", "ORG_TP": "org_type", "CONNECTED_ORG_NM": "connected_org",
           "CAND_ID": "candidate_id"},
    "cn": {"CAND_ID": "candidate_id", "CAND_NAME": "name", "CAND_PTY_AFFILIATION": "party",
           "CAND_ELECTION_YR": "election_year", "CAND_OFFICE_ST": "office_state", "CAND_OFFICE": "office",
           "CAND_OFFICE_DISTRICT": "office_district", "CAND_ICI": "incumbent_challenger",
           "CAND_STATUS": "status", "CAND_PCC": "principal_committee_id", "CAND_ST1": "street_1",
           "CAND_ST2": "street_2", "CAND_CITY": "city", "CAND_ST": "state", "CAND_ZIP": "zip"},
    "ccl": {"CAND_ID": "candidate_id", "CAND_ELECTION_YR": "candidate_election_year",
            "FEC_ELECTION_YR": "fec_election_year", "CMTE_ID": "committee_id", "CMTE_TP": "committee_type",
            "CMTE_DSGN": "designation", "LINKAGE_ID": "linkage_id"},
}
ID_PATTERNS = {"CMTE_ID": r"^C\d{8}$", "CAND_ID": r"^[HSP][0-9A-Z]{8}$"}
#: ccl links joint fundraising committees too, and those rows name a committee (C...) in CAND_ID.
CCL_CAND_ID = r"^[HSPC][0-9A-Z]{8}$"
TEXT_SUMMARY_COLUMNS = {"CMTE_ID", "CMTE_NM", "CMTE_TP", "CMTE_DSGN", "CMTE_FILING_FREQ", "CAND_ID", "CAND_NAME",
                        "CAND_ICI", "PTY_CD", "CAND_PTY_AFFILIATION", "CAND_OFFICE_ST", "CAND_OFFICE_DISTRICT",
                        "SPEC_ELECTION", "PRIM_ELECTION", "RUN_ELECTION", "GEN_ELECTION", "CVG_END_DT"}


def reference(fields: pl.LazyFrame, layout: Layout, source_file: str, batch_id: str,
              cycle: int | None) -> pl.LazyFrame:
    """Map lines of cm, cn, ccl, webk or weball split by :func:`split` onto their table, with ``reject_reason``."""
    f = _fields(layout)
    reason = _structure_reason(layout)
    key = "CMTE_ID" if layout.name in ("cm", "webk") else "CAND_ID"
    check, why = _bad(f[key], key, CCL_CAND_ID if layout.name == "ccl" else ID_PATTERNS[key], True)
    reason = reason.when(check).then(why)
    if layout.name == "ccl":
        check, why = _bad(f["CMTE_ID"], "CMTE_ID", ID_PATTERNS["CMTE_ID"], True)
        reason = reason.when(check).then(why)
    cols: dict[str, pl.Expr] = {}
    if layout.name in RENAMES:
        provenance = ("source_file", "source_line", "batch_id")
        schema = {k: v for k, v in polars_schema(layout.kind).items() if k not in provenance}
        for fec, ours in RENAMES[layout.name].items():
            dtype = schema[ours]
            if dtype == pl.Int32() or dtype == pl.Int64():
                check, why = _bad(f[fec], fec, INT_PATTERN, False)
                reason = reason.when(check).then(why)
            cols[ours] = f[fec].cast(dtype, strict=False)
        cols["cycle"] = pl.lit(cycle, pl.Int32)
        ordered = [pl.col(name).cast(dtype) for name, dtype in schema.items()]
    else:  # summaries keep the FEC's column names
        for c in layout.columns:
            if c in TEXT_SUMMARY_COLUMNS:
                cols[c] = f[c]
            else:
                check, why = _bad(f[c], c, MONEY_PATTERN, False)
                reason = reason.when(check).then(why)
                cols[c] = _money(f[c])
        cols["CVG_END_DT"] = f["CVG_END_DT"].str.strptime(pl.Date, layout.date_format or "%m/%d/%Y", strict=False)
        cols["cycle"] = pl.lit(cycle, pl.Int32)
        ordered = [pl.col(c) for c in [*layout.columns, "cycle"]]
    meta = [pl.lit(source_file).alias("source_file"), pl.col("source_line"), pl.lit(batch_id).alias("batch_id")]
    return (
        fields
        .with_columns(reason.alias("reject_reason"), **cols)
        .select([*ordered, *meta, "reject_reason", "raw"])
    )
