"""Fixtures of the tree-sitter engine's tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from lintseq_core.host import PluginHost, get_host


@pytest.fixture(scope="session")
def host() -> PluginHost:
    return get_host()


@pytest.fixture(scope="session")
def deleted_with(host: PluginHost) -> Callable[[str, Sequence[str], int], set[int]]:
    """``deleted_with(language, lines, row)``: the rows (0-based) that the structure deletes
    with the item whose head is ``row`` (its children, transitively)."""

    def rows(language: str, lines: Sequence[str], row: int) -> set[int]:
        children = host.structure(language, "treesitter", lines).children
        out: set[int] = set()
        todo = [row]
        while todo:
            for c in children[todo.pop()]:
                if c not in out:
                    out.add(c)
                    todo.append(c)
        return out

    return rows
