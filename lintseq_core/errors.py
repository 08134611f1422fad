"""One exception hierarchy, so callers catch lintseq failures without catching everything."""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DiffError",
    "LintseqError",
    "PluginLoadError",
    "ProgramRejected",
    "UnknownAnalyzerError",
    "UnknownLanguageError",
]


class LintseqError(Exception):
    """Base class of every error lintseq raises on purpose."""


class ConfigError(LintseqError):
    """A flag, option or config value that cannot work; the message says what to change."""


class PluginLoadError(LintseqError):
    """A plugin entry point failed to import or register; names distribution and entry point."""


class UnknownLanguageError(ConfigError):
    """No loaded plugin declares the requested language."""


class UnknownAnalyzerError(ConfigError):
    """The language exists but has no analyzer of the requested name."""


class DiffError(LintseqError):
    """A diff or edit path is malformed (strict resolution)."""


class ProgramRejected(LintseqError):
    """A program cannot be converted; ``reason`` is a short machine-readable tag."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
