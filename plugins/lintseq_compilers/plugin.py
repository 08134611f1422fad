"""Compiler-backed analyzers as a lintseq plugin: one table per compiler in ``toolchains.toml``.

Each analyzer is slow but faithful (kind ``"compiler"``): it is what the fast tree-sitter
analyzers are measured against. When a toolchain is missing, its ``available()`` says how
to install it and the host turns that into one clear error.
"""

from __future__ import annotations

from collections.abc import Sequence

from lintseq_compilers.base import Toolchain
from lintseq_compilers.declared import declared, declared_names
from lintseq_compilers.go import GO
from lintseq_compilers.javac import JAVAC
from lintseq_compilers.node import NODE
from lintseq_compilers.tsc import TSC
from lintseq_core.hookspecs import hookimpl
from lintseq_core.types import AnalyzerInfo, Diagnostic, Language

__all__ = ["TOOLCHAINS", "toolchain"]

# In the table's order; a toolchain with code of its own comes from its module.
_WITH_CODE = {t.name: t for t in (GO, JAVAC, NODE, TSC)}
TOOLCHAINS: tuple[Toolchain, ...] = tuple(
    _WITH_CODE.get(name) or declared(name) for name in declared_names()
)
_BY_KEY = {(t.language, t.name): t for t in TOOLCHAINS}


def toolchain(language: str, analyzer: str) -> Toolchain | None:
    """The toolchain that owns ``(language, analyzer)``, if any."""
    return _BY_KEY.get((language, analyzer))


@hookimpl
def lintseq_languages() -> list[Language]:
    # Names only: the tree-sitter plugin (or another) declares extensions and fence tags;
    # declarations of the same name are merged by the host.
    return [Language(name=lang) for lang in sorted({t.language for t in TOOLCHAINS})]


@hookimpl
def lintseq_analyzers() -> list[AnalyzerInfo]:
    return [
        AnalyzerInfo(
            name=t.name,
            language=t.language,
            description=t.description,
            kind="compiler",
            available=t.available,
        )
        for t in TOOLCHAINS
    ]


@hookimpl
def lintseq_analyze(language: str, analyzer: str, source: str) -> list[Diagnostic] | None:
    tool = toolchain(language, analyzer)
    return None if tool is None else tool.analyze(source)


@hookimpl
def lintseq_plugin_versions(languages: Sequence[str] | None) -> list[tuple[str, str]]:
    """Each compiler's ``--version`` line, for the languages asked about only: every answer
    runs the compiler (tens of milliseconds, more for a JVM), which a conversion must not
    pay at start-up for languages it does not convert."""
    return [(t.name, t.version()) for t in TOOLCHAINS if languages is None or t.language in languages]
