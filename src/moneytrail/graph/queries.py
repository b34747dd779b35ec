"""Profiles read from the money graph: a donor's giving, a committee's money in and out, a candidate's money.

Each function returns plain data (dicts and lists of JSON-ready values; money as Decimal) for the CLI
and any future web API. Every figure carries the ``txn_ids`` it sums; ``cite.citations`` turns them
into source files, lines and FEC links.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import NotFoundError
from ..store import Store
from .build import ensure, has_table, node_keys, node_type_sql, normalized_name_sql

NODE_TYPES = ("donor", "committee", "candidate", "payee")
MAX_CHOICES = 15


@dataclass(frozen=True)
class Node:
    node_id: str
    node_type: str
    name: str
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    detail: str | None = None

    def label(self) -> str:
        place = ", ".join(p for p in (self.city, self.state) if p)
        return f"{self.name} ({self.node_type} {self.node_id}{'; ' + place if place else ''})"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class AmbiguousNameError(NotFoundError):
    """A name matches more than one node; ``choices`` lists them."""

    def __init__(self, message: str, choices: list[Node]) -> None:
        super().__init__(message)
        self.choices = choices


def _pool_sql(types: tuple[str, ...]) -> str:
    """Nodes of the graph, plus committees and candidates of the master files that no money touches."""
    wanted = ", ".join(f"'{t}'" for t in types)
    latest = normalized_name_sql("arg_max(name, cycle)")
    parts = [f"""SELECT node_id, node_type, name, name_key, city, state, zip, detail FROM graph_nodes
                 WHERE node_type IN ({wanted})"""]
    if "committee" in types:
        parts.append(f"""SELECT committee_id, 'committee', arg_max(name, cycle), {latest},
                                arg_max(city, cycle), arg_max(state, cycle), arg_max(zip, cycle),
                                arg_max(committee_type || coalesce('/' || designation, ''), cycle)
                         FROM committees WHERE committee_id NOT IN (SELECT node_id FROM graph_nodes) GROUP BY 1""")
    if "candidate" in types:
        parts.append(f"""SELECT candidate_id, 'candidate', arg_max(name, cycle), {latest},
                                arg_max(city, cycle), arg_max(state, cycle), arg_max(zip, cycle),
                                arg_max(office || coalesce('-' || office_state, ''), cycle)
                         FROM candidates WHERE candidate_id NOT IN (SELECT node_id FROM graph_nodes) GROUP BY 1""")
    return " UNION ALL ".join(parts)


def _nodes(rows: list[tuple[Any, ...]]) -> list[Node]:
    return [Node(*(str(v) if v is not None else None for v in r[:2]), *r[2:7]) for r in rows]  # type: ignore[misc]


def resolve(store: Store, text: str, types: tuple[str, ...] = NODE_TYPES) -> Node:
    """The one node that ``text`` names: an id (C00..., H0..., D:NAME|ZIP, a donor_id) or a name.

    Names match exactly (letters and digits, any case), else (for donors) a name the donor's records
    carry, else as a part of one name. Several matches
    raise AmbiguousNameError listing them; none raises NotFoundError with the closest names.
    """
    ensure(store)
    pool = _pool_sql(types)
    cols = "node_id, node_type, name, city, state, zip, detail"
    query = text.strip()
    # found by node key (graph_nodes is sorted by it): each of the two lookups reads one row group
    ids = [query, "D:" + query]
    keys = node_keys(store, ids)
    exact = store.rows(f"""SELECT {cols} FROM graph_nodes WHERE node_key = ? AND node_id = ?
                                                         AND node_type IN ({_quoted(types)})
                           UNION ALL
                           SELECT {cols} FROM graph_nodes WHERE node_key = ? AND node_id = ?
                                                         AND node_type IN ({_quoted(types)})""",
                       [keys[0], ids[0], keys[1], ids[1]])
    if len(exact) == 1:
        return _nodes(exact)[0]
    by_id = store.rows(f"SELECT {cols} FROM ({pool}) WHERE upper(node_id) IN (upper(?), upper('D:' || ?))",
                       [query, query])
    if len(by_id) == 1:
        return _nodes(by_id)[0]
    key = store.scalar(f"SELECT {normalized_name_sql('?')}", [query])
    if not key:
        raise NotFoundError("give a name or an id (C00..., H0..., D:NAME|ZIP) to look up")
    found = store.rows(f"SELECT {cols} FROM ({pool}) WHERE name_key = ? ORDER BY node_type, node_id "
                       f"LIMIT {MAX_CHOICES + 1}", [key])
    if not found and "donor" in types:
        found = _donors_by_record_name(store, query, cols)
    if not found and len(str(key)) >= 3:
        found = store.rows(f"SELECT {cols} FROM ({pool}) WHERE contains(name_key, ?) "
                           f"ORDER BY length(name_key), node_id LIMIT {MAX_CHOICES + 1}", [key])
    what = " or ".join(types)
    if len(found) == 1:
        return _nodes(found)[0]
    if found:
        choices = _nodes(found[:MAX_CHOICES])
        more = " and more" if len(found) > MAX_CHOICES else ""
        raise AmbiguousNameError(
            f"{text!r} names {len(choices)}{more} {what} nodes; give one of their ids: "
            + "; ".join(c.label() for c in choices), choices)
    close = store.rows(f"""SELECT {cols} FROM ({pool})
                           ORDER BY jaro_winkler_similarity(name_key, ?) DESC, node_id LIMIT 5""", [key])
    hint = "; closest: " + "; ".join(n.label() for n in _nodes(close)) if close else ""
    raise NotFoundError(f"no {what} named {text!r} in the store{hint}")


def _donors_by_record_name(store: Store, text: str, cols: str) -> list[tuple[Any, ...]]:
    """Resolved donors any of whose records carry the name ``text``.

    A resolved donor's node shows its most frequent spelling ('HAMMETT, BEN'), so a name the donor
    also gave under ('HAMMETT, BENJAMIN') is looked up in its records' normalized names.
    """
    if not has_table(store, "donor_nodes"):
        return []
    from ..resolve.normalize import normalize_name  # imported here: resolve imports the store package

    parts = normalize_name(text)
    if not parts["surname"] or not parts["first_name"]:
        return []
    # a middle initial narrows the match only when the name gives one
    return store.rows(f"""SELECT {cols} FROM graph_nodes WHERE node_type = 'donor' AND node_id IN (
                              SELECT 'D:' || donor_id FROM donor_nodes
                              WHERE surname = ? AND first_name = ? AND (? IS NULL OR middle_initial = ?))
                          ORDER BY node_id LIMIT {MAX_CHOICES + 1}""",
                      [parts["surname"], parts["first_name"], parts["middle_initial"], parts["middle_initial"]])


def _money(value: Any) -> Decimal:
    return Decimal(value) if value is not None else Decimal("0.00")


def _window_sql(since: date | None, until: date | None, col: str = "t.date",
                cycles: list[int] | None = None, cycle_col: str = "t.cycle") -> tuple[str, dict[str, Any]]:
    """`` AND col >= $since AND col <= $until`` (and ``AND t.cycle IN (...)``) for the bounds given, and their
    values as named parameters."""
    bounds: dict[str, Any] = {name: day for name, day in (("since", since), ("until", until)) if day is not None}
    ops = {"since": ">=", "until": "<="}
    sql = "".join(f" AND {col} {ops[name]} ${name}" for name in bounds)
    if cycles:
        sql += f" AND {cycle_col} IN (SELECT unnest($cycles))"
        bounds["cycles"] = list(cycles)
    return sql, bounds


def _quoted(values: Iterable[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def node_names(store: Store, node_ids: Iterable[str]) -> dict[str, str]:
    """The name of each node. graph_nodes is sorted by node key: one lookup per kind of id (committees,
    donors, payees, others), each reading only the row groups of its own kind's block of keys."""
    groups: dict[str, list[str]] = {}
    for node_id in sorted(set(node_ids)):
        groups.setdefault(node_id[:2] if node_id[:2] in ("D:", "V:") else node_id[:1], []).append(node_id)
    parts = []
    for ids in groups.values():
        keys = ", ".join(str(k) for k in node_keys(store, ids))
        parts.append(f"SELECT node_id, name FROM graph_nodes "
                     f"WHERE node_key IN ({keys}) AND node_id IN ({_quoted(ids)})")
    return {str(k): v for k, v in store.rows(" UNION ALL ".join(parts))} if parts else {}  # type: ignore[misc]


def _named(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill in the names of the counterparties and conduits of profile rows (in place; returns them)."""
    names = node_names(store, [r.get("recipient") or r.get("counterparty") for r in rows]
                       + [r["via"] for r in rows if r["via"]])
    for r in rows:
        r["name"] = names.get(r.get("recipient") or r.get("counterparty"))  # type: ignore[arg-type]
        r["via_name"] = names.get(r["via"]) if r["via"] else None
    return rows


def _flows(store: Store, side: str, node_id: str, since: date | None, until: date | None,
           by_cycle: bool, cycles: list[int] | None = None) -> list[dict[str, Any]]:
    """Edges out of (side='src') or into (side='dst') a node, with their transactions, in the window.

    Out of a node: ``graph_edge_transactions`` (sorted by ``src_key``, with each edge's kind and conduit);
    into a node: ``graph_in_transactions`` (sorted by ``dst_key``). Either way one table, and only the row
    groups of that node, are read.
    The type of each counterparty follows from its id (as in graph_nodes); names are left out (None)
    for ``_named`` to fill in for the rows a profile shows.
    """
    window, bounds = _window_sql(since, until, cycles=cycles)
    named: dict[str, object] = {"node": node_id, "key": node_keys(store, [node_id])[0], **bounds}
    cycle = "t.cycle" if by_cycle else "NULL"
    if side == "src":
        source = """SELECT edge_id, dst AS other, kind, via, counts, txn_id, date, amount, cycle
                    FROM graph_edge_transactions WHERE src_key = $key AND src = $node"""
    else:
        source = """SELECT edge_id, src AS other, kind, via, counts, txn_id, date, amount, cycle
                    FROM graph_in_transactions WHERE dst_key = $key AND dst = $node"""
    rows = store.rows(f"""
        WITH t AS ({source}),
        g AS (SELECT {cycle} AS cycle, t.other, t.kind, t.via, t.counts, CAST(sum(t.amount) AS DECIMAL(18,2)) AS total,
                     count(*) AS n, min(t.date) AS first, max(t.date) AS last,
                     list(t.txn_id ORDER BY t.date, t.txn_id) AS txn_ids, list(DISTINCT t.edge_id) AS edge_ids
              FROM t WHERE true {window} GROUP BY ALL)
        SELECT g.cycle, g.other, {node_type_sql("g.other")}, NULL, g.kind, g.via, NULL, g.counts, g.total,
               g.n, g.first, g.last, g.txn_ids, g.edge_ids
        FROM g
        ORDER BY g.total DESC, g.other, g.kind, g.via NULLS FIRST, g.cycle""", named)
    keys = ["cycle", "id", "type", "name", "kind", "via", "via_name", "counts", "total", "transactions",
            "first_date", "last_date", "txn_ids", "edge_ids"]
    out = []
    for r in rows:
        d = dict(zip(keys, r, strict=True))
        d["counterparty" if side == "dst" else "recipient"] = d.pop("id")
        if not by_cycle:
            del d["cycle"]
        out.append(d)
    return out


def _total(rows: list[dict[str, Any]]) -> Decimal:
    return sum((r["total"] for r in rows if r["counts"]), Decimal("0.00"))


def donor_profile(store: Store, who: str, since: date | None = None, until: date | None = None,
                  cycles: list[int] | None = None) -> dict[str, Any]:
    """Who a donor gave to, by cycle and recipient: directly, and earmarked through conduits (``via``)."""
    node = resolve(store, who, ("donor",))
    given = _named(store, _flows(store, "src", node.node_id, since, until, by_cycle=True, cycles=cycles))
    by_cycle: dict[int, Decimal] = {}
    for r in given:
        if r["counts"]:
            by_cycle[r["cycle"]] = by_cycle.get(r["cycle"], Decimal("0.00")) + r["total"]
    return {
        "donor": node.as_dict(), "since": since, "until": until, "cycles": cycles,
        "total": _total(given),
        "by_cycle": [{"cycle": c, "total": t} for c, t in sorted(by_cycle.items())],
        "gifts": given,
        "rule": "sum of the donor's counted transactions in the graph (docs/tracing.md); earmarked gifts "
                "are counted once, at the recipient, with the conduit in via",
    }


def _top(rows: list[dict[str, Any]], types: tuple[str, ...], top: int) -> list[dict[str, Any]]:
    return [r for r in rows if r["type"] in types][:top]


def committee_profile(store: Store, who: str, top: int = 10, since: date | None = None,
                      until: date | None = None, cycles: list[int] | None = None) -> dict[str, Any]:
    """Who funded a committee (top donors, top committees) and where its money went."""
    node = resolve(store, who, ("committee",))
    received = _flows(store, "dst", node.node_id, since, until, by_cycle=False, cycles=cycles)
    paid = _flows(store, "src", node.node_id, since, until, by_cycle=False, cycles=cycles)
    counted_in = [r for r in received if r["counts"]]
    counted_out = [r for r in paid if r["counts"]]
    shown = {
        "top_donors": _top(counted_in, ("donor",), top),
        "top_committees": _top(counted_in, ("committee",), top),
        "from_candidates": _top(counted_in, ("candidate",), top),
        "to_committees": _top(counted_out, ("committee",), top),
        "to_candidates": _top(counted_out, ("candidate",), top),
        "to_payees": _top(counted_out, ("payee", "donor"), top),
        "passed_through": [r for r in paid if not r["counts"]][:top],
    }
    _named(store, [r for rows in shown.values() for r in rows])
    return {
        "committee": node.as_dict(), "since": since, "until": until, "cycles": cycles,
        "received": _total(received), "paid": _total(paid),
        **shown,
        "counts": {"received_from": len(counted_in), "paid_to": len(counted_out)},
        "rule": "one side per payment (docs/tracing.md); refunds net into the edge they refund; conduit "
                "pass-throughs are listed but not summed",
    }


def candidate_profile(store: Store, who: str, top: int = 10, since: date | None = None,
                      until: date | None = None, cycles: list[int] | None = None) -> dict[str, Any]:
    """Money to a candidate's committees and independent expenditures for and against the candidate."""
    node = resolve(store, who, ("candidate",))
    committees = store.rows("""
        SELECT DISTINCT committee_id FROM (
            SELECT committee_id FROM candidate_committees WHERE candidate_id = ?
            UNION SELECT committee_id FROM committees WHERE candidate_id = ?) ORDER BY 1""",
                            [node.node_id, node.node_id])
    own = []
    for (committee_id,) in committees:
        received = [r for r in _flows(store, "dst", committee_id, since, until, by_cycle=False, cycles=cycles)
                    if r["counts"]]
        name = store.scalar("SELECT name FROM graph_nodes WHERE node_id = ?", [committee_id]) or store.scalar(
            "SELECT arg_max(name, cycle) FROM committees WHERE committee_id = ?", [committee_id])
        own.append({"committee_id": committee_id, "name": name, "received": _total(received),
                    "top_donors": _named(store, _top(received, ("donor",), top)),
                    "top_committees": _named(store, _top(received, ("committee",), top))})
    about = _named(store, _flows(store, "dst", node.node_id, since, until, by_cycle=False, cycles=cycles))
    support = [r for r in about if r["kind"] == "independent expenditure for"]
    oppose = [r for r in about if r["kind"] == "independent expenditure against"]
    other = [r for r in about if r["kind"] not in ("independent expenditure for", "independent expenditure against")]
    return {
        "candidate": node.as_dict(), "since": since, "until": until, "cycles": cycles,
        "committees": own,
        "received_by_committees": sum((c["received"] for c in own), Decimal("0.00")),
        "independent_expenditures_for": support, "total_for": _total(support),
        "independent_expenditures_against": oppose, "total_against": _total(oppose),
        "other": other,
        "rule": "committees from candidate_committees and committees.candidate_id; independent expenditures "
                "are 24E (for) and 24A (against) rows naming the candidate",
    }
