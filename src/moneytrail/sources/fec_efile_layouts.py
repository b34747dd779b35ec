"""Layouts of FEC electronic filings: field positions per record type and format version, as data.

The positions are the FEC's published layouts for every format version, as bundled in hardmoney
(``hardmoney.layout(table, version)``), under hardmoney's canonical field names (``contribution_amount``,
``contributor_last_name``, ...). moneytrail's own choices (which tables are transactions, what each
schedule line means) are in ``layouts/fec_efile.toml``.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

import hardmoney

#: Record types that open a filing (its cover page), without the N/A/T suffix.
COVER_TABLES = frozenset({"F1", "F1M", "F2", "F3", "F3L", "F3P", "F3X", "F4", "F5", "F6", "F7", "F8", "F9",
                          "F10", "F13", "F24", "F99"})


#: The layouts format 2.x lines are read with where the FEC layouts list none for 2.x.
LEGACY_FALLBACK = "3.00"


@cache
def config() -> dict[str, Any]:
    text = resources.files("moneytrail.sources.layouts").joinpath("fec_efile.toml").read_text()
    return tomllib.loads(text)


@cache
def tables() -> frozenset[str]:
    return frozenset(hardmoney.tables())


def transaction_tables() -> list[str]:
    return list(config()["transactions"]["tables"])


def normalize_version(version: str) -> str:
    """``"8.3"``, ``"3.00"``, ``" 5.00 "`` as the layouts name them."""
    return version.strip().strip('"')


@cache
def known_version(version: str) -> bool:
    """True when the FEC layouts cover this format version."""
    version = normalize_version(version)
    if not re.fullmatch(r"\d{1,2}\.\d{1,3}", version):
        return False
    try:
        hardmoney.layout("SchA", version)
    except (hardmoney.FecError, ValueError):
        return False
    return True


@cache
def positions(table: str, version: str) -> dict[str, int]:
    """Field name -> 0-based column of ``table`` at ``version``; empty when the version has no such table."""
    version = normalize_version(version)
    try:
        return {name: column for name, column in hardmoney.layout(table, version)}
    except (hardmoney.FecError, ValueError):
        if version.startswith("2."):
            # Format 2.x lines have the 3.00 layouts (the schedules are published identical; the 2.02
            # cover pages in the real sample reconcile with their schedules read this way).
            return positions(table, LEGACY_FALLBACK)
        return {}


def field_names(table: str, version: str) -> list[str]:
    """Field names of ``table`` at ``version`` in column order (gaps named ``field_<n>``)."""
    pos = positions(table, version)
    width = max(pos.values(), default=-1) + 1
    by_column = {column: name for name, column in pos.items()}
    return [by_column.get(i, f"field_{i}") for i in range(width)]


def prefixes() -> list[tuple[str, str]]:
    """(record-type prefix, table) of schedule lines, longest prefix first."""
    return sorted(config()["prefixes"].items(), key=lambda item: -len(item[0]))


@cache
def form_tokens() -> dict[str, str]:
    """Record types of forms, with and without their N/A/T suffix -> table (``F3XA`` -> ``F3X``)."""
    out: dict[str, str] = {}
    for table in tables():
        if table.startswith("F") or table == "HDR":
            out[table] = table
            if table.startswith("F"):
                for suffix in "NAT":
                    out.setdefault(table + suffix, table)
    return out


def form_table(token: str) -> str | None:
    """The table a record type is read with (``SA11AI`` -> ``SchA``, ``F3XN`` -> ``F3X``), or None."""
    token = token.strip().upper()
    if token in form_tokens():
        return form_tokens()[token]
    for prefix, table in prefixes():
        if token.startswith(prefix):
            return table
    return None


@cache
def transaction_starts() -> tuple[str, ...]:
    """Line starts that only itemizations have: every record type beginning so is read with a transactions
    table (``SB`` yes; ``SA`` no, for ``SA3L``, but ``SA1`` yes). Lets a reader pass over those lines
    without classifying them; a line starting otherwise is classified as usual."""
    txn = set(transaction_tables())
    others = [p for p, table in prefixes() if table not in txn] + [t for t in form_tokens()]

    def safe(start: str) -> bool:
        return not any(o.startswith(start) or start.startswith(o) for o in others)

    starts: list[str] = []
    for prefix, table in prefixes():
        if table in txn:
            starts += [prefix] if safe(prefix) else [prefix + c for c in "0123456789/" if safe(prefix + c)]
    return tuple(starts)


def kinds(cover_table: str) -> list[tuple[str, str, str]]:
    """(record-type prefix, direction, kind) for lines of a filing with this cover, longest prefix first."""
    rules = dict(config()["kinds"]["any"])
    rules.update(config()["kinds"].get(cover_table, {}))
    return sorted(((p, d, k) for p, (d, k) in rules.items()), key=lambda rule: -len(rule[0]))


def column_fields(column: str) -> list[str]:
    """Candidate field names for one transactions column, in order of preference."""
    return list(config()["columns"][column])


def party(table: str, version: str) -> str | None:
    """The prefix naming the other party of a transaction table's lines (contributor, payee, ...)."""
    pos = positions(table, version)
    for name in config()["columns"]["parties"]:
        if any(f.startswith(name + "_") for f in pos):
            return name
    return None
