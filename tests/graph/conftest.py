"""A SYNTHETIC store for the graph tests: invented committees and donors in the FEC bulk layouts.

Every id is in the C9000000x range and every name is invented; the expected figures of the tests are
worked out by hand from the rows below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from moneytrail import Store, load

A, B, C, K = "C90000001", "C90000002", "C90000003", "C90000009"
_sub = [7_000_000_000_000_000_000]


def line(cmte: str, tp: str, name: str, day: str, amount: str, other: str = "", *, entity: str = "IND",
         zip_code: str = "97001", memo: str = "", image: str = "202401019000000001", file_num: str = "1400001") -> str:
    """One row in the FEC itcont/itoth layout (21 fields); ``day`` is MMDDYYYY."""
    _sub[0] += 1
    return "|".join([cmte, "N", "Q1", "P2024", image, tp, entity, name, "RIVERTON", "OR", zip_code, "", "",
                     day, amount, other, f"T{_sub[0]}", file_num, memo, "", str(_sub[0])])


# Individuals (itcont): D gives A 100 + 50, Y gives A 300, a memo row that must not count.
ITCONT = [
    line(A, "15", "DOE, JANE", "01102024", "100"),
    line(A, "15", "DOE, JANE", "03012024", "50"),
    line(A, "15", "ROE, YVES", "01012024", "300"),
    line(A, "15", "DOE, JANE", "01102024", "999", memo="X"),
    # Earmarked through the conduit K: B's 15E and K's 24T report one 40-dollar gift of EVANS, ED.
    line(B, "15E", "EVANS, ED", "05012024", "40", K),
    line(K, "24T", "EVANS, ED", "05012024", "40", B),
    # Only the conduit reports this one (A's 15E is not in the store): the 24T stands for it.
    line(K, "24T", "FINN, FAY", "05022024", "15", A),
]
# Committees (itoth): A pays B 80, 70, 60; B reports the 70 itself two days later; C pays B 25 (only B
# reports it); B pays A 5 (a cycle A -> B -> A).
ITOTH = [
    line(A, "24K", "COMMITTEE B (SYNTHETIC)", "01052024", "80", B, entity="PAC"),
    line(A, "24K", "COMMITTEE B (SYNTHETIC)", "02012024", "70", B, entity="PAC"),
    line(A, "24K", "COMMITTEE B (SYNTHETIC)", "03012024", "60", B, entity="PAC"),
    line(B, "18K", "COMMITTEE A (SYNTHETIC)", "02032024", "70", A, entity="PAC"),
    line(B, "18K", "COMMITTEE C (SYNTHETIC)", "02102024", "25", C, entity="PAC"),
    line(B, "24K", "COMMITTEE A (SYNTHETIC)", "04012024", "5", A, entity="PAC"),
]
CM = [
    "|".join([cid, name, "TREASURER, T", "1 EXAMPLE ST", "", "RIVERTON", "OR", "97001", "U", "Q", "", "Q", "", "", ""])
    for cid, name in [(A, "COMMITTEE A (SYNTHETIC)"), (B, "COMMITTEE B (SYNTHETIC)"),
                      (C, "COMMITTEE C (SYNTHETIC)"), (K, "CONDUIT K (SYNTHETIC)")]
]


def write_bulk(folder: Path, files: dict[str, list[str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.txt").write_text("SYNTHETIC rows for moneytrail's graph tests. Not real records.\n")
    for name, lines in files.items():
        (folder / name).write_text("".join(x + "\n" for x in lines))
    return folder


@pytest.fixture
def synthetic(tmp_path: Path) -> Store:
    """A store holding the SYNTHETIC rows above, cycle 2024."""
    folder = write_bulk(tmp_path / "synthetic-2024", {"itcont.txt": ITCONT, "itoth.txt": ITOTH, "cm.txt": CM})
    with Store(tmp_path / "store") as s:
        report = load(s, [folder], cycle=2024)
        assert report.rows_rejected == 0
        yield s
