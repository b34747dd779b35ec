"""The record-linkage model: which pairs of contributor profiles are compared, and how they are scored.

A *profile* is a distinct combination of normalized fields (``normalize.py``); records identical in
every compared field share one profile, so a donor who gave 90 times under one spelling is compared
once. Records named in a judgement are profiles of their own, so that a judgement can separate them.

Profiles are scored with splink (Fellegi-Sunter, DuckDB backend) under a fixed model: every m and u
probability below is set in this module, nothing is trained at run time, so the same records always
give the same scores (no random sampling, no seed to keep). The values were set from the structure of
FEC records and checked against the labelled sets in ``bench/resolve`` (docs/resolution.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import duckdb

#: Version of the model below; stored with each run so that a changed model is visible in the data.
MODEL_VERSION = "4"
#: Prior probability that two random profiles are the same contributor.
PRIOR = 1e-5
#: Floor of the term-frequency u of an exact name match (caps its weight near 12 bits).
TF_MIN_U = 0.0002
#: Pairs at or above this probability are stored as evidence (``donor_links``); the clustering threshold is higher.
KEEP_EDGES_FROM = 0.5

#: Common given-name pairs (nickname, name): scored as a near match of first names.
NICKNAMES = [
    ("BOB", "ROBERT"), ("ROB", "ROBERT"), ("BOBBY", "ROBERT"), ("BILL", "WILLIAM"), ("WILL", "WILLIAM"),
    ("BILLY", "WILLIAM"), ("JIM", "JAMES"), ("JIMMY", "JAMES"), ("JAMIE", "JAMES"), ("DICK", "RICHARD"),
    ("RICK", "RICHARD"), ("RICH", "RICHARD"), ("TED", "EDWARD"), ("ED", "EDWARD"), ("EDDIE", "EDWARD"),
    ("TOM", "THOMAS"), ("TOMMY", "THOMAS"), ("MIKE", "MICHAEL"), ("JOE", "JOSEPH"), ("JOEY", "JOSEPH"),
    ("CHUCK", "CHARLES"), ("CHARLIE", "CHARLES"), ("HANK", "HENRY"), ("JACK", "JOHN"), ("JOHNNY", "JOHN"),
    ("PEGGY", "MARGARET"), ("MAGGIE", "MARGARET"), ("MEG", "MARGARET"), ("BETH", "ELIZABETH"),
    ("LIZ", "ELIZABETH"), ("BETSY", "ELIZABETH"), ("BETTY", "ELIZABETH"), ("KATE", "KATHERINE"),
    ("KATHY", "KATHERINE"), ("KATIE", "KATHERINE"), ("SUE", "SUSAN"), ("SUSIE", "SUSAN"), ("PATTY", "PATRICIA"),
    ("PAT", "PATRICIA"), ("TRISH", "PATRICIA"), ("JENNY", "JENNIFER"), ("JEN", "JENNIFER"), ("DAVE", "DAVID"),
    ("STEVE", "STEVEN"), ("STEVE", "STEPHEN"), ("TONY", "ANTHONY"), ("LARRY", "LAWRENCE"), ("JERRY", "GERALD"),
    ("GERRY", "GERALD"), ("NANCY", "ANN"), ("SANDY", "SANDRA"), ("CINDY", "CYNTHIA"), ("DEBBIE", "DEBORAH"),
    ("DEB", "DEBORAH"), ("BARB", "BARBARA"), ("VICKI", "VICTORIA"), ("ALEX", "ALEXANDER"), ("ANDY", "ANDREW"),
    ("DREW", "ANDREW"), ("BEN", "BENJAMIN"), ("SAM", "SAMUEL"), ("NICK", "NICHOLAS"), ("FRED", "FREDERICK"),
    ("GREG", "GREGORY"), ("RON", "RONALD"), ("DON", "DONALD"), ("DOUG", "DOUGLAS"), ("KEN", "KENNETH"),
    ("TIM", "TIMOTHY"), ("PETE", "PETER"), ("MATT", "MATTHEW"), ("PHIL", "PHILIP"), ("JEFF", "JEFFREY"),
]


@dataclass(frozen=True)
class Level:
    """One level of a comparison: a SQL condition over ``<col>_l``/``<col>_r`` and its m and u probabilities."""

    label: str
    sql: str
    m: float | None = None  # None: the null level (no evidence either way)
    u: float | None = None
    tf: str | None = None  # column for a term-frequency adjustment of an exact match


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[Level, ...]  # most specific first; the last is ELSE


def _nulls(*cols: str) -> str:
    return " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in cols)


def _nick_sql() -> str:
    pairs = ", ".join(f"'{a}|{b}', '{b}|{a}'" for a, b in NICKNAMES)
    return f"list_contains([{pairs}], first_name_l || '|' || first_name_r)"


COMPARISONS: tuple[Comparison, ...] = (
    Comparison("surname", (
        Level("missing", _nulls("surname")),
        Level("exact", "surname_l = surname_r", 0.92, 0.0005, tf="surname"),
        Level("Jaro-Winkler >= 0.92", "jaro_winkler_similarity(surname_l, surname_r) >= 0.92", 0.06, 0.002),
        Level("different", "ELSE", 0.02, 0.9975),
    )),
    Comparison("first_name", (
        Level("missing", _nulls("first_name")),
        Level("exact", "first_name_l = first_name_r", 0.88, 0.01, tf="first_name"),
        Level("nickname or initial", f"{_nick_sql()} OR ((length(first_name_l) = 1 OR length(first_name_r) = 1) "
              "AND left(first_name_l, 1) = left(first_name_r, 1))", 0.05, 0.004),
        Level("Jaro-Winkler >= 0.9 or prefix", "jaro_winkler_similarity(first_name_l, first_name_r) >= 0.9 OR "
              "starts_with(first_name_l, first_name_r) OR starts_with(first_name_r, first_name_l)", 0.065, 0.01),
        Level("different", "ELSE", 1e-9, 0.98),
    )),
    Comparison("middle_initial", (
        Level("missing", _nulls("middle_initial")),
        Level("same", "middle_initial_l = middle_initial_r", 0.95, 0.08),
        Level("different", "ELSE", 0.02, 0.92),
    )),
    Comparison("suffix", (
        Level("different (JR/SR/II/III/IV)", "suffix_l <> suffix_r", 0.0005, 0.01),
        Level("same or not given", "ELSE", 0.9995, 0.99),
    )),
    Comparison("place", (
        Level("missing", "(zip5_l IS NULL OR zip5_r IS NULL) AND (city_l IS NULL OR city_r IS NULL)"),
        Level("same ZIP5", "zip5_l = zip5_r", 0.8, 0.0004),
        Level("same city and state", "city_l = city_r AND state_l = state_r", 0.08, 0.002),
        Level("same state, ZIP3 or similar city", "state_l = state_r AND (left(zip5_l, 3) = left(zip5_r, 3) OR "
              "jaro_winkler_similarity(city_l, city_r) >= 0.9)", 0.05, 0.01),
        Level("same state", "state_l = state_r", 0.03, 0.06),
        Level("different", "ELSE", 0.04, 0.9276),
    )),
    Comparison("employer", (
        Level("missing", _nulls("employer")),
        Level("exact", "employer_l = employer_r", 0.55, 0.01),
        Level("similar", "jaro_winkler_similarity(employer_l, employer_r) >= 0.9 OR "
              "(length(employer_l) >= 4 AND length(employer_r) >= 4 AND "
              "(contains(employer_l, employer_r) OR contains(employer_r, employer_l)))", 0.1, 0.01),
        Level("different", "ELSE", 0.35, 0.98),
    )),
    Comparison("occupation", (
        Level("missing", _nulls("occupation")),
        Level("exact", "occupation_l = occupation_r", 0.6, 0.02),
        Level("similar", "jaro_winkler_similarity(occupation_l, occupation_r) >= 0.9 OR "
              "(length(occupation_l) >= 4 AND length(occupation_r) >= 4 AND "
              "(contains(occupation_l, occupation_r) OR contains(occupation_r, occupation_l)))", 0.1, 0.01),
        Level("different", "ELSE", 0.3, 0.97),
    )),
)

#: Columns each comparison reads (``<col>_l``, ``<col>_r``).
COMPARED_COLUMNS = ["surname", "first_name", "middle_initial", "suffix", "zip5", "city", "state", "employer",
                    "occupation"]

#: Which pairs are compared at all. Each rule is a conjunction of equal columns; a pair is scored once.
BLOCKING_RULES = [
    ("entity_class", "surname", "zip5"),
    ("entity_class", "surname", "first_name", "state"),
    ("entity_class", "surname", "first_name", "city"),
    ("entity_class", "first_name", "zip5", "middle_initial"),
]


def level_labels() -> dict[str, dict[int, str]]:
    """gamma value -> level label, per comparison (splink numbers levels from ELSE = 0 up, null = -1)."""
    out: dict[str, dict[int, str]] = {}
    for comp in COMPARISONS:
        scored = [lv for lv in comp.levels if lv.m is not None]
        labels = {len(scored) - 1 - i: lv.label for i, lv in enumerate(scored)}
        if len(scored) < len(comp.levels):
            labels[-1] = next(lv.label for lv in comp.levels if lv.m is None)
        out[comp.name] = labels
    return out


def settings() -> dict[str, Any]:
    """The splink settings of the fixed model."""
    comparisons = []
    for comp in COMPARISONS:
        levels = []
        for lv in comp.levels:
            level: dict[str, Any] = {"sql_condition": lv.sql, "label_for_charts": lv.label}
            if lv.m is None:
                level["is_null_level"] = True
            else:
                level["m_probability"] = lv.m
                level["u_probability"] = lv.u
            if lv.tf:
                level["tf_adjustment_column"] = lv.tf
                level["tf_adjustment_weight"] = 1.0
                # A very rare name is strong evidence, but not unbounded: families share rare names.
                level["tf_minimum_u_value"] = TF_MIN_U
            levels.append(level)
        comparisons.append({"output_column_name": comp.name, "comparison_levels": levels,
                            "comparison_description": comp.name})
    rules = [{"blocking_rule": " AND ".join(f"l.{c} = r.{c}" for c in rule), "sql_dialect": "duckdb"}
             for rule in BLOCKING_RULES]
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "node_id",
        "probability_two_random_records_match": PRIOR,
        "blocking_rules_to_generate_predictions": rules,
        "comparisons": comparisons,
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
    }


def score(con: duckdb.DuckDBPyConnection, nodes_table: str, edges_table: str) -> int:
    """Score the blocked pairs of ``nodes_table`` on ``con`` into ``edges_table``; returns its row count.

    ``edges_table`` gets ``node_l``, ``node_r`` (node_l < node_r), ``match_probability``, ``match_weight`` and
    per comparison its level (``gamma_<comparison>``) and match weight in bits (``mw_<comparison>``, with the
    term-frequency adjustment), for pairs at or above ``KEEP_EDGES_FROM``.
    """
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.ERROR)
    db_api = DuckDBAPI(con)
    sdf = db_api.register(nodes_table, table_name="mt_nodes_in")
    linker = Linker(sdf, settings(), log_level=logging.ERROR)
    predictions = linker.inference.predict(threshold_match_probability=KEEP_EDGES_FROM, warning_mode="never")
    gammas = ", ".join(f"gamma_{c.name}" for c in COMPARISONS)
    weights = ", ".join(f"mw_{c.name}" + (f" + mw_tf_adj_{c.name}" if any(lv.tf for lv in c.levels) else "")
                        + f" AS mw_{c.name}" for c in COMPARISONS)
    con.execute(f"""
        CREATE OR REPLACE TABLE {edges_table} AS
        SELECT least(node_id_l, node_id_r) AS node_l, greatest(node_id_l, node_id_r) AS node_r,
               match_probability, match_weight, {gammas}, {weights}
        FROM {predictions.physical_name}""")
    predictions.drop_table_from_database_and_remove_from_cache()
    db_api.delete_tables_created_by_splink_from_db()
    return int(con.execute(f"SELECT count(*) FROM {edges_table}").fetchall()[0][0])

