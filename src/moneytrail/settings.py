"""Settings, declared once: each has a name, a default and a help text.

Every setting reads an environment variable with the ``MONEYTRAIL_`` prefix; a CLI option of the
same name overrides it. ``docs/settings.md`` lists them and a test checks that it does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PREFIX = "MONEYTRAIL_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return PREFIX + self.name.upper()

    def get(self) -> str:
        return os.environ.get(self.env, self.default)


SETTINGS = {
    s.name: s
    for s in [
        Setting("db", "moneytrail-data", "Folder of the store: Parquet records plus the DuckDB catalog."),
        Setting(
            "memory_limit",
            "2GB",
            "DuckDB memory limit outside loads (queries, the graph build, resolution); larger work spills to disk.",
        ),
        Setting("load_memory_limit", "512MB",
                "DuckDB memory limit while loading (duplicate check, amendments); larger work spills to disk. "
                "With the staging beside it, a load stays under 1 GB whatever the file size."),
        Setting("threads", "0", "Worker threads for DuckDB queries; 0 means one per core."),
        Setting("cache", "~/.cache/moneytrail",
                "Folder where `moneytrail fetch` keeps downloads and their manifest (URL, time, size, SHA-256)."),
        Setting("fec_bulk_url", "https://www.fec.gov/files/bulk-downloads",
                "Where `moneytrail fetch bulk` finds the FEC bulk files (`<url>/2024/indiv24.zip`)."),
        Setting("fec_filing_url", "https://docquery.fec.gov/dcdev/posted",
                "Where `moneytrail fetch filing` finds electronic filings (`<url>/1229017.fec`)."),
        Setting("fetch_timeout", "60", "Seconds to wait for the server to connect or send more bytes."),
        Setting("fetch_retries", "4", "Retries of a download after a transient error (connection lost, HTTP 5xx)."),
        Setting("fetch_backoff", "2",
                "Seconds to wait before the first retry; the wait doubles with each retry after it."),
    ]
}


def get(name: str) -> str:
    return SETTINGS[name].get()


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The store folder: the explicit path, else MONEYTRAIL_DB, else ./moneytrail-data."""
    return Path(explicit if explicit is not None else get("db"))


def threads() -> int:
    value = int(get("threads") or 0)
    return value if value > 0 else (os.cpu_count() or 1)
