"""Errors of the experiment runner, under the project's one hierarchy."""

from __future__ import annotations

from lintseq_core.errors import ConfigError, LintseqError

__all__ = ["ExperimentError", "PlanError"]


class ExperimentError(LintseqError):
    """A run that cannot go on (a locked run folder, a stage folder that is not ours)."""


class PlanError(ConfigError):
    """A plan file that cannot work; the message names the key to change."""
