"""lintseq evaluation: benchmarks, generation, diff resolution, sandboxed execution, pass@k.

Entry point: ``lintseq-eval`` (:mod:`lintseq_eval.cli`).
"""

from __future__ import annotations

from lintseq_eval.benchmarks import Task, load_benchmark
from lintseq_eval.passk import pass_at_k

__all__ = ["Task", "load_benchmark", "pass_at_k"]
