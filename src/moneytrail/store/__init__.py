"""The embedded store: Parquet records under a DuckDB catalog."""

from .store import Store

__all__ = ["Store"]
