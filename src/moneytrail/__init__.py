"""moneytrail: follow political money through the official records, with a citation for every figure.

The library is the product; the CLI (``moneytrail.cli``) is a thin layer over it::

    from moneytrail import Store, load
    with Store("moneytrail-data") as store:
        load(store, ["indiv20.zip"])
        store.rows("SELECT filer_id, cycle, receipts, disbursements FROM committee_totals")
"""

from .errors import InputError, MoneytrailError, NotFoundError, QueryError, StoreError
from .load import LoadReport, load
from .store import Store

__version__ = "0.1.0"

__all__ = ["InputError", "LoadReport", "MoneytrailError", "NotFoundError", "QueryError", "Store", "StoreError",
           "__version__", "load"]
