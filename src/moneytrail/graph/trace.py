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
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import QueryError
from ..store import Store
from . import attribution
from .build import KEY_BLOCK, TERMINAL_KINDS, node_keys
from .queries import Node, _quoted, _window_sql, node_names, resolve

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
    """A path of the walk: its nodes and hops (each with its arrival), and the last hop's total."""

    nodes: list[str]
    hops: list[Hop] = field(default_factory=list)
    total: Decimal = Decimal(0)

    @property
    def edges(self) -> list[str]:
        return [h.edge_id for h in self.hops]

    def key(self) -> tuple[Decimal, int, list[str]]:
        """The order of results: largest last hop first, then shorter paths, then by edge ids."""
        return -self.total, len(self.hops), self.edges


# One hop of the walk for every path of the frontier, in SQL. First the days in the window of the
# out-edges of the frontier's nodes: graph_edge_transactions is sorted by src_key and carries each edge's
# kind and conduit, so only the row groups of the frontier's nodes of that one table are read. The walk
# reads numbers where it can: DuckDB decodes a string column for every row of the row groups it scans
# (about 0.9 M rows for a frontier of committees at 10 M transactions), a number column costs far less.
# Edges are told apart by ``edge_num`` (the edge id as a number, in the same order) and, when the build
# found every node key unique (``keys_unique``), beneficiaries by ``dst_key`` (the ids of the few kept
# are then looked up in graph_nodes). Then each extension of each path: the arrival it would have and its
# fate. Only the counts and the best ``max_paths`` extensions of each fate come back to Python; paths are
# ordered by the last hop's total, then by their edge ids (the parent's rank among the frontier's edge id
# lists, then the new edge id).
# One statement a hop, with no temporary table: DuckDB keeps the days (d) and the extensions (s), each
# read twice, in memory for the statement only. The lists of days are built for the kept extensions
# alone: grouping about 35 k edges of a hop with a sorted list of their days cost more than the rest of
# the grouping.
# The fate of an extension by beneficiary: by key when keys are unique, else by id.
_BY_KEY = {"nodes": "keys", "target": "$target_key::UBIGINT", "committee": "h.dst < {block}",
           "src": "NULL::VARCHAR", "node": "true"}
_BY_ID = {"nodes": "nodes", "target": "$target::VARCHAR", "committee": "starts_with(h.dst, 'C')",
          "src": "any_value(src)", "node": "h.src = f.node"}
_HOP_SQL = """
    WITH d AS MATERIALIZED (
        SELECT edge_num, date, {src} AS src, any_value(src_key) AS src_key, any_value({dst}) AS dst,
               any_value(kind) AS kind, any_value(via) AS via, CAST(sum(amount) AS DECIMAL(18,2)) AS total
        FROM graph_edge_transactions
        WHERE src_key IN ({keys}) {kinds} {window} GROUP BY edge_num, date),
    h AS (
        SELECT edge_num, any_value(src) AS src, any_value(src_key) AS src_key, any_value(dst) AS dst,
               any_value(kind) AS kind, sum(total) AS total,
               list(date) FILTER (WHERE date IS NOT NULL AND total > 0) AS paid
        FROM d GROUP BY edge_num {minimum}),
    f AS (SELECT unnest($pid::INTEGER[]) AS pid, unnest($rank::INTEGER[]) AS rank,
                 unnest($node::VARCHAR[]) AS node, unnest($key::UBIGINT[]) AS key,
                 unnest($nodes::VARCHAR[][]) AS nodes, unnest($keys::UBIGINT[][]) AS keys,
                 unnest($arrival::DATE[]) AS arrival),
    c AS (SELECT f.pid, f.rank, h.edge_num, h.dst, h.kind, h.total, {arrival} AS arrival,
                 {committee} AS committee
          FROM f JOIN h ON h.src_key = f.key AND {node}  -- by key alone where keys are unique
          WHERE NOT list_contains(f.{nodes}, h.dst)),
    s AS MATERIALIZED (
        SELECT pid, rank, edge_num, dst, total, arrival,
               CASE WHEN NOT $first AND arrival IS NULL THEN 'late'
                    WHEN dst = {target} THEN 'done'
                    WHEN kind IN ({terminal}) OR NOT committee OR $last
                        THEN CASE WHEN $target::VARCHAR IS NULL THEN 'done' ELSE 'end' END
                    ELSE 'grow' END AS fate
        FROM c),
    b AS ((SELECT * FROM s WHERE fate = 'grow' ORDER BY total DESC, rank, edge_num LIMIT $n)
          UNION ALL
          (SELECT * FROM s WHERE fate = 'done' ORDER BY total DESC, rank, edge_num LIMIT $n))
    SELECT b.pid, b.fate, NULL AS n, b.edge_num, b.dst, any_value(d.kind), any_value(d.via), b.total, b.arrival,
           list(d.date ORDER BY d.date), list(d.total ORDER BY d.date), b.rank
    FROM b JOIN d ON d.edge_num = b.edge_num
    GROUP BY b.pid, b.fate, b.edge_num, b.dst, b.total, b.arrival, b.rank
    UNION ALL
    SELECT pid, fate, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM s GROUP BY pid, fate
    ORDER BY n NULLS FIRST, fate, total DESC, rank, edge_num"""


def _key_map(store: Store, node_ids: list[str]) -> dict[str, int]:
    """The node key of each id: a committee's (C and digits) is its number; the others ask DuckDB."""
    known = {n: int(n[1:]) for n in node_ids if n[:1] == "C" and 1 < len(n) <= 18 and n[1:].isascii()
             and n[1:].isdigit()}
    rest = sorted({n for n in node_ids if n not in known})
    known.update(zip(rest, node_keys(store, rest), strict=True))
    return known


def _node_ids(store: Store, node_keys: set[int]) -> dict[int, tuple[str, str]]:
    """The id and name of each node key (where keys are unique). graph_nodes is sorted by key and holds
    each kind of node in a block of keys: only the few vectors holding them are decoded."""
    if not node_keys:
        return {}
    rows = store.rows("SELECT node_key, node_id, name FROM graph_nodes WHERE node_key IN "
                      "(SELECT unnest(?::UBIGINT[]))", [sorted(node_keys)])
    return {int(k): (str(i), str(n)) for k, i, n in rows}  # type: ignore[call-overload]


def _key(keys: dict[str, int], node: str | int) -> int:
    """A node's key: the node itself where the walk holds keys, else looked up in ``keys``."""
    return node if isinstance(node, int) else keys[node]


def _keys_unique(store: Store) -> bool:
    return store.scalar("SELECT value FROM graph_meta WHERE key = 'keys_unique'") == "True"


def _step(store: Store, frontier: list[_Path], first: bool, last: bool, target: str | None,
          since: date | None, until: date | None, min_amount: Decimal | None, max_paths: int,
          keys: dict[str, int],
          by_key: bool) -> tuple[dict[str, int], set[int], list[tuple[int, Hop, Decimal, str]]]:
    """Extend every path of the frontier by one hop: (count of each fate, paths extended, best extensions).

    The best extensions are at most ``max_paths`` of each fate ('grow' and 'done'): (path, hop, total, fate).
    ``keys`` holds the node key of every node on the frontier's paths and of the target. Where keys are
    unique the paths' nodes after the first are keys, not ids, and so are the hops' ends (``trace`` looks
    their ids up once, for the paths it reports).
    """
    order = sorted(range(len(frontier)), key=lambda i: frontier[i].edges)
    rank = [0] * len(frontier)
    for r, i in enumerate(order):
        rank[i] = r
    window, bounds = _window_sql(since, until, "date")
    params: dict[str, object] = {
        "pid": list(range(len(frontier))), "rank": rank,
        "node": ["" if by_key else p.nodes[-1] for p in frontier], "key": [_key(keys, p.nodes[-1]) for p in frontier],
        "nodes": [[] if by_key else p.nodes for p in frontier],
        "keys": [[_key(keys, n) for n in p.nodes] for p in frontier],
        "arrival": [p.hops[-1].arrival if p.hops else None for p in frontier],
        "first": first, "last": last, "target": target, "n": max_paths,
        **bounds,
    }
    if by_key:
        params["target_key"] = keys[target] if target else None
    if min_amount is not None:
        params["minimum"] = min_amount
    ends = sorted({_key(keys, p.nodes[-1]) for p in frontier})
    fates = _BY_KEY if by_key else _BY_ID
    rows = store.con.execute(_HOP_SQL.format(
        keys=", ".join(map(str, ends)), dst="dst_key" if by_key else "dst", src=fates["src"],
        kinds="" if first else "AND kind <> 'conduit pass-through'", window=window,
        minimum="HAVING sum(total) >= $minimum" if min_amount is not None else "",
        terminal=_quoted(list(TERMINAL_KINDS)), nodes=fates["nodes"], target=fates["target"], node=fates["node"],
        committee=fates["committee"].format(block=KEY_BLOCK),
        # the first hop's arrival is its earliest payment; a later hop's, its first payment on or after
        # the previous arrival (none: the path is not time-respecting)
        arrival="list_min(h.paid)" if first else "list_min(list_filter(h.paid, lambda x: x >= f.arrival))"),
        params).fetchall()
    counts: dict[str, int] = defaultdict(int)
    extended = set()
    best = []
    for pid, fate, n, edge_num, dst, kind, via, total, arrival, dates, totals, _rank in rows:
        if n is None:
            best.append((pid, Hop(f"{edge_num:016x}", frontier[pid].nodes[-1], dst, kind, via,
                                  list(zip(dates, totals, strict=True)), arrival), total, fate))
            continue
        counts[fate] += n
        if fate != "late":
            extended.add(pid)
    return counts, extended, best


def trace(store: Store, origin: str, to: str | None = None, hops: int = 3, since: date | None = None,
          until: date | None = None, min_amount: Decimal | None = None,
          max_paths: int = DEFAULT_MAX_PATHS) -> dict[str, Any]:
    """Every money path from ``origin`` (to ``to``) of at most ``hops`` hops; see the module docstring."""
    if hops < 1 or max_paths < 1:
        raise QueryError("--hops and --max-paths must be at least 1")
    start = resolve(store, origin)
    return _trace(store, start, to, hops, since, until, min_amount, max_paths)


def _trace(store: Store, start: Node, to: str | None, hops: int, since: date | None, until: date | None,
           min_amount: Decimal | None, max_paths: int) -> dict[str, Any]:
    target = resolve(store, to) if to else None
    if target is not None and target.node_id == start.node_id:
        raise QueryError("--from and --to name the same node: give two different ones")
    done: list[_Path] = []
    done_count = 0
    truncated = False
    dropped_untimely = 0
    by_key = _keys_unique(store)
    keys = _key_map(store, [start.node_id] + ([target.node_id] if target else []))
    # where keys are unique the walk holds nodes by key (numbers) and looks their ids up at the end
    frontier = [_Path([keys[start.node_id] if by_key else start.node_id])]  # type: ignore[list-item]
    for depth in range(hops):
        if not by_key:
            keys.update(_key_map(store, [p.nodes[-1] for p in frontier if p.nodes[-1] not in keys]))
        counts, extended, best = _step(store, frontier, depth == 0, depth == hops - 1,
                                       target.node_id if target else None, since, until, min_amount, max_paths,
                                       keys, by_key)
        dropped_untimely += counts.get("late", 0)
        done_count += counts.get("done", 0)
        grown: list[_Path] = []
        for pid, hop, total, fate in best:
            path = frontier[pid]
            (grown if fate == "grow" else done).append(_Path([*path.nodes, hop.dst], [*path.hops, hop], total))
        if target is None:
            # a path that cannot go on ends where it is
            stuck = [p for i, p in enumerate(frontier) if p.hops and i not in extended]
            done.extend(stuck)
            done_count += len(stuck)
        if counts.get("grow", 0) > max_paths:
            truncated = True
        frontier = grown
        if not frontier:
            break
    done.sort(key=_Path.key)
    if done_count > max_paths:
        truncated = True
        done = done[:max_paths]
    names: dict[str, str] = {}
    paths = [p.hops for p in done]
    if by_key:
        found = _node_ids(store, {n for p in done for n in p.nodes if isinstance(n, int)})
        names = dict(found.values())
        found[keys[start.node_id]] = (start.node_id, "")  # the origin's name comes with the others below
        paths = [[replace(h, src=found[h.src][0], dst=found[h.dst][0]) for h in p]  # type: ignore[index]
                 for p in paths]
    return _report(store, start, target, paths, hops, since, until, min_amount, max_paths,
                   truncated, dropped_untimely, names)


def _receipts(store: Store, wanted: dict[str, set[date]]) -> dict[str, list[tuple[date | None, Decimal]]]:
    """Each node's counted receipts up to each wanted date: the denominators of the proportional share.

    ``graph_node_receipts`` keeps every committee's running total by date; the total on or before each
    date a payment leaves the node is all the proportional share needs. They come back as receipts dated
    on those dates (the increments of the running total), which add up to the same totals on each of them.
    """
    pairs = [(node, day) for node, days in sorted(wanted.items()) for day in sorted(days)]
    cumulative: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
    if pairs:
        # the running total as of each wanted day: the last one dated on or before it (receipts sort before
        # a wanted day of the same date). A window over the few nodes' rows, where DuckDB would plan an
        # ASOF join with so few rows as a nested loop.
        for node, day, total in store.rows(f"""
                WITH u AS (SELECT node_id AS node, date AS day, cumulative, 0 AS o FROM graph_node_receipts
                           WHERE node_id IN ({_quoted(sorted(wanted))})
                           UNION ALL
                           SELECT unnest(?::VARCHAR[]), unnest(?::DATE[]), NULL, 1)
                SELECT node, day, coalesce(last_value(cumulative IGNORE NULLS)
                                           OVER (PARTITION BY node ORDER BY day, o ROWS UNBOUNDED PRECEDING), 0)
                FROM u QUALIFY o = 1 ORDER BY 1, 2""", [[n for n, _ in pairs], [d for _, d in pairs]]):
            cumulative[str(node)].append((day, total))  # type: ignore[arg-type]
    out: dict[str, list[tuple[date | None, Decimal]]] = {}
    for node, running in cumulative.items():
        previous = Decimal("0.00")
        out[node] = []
        for day, total in running:
            out[node].append((day, total - previous))
            previous = total
    return out


def _report(store: Store, start: Node, target: Node | None, paths: list[list[Hop]], hops: int,
            since: date | None, until: date | None, min_amount: Decimal | None, max_paths: int,
            truncated: bool, dropped_untimely: int, names: dict[str, str]) -> dict[str, Any]:
    def nodes(path: list[Hop]) -> list[str]:
        return [start.node_id, *(h.dst for h in path)]

    # the transactions of each hop in the window: their rowids by payer key and edge number (numbers
    # only), then their ids by rowid (a lookup by edge id would decode two string columns of whole row groups)
    window, bounds = _window_sql(since, until, "date")
    hops_all = [h for p in paths for h in p]
    found = store.rows(f"""
        SELECT rowid, edge_num FROM graph_edge_transactions
        WHERE src_key IN ({", ".join(map(str, set(_key_map(store, [h.src for h in hops_all]).values())))})
          AND edge_num IN (SELECT unnest($edges::UBIGINT[])) {window}""",
                       {"edges": sorted({int(h.edge_id, 16) for h in hops_all}), **bounds}) if hops_all else []
    edge_of = {row: f"{edge_num:016x}" for row, edge_num in found}
    txns: dict[str, list[str]] = defaultdict(list)
    if edge_of:
        for row, txn_id in store.rows("""
                SELECT rowid, txn_id FROM graph_edge_transactions WHERE rowid IN (SELECT unnest(?::BIGINT[]))
                ORDER BY date, txn_id""", [sorted(edge_of)]):
            txns[edge_of[row]].append(str(txn_id))  # type: ignore[index]
    # names not known already (``names`` holds those looked up with the walk's ids)
    names = names | node_names(store, ({n for p in paths for n in nodes(p)}
                                       | {h.via for p in paths for h in p if h.via}) - names.keys())
    # the dates on which each node between two hops paid the next one
    wanted: dict[str, set[date]] = defaultdict(set)
    for path in paths:
        for hop in path[1:]:
            wanted[hop.src].update(d for d, _ in hop.days if d is not None)
    receipts_cache = _receipts(store, wanted)
    out = []
    for path in paths:
        figures = attribution.attribute([h.days for h in path], [receipts_cache.get(h.dst, []) for h in path[:-1]])
        out.append({
            "nodes": [{"id": n, "name": names.get(n, n)} for n in nodes(path)],
            "hops": [{
                "from": h.src, "to": h.dst, "kind": h.kind, "via": h.via,
                "via_name": names.get(h.via) if h.via else None,
                "amount": h.total, "first_date": min((d for d, _ in h.days if d), default=None),
                "last_date": max((d for d, _ in h.days if d), default=None), "arrival": h.arrival,
                "transactions": len(txns[h.edge_id]), "edge_id": h.edge_id, "txn_ids": txns[h.edge_id],
            } for h in path],
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
