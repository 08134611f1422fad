"""Python's own complaints in pylint's words: a ``SyntaxError`` as E0001, a lone ``\\r`` as E2511.

The line an E0001 is charged to decides which statement the sampler deletes with the edit,
so it follows the reference: the header named by "... on line N", or the ``try:`` that
lost its handlers.
"""

from __future__ import annotations

import re

from lintseq_core.types import Diagnostic

__all__ = ["lone_carriage_returns", "syntax_diagnostic"]

_ON_LINE = re.compile(r"on line (\d+)")


def syntax_diagnostic(exc: SyntaxError, source: str) -> Diagnostic:
    """pylint's E0001 for a state that does not parse, on the line the reference names."""
    msg = exc.msg or "invalid syntax"
    lines = source.split("\n")
    line = exc.lineno or 0
    m = _ON_LINE.search(msg)
    if m:
        line = int(m.group(1))
    elif "expected 'except' or 'finally' block" in msg:
        line = _enclosing_try(lines, line)
    if line > len(lines):
        line = len(lines)
    return Diagnostic(line, "E0001", f"Parsing failed: {msg!r}", syntax=True)


def _enclosing_try(lines: list[str], line: int) -> int:
    """The ``try:`` line that lost its handlers, searching up from the reported line."""
    row = min(line, len(lines)) - 1
    limit = None
    if 0 <= row < len(lines) and lines[row].strip():
        limit = len(lines[row]) - len(lines[row].lstrip())
    for k in range(row, -1, -1):
        s = lines[k]
        body = s.lstrip()
        if body.startswith("try") and body[3:].lstrip().startswith(":"):
            if limit is None or len(s) - len(body) <= limit:
                return k + 1
    return line


def lone_carriage_returns(source: str) -> list[Diagnostic]:
    """pylint's E2511: a carriage return not followed by a line feed.

    A state built from CRLF lines ends in a lone ``"\\r"`` whenever the original's last
    line is not in it; the reference counts that as an error on the state's last line.
    """
    out = []
    lines = source.split("\n")
    for number, line in enumerate(lines, 1):
        if "\r" in line[:-1] or (number == len(lines) and line.endswith("\r")):
            out.append(Diagnostic(number, "E2511", "Invalid unescaped character carriage-return"))
    return out
