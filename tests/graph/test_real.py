"""The graph on the real FEC bulk records (../shared/data/fec-bulk), checked against SQL of its own."""

from __future__ import annotations

from decimal import Decimal

import pytest

from moneytrail import Store
from moneytrail.graph import build, ensure, trace

COMMITTEE = "regexp_full_match({}, 'C[0-9]{{8}}')"

# The rule restated: a counted row between two committees is a payment from the payer to the payee.
# Reported by the payer: its disbursements (not refunds) and the refunds it received; reported by the
# payee: its receipts (not refunds) and the refunds it paid. Refunds carry a negative net_amount.
ROWS_SQL = f"""
    SELECT txn_id, net_amount, amount, date,
           CASE WHEN (direction = 'disbursement') <> (kind = 'refund') THEN filer_id ELSE other_id END AS payer,
           CASE WHEN (direction = 'disbursement') <> (kind = 'refund') THEN other_id ELSE filer_id END AS payee,
           filer_id
    FROM transactions
    WHERE counts_in_flows AND {COMMITTEE.format('other_id')} AND {COMMITTEE.format('filer_id')}
      AND kind <> 'earmarked contribution'"""


@pytest.fixture(scope="module")
def graph(bulk_store: Store) -> Store:
    ensure(bulk_store)
    return bulk_store


def test_a_rebuild_names_every_node_alike(graph: Store) -> None:
    # Spellings of a name that tie in count, and places filed on the same day, are settled by a rule:
    # before it, two builds of the same records named about one node in 7,000 differently.
    first = graph.rows("SELECT * FROM graph_nodes ORDER BY node_id")
    build(graph)
    assert graph.rows("SELECT * FROM graph_nodes ORDER BY node_id") == first


def test_every_committee_pair_sums_one_side_per_payment(graph: Store) -> None:
    # Expected per (payer, payee): every counted row either side reported, minus the rows the graph
    # names as the second report of a payment it already holds (checked for validity just below).
    expected = dict(((p, q), t) for p, q, t in graph.rows(f"""
        WITH r AS ({ROWS_SQL}),
        dropped AS (SELECT paired_txn_id AS txn_id FROM graph_edge_transactions WHERE paired_txn_id IS NOT NULL)
        SELECT payer, payee, sum(net_amount) FROM r WHERE txn_id NOT IN (SELECT txn_id FROM dropped)
        GROUP BY ALL"""))
    got = dict(((p, q), t) for p, q, t in graph.rows(f"""
        SELECT src, dst, sum(total) FROM graph_edges
        WHERE counts AND {COMMITTEE.format('src')} AND {COMMITTEE.format('dst')} GROUP BY ALL"""))
    assert len(expected) > 5000
    assert got == expected
    # The second reports the graph left out: each is the payee's own row, paired one to one with a
    # row of the payer for the same amount within 31 days.
    bad = graph.rows(f"""
        WITH r AS ({ROWS_SQL})
        SELECT t.paired_txn_id FROM graph_edge_transactions t
        JOIN graph_edges e USING (edge_id)
        JOIN r kept ON kept.txn_id = t.txn_id JOIN r gone ON gone.txn_id = t.paired_txn_id
        WHERE e.kind <> 'earmarked contribution' AND NOT (
              kept.filer_id = kept.payer AND gone.filer_id = gone.payee AND kept.payer = gone.payer
              AND kept.payee = gone.payee AND kept.amount = gone.amount
              AND abs(datediff('day', kept.date, gone.date)) <= 31)""")
    assert bad == []
    assert graph.scalar("""SELECT count(*) - count(DISTINCT paired_txn_id) FROM graph_edge_transactions
                           WHERE paired_txn_id IS NOT NULL""") == 0
    # Both sides really do appear in itoth: the rule drops hundreds of double reports.
    assert graph.scalar("SELECT count(paired_txn_id) FROM graph_edge_transactions t JOIN graph_edges e "
                        "USING (edge_id) WHERE e.kind <> 'earmarked contribution'") > 500


def test_trace_through_itoth_matches_the_records(graph: Store) -> None:
    # AFLAC's PAC gives to hundreds of committees (itoth and itpas2 rows); follow two hops.
    result = trace(graph, "C00034157", hops=2, max_paths=50)
    assert result["from"]["name"].startswith("AFLAC")
    assert result["truncated"] is True  # it pays far more than 50 committees: the cut is reported
    two = [p for p in result["paths"] if len(p["hops"]) == 2]
    assert two
    for path in result["paths"]:
        for hop in path["hops"]:
            # The hop's amount is the sum of the rows it cites, read straight from transactions ...
            cited = graph.scalar("SELECT sum(net_amount) FROM transactions WHERE txn_id IN "
                                 "(SELECT unnest(?::VARCHAR[]))", [hop["txn_ids"]])
            assert cited == hop["amount"]
            # ... and, between two committees, the pair's one-side-per-payment sum of the test above.
            if hop["to"].startswith("C") and hop["kind"] == "contribution":
                pair = graph.scalar(f"""
                    WITH r AS ({ROWS_SQL}) SELECT sum(net_amount) FROM r
                    WHERE payer = ? AND payee = ? AND txn_id NOT IN
                          (SELECT paired_txn_id FROM graph_edge_transactions WHERE paired_txn_id IS NOT NULL)
                      AND txn_id IN (SELECT txn_id FROM transactions WHERE kind IN ('contribution', 'refund'))""",
                                    [hop["from"], hop["to"]])
                assert pair == hop["amount"], hop
        figures = path["attribution"]
        assert figures["upper_bound"] <= figures["min_along_path"]
        assert figures["proportional"] >= Decimal("0")


def test_an_earmark_reported_from_two_zips_counts_once(graph: Store) -> None:
    # CARRINGTON, PAUL gave $250 to the DCCC through ActBlue on 2015-01-15: the DCCC's 15E (ZIP 20721)
    # and ActBlue's 24T (ZIP 27705) report the one gift, under two provisional donors.
    recipient, conduit = "fec-bulk:4022420151239118072", "fec-bulk:4022620151239449240"
    rows = graph.rows("SELECT txn_id, fec_transaction_type, zip, amount FROM transactions "
                      "WHERE txn_id IN (?, ?) ORDER BY txn_id", [recipient, conduit])
    assert [(r[1], r[3]) for r in rows] == [("15E", Decimal("250.00")), ("24T", Decimal("250.00"))]
    assert rows[0][2][:5] != rows[1][2][:5]
    kept = graph.rows("""SELECT txn_id, paired_txn_id, kind, via FROM graph_edge_transactions
                         WHERE kind = 'earmarked contribution'
                           AND (? IN (txn_id, paired_txn_id) OR ? IN (txn_id, paired_txn_id))""", [recipient, conduit])
    assert kept == [(recipient, conduit, "earmarked contribution", "C00401224")]
    # Every conduit row the graph keeps as a gift has no recipient row of the same name, amount and
    # conduit within 31 days that the graph left unpaired.
    loose = graph.scalar("""
        WITH e AS (SELECT t.txn_id, t.side, t.paired_txn_id, t.dst, t.via, t.amount, t.date, x.name
                   FROM graph_edge_transactions t JOIN transactions x USING (txn_id)
                   WHERE t.kind = 'earmarked contribution')
        SELECT count(*) FROM e c JOIN e r
          ON c.side = 'conduit' AND r.side = 'beneficiary' AND r.paired_txn_id IS NULL AND c.dst = r.dst
             AND c.via = r.via AND c.amount = r.amount AND abs(datediff('day', c.date, r.date)) <= 31
             AND regexp_replace(upper(c.name), '[^A-Z0-9]+', '', 'g')
                 = regexp_replace(upper(r.name), '[^A-Z0-9]+', '', 'g')""")
    assert loose == 0


def test_a_profile_of_one_cycle_holds_that_cycles_gifts_and_no_other(graph: Store) -> None:
    from moneytrail.graph import committee_profile, donor_profile

    donor = graph.scalar("""SELECT src FROM graph_edge_transactions WHERE src LIKE 'D:%' AND counts
                            GROUP BY src HAVING count(DISTINCT cycle) > 1 ORDER BY count(*) DESC, src LIMIT 1""")
    whole = donor_profile(graph, donor)
    cycles = sorted({g["cycle"] for g in whole["gifts"]})
    assert len(cycles) > 1
    for cycle in cycles:
        one = donor_profile(graph, donor, cycles=[cycle])
        assert {g["cycle"] for g in one["gifts"]} == {cycle}
        assert [(g["recipient"], g["total"]) for g in one["gifts"]] == \
            [(g["recipient"], g["total"]) for g in whole["gifts"] if g["cycle"] == cycle]
    # a committee's flows of one cycle are the sum of the counted rows of that cycle, read from transactions
    profile = committee_profile(graph, "C00003418", cycles=[2020])
    assert profile["cycles"] == [2020]
    rows = graph.scalar("""SELECT count(*) FROM graph_edge_transactions WHERE dst = 'C00003418' AND counts
                           AND cycle <> 2020""")
    assert rows > 0 and profile["received"] == graph.scalar(
        "SELECT sum(amount) FROM graph_in_transactions WHERE dst = 'C00003418' AND counts AND cycle = 2020")
