"""The graph on a SYNTHETIC store (tests/graph/conftest.py): one side per payment, earmarks, profiles, traces."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from moneytrail import NotFoundError, Store, load
from moneytrail.cli import app
from moneytrail.graph import build, committee_profile, donor_profile, ensure, resolve, trace
from moneytrail.graph.build import keys_unique
from moneytrail.graph.queries import AmbiguousNameError

from .conftest import A, B, C, K, line, write_bulk

D = Decimal


def _edges(store: Store) -> dict[tuple[str, str, str], tuple[Decimal, int, bool]]:
    return {(s, d, k): (t, n, c) for s, d, k, t, n, c in
            store.rows("SELECT src, dst, kind, total, transactions, counts FROM graph_edges")}


def test_one_side_per_committee_payment(synthetic: Store) -> None:
    build(synthetic)
    edges = _edges(synthetic)
    # A's three 24K rows (80 + 70 + 60); B's 18K for the 70 (two days later) is the same payment.
    assert edges[(A, B, "contribution")] == (D("210.00"), 3, True)
    # Only B reports C's 25: the recipient's side stands for it.
    assert edges[(C, B, "contribution")] == (D("25.00"), 1, True)
    paired = synthetic.rows("SELECT t.amount, c.fec_transaction_type FROM graph_edge_transactions t "
                            "JOIN transactions c ON c.txn_id = t.paired_txn_id")
    # The dropped sides, each named on the row kept for it: B's 18K and K's 24T (the 15E is kept).
    assert sorted(paired) == [(D("40.00"), "24T"), (D("70.00"), "18K")]


def test_earmarks_count_once_and_the_conduit_leg_is_kept(synthetic: Store) -> None:
    build(synthetic)
    edges = _edges(synthetic)
    # B's 15E and K's 24T report one 40-dollar gift: one earmarked edge, via K.
    assert edges[("D:EVANS ED|97001", B, "earmarked contribution")] == (D("40.00"), 1, True)
    # A's 15E is absent: K's 24T stands for FINN's 15.
    assert edges[("D:FINN FAY|97001", A, "earmarked contribution")] == (D("15.00"), 1, True)
    # K's pass-through legs are edges too, but never summed.
    assert edges[(K, B, "conduit pass-through")] == (D("40.00"), 1, False)
    via = synthetic.scalar("SELECT via FROM graph_edges WHERE src = 'D:EVANS ED|97001'")
    assert via == K
    # The memo row (999) is not in the graph.
    assert edges[("D:DOE JANE|97001", A, "contribution")] == (D("150.00"), 2, True)


def test_profiles(synthetic: Store) -> None:
    donor = donor_profile(synthetic, "Doe, Jane")
    assert donor["total"] == D("150.00") and [g["recipient"] for g in donor["gifts"]] == [A]
    evans = donor_profile(synthetic, "EVANS ED")
    assert evans["gifts"][0]["via"] == K and evans["gifts"][0]["total"] == D("40.00")
    b = committee_profile(synthetic, B)
    # 210 from A + 25 from C + 40 earmarked by EVANS = 275; B paid A 5.
    assert b["received"] == D("275.00") and b["paid"] == D("5.00")
    assert [(r["counterparty"], r["total"]) for r in b["top_committees"]] == [(A, D("210.00")), (C, D("25.00"))]
    conduit = committee_profile(synthetic, "CONDUIT K")
    assert conduit["paid"] == D("0.00") and len(conduit["passed_through"]) == 2


def test_trace_hops_attribution_and_citations(synthetic: Store) -> None:
    result = trace(synthetic, "DOE, JANE", to=B)
    assert [[n["id"] for n in p["nodes"]] for p in result["paths"]] == [["D:DOE JANE|97001", A, B]]
    path = result["paths"][0]
    assert [h["amount"] for h in path["hops"]] == [D("150.00"), D("210.00")]
    # Same figures as the hand-built case of test_attribution: A's receipts on or before Mar 1 are
    # ROE 300 (Jan 1) and DOE 100 + 50; B's 5 back to A (Apr 1) and FINN's 15 (May 2) come later.
    # Bound: 70 (Feb 1) + 60 (Mar 1) = 130; share: 70/4 + 60/3 = 37.50.
    att = path["attribution"]
    assert att["upper_bound"] == D("130.00") and att["proportional"] == D("37.50")
    assert att["min_along_path"] == D("150.00")
    from moneytrail.graph.cite import citations
    cites = citations(synthetic, path["hops"][1]["txn_ids"])
    assert len(cites) == 3 and {c["fec_transaction_type"] for c in cites.values()} == {"24K"}
    one = next(iter(cites.values()))
    assert one["source_file"] == "itoth.txt" and one["source_line"] in (1, 2, 3)
    assert one["image_url"] == "https://docquery.fec.gov/cgi-bin/fecimg/?202401019000000001"
    assert one["filing_url"] == f"https://docquery.fec.gov/cgi-bin/forms/{A}/1400001/"
    assert sum(c["net_amount"] for c in cites.values()) == path["hops"][1]["amount"]


def test_cycles_never_loop_and_limits_say_truncated(synthetic: Store) -> None:
    # A -> B -> A is a cycle; with many hops every path still visits each node once.
    result = trace(synthetic, A, hops=10)
    for p in result["paths"]:
        ids = [n["id"] for n in p["nodes"]]
        assert len(ids) == len(set(ids))
    assert not result["truncated"]
    assert trace(synthetic, "DOE, JANE", hops=3, max_paths=1)["truncated"] is False
    wide = trace(synthetic, B, hops=1, max_paths=1)
    assert len(wide["paths"]) == 1
    # B pays only A (5): one path, nothing cut; from the conduit two pass-throughs, so a limit of 1 cuts.
    assert trace(synthetic, K, hops=1, max_paths=1)["truncated"] is True


def test_time_window_and_minimum(synthetic: Store) -> None:
    from datetime import date
    result = trace(synthetic, A, to=B, since=date(2024, 2, 1), until=date(2024, 2, 28))
    assert [h["amount"] for h in result["paths"][0]["hops"]] == [D("70.00")]
    assert trace(synthetic, A, to=B, min_amount=D("1000"))["paths"] == []


def test_bad_names(synthetic: Store) -> None:
    with pytest.raises(NotFoundError, match="closest: DOE, JANE"):
        resolve(synthetic, "DOE, JANET", ("donor",))
    with pytest.raises(AmbiguousNameError) as info:
        resolve(synthetic, "COMMITTEE", ("committee",))
    assert {c.node_id for c in info.value.choices} == {A, B, C}


def test_rebuilt_when_data_is_added(synthetic: Store, tmp_path: Path) -> None:
    assert ensure(synthetic) is not None
    assert ensure(synthetic) is None  # current: nothing to do
    more = write_bulk(tmp_path / "more-2024", {"itoth.txt": [line(C, "24K", "COMMITTEE A (SYNTHETIC)", "06012024",
                                                                    "12.34", A, entity="PAC")]})
    load(synthetic, [more], cycle=2024)
    assert ensure(synthetic) is not None
    assert _edges(synthetic)[(C, A, "contribution")] == (D("12.34"), 1, True)


def test_cli_formats_errors_and_picture(synthetic: Store, tmp_path: Path) -> None:
    db = str(synthetic.root)
    synthetic.close()
    runner = CliRunner()
    out = runner.invoke(app, ["trace", "--from", "DOE, JANE", "--to", B, "--db", db, "--format", "csv",
                              "--output", str(tmp_path / "flows.html")])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[0].startswith("path,hop,from,to,kind")
    page = (tmp_path / "flows.html").read_text()
    assert "<svg" in page and "COMMITTEE B (SYNTHETIC)" in page
    # Self-contained: no URL, no script, nothing to fetch.
    for banned in ("http:", "https:", "//", "<script", "src=", "href=", "@import", "url("):
        assert banned not in page, banned
    js = runner.invoke(app, ["donor", "show", "DOE, JANE", "--db", db, "--format", "json", "--cite"])
    assert js.exit_code == 0 and '"citations"' in js.stdout and "fecimg" in js.stdout
    table = runner.invoke(app, ["committee", B, "--db", db])
    assert table.exit_code == 0 and "275.00" in table.stdout


def test_edge_transactions_carry_their_edge(synthetic: Store) -> None:
    # A trace hop and a profile's money out read graph_edge_transactions alone: each row names its
    # edge's payer, beneficiary, kind, conduit and whether it counts, as graph_edges does.
    build(synthetic)
    differ = synthetic.rows("""
        SELECT t.txn_id FROM graph_edge_transactions t JOIN graph_edges e USING (edge_id)
        WHERE (t.src, t.dst, t.kind, t.counts) IS DISTINCT FROM (e.src, e.dst, e.kind, e.counts)
           OR t.via IS DISTINCT FROM e.via OR t.src_key <> e.src_key""")
    assert differ == []
    kinds = dict(synthetic.rows("SELECT kind, count(*) FROM graph_edge_transactions GROUP BY 1"))
    assert kinds["conduit pass-through"] == 2 and kinds["earmarked contribution"] == 2
    assert synthetic.scalar("SELECT via FROM graph_edge_transactions WHERE src = 'D:EVANS ED|97001'") == K
    assert synthetic.scalar("SELECT count(*) FROM graph_edge_transactions WHERE dst_key IS NULL") == 0


def test_trace_tells_nodes_apart_by_id_when_two_share_a_key(synthetic: Store,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # Two ids may share a node key (a hash). Give C the key of A in the tables and in the walk's key
    # lookup, as such a clash would: the build's check finds it, and the walk compares ids. Comparing
    # keys would take A for a node already on the path C -> B and drop its last hop B -> A (B paid A 5
    # on Apr 1, after C's 25 of Feb 10).
    walk = importlib.import_module("moneytrail.graph.trace")  # the module: the package exports its function
    build(synthetic)
    key_a = synthetic.scalar("SELECT node_key FROM graph_nodes WHERE node_id = ?", [A])
    for table, key, col in [("graph_nodes", "node_key", "node_id"), ("graph_edges", "src_key", "src"),
                            ("graph_edge_transactions", "src_key", "src"),
                            ("graph_edge_transactions", "dst_key", "dst"), ("graph_in_transactions", "dst_key", "dst")]:
        synthetic.con.execute(f"UPDATE {table} SET {key} = ? WHERE {col} = ?", [key_a, C])
    assert keys_unique(synthetic) is False
    synthetic.con.execute("UPDATE graph_meta SET value = 'False' WHERE key = 'keys_unique'")
    key_map = walk._key_map
    monkeypatch.setattr(walk, "_key_map", lambda store, ids: {n: key_a if n == C else k
                                                              for n, k in key_map(store, ids).items()})
    result = trace(synthetic, C, hops=3)
    assert [[n["id"] for n in p["nodes"]] for p in result["paths"]] == [[C, B, A]]
    assert [h["amount"] for h in result["paths"][0]["hops"]] == [D("25.00"), D("5.00")]


def test_walk_by_key_and_by_id_agree(synthetic: Store) -> None:
    # Where every key is unique the walk compares keys (numbers); it must give what comparing ids gives.
    assert build(synthetic).keys_unique is True
    cases = [dict(origin=A, hops=10), dict(origin="DOE, JANE", to=B), dict(origin=K, hops=2),
             dict(origin=A, to=B, since=date(2024, 2, 1)), dict(origin="DOE, JANE", hops=3, min_amount=D("60"))]
    by_key = [trace(synthetic, **c) for c in cases]  # type: ignore[arg-type]
    synthetic.con.execute("UPDATE graph_meta SET value = 'False' WHERE key = 'keys_unique'")
    assert [trace(synthetic, **c) for c in cases] == by_key  # type: ignore[arg-type]
    assert any(len(p["hops"]) == 2 for r in by_key for p in r["paths"])

