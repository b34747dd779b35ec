"""Who is who: donors resolved from contributor records, committees keyed by FEC id, judgements as data.

- ``resolve(store)`` (``run.py``): normalize (``normalize.py``), score pairs (``linkage.py``, splink),
  cluster with judgements and assign stable donor ids (``cluster.py``), link committee mentions
  (``committees.py``).
- ``merge`` / ``split`` (``judgements.py``): record a person's decision; the next ``resolve`` applies it.
- ``explain(store, id)`` (``explain.py``): why a donor's records are together.

docs/resolution.md describes the rules.
"""

from .explain import explain
from .judgements import merge, split
from .run import THRESHOLD, ResolveReport, resolve

__all__ = ["THRESHOLD", "ResolveReport", "explain", "merge", "resolve", "split"]
