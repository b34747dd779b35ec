"""``moneytrail fetch bulk`` and ``moneytrail fetch filing``: download, then load what arrived."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from rich.table import Column, Table

from ..cli import DbOption, JsonOption, _load_with_progress, _print_json, _print_load, app, console, err
from ..store import Store
from .cache import Fetched
from .fec import BULK_FILES, fetch_bulk, fetch_filings

fetch_app = typer.Typer(help="Download FEC records into a local cache (resumable, verified), then load them.",
                        no_args_is_help=True)
app.add_typer(fetch_app, name="fetch")

CacheOption = Annotated[Path | None, typer.Option(
    "--cache", help="Download folder \\[env: MONEYTRAIL_CACHE; default: ~/.cache/moneytrail].", show_default=False)]
LoadOption = Annotated[bool, typer.Option("--load/--no-load", help="Load what was fetched into the store.")]
RefreshOption = Annotated[bool, typer.Option(
    "--refresh", help="Download again even when the cache holds a verified copy (the FEC updates bulk files).")]


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str, int, int | None], None]]:
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                  console=err, disable=quiet or not err.is_terminal, transient=True) as bar:
        tasks: dict[str, int] = {}

        def update(key: str, done: int, total: int | None) -> None:
            if key not in tasks:
                tasks[key] = bar.add_task(f"fetching {key.rsplit('/', 1)[-1]}", total=total)
            bar.update(tasks[key], completed=done, total=total)

        yield update


def _finish(fetched: list[Fetched], load: bool, db: Path | None, cycle: int | None, as_json: bool) -> None:
    report = None
    if load:
        with Store(db) as store:
            report = _load_with_progress(store, [f.path for f in fetched], cycle, quiet=as_json)
    if as_json:
        _print_json({"fetched": [f.as_dict() for f in fetched], "load": report.as_dict() if report else None})
        return
    folder = str(fetched[0].path)[: -len(fetched[0].key)].rstrip("/") if fetched else ""
    table = Table(Column("file", overflow="fold"), "status", "bytes", "sha256", Column("from", overflow="fold"),
                  title="moneytrail fetch", caption=f"in {folder} (manifest.json: URL, time, size, SHA-256)")
    for f in fetched:
        table.add_row(f.key, f.status, f"{f.bytes:,}", f.sha256[:16], f.url)
    console.print(table)
    if report is not None:
        _print_load(report)


@fetch_app.command("bulk")
def bulk_cmd(
    cycle: Annotated[int, typer.Option(help="Election cycle: the even year that ends it (2024 for 2023-2024).")],
    files: Annotated[str | None, typer.Option(
        help=f"Comma-separated subset of {','.join(BULK_FILES)} \\[default: all].", show_default=False)] = None,
    load: LoadOption = True,
    refresh: RefreshOption = False,
    cache: CacheOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Download the FEC's bulk files for a cycle (indiv24.zip, cm24.zip, ...) and load them."""
    names = [f.strip() for f in files.split(",") if f.strip()] if files else None
    with _progress(as_json) as progress:
        fetched = fetch_bulk(cycle, names, cache=cache, refresh=refresh, progress=progress)
    _finish(fetched, load, db, cycle, as_json)


@fetch_app.command("filing")
def filing_cmd(
    ids: Annotated[list[str], typer.Argument(help="Filing numbers: 1229017 or FEC-1229017.")],
    load: LoadOption = True,
    refresh: RefreshOption = False,
    cache: CacheOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Download FEC electronic filings (.fec) by number from docquery.fec.gov and load them."""
    with _progress(as_json) as progress:
        fetched = fetch_filings(ids, cache=cache, refresh=refresh, progress=progress)
    _finish(fetched, load, db, None, as_json)
