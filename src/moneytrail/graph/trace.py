"""Every money path from one node (to another), hop by hop, with the transactions behind each hop.

The walk is breadth first and bounded:

- a path never visits a node twice, so committees that pay each other never loop;
- it continues only through committees (money spent on an independent expenditure, a vendor or a
  candidate is not followed further), and through conduit pass-throughs only as the first hop;
- it is time-respecting: a hop after the first needs a payment dated on or after the earliest date the
  money could have arrived at its payer (the earliest such payment is the next arrival);
- at most ``max_paths`` partial paths are kept per hop (largest hop amounts first); when the limit cuts
  anything the result says ``truncated``.

A path is reported where it ends: at ``to`` when given, else where it cannot go on (hop limit, a node
that is not followed, no later payment).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import QueryError
from ..store import Store
from . import attribution
from .build import TERMINAL_KINDS
from .queries import Node, _window_sql, resolve

DEFAULT_MAX_PATHS = 200


@dataclass
class Hop:
    edge_id: str
    src: str
    dst: str
    kind: str
    via: str | None
    days: list[tuple[date | None, Decimal]]
    arrival: date | None = None  # earliest payment on this hop that the money could have made

    @property
    def total(self) -> Decimal:
        return sum((a for _, a in self.days), Decimal("0.00"))


@dataclass
class _Path:
    hops: list[Hop] = field(default_factory=list)

    def nodes(self, origin: str) -> list[str]:
        return [origin, *(h.dst for h in self.hops)]


def _edges_from(store: Store, nodes: list[str], first: bool, since: date | None, until: date | None,
                min_amount: Decimal | None) -> dict[str, list[Hop]]:
    window, params = _window_sql(since, until, "d.date")
    kinds = "" if first else "AND e.kind <> 'conduit pass-through'"
    rows = store.rows(f"""
        SELECT e.edge_id, e.src, e.dst, e.kind, e.via, d.date, d.total
        FROM graph_edges e JOIN graph_edge_days d ON d.edge_id = e.edge_id
        WHERE e.src IN (SELECT unnest(?::VARCHAR[])) {kinds} {window}
        ORDER BY e.edge_id, d.date""", [nodes, *params])
    hops: dict[str, Hop] = {}
    for edge_id, src, dst, kind, via, day, total in rows:
        hop = hops.get(edge_id)
        if hop is None:
            hop = hops[edge_id] = Hop(edge_id, src, dst, kind, via, [])
        hop.days.append((day, total))
    out: dict[str, list[Hop]] = defaultdict(list)
    for hop in hops.values():
        if min_amount is None or hop.total >= min_amount:
            out[hop.src].append(hop)
    return out


def _continue(prev: Hop | None, hop: Hop) -> Hop | None:
    """The hop with its arrival date, or None when no payment on it comes on or after the previous arrival."""
    dated = [d for d, a in hop.days if d is not None and a > 0]
    if prev is None:
        return Hop(**{**hop.__dict__, "arrival": min(dated) if dated else None})
    if prev.arrival is None:
        return None
    later = [d for d in dated if d >= prev.arrival]
    return Hop(**{**hop.__dict__, "arrival": min(later)}) if later else None


def trace(store: Store, origin: str, to: str | None = None, hops: int = 3, since: date | None = None,
          until: date | None = None, min_amount: Decimal | None = None,
          max_paths: int = DEFAULT_MAX_PATHS) -> dict[str, Any]:
    """Every money path from ``origin`` (to ``to``) of at most ``hops`` hops; see the module docstring."""
    if hops < 1 or max_paths < 1:
        raise QueryError("--hops and --max-paths must be at least 1")
    start = resolve(store, origin)
    target = resolve(store, to) if to else None
    if target is not None and target.node_id == start.node_id:
        raise QueryError("--from and --to name the same node: give two different ones")
    done: list[_Path] = []
    frontier = [_Path()]
    truncated = False
    dropped_untimely = 0
    for depth in range(hops):
        ends = sorted({p.hops[-1].dst if p.hops else start.node_id for p in frontier})
        edges = _edges_from(store, ends, depth == 0, since, until, min_amount)
        grown: list[_Path] = []
        for path in frontier:
            here = path.hops[-1].dst if path.hops else start.node_id
            seen = set(path.nodes(start.node_id))
            extended = False
            for hop in edges.get(here, []):
                if hop.dst in seen:
                    continue
                timed = _continue(path.hops[-1] if path.hops else None, hop)
                if timed is None:
                    dropped_untimely += 1
                    continue
                extended = True
                new = _Path([*path.hops, timed])
                if target is not None and hop.dst == target.node_id:
                    done.append(new)
                elif hop.kind in TERMINAL_KINDS or not hop.dst[:1] == "C" or depth == hops - 1:
                    if target is None:
                        done.append(new)
                else:
                    grown.append(new)
            if not extended and path.hops and target is None:
                done.append(path)
        grown.sort(key=lambda p: (-p.hops[-1].total, [h.edge_id for h in p.hops]))
        if len(grown) > max_paths:
            truncated = True
            grown = grown[:max_paths]
        frontier = grown
        if not frontier:
            break
    done.sort(key=lambda p: (-p.hops[-1].total, len(p.hops), [h.edge_id for h in p.hops]))
    if len(done) > max_paths:
        truncated = True
        done = done[:max_paths]
    return _report(store, start, target, done, hops, since, until, min_amount, max_paths, truncated,
                   dropped_untimely)


def _receipts(store: Store, node_ids: list[str], until: date | None) -> dict[str, list[tuple[date | None, Decimal]]]:
    """Each node's counted receipts by date (on or before ``until``): the denominators of the proportional share."""
    cut, params = _window_sql(None, until, "d.date")
    out: dict[str, list[tuple[date | None, Decimal]]] = {n: [] for n in node_ids}
    for node, day, total in store.rows(f"""
            SELECT e.dst, d.date, CAST(sum(d.total) AS DECIMAL(18,2)) FROM graph_edges e
            JOIN graph_edge_days d ON d.edge_id = e.edge_id
            WHERE e.dst IN (SELECT unnest(?::VARCHAR[])) AND e.counts {cut} GROUP BY 1, 2 ORDER BY 1, 2""",
                                       [node_ids, *params]):
        out[node].append((day, total))
    return out


def _report(store: Store, start: Node, target: Node | None, paths: list[_Path], hops: int, since: date | None,
            until: date | None, min_amount: Decimal | None, max_paths: int, truncated: bool,
            dropped_untimely: int) -> dict[str, Any]:
    edge_ids = sorted({h.edge_id for p in paths for h in p.hops})
    window, params = _window_sql(since, until)
    txns: dict[str, list[str]] = defaultdict(list)
    for edge_id, txn_id in store.rows(f"""
            SELECT t.edge_id, t.txn_id FROM graph_edge_transactions t
            WHERE t.edge_id IN (SELECT unnest(?::VARCHAR[])) {window} ORDER BY t.edge_id, t.date, t.txn_id""",
                                      [edge_ids, *params]):
        txns[edge_id].append(txn_id)
    node_ids = sorted({n for p in paths for n in p.nodes(start.node_id)} | {h.via for p in paths for h in p.hops
                                                                           if h.via})
    names = dict(store.rows("SELECT node_id, name FROM graph_nodes WHERE node_id IN (SELECT unnest(?::VARCHAR[]))",
                            [node_ids]))
    receipts_cache = _receipts(store, sorted({h.dst for p in paths for h in p.hops[:-1]}), until)
    out = []
    for path in paths:
        figures = attribution.attribute([h.days for h in path.hops], [receipts_cache[h.dst] for h in path.hops[:-1]])
        out.append({
            "nodes": [{"id": n, "name": names.get(n, n)} for n in path.nodes(start.node_id)],
            "hops": [{
                "from": h.src, "to": h.dst, "kind": h.kind, "via": h.via,
                "via_name": names.get(h.via) if h.via else None,
                "amount": h.total, "first_date": min((d for d, _ in h.days if d), default=None),
                "last_date": max((d for d, _ in h.days if d), default=None), "arrival": h.arrival,
                "transactions": len(txns[h.edge_id]), "edge_id": h.edge_id, "txn_ids": txns[h.edge_id],
            } for h in path.hops],
            "attribution": figures,
        })
    return {
        "from": start.as_dict(), "to": target.as_dict() if target else None,
        "hops": hops, "since": since, "until": until, "min": min_amount, "max_paths": max_paths,
        "paths": out, "truncated": truncated, "not_time_respecting": dropped_untimely,
        "attribution_rules": {**attribution.RULES, "rounding": attribution.ROUNDING},
        "rule": "simple paths (no node twice), through committees only, time-respecting; one side per "
                "payment (docs/tracing.md)",
    }
