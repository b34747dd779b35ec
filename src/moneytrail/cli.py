"""The ``moneytrail`` command: a thin layer over the library. Errors print as one line, never a traceback."""

from __future__ import annotations

import csv
import json
import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from . import __version__, sample, settings
from .errors import MoneytrailError, QueryError
from .load import LoadReport, load
from .sources.files import Input
from .status import money, status
from .store import Store

app = typer.Typer(
    help="Follow political money through the official records, with a citation for every figure.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
#: ``moneytrail donor ...``: profiles (``show``, the default) and resolution (``explain``, ``merge``, ``split``).
donor_app = typer.Typer(help="Donors: who gave, where it went, and how their records were resolved.",
                        no_args_is_help=True)
app.add_typer(donor_app, name="donor")
#: Groups whose first argument, when it names no subcommand, is handed to their default subcommand.
DEFAULT_SUBCOMMANDS = {"donor": "show"}
console = Console()
err = Console(stderr=True)

DbOption = Annotated[Path | None, typer.Option(
    "--db", help="Store folder \\[env: MONEYTRAIL_DB; default: ./moneytrail-data].", show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _print_json(data: Any) -> None:
    print(json.dumps(data, default=_jsonable, indent=2))


def _load_with_progress(store: Store, paths: list[Path], cycle: int | None, quiet: bool) -> LoadReport:
    total = sum(p.stat().st_size for path in paths if path.exists()
                for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file())
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
                  console=err, disable=quiet or not err.is_terminal, transient=True) as bar:
        task = bar.add_task("loading", total=total or None)

        def progress(event: str, item: Input | None, nbytes: int) -> None:
            if item is not None and event == "stage":
                bar.update(task, description=f"loading {item.name}")
            elif event == "staged":
                bar.advance(task, nbytes)

        return load(store, paths, cycle=cycle, progress=progress)


def _folder_and_names(origins: list[str]) -> tuple[str, list[str]]:
    """The folder every file is in, and each file's path from there (a zip member as ``zip!member``)."""
    parents = [os.path.dirname(o.split("!")[0]) for o in origins]
    try:
        folder = os.path.commonpath(parents) if parents else ""
    except ValueError:  # absolute and relative paths together
        folder = ""
    return folder, [os.path.relpath(o, folder) if folder else o for o in origins]


def _print_load(report: LoadReport) -> None:
    folder, names = _folder_and_names([f.origin for f in report.files])
    # "new": rows added to the store; the status says what became of the others (a row with the same id
    # stored by an earlier load, an earlier file of this load or an earlier line: "repeats" in --json)
    counts = [Column(c, justify="right", no_wrap=True) for c in ("read", "loaded", "rejected", "new")]
    table = Table(Column("file", overflow="fold", min_width=12), "kind", "cycle", *counts,
                  Column("status", overflow="fold"), box=box.SIMPLE_HEAD,
                  title="moneytrail load" + (f": {folder}{os.sep}" if folder else ""))
    for f, name in zip(report.files, names, strict=True):
        table.add_row(name, f.file_kind or "", str(f.cycle or ""), f"{f.rows_read:,}", f"{f.rows_loaded:,}",
                      f"{f.rows_rejected:,}", f"{f.rows_new:,}",
                      f.status + (f" ({f.note})" if f.note and f.status != "loaded" else "")
                      + (f"; {f.repeats}" if f.repeats else ""))
    console.print(table)
    console.print(f"read {report.rows_read:,} rows = loaded {report.rows_loaded:,} + rejected "
                  f"{report.rows_rejected:,}" + ("; see the rejected_rows table" if report.rows_rejected else ""))
    for f in report.refused:
        err.print(f"[red]refused:[/red] {f.note}", highlight=False, soft_wrap=True)


@app.command("load")
def load_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or FEC zip archives to load.")],
    cycle: Annotated[int | None, typer.Option(help="Election cycle (even year) when file names do not say.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load FEC bulk files (itcont, itoth, itpas2, oppexp, cm, cn, ccl, webk, weball, webl, independent
    expenditures) and electronic filings (.fec) into the store.

    Loading is atomic (all or nothing) and idempotent (a file loaded twice adds nothing). Bad lines
    are kept in the rejected_rows table with their reason; read = loaded + rejected for every file.
    """
    with Store(db) as store:
        report = _load_with_progress(store, paths, cycle, quiet=as_json)
    _print_json(report.as_dict()) if as_json else _print_load(report)
    if report.refused:
        raise MoneytrailError(f"{len(report.refused)} file(s) refused (listed above); the other files were loaded")


@app.command("status")
def status_cmd(db: DbOption = None, as_json: JsonOption = False) -> None:
    """What the store holds: loads by source and cycle, row counts, totals, rejected rows."""
    with Store(db, read_only=True) as store:
        data = status(store)
    if as_json:
        _print_json(data)
        return
    console.print(f"store: {data['store']}")
    loads = Table("source", "kind", "cycle", "files", "read", "loaded", "new", "rejected", title="loads")
    for row in data["loads"]:
        loads.add_row(row["source"], row["file_kind"], str(row["cycle"] or ""), str(row["files"]),
                      f"{row['rows_read']:,}", f"{row['rows_loaded']:,}", f"{row['rows_new']:,}",
                      f"{row['rows_rejected']:,}")
    console.print(loads)
    console.print("rows: " + ", ".join(f"{k} {v:,}" for k, v in data["tables"].items()))
    totals = Table("cycle", "direction", "kind", "rows", "total", title="totals as filed (counts_toward_totals)")
    for row in data["totals"]:
        totals.add_row(str(row["cycle"]), row["direction"] or "", row["kind"], f"{row['rows']:,}",
                       money(row["total"]))
    console.print(totals)
    if data["not_counted"]:
        kept = Table("why", "rows", title="kept, not counted in flows (each reason says whether in totals)")
        for row in data["not_counted"]:
            kept.add_row(row["counting_note"], f"{row['rows']:,}")
        console.print(kept)
    if data["rejected"]:
        bad = Table("file", "reason", "rows", title="rejected rows")
        for row in data["rejected"]:
            bad.add_row(row["source_file"], row["reason"], f"{row['rows']:,}")
        console.print(bad)
    if data.get("filings"):
        filings = Table("filing", "form", "filer", "report", "superseded by", "summary lines checked", "off",
                        title="e-filings: summary page vs itemized lines (filing_checks)")
        for row in data["filings"]:
            off = "; ".join(row["mismatches"]) if row["mismatches"] else ("ok" if row["lines_checked"] else "")
            filings.add_row(str(row["filing_id"]), row["form_type"], row["filer_id"] or "", row["report_type"] or "",
                            str(row["superseded_by"] or ""), str(row["lines_checked"]), off)
        console.print(filings)


READ_ONLY_STATEMENTS = {"SELECT", "EXPLAIN"}


@app.command("sql")
def sql_cmd(
    query: Annotated[str, typer.Argument(help="One read-only SQL statement (SELECT, WITH ..., EXPLAIN).")],
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    limit: Annotated[int, typer.Option(help="Most rows to print; 0 for all.")] = 1000,
    db: DbOption = None,
) -> None:
    """Run a read-only SQL query against the store's views (transactions, committees, candidates, ...)."""
    if fmt not in ("table", "csv", "json"):
        raise QueryError(f"unknown --format {fmt!r}: use table, csv or json")
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as e:
        raise QueryError(str(e).splitlines()[0]) from None
    kinds = {s.type.name for s in statements}
    if len(statements) != 1 or not kinds <= READ_ONLY_STATEMENTS:
        raise QueryError("moneytrail sql runs one read-only statement (SELECT, WITH ... SELECT, EXPLAIN); "
                         "use the library or duckdb directly to change data")
    with Store(db, read_only=True) as store:
        rel = store.sql(query)
        if rel is None:
            return
        columns = rel.columns
        rows = rel.limit(limit + 1).fetchall() if limit else rel.fetchall()
    truncated = bool(limit) and len(rows) > limit
    rows = rows[:limit] if limit else rows
    if fmt == "json":
        _print_json({"columns": columns, "rows": [dict(zip(columns, r, strict=True)) for r in rows],
                     "truncated": truncated})
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([_jsonable(v) for v in r] for r in rows)
    else:
        table = Table(*columns)
        for r in rows:
            table.add_row(*["" if v is None else str(v) for v in r])
        console.print(table)
        if truncated:
            err.print(f"(first {limit} rows; --limit 0 for all)")


@app.command("demo")
def demo_cmd(
    db: Annotated[Path, typer.Option("--db", help="Store folder for the demo.")] = Path("moneytrail-demo"),
) -> None:
    """Generate the bundled SYNTHETIC sample (fictional donors and committees), load it and summarize it."""
    folder = db / "sample-files"
    sample.write(folder)
    console.print(f"[bold]moneytrail demo[/bold]: SYNTHETIC sample (fictional donors and committees) in {folder}",
                  soft_wrap=True)
    with Store(db) as store:
        report = _load_with_progress(store, [folder], None, quiet=False)
        _print_load(report)
    status_cmd(db=db, as_json=False)
    console.print(f"\nTry: moneytrail sql --db {db} \"SELECT name, sum(net_amount) AS given FROM transactions "
                  "WHERE counts_toward_totals AND direction = 'receipt' GROUP BY name ORDER BY given DESC LIMIT 5\"")


def _version(value: bool) -> None:
    if value:
        print(f"moneytrail {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """Follow political money through the official records, with a citation for every figure."""


def _with_default_subcommand(argv: list[str]) -> list[str]:
    """``moneytrail donor SOROS`` means ``moneytrail donor show SOROS``."""
    if len(argv) >= 2 and argv[0] in DEFAULT_SUBCOMMANDS:
        group = typer.main.get_command(app).commands[argv[0]]  # type: ignore[attr-defined]
        if argv[1] not in group.commands and argv[1] not in ("--help", "-h"):
            return [argv[0], DEFAULT_SUBCOMMANDS[argv[0]], *argv[1:]]
    return argv


# Commands defined beside the library code they drive register themselves on `app` when imported here.
# (one import line per module; keep them below this comment)
from .fetch import cli as _fetch_cli  # noqa: F401,E402
from .graph import cli as _graph_cli  # noqa: F401,E402
from .resolve import cli as _resolve_cli  # noqa: F401,E402


def main() -> None:
    try:
        app(args=_with_default_subcommand(sys.argv[1:]), prog_name="moneytrail")
    except MoneytrailError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except duckdb.OutOfMemoryException:
        query, loads = settings.SETTINGS["memory_limit"], settings.SETTINGS["load_memory_limit"]
        err.print(f"[red]error:[/red] the work needed more memory than DuckDB's limit ({query.env}={query.get()}; "
                  f"in loads {loads.env}={loads.get()}): raise it, or set MONEYTRAIL_THREADS=1 so that less "
                  "runs at once. The store is as it was before this command", highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted: the store is as it was before this command")
        sys.exit(130)
