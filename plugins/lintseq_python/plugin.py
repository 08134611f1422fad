"""The built-in Python plugin: language ``python`` with the ``ast`` and ``pylint`` analyzers.

``ast`` (the default) is this plugin's own analyzer on Python's ``ast`` module: one parse
(of the chunks an edit changed, see ``fast_analyzer.incremental``) and one scope walk per
program state, with pylint's message codes. ``pylint`` is the
reference analyzer of the LintSeq paper, run in-process. See ``fast_analyzer`` and
``pylint_analyzer`` for what each reports, and ``structure`` for how lines are grouped.
Code is taken out of markdown answers by the host's default (fences tagged with the
language's ``fence_tags``, else untagged ones): the plugin needs nothing more.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from lintseq_core.hookspecs import hookimpl
from lintseq_core.types import AnalyzerInfo, Diagnostic, Language, ProgramStructure
from lintseq_python.fast_analyzer.incremental import analyze_incremental
from lintseq_python.pylint_analyzer import analyze_pylint, pylint_missing, pylint_versions
from lintseq_python.structure import python_structure

__all__ = [
    "ANALYZERS",
    "FAST_ANALYZER",
    "LANGUAGE",
    "REFERENCE_ANALYZER",
    "lintseq_analyze",
    "lintseq_analyzers",
    "lintseq_languages",
    "lintseq_plugin_versions",
    "lintseq_structure",
]

FAST_ANALYZER = "ast"
REFERENCE_ANALYZER = "pylint"

LANGUAGE = Language(
    name="python",
    aliases=("py", "python3"),
    extensions=(".py", ".pyi"),
    fence_tags=("python", "py", "python3"),
    default_analyzer=FAST_ANALYZER,
)

ANALYZERS = (
    AnalyzerInfo(
        name=FAST_ANALYZER,
        language="python",
        description=(
            "one ast parse and a scope walk per state: syntax, undefined/unbound names, "
            "members of program classes, functions that return nothing (pylint's codes)"
        ),
        kind="fast",
        version=f"python {sys.version_info.major}.{sys.version_info.minor}",
    ),
    AnalyzerInfo(
        name=REFERENCE_ANALYZER,
        language="python",
        description=(
            "the paper's rules: pylint --disable=C,R, E/F messages plus W0311 and W0231, "
            "in-process with an empty rcfile (E0401 depends on installed packages)"
        ),
        kind="reference",
        version=dict(pylint_versions()).get("pylint", ""),
        available=pylint_missing,
    ),
)
_NAMES = frozenset(a.name for a in ANALYZERS)


def _ours(language: str, analyzer: str) -> bool:
    return language == LANGUAGE.name and analyzer in _NAMES


@hookimpl
def lintseq_languages() -> list[Language]:
    """Python, its spellings, file extensions and fence tags."""
    return [LANGUAGE]


@hookimpl
def lintseq_analyzers() -> list[AnalyzerInfo]:
    """The fast ``ast`` analyzer and the ``pylint`` reference analyzer."""
    return list(ANALYZERS)


@hookimpl
def lintseq_analyze(language: str, analyzer: str, source: str) -> list[Diagnostic] | None:
    """Diagnostics of one Python program state; ``None`` for other languages/analyzers."""
    if not _ours(language, analyzer):
        return None
    if analyzer == FAST_ANALYZER:
        return analyze_incremental(source)  # = analyze_fast(source), reusing parsed chunks
    return analyze_pylint(source)


@hookimpl
def lintseq_structure(
    language: str, analyzer: str, lines: Sequence[str], reference_rules: bool
) -> ProgramStructure | None:
    """Token-based logical lines and blocks, or the reference's indentation rules."""
    if not _ours(language, analyzer):
        return None
    return python_structure(lines, reference_rules)


@hookimpl
def lintseq_plugin_versions(languages: Sequence[str] | None) -> list[tuple[str, str]]:
    """pylint, astroid and the Python whose ``ast`` the fast analyzer uses."""
    if languages is not None and LANGUAGE.name not in languages:
        return []
    out = list(pylint_versions())
    out.append(("python-ast", f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"))
    return out
