"""A small real Python analyzer for the pipeline tests, plus analyzers that misbehave on purpose.

``ast-test``: syntax errors from ``compile`` and names used but defined nowhere in the
program (a whole-program "defined somewhere" check, enough for LintSeq's broken-dependency
rule on simple programs); blocks from indentation over logical lines from ``tokenize``.
``crashy``: the same analysis, but it segfaults on a program containing ``CRASH_ME``, hangs on
``HANG_ME`` and raises on ``RAISE_ME`` - to test that the pipeline loses nothing.

Build hosts with :func:`make_host` / :func:`make_crashy_host` (``--plugin-host
pipeline_testplugin:make_host``); nothing here is installed as an entry point.
"""

from __future__ import annotations

import ast
import builtins
import ctypes
import io
import time
import tokenize
from collections.abc import Sequence

from lintseq_core.hookspecs import hookimpl
from lintseq_core.host import PluginHost, make_plugin_manager
from lintseq_core.types import AnalyzerInfo, Diagnostic, Language, ProgramStructure

__all__ = ["AstPlugin", "make_crashy_host", "make_host"]

_BUILTINS = frozenset(dir(builtins))


def _defined_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
    return names


def analyze_python(source: str) -> list[Diagnostic]:
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return [Diagnostic(exc.lineno or 0, "E0001", exc.msg, syntax=True)]
    defined = _defined_names(tree) | _BUILTINS | {"__name__", "__file__", "__doc__"}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in defined:
            out.append(Diagnostic(node.lineno, "E0602", f"undefined name {node.id!r}"))
    return out


def _indent(line: str) -> int:
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())


def python_structure(lines: Sequence[str]) -> ProgramStructure:
    n = len(lines)
    owner = list(range(n))
    heads: list[int] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline))
    except (tokenize.TokenError, SyntaxError):
        tokens = []
    start: int | None = None
    for tok in tokens:
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT,
                        tokenize.ENDMARKER, tokenize.ENCODING):
            continue
        if start is None:
            start = tok.start[0] - 1
        if tok.type == tokenize.NEWLINE:
            end = tok.end[0] - 1
            heads.append(start)
            for i in range(start + 1, min(end, n - 1) + 1):
                owner[i] = start
            start = None
    if not tokens:
        heads = [i for i, s in enumerate(lines) if s.strip() and not s.strip().startswith("#")]
    head_set = set(heads)
    depth_of: dict[int, int] = {}
    children: list[list[int]] = [[] for _ in range(n)]
    stack: list[tuple[int, int]] = []  # (indent, head)
    for h in sorted(head_set):
        ind = _indent(lines[h])
        while stack and stack[-1][0] >= ind:
            stack.pop()
        depth_of[h] = len(stack)
        if stack:
            children[stack[-1][1]].append(h)
        stack.append((ind, h))
    for i in range(n):
        if owner[i] != i:
            children[owner[i]].append(i)
    depths = [depth_of.get(owner[i], 0) for i in range(n)]
    return ProgramStructure(
        candidates=tuple(sorted(head_set)),
        children=tuple(tuple(c) for c in children),
        depths=tuple(depths),
        owner=tuple(owner),
    )


class AstPlugin:
    """Declares Python with the ``ast-test`` and ``crashy`` analyzers."""

    @hookimpl
    def lintseq_languages(self) -> list[Language]:
        return [Language("python", aliases=("py",), extensions=(".py",), fence_tags=("python", "py"),
                         default_analyzer="ast-test")]

    @hookimpl
    def lintseq_analyzers(self) -> list[AnalyzerInfo]:
        return [AnalyzerInfo("ast-test", "python", "ast + tokenize (tests)"),
                AnalyzerInfo("crashy", "python", "misbehaves on marked programs (tests)")]

    @hookimpl
    def lintseq_analyze(self, language: str, analyzer: str, source: str) -> list[Diagnostic] | None:
        if language != "python" or analyzer not in ("ast-test", "crashy"):
            return None
        if analyzer == "crashy":
            if "CRASH_ME" in source:
                ctypes.string_at(0)  # a real segmentation fault
            if "HANG_ME" in source:
                time.sleep(3600)
            if "RAISE_ME" in source:
                raise RuntimeError("analyzer bug on purpose")
        return analyze_python(source)

    @hookimpl
    def lintseq_structure(self, language: str, analyzer: str, lines: Sequence[str],
                          reference_rules: bool) -> ProgramStructure | None:
        if language != "python" or analyzer not in ("ast-test", "crashy"):
            return None
        return python_structure(lines)


def make_host() -> PluginHost:
    return PluginHost(make_plugin_manager((), extra=[AstPlugin()]))


def make_crashy_host() -> PluginHost:
    return make_host()
