"""Structure of a Python program for the sampler: logical lines, blocks, depths.

Two descriptions are offered:

* the default (:func:`ast_structure`, read from the parse tree): a statement that spans several physical lines (brackets, backslashes, multi-line strings)
  is one unit owned by its first line; a block header owns every line of its block; a
  compound statement's later clauses (``elif``/``else``/``except``/``finally``) are
  deleted with its first clause; decorators and the definition they decorate are deleted
  together. This keeps most deletions syntactically valid before the analyzer is asked.
* :func:`reference_structure` reproduces the reference implementation (``pylintseq``)
  exactly: candidates are the non-blank lines not starting with ``#`` (minus the lines of
  upper-case global definitions), and a line's children are the following lines indented
  deeper, with a blank or one-character line carrying the indentation of the line above.

A program that does not parse gets a flat structure (every non-blank line on its own): the
sampler rejects it on its syntax error before any line is deleted, so nothing finer is needed.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Sequence

from lintseq_core.types import ProgramStructure

__all__ = [
    "ast_structure",
    "python_structure",
    "reference_structure",
]

_CONTINUATION_CLAUSES = ("elif", "else", "except", "finally")
_TRY_NODES = (ast.Try, getattr(ast, "TryStar", ast.Try))


def python_structure(lines: Sequence[str], reference_rules: bool = False) -> ProgramStructure:
    """The structure the plugin reports for ``lines`` (see the module docstring).

    Statements come from one ``ast.parse`` (fast: the C parser); a program that does not
    parse is flat. The sampler rejects such programs, but their structure is defined.
    """
    if reference_rules:
        return reference_structure(lines)
    try:
        return ast_structure(lines)
    except (SyntaxError, ValueError):
        return ProgramStructure.flat(lines)


# ---- logical lines and blocks --------------------------------------------------------------


class _Statement:
    """One logical line: physical rows ``first..last`` (0-based) at a nesting ``level``."""

    __slots__ = ("block_last", "first", "keyword", "last", "level", "opens_block")

    def __init__(self, first: int, last: int, level: int, keyword: str) -> None:
        self.first = first
        self.last = last
        self.level = level
        self.keyword = keyword
        self.opens_block = False
        self.block_last = last  # last row of the block this statement heads


def ast_structure(lines: Sequence[str]) -> ProgramStructure:
    """Structure from the syntax tree (see the module docstring).

    Raises ``SyntaxError`` when the program does not parse.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse("\n".join(lines))
    return _build(lines, _AstStatements(lines).run(tree.body))


def _build(lines: Sequence[str], stmts: list[_Statement]) -> ProgramStructure:
    """The structure of ``lines`` from their logical lines, in four passes (see each)."""
    n = len(lines)
    owner = list(range(n))
    children: list[list[int]] = [[] for _ in range(n)]
    depths = [0] * n
    code_rows = _statement_rows(stmts, n, owner, children, depths)
    _find_block_ends(stmts)
    in_block = _block_lines(lines, stmts, code_rows, children, depths)
    _link_clauses(stmts, children)
    _other_depths(stmts, code_rows | in_block, depths)
    return ProgramStructure(
        candidates=tuple(s.first for s in stmts),
        children=tuple(tuple(sorted(set(c))) for c in children),
        depths=tuple(depths),
        owner=tuple(owner),
    )


def _statement_rows(
    stmts: list[_Statement], n: int, owner: list[int], children: list[list[int]], depths: list[int]
) -> set[int]:
    """Each statement's later rows are owned by its first; returns the rows of code."""
    code_rows = set()
    for s in stmts:
        for row in range(s.first, min(s.last, n - 1) + 1):
            code_rows.add(row)
            depths[row] = s.level
            if row != s.first:
                owner[row] = s.first
                children[s.first].append(row)
    return code_rows


def _find_block_ends(stmts: list[_Statement]) -> None:
    """A header's block is every later statement of a deeper level, up to the first
    statement at its level or above."""
    stack: list[_Statement] = []
    for s in stmts:
        while stack and stack[-1].level >= s.level:
            stack.pop()
        for open_header in stack:
            open_header.block_last = max(open_header.block_last, s.last)
        if s.opens_block:
            stack.append(s)


def _block_lines(
    lines: Sequence[str], stmts: list[_Statement], code_rows: set[int], children: list[list[int]], depths: list[int]
) -> set[int]:
    """Lines between a header and the end of its block (comments, blank lines included)
    go with the header; so do comment lines right after the block that are indented into
    it. Returns those that are not code."""
    n = len(lines)
    in_block: set[int] = set()
    for s in stmts:
        if not s.opens_block:
            continue
        end = s.block_last
        indent = _indent_width(lines[s.first])
        row = end + 1
        while row < n and row not in code_rows:
            stripped = lines[row].strip()
            if stripped.startswith("#") and _indent_width(lines[row]) > indent:
                end = row
            elif stripped:
                break
            row += 1
        children[s.first].extend(range(s.last + 1, end + 1))
        for row in range(s.last + 1, end + 1):
            if row not in code_rows:
                in_block.add(row)
                depths[row] = s.level + 1
    return in_block


def _link_clauses(stmts: list[_Statement], children: list[list[int]]) -> None:
    """Later clauses of a compound statement go with its first clause; decorators go with
    the definition they decorate (and the definition with its decorators)."""
    by_level_prev: dict[int, _Statement] = {}
    for s in stmts:
        prev = by_level_prev.get(s.level)
        if prev is not None and s.keyword in _CONTINUATION_CLAUSES and prev.last < s.first:
            children[prev.first].append(s.first)
        if prev is not None and prev.keyword == "@":
            children[prev.first].append(s.first)
            children[s.first].append(prev.first)
        for deeper in [lv for lv in by_level_prev if lv > s.level]:
            del by_level_prev[deeper]
        by_level_prev[s.level] = s


def _other_depths(stmts: list[_Statement], placed: set[int], depths: list[int]) -> None:
    """Comment-only and blank lines not ``placed`` yet take the depth of the statement above."""
    level, k = 0, 0
    for row in range(len(depths)):
        while k < len(stmts) and stmts[k].first <= row:
            level = stmts[k].level
            k += 1
        if row not in placed:
            depths[row] = level


def _indent_width(line: str) -> int:
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())


class _AstStatements:
    """Logical lines of a parsed program, read from node positions.

    A simple statement spans ``lineno..end_lineno``; a compound header runs from its first
    row to the row before its body, less the comment and blank rows above the body (a
    colon ends the header, so nothing after it belongs to it). Clause rows that have no
    node of their own (``else:``, ``finally:``) are found the same way, above their body.
    """

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.out: list[_Statement] = []

    def run(self, body: list[ast.stmt]) -> list[_Statement]:
        self.block(body, 0)
        return self.out

    def add(self, first: int, last: int, level: int, keyword: str) -> _Statement:
        out = self.out
        if out and first <= out[-1].last:  # "a = 1; b = 2": one logical line
            prev = out[-1]
            prev.last = max(prev.last, last)
            return prev
        st = _Statement(first, last, level, keyword)
        out.append(st)
        return st

    def header_end(self, first: int, body: list[ast.stmt]) -> int:
        row = _start_row(body[0]) - 1
        lines = self.lines
        while row > first:
            text = lines[row].strip()
            if text and not text.startswith("#"):
                break
            row -= 1
        return row

    def clause(self, body: list[ast.stmt], level: int, keyword: str) -> None:
        """A clause with no node of its own: its row is the code row above its body."""
        start = _start_row(body[0])
        if not _starts_with_word(self.lines[start], keyword):
            start = self.header_end(-1, body)
        self.compound(start, body, level, keyword)

    def compound(self, first: int, body: list[ast.stmt], level: int, keyword: str) -> None:
        if _start_row(body[0]) <= first:  # "if x: return 1": body on the header's line
            self.add(first, body[-1].end_lineno - 1, level, keyword)  # type: ignore[operator]
            return
        header = self.add(first, self.header_end(first, body), level, keyword)
        header.opens_block = True
        self.block(body, level + 1)

    def block(self, body: list[ast.stmt], level: int) -> None:
        for node in body:
            self.stmt(node, level)

    def stmt(self, node: ast.stmt, level: int, keyword: str = "") -> None:
        t = type(node)
        first = node.lineno - 1
        if t in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            for dec in node.decorator_list:  # type: ignore[attr-defined]
                self.add(dec.lineno - 1, dec.end_lineno - 1, level, "@")  # type: ignore[operator]
            self.compound(first, node.body, level, keyword)  # type: ignore[attr-defined]
        elif t is ast.If:
            self.compound(first, node.body, level, keyword)  # type: ignore[attr-defined]
            orelse = node.orelse  # type: ignore[attr-defined]
            if not orelse:
                return
            head = orelse[0]
            if (
                len(orelse) == 1
                and type(head) is ast.If
                and self.lines[head.lineno - 1][head.col_offset : head.col_offset + 4] == "elif"
            ):
                self.stmt(head, level, "elif")
            else:
                self.clause(orelse, level, "else")
        elif t in (ast.For, ast.AsyncFor, ast.While):
            self.compound(first, node.body, level, keyword)  # type: ignore[attr-defined]
            if node.orelse:  # type: ignore[attr-defined]
                self.clause(node.orelse, level, "else")  # type: ignore[attr-defined]
        elif t in _TRY_NODES:
            self.compound(first, node.body, level, keyword)  # type: ignore[attr-defined]
            for handler in node.handlers:  # type: ignore[attr-defined]
                self.compound(handler.lineno - 1, handler.body, level, "except")
            if node.orelse:  # type: ignore[attr-defined]
                self.clause(node.orelse, level, "else")  # type: ignore[attr-defined]
            if node.finalbody:  # type: ignore[attr-defined]
                self.clause(node.finalbody, level, "finally")  # type: ignore[attr-defined]
        elif t in (ast.With, ast.AsyncWith):
            self.compound(first, node.body, level, keyword)  # type: ignore[attr-defined]
        elif t is ast.Match:
            cases = node.cases  # type: ignore[attr-defined]
            header = self.add(first, self.header_end(first, [cases[0].pattern]), level, keyword)
            header.opens_block = True
            for case in cases:
                self.compound(case.pattern.lineno - 1, case.body, level + 1, "case")
        else:
            self.add(first, node.end_lineno - 1, level, keyword)  # type: ignore[operator]


def _start_row(node: ast.AST) -> int:
    """First row of a statement, decorators included (0-based)."""
    row = node.lineno - 1  # type: ignore[attr-defined]
    for dec in getattr(node, "decorator_list", ()):
        row = min(row, dec.lineno - 1)
    return row


def _starts_with_word(line: str, word: str) -> bool:
    text = line.lstrip()
    if not text.startswith(word):
        return False
    rest = text[len(word) : len(word) + 1]
    return not (rest.isalnum() or rest == "_")


# ---- the reference's structure -----------------------------------------------------------


def _reference_candidates(lines: Sequence[str]) -> list[int]:
    """Candidate lines with ``ignore_comments=True`` and ``ignore_global_defs=True``."""
    default = [i for i, s in enumerate(lines) if len(s.lstrip()) > 0 and s.lstrip()[0] != "#"]
    keep = set(default)
    out: list[int] = []
    open_def: str | None = None
    for i, s in enumerate(lines):
        if i not in keep:
            continue
        if open_def is None:
            out.append(i)
            eq = s.find("=")
            last = s.rstrip()[-1]
            if eq >= 0 and s[:eq].replace(" ", "").isupper() and last in "([":
                open_def = "(" if last == "(" else "["
        elif s.rstrip()[-1] == {"(": ")", "[": "]"}[open_def]:
            open_def = None
    return out


def reference_structure(lines: Sequence[str]) -> ProgramStructure:
    """The reference's structure: indentation children with its carried-indent rule.

    Depths are the reference's sampling weights (indentation in units of the first
    indentation width seen); they may be fractional, as in the reference.
    """
    n = len(lines)
    indents: list[int] = []
    li = 0
    tab_width: int | None = None
    for s in lines:
        if len(s.lstrip()) > 1:
            li = len(s) - len(s.lstrip())
        indents.append(li)
        if tab_width is None and li > 0:
            tab_width = li
    children = []
    for t in range(n):
        if t == n - 1 or indents[t] >= indents[t + 1]:
            children.append(())
            continue
        end = t + 1
        while end < n and indents[end] > indents[t]:
            end += 1
        children.append(tuple(range(t + 1, end)))
    depths: list[float] = []
    for li in indents:
        if li == 0 or tab_width is None:
            depths.append(0)
        else:
            d = li / tab_width
            depths.append(int(d) if d == int(d) else d)
    return ProgramStructure(
        candidates=tuple(_reference_candidates(lines)),
        children=tuple(children),
        depths=tuple(depths),  # type: ignore[arg-type]
        owner=tuple(range(n)),
    )
