"""Judgements: a person's decision that two records are (positive) or are not (negative) the same contributor.

Judgements are data in the ``judgements`` table, between two record keys (``txn_id``); they are never
rebuilt, never rewrite a source row, and every later ``resolve`` respects them (``cluster.py``). They
take effect on the next ``moneytrail resolve``.

- ``merge(A, B)``: one positive judgement between the smallest record of A and the smallest record of B
  (A and B are donor ids or record keys).
- ``split(DONOR, RECORDS)``: the listed records leave the donor together: positive judgements chain
  them to the first listed record, and a negative judgement ties each of them to one record of every
  other profile of the donor (profiles: ``linkage.py``), so no chain of links can bring them back.
"""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass
from datetime import datetime

from ..errors import InputError, NotFoundError
from ..store import Store

DONOR_ID = re.compile(r"^D[0-9A-F]{12}$")


@dataclass
class Recorded:
    judgement: str
    pairs: list[tuple[str, str]]
    note: str


def current_donor_id(store: Store, donor_id: str) -> str | None:
    """The donor id as it is now: itself if assigned, else where a redirect sends it, else None."""
    if store.scalar("SELECT 1 FROM donor_records WHERE donor_id = ? LIMIT 1", [donor_id]):
        return donor_id
    target = store.scalar("SELECT donor_id FROM donor_id_redirects WHERE old_donor_id = ? "
                          "ORDER BY run_id DESC LIMIT 1", [donor_id])
    return str(target) if target else None


def donor_records(store: Store, ident: str) -> tuple[str | None, list[str]]:
    """(donor id, its record keys) for a donor id or a record key; raises NotFoundError."""
    ident = ident.strip()
    if DONOR_ID.match(ident.upper()):
        donor = current_donor_id(store, ident.upper())
        if donor is None:
            raise NotFoundError(f"no donor {ident}: run `moneytrail resolve` first, or check the id "
                                "(`moneytrail sql \"SELECT * FROM donors\"`)")
    else:
        row = store.rows("SELECT donor_id, unresolved_reason FROM donor_records WHERE txn_id = ?", [ident])
        if not row:
            if store.scalar("SELECT 1 FROM transactions WHERE txn_id = ?", [ident]):
                raise NotFoundError(f"record {ident} is not a resolved contributor record: run `moneytrail resolve`, "
                                    "or check that the row names a contributor (docs/resolution.md)")
            raise NotFoundError(f"no donor or record {ident}: give a donor id (D + 12 hex digits) or a txn_id")
        if row[0][0] is None:
            raise InputError(f"record {ident} is not linked to any donor ({row[0][1]}); such records stay unresolved")
        donor = str(row[0][0])
    keys = [str(k) for (k,) in store.rows("SELECT txn_id FROM donor_records WHERE donor_id = ? ORDER BY txn_id",
                                          [donor])]
    return donor, keys


def _insert(store: Store, judgement: str, pairs: list[tuple[str, str]], user: str | None, reason: str) -> None:
    user = user or getpass.getuser()
    now = datetime.now().replace(microsecond=0)
    with store.transaction() as con:
        start = con.execute("SELECT coalesce(max(judgement_id), 0) FROM judgements").fetchall()[0][0]
        con.executemany("INSERT INTO judgements VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [[start + i + 1, min(a, b), max(a, b), judgement, user, now, reason]
                         for i, (a, b) in enumerate(pairs)])


def merge(store: Store, a: str, b: str, *, user: str | None = None, reason: str = "") -> Recorded:
    """Record that donors (or records) a and b are the same contributor."""
    donor_a, keys_a = donor_records(store, a)
    donor_b, keys_b = donor_records(store, b)
    if donor_a == donor_b:
        raise InputError(f"{a} and {b} are already one donor ({donor_a}): nothing to merge")
    pair = (keys_a[0], keys_b[0])
    _insert(store, "positive", [pair], user, reason)
    return Recorded("positive", [pair], f"{donor_a} and {donor_b} will be one donor after `moneytrail resolve`")


def split(store: Store, donor: str, records: list[str], *, user: str | None = None, reason: str = "") -> Recorded:
    """Record that ``records`` (txn_ids of donor ``donor``) are a different contributor from the rest of it."""
    donor_id, keys = donor_records(store, donor)
    if not records:
        raise InputError("name the records to split off: moneytrail donor split DONOR_ID TXN_ID [TXN_ID ...]")
    missing = [r for r in records if r not in set(keys)]
    if missing:
        raise InputError(f"record {missing[0]} is not in donor {donor_id}: "
                         f"list its records with `moneytrail donor explain {donor_id}`")
    rest = sorted(set(keys) - set(records))
    if not rest:
        raise InputError(f"those are all the records of {donor_id}: leave at least one behind")
    # One record of every profile that stays behind.
    placeholders = ", ".join("?" for _ in rest)
    anchors = [str(k) for (k,) in store.rows(
        f"SELECT min(txn_id) FROM donor_records WHERE txn_id IN ({placeholders}) GROUP BY node_id ORDER BY 1", rest)]
    listed = sorted(records)
    negative = [(r, a) for r in listed for a in anchors]
    positive = [(listed[0], r) for r in listed[1:]]
    _insert(store, "negative", negative, user, reason)
    if positive:
        _insert(store, "positive", positive, user, reason)
    return Recorded("negative", negative + positive,
                    f"{len(listed)} record(s) will leave {donor_id} after `moneytrail resolve`")


def judged_records(store: Store) -> list[str]:
    """Every record key named in a judgement."""
    return [str(k) for (k,) in store.rows(
        "SELECT left_id FROM judgements UNION SELECT right_id FROM judgements ORDER BY 1")]
