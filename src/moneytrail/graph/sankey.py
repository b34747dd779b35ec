"""Sankey diagrams of money flows as self-contained SVG, or HTML with the SVG inline (nothing fetched).

Written here rather than with a plotting library: a Sankey of a trace or a profile is a few columns of
boxes and bands, about 150 lines of SVG, where plotly would add a 4 MB script to every file and
tens of MB to the install. Each band's tooltip gives the amount, the kind and the number of
transactions behind it.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import InputError

PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]
WIDTH, NODE_W, PAD, MARGIN, LABEL_W = 1100, 14, 12, 20, 260


@dataclass(frozen=True)
class Key:
    column: int
    node_id: str
    label: str


@dataclass
class Link:
    src: Key
    dst: Key
    amount: Decimal
    title: str


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def links_from_trace(result: dict[str, Any]) -> list[Link]:
    """One band per hop of every path; a node appears once per column (its hop depth)."""
    merged: dict[tuple[Key, Key, str], tuple[Decimal, int]] = {}
    for path in result["paths"]:
        nodes = path["nodes"]
        for i, hop in enumerate(path["hops"]):
            key = (Key(i, nodes[i]["id"], nodes[i]["name"]), Key(i + 1, nodes[i + 1]["id"], nodes[i + 1]["name"]),
                   hop["kind"] + (f" via {hop['via_name'] or hop['via']}" if hop["via"] else ""))
            merged[key] = (hop["amount"], hop["transactions"])  # the same edge in two paths is one band
    return [Link(s, d, amount, f"{kind}: {_money(amount)} in {n} transactions")
            for (s, d, kind), (amount, n) in merged.items()]


def links_from_profile(profile: dict[str, Any]) -> list[Link]:
    """Money in on the left, the profiled node in the middle, money out on the right."""
    who = profile.get("donor") or profile.get("committee") or profile["candidate"]
    centre_col = 0 if "donor" in profile else 1
    centre = Key(centre_col, who["node_id"], who["name"])
    out: list[Link] = []
    incoming = [*profile.get("top_donors", []), *profile.get("top_committees", []),
                *profile.get("from_candidates", [])]
    outgoing = [*profile.get("gifts", []), *profile.get("to_committees", []), *profile.get("to_candidates", []),
                *profile.get("to_payees", [])]
    for row in incoming:
        out.append(Link(Key(0, row["counterparty"], row["name"] or row["counterparty"]), centre, row["total"],
                        f"{row['kind']}: {_money(row['total'])} in {row['transactions']} transactions"))
    for row in outgoing:
        via = f" via {row['via_name'] or row['via']}" if row.get("via") else ""
        out.append(Link(centre, Key(centre_col + 1, row["recipient"], row["name"] or row["recipient"]), row["total"],
                        f"{row['kind']}{via}: {_money(row['total'])} in {row['transactions']} transactions"))
    for ie in [*profile.get("independent_expenditures_for", []), *profile.get("independent_expenditures_against", [])]:
        out.append(Link(Key(0, ie["counterparty"], ie["name"] or ie["counterparty"]), centre, ie["total"],
                        f"{ie['kind']}: {_money(ie['total'])} in {ie['transactions']} transactions"))
    for c in profile.get("committees", []):
        for row in [*c["top_donors"], *c["top_committees"]]:
            out.append(Link(Key(0, row["counterparty"], row["name"] or row["counterparty"]),
                            Key(1, c["committee_id"], c["name"] or c["committee_id"]), row["total"],
                            f"{row['kind']}: {_money(row['total'])} in {row['transactions']} transactions"))
    return out


def svg(links: list[Link], title: str) -> str:
    """The diagram as an SVG element (no namespace attribute needed inline in HTML; added for .svg files)."""
    links = [lk for lk in links if lk.amount > 0]
    inflow: dict[Key, Decimal] = defaultdict(Decimal)
    outflow: dict[Key, Decimal] = defaultdict(Decimal)
    for lk in links:
        outflow[lk.src] += lk.amount
        inflow[lk.dst] += lk.amount
    nodes = sorted(set(inflow) | set(outflow), key=lambda k: (k.column, -max(inflow[k], outflow[k]), k.node_id))
    columns: dict[int, list[Key]] = defaultdict(list)
    for k in nodes:
        columns[k.column].append(k)
    value = {k: max(inflow[k], outflow[k]) for k in nodes}
    tallest = max((len(c) for c in columns.values()), default=1)
    height = max(240, 40 * tallest + 60)
    biggest = max((sum(value[k] for k in c) for c in columns.values()), default=Decimal(1)) or Decimal(1)
    scale = float(height - 60 - PAD * (tallest - 1)) / float(biggest)
    ncols = max(columns, default=0) + 1
    step = (WIDTH - 2 * MARGIN - NODE_W - LABEL_W) / max(ncols - 1, 1)
    pos: dict[Key, tuple[float, float, float]] = {}
    for col, keys in columns.items():
        y = 40.0
        for k in keys:
            h = max(float(value[k]) * scale, 2.0)
            pos[k] = (MARGIN + col * step, y, h)
            y += h + PAD
    parts = [f'<svg width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-label="{html.escape(title)}">',
             f'<text x="{MARGIN}" y="22" class="t">{html.escape(title)}</text>']
    out_off: dict[Key, float] = defaultdict(float)
    in_off: dict[Key, float] = defaultdict(float)
    colour = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(nodes)}
    for lk in sorted(links, key=lambda x: (pos[x.src][1], pos[x.dst][1])):
        (sx, sy, _), (dx, dy, _) = pos[lk.src], pos[lk.dst]
        w = max(float(lk.amount) * scale, 1.0)
        y0, y1 = sy + out_off[lk.src], dy + in_off[lk.dst]
        out_off[lk.src] += w
        in_off[lk.dst] += w
        x0, x1 = sx + NODE_W, dx
        mid = (x0 + x1) / 2
        d = (f"M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f} "
             f"L{x1:.1f},{y1 + w:.1f} C{mid:.1f},{y1 + w:.1f} {mid:.1f},{y0 + w:.1f} {x0:.1f},{y0 + w:.1f} Z")
        tip = f"{lk.src.label} -> {lk.dst.label}: {lk.title}"
        parts.append(f'<path d="{d}" fill="{colour[lk.src]}" fill-opacity="0.35"><title>{html.escape(tip)}'
                     "</title></path>")
    for k in nodes:
        x, y, h = pos[k]
        tip = f"{k.label} ({k.node_id}): in {_money(inflow[k])}, out {_money(outflow[k])}"
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_W}" height="{h:.1f}" fill="{colour[k]}">'
                     f"<title>{html.escape(tip)}</title></rect>")
        label = k.label if len(k.label) <= 40 else k.label[:39] + "..."
        parts.append(f'<text x="{x + NODE_W + 4:.1f}" y="{y + h / 2 + 4:.1f}" class="n">{html.escape(label)} '
                     f"{_money(value[k])}</text>")
    parts.append("</svg>")
    return "\n".join(parts)


STYLE = "body{font-family:sans-serif;margin:1em} .t{font-size:15px;font-weight:bold} .n{font-size:11px}"


def write(links: list[Link], title: str, output: Path, note: str = "") -> Path:
    """Write ``output`` as .html (SVG inline, styles inline, no script, no external reference) or .svg."""
    body = svg(links, title)
    suffix = output.suffix.lower()
    if suffix == ".svg":
        text = body.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        text = text.replace("</svg>", f"<style>{STYLE}</style></svg>")
    elif suffix in (".html", ".htm"):
        text = (f"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
                f"<style>{STYLE}</style></head><body>\n{body}\n<p>{html.escape(note)}</p>\n</body></html>\n")
    else:
        raise InputError(f"cannot write {output.name}: give --output a .html or .svg file name")
    output.write_text(text, encoding="utf-8")
    return output
