"""The tree-sitter engine as a lintseq plugin, for the built-in languages and for data packages.

:class:`DataLanguagePlugin` turns a package of language data (``languages/*.toml`` and
``queries/<lang>/locals.scm``) into hook implementations. The built-in languages use it on
this package; a third-party distribution adds a language with nothing but its data files
and a one-line module that the ``lintseq`` entry point names::

    # my_lang_package/__init__.py
    from lintseq_treesitter.plugin import DataLanguagePlugin
    plugin = DataLanguagePlugin("my_lang_package")

    # pyproject.toml
    [project.entry-points.lintseq]
    mylang = "my_lang_package:plugin"
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lintseq_core.hookspecs import hookimpl
from lintseq_core.types import AnalyzerInfo, Diagnostic, Language, ProgramStructure
from lintseq_treesitter.compiled import compile_language, grammar_problem
from lintseq_treesitter.spec import load_language_dir

if TYPE_CHECKING:
    from lintseq_treesitter.spec import LanguageSpec

__all__ = ["ANALYZER_NAME", "DataLanguagePlugin"]

ANALYZER_NAME = "treesitter"


class DataLanguagePlugin:
    """Hook implementations for every language described by the data of ``package``."""

    def __init__(self, package: str) -> None:
        self.package = package

    @functools.cached_property
    def specs(self) -> dict[str, LanguageSpec]:
        return {spec.name: spec for spec in load_language_dir(self.package)}

    def _owned(self, language: str, analyzer: str) -> LanguageSpec | None:
        if analyzer != ANALYZER_NAME:
            return None
        return self.specs.get(language)

    @hookimpl
    def lintseq_languages(self) -> list[Language]:
        return [
            Language(
                name=s.name,
                aliases=s.aliases,
                extensions=s.extensions,
                fence_tags=s.fence_tags,
                default_analyzer=s.default_analyzer,
            )
            for s in self.specs.values()
        ]

    @hookimpl
    def lintseq_analyzers(self) -> list[AnalyzerInfo]:
        return [
            AnalyzerInfo(
                name=ANALYZER_NAME,
                language=s.name,
                description=f"tree-sitter engine: syntax, scopes and {len(s.rules)} data rules",
                kind="fast",
                version=_version("tree-sitter"),
                available=functools.partial(grammar_problem, s),
            )
            for s in self.specs.values()
        ]

    @hookimpl
    def lintseq_analyze(self, language: str, analyzer: str, source: str) -> list[Diagnostic] | None:
        spec = self._owned(language, analyzer)
        if spec is None:
            return None
        # Imported on first use: a conversion of another language never needs the engine.
        from lintseq_treesitter.analysis import analyze_source

        return analyze_source(compile_language(spec), source)

    @hookimpl(trylast=True)
    def lintseq_structure(
        self, language: str, analyzer: str, lines: Sequence[str]
    ) -> ProgramStructure | None:
        # Answered for any analyzer of a language this package describes (compiler-backed
        # ones have no structure of their own); ``trylast`` lets a language's own plugin
        # answer first for its analyzers.
        spec = self.specs.get(language)
        if spec is None or grammar_problem(spec) is not None:
            return None
        from lintseq_treesitter.structure import program_structure

        return program_structure(compile_language(spec), lines)

    @hookimpl
    def lintseq_plugin_versions(self, languages: Sequence[str] | None) -> list[tuple[str, str]]:
        specs = [s for s in self.specs.values() if languages is None or s.name in languages]
        if not specs:
            return []
        out = [("tree-sitter", _version("tree-sitter"))]
        for spec in specs:
            out.append((spec.grammar_package, _version(spec.grammar_package)))
        return out


@functools.cache
def _version(dist: str) -> str:
    """A distribution's version (looked up once: each lookup searches the import path)."""
    from lintseq_core.distributions import distribution_version

    return distribution_version(dist) or "not installed"


#: The built-in languages of this package.
builtin = DataLanguagePlugin("lintseq_treesitter")

# pluggy registers this module: expose the built-in plugin's hooks at module level.
lintseq_languages = builtin.lintseq_languages
lintseq_analyzers = builtin.lintseq_analyzers
lintseq_analyze = builtin.lintseq_analyze
lintseq_structure = builtin.lintseq_structure
lintseq_plugin_versions = builtin.lintseq_plugin_versions
