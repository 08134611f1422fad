"""The shared engine: one parse per program state, then data-driven checks.

From a language's data (node types, ``locals.scm`` captures and rules) it reports:

* syntax errors: ERROR and MISSING nodes (``syntax=True``);
* references with no visible definition, resolved through the scopes of the ``locals``
  query (code ``undefined:<name>``, so the sampler's baseline can tell a name the original
  already could not resolve, e.g. a library function, from one whose definition was deleted);
* per-language rules (``forbid``, ``unused``, ``requires``, ``missing_return``, ``inferred``).

Nothing here names a language.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from lintseq_core.types import Diagnostic

if TYPE_CHECKING:
    import tree_sitter

    from lintseq_treesitter.compiled import CompiledLanguage
    from lintseq_treesitter.spec import LanguageSpec, Rule

__all__ = ["analyze_source", "definition_name", "syntax_errors"]

_INF = 1 << 62
_QUOTES = "\"'`<>"
_SEGMENTS = re.compile(r"::|/|\.")


def syntax_errors(root: tree_sitter.Node) -> list[Diagnostic]:
    """One diagnostic per ERROR node and per MISSING node, at the line where it starts."""
    out: list[Diagnostic] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing:
            out.append(Diagnostic(node.start_point[0] + 1, "syntax-missing", f"missing {node.type}", True))
            continue
        if node.is_error:
            out.append(Diagnostic(node.start_point[0] + 1, "syntax-error", "cannot parse", True))
        stack.extend(c for c in node.children if c.has_error or c.is_missing)
    return out


def definition_name(text: str, mode: str) -> str:
    """The name a definition binds: imports bind a path's last (or first) segment."""
    if mode not in ("import", "import.first"):
        return text
    parts = [p for p in _SEGMENTS.split(text.strip(_QUOTES)) if p]
    if not parts:
        return text
    return parts[0] if mode == "import.first" else parts[-1]


_MODES = {
    "local.definition": ("ordered", ""),
    "local.definition.var": ("ordered", "var"),
    "local.definition.hoisted": ("hoisted", ""),
    "local.definition.hoisted.var": ("hoisted", "var"),
    "local.definition.parent": ("parent", ""),
    "local.definition.parent.ordered": ("parent.ordered", ""),
    "local.definition.import": ("hoisted", "import"),
    "local.definition.import.first": ("hoisted", "import.first"),
}


class _Resolution:
    """Scopes, definitions and references of one state, resolved once.

    Names are kept as bytes sliced from the source and rows are computed only for the
    nodes that end up in a diagnostic: this loop runs on every lint call.
    """

    __slots__ = ("def_at", "defs", "refs_by_name", "resolved", "row", "undefined", "used")

    def __init__(self, compiled: CompiledLanguage, root: tree_sitter.Node, data: bytes) -> None:
        import tree_sitter

        ignored = compiled.ignored_names
        caps = tree_sitter.QueryCursor(compiled.locals_query).captures(root) if compiled.locals_query else {}
        # Per-pattern properties: `local.namespace` keeps e.g. Java methods apart from
        # variables; `local.visible-after "parent"` (or an ancestor's node type) makes a
        # definition visible only after that node (Python's `x = f(x)` reads an older x);
        # `local.resolve "anywhere"` lets a reference resolve to a definition of its name in
        # any scope (TypeScript's `obj.member`: some class or interface must still declare it);
        # `local.names "<regex>"` reads the names a string mentions (Rust's `format!("{x}")`):
        # every match's first group is a reference.
        props: dict[int, tuple[bytes, str, tree_sitter.Node, bool, re.Pattern[bytes] | None]] = {}
        owner_capture: dict[int, str] = {}  # a node with properties takes that pattern's capture
        if compiled.settings_query is not None:
            for pattern, match in tree_sitter.QueryCursor(compiled.settings_query).matches(root):
                setting = compiled.settings[pattern]
                ns = setting.get("local.namespace", "").encode()
                after = setting.get("local.visible-after", "")
                anywhere = setting.get("local.resolve", "") == "anywhere"
                names_re = _names_pattern(setting.get("local.names", ""))
                for cap_name, nodes in match.items():
                    if cap_name.startswith("_"):  # predicate helpers carry no properties
                        continue
                    for node in nodes:
                        props[node.start_byte] = (ns + b"\0" if ns else b"", after, node, anywhere, names_re)
                        owner_capture[node.start_byte] = cap_name
        scopes = sorted({(n.start_byte, n.end_byte) for n in caps.get("local.scope", ())}, key=lambda s: (s[0], -s[1]))
        # (position, order, payload): scope openings sort before items at the same byte.
        seen: set[int] = set()
        items: list[tuple[int, int, tuple]] = []
        for cap, (where, kind) in _MODES.items():
            for node in caps.get(cap, ()):
                pos = node.start_byte
                if pos in seen or owner_capture.get(pos, cap) != cap:
                    continue
                seen.add(pos)
                name = data[pos : node.end_byte]
                if kind:
                    name = definition_name(name.decode("utf-8", "replace"), kind).encode()
                if name in ignored:
                    continue
                visible = pos
                prop = props.get(pos)
                if prop:
                    name = prop[0] + name
                    if prop[1]:
                        # "parent", or the type of the ancestor after which the name is visible
                        anc = prop[2].parent
                        if prop[1] != "parent":
                            while anc is not None and anc.type != prop[1]:
                                anc = anc.parent
                        if anc is not None:
                            visible = anc.end_byte
                items.append((pos, 1, ("def", name, where, kind, visible)))
        writes = {n.start_byte for n in caps.get("local.reference.write", ())}
        anywhere_refs: set[int] = set()
        for cap in ("local.reference", "local.reference.write"):
            for node in caps.get(cap, ()):
                pos = node.start_byte
                if pos in seen:
                    continue
                seen.add(pos)  # a node captured twice counts once
                name = data[pos : node.end_byte]
                prop = props.get(pos)
                if prop and prop[4] is not None:
                    for m in prop[4].finditer(name):
                        if m.group(1) not in ignored:
                            items.append((pos + m.start(1), 1, ("ref", prop[0] + m.group(1), False)))
                    continue
                if name in ignored:
                    continue
                if prop:
                    name = prop[0] + name
                    if prop[3]:
                        anywhere_refs.add(pos)
                items.append((pos, 1, ("ref", name, pos in writes)))
        for k, (start, end) in enumerate(scopes, start=1):
            items.append((start, 0, ("scope", k, end)))
        items.sort(key=lambda it: (it[0], it[1]))

        parent = [-1] + [0] * len(scopes)
        ends = [_INF] + [0] * len(scopes)
        defs: list[dict[bytes, list[tuple[int, bool, int]]]] = [{} for _ in range(len(scopes) + 1)]
        def_info: list[tuple[bytes, str, int]] = []  # (name, kind, position)
        refs: list[tuple[bytes, int, int, bool]] = []  # (name, pos, scope, write)
        stack = [0]
        for pos, _, payload in items:
            while ends[stack[-1]] <= pos:
                stack.pop()
            tag = payload[0]
            if tag == "scope":
                k = payload[1]
                ends[k] = payload[2]
                parent[k] = stack[-1]
                stack.append(k)
            elif tag == "def":
                _, name, where, kind, visible = payload
                scope = stack[-1]
                if where.startswith("parent") and scope != 0:
                    scope = parent[scope]
                defs[scope].setdefault(name, []).append((visible, where in ("hoisted", "parent"), len(def_info)))
                def_info.append((name, kind, pos))
            else:
                refs.append((payload[1], pos, stack[-1], payload[2]))

        used: set[int] = set()
        resolved: dict[int, int] = {}  # reference position -> definition it resolves to
        undefined: list[tuple[bytes, int]] = []
        any_scope: dict[bytes, int] = {}
        if anywhere_refs:
            for scope_defs in defs:
                for dname, entries in scope_defs.items():
                    any_scope.setdefault(dname, entries[0][2])
        for name, pos, scope, write in refs:
            found = -1
            s = scope
            while s != -1 and found < 0:
                for dpos, hoisted, did in defs[s].get(name, ()):
                    if hoisted or dpos <= pos:
                        found = did
                        break
                s = parent[s]
            if found < 0 and pos in anywhere_refs:
                found = any_scope.get(name, -1)
            if found < 0:
                undefined.append((name, pos))
                continue
            resolved[pos] = found
            if not write:
                used.add(found)
        self.undefined = undefined
        self.resolved = resolved
        self.def_at = {pos: did for did, (_, _, pos) in enumerate(def_info)}
        self.used = used
        self.defs = def_info
        by_name: dict[bytes, list[int]] = {}
        for name, pos, _, _ in refs:
            by_name.setdefault(name, []).append(pos)
        self.refs_by_name = by_name
        newlines = _newlines(data)
        self.row = lambda pos: bisect.bisect_left(newlines, pos)


_NAME_PATTERNS: dict[str, re.Pattern[bytes] | None] = {"": None}


def _names_pattern(text: str) -> re.Pattern[bytes] | None:
    if text not in _NAME_PATTERNS:
        _NAME_PATTERNS[text] = re.compile(text.encode("utf-8"))
    return _NAME_PATTERNS[text]


def _newlines(data: bytes) -> list[int]:
    out, i = [], data.find(b"\n")
    while i >= 0:
        out.append(i)
        i = data.find(b"\n", i + 1)
    return out


def _last_statement(node: tree_sitter.Node, comments: frozenset[str]) -> tree_sitter.Node | None:
    for child in reversed(node.named_children):
        if child.type not in comments:
            return child
    return None


def _contains(node: tree_sitter.Node, types: frozenset[str]) -> bool:
    stack = list(node.named_children)
    while stack:
        n = stack.pop()
        if n.type in types:
            return True
        stack.extend(n.named_children)
    return False


def _branch_terminates(node: tree_sitter.Node, field: str, spec: LanguageSpec, depth: int) -> bool:
    """One arm of a branch: a field (``consequence``), or ``child_type.field`` for every
    child of that type (``catch_clause.body``: every catch must end in a terminator too)."""
    if "." not in field:
        return _terminates(node.child_by_field_name(field), spec, depth)
    child_type, child_field = field.split(".", 1)
    return all(
        _terminates(child.child_by_field_name(child_field), spec, depth)
        for child in node.named_children
        if child.type == child_type
    )


def _terminates(node: tree_sitter.Node | None, spec: LanguageSpec, depth: int = 0) -> bool:
    """Whether control can never fall off the end of ``node`` (a conservative reading)."""
    if node is None or depth > 200:
        return False
    t = node.type
    if t in spec.terminal:
        return True
    if t in spec.sequences:
        last = _last_statement(node, spec.comments)
        if last is None:
            return False
        if spec.tail_expression and t in spec.tail_blocks and last.type not in spec.statements:
            # A tail expression gives the block its value, unless its type is unit (a loop,
            # an assignment) or it is a branch whose arms decide.
            if any(last.type == b for b, _ in spec.branches):
                return _terminates(last, spec, depth + 1)
            return last.type not in spec.unit_expressions
        return _terminates(last, spec, depth + 1)
    for btype, fields in spec.branches:
        if t == btype:
            return all(_branch_terminates(node, f, spec, depth + 1) for f in fields)
    if t in spec.switches:
        # A switch with a default arm and no break; with `arms` (no fall-through, as in Go)
        # every arm must end in a terminator, otherwise the last one must.
        defaults, arms = spec.switches[t]
        if not _contains(node, defaults) or _contains(node, spec.breaks):
            return False
        if arms:
            return all(
                _terminates(_last_statement(arm, spec.comments), spec, depth + 1)
                for arm in node.named_children
                if arm.type in arms
            )
        last: tree_sitter.Node | None = node
        for _ in range(4):
            last = _last_statement(last, spec.comments) if last is not None else None
            if last is None:
                return False
            if last.type in spec.terminal:
                return True
        return False
    for ltype, cond_field in spec.loops:
        if t == ltype:
            if cond_field:
                cond = node.child_by_field_name(cond_field)
                forever = cond is None or cond.text.decode("utf-8", "replace").strip("() \t\n") == "true"
            else:  # no condition field: a loop made only of its body runs for ever
                forever = sum(1 for c in node.named_children if c.type not in spec.comments) == 1
            return forever and not _contains(node, spec.breaks)
    return False


def _qualified(data: bytes, start: int) -> bool:
    return data[max(0, start - 2) : start] == b"::" or data[max(0, start - 1) : start] == b"."


def _rule_diagnostics(
    compiled: CompiledLanguage,
    index: int,
    rule: Rule,
    root: tree_sitter.Node,
    data: bytes,
    text: str,
    resolution: _Resolution | None,
    refs_by_name: dict[bytes, list[int]] | None,
    shared: dict[int, dict],
) -> list[Diagnostic]:
    import tree_sitter

    spec = compiled.spec
    out: list[Diagnostic] = []
    caps: dict = {}
    if index in compiled.rule_queries and rule.kind in ("forbid", "requires"):
        q = compiled.rule_queries[index]
        caps = shared.get(id(q))  # rules with the same query run it once per state
        if caps is None:
            caps = shared[id(q)] = tree_sitter.QueryCursor(q).captures(root)
    if rule.kind == "forbid":
        for node in caps.get("error", ()):
            out.append(Diagnostic(node.start_point[0] + 1, rule.code, rule.message))
    elif rule.kind == "unused" and resolution is not None:
        kinds = set(rule.definitions)
        for did, (raw, kind, pos) in enumerate(resolution.defs):
            if kind in kinds and did not in resolution.used:
                name = raw.rpartition(b"\0")[2].decode("utf-8", "replace")
                out.append(Diagnostic(resolution.row(pos) + 1, f"{rule.code}:{name}", rule.message or f"{name} is not used"))
    elif rule.kind == "requires":
        names = set(rule.names)
        hits: list[tuple[str, int]]
        if "name" in caps:
            key = ("hits", id(caps))
            hits = shared.get(key)  # type: ignore[call-overload]
            if hits is None:
                hits = shared[key] = [  # type: ignore[index]
                    (n.text.decode("utf-8", "replace"), n.start_byte) for n in caps["name"]
                ]
        else:
            by_name = refs_by_name or {}
            hits = [
                (name.decode(), pos)
                for name in compiled.rule_names[index].intersection(by_name)
                for pos in by_name[name]
            ]
        satisfied: dict[str, bool] = {}
        for name, pos in hits:
            if name not in names or (rule.unqualified_only and _qualified(data, pos)):
                continue
            ok = satisfied.get(name)
            if ok is None:
                ok = any(
                    re.search(p.replace("{name}", re.escape(name)), text, re.MULTILINE) for p in rule.needs
                )
                satisfied[name] = ok
            if not ok:
                row = resolution.row(pos) if resolution is not None else data.count(b"\n", 0, pos)
                out.append(Diagnostic(row + 1, f"{rule.code}:{name}", rule.message or f"{name} needs {rule.needs[0]}"))
    elif rule.kind == "inferred" and resolution is not None:
        # A definition whose type only a later use fixes (Rust's `let mut v = vec![];` before
        # `v.push(x)`) needs one such use that resolves to it; a use inside a deleted line
        # leaves the definition flagged, so the sampler deletes it too.
        found = tree_sitter.QueryCursor(compiled.rule_queries[index]).captures(root)
        fixed = {resolution.resolved.get(n.start_byte, -1) for n in found.get("use", ())}
        for node in found.get("definition", ()):
            did = resolution.def_at.get(node.start_byte)
            if did is None or did not in fixed:
                name = node.text.decode("utf-8", "replace")
                out.append(Diagnostic(node.start_point[0] + 1, f"{rule.code}:{name}", rule.message or f"{name} needs a use that fixes its type"))
    elif rule.kind in ("missing_return", "nonempty"):
        # Matches keep each function (or statement) with its own body.
        for _, match in tree_sitter.QueryCursor(compiled.rule_queries[index]).matches(root):
            bodies = match.get("body", ())
            heads = match.get("function") or match.get("error") or bodies
            if not bodies or not heads:
                continue
            body = bodies[0]
            if rule.kind == "missing_return":
                broken = not _terminates(body, spec)
            else:
                broken = _last_statement(body, spec.comments) is None
            if broken:
                out.append(Diagnostic(heads[0].start_point[0] + 1, rule.code, rule.message or rule.kind))
    return out


def analyze_source(compiled: CompiledLanguage, source: str) -> list[Diagnostic]:
    """Every error of one program state, sorted by line."""
    data = source.encode("utf-8")
    tree = compiled.parser.parse(data)
    root = tree.root_node
    diags: list[Diagnostic] = syntax_errors(root) if root.has_error else []
    resolution = _Resolution(compiled, root, data) if compiled.locals_query is not None else None
    refs_by_name = resolution.refs_by_name if resolution is not None else None
    if resolution is not None:
        for raw, pos in resolution.undefined:
            name = raw.rpartition(b"\0")[2].decode("utf-8", "replace")
            row = resolution.row(pos)
            diags.append(Diagnostic(row + 1, f"undefined:{name}", f"{name} has no visible definition"))
    spec = compiled.spec
    shared: dict = {}
    for index, rule in enumerate(spec.rules):
        diags.extend(_rule_diagnostics(compiled, index, rule, root, data, source, resolution, refs_by_name, shared))
    diags.sort(key=lambda d: (d.line, d.code))
    return diags

