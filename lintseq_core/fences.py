"""Markdown fence extraction shared by every language."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["extract_fenced_code", "iter_fences"]

_FENCE = re.compile(
    r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)?(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


def iter_fences(text: str) -> list[tuple[str, str]]:
    """All fenced blocks as ``(info tag, body)``; the tag is the first word, lower-cased."""
    out = []
    for m in _FENCE.finditer(text):
        info = m.group("info").strip().split()
        tag = info[0].lower() if info else ""
        body = m.group("body")
        out.append((tag, body[:-1] if body.endswith("\n") else body))
    return out


def extract_fenced_code(text: str, tags: Iterable[str]) -> str:
    """Join the fenced blocks whose tag is one of ``tags``; untagged fences count too.

    Text with no fence at all is returned unchanged (it is taken to be code already).
    Blocks of another language are skipped, so an answer that shows a shell command
    before its Python code yields only the Python.
    """
    wanted = {t.lower() for t in tags}
    fences = iter_fences(text)
    if not fences:
        return text
    tagged = [body for tag, body in fences if tag in wanted]
    if tagged:
        return "\n".join(tagged)
    untagged = [body for tag, body in fences if not tag]
    return "\n".join(untagged)
