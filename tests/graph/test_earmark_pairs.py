"""Earmarked gifts count once whatever donor resolution makes of their two reports.

SYNTHETIC rows (tests/graph/conftest.py): invented donors give through the conduit K to the committees A
and B. Most gifts are reported twice, by the conduit (24T) and by the recipient (15E), from addresses
that differ as they do on real filings (a ZIP+4 on one report, another ZIP on the other); some only by
one side. The expected totals are the gifts drawn, summed here.
"""

from __future__ import annotations

import importlib
import tempfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moneytrail import Store, load
from moneytrail.graph import build

from .conftest import CM, A, B, K, line, write_bulk

#: the module moneytrail.graph.build (the package exports its function as ``build``)
build_module = importlib.import_module("moneytrail.graph.build")

NAMES = ["ABLE, ANN", "BAKER, BO", "CRUZ, CY", "DIAZ, DEE"]

# One gift: (donor, recipient, amount, day of January, who reported it). Each donor gives each recipient
# one amount, so that no two gifts could be told apart only by a resolution of their donors.
gifts = st.lists(
    st.tuples(st.sampled_from(NAMES), st.sampled_from([A, B]), st.sampled_from([25, 40, 250, 1000]),
              st.integers(1, 28), st.sampled_from(["both", "both", "conduit", "recipient"])),
    min_size=1, max_size=8, unique_by=lambda g: (g[0], g[1]))


def _rows(drawn: list[tuple[str, str, int, int, str]]) -> tuple[list[str], list[str]]:
    recipient_rows, conduit_rows = [], []
    for name, to, amount, day, side in drawn:
        when = f"01{day:02d}2024"
        if side in ("both", "recipient"):
            recipient_rows.append(line(to, "15E", name, when, str(amount), K, zip_code="970011234"))
        if side in ("both", "conduit"):
            # the conduit files the gift a few days later, from another ZIP
            conduit_rows.append(line(K, "24T", name, f"01{min(day + 3, 31):02d}2024", str(amount), to,
                                     zip_code="97205"))
    return recipient_rows, conduit_rows


def _earmarked_into(store: Store) -> dict[str, Decimal]:
    return {dst: total for dst, total in store.rows(
        """SELECT dst, sum(total) FROM graph_edges WHERE counts AND kind = 'earmarked contribution'
           GROUP BY dst""")}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=gifts, donors=st.lists(st.integers(0, 3), min_size=24, max_size=24))
def test_no_resolution_counts_an_earmarked_gift_twice(drawn: list[tuple[str, str, int, int, str]],
                                                       donors: list[int]) -> None:
    recipient_rows, conduit_rows = _rows(drawn)
    expected: dict[str, Decimal] = {}
    for _name, to, amount, _day, _side in drawn:
        expected[to] = expected.get(to, Decimal("0.00")) + Decimal(amount)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_bulk(Path(tmp) / "synthetic-2024",
                            {"itcont.txt": recipient_rows + conduit_rows, "cm.txt": CM})
        with Store(Path(tmp) / "store") as store:
            load(store, [folder], cycle=2024)
            txn_ids = [t for (t,) in store.rows("SELECT txn_id FROM transactions ORDER BY txn_id")]
            # A resolution outcome drawn at random: every row's donor is one of four, whatever its name
            # (splitting one person's two reports, or merging two people).
            outcome = "CASE txn_id " + " ".join(
                f"WHEN '{t}' THEN 'P{donors[i % len(donors)]}'" for i, t in enumerate(txn_ids)) + " END"
            with mock.patch.object(build_module, "donor_key_sql", lambda _store: outcome):
                build(store)
                assert _earmarked_into(store) == expected
                sources = store.rows("SELECT DISTINCT src FROM graph_edges WHERE kind = 'earmarked contribution'")
                assert {s for (s,) in sources} <= {f"D:P{i}" for i in range(4)}
