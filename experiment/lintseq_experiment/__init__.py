"""Cross-language ablations end to end: plan, run, and compare convert → train → eval cells.

``lintseq-experiment plan PLAN.yaml`` prints the grid and the compute it implies,
``run`` executes it (every stage keyed by a hash of its inputs and settings, so a rerun skips
what is finished), ``status`` shows where a run stands and ``report`` compares the arms with
confidence intervals over tasks and paired tests. See docs/experiments.md.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
