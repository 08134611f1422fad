"""A tree-sitter language described as data: one TOML file plus ``locals.scm`` queries.

A language package (the built-in ``lintseq_treesitter`` or a third-party distribution) holds
``languages/<name>.toml`` and ``queries/<name>/locals.scm`` (optionally ``pinned.scm``). This module reads and
validates them; nothing here imports a grammar (that happens lazily, per process, in
:mod:`lintseq_treesitter.compiled`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from lintseq_core.errors import ConfigError

if TYPE_CHECKING:  # importlib.resources.abc is Python >= 3.11; the annotations are strings
    from importlib.resources.abc import Traversable

try:  # Python >= 3.11
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

__all__ = [
    "KNOWN_CAPTURES",
    "RULE_KINDS",
    "LanguageSpec",
    "Probe",
    "ProbeRule",
    "Rule",
    "load_language_dir",
    "load_spec",
    "read_query",
]

#: Capture names a ``locals.scm`` may use (tree-sitter's locals convention plus the
#: definition kinds the engine understands; `_`-prefixed captures are predicate helpers and
#: carry no meaning). A test checks every shipped query against it.
KNOWN_CAPTURES = frozenset(
    {
        "local.scope",  # a node that opens a scope
        "local.reference",  # a name that is read
        "local.reference.write",  # a name that is only assigned: resolves, is not a use
        "local.definition",  # visible after its position in its scope (let, locals)
        "local.definition.var",  # like local.definition; checked by `unused` rules
        "local.definition.hoisted",  # visible in its whole scope (items, members)
        "local.definition.hoisted.var",  # like local.definition.hoisted; checked by `unused` rules
        "local.definition.parent",  # hoisted into the enclosing scope (function names)
        "local.definition.parent.ordered",  # in the enclosing scope, after its position
        "local.definition.import",  # hoisted; the name is the path's last segment
        "local.definition.import.first",  # hoisted; the name is the path's first segment
    }
)

#: Rule kinds the engine evaluates; each rule in a language file names one.
RULE_KINDS = frozenset(
    {"forbid", "unused", "requires", "missing_return", "nonempty", "inferred", "contains", "unreachable", "assigned",
     "initialized"}
)

_INHERITS = re.compile(r"^;+\s*inherits\s*:\s*(?P<names>[\w,\s-]+)$")


@dataclass(frozen=True)
class Rule:
    """One per-language rule (see the README's "How to add a language")."""

    kind: str
    code: str
    message: str = ""
    query: str = ""
    definitions: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    unqualified_only: bool = False
    # `contains`: node types not searched inside (nested functions have their own returns).
    stop: tuple[str, ...] = ()
    # `assigned`: node types that own a definition and the scopes that must assign it (a
    # class body owns its fields and its constructors).
    owners: tuple[str, ...] = ()
    # `initialized`: operator tokens after which the other operands run only sometimes
    # (`&&`, `||`, `?`): an assignment there does not count.
    conditional: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProbeRule:
    """One edit of the probe's variant and how to read its errors (see ``probe.py``)."""

    query: str  # `@rename` nodes get `suffix`; `@owner` names whose; `@member` rows get the uses
    patterns: tuple[str, ...]  # each match: line `line` needs the members of `owner`
    suffix: str = "_lintseq_probe"  # `{owner}` is replaced by the owner's text
    prefix: str = ""  # inserted before `@rename` nodes (Rust: `#[cfg(any())] ` removes an item)
    variant: str = ""  # rules naming the same variant share one edited copy and compiler run
    # The compiler names only the first use of an owner (gcc: an undeclared name or an implicit
    # declaration once per function): every row where the owner's name occurs needs it.
    every_use: bool = False


@dataclass(frozen=True)
class Probe:
    """A compiler run, once per program, on a variant of the original (see ``probe.py``)."""

    command: tuple[str, ...]  # argv; `{file}` and `{dir}` are replaced
    filename: str  # the variant's file name
    rules: tuple[ProbeRule, ...]
    env: tuple[tuple[str, str], ...] = ()
    timeout: float = 30.0
    # When the original matches this regex, all variants are checked in one compiler run, each
    # file in a folder of its own (`{file}` stands for all of them): for compilers that check
    # several independent files in one program (tsc, on modules).
    together_when: str = ""


_PROBE_KEYS = {"command", "filename", "rules", "env", "timeout", "together_when"}
_PROBE_RULE_KEYS = {"query", "patterns", "suffix", "prefix", "variant", "every_use"}


def _keys(table: Any, known: set[str], required: set[str], what: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"{what} must be a table")
    unknown, missing = set(table) - known, required - set(table)
    if unknown or missing:
        raise ConfigError(f"{what}: unknown keys {sorted(unknown)}, missing {sorted(missing)}; known: {sorted(known)}")
    return table


def _probe(data: Any, where: str) -> Probe | None:
    if data is None:
        return None
    data = _keys(data, _PROBE_KEYS, {"command", "filename", "rules"}, f"{where}: [probe]")
    rules = []
    for i, raw in enumerate(data["rules"]):
        raw = _keys(raw, _PROBE_RULE_KEYS, {"query", "patterns"}, f"{where}: [[probe.rules]] {i}")
        patterns = _strs(raw, "patterns", where)
        for pattern in patterns:
            try:
                groups = re.compile(pattern, re.MULTILINE).groupindex
            except re.error as exc:
                raise ConfigError(f"{where}: probe rule {i}: pattern does not compile: {exc}") from exc
            if not {"line", "owner"} <= set(groups):
                raise ConfigError(f"{where}: probe rule {i}: a pattern needs the named groups `line` and `owner`")
        rules.append(ProbeRule(str(raw["query"]), patterns, str(raw.get("suffix", "_lintseq_probe")),
                               str(raw.get("prefix", "")), str(raw.get("variant", "")),
                               bool(raw.get("every_use", False))))
    env = data.get("env", {})
    if not isinstance(env, dict):
        raise ConfigError(f"{where}: [probe] env must be a table of strings")
    together_when = str(data.get("together_when", ""))
    if together_when:
        try:
            re.compile(together_when)
        except re.error as exc:
            raise ConfigError(f"{where}: [probe] together_when does not compile: {exc}") from exc
        if any("{dir}" in arg for arg in data["command"]) or list(data["command"]).count("{file}") != 1:
            raise ConfigError(f"{where}: [probe] together_when needs a command with `{{file}}` as one argument and no `{{dir}}`")
    return Probe(
        command=_strs(data, "command", where),
        filename=str(data["filename"]),
        rules=tuple(rules),
        env=tuple((str(k), str(v)) for k, v in env.items()),
        timeout=float(data.get("timeout", 30.0)),
        together_when=together_when,
    )


@dataclass(frozen=True)
class LanguageSpec:
    """Everything the engine needs to know about one language."""

    name: str
    grammar_module: str
    grammar_function: str
    grammar_package: str
    aliases: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    fence_tags: tuple[str, ...] = ()
    default_analyzer: str | None = None
    comments: frozenset[str] = frozenset()
    blocks: frozenset[str] = frozenset()
    pinned: frozenset[str] = frozenset()
    pinned_query: str = ""
    # Uses that would silently resolve to another definition of their name without their
    # own (shadowing, same-named members) go with their definition (see structure.py).
    rebinding_uses: bool = False
    # Captures `@from`, `@to` and `@key`: each `@from` item goes with every `@to` item whose
    # key has the same text (a struct's fields and its positional literals, see structure.py);
    # keys captured as `@key.<kind>` link only to keys of the same kind; `@lends` names other
    # keys whose `@from` items count as this key's (Go: the types a struct embeds).
    links_query: str = ""
    # Captures `@tolerated`: ERROR and MISSING nodes that are no error in the language, only
    # beyond the grammar (C's `list_for_each(pos, head) { .. }`, a macro used as a loop head).
    tolerated_query: str = ""
    locals_query: str = ""
    rules: tuple[Rule, ...] = ()
    # Termination (for `missing_return`): node types that always leave a function, types
    # whose last statement decides, branches that terminate when every field does, loops
    # that never fall through unless they contain a `break`.
    terminal: frozenset[str] = frozenset()
    sequences: frozenset[str] = frozenset()
    branches: tuple[tuple[str, tuple[str, ...]], ...] = ()
    loops: tuple[tuple[str, str], ...] = ()
    breaks: frozenset[str] = frozenset()
    # Statements that jump to the next iteration (`continue`): no path goes on after them, so
    # definite assignment holds vacuously there; they end no loop and no function.
    continues: frozenset[str] = frozenset()
    switches: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict, compare=False)
    tail_expression: bool = False
    tail_blocks: frozenset[str] = frozenset()
    unit_expressions: frozenset[str] = frozenset()
    statements: frozenset[str] = frozenset()
    # A query whose `@terminal` nodes never fall through (Go's `panic(...)`) and whose
    # `@forever` nodes are loops that end only by a break (`for {}`, `for ;; {}`).
    termination_query: str = ""
    # Nodes an unlabeled break inside them leaves (a `break` in an inner `for` or `switch`
    # does not leave the loop around it), and the child types that make a break labeled
    # (a labeled break may leave any enclosing node). Empty: every break counts.
    break_scopes: frozenset[str] = frozenset()
    break_labels: frozenset[str] = frozenset()
    probe: Probe | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def _strs(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key!r} must be a list of strings, got {value!r}")
    return tuple(value)


def read_query(queries: Traversable, language: str, kind: str = "locals", _seen: tuple[str, ...] = ()) -> str:
    """The text of ``queries/<language>/<kind>.scm`` with ``; inherits:`` lines expanded."""
    if language in _seen:
        raise ConfigError(f"query inheritance cycle: {' -> '.join((*_seen, language))}")
    path = queries / language / f"{kind}.scm"
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8")
    parts: list[str] = []
    for line in text.splitlines()[:3]:
        m = _INHERITS.match(line.strip())
        if m:
            for parent in (p.strip() for p in m.group("names").split(",")):
                if parent:
                    parts.append(read_query(queries, parent, kind, (*_seen, language)))
    parts.append(text)
    return "\n".join(parts)


def load_spec(data: dict[str, Any], queries: Traversable, where: str) -> LanguageSpec:
    """Validate one parsed language file; ``where`` names it in error messages."""
    try:
        name = str(data["name"]).lower()
        grammar = data["grammar"]
        module = grammar["module"]
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"{where}: missing required key {exc} (need name and [grammar] module)") from exc
    unknown_top = set(data) - _KNOWN_KEYS - _SETTING_KEYS
    if unknown_top:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown_top)}; known: {sorted(_KNOWN_KEYS | _SETTING_KEYS)}")
    _keys(grammar, _GRAMMAR_KEYS, {"module"}, f"{where}: [grammar]")
    nodes = data.get("nodes", {})
    term = data.get("termination", {})
    unknown_nodes = set(nodes) - _NODES_KEYS
    if unknown_nodes:
        raise ConfigError(f"{where}: unknown [nodes] keys {sorted(unknown_nodes)}; known: {sorted(_NODES_KEYS)}")
    unknown = set(term) - _TERMINATION_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown [termination] keys {sorted(unknown)}; known: {sorted(_TERMINATION_KEYS)}")
    rules = []
    for i, raw in enumerate(data.get("rules", [])):
        kind = raw.get("kind")
        unknown_rule = set(raw) - _RULE_KEYS
        if unknown_rule:
            raise ConfigError(f"{where}: rule {i} ({kind}): unknown keys {sorted(unknown_rule)}; known: {sorted(_RULE_KEYS)}")
        if kind not in RULE_KINDS:
            raise ConfigError(f"{where}: rule {i} has kind {kind!r}; known kinds: {sorted(RULE_KINDS)}")
        rules.append(
            Rule(
                kind=kind,
                code=str(raw.get("code", kind)),
                message=str(raw.get("message", "")),
                query=str(raw.get("query", "")),
                definitions=_strs(raw, "definitions", where),
                names=_strs(raw, "names", where),
                needs=_strs(raw, "needs", where),
                unqualified_only=bool(raw.get("unqualified_only", False)),
                stop=_strs(raw, "stop", where),
                owners=_strs(raw, "owners", where),
                conditional=_strs(raw, "conditional", where),
            )
        )
    return LanguageSpec(
        name=name,
        grammar_module=module,
        grammar_function=grammar.get("function", "language"),
        grammar_package=grammar.get("package", module.replace("_", "-")),
        aliases=_strs(data, "aliases", where),
        extensions=_strs(data, "extensions", where),
        fence_tags=_strs(data, "fence_tags", where),
        default_analyzer=data.get("default_analyzer"),
        comments=frozenset(_strs(nodes, "comments", where)),
        blocks=frozenset(_strs(nodes, "blocks", where)),
        pinned=frozenset(_strs(nodes, "pinned", where)),
        # `queries/<name>/pinned.scm` (optional, `; inherits:` expanded) adds to the TOML's
        # pinned_query: patterns several languages share are stated once there.
        pinned_query="\n".join(q for q in (str(nodes.get("pinned_query", "")), read_query(queries, name, "pinned")) if q),
        rebinding_uses=bool(nodes.get("rebinding_uses", False)),
        links_query=str(nodes.get("links_query", "")),
        tolerated_query=str(nodes.get("tolerated_query", "")),
        locals_query=read_query(queries, name),
        rules=tuple(rules),
        terminal=frozenset(_strs(term, "terminal", where)),
        sequences=frozenset(_strs(term, "sequences", where)),
        branches=tuple((b["type"], tuple(b["fields"])) for b in term.get("branches", [])),
        loops=tuple((lp["type"], lp.get("condition", "condition")) for lp in term.get("loops", [])),
        breaks=frozenset(_strs(term, "breaks", where)),
        continues=frozenset(_strs(term, "continues", where)),
        switches={
            sw["type"]: (frozenset(_strs(sw, "default", where)), frozenset(_strs(sw, "arms", where)))
            for sw in term.get("switches", [])
        },
        tail_expression=bool(term.get("tail_expression", False)),
        tail_blocks=frozenset(_strs(term, "tail_blocks", where)),
        unit_expressions=frozenset(_strs(term, "unit_expressions", where)),
        statements=frozenset(_strs(term, "statements", where)),
        termination_query=str(term.get("query", "")),
        break_scopes=frozenset(_strs(term, "break_scopes", where)),
        break_labels=frozenset(_strs(term, "break_labels", where)),
        probe=_probe(data.get("probe"), where),
        extra={k: v for k, v in data.items() if k not in _KNOWN_KEYS},
    )


_NODES_KEYS = {"comments", "blocks", "pinned", "pinned_query", "rebinding_uses", "links_query", "tolerated_query"}

_TERMINATION_KEYS = {
    "terminal", "sequences", "branches", "loops", "breaks", "continues", "switches", "tail_expression",
    "tail_blocks", "unit_expressions", "statements", "query", "break_scopes", "break_labels",
}

# Top-level settings kept in `LanguageSpec.extra` for the engine to read by name.
_SETTING_KEYS = {"ignored_names", "distinct_namespaces", "assignment_switches", "switch_arm_branches"}
_GRAMMAR_KEYS = {"module", "function", "package"}
_RULE_KEYS = {
    "kind", "code", "message", "query", "definitions", "names", "needs", "unqualified_only",
    "stop", "owners", "conditional",
}

_KNOWN_KEYS = {
    "name", "aliases", "extensions", "fence_tags", "default_analyzer",
    "grammar", "nodes", "termination", "rules", "probe",
}


def load_language_dir(package: str) -> list[LanguageSpec]:
    """Every ``languages/*.toml`` of an importable package, sorted by name."""
    root = resources.files(package)
    lang_dir = root / "languages"
    if not lang_dir.is_dir():
        raise ConfigError(
            f"package {package!r} has no languages/ folder: a tree-sitter language package "
            "holds languages/<name>.toml and queries/<name>/locals.scm"
        )
    specs = []
    for entry in sorted(lang_dir.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        where = f"{package}/languages/{entry.name}"
        try:
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{where}: invalid TOML: {exc}") from exc
        specs.append(load_spec(data, root / "queries", where))
    return specs
