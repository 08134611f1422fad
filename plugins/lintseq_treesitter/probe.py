"""Compiler-informed structure: dependencies no syntax tree shows, learned once per program.

In Go a type used as an interface value needs every method the interface lists, and a
positional struct literal (`Point{1, 2}`) needs every field of its type; only the type
checker knows where such uses are (`sort.Sort(byName(x))`, `return &MyErr{}` as an
`error`, `[]Point{{1, 2}}`). A language's ``[probe]`` names a compiler command and rules:
each rule's query captures ``@rename`` nodes, which get the rule's suffix (and prefix) in
one variant of the original (a method renamed, a field added, a Rust impl configured out
by a `#[cfg(any())]` prefix), ``@owner`` (whose they are: the type)
and ``@member`` nodes (default: the ``@rename`` ones); each match of the rule's patterns
in the compiler's output gives a ``line`` that needs the members of an ``owner``. That line
then goes with each of those members: deleting any of them deletes it. One compiler run
per program, none per state; without the compiler (or when it fails or times out) the
structure is built without the probe.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tree_sitter

    from lintseq_treesitter.compiled import CompiledLanguage
    from lintseq_treesitter.spec import Probe

__all__ = ["probe_dependents"]


def probe_dependents(compiled: CompiledLanguage, root: tree_sitter.Node, data: bytes) -> dict[int, set[int]]:
    """Row of a member -> rows (0-based) that the compiler says need it."""
    import tree_sitter

    probe = compiled.spec.probe
    if probe is None or not probe.command or not compiled.probe_queries:
        return {}
    exe = shutil.which(probe.command[0])
    if exe is None:
        return {}
    # Rules with the same `variant` share one edited copy and one compiler run; a rule whose
    # edit would hide another's uses (Rust: configuring impls out hides the field uses in
    # their bodies) names a variant of its own.
    inserts: dict[str, dict[int, bytes]] = {}
    rows_of: list[dict[str, list[int]]] = []  # per rule: owner -> member rows
    for rule, query in zip(probe.rules, compiled.probe_queries, strict=True):
        rows: dict[str, list[int]] = {}
        edits = inserts.setdefault(rule.variant, {})
        for _, match in tree_sitter.QueryCursor(query).matches(root):
            owners = match.get("owner", ())
            renamed = match.get("rename", ())
            for node in (*renamed, *match.get("member", ())):
                owner = ((owners[0] if owners else node).text or b"").decode("utf-8", "replace")
                if node in renamed:
                    edits[node.end_byte] = edits.get(node.end_byte, b"") + rule.suffix.replace("{owner}", owner).encode()
                    if rule.prefix:
                        before = rule.prefix.replace("{owner}", owner).encode()
                        edits[node.start_byte] = before + edits.get(node.start_byte, b"")
                if node in renamed and "member" in match:
                    continue
                rows.setdefault(owner, []).append(node.start_point[0])
        rows_of.append(rows)
    out: dict[int, set[int]] = {}
    occurrences: dict[bytes, set[int]] = {}  # leaf text -> rows, built on first need
    variants = {name: edits for name, edits in inserts.items() if edits}
    for name, output in _outputs(probe, exe, data, variants).items():
        if output is None:
            continue
        for rule, rows in zip(probe.rules, rows_of, strict=True):
            if rule.variant != name:
                continue
            for pattern in rule.patterns:
                for m in re.finditer(pattern, output, re.MULTILINE):
                    owner = m.group("owner")
                    lines = {int(m.group("line")) - 1}
                    if rule.every_use:
                        lines |= _rows_naming(root, owner.encode(), occurrences)
                    for row in rows.get(owner, ()):
                        out.setdefault(row, set()).update(lines)
    return out


def _rows_naming(root: tree_sitter.Node, name: bytes, cache: dict[bytes, set[int]]) -> set[int]:
    """Rows (0-based) of the leaf nodes whose text is ``name``."""
    if not cache:
        stack = [root]
        while stack:
            node = stack.pop()
            if node.child_count:
                stack.extend(node.children)
            elif node.is_named and node.text:
                cache.setdefault(node.text, set()).add(node.start_point[0])
        cache.setdefault(b"", set())  # built
    return cache.get(name, set())


def _outputs(probe: Probe, exe: str, data: bytes, variants: dict[str, dict[int, bytes]]) -> dict[str, str | None]:
    """The compiler's output on each variant: one run for all of them where the language allows.

    A compiler start costs more than checking one more file where the standard library is
    loaded once per run (tsc: `lib.dom.d.ts`); so, when the original matches the probe's
    ``together_when``, the variants are checked in one run, each in a folder of its own.
    """
    if len(variants) > 1 and probe.together_when and re.search(probe.together_when, data.decode("utf-8", "replace")):
        return _compile_together(probe, exe, data, variants)
    return {name: _compile(probe, exe, data, edits) for name, edits in variants.items()}


def _edited(data: bytes, edits: dict[int, bytes]) -> bytes:
    variant = bytearray(data)
    for end in sorted(edits, reverse=True):
        variant[end:end] = edits[end]
    return bytes(variant)


def _run(probe: Probe, argv: list[str], cwd: str) -> str | None:
    try:
        proc = subprocess.run(
            argv, cwd=cwd, capture_output=True, text=True, errors="replace",
            timeout=probe.timeout, env={**os.environ, **dict(probe.env)}, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout + "\n" + proc.stderr


def _compile(probe: Probe, exe: str, data: bytes, edits: dict[int, bytes]) -> str | None:
    """The compiler's output on the original with ``edits`` (position -> inserted bytes)."""
    with tempfile.TemporaryDirectory(prefix="lintseq-probe-") as tmp:
        path = Path(tmp) / probe.filename
        path.write_bytes(_edited(data, edits))
        argv = [exe, *(a.replace("{file}", str(path)).replace("{dir}", tmp) for a in probe.command[1:])]
        return _run(probe, argv, tmp)


def _compile_together(probe: Probe, exe: str, data: bytes, variants: dict[str, dict[int, bytes]]) -> dict[str, str | None]:
    """One run over every variant (``<i>/<filename>``); its output split by file.

    A line that starts with a variant's path, and the lines that continue it, are that
    variant's; lines before the first (errors of no file) belong to every variant.
    """
    with tempfile.TemporaryDirectory(prefix="lintseq-probe-") as tmp:
        paths = []
        for i, edits in enumerate(variants.values()):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            (folder / probe.filename).write_bytes(_edited(data, edits))
            paths.append(f"{i}/{probe.filename}")
        argv = [exe]
        for arg in probe.command[1:]:
            argv.extend(paths if arg == "{file}" else [arg])
        output = _run(probe, argv, tmp)
    if output is None:
        return dict.fromkeys(variants)
    shared: list[str] = []
    lines: list[list[str]] = [[] for _ in paths]
    current: list[str] = shared
    for line in output.splitlines():
        for i, path in enumerate(paths):
            if line.startswith(path) or line.startswith(f"{tmp}/{path}"):
                current = lines[i]
                break
        current.append(line)
    return {name: "\n".join([*shared, *own]) + "\n" for name, own in zip(variants, lines, strict=True)}
