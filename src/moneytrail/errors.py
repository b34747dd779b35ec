"""One small hierarchy: every error moneytrail raises on purpose is a MoneytrailError.

Messages are one line and say how to fix the problem; the CLI prints them without a traceback.
"""


class MoneytrailError(Exception):
    """Base class of every error moneytrail raises on purpose."""


class InputError(MoneytrailError):
    """An input file or argument cannot be read as what it claims to be."""


class StoreError(MoneytrailError):
    """The store is missing, locked, or was written by an incompatible version."""


class QueryError(MoneytrailError):
    """A query is invalid or tried to change the store through a read-only path."""


class NotFoundError(MoneytrailError):
    """A named donor, committee, candidate or filing is not in the store."""


class FetchError(MoneytrailError):
    """A download failed, or what arrived is not the whole, valid file the server promised."""
