"""The documentation is part of the product: generated pages are current and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from moneytrail import docgen
from moneytrail.cli import app

ROOT = Path(__file__).resolve().parents[1]


def test_generated_pages_are_current() -> None:
    for name, render in docgen.PAGES.items():
        page = (ROOT / "docs" / name).read_text()
        assert page == render(), f"docs/{name} is stale: run `python -m moneytrail.docgen` and commit the result"


def _commands(group: object, prefix: str = "") -> list[str]:
    out = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        path = f"{prefix}{name}"
        if hasattr(command, "commands"):  # a group: its subcommands are the commands
            out += _commands(command, path + " ")
        else:
            out.append(path)
    return out


def test_every_command_is_documented() -> None:
    text = "\n".join(p.read_text() for p in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))])
    commands = _commands(typer.main.get_command(app))  # type: ignore[arg-type]
    assert "load" in commands and "sql" in commands
    missing = [c for c in commands if not re.search(rf"moneytrail {re.escape(c)}\b", text)]
    assert missing == [], f"commands with no example in README.md or docs/: {missing}"


def test_every_setting_is_documented() -> None:
    page = (ROOT / "docs" / "settings.md").read_text()
    for setting in docgen.SETTINGS.values():
        assert f"`{setting.env}`" in page
