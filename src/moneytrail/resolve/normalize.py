"""Normalized name parts and places of contributor records, in SQL so that millions of rows stay in DuckDB.

Which rows are contributor records (``CONTRIBUTOR_ROWS``): rows whose ``entity_type`` is IND, CAN or
ORG (or missing on a receipt without ``other_id``) that give money to the filer (``direction = 'receipt'``)
or get it back (``kind`` refund) or pass through a conduit (``kind`` conduit pass-through). Committees
(PAC, PTY, CCM, COM) are not donors here: they keep their FEC ids (see ``committees.py``).

Each record becomes: ``entity_class`` (IND for people and candidates, ORG), ``surname``, ``first_name``,
``middle_initial``, ``suffix`` (JR, SR, II, III, IV), ``zip5``, ``zip4``, ``city``, ``state``,
``employer``, ``occupation``, and ``unresolved_reason`` when the record must not be linked at all
(docs/resolution.md lists the rules). ``normalize_name`` runs the same SQL on one value, for tests
and for the command line.
"""

from __future__ import annotations

import duckdb

#: Titles dropped from names wherever they appear.
TITLES = ["MR", "MRS", "MS", "MISS", "DR", "REV", "HON", "PROF", "SIR", "MX", "FR", "SEN", "REP", "GEN", "COL",
          "CAPT", "MAJ", "LT", "SGT", "JUDGE", "AMB"]
#: Generational suffixes: dropped from the name, kept in ``suffix`` (a JR and a SR are different people).
GENERATIONS = ["JR", "SR", "II", "III", "IV"]
#: Degrees and post-nominals dropped from names.
DEGREES = ["MD", "PHD", "ESQ", "DDS", "DMD", "DO", "CPA", "RN", "DVM", "JD", "MBA", "CFP", "PE", "RET", "USN",
           "USA", "USMC", "USAF"]
#: Words dropped from organization names (legal form, articles).
ORG_WORDS = ["THE", "INC", "INCORPORATED", "LLC", "LLP", "LP", "LTD", "CORP", "CORPORATION", "CO", "COMPANY", "PC",
             "PLLC", "PA", "NA"]
#: Whole names that say nothing about who gave: such records are never linked.
PLACEHOLDER_PATTERN = (r"^(INFORMATION REQUESTED|INFO REQUESTED|REQUESTED|ANONYMOUS|ANON|UNKNOWN|UNK|NONE|NA|N A|"
                       r"NOT PROVIDED|REFUSED|VARIOUS|MISC|MISCELLANEOUS|CASH|TOTAL)$"
                       r"|UNITEMI[SZ]ED|AGGREGATED|NON ?ITEMI[SZ]ED|BEST EFFORTS|INFORMATION REQUESTED")
#: Employer and occupation values that carry no information (become NULL).
EMPTY_JOB_PATTERN = (r"^(|INFORMATION REQUESTED.*|INFO REQUESTED.*|REQUESTED|N A|NA|UNKNOWN|UNK|NOT PROVIDED|"
                     r"REFUSED|BEST EFFORTS.*|NONE PROVIDED|NOT GIVEN|X+|0+)$")
SELF_EMPLOYED_PATTERN = r"^(SELF|SELF EMPLOYED|SELFEMPLOYED|SELF EMPLOYED SELF|SELF EMPLOY|SELF EMPLOYMENT)$"
US_STATES = ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
             "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
             "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
             "PR", "VI", "GU", "AS", "MP", "AA", "AE", "AP"]

#: Which transaction rows name a contributor (see the module docstring).
CONTRIBUTOR_ROWS = """(
    (entity_type IN ('IND', 'CAN', 'ORG') AND (direction = 'receipt' OR kind IN ('refund', 'conduit pass-through')))
    OR (entity_type IS NULL AND direction = 'receipt' AND other_id IS NULL)
)"""


def _list(words: list[str]) -> str:
    return "[" + ", ".join(f"'{w}'" for w in words) + "]"


def _clean(expr: str) -> str:
    """Upper case, apostrophes dropped, every other run of non-alphanumerics (but commas) one space."""
    return (f"trim(regexp_replace(regexp_replace(upper(coalesce({expr}, '')), '[''`]', '', 'g'), "
            f"'[^A-Z0-9,]+', ' ', 'g'))")


def _job(expr: str) -> str:
    cleaned = f"trim(regexp_replace({_clean(expr)}, ',', ' ', 'g'))"
    return (f"CASE WHEN regexp_matches({cleaned}, '{EMPTY_JOB_PATTERN}') THEN NULL "
            f"WHEN regexp_matches({cleaned}, '{SELF_EMPLOYED_PATTERN}') THEN 'SELF EMPLOYED' ELSE {cleaned} END")


def normalized_sql(source: str) -> str:
    """SELECT of ``txn_id`` and the normalized fields of every contributor record in ``source``.

    ``source`` is a table or subquery with the ``transactions`` columns.
    """
    dropped = _list(TITLES + GENERATIONS + DEGREES)
    gens = _list(GENERATIONS)
    states = _list(US_STATES)
    return f"""
    WITH c AS (
        SELECT txn_id, name, entity_type, other_id,
               CASE WHEN entity_type IN ('IND', 'CAN') THEN 'IND' WHEN entity_type = 'ORG' THEN 'ORG'
                    WHEN strpos(coalesce(name, ''), ',') > 0 THEN 'IND' ELSE 'ORG' END AS entity_class,
               {_clean('name')} AS n,
               trim(regexp_replace(upper(coalesce(city, '')), '[^A-Z0-9]+', ' ', 'g')) AS city_n,
               upper(trim(coalesce(state, ''))) AS state_n,
               regexp_replace(coalesce(zip, ''), '[^0-9A-Za-z]', '', 'g') AS zip_n,
               {_job('employer')} AS employer,
               {_job('occupation')} AS occupation
        FROM {source}
        WHERE {CONTRIBUTOR_ROWS}
    ),
    t AS (
        SELECT *,
               strpos(n, ',') > 0 AS has_comma,
               string_split(trim(split_part(n, ',', 1)), ' ') AS head,
               string_split(trim(regexp_replace(substr(n, strpos(n, ',') + 1), ',', ' ', 'g')), ' ') AS tail,
               string_split(regexp_replace(n, ',', ' ', 'g'), ' ') AS words
        FROM c
    ),
    p AS (
        SELECT *,
               list_filter(CASE WHEN has_comma THEN head ELSE words END,
                           lambda x: x <> '' AND NOT list_contains({dropped}, x)) AS head_f,
               list_filter(tail, lambda x: x <> '' AND NOT list_contains({dropped}, x)) AS tail_f,
               list_filter(words, lambda x: list_contains({gens}, x))[1] AS gen
        FROM t
    ),
    parts AS (
        SELECT *,
               CASE WHEN entity_class = 'ORG' THEN NULL
                    WHEN has_comma THEN array_to_string(head_f, '')
                    ELSE head_f[-1] END AS surname_p,
               CASE WHEN entity_class = 'ORG' THEN NULL
                    WHEN has_comma THEN tail_f[1]
                    WHEN len(head_f) > 1 THEN head_f[1] END AS first_p,
               CASE WHEN entity_class = 'ORG' THEN NULL
                    WHEN has_comma THEN left(tail_f[2], 1)
                    WHEN len(head_f) > 2 THEN left(head_f[2], 1) END AS middle_p,
               array_to_string(list_filter(string_split(regexp_replace(n, ',', ' ', 'g'), ' '),
                                           lambda x: x <> '' AND NOT list_contains({_list(ORG_WORDS)}, x)),
                               ' ') AS org_p
        FROM p
    )
    SELECT txn_id,
           entity_class,
           CASE WHEN entity_class = 'ORG' THEN nullif(org_p, '') ELSE nullif(surname_p, '') END AS surname,
           nullif(first_p, '') AS first_name,
           nullif(middle_p, '') AS middle_initial,
           CASE WHEN entity_class = 'IND' THEN gen END AS suffix,
           CASE WHEN regexp_matches(zip_n, '^[0-9]{{5}}') THEN left(zip_n, 5) END AS zip5,
           CASE WHEN regexp_matches(zip_n, '^[0-9]{{9}}$') AND right(zip_n, 4) <> '0000' THEN right(zip_n, 4)
                END AS zip4,
           nullif(city_n, '') AS city,
           nullif(state_n, '') AS state,
           employer,
           occupation,
           CASE WHEN n = '' THEN 'empty name'
                WHEN regexp_matches(trim(regexp_replace(n, ',', ' ', 'g')), '{PLACEHOLDER_PATTERN}')
                     THEN 'placeholder name'
                WHEN entity_class = 'IND' AND (nullif(surname_p, '') IS NULL OR nullif(first_p, '') IS NULL)
                     THEN 'incomplete name (no first name or no surname)'
                WHEN entity_class = 'ORG' AND nullif(org_p, '') IS NULL THEN 'empty name'
                WHEN NOT list_contains({states}, state_n) AND NOT regexp_matches(zip_n, '^[0-9]{{5}}')
                     AND city_n = '' THEN 'no place (no US state, ZIP or city)'
           END AS unresolved_reason,
           state_n <> '' AND NOT list_contains({states}, state_n) AS foreign_address
    FROM parts"""


def normalize_name(name: str, entity_type: str = "IND") -> dict[str, object]:
    """The normalized parts of one contributor name, computed by the same SQL as ``resolve``."""
    con = duckdb.connect()
    con.execute("""CREATE TABLE one AS SELECT 'x' AS txn_id, ?::VARCHAR AS name, ?::VARCHAR AS entity_type,
                   NULL::VARCHAR AS other_id, 'receipt' AS direction, 'contribution' AS kind,
                   'CITY' AS city, 'DC' AS state, '20001' AS zip, NULL::VARCHAR AS employer,
                   NULL::VARCHAR AS occupation""", [name, entity_type])
    cur = con.execute(normalized_sql("one"))
    columns = [d[0] for d in cur.description]
    row = cur.fetchall()[0]
    con.close()
    keys = ["surname", "first_name", "middle_initial", "suffix", "unresolved_reason"]
    return {k: row[columns.index(k)] for k in keys}
