"""The FEC's independent expenditure file (``independent_expenditure_2024.csv``).

One row per independent expenditure reported on Schedule E (Forms 3X and 5) and on 24- and 48-hour
notices (Form 24), with the candidate supported or opposed. It is a CSV with a header line, unlike the
other bulk files. Its layout: https://www.fec.gov/campaign-finance-data/independent-expenditures-file-description/

The same expenditure can stand in this file twice (a 24/48-hour notice, then the periodic report) and
also in itoth (as a 24E/24A row): the rules that count it once are in ``store/views.refresh`` and
docs/counting.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ..errors import InputError
from ..store.schema import MONEY, polars_schema
from .fec_bulk import MONEY_PATTERN, cycle_from_name
from .lines import scan_lines

SOURCE = "fec-bulk"
COLUMNS = ("cand_id", "cand_name", "spe_id", "spe_nam", "ele_type", "can_office_state", "can_office_dis",
           "can_office", "cand_pty_aff", "exp_amo", "exp_date", "agg_amo", "sup_opp", "pur", "pay", "file_num",
           "amndt_ind", "tran_id", "image_num", "receipt_dat", "fec_election_yr", "prev_file_num", "dissem_dt")
HEADER = ",".join(COLUMNS)
#: Date forms seen in the file over the years: 15-MAY-24, 05/15/2024, 2024-05-15.
DATE_FORMATS = ("%d-%b-%y", "%m/%d/%Y", "%Y-%m-%d")
#: Fields kept in ``extra``: everything the transactions columns do not hold.
EXTRA = ("cand_name", "spe_nam", "ele_type", "can_office_state", "can_office_dis", "can_office", "cand_pty_aff",
         "agg_amo", "receipt_dat", "prev_file_num", "dissem_dt")


def _header(path: Path) -> str:
    with path.open("rb") as f:
        return f.readline().decode("latin-1").strip().strip("\ufeff").replace('"', "").lower()


def detect(path: Path, filename: str) -> bool:
    """True for the FEC's independent expenditure file, by its header line."""
    name = filename.lower()
    if not (name.endswith(".csv") or name.endswith(".txt")):
        return False
    header = _header(path)
    if header == HEADER:
        return True
    if name.startswith("independent_expenditure"):
        raise InputError(f"{filename}: named like the FEC independent expenditure file but its first line is not "
                         f"the header it should have ({HEADER[:40]}...); check that it is the right file")
    return False


def _split(lines: pl.Series) -> pl.Series:
    """CSV fields of each line, by the standard library's CSV reader (quoting may vary by line).

    The file is small (tens of MB a cycle), so exact CSV rules beat a faster approximate split."""
    return pl.Series([next(csv.reader([line]), []) if line else [] for line in lines], dtype=pl.List(pl.String))


def _fields(raw: pl.Expr) -> pl.Expr:
    return raw.map_batches(_split, return_dtype=pl.List(pl.String))


def _date(expr: pl.Expr) -> pl.Expr:
    return pl.coalesce([expr.str.to_uppercase().str.strptime(pl.Date, fmt, strict=False) for fmt in DATE_FORMATS])


def transactions(lines: pl.LazyFrame, source_file: str, batch_id: str, cycle: int | None) -> pl.LazyFrame:
    """Rows of the IE file as transactions (24E supporting, 24A opposing), with ``reject_reason``."""
    parts = pl.col("_p")
    f = {c: pl.when(parts.list.get(i, null_on_oob=True).str.strip_chars() == "").then(None)
         .otherwise(parts.list.get(i, null_on_oob=True).str.strip_chars())
         for i, c in enumerate(COLUMNS)}
    date = _date(f["exp_date"])
    reason = (
        pl.when(pl.col("raw").str.strip_chars() == "").then(pl.lit("blank line"))
        .when(parts.list.len() != len(COLUMNS))
        .then(pl.lit(f"wrong number of fields (expected {len(COLUMNS)} separated by commas)"))
        .when(f["spe_id"].is_null() | ~f["spe_id"].str.contains(r"^C\d{8}$")).then(pl.lit("missing or bad spe_id"))
        .when(f["exp_amo"].is_null() | ~f["exp_amo"].str.contains(MONEY_PATTERN)).then(pl.lit("missing or bad exp_amo"))
        .when(~f["sup_opp"].fill_null("").is_in(["S", "O"])).then(pl.lit("missing or bad sup_opp"))
        .when(f["exp_date"].is_not_null() & date.is_null()).then(pl.lit("bad exp_date"))
        .when(f["file_num"].is_not_null() & ~f["file_num"].str.contains(r"^\d{1,18}$")).then(pl.lit("bad file_num"))
    )
    # TRAN_ID is the filer's stable id; rows without one fall back to the image, then the line.
    line = pl.lit("line-") + pl.col("source_line").cast(pl.String)
    key = pl.coalesce([f["tran_id"], pl.lit("image-") + f["image_num"], line])
    year = date.dt.year()
    none = pl.lit(None, pl.String)
    columns = {
        "txn_id": pl.lit("fec-ie:") + f["spe_id"] + ":" + f["file_num"].fill_null("0") + ":" + key,
        "source": pl.lit(SOURCE), "source_file": pl.lit(source_file), "source_line": pl.col("source_line"),
        "batch_id": pl.lit(batch_id),
        "cycle": pl.lit(cycle, pl.Int32) if cycle else (year + year % 2).cast(pl.Int32),
        "filer_id": f["spe_id"], "direction": pl.lit("disbursement"), "kind": pl.lit("independent expenditure"),
        "fec_transaction_type": pl.when(f["sup_opp"] == "S").then(pl.lit("24E")).otherwise(pl.lit("24A")),
        "form_type": pl.lit("SE"), "entity_type": none, "name": f["pay"], "city": none, "state": none, "zip": none,
        "employer": none, "occupation": none, "date": date, "amount": f["exp_amo"].cast(MONEY, strict=False),
        "other_id": f["cand_id"], "candidate_id": f["cand_id"], "memo": pl.lit(False), "memo_text": none,
        "amendment": f["amndt_ind"], "report_type": none,
        "report_year": f["fec_election_yr"].cast(pl.Int32, strict=False), "election": f["ele_type"],
        "image_number": f["image_num"], "filing_id": f["file_num"].cast(pl.Int64, strict=False),
        "sub_id": pl.lit(None, pl.Int64), "tran_id": f["tran_id"], "back_ref_tran_id": none, "purpose": f["pur"],
        "aggregate_ytd": pl.lit(None, MONEY),
        "extra": pl.struct(**{c: f[c] for c in EXTRA}).struct.json_encode(),
    }
    schema = polars_schema("transactions")
    return (lines.filter(pl.col("source_line") > 1)
            .with_columns(_fields(pl.col("raw")).alias("_p"))
            .select(*[columns[name].cast(dtype).alias(name) for name, dtype in schema.items()],
                    reason.alias("reject_reason"), "raw"))


@dataclass(frozen=True)
class FecIndependentExpenditureReader:
    source: str = SOURCE
    file_kind: str = "independent_expenditure"
    #: The header line is read but is not a row.
    header_lines: int = 1

    def frames(self, path: Path, source_file: str, batch_id: str, cycle: int | None) -> dict[str, pl.LazyFrame]:
        return {"transactions": transactions(scan_lines(path), source_file, batch_id, cycle)}

    def cycle(self, origin: str) -> int | None:
        return cycle_from_name(origin)
