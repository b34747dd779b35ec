"""Commands over the money graph: ``donor show``, ``committee``, ``candidate``, ``trace``, ``graph build``.

Each is one library call and a printer (``--format table|json|csv``; ``--output flows.html`` also
draws the flows). Importing this module registers the commands on ``moneytrail.cli.app``.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ..cli import DbOption, _jsonable, _print_json, app, console, donor_app, err
from ..errors import QueryError
from ..status import money
from ..store import Store, totals
from . import sankey
from .build import build, built_signature, ensure, signature
from .cite import citations
from .queries import candidate_profile, committee_profile, donor_profile
from .trace import DEFAULT_MAX_PATHS, trace

graph_app = typer.Typer(help="The money graph derived from the transactions (built on first use).",
                        no_args_is_help=True)
app.add_typer(graph_app, name="graph")

FormatOption = Annotated[str, typer.Option("--format", help="table, json or csv.")]
DateOption = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="YYYY-MM-DD.", show_default=False)]
CycleOption = Annotated[list[int] | None, typer.Option(
    "--cycle", help="Only this two-year cycle (its even year: 2020); repeat for several. Default: every cycle "
                    "loaded, named in the header.", show_default=False)]
OutputOption = Annotated[Path | None, typer.Option(
    "--output", help="Also draw the flows as a Sankey diagram: a self-contained .html or .svg file.",
    show_default=False)]
CiteOption = Annotated[bool, typer.Option("--cite", help="With --format json: add each transaction's source "
                                                          "(file, line, filing, FEC links).")]


@contextmanager
def _store(db: Path | None) -> Iterator[Store]:
    """The store, read-only, after building the graph if it is missing or older than the data."""
    with Store(db, read_only=True) as store:
        stale = built_signature(store) != signature(store)
    if stale:
        with Store(db) as store:
            ensure(store)
    with Store(db, read_only=True) as store:
        yield store


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json", "csv"):
        raise QueryError(f"unknown --format {fmt!r}: use table, json or csv")


def _txn_ids(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for k, v in data.items():
            if k == "txn_ids":
                yield from v
            else:
                yield from _txn_ids(v)
    elif isinstance(data, list):
        for v in data:
            yield from _txn_ids(v)


def _emit(store: Store, data: dict[str, Any], fmt: str, cite: bool, csv_rows: Callable[[], list[dict[str, Any]]],
          tables: Callable[[], None]) -> None:
    if fmt == "json":
        if cite:
            data = {**data, "citations": citations(store, _txn_ids(data))}
        _print_json(data)
    elif fmt == "csv":
        rows = csv_rows()
        if rows:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
            writer.writeheader()
            for row in rows:
                writer.writerow({k: " ".join(v) if isinstance(v, list) else _jsonable(v) for k, v in row.items()})
    else:
        tables()


def _flow_table(title: str, rows: list[dict[str, Any]], who: str, cycle: bool = False) -> Table:
    table = Table(*(["cycle"] if cycle else []), who, "id", "kind", "via", "total", "txns", "first", "last",
                  title=title)
    for r in rows:
        other = r.get("recipient") or r.get("counterparty")
        table.add_row(*([str(r["cycle"])] if cycle else []), r["name"] or "", other, r["kind"],
                      r["via_name"] or r["via"] or "", money(r["total"]), str(r["transactions"]),
                      str(r["first_date"] or ""), str(r["last_date"] or ""))
    return table


def _totals_table(rows: list[dict[str, Any]]) -> Table:
    """Total receipts and disbursements by cycle, under the FEC's definitions, beside the FEC's figures."""
    table = Table("cycle", "receipts", "FEC reported", "disbursements", "FEC reported", "rows",
                  title="totals of the itemized rows, FEC definitions (committee_totals)")
    for r in rows:
        table.add_row(str(r["cycle"]), money(r["receipts"]), money(r["reported_receipts"]),
                      money(r["disbursements"]), money(r["reported_disbursements"]),
                      f"{r['receipt_rows'] + r['disbursement_rows']:,}")
    return table


def _flat(section: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = ["cycle", "recipient", "counterparty", "name", "kind", "via", "counts", "total", "transactions",
            "first_date", "last_date", "txn_ids"]
    return [{"section": section, **{k: r.get(k) for k in keys}} for r in rows]


def _draw(output: Path | None, links: list[sankey.Link], title: str) -> None:
    if output is not None:
        sankey.write(links, title, output, note="Amounts from moneytrail; every band's tooltip gives its "
                                                "transactions. Rules: docs/tracing.md.")
        err.print(f"wrote {output}")


@donor_app.command("show")
def donor_show_cmd(
    name: Annotated[str, typer.Argument(help="Donor name or id (D:NAME|ZIP, or a donor_id).")],
    cycle: CycleOption = None,
    since: DateOption = None, until: DateOption = None, fmt: FormatOption = "table", cite: CiteOption = False,
    output: OutputOption = None, db: DbOption = None,
) -> None:
    """Who a donor gave to, by cycle and recipient, directly and earmarked through conduits."""
    _check_format(fmt)
    with _store(db) as store:
        data = donor_profile(store, name, _day(since), _day(until), cycle)

        def tables() -> None:
            d = data["donor"]
            console.print(f"[bold]{d['name']}[/bold] {d['node_id']} {d['city'] or ''} {d['state'] or ''}: "
                          f"gave {money(data['total'])}", highlight=False)
            console.print(_flow_table("gifts by cycle and recipient", data["gifts"], "recipient", cycle=True))

        _emit(store, data, fmt, cite, lambda: _flat("gifts", data["gifts"]), tables)
        _draw(output, sankey.links_from_profile(data), f"Gifts of {data['donor']['name']}")


PROFILE_SECTIONS = ["top_donors", "top_committees", "from_candidates", "to_committees", "to_candidates", "to_payees",
                    "passed_through"]


@app.command("committee")
def committee_cmd(
    name: Annotated[str, typer.Argument(help="Committee name or FEC id (C00...).")],
    top: Annotated[int, typer.Option(help="Rows per section.")] = 10,
    cycle: CycleOption = None,
    since: DateOption = None, until: DateOption = None, fmt: FormatOption = "table", cite: CiteOption = False,
    output: OutputOption = None, db: DbOption = None,
) -> None:
    """A committee's totals under the FEC's definitions (beside the FEC's own figures where its summary file
    is loaded), who funded it (top donors, top committees) and where its money went."""
    _check_format(fmt)
    with _store(db) as store:
        data = committee_profile(store, name, top, _day(since), _day(until), cycle)
        data["totals"] = totals.for_committee(store, data["committee"]["node_id"], cycle)

        def tables() -> None:
            c = data["committee"]
            cycles = ", ".join(str(t["cycle"]) for t in data["totals"]) or "none loaded"
            which = "" if cycle else " (all loaded)"
            console.print(f"[bold]{c['name']}[/bold] {c['node_id']}, cycles {cycles}{which}", highlight=False)
            console.print(_totals_table(data["totals"]))
            console.print(f"flows (each dollar once, refunds netted; docs/tracing.md): in {money(data['received'])}, "
                          f"out {money(data['paid'])}", highlight=False)
            for section in PROFILE_SECTIONS:
                if data[section]:
                    who = "from" if section in PROFILE_SECTIONS[:3] else "to"
                    console.print(_flow_table(section.replace("_", " "), data[section], who))

        _emit(store, data, fmt, cite, lambda: [r for s in PROFILE_SECTIONS for r in _flat(s, data[s])], tables)
        _draw(output, sankey.links_from_profile(data), f"Money in and out of {data['committee']['name']}")


@app.command("candidate")
def candidate_cmd(
    name: Annotated[str, typer.Argument(help="Candidate name or FEC id (H..., S..., P...).")],
    top: Annotated[int, typer.Option(help="Rows per section.")] = 10,
    cycle: CycleOption = None,
    since: DateOption = None, until: DateOption = None, fmt: FormatOption = "table", cite: CiteOption = False,
    output: OutputOption = None, db: DbOption = None,
) -> None:
    """Money to a candidate's committees, and independent expenditures for and against the candidate."""
    _check_format(fmt)
    with _store(db) as store:
        data = candidate_profile(store, name, top, _day(since), _day(until), cycle)

        def rows() -> list[dict[str, Any]]:
            out = []
            for c in data["committees"]:
                out += _flat(f"to {c['committee_id']}", c["top_donors"] + c["top_committees"])
            return (out + _flat("independent expenditures for", data["independent_expenditures_for"])
                    + _flat("independent expenditures against", data["independent_expenditures_against"]))

        def tables() -> None:
            c = data["candidate"]
            console.print(f"[bold]{c['name']}[/bold] {c['node_id']}: to the candidate's committees "
                          f"{money(data['received_by_committees'])}; independent expenditures for "
                          f"{money(data['total_for'])}, "
                          f"against {money(data['total_against'])}", highlight=False)
            for cm in data["committees"]:
                console.print(_flow_table(f"{cm['name']} {cm['committee_id']}: received {money(cm['received'])}",
                                          cm["top_donors"] + cm["top_committees"], "from"))
            for key in ("independent_expenditures_for", "independent_expenditures_against"):
                if data[key]:
                    console.print(_flow_table(key.replace("_", " "), data[key], "by"))

        _emit(store, data, fmt, cite, rows, tables)
        _draw(output, sankey.links_from_profile(data), f"Money for and against {data['candidate']['name']}")


def _amount(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value.replace(",", "").lstrip("$"))
    except InvalidOperation:
        raise QueryError(f"--min {value!r} is not an amount: give dollars, e.g. --min 1000 or --min 250.50") from None


def _trace_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for n, path in enumerate(data["paths"], 1):
        att = path["attribution"]
        for i, hop in enumerate(path["hops"], 1):
            rows.append({"path": n, "hop": i, "from": hop["from"], "to": hop["to"], "kind": hop["kind"],
                         "via": hop["via"], "amount": hop["amount"], "first_date": hop["first_date"],
                         "last_date": hop["last_date"], "arrival": hop["arrival"], "transactions": hop["transactions"],
                         "upper_bound": att["upper_bound_by_hop"][i - 1],
                         "proportional": att["proportional_by_hop"][i - 1], "txn_ids": hop["txn_ids"]})
    return rows


@app.command("trace")
def trace_cmd(
    origin: Annotated[str, typer.Option("--from", help="Where the money starts: a donor, committee or candidate.")],
    to: Annotated[str | None, typer.Option("--to", help="Only paths that end here.", show_default=False)] = None,
    hops: Annotated[int, typer.Option(help="Most hops per path.")] = 3,
    since: DateOption = None, until: DateOption = None,
    min_amount: Annotated[str | None, typer.Option("--min", help="Leave out hops smaller than this (dollars).",
                                                   show_default=False)] = None,
    max_paths: Annotated[int, typer.Option(help="Most paths kept; more are cut and reported as truncated.")] =
    DEFAULT_MAX_PATHS,
    fmt: FormatOption = "table", cite: CiteOption = False, output: OutputOption = None, db: DbOption = None,
) -> None:
    """Every money path from --from (to --to): each hop's amount, dates and transactions, and attribution."""
    _check_format(fmt)
    with _store(db) as store:
        data = trace(store, origin, to, hops, _day(since), _day(until), _amount(min_amount), max_paths)

        def tables() -> None:
            f = data["from"]
            console.print(f"[bold]trace from {f['name']}[/bold] {f['node_id']}"
                          + (f" to {data['to']['name']} {data['to']['node_id']}" if data["to"] else "")
                          + f": {len(data['paths'])} paths", highlight=False)
            table = Table("path", "hop", "from", "to", "kind", "amount", "dates", "txns", "bound", "share",
                          title="paths (bound: time-respecting upper bound; share: proportional share)")
            names = {n["id"]: n["name"] for p in data["paths"] for n in p["nodes"]}
            for row in _trace_rows(data):
                via = f" via {row['via']}" if row["via"] else ""
                table.add_row(str(row["path"]), str(row["hop"]), names.get(row["from"], row["from"]),
                              names.get(row["to"], row["to"]), row["kind"] + via, money(row["amount"]),
                              f"{row['first_date'] or ''}..{row['last_date'] or ''}", str(row["transactions"]),
                              money(row["upper_bound"]), money(row["proportional"]))
            console.print(table)
            if data["truncated"]:
                err.print(f"truncated: more than {data['max_paths']} paths; raise --max-paths or narrow with "
                          "--to, --min, --since/--until")

        _emit(store, data, fmt, cite, lambda: _trace_rows(data), tables)
        _draw(output, sankey.links_from_trace(data), f"Money from {data['from']['name']}")


@graph_app.command("build")
def graph_build_cmd(db: DbOption = None) -> None:
    """Rebuild the money graph now (it is otherwise rebuilt on first use after a load)."""
    with Store(db) as store:
        stats = build(store)
    _print_json(stats.as_dict())
