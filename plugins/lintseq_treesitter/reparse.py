"""Parse a state by editing the tree of the state parsed before it (tree-sitter's incremental parse).

The sampler lints state after state of one program, each the one before less a few lines,
so a state's text is the previous one with one stretch changed. Telling tree-sitter which
bytes changed (``Tree.edit``) and handing it the old tree lets it reuse every subtree
outside that stretch: on large real files a parse then costs a fifth of a fresh one.

A tree without errors built that way is the one a fresh parse builds
(``tests/plugins/treesitter/test_reparse.py`` compares every node on the states of real
conversions in each language, and on states cut at random). Error recovery is not: from
reused subtrees it may recover another way, so a state whose tree has an error is parsed
afresh. A state's tree, and so its diagnostics, never depend on the state linted before it.

The changed stretch is found from the longest common prefix and suffix of the two texts
(binary searches over slice comparisons, so the work is done by ``memcmp``); a state that
shares little with the last one (another program) is parsed afresh. One last tree is kept
per language and thread.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tree_sitter

__all__ = ["ReusingParser", "changed_span"]

# Reuse the last tree only when at least this share of the new text is unchanged: below it
# the edit costs more bookkeeping than it saves.
_MIN_SHARED = 0.5


def _common_prefix(a: bytes, b: bytes) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: bytes, b: bytes, limit: int) -> int:
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def changed_span(old: bytes, new: bytes) -> tuple[int, int, int]:
    """(start, old end, new end): the one stretch that turns ``old`` into ``new`` (the
    bytes before ``start`` and after the ends are the same in both)."""
    start = _common_prefix(old, new)
    tail = _common_suffix(old, new, min(len(old), len(new)) - start)
    return start, len(old) - tail, len(new) - tail


def _point(data: bytes, pos: int) -> tuple[int, int]:
    """tree-sitter's point of a byte offset: (row, byte column)."""
    return data.count(b"\n", 0, pos), pos - (data.rfind(b"\n", 0, pos) + 1)


class ReusingParser:
    """A language's parser that hands it the tree of the text it parsed last."""

    def __init__(self, parser: tree_sitter.Parser) -> None:
        self.parser = parser
        self._last = threading.local()

    def parse(self, data: bytes) -> tree_sitter.Tree:
        last: tuple[bytes, tree_sitter.Tree] | None = getattr(self._last, "value", None)
        tree = None
        if last is not None:
            old, old_tree = last
            if old == data:
                return old_tree  # (trees are never changed once built, only edited here)
            start, old_end, new_end = changed_span(old, data)
            if len(data) - (new_end - start) >= _MIN_SHARED * len(data):
                # The old tree is edited in place: it is only ever used again here.
                old_tree.edit(
                    start_byte=start,
                    old_end_byte=old_end,
                    new_end_byte=new_end,
                    start_point=_point(old, start),
                    old_end_point=_point(old, old_end),
                    new_end_point=_point(data, new_end),
                )
                tree = self.parser.parse(data, old_tree)
                if tree.root_node.has_error:
                    # Error recovery may go another way when it starts from reused subtrees
                    # (seen on C: an identifier left a type or made an ERROR node): a state
                    # that does not parse is parsed afresh, so its diagnostics never depend
                    # on the state linted before it.
                    tree = None
        if tree is None:
            tree = self.parser.parse(data)
        self._last.value = (data, tree)
        return tree
