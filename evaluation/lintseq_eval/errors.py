"""Errors of the evaluation stack, all under :class:`lintseq_core.errors.LintseqError`."""

from __future__ import annotations

from lintseq_core.errors import ConfigError, LintseqError

__all__ = ["BenchmarkError", "EvalError", "SandboxError", "ToolchainMissingError"]


class EvalError(LintseqError):
    """Base class of evaluation failures."""


class BenchmarkError(EvalError, ConfigError):
    """A benchmark cannot be loaded (unknown name, missing file, hub offline, bad rows)."""


class ToolchainMissingError(EvalError, ConfigError):
    """The compiler or interpreter a language needs is not installed."""


class SandboxError(EvalError):
    """The sandbox cannot be set up (no bubblewrap, no user namespaces, not permitted)."""
