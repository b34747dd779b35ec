from __future__ import annotations

from moneytrail.resolve.cluster import Clusters, fresh_id


def test_links_join_and_negative_judgements_hold_across_chains() -> None:
    c = Clusters(5, cannot=[(0, 3)])
    assert c.union(0, 1)
    assert c.union(2, 3)
    assert not c.union(1, 2)  # would put 0 and 3 together
    assert c.union(4, 2)
    roots = c.roots()
    assert roots[0] == roots[1] and roots[2] == roots[3] == roots[4] and roots[0] != roots[2]
    assert c.skipped == 1


def test_fresh_ids_avoid_every_id_ever_used() -> None:
    first = fresh_id("fec-bulk:1", set())
    assert first.startswith("D") and len(first) == 13
    assert fresh_id("fec-bulk:1", set()) == first
    second = fresh_id("fec-bulk:1", {first})
    assert second != first and second.startswith("D")
