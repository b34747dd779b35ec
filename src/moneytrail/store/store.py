"""The store: Parquet files are the record, a DuckDB catalog holds the load log and the public views.

Layout of a store folder::

    catalog.duckdb                         load log (``loads``, ``record_files``), derived tables, views
    records/<table>/<batch_id>.parquet     rows added by one load, never rewritten
    records/rejected_rows/<batch_id>.parquet
    staging/                               work space of a load in progress (emptied on open)

A load writes its Parquet files in ``staging/``, moves them into ``records/`` and then, in one DuckDB
transaction, logs them and redefines the views. A file that is in ``records/`` but not in the log (a
load cut off between the two steps) is removed on the next open, so the store is always as the last
completed load left it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .. import settings
from ..errors import QueryError, StoreError
from . import views

CATALOG = "catalog.duckdb"
SCHEMA_VERSION = "1"

LOADS_DDL = """
CREATE TABLE IF NOT EXISTS loads (
    batch_id VARCHAR PRIMARY KEY,
    loaded_at TIMESTAMP,
    source VARCHAR,
    file_kind VARCHAR,
    origin VARCHAR,
    source_file VARCHAR,
    sha256 VARCHAR,
    cycle INTEGER,
    bytes BIGINT,
    rows_read BIGINT,
    rows_loaded BIGINT,
    rows_new BIGINT,
    rows_already_loaded BIGINT,
    rows_rejected BIGINT
);
CREATE TABLE IF NOT EXISTS record_files (
    batch_id VARCHAR,
    target VARCHAR,
    path VARCHAR,
    rows BIGINT,
    PRIMARY KEY (batch_id, target)
);
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
"""


class Store:
    """A moneytrail store folder. ``Store(path)`` opens (and by default creates) it.

    ``read_only=True`` opens without taking the write lock, for queries while nothing loads.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
                 create: bool = True) -> None:
        self.root = settings.db_path(path).resolve()
        self.read_only = read_only
        catalog = self.root / CATALOG
        if not catalog.exists():
            if read_only or not create:
                raise StoreError(
                    f"no moneytrail store at {self.root}: load data first (moneytrail load PATH) "
                    "or point --db / MONEYTRAIL_DB at an existing store")
            self.root.mkdir(parents=True, exist_ok=True)
        self.con = self._connect()
        if not read_only:
            self.con.execute(LOADS_DDL)
            self._check_version()
            self._sweep()
            views.define(self)
        elif self._stored_root() != str(self.root) or self._stored_views() != views.VIEWS_VERSION:
            # The folder moved, or an older moneytrail wrote the views: define them for this session only.
            views.define(self, temporary=True)

    def _stored_views(self) -> str | None:
        rows = self.con.execute("SELECT value FROM meta WHERE key = 'views_version'").fetchall()
        return rows[0][0] if rows else None

    def _connect(self) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(str(self.root / CATALOG), read_only=self.read_only, config=self._config())
        except duckdb.IOException as e:
            raise StoreError(f"cannot open the store at {self.root}: {e}. Is another moneytrail "
                             "process loading into it? Wait for it to finish.") from None

    def reopen(self) -> None:
        """Close the catalog and open it again (temporary tables and views of the session are gone).

        A connection that has just written large tables reads them more slowly than a new one
        (``graph.build``)."""
        self.con.close()
        self.con = self._connect()

    @contextmanager
    def memory_limit(self, limit: str) -> Iterator[None]:
        """DuckDB's memory limit set to ``limit`` for a while (work beyond it spills to disk), then back to
        the ``memory_limit`` setting."""
        def set_to(value: object) -> None:
            quoted = str(value).replace("'", "''")
            self.con.execute(f"SET memory_limit = '{quoted}'")

        set_to(limit)
        try:
            yield
        finally:
            set_to(self._config()["memory_limit"])

    def _config(self) -> dict[str, str | int]:
        config: dict[str, str | int] = {"memory_limit": settings.get("memory_limit"),
                                        "threads": settings.threads()}
        if not self.read_only:
            # Joins and sorts larger than memory spill here rather than failing.
            # Outside staging/, which every open empties: a query may need to spill at any time.
            config["temp_directory"] = str(self.root / "spill")
        return config

    def _stored_root(self) -> str | None:
        try:
            rows = self.con.execute("SELECT value FROM meta WHERE key = 'root'").fetchall()
        except duckdb.CatalogException:
            return None
        return rows[0][0] if rows else None

    def _check_version(self) -> None:
        rows = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        if not rows:
            self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        elif rows[0][0] != SCHEMA_VERSION:
            raise StoreError(f"the store at {self.root} has schema version {rows[0][0]}, this moneytrail "
                             f"reads {SCHEMA_VERSION}: load the records again into a new store")

    def _sweep(self) -> None:
        """Remove what an interrupted load left: the staging folder and unlogged record files."""
        shutil.rmtree(self.root / "staging", ignore_errors=True)
        logged = {self.root / p for p in self.logged_files()}
        records = self.root / "records"
        if records.exists():
            for path in records.rglob("*.parquet"):
                if path not in logged and path.parent.name != views.EMPTY_DIR:
                    path.unlink()

    # -- paths -------------------------------------------------------------------------------------

    def logged_files(self, target: str | None = None) -> list[str]:
        """Record files (relative to the root) of completed loads, oldest first."""
        sql = "SELECT path FROM record_files WHERE ? IS NULL OR target = ? ORDER BY batch_id"
        return [path for (path,) in self.con.execute(sql, [target, target]).fetchall()]

    def files(self, target: str) -> list[Path]:
        return [self.root / p for p in self.logged_files(target)]

    def staging(self) -> Path:
        path = self.root / "staging"
        path.mkdir(parents=True, exist_ok=True)
        return path

    # -- queries -----------------------------------------------------------------------------------

    def sql(self, query: str, params: list[object] | dict[str, object] | None = None) -> duckdb.DuckDBPyRelation | None:
        try:
            return self.con.sql(query, params=params)
        except duckdb.Error as e:
            raise QueryError(str(e).splitlines()[0]) from None

    def rows(self, query: str, params: list[object] | dict[str, object] | None = None) -> list[tuple[object, ...]]:
        try:
            return self.con.execute(query, params or []).fetchall()
        except duckdb.Error as e:
            raise QueryError(str(e).splitlines()[0]) from None

    def scalar(self, query: str, params: list[object] | dict[str, object] | None = None) -> object:
        result = self.rows(query, params)
        return result[0][0] if result else None

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
