"""Resolution and committee identity on the real FEC bulk files (../shared/data/fec-bulk, three cycles)."""

from __future__ import annotations

import pytest

from moneytrail import Store
from moneytrail.resolve import explain, resolve


@pytest.fixture(scope="module")
def resolved(bulk_store: Store) -> Store:
    resolve(bulk_store)
    return bulk_store


def _donors_of(store: Store, name_like: str, zip5: str) -> list[tuple[str, str]]:
    return [(str(n), str(d)) for n, d in store.rows(
        "SELECT name, donor_id FROM transactions WHERE name LIKE ? AND left(zip, 5) = ? AND donor_id IS NOT NULL "
        "ORDER BY name", [name_like, zip5])]


def test_spelling_variants_of_one_real_donor_are_one_donor(resolved: Store) -> None:
    # 2019-20 itcont: "ROBERT D." and "BOB D." THOMAS of Tulsa 74119, same employer (SENIOR STAR).
    rows = _donors_of(resolved, "THOMAS, %ROB%", "74119") + _donors_of(resolved, "THOMAS, BOB%", "74119")
    assert {n for n, _ in rows} >= {"THOMAS, ROBERT D.", "THOMAS, BOB D."}
    assert len({d for _, d in rows}) == 1


def test_family_members_sharing_a_farm_are_separate_donors(resolved: Store) -> None:
    # 2019-20 itcont: MELBERG family of Hector MN 55342, all SELF EMPLOYED / FARMING, different first names.
    rows = _donors_of(resolved, "MELBERG, %", "55342")
    firsts = {n.split(", ")[1].split()[0]: d for n, d in rows}
    assert len(firsts) >= 5
    assert len(set(firsts.values())) == len(firsts)


def test_bad_names_are_not_one_giant_donor(resolved: Store) -> None:
    biggest = resolved.scalar("SELECT max(records) FROM donors")
    assert biggest < 200
    unresolved = resolved.rows("""SELECT t.name, d.donor_id FROM donor_records d JOIN transactions t USING (txn_id)
                                  WHERE d.unresolved_reason IS NOT NULL""")
    assert unresolved and all(donor is None for _, donor in unresolved)


def test_explain_a_real_donor(resolved: Store) -> None:
    txn = resolved.scalar("SELECT txn_id FROM transactions WHERE name = 'THOMAS, BOB D.' AND left(zip, 5) = '74119'")
    data = explain(resolved, str(txn))
    assert data["records_total"] >= 3
    assert any(link["used"] and link["evidence"]["first_name"]["level"] == "nickname or initial"
               for link in data["links"])
    assert all(r["source_file"] and r["source_line"] for r in data["records"])


def test_committee_keeps_its_id_across_a_rename(bulk_store: Store) -> None:
    names = bulk_store.rows("SELECT name, first_cycle, last_cycle FROM committee_names "
                            "WHERE committee_id = 'C00428557' ORDER BY first_cycle")
    assert names[0] == ("COLOROFCHANGE.ORG PAC", 2016, 2016)
    assert names[-1][0] == "COLOROFCHANGE PAC" and names[-1][2] == 2024


def test_committees_at_one_address_are_related_not_merged(bulk_store: Store) -> None:
    rel = {(a, b, e) for a, b, e in bulk_store.rows(
        "SELECT committee_id, related_id, evidence FROM related_committees WHERE committee_id IN "
        "('C00651505', 'C00693382', 'C00786624', 'C30002984')")}
    assert ("C00651505", "C30002984", "same street and ZIP") in rel
    assert ("C00693382", "C00786624", "same street and ZIP") in rel
    assert ("C00693382", "C00786624", "same treasurer") in rel
    ids = {i for (i,) in bulk_store.rows("SELECT DISTINCT committee_id FROM committee_names WHERE committee_id IN "
                                         "('C00651505', 'C00693382', 'C00786624', 'C30002984')")}
    assert len(ids) == 4


def test_committee_mentions_by_id_and_by_name(resolved: Store) -> None:
    methods = dict(resolved.rows("SELECT method, count(*) FROM committee_mentions GROUP BY 1"))
    assert methods.get("other_id", 0) > 0 and methods.get("name", 0) > 0
    bad = resolved.scalar("""SELECT count(*) FROM committee_mentions m JOIN transactions t USING (txn_id)
                             WHERE m.method = 'name' AND t.other_id IS NOT NULL
                               AND t.other_id IN (SELECT committee_id FROM committees)""")
    assert bad == 0


def test_aggregate_check_on_a_real_filing(store: Store) -> None:
    from moneytrail import load
    from moneytrail.resolve import evaluate

    from ..conftest import shared

    load(store, [shared("fec-efile", "748730.fec")])
    resolve(store)
    check = evaluate.aggregate_check(store)
    with_aggregate = store.scalar("SELECT count(*) FROM transactions WHERE aggregate_ytd IS NOT NULL "
                                  "AND donor_id IS NOT NULL AND superseded_by IS NULL")
    assert check["rows_with_aggregate"] == with_aggregate > 0
    # 748730.fec holds a whole period of one committee: most aggregates are reproducible from it alone.
    assert check["reproduced_by_donor"] > with_aggregate / 2
    assert check["above_aggregate_by_donor"] < with_aggregate / 100  # sums above the filed aggregate: rare


def test_a_donor_is_found_under_every_name_it_gave_under(resolved: Store) -> None:
    # The donor's node shows one spelling; the profile commands find it under the others too.
    from moneytrail.graph import resolve as find_node

    (donor_id,) = {d for _, d in _donors_of(resolved, "THOMAS, %ROB%", "74119")}
    for spelling in ("THOMAS, ROBERT D.", "THOMAS, BOB D.", "thomas, bob"):
        assert find_node(resolved, spelling, ("donor",)).node_id == "D:" + donor_id
