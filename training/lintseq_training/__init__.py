"""lintseq training: fine-tune causal LMs on LintSeq edit sequences or whole programs.

Heavy libraries (torch, transformers, deepspeed) are imported inside the functions that
need them, so ``lintseq-train --help`` and config validation stay fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
