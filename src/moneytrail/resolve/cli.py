"""``moneytrail resolve`` and ``moneytrail donor explain|merge|split``: thin commands over ``moneytrail.resolve``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..cli import DbOption, JsonOption, _print_json, app, console, donor_app
from ..status import money
from ..store import Store
from . import THRESHOLD, explain, merge, resolve, split

UserOption = Annotated[str | None, typer.Option("--user", help="Who made the judgement \\[default: login name].")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why, in words (kept with the judgement).")]


@app.command("resolve")
def resolve_cmd(
    threshold: Annotated[float, typer.Option(help="Match probability at or above which two profiles link.")]
    = THRESHOLD,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Resolve contributor records into donors (stable donor ids), respecting every judgement; link committee
    mentions. Re-run after each load and after donor merge/split."""
    with Store(db) as store:
        report = resolve(store, threshold=threshold)
    if as_json:
        _print_json(report.as_dict())
        return
    table = Table("", "count", title="moneytrail resolve")
    for label, value in [("contributor records", report.records), ("unresolved (never linked)", report.unresolved),
                         ("profiles compared", report.profiles), ("links used", report.links),
                         ("donors", report.donors), ("donors with 2+ records", report.multi_record_donors),
                         ("judgements respected", report.judgements),
                         ("links skipped by a negative judgement", report.judgement_conflicts),
                         ("donor ids kept / new / redirected", f"{report.ids_kept} / {report.ids_new} / "
                                                               f"{report.ids_redirected}"),
                         ("committee mentions", report.committee_mentions)]:
        table.add_row(label, f"{value:,}" if isinstance(value, int) else str(value))
    console.print(table)
    for reason, n in report.unresolved_by_reason.items():
        console.print(f"unresolved: {n:,} x {reason}")
    console.print(f"{report.seconds} s; query the donors view, or: moneytrail donor explain DONOR_ID")


@donor_app.command("explain")
def explain_cmd(
    donor: Annotated[str, typer.Argument(help="Donor id (D + 12 hex digits), a former id, or a txn_id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Why a donor's records are together: profiles, the scored links between them, and judgements."""
    with Store(db, read_only=True) as store:
        data = explain(store, donor)
    if as_json:
        _print_json(data)
        return
    s = data["summary"] or {}
    console.print(f"[bold]{data['donor_id']}[/bold] {s.get('name', '')}: {data['records_total']} records, "
                  f"counted total {money(s.get('total'))}"
                  + (f" (formerly {', '.join(data['former_ids'])})" if data["former_ids"] else ""), soft_wrap=True)
    profiles = Table("profile", "name", "place", "employer", "occupation", "records", title="profiles")
    for p in data["profiles"]:
        name = " ".join(x for x in [p["first_name"], p["middle_initial"], p["surname"], p["suffix"]] if x)
        profiles.add_row(p["profile"], name, " ".join(x for x in [p["city"], p["state"], p["zip5"]] if x),
                         p["employer"] or "", p["occupation"] or "", str(p["records"]))
    console.print(profiles)
    links = Table("profiles", "p", "used", "evidence (level, weight in bits)",
                  title=f"links (threshold {data['threshold']})")
    for link in data["links"]:
        evidence = "; ".join(f"{k} {v['level']} {v['weight']:+}" for k, v in link["evidence"].items()
                             if v["weight"] or v["level"] != "missing")
        other = f" -> other donor {link['other_donor']}" if link["other_donor"] else ""
        links.add_row(f"{link['profile_l']} {link['profile_r']}{other}", f"{link['match_probability']:.4f}",
                      "yes" if link["used"] else "no", evidence)
    console.print(links)
    if data["judgements"]:
        judged = Table("id", "left", "right", "judgement", "user", "at", "reason", title="judgements")
        for j in data["judgements"]:
            judged.add_row(str(j["judgement_id"]), j["left_id"], j["right_id"], j["judgement"], j["user_name"],
                           str(j["judged_at"]), j["reason"] or "")
        console.print(judged)
    records = Table("txn_id", "profile", "name", "place", "date", "amount", "source", title="records")
    for r in data["records"]:
        records.add_row(r["txn_id"], r["profile"], r["name"], f"{r['city'] or ''} {r['state'] or ''} {r['zip'] or ''}",
                        str(r["date"] or ""), money(r["amount"]), f"{r['source_file']}:{r['source_line']}")
    console.print(records)
    if data["records_truncated"]:
        console.print(f"(first {len(data['records'])} of {data['records_total']} records; --json has the same cap)")


@donor_app.command("merge")
def merge_cmd(
    a: Annotated[str, typer.Argument(help="Donor id or txn_id.")],
    b: Annotated[str, typer.Argument(help="Donor id or txn_id of the same contributor.")],
    reason: ReasonOption = "",
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Record that A and B are one contributor (a positive judgement); applied by the next `moneytrail resolve`."""
    with Store(db) as store:
        done = merge(store, a, b, user=user, reason=reason)
    console.print(f"recorded {len(done.pairs)} {done.judgement} judgement: {done.note}")


@donor_app.command("split")
def split_cmd(
    donor: Annotated[str, typer.Argument(help="Donor id.")],
    records: Annotated[list[str], typer.Argument(help="txn_ids of the records that are someone else.")],
    reason: ReasonOption = "",
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Record that RECORDS are a different contributor from the rest of DONOR (negative judgements); applied by
    the next `moneytrail resolve`."""
    with Store(db) as store:
        done = split(store, donor, records, user=user, reason=reason)
    console.print(f"recorded {len(done.pairs)} judgements: {done.note}")
