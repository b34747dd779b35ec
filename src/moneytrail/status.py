"""What is in a store: sources, cycles, row counts, totals, rejected rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .store import Store

SUPERSEDED = "superseded by a later amendment, or by the same row read from another file (see superseded_by)"


def status(store: Store) -> dict[str, Any]:
    """A summary of the store, as plain data (the CLI prints it; ``--json`` emits it)."""
    files = store.rows("""
        SELECT source, file_kind, cycle, count(*), sum(rows_read), sum(rows_loaded), sum(rows_new),
               sum(rows_already_loaded), sum(rows_rejected)
        FROM loads GROUP BY ALL ORDER BY source, cycle, file_kind""")
    tables = {t: store.scalar(f"SELECT count(*) FROM {t}") for t in
              ("transactions", "committees", "candidates", "candidate_committees", "rejected_rows")}
    totals = store.rows("""
        SELECT cycle, direction, kind, count(*) AS rows, sum(amount) AS total
        FROM transactions WHERE counts_toward_totals
        GROUP BY ALL ORDER BY cycle, direction, total DESC""")
    # Rows left out of the flows (all but a conduit's legs are out of its totals too; each note says).
    # Superseded rows name the row that replaced them, one note each: summed here as one reason.
    not_counted = store.rows(f"""
        SELECT CASE WHEN superseded_by IS NULL THEN counting_note ELSE '{SUPERSEDED}' END, count(*)
        FROM transactions WHERE NOT counts_in_flows
        GROUP BY ALL ORDER BY 2 DESC""")
    rejected = store.rows("SELECT source_file, reason, count(*) FROM rejected_rows GROUP BY ALL ORDER BY 3 DESC")
    filings = store.rows("""
        SELECT f.filing_id, f.form_type, f.filer_id, f.report_type, f.superseded_by_filing_id,
               count(c.line), count(c.line) FILTER (WHERE NOT c.ok),
               list(c.line || ' off by ' || c.difference ORDER BY c.line) FILTER (WHERE NOT c.ok)
        FROM filings f LEFT JOIN filing_checks c USING (filing_id)
        GROUP BY ALL ORDER BY f.filing_id""")
    keys = ["source", "file_kind", "cycle", "files", "rows_read", "rows_loaded", "rows_new",
            "rows_already_loaded", "rows_rejected"]
    return {
        "store": str(store.root),
        "loads": [dict(zip(keys, row, strict=True)) for row in files],
        "tables": tables,
        "totals": [{"cycle": c, "direction": d, "kind": k, "rows": n, "total": t}
                   for c, d, k, n, t in totals],
        "not_counted": [{"counting_note": note, "rows": n} for note, n in not_counted],
        "rejected": [{"source_file": f, "reason": r, "rows": n} for f, r, n in rejected],
        # FEC electronic filings: amendments and the reconciliation of each summary page (filing_checks).
        "filings": [{"filing_id": fid, "form_type": form, "filer_id": filer, "report_type": rpt,
                     "superseded_by": sup, "lines_checked": n, "lines_off": bad, "mismatches": off or []}
                    for fid, form, filer, rpt, sup, n, bad, off in filings],
    }


def money(value: Decimal | None) -> str:
    """Dollars as a reader writes them: $1,234.50, -$500.00."""
    if value is None:
        return ""
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"
