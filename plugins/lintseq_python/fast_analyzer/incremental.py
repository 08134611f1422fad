"""The analyzer for a sequence of shrinking states: parse only the chunks an edit touched.

The sampler lints state after state of one program, each the previous one less a few
lines, so most of a state is text it parsed a moment ago. A state is cut into chunks at
lines that start a top-level statement, and a class into its members (statements four
spaces in); each chunk is parsed on its own (its line numbers then start at 1, and the
walk adds the chunk's offset, see ``ScopeTracker.offset``) and kept in a small
per-process LRU keyed by its text, so a chunk that an edit left alone costs a dictionary
look-up instead of a parse.

The cut is a guess made from the text (a line at column 0 that is not ``else:``, a
decorated ``def``, a closing bracket, or inside a triple-quoted string); the parse checks
it. A chunk that starts where a statement starts and parses on its own ends where a
statement ends (an open bracket, string or ``\\`` would make it fail), so when every chunk
parses their statements are exactly those of the whole text. Members are only cut from a
class whose body is indented by four spaces (its first statement says so), so a member
chunk starts at the class body's level. When a class's members do not all parse, the
class is parsed whole; when a top-level chunk does not parse (a syntax error, or a guess
gone wrong), the whole state goes through ``analyze_fast``. The diagnostics are thus those
of the full analysis; ``tests/plugins/python/test_python_incremental.py`` and
``benchmarks/check_python_analyzer_stable.py --incremental`` compare them state by state.

The cached nodes are shared between calls: the analyzer reads syntax trees and never
changes them (a class assembled from chunks is a shallow copy with its own body). Cyclic
garbage collection is paused during a call: a state's walk allocates hundreds of
thousands of objects and would otherwise trigger collections that traverse the whole
heap of the process.
"""

from __future__ import annotations

import ast
import copy
import gc
import re
import threading
import warnings
from collections import OrderedDict
from typing import NamedTuple

from lintseq_core.types import Diagnostic
from lintseq_python.fast_analyzer.driver import analyze_fast, analyze_tree, parse_error
from lintseq_python.fast_analyzer.scopes import global_bindings
from lintseq_python.fast_analyzer.syntax import lone_carriage_returns

__all__ = ["Chunk", "ChunkCache", "analyze_incremental", "chunk_starts"]

# First characters of a line that cannot start a statement.
_NOT_STATEMENT = frozenset(" \t\f\r#)]}")
_CONTINUATION = re.compile(r"(?:else|elif|except|finally)\b")
_TRIPLE = re.compile(r"\"\"\"|'''|#")
_MEMBER_WRAPPER = "if 1:\n"  # a member chunk (four spaces in) parses as this block's body


class Chunk(NamedTuple):
    """One chunk parsed alone: its statements and what ``global`` binds in them."""

    statements: list[ast.stmt]
    global_names: list[str]  # ``scopes.global_bindings`` of the statements


_FAILED = Chunk([], [])  # cached for a chunk that does not parse on its own


def chunk_starts(lines: list[str]) -> tuple[list[int], dict[int, list[int]]]:
    """Where top-level statements seem to start (line indexes, 0 first), and for each
    chunk that holds a class, where its members after the first seem to start."""
    starts = [0]
    members: dict[int, list[int]] = {}
    delim: str | None = None  # the triple quote of the string a line starts in
    decorated = False
    cls: list[int] | None = None  # member starts of the class being read
    body_seen = member_decorated = False
    for i, line in enumerate(lines):
        if delim is None and line:
            first = line[0]
            if first not in _NOT_STATEMENT:
                if not (first in "ef" and _CONTINUATION.match(line)):
                    if not decorated and i:
                        starts.append(i)
                    decorated = first == "@"
                    cls = None
                    if first == "c" and line.startswith("class "):
                        cls = members.setdefault(starts[-1], [])
                        body_seen = member_decorated = False
            elif (
                cls is not None
                and line.startswith("    ")
                and len(line) > 4
                and line[4] not in _NOT_STATEMENT
                and not (line[4] in "ef" and _CONTINUATION.match(line, 4))
            ):
                if body_seen and not member_decorated:
                    cls.append(i)
                body_seen = True
                member_decorated = line[4] == "@"
        if '"""' in line or "'''" in line:
            delim = _string_after(line, delim)
    return starts, members


def _string_after(line: str, delim: str | None) -> str | None:
    """The triple-quoted string still open at the end of ``line`` (a rough scan: quotes in
    one-line strings fool it, and then only the parse of the chunk catches the bad cut)."""
    pos = 0
    while True:
        if delim is not None:
            end = line.find(delim, pos)
            if end < 0:
                return delim
            delim, pos = None, end + 3
            continue
        m = _TRIPLE.search(line, pos)
        if m is None or m.group() == "#":
            return None
        delim, pos = m.group(), m.end()


class ChunkCache:
    """Chunks by text: their statements as parsed alone (LRU of ``size`` chunks)."""

    def __init__(self, size: int = 8192) -> None:
        if size < 1:
            raise ValueError(f"ChunkCache size must be at least 1, got {size}")
        self.size = size
        self._chunks: OrderedDict[str, Chunk] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def chunk(self, text: str) -> Chunk | None:
        """One chunk, parsed (None: it does not parse on its own)."""
        with self._lock:
            found = self._chunks.get(text)
            if found is not None:
                self._chunks.move_to_end(text)
                self.hits += 1
                return found if found is not _FAILED else None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # as analyze_fast
                tree = ast.parse(text)
            found = Chunk(tree.body, global_bindings(tree) if "global" in text else [])
        except (SyntaxError, ValueError):
            found = _FAILED
        with self._lock:
            self.misses += 1
            self._chunks[text] = found
            if len(self._chunks) > self.size:
                self._chunks.popitem(last=False)
        return found if found is not _FAILED else None

    def clear(self) -> None:
        with self._lock:
            self._chunks.clear()


_CACHE = ChunkCache()


def analyze_incremental(source: str, cache: ChunkCache | None = None) -> list[Diagnostic]:
    """The diagnostics ``analyze_fast(source)`` gives, reusing chunks parsed before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyze(source, _CACHE if cache is None else cache)
    finally:
        if enabled:
            gc.enable()


class _Assembly:
    """The module being put together from chunks: statements, offsets, ``global`` names."""

    def __init__(self) -> None:
        self.body: list[ast.stmt] = []
        self.tree = ast.Module(body=self.body, type_ignores=[])
        self.offsets: dict[int, list[int]] = {id(self.tree): []}
        self.global_names: list[str] = []

    def add(self, statements: list[ast.stmt], offset: int, global_names: list[str]) -> None:
        self.body.extend(statements)
        self.offsets[id(self.tree)].extend([offset] * len(statements))
        self.global_names.extend(global_names)


def _analyze(source: str, cache: ChunkCache) -> list[Diagnostic]:
    if "\r" in source and "\r" in source.replace("\r\n", ""):
        return analyze_fast(source)  # a lone CR breaks lines for the parser, not for split
    if "barry_as_FLUFL" in source:
        return analyze_fast(source)  # a future import that changes the grammar
    lines = source.split("\n")
    starts, members = chunk_starts(lines)
    module = _Assembly()
    ends = [*starts[1:], len(lines)]
    for start, end in zip(starts, ends, strict=True):
        cuts = members.get(start)
        if cuts and _add_class(module, lines, start, cuts, end, cache):
            continue
        chunk = cache.chunk("\n".join(lines[start:end]))
        if chunk is None:
            return _failed_chunk(source, lines, start)  # a syntax error, or a bad cut
        module.add(chunk.statements, start, chunk.global_names)
    out = analyze_tree(module.tree, lines, "global" in source, module.offsets, module.global_names)
    if "\r" in source:
        out.extend(lone_carriage_returns(source))
    return out


def _failed_chunk(source: str, lines: list[str], start: int) -> list[Diagnostic]:
    """``analyze_fast(source)`` for a state whose top-level chunk at ``start`` does not parse.

    The chunks before it parsed alone, so they are whole statements, and line ``start``
    begins a statement at column 0 with the tokenizer back at its initial state (no open
    bracket, string or indentation). The parse of the whole state reads those statements as
    it reads them alone and goes on from ``start`` as from the start of a text: whether it
    fails, and the error it raises (the parser's, or one the tokenizer finds further on,
    which CPython looks for in the rest of the text), are those of the text from ``start``
    on, parsed with blank lines in place of the statements before it so that line numbers,
    in the error and in its message, stay the state's. Only the failing chunk and what
    follows it are parsed, instead of the whole state. When that text parses, the cut was a
    guess gone wrong (a line at column 0 inside a bracket or string): the full analysis.
    """
    if start:
        found = parse_error("\n" * start + "\n".join(lines[start:]), source)
        if found is not None:
            return found
    return analyze_fast(source)


def _add_class(
    module: _Assembly, lines: list[str], start: int, cuts: list[int], end: int, cache: ChunkCache
) -> bool:
    """A class from its header chunk and member chunks; False when they do not fit (the
    class is then parsed whole)."""
    head = cache.chunk("\n".join(lines[start : cuts[0]]))
    if head is None or len(head.statements) != 1 or type(head.statements[0]) is not ast.ClassDef:
        return False
    node = head.statements[0]
    first = node.body[0]
    if first.col_offset != 4 or lines[start + first.lineno - 1][:4] != "    ":
        return False  # the body is not four spaces in: a member chunk may be deeper
    body = list(node.body)
    offsets = [start] * len(body)
    global_names = list(head.global_names)
    for cut, cut_end in zip(cuts, [*cuts[1:], end], strict=True):
        chunk = cache.chunk(_MEMBER_WRAPPER + "\n".join(lines[cut:cut_end]))
        if chunk is None or len(chunk.statements) != 1 or type(chunk.statements[0]) is not ast.If:
            return False
        statements = chunk.statements[0].body  # type: ignore[attr-defined]
        body.extend(statements)
        offsets.extend([cut - 1] * len(statements))  # (the wrapper is line 1)
        global_names.extend(chunk.global_names)
    assembled = copy.copy(node)
    assembled.body = body
    module.offsets[id(assembled)] = offsets
    module.add([assembled], start, global_names)
    return True
