"""Download FEC records into a local cache (resumable, verified, with provenance), ready for ``load``.

``fetch_bulk(2024, ["indiv", "cm"])`` and ``fetch_filings(["FEC-1229017"])`` return the cached files;
``moneytrail fetch`` then hands them to :func:`moneytrail.load.load`.
"""

from .cache import Fetched, manifest
from .fec import BULK_FILES, fetch_bulk, fetch_filings, filing_id

__all__ = ["BULK_FILES", "Fetched", "fetch_bulk", "fetch_filings", "filing_id", "manifest"]
