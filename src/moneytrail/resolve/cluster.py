"""Clusters from links and judgements, and donor ids that do not churn.

Clusters are the connected components of (a) positive judgements, taken first in the order they were
made, then (b) model links at or above the threshold, strongest first (ties by node key). A link or
positive judgement that would put the two sides of a negative judgement into one cluster is skipped,
so a negative judgement holds even when other records would bridge the pair. The order is fixed, so
the same input always gives the same clusters.

Donor ids (``D`` and 12 hex digits) follow one rule, so that they survive re-runs and appended data:

1. every donor id of the previous run goes to the new cluster holding most of its records
   (ties: the cluster whose smallest node key sorts first);
2. a cluster that received old ids keeps the one that had most of its records (ties: the smaller id);
   the other old ids it received are written to ``donor_id_redirects`` (old id -> kept id);
3. a cluster that received none gets a new id: ``D`` + the first 12 hex digits of md5 of its smallest
   record key (``txn_id``), or of that key followed by ``#2``, ``#3``... while the id was ever used.

So a donor that only gains records keeps its id; when two donors merge, the larger one's id survives
and the other redirects to it; when a donor splits, the larger part keeps the id.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from hashlib import md5


class Clusters:
    """Union-find over nodes ``0..n-1`` with cannot-link pairs."""

    def __init__(self, n: int, cannot: Iterable[tuple[int, int]] = ()) -> None:
        self.parent = array("q", range(n))
        self.cannot: dict[int, set[int]] = {}
        for a, b in cannot:
            if a != b:
                self.cannot.setdefault(a, set()).add(b)
                self.cannot.setdefault(b, set()).add(a)
        self.skipped = 0

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> bool:
        """Join the clusters of a and b unless a negative judgement separates them; True if joined."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        keep, gone = (ra, rb) if ra < rb else (rb, ra)
        blocked_keep, blocked_gone = self.cannot.get(keep), self.cannot.get(gone)
        if blocked_keep and gone in blocked_keep:
            self.skipped += 1
            return False
        self.parent[gone] = keep
        if blocked_gone:
            # The merged cluster inherits every cannot-link of the cluster that was absorbed.
            for other in blocked_gone:
                peers = self.cannot[other]
                peers.discard(gone)
                peers.add(keep)
            self.cannot.setdefault(keep, set()).update(blocked_gone)
            del self.cannot[gone]
        return True

    def roots(self) -> array[int]:
        return array("q", (self.find(i) for i in range(len(self.parent))))


def fresh_id(smallest_key: str, taken: set[str]) -> str:
    """A new donor id from the smallest record key of the cluster, avoiding every id ever used."""
    n = 1
    while True:
        seed = smallest_key if n == 1 else f"{smallest_key}#{n}"
        candidate = "D" + md5(seed.encode()).hexdigest()[:12].upper()
        if candidate not in taken:
            return candidate
        n += 1
