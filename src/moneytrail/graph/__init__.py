"""The money graph: who paid whom, aggregated from ``transactions`` under the counting rules.

Nodes are donors, committees, candidates and payees; an edge is the money one node paid another,
with the transactions behind it. ``build`` derives the tables, ``queries`` answers profiles,
``trace`` follows paths and ``attribution`` says how much of one node's money could have reached
another. docs/tracing.md states every rule.
"""

from .build import GraphStats, build, ensure
from .queries import candidate_profile, committee_profile, donor_profile, resolve
from .trace import trace

__all__ = ["GraphStats", "build", "candidate_profile", "committee_profile", "donor_profile", "ensure", "resolve",
           "trace"]
