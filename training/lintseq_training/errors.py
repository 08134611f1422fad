"""Errors of the training stack, inside the project's one hierarchy."""

from __future__ import annotations

from lintseq_core.errors import ConfigError, LintseqError

__all__ = ["ConfigError", "LintseqError", "TrainingDataError"]


class TrainingDataError(LintseqError):
    """The training data cannot be used as asked; the message says what to change."""
