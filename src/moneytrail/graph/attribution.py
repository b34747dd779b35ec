"""How much of one node's money could have reached another along a path: three figures, three rules.

Money is fungible: once a donor's check is deposited, no record says which dollars a committee later
paid out. For a path X -> A -> B -> ... each hop is a list of dated payments (the hop's transactions in
the time window). The figures (docs/tracing.md, "Attribution"):

(a) ``direct``: the amount paid on each hop, as filed. Rule ``direct``.
(b) ``upper_bound``: the most of X's money that could have reached the end of the path. Money cannot
    move before it arrives, so it is computed hop by hop in date order: X's money that has arrived at A
    and not yet been counted as moved on is available; each payment A -> B dated on or after the
    arrival moves ``min(payment, available)``. Payments on the same date as an arrival may carry it.
    Rule ``time-respecting bound``. ``min_along_path`` (the smallest hop total, ignoring dates) is given
    beside it; the bound is never larger.
(c) ``proportional``: X's share of A's receipts up to each payment A -> B, times that payment:
    ``share(t) = X's money arrived at A on or before t / all A's counted receipts on or before t`` (at
    most 1). What arrives at B this way is X's money at B for the next hop. Rule ``proportional share``.

Arithmetic is exact (fractions of cents); each figure is rounded half-to-even to the cent once, at
the end. Undated payments cannot be placed in time and are left out of (b) and (c) (their sum is
reported as ``undated``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate

Payments = Sequence[tuple[date | None, Decimal]]

ROUNDING = "exact fractions, rounded half-to-even to the cent once, at the end"
RULES = {
    "direct": "the hop's payments as filed, summed",
    "min_along_path": "the smallest hop total along the path, ignoring dates",
    "upper_bound": "time-respecting bound: each payment moves at most the origin's money that arrived on or "
                   "before its date and has not already moved on",
    "proportional": "proportional share: the origin's share of the payer's receipts up to each payment, "
                    "times the payment",
}


def cents(value: Fraction | Decimal | int) -> Decimal:
    """Round half-to-even to the cent."""
    return Decimal(round(Fraction(value) * 100)).scaleb(-2) + Decimal("0.00")


def _dated(payments: Payments) -> list[tuple[date, Fraction]]:
    return sorted((d, Fraction(a)) for d, a in payments if d is not None)


def direct(hops: Sequence[Payments]) -> list[Decimal]:
    """(a) Each hop's total as filed."""
    return [sum((Decimal(a) for _, a in hop), Decimal("0.00")) for hop in hops]


def upper_bound_flows(hops: Sequence[Payments]) -> list[list[tuple[date, Fraction]]]:
    """(b) Per hop, the dated amounts of the origin's money that could have moved along it."""
    arrivals = [(d, a) for d, a in _dated(hops[0]) if a > 0] if hops else []
    flows = [arrivals]
    for hop in hops[1:]:
        # incoming before outgoing on the same date: money deposited that day may be paid out that day
        events = sorted([(d, 0, a) for d, a in arrivals] + [(d, 1, a) for d, a in _dated(hop)])
        available, moved = Fraction(0), []
        for day, outgoing, amount in events:
            if not outgoing:
                available += amount
            elif amount > 0 and available > 0:
                step = min(amount, available)
                available -= step
                moved.append((day, step))
        arrivals = moved
        flows.append(moved)
    return flows


def upper_bound(hops: Sequence[Payments]) -> list[Decimal]:
    return [cents(sum((a for _, a in flow), Fraction(0))) for flow in upper_bound_flows(hops)]


def min_along_path(hops: Sequence[Payments]) -> Decimal:
    return min(direct(hops)) if hops else Decimal("0.00")


def proportional(hops: Sequence[Payments], receipts: Sequence[Payments]) -> list[Decimal]:
    """(c) The origin's proportional share carried by each hop.

    ``receipts[i]`` are all counted receipts of the payer of hop ``i + 1`` (the node between hop ``i``
    and hop ``i + 1``), dated.
    """
    if not hops:
        return []
    arrivals = _dated(hops[0])
    out = [sum((a for _, a in arrivals), Fraction(0))]
    for hop, node_receipts in zip(hops[1:], receipts, strict=True):
        in_days = [d for d, _ in arrivals]
        in_cum = list(accumulate(a for _, a in arrivals))
        rc = _dated(node_receipts)
        rc_days = [d for d, _ in rc]
        rc_cum = list(accumulate(a for _, a in rc))
        carried = []
        for day, amount in _dated(hop):
            i, j = bisect_right(in_days, day), bisect_right(rc_days, day)
            mine = in_cum[i - 1] if i else Fraction(0)
            total = rc_cum[j - 1] if j else Fraction(0)
            if mine <= 0:
                share = Fraction(0)
            elif total <= mine:
                share = Fraction(1)
            else:
                share = mine / total
            carried.append((day, amount * share))
        arrivals = carried
        out.append(sum((a for _, a in carried), Fraction(0)))
    return [cents(v) for v in out]


def undated(hops: Sequence[Payments]) -> Decimal:
    return sum((Decimal(a) for hop in hops for d, a in hop if d is None), Decimal("0.00"))


def attribute(hops: Sequence[Payments], receipts: Sequence[Payments]) -> dict[str, object]:
    """All three figures for one path, each with the rule that made it."""
    bound = upper_bound(hops)
    share = proportional(hops, receipts)
    return {
        "direct": direct(hops),
        "min_along_path": min_along_path(hops),
        "upper_bound": bound[-1] if bound else Decimal("0.00"),
        "upper_bound_by_hop": bound,
        "proportional": share[-1] if share else Decimal("0.00"),
        "proportional_by_hop": share,
        "undated": undated(hops),
    }
