"""Name parts as filed on real FEC rows (the strings below are spellings seen in the 2019-20 itcont file)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moneytrail.resolve.normalize import normalize_name


@pytest.mark.parametrize(("name", "surname", "first", "middle", "suffix"), [
    ("VOGEL, CLAUDETTE D. MS.", "VOGEL", "CLAUDETTE", "D", None),
    ("LITTLE, JR., WILLIAM E.", "LITTLE", "WILLIAM", "E", "JR"),
    ("LITTLE, WILLIAM E. JR.", "LITTLE", "WILLIAM", "E", "JR"),
    ("ERLENMEYER-KIMLING, L. NIKI DR.", "ERLENMEYERKIMLING", "L", "N", None),
    ("ERLENMEYER KIMLING, L.", "ERLENMEYERKIMLING", "L", None, None),
    ("PAUL, ROBERT E. MR. ESQ.", "PAUL", "ROBERT", "E", None),
    ("O'BRIEN, MARY", "OBRIEN", "MARY", None, None),
    ("LAMANTIA, JOSEPH V. MR. III", "LAMANTIA", "JOSEPH", "V", "III"),
])
def test_name_parts(name: str, surname: str, first: str, middle: str | None, suffix: str | None) -> None:
    parts = normalize_name(name)
    assert (parts["surname"], parts["first_name"], parts["middle_initial"], parts["suffix"]) == \
        (surname, first, middle, suffix)
    assert parts["unresolved_reason"] is None


@pytest.mark.parametrize(("name", "reason"), [
    ("INFORMATION REQUESTED", "placeholder name"),
    ("UNITEMIZED CONTRIBUTIONS", "placeholder name"),
    ("AGGREGATED UNITEMIZED", "placeholder name"),
    ("ANONYMOUS", "placeholder name"),
    ("", "empty name"),
    ("SMITH", "incomplete name (no first name or no surname)"),
    ("MR. DR.", "incomplete name (no first name or no surname)"),
])
def test_bad_names_are_never_linked(name: str, reason: str) -> None:
    assert normalize_name(name)["unresolved_reason"] == reason


def test_organization_names_drop_legal_forms() -> None:
    assert normalize_name("THE ACME CO., INC.", "ORG")["surname"] == "ACME"
    assert normalize_name("Acme Co", "ORG")["surname"] == "ACME"


@settings(max_examples=40, deadline=None)
@given(st.from_regex(r"[A-Z]{2,10}, [A-Z]{2,8}( [A-Z]\.?)?( (MR|DR|JR)\.?)?", fullmatch=True))
def test_normalizing_the_normal_form_changes_nothing(name: str) -> None:
    once = normalize_name(name)
    # A part the normal form lacks (a name part that was only a title, as in "AA, DR" or "DR, AA") is left
    # out, not written as the word "None".
    parts = {k: once[k] or "" for k in ("surname", "first_name", "middle_initial", "suffix")}
    rebuilt = f"{parts['surname']}, {parts['first_name']} {parts['middle_initial']} {parts['suffix']}"
    again = normalize_name(rebuilt)
    assert {k: again[k] for k in ("surname", "first_name", "middle_initial", "suffix")} == \
        {k: once[k] for k in ("surname", "first_name", "middle_initial", "suffix")}
