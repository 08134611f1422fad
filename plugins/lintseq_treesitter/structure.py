"""Blocks, candidate lines, owners and depths of an original program, from node spans.

An *item* is a named, non-comment child of a block node type (or of the root). The first
line of an item is its head: a candidate line whose children are the other lines of the
item (its body, its closing brace, its continuation lines). Lines that belong to an item
started on an earlier line are continuations, charged to that item's head. Items of
``pinned`` types (Go's package clause), and items a ``pinned_query`` captures as ``@pinned``,
are never sampled on their own: they go with their parent, or with the last edit; an error
charged to a pinned item deletes the item around it. Nodes the query captures as ``@unpinned``
stay free even when a pattern pins them (a match arm before a catch-all arm), and nodes it
captures as ``@leading`` (doc comments, attributes) go with the next item of their block:
they are deleted with it and never stay without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lintseq_core.types import ProgramStructure

if TYPE_CHECKING:
    import tree_sitter

    from lintseq_treesitter.compiled import CompiledLanguage

__all__ = ["program_structure"]


def _code_rows(compiled: CompiledLanguage, root: tree_sitter.Node, lines: Sequence[str]) -> list[bool]:
    """Rows with some text that is not inside a comment."""
    import tree_sitter

    encoded = [ln.encode("utf-8") for ln in lines]
    code = [bool(b.strip()) for b in encoded]
    if compiled.comment_query is None:
        return code
    covered: dict[int, list[tuple[int, int]]] = {}
    for node in tree_sitter.QueryCursor(compiled.comment_query).captures(root).get("comment", ()):
        (r0, c0), (r1, c1) = node.start_point, node.end_point
        for r in range(r0, min(r1, len(lines) - 1) + 1):
            covered.setdefault(r, []).append((c0 if r == r0 else 0, c1 if r == r1 else len(encoded[r])))
    for r, spans in covered.items():
        if not code[r]:
            continue
        chars = bytearray(encoded[r])
        for c0, c1 in spans:
            chars[c0:c1] = b" " * (c1 - c0)
        code[r] = bool(bytes(chars).strip())
    return code


def program_structure(compiled: CompiledLanguage, lines: Sequence[str]) -> ProgramStructure:
    """Structure of a program given as lines (without terminators)."""
    import tree_sitter

    spec = compiled.spec
    n = len(lines)
    tree = compiled.parser.parse("\n".join(lines).encode("utf-8"))
    root = tree.root_node
    code = _code_rows(compiled, root, lines)

    blocks = [root]
    if compiled.block_query is not None:
        found = tree_sitter.QueryCursor(compiled.block_query).captures(root).get("block", ())
        inner = [b for b in found if b.parent is not None]  # the root is already first
        blocks += sorted(inner, key=lambda b: (b.start_byte, -b.end_byte))
    # Depth of a block = blocks (other than the root) that contain it, itself included.
    open_blocks: list[tuple[int, int]] = []  # (end byte, depth)
    head_item: dict[int, tuple[int, int, str]] = {}  # row -> (end row, depth, type) of outermost item
    innermost = [-1] * n  # row -> start row of the innermost item that spans it
    enclosing: dict[int, int] = {}  # item head row -> head row of the item around it
    for k, block in enumerate(blocks):
        if k == 0:
            depth = 0
        else:
            while open_blocks and open_blocks[-1][0] <= block.start_byte:
                open_blocks.pop()
            depth = (open_blocks[-1][1] if open_blocks else 0) + 1
            open_blocks.append((block.end_byte, depth))
        # Outer blocks come first, so inner items paint over outer ones.
        for child in block.named_children:
            if child.type in spec.comments:
                continue
            start, end = child.start_point[0], child.end_point[0]
            if child.end_point[1] == 0 and end > start:
                end -= 1
            end = min(end, n - 1)
            if start not in head_item:
                head_item[start] = (end, depth, child.type)
                if innermost[start] >= 0 and innermost[start] != start:
                    enclosing[start] = innermost[start]
            else:
                old_end, old_depth, old_type = head_item[start]
                head_item[start] = (max(old_end, end), old_depth, old_type)
            for r in range(start, end + 1):
                innermost[r] = start

    # Items a query pins (e.g. members an interface requires) are deleted only with their parent.
    pinned_rows: set[int] = set()
    leading: list[tree_sitter.Node] = []
    if compiled.pinned_query is not None:
        found = tree_sitter.QueryCursor(compiled.pinned_query).captures(root)
        unpinned = {(n.start_byte, n.end_byte) for n in found.get("unpinned", ())}
        leading = sorted(found.get("leading", ()), key=lambda n: n.start_byte)
        for node in found.get("pinned", ()):
            if (node.start_byte, node.end_byte) in unpinned:
                continue
            # A node on the same line as the block that holds it (`{ x: number }`) is part
            # of that line's item, not an item of its own: pinning it would pin that item.
            parent = node.parent
            if parent is not None and parent.parent is not None and parent.start_point[0] == node.start_point[0]:
                continue  # (the root holds items on its first line that are items of their own)
            pinned_rows.add(node.start_point[0])

    owner = list(range(n))
    depths = [0] * n
    children: list[tuple[int, ...]] = [()] * n
    candidates = []
    for r in range(n):
        if r in head_item:
            end, depth, node_type = head_item[r]
            depths[r] = depth
            children[r] = tuple(range(r + 1, end + 1))
            if code[r] and node_type not in spec.pinned and r not in pinned_rows:
                candidates.append(r)
        elif innermost[r] >= 0:
            owner[r] = innermost[r]
        elif code[r]:
            candidates.append(r)
    for r in range(n):
        if owner[r] != r:
            depths[r] = depths[owner[r]]
    # A diagnostic on a pinned item deletes the item around it (a class whose constructor
    # or interface member cannot stay), since the pinned item never goes on its own.
    for r in sorted(r for r in head_item if r in pinned_rows or head_item[r][2] in spec.pinned):
        o = enclosing.get(r, r)
        seen = {r}
        while o in enclosing and o not in seen and (o in pinned_rows or head_item[o][2] in spec.pinned):
            seen.add(o)
            o = enclosing[o]
        owner[r] = o
    # ... and so does a diagnostic on one of its continuation lines (a constructor parameter
    # whose type was deleted), not only one on its head.
    for r in range(n):
        p = owner[r]
        if p != r and owner[p] != p:
            owner[r] = owner[p]
    if leading:
        candidates = _attach_leading(leading, spec.comments, head_item, candidates, children, depths, owner)
    data = "\n".join(lines).encode("utf-8")
    if spec.rebinding_uses:
        # A use that would resolve to another definition of its name once its own is gone
        # (a local named like a package-level function, a field several types declare) is
        # deleted with that definition: no per-state check can tell the two apart.
        from lintseq_treesitter.analysis import rebinding_rows

        _attach_uses(rebinding_rows(compiled, root, data), children, owner)
    if compiled.links_query is not None:
        # Items linked by a key's text (Go: a struct's fields and that struct's positional
        # literals, `Point{1, 2}`, which need every field): each `@from` item takes every
        # `@to` item of its key with it. A key captured as `@key.<kind>` links only within
        # its kind (C++: a class's data members and its aggregate initializers, apart from
        # its constructors and every construction, both keyed by the class's name).
        froms: dict[tuple[str, bytes], set[int]] = {}
        tos: dict[tuple[str, bytes], set[int]] = {}
        lenders: dict[tuple[str, bytes], set[bytes]] = {}
        for _, match in tree_sitter.QueryCursor(compiled.links_query).matches(root):
            kind = next((c for c in match if c == "key" or c.startswith("key.")), None)
            if kind is not None:
                key = (kind, match[kind][0].text or b"")
                froms.setdefault(key, set()).update(n.start_point[0] for n in match.get("from", ()))
                tos.setdefault(key, set()).update(n.start_point[0] for n in match.get("to", ()))
                lenders.setdefault(key, set()).update(n.text or b"" for n in match.get("lends", ()))
        links: dict[int, set[int]] = {}
        for key, rows in froms.items():
            for row in rows:
                links.setdefault(row, set()).update(tos.get(key, ()))
        # `@lends` names keys whose `@from` items count as the key's own, transitively (Go: a
        # struct has the methods of the types it embeds).
        for (kind, name), targets in tos.items():
            seen, todo = {name}, list(lenders.get((kind, name), ()))
            while todo:
                lender = todo.pop()
                if lender not in seen:
                    seen.add(lender)
                    todo.extend(lenders.get((kind, lender), ()))
                    for row in froms.get((kind, lender), ()):
                        links.setdefault(row, set()).update(targets)
        _attach_uses(links, children, owner)
    if spec.probe is not None:
        # What only the compiler sees (a type used as an interface needs its methods),
        # learned from one compiler run on a variant of the original.
        from lintseq_treesitter.probe import probe_dependents

        _attach_uses(probe_dependents(compiled, root, data), children, owner)
    return ProgramStructure(
        candidates=tuple(candidates),
        children=tuple(children),
        depths=tuple(depths),
        owner=tuple(owner),
    )


def _attach_uses(uses: dict[int, set[int]], children: list[tuple[int, ...]], owner: list[int]) -> None:
    """Make the items holding ``uses[row]`` children of the item holding ``row``."""
    n = len(owner)
    for row, use_rows in uses.items():
        if not 0 <= row < n:
            continue
        head = owner[row]
        extra = sorted({owner[r] for r in use_rows if 0 <= r < n} - set(children[head]) - {head})
        if extra:
            children[head] = (*children[head], *extra)


def _attach_leading(
    leading: list[tree_sitter.Node],
    comments: frozenset[str],
    head_item: dict[int, tuple[int, int, str]],
    candidates: list[int],
    children: list[tuple[int, ...]],
    depths: list[int],
    owner: list[int],
) -> list[int]:
    """Give the rows of each leading node (a doc comment, an attribute) to the next item of
    its block: they become that item's children, charged to its owner, never sampled alone.
    A doc comment or attribute left without its item is an error (rustc: "expected item
    after doc comment"), and an item without its attributes may lack a derived trait."""
    spans = {(n.start_byte, n.end_byte) for n in leading}
    taken: set[int] = set()
    for node in leading:
        target = node.next_named_sibling
        while target is not None and (target.type in comments or (target.start_byte, target.end_byte) in spans):
            target = target.next_named_sibling
        if target is None:
            continue
        head = target.start_point[0]
        first, last = node.start_point[0], node.end_point[0]
        if node.end_point[1] == 0 and last > first:  # a line comment ends after its newline
            last -= 1
        if head not in head_item or head <= last:
            continue  # on the item's own line (`#[inline] fn f()`): already one item
        rows = tuple(r for r in range(first, last + 1) if r not in children[head])
        children[head] = (*children[head], *rows)
        for r in rows:
            owner[r] = owner[head]
            depths[r] = depths[head]
            taken.add(r)
    return [r for r in candidates if r not in taken]
