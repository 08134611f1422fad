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

import itertools
import operator
import re
from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

from lintseq_core.types import Diagnostic

if TYPE_CHECKING:
    import tree_sitter

    from lintseq_treesitter.compiled import AssignmentSets, CompiledLanguage
    from lintseq_treesitter.spec import LanguageSpec, Rule

__all__ = ["analyze_source", "definition_name", "rebinding_rows", "syntax_errors"]

_INF = 1 << 62
_POSITION_ORDER = operator.itemgetter(0, 1)  # of `_Resolution`'s items: position, then order
_LINE_CODE = operator.attrgetter("line", "code")  # the order of a state's diagnostics
_QUOTES = "\"'`<>"
_SEGMENTS = re.compile(r"::|/|\.")


def syntax_errors(root: tree_sitter.Node, tolerated: tree_sitter.Query | None = None) -> list[Diagnostic]:
    """One diagnostic per ERROR node and per MISSING node, at the line where it starts; none
    for the `@tolerated` captures of ``tolerated`` (and what an ERROR among them holds)."""
    import tree_sitter

    ok: set[tuple[int, int, str]] = set()
    if tolerated is not None:
        for nodes in tree_sitter.QueryCursor(tolerated).captures(root).values():
            ok.update((n.start_byte, n.end_byte, n.type) for n in nodes)
    out: list[Diagnostic] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if ok and (node.start_byte, node.end_byte, node.type) in ok and (node.is_missing or node.is_error):
            continue
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

    __slots__ = (
        "anywhere", "by_name", "def_at", "def_scope", "defs", "parent", "refs", "resolved", "row",
        "scope_defs", "undefined", "used",
    )

    def __init__(self, compiled: CompiledLanguage, root: tree_sitter.Node, data: bytes) -> None:
        ignored = compiled.ignored_names
        caps, setting_matches = _locals_matches(compiled, root)
        # Per-pattern properties: `local.namespace` keeps e.g. Java methods apart from
        # variables; `local.visible-after "parent"` (or an ancestor's node type) makes a
        # definition visible only after that node (Python's `x = f(x)` reads an older x);
        # `local.resolve "anywhere"` lets a reference resolve to a definition of its name in
        # any scope (TypeScript's `obj.member`: some class or interface must still declare it),
        # `local.resolve "any-namespace"` to a definition of its name in any scope and any
        # namespace (TypeScript's `Panel.IOptions`: a namespace's export or a static member);
        # `local.names "<regex>"` reads the names a string mentions (Rust's `format!("{x}")`):
        # every match's first group, where it took part, is a reference;
        # `local.redeclaration "assigns"` makes a definition of a name its scope already
        # defines an assignment to that variable (Go's `b, err := g()` after
        # `a, err := f()`: one `err`, used if either line's is);
        # `local.priority "<n>"`: where patterns with properties capture the same node, the
        # highest priority wins (Rust's `x.f()` is a method call, `x.f` a field access);
        # `local.also-namespace "<ns> ..."` defines the name in those namespaces too (Java's fields
        # are variables in their class and the only targets of `this.x`); `{capture}` in one is
        # that capture's text (Rust: a trait impl's method is its type's and its trait's), `-`
        # the namespace of plain names; on a reference it makes it also a use of its name in those
        # namespaces, resolved anywhere (Rust's shorthand `S { x }` reads the local `x` and some
        # struct's field `x`); `local.also-reference "root"` makes a definition also a
        # use of its name at the top level (Rust's `use crate::{X};` in a module needs an `X`
        # in the file's top level).
        # `local.namespace-from "<capture>"` appends the text of that capture of the same match
        # to the namespace (Rust's `impl Point { fn new() }` and `Point::new()`: the type's own).
        props: dict[int, tuple[bytes, str, tree_sitter.Node, str, re.Pattern[bytes] | None, bool, tuple[bytes, ...], bool]] = {}
        owner_capture: dict[int, str] = {}  # a node with properties takes that pattern's capture
        ranks: dict[int, int] = {}
        # `local.instance` marks a definition (Java's instance field) that a reference cannot
        # see from beyond a scope marked `local.scope-barrier` (a static method or nested class).
        instance_pos: set[int] = set()
        barrier_pos: set[int] = set()
        # `local.scope-of "<node type> ..."` puts a definition in the scope its nearest ancestor of
        # one of those types opens, however deep it sits (C's labels belong to their function,
        # TypeScript's `var` in a block to its function).
        scope_of: dict[int, frozenset[str]] = {}
        # `local.expands` marks a macro's name: the names its body (the node around the name)
        # takes from scopes it cannot see are read again where it is used (C's
        # `#define mycase(c) case c: s = #c` needs an `s` in each function that expands it).
        expands_pos: dict[int, tuple[int, int]] = {}
        values = compiled.setting_values
        for pattern, match in setting_matches:
            (ns, after, anywhere, names_re, assigns, rank, also, also_fill, instance, barrier, ns_from_cap,
             home_types, expands, root_ref, _) = values[pattern]
            if also_fill:
                also = tuple(_fill(a, match).encode() for a in also_fill)
            ns_from = match.get(ns_from_cap, ()) if ns_from_cap else ()
            if ns_from:
                ns = ns + b":" + (ns_from[0].text or b"")
            ns = ns + b"\0" if ns else b""
            for cap_name, nodes in match.items():
                if cap_name.startswith("_"):  # predicate helpers carry no properties
                    continue
                for node in nodes:
                    pos = node.start_byte
                    if ranks.get(pos, rank) > rank:
                        continue
                    ranks[pos] = rank
                    props[pos] = (ns, after, node, anywhere, names_re, assigns, also, root_ref)
                    # (each mark set, or cleared where an earlier match set it)
                    if instance:
                        instance_pos.add(pos)
                    elif instance_pos:
                        instance_pos.discard(pos)
                    if barrier:
                        barrier_pos.add(pos)
                    elif barrier_pos:
                        barrier_pos.discard(pos)
                    if home_types is not None:
                        scope_of[pos] = home_types
                    elif scope_of:
                        scope_of.pop(pos, None)
                    if expands and node.parent is not None:
                        expands_pos[pos] = (node.parent.start_byte, node.parent.end_byte)
                    elif expands_pos:
                        expands_pos.pop(pos, None)
                    owner_capture[pos] = cap_name
        scopes = sorted({(n.start_byte, n.end_byte) for n in caps.get("local.scope", ())}, key=lambda s: (s[0], -s[1]))
        # (position, order, payload): scope openings sort before items at the same byte.
        seen: set[int] = set()
        items: list[tuple[int, int, tuple]] = []
        root_refs: set[int] = set()  # uses that only the top level resolves, never themselves
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
                base = name
                if prop:
                    name = prop[0] + name
                    if prop[1]:
                        # "parent", or the type of the ancestor after which the name is visible,
                        # or "type.field": after that field of the ancestor (Rust's `for x in x`
                        # binds x for the body, after the iterated value)
                        anc = prop[2].parent
                        anc_type, _, anc_field = prop[1].partition(".")
                        if prop[1] != "parent":
                            while anc is not None and anc.type != anc_type:
                                anc = anc.parent
                        if anc is not None and anc_field:
                            anc = anc.child_by_field_name(anc_field) or anc
                        if anc is not None:
                            visible = anc.end_byte
                home = None  # (start, end) of the scope named by `local.scope-of`
                if pos in scope_of:
                    anc = node.parent
                    while anc is not None and anc.type not in scope_of[pos]:
                        anc = anc.parent
                    home = (anc.start_byte, anc.end_byte) if anc is not None else (-1, -1)
                items.append((pos, 1, ("def", name, where, kind, visible, bool(prop and prop[5]), home)))
                for also_ns in prop[6] if prop else ():
                    also_name = base if also_ns == b"-" else also_ns + b"\0" + base  # `-`: no namespace
                    items.append((pos, 1, ("def", also_name, where, kind, visible, False, home)))
                if prop and prop[7]:
                    items.append((pos, 1, ("ref", base, False)))
                    root_refs.add(pos)
        writes = {n.start_byte for n in caps.get("local.reference.write", ())}
        anywhere_refs: set[int] = set()
        any_namespace_refs: set[int] = set()
        add_item, add_seen, prop_at = items.append, seen.add, props.get
        for cap in ("local.reference", "local.reference.write"):
            for node in caps.get(cap, ()):
                pos = node.start_byte
                if pos in seen:
                    continue
                add_seen(pos)  # a node captured twice counts once
                name = data[pos : node.end_byte]
                prop = prop_at(pos)
                if prop is None:  # (most references: what the lines below do without properties)
                    if name not in ignored:
                        add_item((pos, 1, ("ref", name, pos in writes)))
                    continue
                if prop and prop[4] is not None:
                    for m in prop[4].finditer(name):
                        # a match without the group (a string literal the pattern skips) is none
                        if m.group(1) is not None and m.group(1) not in ignored:
                            items.append((pos + m.start(1), 1, ("ref", prop[0] + m.group(1), False)))
                            if prop[3]:  # `local.resolve` holds for the names a string mentions too
                                anywhere_refs.add(pos + m.start(1))
                                if prop[3] == "any-namespace":
                                    any_namespace_refs.add(pos + m.start(1))
                    continue
                if name in ignored:
                    continue
                if prop:
                    name = prop[0] + name
                    if prop[3]:
                        anywhere_refs.add(pos)
                        if prop[3] == "any-namespace":
                            any_namespace_refs.add(pos)
                items.append((pos, 1, ("ref", name, pos in writes)))
                for also_ns in prop[6] if prop else ():
                    base = data[pos : node.end_byte]
                    items.append((pos, 1, ("ref", base if also_ns == b"-" else also_ns + b"\0" + base, False, True)))
        for k, (start, end) in enumerate(scopes, start=1):
            items.append((start, 0, ("scope", k, end)))
        items.sort(key=_POSITION_ORDER)

        parent = [-1] + [0] * len(scopes)
        ends = [_INF] + [0] * len(scopes)
        defs: list[dict[bytes, list[tuple[int, bool, int]]]] = [{} for _ in range(len(scopes) + 1)]
        def_info: list[tuple[bytes, str, int]] = []  # (name, kind, position)
        def_scope: list[int] = []
        instance_dids: set[int] = set()
        barriers = {k for k, (start, _) in enumerate(scopes, start=1) if start in barrier_pos}
        refs: list[tuple[bytes, int, int, bool]] = []  # (name, pos, scope, write)
        also_refs: set[int] = set()  # indices in refs of `local.also-namespace` uses (resolved anywhere)
        expands: dict[int, tuple[int, int]] = {}  # definition -> span of the body it expands to
        stack = [0]
        top_end = _INF  # ends[stack[-1]]
        add_ref = refs.append
        for pos, _, payload in items:
            if top_end <= pos:
                while ends[stack[-1]] <= pos:
                    stack.pop()
                top_end = ends[stack[-1]]
            tag = payload[0]
            if tag == "ref":
                if len(payload) > 3:
                    also_refs.add(len(refs))
                add_ref((payload[1], pos, stack[-1], payload[2]))
            elif tag == "scope":
                k = payload[1]
                top_end = ends[k] = payload[2]
                parent[k] = stack[-1]
                stack.append(k)
            elif tag == "def":
                _, name, where, kind, visible, assigns, home = payload
                scope = stack[-1]
                if home is not None:
                    while scope != 0 and scopes[scope - 1] != home:
                        scope = parent[scope]
                elif where.startswith("parent") and scope != 0:
                    scope = parent[scope]
                if assigns and name in defs[scope]:
                    refs.append((name, pos, scope, True))  # writes the variable already there
                    continue
                if pos in instance_pos:
                    instance_dids.add(len(def_info))
                if pos in expands_pos:
                    expands[len(def_info)] = expands_pos[pos]
                defs[scope].setdefault(name, []).append((visible, where in ("hoisted", "parent"), len(def_info)))
                def_info.append((name, kind, pos))
                def_scope.append(scope)

        used: set[int] = set()
        resolved: dict[int, int] = {}  # reference position -> definition it resolves to
        undefined: list[tuple[bytes, int]] = []
        # name -> a definition of it in any scope; bare name (namespace dropped) -> a
        # definition: built when a reference first falls back to them
        any_scope: dict[bytes, int] | None = None
        any_namespace: dict[bytes, int] | None = None
        fell_back: list[tuple[bytes, int]] = []  # (name, position) resolved only anywhere
        defined = set().union(*defs)  # names some scope defines: others skip the walk up
        add_undefined = undefined.append
        for i, (name, pos, scope, write) in enumerate(refs):
            if name not in defined and pos not in anywhere_refs and i not in also_refs:
                add_undefined((name, pos))  # (what the lines below do for a name none defines)
                continue
            also = i in also_refs
            found = -1
            root_only = pos in root_refs
            s = (0 if root_only else scope) if name in defined else -1
            crossed = False  # beyond a barrier scope: instance definitions are out of reach
            while s != -1 and found < 0:
                latest = -1  # of ordered definitions, the one bound last before the use wins
                for dpos, hoisted, did in defs[s].get(name, ()):
                    if root_only and def_info[did][2] == pos:
                        continue
                    if (hoisted or dpos <= pos) and not (crossed and did in instance_dids):
                        if found < 0:
                            found, latest = did, (-1 if hoisted else dpos)
                        elif not hoisted and latest >= 0 and dpos > latest:
                            found, latest = did, dpos  # Rust's `let x = ..; let x = ..;`
                        if hoisted:
                            break
                crossed = crossed or s in barriers
                s = parent[s]
            if found < 0 and (also or pos in anywhere_refs):
                if any_scope is None:
                    any_scope = {}
                    for scope_defs in defs:
                        for dname, entries in scope_defs.items():
                            any_scope.setdefault(dname, entries[0][2])
                found = any_scope.get(name, -1)
                if found >= 0:
                    fell_back.append((name, pos))
                # an also-namespace use keeps its namespace (TypeScript's `Private.f` needs
                # the namespace's own `f`, not any `f`)
                if found < 0 and pos in any_namespace_refs and not also:
                    if any_namespace is None:
                        any_namespace = {}
                        for scope_defs in defs:
                            for dname, entries in scope_defs.items():
                                any_namespace.setdefault(dname.rpartition(b"\0")[2], entries[0][2])
                    found = any_namespace.get(name.rpartition(b"\0")[2], -1)
            if found < 0:
                undefined.append((name, pos))
                continue
            if not also:  # the position's own reference keeps its resolution
                resolved[pos] = found
            if not write:
                used.add(found)
        if expands:
            free = {did: {n for n, p in fell_back if start <= p < end} for did, (start, end) in expands.items()}
            for _name, pos, scope, _ in refs:
                for fname in sorted(free.get(resolved.get(pos, -1), ())):
                    s = scope
                    while s != -1 and not any(h or d <= pos for d, h, _ in defs[s].get(fname, ())):
                        s = parent[s]
                    if s == -1:
                        undefined.append((fname, pos))
        self.undefined = undefined
        self.resolved = resolved
        self.def_at = {pos: did for did, (_, _, pos) in enumerate(def_info)}
        self.used = used
        self.defs = def_info
        self.refs, self.by_name = refs, None
        self.def_scope, self.parent, self.scope_defs, self.anywhere = def_scope, parent, defs, anywhere_refs
        self.row = _RowOf(data)

    @property
    def refs_by_name(self) -> dict[bytes, list[int]]:
        """Name -> positions of its references (built when a rule first asks)."""
        if self.by_name is None:
            by_name: dict[bytes, list[int]] = {}
            for name, pos, _, _ in self.refs:
                by_name.setdefault(name, []).append(pos)
            self.by_name = by_name
        return self.by_name

    def rebinding(self) -> dict[int, set[int]]:
        """Definition -> positions of the references that would resolve to another definition
        of their name, not to none, if it were deleted: uses of a definition that shadows
        another (a local named like a package-level function), and uses resolved by name
        anywhere while several definitions have that name (members of several types)."""
        shadowing: set[int] = set()
        for did, (name, _, pos) in enumerate(self.defs):
            s = self.def_scope[did]
            while s != -1 and did not in shadowing:
                if any(o != did and (h or d <= pos) for d, h, o in self.scope_defs[s].get(name, ())):
                    shadowing.add(did)
                s = self.parent[s]
        same_name: dict[bytes, list[int]] = {}
        for did, (name, _, _) in enumerate(self.defs):
            same_name.setdefault(name, []).append(did)
        out: dict[int, set[int]] = {}
        for ref, did in self.resolved.items():
            if ref in self.anywhere:
                targets = same_name[self.defs[did][0]]
                if len(targets) < 2:
                    continue
            elif did in shadowing:
                targets = [did]
            else:
                continue
            for target in targets:
                out.setdefault(target, set()).add(ref)
        return out


def _locals_matches(
    compiled: CompiledLanguage, root: tree_sitter.Node
) -> tuple[dict[str, list[tree_sitter.Node]], list[tuple[int, dict[str, list[tree_sitter.Node]]]]]:
    """The ``locals.scm`` query's captures by name, and its matches of the patterns that
    carry ``#set!`` properties (in the cursor's order), from one run of the query.

    The captures are those of ``QueryCursor.captures`` (which returns each name's nodes
    without duplicates, in no defined order), here in match order, a node captured by two
    matches listed twice: ``_Resolution`` reads them as sets (each position once)."""
    import tree_sitter

    if compiled.locals_query is None:
        return {}, []
    cursor = tree_sitter.QueryCursor(compiled.locals_query)
    settings = compiled.setting_values
    if not settings:
        return cursor.captures(root), []
    if root.end_byte == 0:  # an empty text: captures give none of the empty root's matches
        matches = cursor.matches(root)
        return cursor.captures(root), [m for m in matches if m[0] in settings]
    caps: defaultdict[str, list[tree_sitter.Node]] = defaultdict(list)
    matches = cursor.matches(root)
    for _, match in matches:
        for name, nodes in match.items():
            caps[name] += nodes
    return dict(caps), [m for m in matches if m[0] in settings]


class PatternSettings(NamedTuple):
    """A ``locals.scm`` pattern's ``#set!`` properties as ``_Resolution`` reads them (see
    there), parsed once per language (compiled.py); ``_Resolution`` unpacks them in this order."""

    namespace: bytes  # local.namespace
    visible_after: str  # local.visible-after
    resolve: str  # local.resolve: "anywhere", "any-namespace" or ""
    names: re.Pattern[bytes] | None  # local.names
    assigns: bool  # local.redeclaration "assigns"
    priority: int  # local.priority
    also: tuple[bytes, ...]  # local.also-namespace, when it names no capture
    also_fill: tuple[str, ...]  # local.also-namespace templates to fill per match (`{capture}`)
    instance: bool  # local.instance
    barrier: bool  # local.scope-barrier
    namespace_from: str  # local.namespace-from
    scope_of: frozenset[str] | None  # local.scope-of
    expands: bool  # local.expands
    also_reference: bool  # local.also-reference "root"
    props: dict[str, str]  # the properties as the query gives them


def setting_values(setting: dict[str, str]) -> PatternSettings:
    """A ``locals.scm`` pattern's ``#set!`` properties, parsed (``PatternSettings``)."""
    resolve = setting.get("local.resolve", "")
    also = setting.get("local.also-namespace", "").split()
    fill = tuple(also) if any("{" in a for a in also) else ()
    return PatternSettings(
        setting.get("local.namespace", "").encode(),
        setting.get("local.visible-after", ""),
        resolve if resolve in ("anywhere", "any-namespace") else "",
        _names_pattern(setting.get("local.names", "")),
        setting.get("local.redeclaration", "") == "assigns",
        int(setting.get("local.priority", "0")),
        () if fill else tuple(a.encode() for a in also),
        fill,
        bool(setting.get("local.instance", "")),
        bool(setting.get("local.scope-barrier", "")),
        setting.get("local.namespace-from", ""),
        frozenset(setting["local.scope-of"].split()) if "local.scope-of" in setting else None,
        bool(setting.get("local.expands")),
        setting.get("local.also-reference", "") == "root",
        setting,
    )


def _fill(text: str, match: dict[str, list[tree_sitter.Node]]) -> str:
    """``text`` with each ``{capture}`` replaced by that capture's text in ``match``."""
    if "{" not in text:
        return text
    return re.sub(
        r"\{([\w.]+)\}",
        lambda m: (match[m.group(1)][0].text or b"").decode("utf-8", "replace") if match.get(m.group(1)) else "",
        text,
    )


_NAME_PATTERNS: dict[str, re.Pattern[bytes] | None] = {"": None}


def _names_pattern(text: str) -> re.Pattern[bytes] | None:
    if text not in _NAME_PATTERNS:
        _NAME_PATTERNS[text] = re.compile(text.encode("utf-8"))
    return _NAME_PATTERNS[text]


class _RowOf:
    """Row (0 first) of a byte offset, by counting the newlines between it and the offset
    asked before (questions come mostly in increasing order): most states ask for no row
    or a few, and counting in C costs less than indexing every line of the state in Python."""

    __slots__ = ("data", "pos", "row")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = self.row = 0

    def __call__(self, pos: int) -> int:
        if pos >= self.pos:
            self.row += self.data.count(b"\n", self.pos, pos)
        else:
            self.row -= self.data.count(b"\n", pos, self.pos)
        self.pos = pos
        return self.row


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


def _contains_outside(node: tree_sitter.Node, types: frozenset[str], stop: frozenset[str]) -> bool:
    """Whether ``node`` holds a node of ``types``, not looking inside nodes of ``stop`` types."""
    stack = list(node.named_children)
    while stack:
        n = stack.pop()
        if n.type in types:
            return True
        if n.type not in stop:
            stack.extend(n.named_children)
    return False


def _breaks_out(node: tree_sitter.Node, spec: LanguageSpec) -> bool:
    """Whether a break inside ``node`` may leave it. With ``break_scopes``, an unlabeled
    break inside a nested scope (an inner loop or switch) leaves only that scope, and a
    labeled one leaves ``node`` unless its label is defined inside ``node``."""
    if not spec.break_scopes:
        return _contains(node, spec.breaks)
    inner_labels: set[bytes] = set()
    labeled: list[bytes] = []
    stack = [(child, False) for child in node.named_children]
    while stack:
        n, nested = stack.pop()
        if n.type in spec.breaks:
            label = next((c.text or b"" for c in n.named_children if c.type in spec.break_labels), None)
            if label is None and not nested:
                return True
            if label is not None:
                labeled.append(label)
            continue
        inner = nested or n.type in spec.break_scopes
        for child in n.named_children:
            if child.type in spec.break_labels:
                if n.type in spec.sequences:  # a labeled statement inside `node`
                    inner_labels.add(child.text or b"")
            else:
                stack.append((child, inner))
    return any(label not in inner_labels for label in labeled)


#: Ids of the nodes a language's termination query captures as ``@terminal`` and ``@forever``.
_Marks = tuple[frozenset[int], frozenset[int]]
_NO_MARKS: _Marks = (frozenset(), frozenset())


def _branch_terminates(
    node: tree_sitter.Node, field: str, spec: LanguageSpec, depth: int, marks: _Marks = _NO_MARKS
) -> bool:
    """One arm of a branch: a field (``consequence``), or ``child_type.field`` for every
    child of that type (``catch_clause.body``: every catch must end in a terminator too)."""
    if "." not in field:
        return _arm_terminates(node.child_by_field_name(field), spec, depth, marks)
    child_type, child_field = field.split(".", 1)
    return all(
        _arm_terminates(child.child_by_field_name(child_field), spec, depth, marks)
        for child in node.named_children
        if child.type == child_type
    )


def _arm_terminates(arm: tree_sitter.Node | None, spec: LanguageSpec, depth: int, marks: _Marks) -> bool:
    """With tail expressions, an arm that is a plain expression (Rust's `Some(x) => x + 1`)
    gives the branch its value, as a block's tail expression does."""
    if (
        arm is not None
        and spec.tail_expression
        and arm.type not in spec.sequences
        and arm.type not in spec.statements
        and arm.type not in spec.terminal
        and not any(arm.type == b for b, _ in spec.branches)
    ):
        return arm.type not in spec.unit_expressions
    return _terminates(arm, spec, depth, marks)


def _terminates(
    node: tree_sitter.Node | None, spec: LanguageSpec, depth: int = 0, marks: _Marks = _NO_MARKS
) -> bool:
    """Whether control can never fall off the end of ``node`` (a conservative reading)."""
    if node is None or depth > 200:
        return False
    t = node.type
    if t in spec.terminal or node.id in marks[0]:
        return True
    if node.id in marks[1]:
        return not _breaks_out(node, spec)
    if t in spec.sequences:
        last = _last_statement(node, spec.comments)
        if last is None:
            return False
        if spec.tail_expression and t in spec.tail_blocks and last.type not in spec.statements:
            # A tail expression gives the block its value, unless its type is unit (a loop,
            # an assignment) or it is a branch whose arms decide.
            if any(last.type == b for b, _ in spec.branches):
                return _terminates(last, spec, depth + 1, marks)
            return last.type not in spec.unit_expressions
        return _terminates(last, spec, depth + 1, marks)
    for btype, fields in spec.branches:
        if t == btype:
            return all(_branch_terminates(node, f, spec, depth + 1, marks) for f in fields)
    if t in spec.switches:
        # A switch with a default arm (none needed when `default` is empty, as for Go's
        # `select`) and no break; with `arms` (no fall-through, as in Go) every arm must end
        # in a terminator, otherwise the last one must.
        defaults, arms = spec.switches[t]
        if (defaults and not _contains(node, defaults)) or _breaks_out(node, spec):
            return False
        if arms:
            return all(
                _terminates(_last_statement(arm, spec.comments), spec, depth + 1, marks)
                for arm in node.named_children
                if arm.type in arms
            )
        last: tree_sitter.Node | None = node
        # `switch_arm_branches`: the last arm may end in a block or a branch that terminates
        # (TypeScript's `default: { if (a) { return x; } else { throw e; } }`).
        nested = bool(spec.extra.get("switch_arm_branches"))
        for _ in range(4):
            last = _last_statement(last, spec.comments) if last is not None else None
            if last is None:
                return False
            if last.type in spec.terminal:
                return True
            if nested and (last.type in spec.sequences or any(last.type == b for b, _ in spec.branches)):
                return _terminates(last, spec, depth + 1, marks)
        return False
    for ltype, cond_field in spec.loops:
        if t == ltype:
            if cond_field:
                cond = node.child_by_field_name(cond_field)
                forever = cond is None or cond.text.decode("utf-8", "replace").strip("() \t\n") == "true"
            else:  # no condition field: a loop made only of its body runs for ever
                forever = sum(1 for c in node.named_children if c.type not in spec.comments) == 1
            return forever and not _breaks_out(node, spec)
    return False


def _qualified(data: bytes, start: int) -> bool:
    return data[max(0, start - 2) : start] == b"::" or data[max(0, start - 1) : start] == b"."


_Match = tuple[int, dict[str, list["tree_sitter.Node"]]]


def _own_cursor(compiled: CompiledLanguage, query: tree_sitter.Query) -> tree_sitter.QueryCursor:
    """A cursor for a query that runs alone (not in ``compiled.rules_query``): at the root
    only when every pattern of it starts there."""
    import tree_sitter

    cursor = tree_sitter.QueryCursor(query)
    if id(query) in compiled.rooted_queries:
        cursor.set_max_start_depth(0)  # every pattern starts at the root: skip the rest
    return cursor


def _matches(compiled: CompiledLanguage, query: tree_sitter.Query, root: tree_sitter.Node, shared: dict) -> list[_Match]:
    """The matches of one rule query (or of the termination query) on this state.

    All of them come from one run of ``compiled.rules_query`` per state (``shared`` keeps
    it): a query's cost is mostly the walk of the tree, the same for every query. A pattern's
    matches come in the order its own query gives them, as the patterns of a query do not
    depend on each other. The pattern index is the one in ``rules_query``. A query not in
    it (one whose patterns start at the root) runs alone."""
    import tree_sitter

    if compiled.rules_query is None or id(query) not in compiled.rules_base:
        key = ("matches", id(query))
        if key not in shared:
            shared[key] = _own_cursor(compiled, query).matches(root)
        return shared[key]
    runs = shared.get("rules")
    if runs is None:
        runs = shared["rules"] = {}
        starts = compiled.rules_starts
        for match in tree_sitter.QueryCursor(compiled.rules_query).matches(root):
            first = starts[match[0]]
            got = runs.get(first)
            if got is None:
                runs[first] = [match]
            else:
                got.append(match)
    return runs.get(compiled.rules_base[id(query)], [])


def _captures(
    compiled: CompiledLanguage, query: tree_sitter.Query, root: tree_sitter.Node, shared: dict
) -> dict[str, list[tree_sitter.Node]]:
    """One rule query's captures on this state, by name, each node once (as
    ``QueryCursor.captures`` gives them; their order is none), once per state and query."""
    key = ("captures", id(query))
    caps = shared.get(key)
    if caps is not None:
        return caps
    if compiled.rules_query is None or id(query) not in compiled.rules_base:
        caps = _own_cursor(compiled, query).captures(root)
    else:
        found: dict[str, dict[tree_sitter.Node, None]] = {}
        for _, match in _matches(compiled, query, root, shared):
            for name, nodes in match.items():
                got = found.get(name)
                if got is None:
                    found[name] = dict.fromkeys(nodes)
                else:
                    got.update(dict.fromkeys(nodes))
        caps = {name: list(nodes) for name, nodes in found.items()}
    shared[key] = caps
    return caps


def _rule_diagnostics(
    compiled: CompiledLanguage,
    index: int,
    rule: Rule,
    root: tree_sitter.Node,
    data: bytes,
    text: str,
    resolution: _Resolution | None,
    refs_by_name: dict[bytes, list[int]] | None,
    shared: dict,
) -> list[Diagnostic]:
    spec = compiled.spec
    out: list[Diagnostic] = []
    caps: dict = {}
    query = compiled.rule_queries.get(index)
    if query is not None and rule.kind in ("forbid", "requires"):
        caps = _captures(compiled, query, root, shared)
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
            by_name = (refs_by_name if refs_by_name is not None else resolution and resolution.refs_by_name) or {}
            hits = [
                (name.decode(), pos)
                for name in compiled.rule_names[index].intersection(by_name)
                for pos in by_name[name]
            ]
        # A query that captures `@type` beside `@name` (the type of `impl Eq for KeyRef<K>`) fills
        # `{type}` in `needs`: the impl or derive must be the same type's (`\w+` where none is).
        types: dict[int, str] = {}
        if "type" in caps and any("{type}" in p for p in rule.needs):
            key = ("types", id(caps))
            types = shared.get(key)  # type: ignore[call-overload]
            if types is None:
                types = shared[key] = {  # type: ignore[index]
                    match["name"][0].start_byte: match["type"][0].text.decode("utf-8", "replace")
                    for _, match in _matches(compiled, compiled.rule_queries[index], root, shared)
                    if match.get("name") and match.get("type")
                }
        satisfied: dict[tuple[str, str], bool] = {}
        for name, pos in hits:
            if name not in names or (rule.unqualified_only and _qualified(data, pos)):
                continue
            owner = re.escape(types[pos]) if pos in types else r"\w+"
            ok = satisfied.get((name, owner))
            if ok is None:
                ok = any(
                    re.search(p.replace("{name}", re.escape(name)).replace("{type}", owner), text, re.MULTILINE)
                    for p in rule.needs
                )
                satisfied[(name, owner)] = ok
            if not ok:
                row = resolution.row(pos) if resolution is not None else data.count(b"\n", 0, pos)
                out.append(Diagnostic(row + 1, f"{rule.code}:{name}", rule.message or f"{name} needs {rule.needs[0]}"))
    elif rule.kind == "inferred" and resolution is not None:
        # A definition whose type only a later use fixes (Rust's `let mut v = vec![];` before
        # `v.push(x)`) needs one such use that resolves to it; a use inside a deleted line
        # leaves the definition flagged, so the sampler deletes it too.
        found = _captures(compiled, compiled.rule_queries[index], root, shared)
        fixed = {resolution.resolved.get(n.start_byte, -1) for n in found.get("use", ())}
        for node in found.get("definition", ()):
            did = resolution.def_at.get(node.start_byte)
            if did is None or did not in fixed:
                name = node.text.decode("utf-8", "replace")
                out.append(Diagnostic(node.start_point[0] + 1, f"{rule.code}:{name}", rule.message or f"{name} needs a use that fixes its type"))
    elif rule.kind in ("missing_return", "nonempty", "contains"):
        marks = _NO_MARKS
        if rule.kind == "missing_return" and compiled.termination_query is not None:
            found = _captures(compiled, compiled.termination_query, root, shared)
            marks = (
                frozenset(n.id for n in found.get("terminal", ())),
                frozenset(n.id for n in found.get("forever", ())),
            )
        wanted, stop = frozenset(rule.names), frozenset(rule.stop)  # (of `contains`)
        # Matches keep each function (or statement) with its own body.
        for _, match in _matches(compiled, compiled.rule_queries[index], root, shared):
            bodies = match.get("body", ())
            heads = match.get("function") or match.get("error") or bodies
            if not bodies or not heads:
                continue
            body = bodies[0]
            if rule.kind == "missing_return":
                broken = not _terminates(body, spec, marks=marks)
            elif rule.kind == "contains":
                # The body must hold a node of one of the `names` types (TypeScript: a function
                # whose result type allows undefined may fall through, but needs a `return`).
                broken = not _contains_outside(body, wanted, stop)
            else:
                broken = _last_statement(body, spec.comments) is None
            if broken:
                out.append(Diagnostic(heads[0].start_point[0] + 1, rule.code, rule.message or rule.kind))
    elif rule.kind == "unreachable":
        # A statement after one that never completes (a `while (true)` whose break was
        # deleted) is an error: the loop is flagged, or the statement after a return.
        for body in _captures(compiled, compiled.rule_queries[index], root, shared).get("body", ()):
            stmts = [c for c in body.named_children if c.type not in spec.comments]
            for prev, nxt in itertools.pairwise(stmts):
                if _terminates(prev, spec):
                    target = nxt if prev.type in spec.terminal else prev
                    out.append(Diagnostic(target.start_point[0] + 1, rule.code, rule.message or rule.kind))
                    break
    elif rule.kind == "assigned":
        out.extend(_unassigned(_captures(compiled, compiled.rule_queries[index], root, shared), rule))
    elif rule.kind == "initialized" and resolution is not None:
        found = _captures(compiled, compiled.rule_queries[index], root, shared)
        for node in found.get("definition", ()):
            out.extend(_Assignment(spec, rule, resolution, node, compiled.assignment_sets[index]).check())
    return out


_VAC = None  # the state of code that cannot be reached: it assigns every variable


class _Assignment:
    """`initialized`: a conservative definite-assignment check of one variable declared
    without a value (Java's "variable might not have been initialized"). The statements after
    its declaration are walked with the language's [termination] data: a read (a reference
    that resolves to it) before an assignment on every path is reported on its line. Branch
    arms meet; loop bodies, switch arms, lambdas and `conditional` operands may not run, so
    their assignments count only inside them; a terminating statement assigns vacuously."""

    def __init__(
        self, spec: LanguageSpec, rule: Rule, resolution: _Resolution, node: tree_sitter.Node, sets: AssignmentSets
    ) -> None:
        self.spec, self.rule, self.node = spec, rule, node
        did = resolution.def_at.get(node.start_byte)
        self.refs = {pos for pos, d in resolution.resolved.items() if d == did} if did is not None else set()
        self.row = resolution.row
        self.bad: list[int] = []
        self.loops, self.branches = sets.loops, sets.branches
        self.assignments, self.stop, self.conditional = sets.assignments, sets.stop, sets.conditional
        # `assignment_switches`: switch types (besides the [termination] `switches`) whose arms
        # fall through and are read one by one, though a break inside them leaves them (Java's).
        self.switch_types = sets.switch_types

    def check(self) -> list[Diagnostic]:
        stmt = self.node
        while stmt.parent is not None and stmt.parent.type not in self.spec.sequences:
            stmt = stmt.parent
        if stmt.parent is None or not self.refs:
            return []
        state: bool | None = False
        sibling = stmt.next_named_sibling
        while sibling is not None and state is False:
            state = self.walk(sibling, state, True)
            sibling = sibling.next_named_sibling
        name = (self.node.text or b"").decode("utf-8", "replace")
        msg = self.rule.message or f"{name} might not have been initialized"
        return [Diagnostic(self.row(pos) + 1, f"{self.rule.code}:{name}", msg) for pos in sorted(set(self.bad))]

    def all(self, nodes: list[tree_sitter.Node], state: bool | None, counts: bool) -> bool | None:
        for n in nodes:
            if state is not False:
                return state
            state = self.walk(n, state, counts)
        return state

    def walk(self, node: tree_sitter.Node, state: bool | None, counts: bool) -> bool | None:
        if state is not False:
            return state
        t, spec = node.type, self.spec
        kids = [c for c in node.named_children if c.type not in spec.comments]
        if node.start_byte in self.refs and not kids:
            self.bad.append(node.start_byte)  # a read before any assignment
            return state
        if t in self.assignments:
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and left.start_byte in self.refs:
                op = node.child_by_field_name("operator")
                if op is not None and op.type != "=":
                    self.bad.append(left.start_byte)  # `x += 1` reads x
                if right is not None:
                    self.walk(right, state, counts)
                return True if counts and t not in self.stop else state
            if left is not None and right is not None and left.named_child_count:
                # A destructuring assignment (`({ start = ZERO, end } = options)`, `[a, b] = f()`)
                # writes the names of its pattern; its defaults and value are read first.
                written, defaults = _pattern_targets(left)
                if self.refs.intersection(written):
                    for d in defaults:
                        self.walk(d, state, counts)
                    self.walk(right, state, counts)
                    return True if counts and t not in self.stop else state
        if not counts or t in self.stop:  # walked for its reads; its assignments stay inside
            self.all(kids, state, True)
            return state
        if t in spec.terminal:
            self.all(kids, state, True)
            return _VAC
        if t in spec.breaks or t in spec.continues:
            return _VAC
        if t in spec.sequences:
            return self.all(kids, state, True)
        if t in self.branches:
            return self.branch(node, kids, state)
        if t in self.loops:
            return self.loop(node, kids, state)
        if (t in spec.switches and t not in spec.break_scopes) or t in self.switch_types:
            return self.switch(node, kids, state)
        if t in spec.break_scopes:  # a switch, a for-each: the body may not run
            self.all(kids, state, False)
            return state
        if any(not c.is_named and c.type in self.conditional for c in node.children) and kids:
            state = self.walk(kids[0], state, True)
            self.all(kids[1:], state, False)
            return state
        return self.all(kids, state, True)

    def branch(self, node: tree_sitter.Node, kids: list[tree_sitter.Node], state: bool | None) -> bool | None:
        arms: list[tree_sitter.Node | None] = []
        for field in self.branches[node.type]:
            if "." in field:
                child_type, child_field = field.split(".", 1)
                arms += [c.child_by_field_name(child_field) for c in kids if c.type == child_type]
            else:
                arms.append(node.child_by_field_name(field))
        present = [a for a in arms if a is not None]
        first = min((a.start_byte for a in present), default=node.end_byte)
        inside = {a.start_byte for a in present} | {c.start_byte for c in kids if any(
            c.start_byte <= a.start_byte < c.end_byte for a in present)}
        state = self.all([c for c in kids if c.end_byte <= first], state, True)
        if state is not False:
            return state
        ends = [self.walk(a, state, True) if a is not None else state for a in arms]
        live = [e for e in ends if e is not _VAC]
        after: bool | None = _VAC if not live else all(live)
        rest = [c for c in kids if c.start_byte >= first and c.start_byte not in inside]
        if after is not False:
            self.all(rest, False, False)
            return after
        return self.all(rest, False, True)  # a `finally` runs on every path

    def switch(self, node: tree_sitter.Node, kids: list[tree_sitter.Node], state: bool | None) -> bool | None:
        """A switch of the [termination] `switches`, whose arms are its children of the `arms`
        types or else the named children of its last child (TypeScript's `switch_body`): the
        rest runs first, then one arm, each read alone from the state before the arms (a
        fall-through arm with statements assigns nothing: conservative; one without any, in a
        switch without `arms`, is the next arm). An arm that reaches a `break` before
        assigning leaves unassigned. The original compiles, so a switch without a default arm
        is taken as exhaustive (tsc's reading of a switch over a union)."""
        arm_types = self.spec.switches[node.type][1] if node.type in self.spec.switches else frozenset()
        if arm_types:
            arms = [c for c in kids if c.type in arm_types]
        else:
            arms = [c for c in kids[-1].named_children if c.type not in self.spec.comments]
        head = [c for c in (kids if arm_types else kids[:-1]) if c not in arms]
        state = self.all(head, state, True)
        if state is not False or not arms:
            return state
        ends = []
        for k, arm in enumerate(arms):
            body = [c for c in arm.named_children if c.type not in self.spec.comments]
            value = arm.child_by_field_name("value")
            if not arm_types and k + 1 < len(arms) and all(value is not None and c.id == value.id for c in body):
                # Without `arms` the arms fall through: one with no statements (`case "a":
                # case "b": x = 1;`) runs the next one.
                self.all(body, False, True)
                continue
            end = self.all(body, False, True)
            ends.append(False if end is _VAC and _breaks_out(arm, self.spec) else end)
        live = [e for e in ends if e is not _VAC]
        return _VAC if not live else all(live)

    def loop(self, node: tree_sitter.Node, kids: list[tree_sitter.Node], state: bool | None) -> bool | None:
        cond = node.child_by_field_name(self.loops[node.type])
        body = node.child_by_field_name("body")
        if body is not None and cond is not None and body.start_byte < cond.start_byte:  # do ... while
            # The body runs once, unless a break leaves it early.
            after = self.walk(body, state, not _breaks_out(node, self.spec))
            state = self.walk(cond, after, True) if after is not _VAC else state
        else:
            upto = cond.end_byte if cond is not None else (body.start_byte if body is not None else node.end_byte)
            state = self.all([c for c in kids if c.end_byte <= upto], state, True)
            self.all([c for c in kids if c.end_byte > upto], state, False)
        forever = cond is None or (cond.text or b"").decode("utf-8", "replace").strip("() \t\n") == "true"
        if forever and not _breaks_out(node, self.spec):
            return _VAC
        return state


def _pattern_targets(pattern: tree_sitter.Node) -> tuple[set[int], list[tree_sitter.Node]]:
    """The start bytes of the leaves a destructuring pattern writes, and what it reads: its
    default values (the `right` of `{ a = 1 }`, `[b = 2]`) and its pairs' keys (`{ a: b }`
    writes b; the `k` of a computed key `{ [k]: b }` is read)."""
    written: set[int] = set()
    defaults: list[tree_sitter.Node] = []
    todo = [pattern]
    while todo:
        node = todo.pop()
        if not node.named_child_count:
            written.add(node.start_byte)
            continue
        for i, child in enumerate(node.children):
            if not child.is_named:
                continue
            if node.field_name_for_child(i) in ("right", "key"):
                defaults.append(child)
            else:
                todo.append(child)
    return written, defaults


def _owner(node: tree_sitter.Node, owners: frozenset[str]) -> int | None:
    anc = node.parent
    while anc is not None and anc.type not in owners:
        anc = anc.parent
    return None if anc is None else anc.id


def _unassigned(found: dict[str, list[tree_sitter.Node]], rule: Rule) -> list[Diagnostic]:
    """`assigned`: each `@definition` (a final field without initializer) must be assigned
    (an `@assign` node with its name) inside every `@scope` of its owner (each constructor),
    unless an `@always` node of the owner (an initializer block) assigns it; with no scope at
    all, only `@always` nodes count. A scope holding a `@skip` child (a constructor that
    delegates with `this(...)`) is exempt. An `@assign.bare` node (a bare `x = ...`) counts
    unless a `@shadow` of its name (a parameter or local that hides the field) lies in the
    smallest `@shadow.scope` holding it, which then holds the node too. Reported on the
    definition's line."""
    owners = frozenset(rule.owners)
    by_owner: dict[str, dict[int | None, list[tree_sitter.Node]]] = {}
    for cap in ("scope", "always"):
        groups: dict[int | None, list[tree_sitter.Node]] = {}
        for node in found.get(cap, ()):
            groups.setdefault(_owner(node, owners), []).append(node)
        by_owner[cap] = groups
    skipped = {n.parent.id for n in found.get("skip", ()) if n.parent is not None}
    hidden: dict[bytes, list[tree_sitter.Node]] = {}
    for name in found.get("shadow", ()):
        holders = [s for s in found.get("shadow.scope", ()) if s.start_byte <= name.start_byte < s.end_byte]
        if holders:
            hidden.setdefault(name.text or b"", []).append(min(holders, key=lambda s: s.end_byte - s.start_byte))
    bare = [n for n in found.get("assign.bare", ())
            if not any(s.start_byte <= n.start_byte < s.end_byte for s in hidden.get(n.text or b"", ()))]
    assigns: dict[bytes, list[int]] = {}
    for node in [*found.get("assign", ()), *bare]:
        assigns.setdefault(node.text or b"", []).append(node.start_byte)
    out = []
    for node in found.get("definition", ()):
        owner = _owner(node, owners)
        where = assigns.get(node.text or b"", [])

        def assigned_in(n: tree_sitter.Node, where: list[int] = where) -> bool:
            return any(n.start_byte <= pos < n.end_byte for pos in where)

        if any(assigned_in(n) for n in by_owner["always"].get(owner, ())):
            continue
        scopes = [n for n in by_owner["scope"].get(owner, ()) if n.id not in skipped]
        if not by_owner["scope"].get(owner) or not all(assigned_in(n) for n in scopes):
            name = (node.text or b"").decode("utf-8", "replace")
            out.append(Diagnostic(node.start_point[0] + 1, f"{rule.code}:{name}", rule.message or f"{name} is not assigned"))
    return out


def rebinding_rows(compiled: CompiledLanguage, root: tree_sitter.Node, data: bytes) -> dict[int, set[int]]:
    """Row of a definition -> rows of the uses that would silently rebind without it (see
    ``_Resolution.rebinding``): computed once per program, for its structure."""
    if compiled.locals_query is None:
        return {}
    resolution = _Resolution(compiled, root, data)
    out: dict[int, set[int]] = {}
    for did, refs in resolution.rebinding().items():
        out.setdefault(resolution.row(resolution.defs[did][2]), set()).update(resolution.row(r) for r in refs)
    return out


def analyze_source(compiled: CompiledLanguage, source: str) -> list[Diagnostic]:
    """Every error of one program state, sorted by line."""
    data = source.encode("utf-8")
    tree = compiled.reparser.parse(data) if compiled.reparser is not None else compiled.parser.parse(data)
    root = tree.root_node
    diags: list[Diagnostic] = syntax_errors(root, compiled.tolerated_query) if root.has_error else []
    resolution = _Resolution(compiled, root, data) if compiled.locals_query is not None else None
    refs_by_name = None  # (``resolution.refs_by_name``, built when a rule asks)
    if resolution is not None:
        # With `distinct_namespaces`, the namespace is part of the message, so the sampler's
        # baseline (keyed by code, line and message) keeps a member `x` the original cannot
        # resolve (`tx.to`) apart from a variable `x` on the same line whose definition was
        # deleted (`= to`).
        distinct = bool(compiled.spec.extra.get("distinct_namespaces"))
        texts: dict[bytes, tuple[str, str]] = {}  # name -> code and message (a name is often used twice)
        row_of = resolution.row
        for raw, pos in resolution.undefined:
            text = texts.get(raw)
            if text is None:
                ns, _, name_bytes = raw.rpartition(b"\0")
                name = name_bytes.decode("utf-8", "replace")
                where = f" ({ns.decode('utf-8', 'replace')})" if ns and distinct else ""
                text = texts[raw] = (f"undefined:{name}", f"{name} has no visible definition{where}")
            diags.append(Diagnostic(row_of(pos) + 1, *text))
    spec = compiled.spec
    shared: dict = {}
    for index, rule in enumerate(spec.rules):
        diags.extend(_rule_diagnostics(compiled, index, rule, root, data, source, resolution, refs_by_name, shared))
    diags.sort(key=_LINE_CODE)
    return diags

