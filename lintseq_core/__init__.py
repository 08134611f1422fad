"""lintseq core: plugin host, LintSeq samplers, edit diffs and the conversion pipeline."""

from __future__ import annotations

from lintseq_core.edits import (
    EditSequence,
    format_training_text,
    render_edit_path,
    resolve_edit_path,
    split_lines,
)
from lintseq_core.errors import LintseqError
from lintseq_core.types import AnalyzerInfo, Diagnostic, Language, ProgramStructure

__version__ = "0.1.0"

__all__ = [
    "AnalyzerInfo",
    "Diagnostic",
    "EditSequence",
    "Language",
    "LintseqError",
    "ProgramStructure",
    "__version__",
    "format_training_text",
    "render_edit_path",
    "resolve_edit_path",
    "split_lines",
]
