"""lintseq evaluation: benchmarks, generation, diff resolution, sandboxed execution, pass@k.

Entry point: ``lintseq-eval`` (:mod:`lintseq_eval.cli`). The names below are imported on
first use: ``lintseq-core`` builds its parser with the ablation dataset reader of
:mod:`lintseq_eval.ablation`, and every conversion must not pay for the whole stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lintseq_eval.benchmarks import Task, load_benchmark
    from lintseq_eval.passk import pass_at_k

__all__ = ["Task", "load_benchmark", "pass_at_k"]

_LAZY = {"Task": "lintseq_eval.benchmarks", "load_benchmark": "lintseq_eval.benchmarks", "pass_at_k": "lintseq_eval.passk"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lintseq_eval' has no attribute {name!r}")
