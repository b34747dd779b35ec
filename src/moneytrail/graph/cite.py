"""Citations: each transaction back to its source file and line, and to its filing on the FEC's site."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..store import Store

FEC_IMAGE = "https://docquery.fec.gov/cgi-bin/fecimg/?{image_number}"
FEC_FILING = "https://docquery.fec.gov/cgi-bin/forms/{committee_id}/{filing_id}/"


def links(filer_id: str | None, filing_id: int | None, image_number: str | None) -> dict[str, str | None]:
    """The FEC's page image and filing for a transaction, when its record names them."""
    return {
        "image_url": FEC_IMAGE.format(image_number=image_number) if image_number else None,
        "filing_url": (FEC_FILING.format(committee_id=filer_id, filing_id=filing_id)
                       if filer_id and filing_id else None),
    }


def citations(store: Store, txn_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """txn_id -> where the row came from: source, file and line, filing and image with their FEC links."""
    ids = sorted(set(txn_ids))
    if not ids:
        return {}
    rows = store.rows("""
        SELECT txn_id, source, source_file, source_line, filer_id, fec_transaction_type, name, date, amount,
               net_amount, filing_id, image_number, counting_note
        FROM transactions WHERE txn_id IN (SELECT unnest(?::VARCHAR[]))""", [ids])
    out: dict[str, dict[str, Any]] = {}
    for (txn_id, source, source_file, source_line, filer_id, ft, name, day, amount, net, filing_id, image,
         note) in rows:
        out[str(txn_id)] = {
            "txn_id": txn_id, "source": source, "source_file": source_file, "source_line": source_line,
            "filer_id": filer_id, "fec_transaction_type": ft, "name": name, "date": day, "amount": amount,
            "net_amount": net, "filing_id": filing_id, "image_number": image, "counting_note": note,
            **links(filer_id, filing_id, image),
        }
    return out
