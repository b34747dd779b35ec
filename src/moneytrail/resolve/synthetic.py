"""SYNTHETIC contribution records with known truth, for resolution tests and benchmarks. Not real people.

``write(folder, rows, seed)`` writes ``itcont.txt`` in the FEC bulk layout (pipe-delimited, no header)
and ``truth.csv`` (``sub_id,donor``, the true contributor of each row; ``-`` for rows that must stay
unresolved). Donors are invented from syllables; their records vary the way filings do: titles
(MR., DR.), middle initial given, spelled out or left out, nicknames, JR/SR, ZIP5 or ZIP9, a typo in
the surname, employer and occupation spellings, a move within the state. Spouses share surname,
address and employer with a different first name (the hard negative). Some rows carry placeholder
names (INFORMATION REQUESTED, UNITEMIZED, ANONYMOUS). The same seed gives the same files.
"""

from __future__ import annotations

import random
from pathlib import Path

SYLLABLES = ["BAR", "KEL", "MOR", "TAN", "VEL", "RIS", "DON", "LAR", "PEN", "SOL", "GRA", "HOL", "MIR", "NOV", "QUI",
             "ROS", "STA", "TOR", "ULM", "VAN", "WES", "YOR", "ZAN", "BEL", "COR", "DAL", "FEN", "GIL", "HAM", "JES"]
FIRST = ["JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "WILLIAM", "ELIZABETH",
         "DAVID", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "THOMAS", "SARAH", "CHARLES", "KAREN",
         "CHRISTOPHER", "NANCY", "DANIEL", "LISA", "MATTHEW", "MARGARET", "ANTHONY", "SANDRA", "DONALD", "ASHLEY",
         "STEVEN", "KIMBERLY", "PAUL", "EMILY", "ANDREW", "DONNA", "JOSHUA", "MICHELLE", "KENNETH", "CAROL",
         "KEVIN", "AMANDA", "BRIAN", "MELISSA", "GEORGE", "DEBORAH", "TIMOTHY", "STEPHANIE", "RONALD", "REBECCA"]
NICK = {"ROBERT": "BOB", "WILLIAM": "BILL", "JAMES": "JIM", "RICHARD": "DICK", "THOMAS": "TOM", "MICHAEL": "MIKE",
        "JOSEPH": "JOE", "CHARLES": "CHUCK", "ELIZABETH": "BETH", "MARGARET": "PEGGY", "PATRICIA": "PATTY",
        "JENNIFER": "JENNY", "DAVID": "DAVE", "STEVEN": "STEVE", "ANTHONY": "TONY", "ANDREW": "ANDY",
        "DANIEL": "DAN", "KENNETH": "KEN", "TIMOTHY": "TIM", "RONALD": "RON", "DONALD": "DON", "MATTHEW": "MATT"}
JOBS = [("RETIRED", "RETIRED"), ("SELF-EMPLOYED", "CONSULTANT"), ("NOT EMPLOYED", "NOT EMPLOYED"),
        ("{S} & ASSOCIATES", "ATTORNEY"), ("{S} HOLDINGS LLC", "CEO"), ("UNIVERSITY OF {S}", "PROFESSOR"),
        ("{S} MEDICAL GROUP", "PHYSICIAN"), ("{S} SCHOOL DISTRICT", "TEACHER"), ("{S} CAPITAL", "INVESTOR"),
        ("{S} ENGINEERING INC.", "ENGINEER")]
STATES = [("CA", "9"), ("NY", "1"), ("TX", "7"), ("FL", "3"), ("IL", "6"), ("PA", "1"), ("OH", "4"), ("WA", "9"),
          ("MA", "0"), ("GA", "3")]
PLACEHOLDERS = ["INFORMATION REQUESTED", "UNITEMIZED CONTRIBUTIONS", "ANONYMOUS", "AGGREGATED UNITEMIZED",
                "INFORMATION REQUESTED PER BEST EFFORTS"]


def _surname(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3))))


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:] if rng.random() < 0.5 else word[:i] + word[i + 1:]


class _Donor:
    def __init__(self, rng: random.Random, key: int, family: _Donor | None = None) -> None:
        self.key = key
        self.first = rng.choice(FIRST)
        self.middle = rng.choice(FIRST) if rng.random() < 0.6 else ""
        self.suffix = rng.choice(["JR", "SR", "III"]) if rng.random() < 0.04 else ""
        self.title = rng.choice(["MR.", "MRS.", "MS.", "DR."])
        if family is not None:
            while self.first == family.first:
                self.first = rng.choice(FIRST)
            self.surname, self.state, self.zip, self.city = family.surname, family.state, family.zip, family.city
            self.employer, self.occupation = family.employer, family.occupation
            return
        self.surname = _surname(rng)
        self.state, lead = rng.choice(STATES)
        self.zip = lead + "".join(rng.choice("0123456789") for _ in range(8))
        self.city = _surname(rng) + rng.choice(["", " CITY", " FALLS", "VILLE"])
        employer, self.occupation = rng.choice(JOBS)
        self.employer = employer.replace("{S}", _surname(rng))

    def record(self, rng: random.Random) -> tuple[str, str, str, str, str, str]:
        first = self.first
        if first in NICK and rng.random() < 0.08:
            first = NICK[first]
        surname = _typo(rng, self.surname) if rng.random() < 0.02 else self.surname
        if rng.random() < 0.1:
            surname = surname[:3] + "-" + surname[3:] if rng.random() < 0.5 else surname[:3] + " " + surname[3:]
        middle = {0: "", 1: self.middle[:1], 2: self.middle[:1] + ".", 3: self.middle}[rng.randrange(4)] \
            if self.middle else ""
        where = rng.randrange(3) if self.suffix else 0  # suffix left out, after the surname, or at the end
        parts = [f"{surname}{' ' + self.suffix if where == 1 else ''}, {first}"]
        if middle:
            parts.append(middle)
        if where == 2:
            parts.append(self.suffix)
        if rng.random() < 0.2:
            parts.append(self.title)
        name = " ".join(parts)
        zip_code = self.zip if rng.random() < 0.5 else self.zip[:5]
        city, state = self.city, self.state
        if rng.random() < 0.03:  # moved within the state
            zip_code, city = self.zip[:2] + "".join(rng.choice("0123456789") for _ in range(3)), city + " HEIGHTS"
        employer = self.employer
        r = rng.random()
        if r < 0.05:
            employer = employer.replace("INC.", "INC").replace("LLC", "L.L.C.").replace("&", "AND")
        elif r < 0.1:
            employer = "INFORMATION REQUESTED"
        occupation = self.occupation if rng.random() < 0.95 else self.occupation.title()
        return name, city, state, zip_code, employer, occupation


def write(folder: Path, rows: int, seed: int = 7, mean_records: float = 4.0) -> dict[str, int]:
    """Write about ``rows`` SYNTHETIC itcont rows and their truth into ``folder``; returns counts."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    donors: list[_Donor] = []
    written = placeholders = 0
    sub_id = 9_000_000_000_000_000_000
    with open(folder / "itcont.txt", "w", encoding="latin-1") as out, \
            open(folder / "truth.csv", "w") as truth:
        truth.write("sub_id,donor\n")
        while written < rows:
            if donors and rng.random() < 0.12:
                donor = _Donor(rng, len(donors), family=rng.choice(donors[-50:]))
            else:
                donor = _Donor(rng, len(donors))
            donors.append(donor)
            n = min(1 + int(rng.expovariate(1 / (mean_records - 1))), 60)
            for _ in range(min(n, rows - written)):
                sub_id += 1
                if rng.random() < 0.004:
                    name, city, state, zip_code, employer, occupation = rng.choice(PLACEHOLDERS), "", "", "", "", ""
                    truth.write(f"{sub_id},-\n")
                    placeholders += 1
                else:
                    name, city, state, zip_code, employer, occupation = donor.record(rng)
                    truth.write(f"{sub_id},{donor.key}\n")
                day = rng.randrange(1, 28)
                month = rng.randrange(1, 13)
                amount = rng.choice([25, 50, 100, 250, 500, 1000, 2800])
                out.write(f"C99990001|N|Q1|P||15|IND|{name}|{city}|{state}|{zip_code}|{employer}|{occupation}|"
                          f"{month:02d}{day:02d}2024|{amount}||SYN{sub_id}|1|||{sub_id}\n")
                written += 1
    return {"rows": written, "donors": len(donors), "placeholders": placeholders}
