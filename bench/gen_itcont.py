"""Write a SYNTHETIC FEC itcont file (contributions by individuals) of a chosen size, for benchmarks.

Every row is invented: the names, committees, employers and amounts are drawn from small built-in pools
by a seeded generator, so the same seed and size always give the same bytes. The lines follow the FEC's
bulk layout exactly (21 fields separated by ``|``, no header line, no quoting, ``\\n`` line ends) and hold
what real files hold: ZIP5 and ZIP9 codes, dates as MMDDYYYY, amounts with and without cents, negative
refunds (22Y), memo rows (MEMO_CD X), earmarks (15E) naming their conduit in OTHER_ID, conduit
pass-throughs (24T), amended reports repeating an earlier row's TRAN_ID under a later FILE_NUM, unique
SUB_IDs, and a sprinkling of non-ASCII UTF-8 names. The file name says ``synthetic``.

    python bench/gen_itcont.py --size 2GB            # bench/out/synthetic-itcont-2GB.txt
    python bench/gen_itcont.py --rows 20M --out x.txt
"""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

import polars as pl
import pyarrow as pa

OUT = Path(__file__).resolve().parent / "out"
CHUNK_ROWS = 500_000
SEED = 2024
#: 2023-01-01 as days since 1970-01-01: dates fall in the 2023-2024 cycle.
CYCLE_START = 19358
CYCLE_DAYS = 731

LAST = """SMITH JOHNSON WILLIAMS BROWN JONES GARCIA MILLER DAVIS RODRIGUEZ MARTINEZ HERNANDEZ LOPEZ GONZALEZ
WILSON ANDERSON THOMAS TAYLOR MOORE JACKSON MARTIN LEE PEREZ THOMPSON WHITE HARRIS SANCHEZ CLARK RAMIREZ LEWIS
ROBINSON WALKER YOUNG ALLEN KING WRIGHT SCOTT TORRES NGUYEN HILL FLORES GREEN ADAMS NELSON BAKER HALL RIVERA
CAMPBELL MITCHELL CARTER ROBERTS GOMEZ PHILLIPS EVANS TURNER DIAZ PARKER CRUZ EDWARDS COLLINS REYES STEWART
MORRIS MORALES MURPHY COOK ROGERS GUTIERREZ ORTIZ MORGAN COOPER PETERSON BAILEY REED KELLY HOWARD RAMOS KIM
COX WARD RICHARDSON WATSON BROOKS CHAVEZ WOOD JAMES BENNETT GRAY MENDOZA RUIZ HUGHES PRICE ALVAREZ CASTILLO
SANDERS PATEL MYERS LONG ROSS FOSTER JIMENEZ POWELL JENKINS PERRY RUSSELL SULLIVAN BELL COLEMAN BUTLER HENDERSON
BARNES GONZALES FISHER VASQUEZ SIMMONS ROMERO JORDAN PATTERSON ALEXANDER HAMILTON GRAHAM REYNOLDS GRIFFIN WALLACE
MORENO WEST COLE HAYES BRYANT HERRERA GIBSON ELLIS TRAN MEDINA AGUILAR STEVENS MURRAY FORD CASTRO MARSHALL OWENS
HARRISON FERNANDEZ MCDONALD WOODS WASHINGTON KENNEDY WELLS VARGAS HENRY CHEN FREEMAN WEBB TUCKER GUZMAN BURNS
CRAWFORD OLSON SIMPSON PORTER HUNTER GORDON MENDEZ SILVA SHAW SNYDER MASON DIXON MUNOZ HUNT HICKS HOLMES PALMER
WAGNER BLACK ROBERTSON BOYD ROSE STONE SALAZAR FOX WARREN MILLS MEYER RICE SCHMIDT GARZA DANIELS FERGUSON NICHOLS
STEPHENS SOTO WEAVER RYAN GARDNER PAYNE GRANT DUNN KELLEY SPENCER HAWKINS ARNOLD PIERCE HANSEN PETERS SANTOS
O'BRIEN O'CONNOR D'ANGELO MCCARTHY VAN DYKE DE LA CRUZ LEMUNYON GITENSTEIN OKAFOR DUBOIS SCHWARTZ KOWALSKI
""".split()
# Compound surnames read better with the two parts kept together.
LAST = [name.replace("_", " ") for name in LAST] + ["VAN DER BERG", "DE LA ROSA", "ST. JOHN", "SMITH-JONES"]
NON_ASCII_LAST = ["MUÑOZ", "PEÑA", "GARCÍA", "NÚÑEZ", "SCHRÖDER", "MÜLLER", "BJÖRK", "NGUYỄN", "FRANÇOIS",
                  "LÓPEZ", "CÔTÉ", "ŁUKASZEWSKI", "DVOŘÁK", "IBÁÑEZ", "ÖZTÜRK"]
FIRST = """JAMES MARY ROBERT PATRICIA JOHN JENNIFER MICHAEL LINDA DAVID ELIZABETH WILLIAM BARBARA RICHARD SUSAN
JOSEPH JESSICA THOMAS SARAH CHARLES KAREN CHRISTOPHER LISA DANIEL NANCY MATTHEW BETTY ANTHONY MARGARET MARK SANDRA
DONALD ASHLEY STEVEN KIMBERLY PAUL EMILY ANDREW DONNA JOSHUA MICHELLE KENNETH CAROL KEVIN AMANDA BRIAN DOROTHY
GEORGE MELISSA TIMOTHY DEBORAH RONALD STEPHANIE EDWARD REBECCA JASON SHARON JEFFREY LAURA RYAN CYNTHIA JACOB
KATHLEEN GARY AMY NICHOLAS ANGELA ERIC SHIRLEY JONATHAN ANNA STEPHEN BRENDA LARRY PAMELA JUSTIN EMMA SCOTT NICOLE
BRANDON HELEN BENJAMIN SAMANTHA SAMUEL KATHERINE GREGORY CHRISTINE ALEXANDER DEBRA FRANK RACHEL PATRICK CAROLYN
RAYMOND JANET JACK CATHERINE DENNIS MARIA JERRY HEATHER TYLER DIANE AARON RUTH JOSE JULIE ADAM OLIVIA NATHAN
JOYCE HENRY VIRGINIA DOUGLAS VICTORIA ZACHARY KELLY PETER LAUREN KYLE CHRISTINA WEI LINH ANIL NNAMDI GRETCHEN
""".split()
NON_ASCII_FIRST = ["JOSÉ", "RENÉE", "ZOË", "JÜRGEN", "FRANÇOISE", "SØREN", "MARÍA", "ANDRÉ"]
SUFFIX = ["", "", "", "", "", "", "", "", "", "", "", "", " JR.", " MR.", " MRS.", " DR.", " MS.", " III", " SR."]
ORGS = ["ACME HOLDINGS LLC", "RIVERSIDE PARTNERS LP", "SMITH & SONS INC", "BLUE RIDGE TRUST", "HARBOR GROUP LLC",
        "NORTHWIND TRADING CO", "CITIZENS FOR GOOD GOVERNMENT", "LOCAL 123 UNION", "OAK STREET ASSOCIATES",
        "WESTFIELD CAPITAL MANAGEMENT"]
# (city, state, first three digits of its ZIP codes)
PLACES = [
    ("NEW YORK", "NY", "100"), ("BROOKLYN", "NY", "112"), ("LOS ANGELES", "CA", "900"), ("SAN FRANCISCO", "CA", "941"),
    ("OAKLAND", "CA", "946"), ("SAN DIEGO", "CA", "921"), ("CHICAGO", "IL", "606"), ("HOUSTON", "TX", "770"),
    ("DALLAS", "TX", "752"), ("AUSTIN", "TX", "787"), ("PHOENIX", "AZ", "850"), ("PHILADELPHIA", "PA", "191"),
    ("PITTSBURGH", "PA", "152"), ("SEATTLE", "WA", "981"), ("PORTLAND", "OR", "972"), ("DENVER", "CO", "802"),
    ("BOSTON", "MA", "021"), ("CAMBRIDGE", "MA", "021"), ("WASHINGTON", "DC", "200"), ("ARLINGTON", "VA", "222"),
    ("ATLANTA", "GA", "303"), ("MIAMI", "FL", "331"), ("TAMPA", "FL", "336"), ("ORLANDO", "FL", "328"),
    ("NASHVILLE", "TN", "372"), ("CHARLOTTE", "NC", "282"), ("RALEIGH", "NC", "276"), ("DETROIT", "MI", "482"),
    ("ANN ARBOR", "MI", "481"), ("MINNEAPOLIS", "MN", "554"), ("SAINT PAUL", "MN", "551"), ("COLUMBUS", "OH", "432"),
    ("CLEVELAND", "OH", "441"), ("INDIANAPOLIS", "IN", "462"), ("MILWAUKEE", "WI", "532"), ("MADISON", "WI", "537"),
    ("KANSAS CITY", "MO", "641"), ("SAINT LOUIS", "MO", "631"), ("OMAHA", "NE", "681"), ("SALT LAKE CITY", "UT", "841"),
    ("LAS VEGAS", "NV", "891"), ("ALBUQUERQUE", "NM", "871"), ("BOISE", "ID", "837"), ("ANCHORAGE", "AK", "995"),
    ("HONOLULU", "HI", "968"), ("BURLINGTON", "VT", "054"), ("PORTLAND", "ME", "041"), ("PROVIDENCE", "RI", "029"),
    ("HARTFORD", "CT", "061"), ("NEWARK", "NJ", "071"), ("BALTIMORE", "MD", "212"), ("BETHESDA", "MD", "208"),
    ("RICHMOND", "VA", "232"), ("LOUISVILLE", "KY", "402"), ("NEW ORLEANS", "LA", "701"), ("BIRMINGHAM", "AL", "352"),
    ("JACKSON", "MS", "392"), ("LITTLE ROCK", "AR", "722"), ("OKLAHOMA CITY", "OK", "731"), ("WICHITA", "KS", "672"),
    ("DES MOINES", "IA", "503"), ("FARGO", "ND", "581"), ("SIOUX FALLS", "SD", "571"), ("BILLINGS", "MT", "591"),
    ("CHEYENNE", "WY", "820"), ("CHARLESTON", "WV", "253"), ("WILMINGTON", "DE", "198"), ("MANCHESTER", "NH", "031"),
    ("SAN JUAN", "PR", "009"), ("ST. PETERSBURG", "FL", "337"), ("WINSTON-SALEM", "NC", "271"),
    ("COEUR D'ALENE", "ID", "838"),
]
EMPLOYERS = ["RETIRED", "RETIRED", "RETIRED", "SELF-EMPLOYED", "SELF-EMPLOYED", "NOT EMPLOYED", "NOT EMPLOYED", "NONE",
             "N/A", "", "INFORMATION REQUESTED", "GOOGLE", "MICROSOFT", "AMAZON", "APPLE INC.", "KAISER PERMANENTE",
             "U.S. GOVERNMENT", "STATE OF CALIFORNIA", "UNIVERSITY OF MICHIGAN", "HARVARD UNIVERSITY", "WALMART",
             "GOLDMAN SACHS", "JPMORGAN CHASE & CO.", "DELOITTE", "MAYO CLINIC", "BOEING", "LOCKHEED MARTIN",
             "FAEGRE BAKER DANIELS", "MAYER BROWN LLP", "ECONOMIC POLICY INSTITUTE", "KIM WEST INSURANCE BENEFITS LTD",
             "LOANCORE CAPITAL", "BLACKSTONE", "EXXON MOBIL", "CHEVRON", "PUBLIC SCHOOLS", "CITY OF CHICAGO",
             "SUTTER HEALTH", "VANGUARD", "FIDELITY INVESTMENTS", "WELLS FARGO", "BANK OF AMERICA", "META PLATFORMS",
             "NETFLIX", "PFIZER", "JOHNSON & JOHNSON", "MERCK", "IBM", "INTEL", "ORACLE", "SALESFORCE", "UBER"]
OCCUPATIONS = ["ATTORNEY", "PHYSICIAN", "TEACHER", "ENGINEER", "SOFTWARE ENGINEER", "CONSULTANT", "PROFESSOR",
               "CEO", "PRESIDENT", "OWNER", "MANAGER", "SALES", "NURSE", "REAL ESTATE", "INVESTOR", "WRITER",
               "ACCOUNTANT", "FARMER", "HOMEMAKER", "STUDENT", "ARCHITECT", "ECONOMIST", "PRINCIPAL", "EXECUTIVE",
               "AGENT", "PHARMACIST", "DENTIST", "PSYCHOLOGIST", "SOCIAL WORKER", "ARTIST", "PASTOR", "ANALYST",
               "INFORMATION REQUESTED", "NOT EMPLOYED", ""]
NO_JOB = {"RETIRED": "RETIRED", "NOT EMPLOYED": "NOT EMPLOYED", "NONE": "NONE"}
# Weighted by repetition: most rows are plain contributions, many are earmarks.
TYPES = ["15"] * 56 + ["15E"] * 28 + ["24T"] * 6 + ["22Y"] * 3 + ["10"] * 2 + ["11", "15C", "24I", "31", "32"]
CONDUITS = ["C00401224", "C00694323", "C00633404"]
REPORTS = ["M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M10", "M11", "M12", "YE", "Q1", "Q2", "Q3", "12G",
           "30G", "12P", "12R", "TER", "M2", "M2", "Q1", "Q2"]
PGI = ["P"] * 16 + ["G"] * 6 + ["O", "R", "S", "C", "E"]
ROUND = ["5", "10", "10", "15", "20", "25", "25", "25", "27", "35", "38", "50", "50", "50", "75", "100", "100", "100",
         "150", "200", "250", "250", "300", "500", "500", "1000", "1000", "2000", "2500", "2900", "3300", "3300",
         "5000", "6600"]
MEMOS = ["EARMARKED THROUGH ACTBLUE", "EARMARKED THROUGH WINRED", "* EARMARKED CONTRIBUTION: SEE BELOW",
         "* IN-KIND: CATERING", "REFUND OF EXCESSIVE CONTRIBUTION", "ATTRIBUTION BELOW", "PARTNERSHIP ATTRIBUTION",
         "REATTRIBUTION FROM SPOUSE"]
TRAN_PREFIX = ["SA11AI.", "SA11AI_", "SA17.", "VTR", "C", "A", "PR"]

COLUMNS = ["CMTE_ID", "AMNDT_IND", "RPT_TP", "TRANSACTION_PGI", "IMAGE_NUM", "TRANSACTION_TP", "ENTITY_TP", "NAME",
           "CITY", "STATE", "ZIP_CODE", "EMPLOYER", "OCCUPATION", "TRANSACTION_DT", "TRANSACTION_AMT", "OTHER_ID",
           "TRAN_ID", "FILE_NUM", "MEMO_CD", "MEMO_TEXT", "SUB_ID"]
N_COMMITTEES = 20_000


def _uniform(rng: random.Random, n: int) -> pl.Series:
    """``n`` random UInt32 values, from ``rng`` alone (the same seed gives the same values)."""
    buffer = pa.py_buffer(rng.randbytes(4 * n))
    return pl.from_arrow(pa.Array.from_buffers(pa.uint32(), n, [None, buffer])).cast(pl.Int64)


def _pick(pool: list[str], index: pl.Expr) -> pl.Expr:
    return pl.lit(pl.Series(pool, dtype=pl.String)).gather(index % len(pool))


def _chunk(index: int, n: int, first_row: int, seed: int) -> pl.DataFrame:
    """Rows ``first_row`` to ``first_row + n`` of the file; each chunk has its own seeded generator."""
    rng = random.Random(seed * 1_000_003 + index)
    r = pl.DataFrame({f"u{k}": _uniform(rng, n) for k in range(16)}).with_row_index("i").with_columns(
        pl.col("i").cast(pl.Int64))
    # About one row in 50 is an amended report of a row a little earlier: same filer, TRAN_ID, report
    # type, donor and date, later FILE_NUM. Its key columns are drawn from that earlier row's numbers.
    amended = (pl.col("u15") % 50 == 0) & (pl.col("i") > 0)
    key = pl.when(amended).then((pl.col("i") - 1 - pl.col("u14") % 1000).clip(0)).otherwise(pl.col("i"))
    r = r.with_columns(amended.alias("amended"), key.alias("k"))
    keyed = {f"k{k}": pl.col(f"u{k}").gather(pl.col("k")) for k in range(10)}
    r = r.with_columns(**keyed)

    k0, k1, k2, k3, k4, k5, k6, k7, k8, k9 = (pl.col(f"k{k}") for k in range(10))
    u10, u11, u12, u13 = (pl.col(f"u{k}") for k in range(10, 14))
    # Committees: a few take most of the money (cube of a uniform skews towards 0).
    committee = ((k0.cast(pl.Float64) / 2**32) ** 3 * N_COMMITTEES).cast(pl.Int64)
    tx_type = _pick(TYPES, k1)
    is_org = (k2 % 40 == 0) | (tx_type == "11")
    non_ascii = k3 % 200 == 0
    last = pl.when(non_ascii).then(_pick(NON_ASCII_LAST, k3 // 200)).otherwise(_pick(LAST, k3))
    first = pl.when(k4 % 250 == 0).then(_pick(NON_ASCII_FIRST, k4 // 250)).otherwise(_pick(FIRST, k4 // 7))
    middle = pl.when(k4 % 10 < 3).then(pl.lit(" ") + _pick(list("ABCDEFGHIJKLMNOPRSTW"), k5) + ".").otherwise(
        pl.lit(""))
    name = pl.when(is_org).then(_pick(ORGS, k3)).otherwise(last + ", " + first + middle + _pick(SUFFIX, k5 // 20))
    place = k6 % len(PLACES)
    zip5 = _pick([p[2] for p in PLACES], place) + (k6 // 1000 % 100).cast(pl.String).str.zfill(2)
    zip_code = (pl.when(k7 % 100 < 73).then(zip5 + (k7 // 100 % 10000).cast(pl.String).str.zfill(4))
                .when(k7 % 100 < 99).then(zip5).otherwise(pl.lit("")))
    employer = pl.when(is_org).then(pl.lit("")).otherwise(_pick(EMPLOYERS, k8))
    occupation = (pl.when(is_org).then(pl.lit(""))
                  .otherwise(employer.replace_strict(NO_JOB, default=_pick(OCCUPATIONS, k8 // 64))))
    day = (pl.lit(CYCLE_START) + k9 % CYCLE_DAYS).cast(pl.Date)
    dollars = pl.when(u10 % 100 < 78).then(_pick(ROUND, u10 // 100)).otherwise((u10 // 100 % 1500 + 1).cast(pl.String))
    cents = (pl.when(u11 % 100 < 80).then(pl.lit(""))
             .when(u11 % 100 < 98).then(pl.lit(".") + (u11 // 100 % 100).cast(pl.String).str.zfill(2))
             .otherwise(pl.lit(".") + (u11 // 100 % 10).cast(pl.String)))
    amount = pl.when(tx_type == "22Y").then(pl.lit("-")).otherwise(pl.lit("")) + dollars + cents
    other_id = (pl.when(tx_type == "15E").then(_pick(CONDUITS, u12))
                .when(tx_type.is_in(["24T", "24I"])).then(pl.lit("C") + (u12 % 10**8).cast(pl.String).str.zfill(8))
                .when(tx_type == "15C").then(pl.lit("H4CA") + (u12 % 100000).cast(pl.String).str.zfill(5))
                .otherwise(pl.lit("")))
    memo = (pl.when(tx_type == "24T").then(u13 % 2 == 0).when(tx_type == "15E").then(u13 % 10 == 0)
            .otherwise(u13 % 40 == 0))
    memo_text = (pl.when(tx_type == "15E").then(_pick(MEMOS[:2], u12))
                 .when(memo).then(_pick(MEMOS, u13 // 40)).otherwise(pl.lit("")))
    row = pl.lit(first_row) + pl.col("i")
    key_row = pl.lit(first_row) + pl.col("k")
    base_file = 1_700_000 + k0 % 300_000
    file_num = pl.when(pl.col("amended")).then(base_file + 1 + u13 % 50_000).otherwise(base_file)
    image = (pl.lit("2024") + (u12 % 10**9).cast(pl.String).str.zfill(9) + (u10 % 10**5).cast(pl.String).str.zfill(5))
    return r.select(
        CMTE_ID=pl.lit("C") + committee.cast(pl.String).str.zfill(8),
        AMNDT_IND=pl.when(pl.col("amended")).then(pl.lit("A")).when(u13 % 500 == 1).then(pl.lit("T"))
        .otherwise(pl.lit("N")),
        RPT_TP=_pick(REPORTS, k2 // 40),
        TRANSACTION_PGI=_pick(PGI, k5 // 400) + (pl.lit("2024")),
        IMAGE_NUM=image,
        TRANSACTION_TP=tx_type,
        ENTITY_TP=pl.when(tx_type == "11").then(pl.lit("PAC")).when(is_org).then(pl.lit("ORG"))
        .when(tx_type == "15C").then(pl.lit("CAN")).otherwise(pl.lit("IND")),
        NAME=name,
        CITY=_pick([p[0] for p in PLACES], place),
        STATE=_pick([p[1] for p in PLACES], place),
        ZIP_CODE=zip_code,
        EMPLOYER=employer,
        OCCUPATION=occupation,
        TRANSACTION_DT=day.dt.strftime("%m%d%Y"),
        TRANSACTION_AMT=amount,
        OTHER_ID=other_id,
        TRAN_ID=_pick(TRAN_PREFIX, k1 // 100) + key_row.cast(pl.String),
        FILE_NUM=file_num.cast(pl.String),
        MEMO_CD=pl.when(memo).then(pl.lit("X")).otherwise(pl.lit("")),
        MEMO_TEXT=memo_text,
        # Unique but not in file order, as in the FEC's files: an odd multiplier permutes 0..10**15.
        SUB_ID=(pl.lit(4_020_000_000_000_000_000) + row * 982_451_653 % 10**15).cast(pl.String),
    )


def parse_amount(text: str) -> int:
    """``2GB``, ``200MB``, ``20M`` (rows), ``1500000`` -> an integer (sizes in bytes, powers of 1000)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*", text.upper())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (examples: 2GB, 200MB, 20M)")
    return int(float(match[1]) * {"": 1, "K": 10**3, "M": 10**6, "G": 10**9}[match[2]])


def default_path(label: str) -> Path:
    return OUT / f"synthetic-itcont-{label}.txt"


def generate(out: Path, size: int | None = None, rows: int | None = None, seed: int = SEED) -> tuple[int, int]:
    """Write lines to ``out`` until ``size`` bytes (not more) or ``rows`` lines; returns (bytes, lines)."""
    if (size is None) == (rows is None):
        raise ValueError("give exactly one of size and rows")
    out.parent.mkdir(parents=True, exist_ok=True)
    written = lines = index = 0
    tmp = out.with_suffix(".partial")
    with tmp.open("wb") as f:
        while True:
            frame = _chunk(index, CHUNK_ROWS, lines, seed)
            lengths = frame.select(pl.sum_horizontal(pl.all().str.len_bytes()) + len(COLUMNS)).to_series()
            ends = lengths.cast(pl.Int64).cum_sum()  # a chunk fits 32 bits; the room left may not
            if size is not None:
                keep = int((ends <= size - written).sum())
            else:
                keep = min(CHUNK_ROWS, rows - lines)  # type: ignore[operator]
            if keep:
                frame.head(keep).write_csv(f, separator="|", include_header=False, quote_style="never",
                                           null_value="", line_terminator="\n")
                written += int(ends[keep - 1])
                lines += keep
            index += 1
            if keep < CHUNK_ROWS:
                break
    tmp.replace(out)
    return written, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--size", help="bytes to write, e.g. 2GB, 200MB (default 2GB)")
    group.add_argument("--rows", help="lines to write instead, e.g. 20M")
    parser.add_argument("--out", type=Path, help="file to write (default bench/out/synthetic-itcont-<size>.txt)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.rows is None:
        label = (args.size or "2GB").upper()
        size, rows = parse_amount(label), None
    else:
        label = args.rows.upper() + "ROWS"
        size, rows = None, parse_amount(args.rows)
    out = args.out or default_path(label)
    start = time.perf_counter()
    written, lines = generate(out, size, rows, args.seed)
    seconds = time.perf_counter() - start
    print(f"{out}: {written:,} bytes, {lines:,} lines of SYNTHETIC itcont data in {seconds:.1f} s "
          f"({written / seconds / 1e6:.0f} MB/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
