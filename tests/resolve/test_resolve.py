"""Resolution end to end on SYNTHETIC rows with known truth (moneytrail.resolve.synthetic)."""

from __future__ import annotations

from pathlib import Path

from moneytrail import Store, load
from moneytrail.resolve import evaluate, explain, merge, resolve, split, synthetic

from .conftest import write_truth


def test_transactions_have_donor_id_before_any_run(synthetic_store: Store) -> None:
    assert synthetic_store.scalar("SELECT count(*) FROM transactions WHERE donor_id IS NOT NULL") == 0
    assert synthetic_store.scalar("SELECT count(*) FROM donors") == 0


def test_synthetic_precision_and_recall(synthetic_store: Store) -> None:
    report = resolve(synthetic_store)
    scores = evaluate.pairwise(synthetic_store, "truth")
    assert scores.records == 3000 == report.records
    assert scores.precision >= 0.99, scores.as_dict()
    assert scores.recall >= 0.95, scores.as_dict()


def test_placeholder_rows_stay_unresolved(synthetic_store: Store) -> None:
    resolve(synthetic_store)
    rows = synthetic_store.rows("""SELECT d.donor_id, d.unresolved_reason FROM truth t
                                   JOIN donor_records d USING (txn_id) WHERE t.truth = '-'""")
    assert rows and all(donor is None and reason == "placeholder name" for donor, reason in rows)


def test_donor_totals_are_exact_sums_of_counting_rows(synthetic_store: Store) -> None:
    resolve(synthetic_store)
    donor, total, records = synthetic_store.rows(
        "SELECT donor_id, total, records FROM donors ORDER BY records DESC, donor_id LIMIT 1")[0]
    amounts = synthetic_store.rows("SELECT amount FROM transactions WHERE donor_id = ?", [donor])
    assert len(amounts) == records and total == sum(a for (a,) in amounts)  # every synthetic row is a counted 15


def test_donor_ids_survive_appended_data(tmp_path: Path) -> None:
    folder = tmp_path / "all"
    synthetic.write(folder, 3000, seed=5)
    lines = (folder / "itcont.txt").read_text(encoding="latin-1").splitlines(keepends=True)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "itcont.txt").write_text("".join(lines[:2000]), encoding="latin-1")
    (tmp_path / "b" / "itcont.txt").write_text("".join(lines[2000:]), encoding="latin-1")
    with Store(tmp_path / "store") as store:
        load(store, [tmp_path / "a" / "itcont.txt"], cycle=2024)
        resolve(store)
        before = dict(store.rows("SELECT txn_id, donor_id FROM donor_records WHERE donor_id IS NOT NULL"))
        load(store, [tmp_path / "b" / "itcont.txt"], cycle=2024)
        second = resolve(store)
        after = dict(store.rows("SELECT txn_id, donor_id FROM donor_records"))
        redirects = dict(store.rows("SELECT old_donor_id, donor_id FROM donor_id_redirects"))
    assert second.ids_kept > 0
    moved = [k for k, v in before.items() if after[k] != v and redirects.get(v) != after[k]]
    assert moved == []


def test_judgements_are_respected_by_every_later_run(synthetic_store: Store) -> None:
    resolve(synthetic_store)
    donor, keys = synthetic_store.rows("""
        SELECT donor_id, list(txn_id ORDER BY txn_id) FROM donor_records WHERE donor_id IS NOT NULL
        GROUP BY donor_id HAVING count(DISTINCT node_id) >= 2 ORDER BY donor_id LIMIT 1""")[0]
    leaving = keys[-1]
    split(synthetic_store, donor, [leaving], user="test", reason="different person")
    other_a, other_b = [d for (d,) in synthetic_store.rows(
        "SELECT donor_id FROM donors WHERE donor_id <> ? ORDER BY donor_id LIMIT 2", [donor])]
    merge(synthetic_store, other_a, other_b, user="test", reason="same person")
    for _ in range(2):  # the first run applies the judgements, the second must keep them
        resolve(synthetic_store)
        assign = dict(synthetic_store.rows("SELECT txn_id, donor_id FROM donor_records"))
        assert assign[leaving] != assign[keys[0]]
        assert len({assign[k] for k in keys if k != leaving}) == 1
        merged = synthetic_store.rows("SELECT DISTINCT d.donor_id FROM donor_records d WHERE d.txn_id IN "
                                      "(SELECT min(txn_id) FROM donor_records WHERE donor_id IN (?, ?) "
                                      "GROUP BY donor_id)", [other_a, other_b])
        assert len(merged) == 1
    judged = synthetic_store.rows("SELECT judgement, user_name, reason FROM judgements ORDER BY judgement_id")
    assert ("negative", "test", "different person") in judged and ("positive", "test", "same person") in judged
    evidence = explain(synthetic_store, leaving)
    assert any(j["judgement"] == "negative" for j in evidence["judgements"])


def test_explain_shows_the_links_that_joined_a_donor(synthetic_store: Store) -> None:
    resolve(synthetic_store)
    donor = synthetic_store.scalar("""SELECT donor_id FROM donor_records WHERE donor_id IS NOT NULL GROUP BY 1
                                      HAVING count(DISTINCT node_id) >= 2 ORDER BY 1 LIMIT 1""")
    data = explain(synthetic_store, str(donor))
    used = [link for link in data["links"] if link["used"]]
    assert len(data["profiles"]) >= 2 and len(used) >= len(data["profiles"]) - 1
    assert all(link["match_probability"] >= 0.99 for link in used)
    assert set(used[0]["evidence"]) >= {"surname", "first_name", "place"}


def test_truth_helper_reads_every_row(tmp_path: Path, store: Store) -> None:
    synthetic.write(tmp_path / "s", 100, seed=3)
    write_truth(store, tmp_path / "s" / "truth.csv")
    assert store.scalar("SELECT count(*) FROM truth") == 100
