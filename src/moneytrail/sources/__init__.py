"""Readers of each record format. ``detect`` picks the reader for a file by its name and shape.

A reader turns one file into lazy frames, one per store table it feeds, whose rows carry the table's
columns plus ``reject_reason`` (null for a good row) and ``raw`` (the line as read).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import polars as pl

from . import fec_bulk, fec_efile, fec_efile_records, fec_ie
from .lines import scan_lines


class Reader(Protocol):
    source: str
    file_kind: str

    def frames(self, path: Path, source_file: str, batch_id: str, cycle: int | None) -> dict[str, pl.LazyFrame]:
        """Lazy frames by target table, each with ``reject_reason`` and ``raw`` columns."""
        ...

    def cycle(self, origin: str) -> int | None:
        """The election cycle the file's name or place gives, if any."""
        ...

    # A reader of files with header lines says how many with ``header_lines: int`` (read, not rows).
    # A reader whose txn_id determines an integer column names it ``id_column: str`` (a faster proof
    # that the ids of a file are distinct).
    # A reader with a faster way to read a file's good rows offers ``quick_frames`` (same arguments as
    # ``frames``; None when it has none for this file): frames whose good rows are exactly those of
    # ``frames`` in a file without the line reader's separator, or that raise a Polars ComputeError.


@dataclass(frozen=True)
class FecBulkReader:
    layout: fec_bulk.Layout
    source: str = fec_bulk.SOURCE
    #: txn_id is "fec-bulk:" and SUB_ID, and sub_id is SUB_ID as an integer.
    id_column: str = "sub_id"

    @property
    def file_kind(self) -> str:
        return self.layout.name

    def frames(self, path: Path, source_file: str, batch_id: str, cycle: int | None) -> dict[str, pl.LazyFrame]:
        return self._map(fec_bulk.split(scan_lines(path), self.layout), source_file, batch_id, cycle)

    def quick_frames(self, path: Path, source_file: str, batch_id: str,
                     cycle: int | None) -> dict[str, pl.LazyFrame] | None:
        fields = fec_bulk.quick_split(path, self.layout)
        return None if fields is None else self._map(fields, source_file, batch_id, cycle)

    def _map(self, fields: pl.LazyFrame, source_file: str, batch_id: str, cycle: int | None) -> dict[str, pl.LazyFrame]:
        build = fec_bulk.transactions if self.layout.kind == "transactions" else fec_bulk.reference
        return {self.layout.kind: build(fields, self.layout, source_file, batch_id, cycle)}

    def cycle(self, origin: str) -> int | None:
        return fec_bulk.cycle_from_name(origin)


def detect(path: Path, filename: str) -> Reader | None:
    """The reader for a file, or None when no reader recognizes it."""
    if filename.lower().endswith(".fec") or fec_efile.looks_like_filing(path):
        return fec_efile_records.FecEfileReader(fec_efile.read_filing(path, filename))
    if fec_ie.detect(path, filename):
        return fec_ie.FecIndependentExpenditureReader()
    layout = fec_bulk.detect(path, filename)
    if layout is not None:
        return FecBulkReader(layout)
    return None
