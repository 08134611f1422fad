"""Every hook a lintseq plugin can implement, in one place.

Plugins are modules or objects registered through the ``lintseq`` entry-point group and
decorated with :data:`hookimpl`. Hooks that say which plugin handles a language/analyzer are
``firstresult``: the first non-``None`` answer wins, so an implementation returns ``None``
for languages or analyzers it does not own. Hooks that collect declarations return lists
that the host concatenates. An implementation may accept fewer arguments than a spec, so
specs grow by adding arguments without breaking plugins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from lintseq_core.types import AnalyzerInfo, Diagnostic, Language, ProgramStructure

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "lintseq"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def lintseq_languages() -> list[Language]:
    """Declare the languages this plugin knows (name, aliases, extensions, fence tags).

    Return a list of :class:`~lintseq_core.types.Language`; every plugin contributes. Two
    plugins may declare the same language name: their declarations are merged.
    """


@hookspec
def lintseq_analyzers() -> list[AnalyzerInfo]:
    """Declare the analyzers (linters) this plugin provides, one per (language, name).

    Return a list of :class:`~lintseq_core.types.AnalyzerInfo`; every plugin contributes.
    The ``name`` is what users select with ``--linter``.
    """


@hookspec(firstresult=True)
def lintseq_analyze(language: str, analyzer: str, source: str) -> list[Diagnostic] | None:
    """Analyze one program state and return the errors that count as broken dependencies.

    ``source`` is the full text of the state. Return a list of
    :class:`~lintseq_core.types.Diagnostic` (empty when the state is clean), or ``None`` if
    this plugin does not own ``(language, analyzer)``. Stops at the first non-``None`` result.
    """


@hookspec(firstresult=True)
def lintseq_structure(
    language: str, analyzer: str, lines: Sequence[str], reference_rules: bool
) -> ProgramStructure | None:
    """Describe the structure of an original program: blocks and sampleable lines.

    ``lines`` are the program's lines without line terminators. Return a
    :class:`~lintseq_core.types.ProgramStructure` giving, for each line, the lines that
    depend on it (its block) and whether it may be sampled on its own; ``None`` if this
    plugin does not own ``(language, analyzer)``. With ``reference_rules`` the plugin may
    reproduce the reference implementation's rules. Stops at the first non-``None`` result.
    """


@hookspec(firstresult=True)
def lintseq_extract_code(language: str, text: str) -> str | None:
    """Pull the code of ``language`` out of a model answer or markdown text.

    Return the extracted code, or ``None`` to let another plugin (or the host's generic
    fence extraction) answer. Stops at the first non-``None`` result.
    """


@hookspec
def lintseq_plugin_versions(languages: Sequence[str] | None) -> list[tuple[str, str]]:
    """Report ``(component, version)`` pairs (tools, grammars) for manifests and ``languages``.

    ``languages``: the canonical names of the languages the caller reports on (a conversion's
    manifest passes the languages it converts), or ``None`` for every language. A plugin may
    leave out components that serve none of them; asking a tool its version can mean running
    it, which a one-program conversion should not pay for tools it never uses. Every plugin
    contributes; return an empty list when there is nothing to report.
    """
