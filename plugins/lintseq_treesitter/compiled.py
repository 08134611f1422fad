"""Grammars, parsers and queries, built lazily and once per process.

``tree_sitter.Parser`` objects cannot be pickled, so nothing here is built at import time:
each worker process compiles a language the first time it analyses a program of it.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lintseq_core.errors import ConfigError

if TYPE_CHECKING:
    import tree_sitter

    from lintseq_treesitter.analysis import PatternSettings
    from lintseq_treesitter.reparse import ReusingParser
    from lintseq_treesitter.spec import LanguageSpec

__all__ = ["AssignmentSets", "CompiledLanguage", "MissingGrammarError", "compile_language", "grammar_problem"]


class MissingGrammarError(ConfigError):
    """The grammar wheel of a language is not installed."""


@dataclass(frozen=True)
class AssignmentSets:
    """The node types an `initialized` rule's definite-assignment walk reads (analysis.py):
    they depend only on the language and the rule, so they are built once, not per variable."""

    loops: dict[str, str]  # loop type -> the field holding its condition
    branches: dict[str, tuple[str, ...]]  # branch type -> the fields holding its arms
    assignments: frozenset[str]  # the rule's `names`
    stop: frozenset[str]
    conditional: frozenset[str]
    switch_types: frozenset[str]  # the language's `assignment_switches`


@dataclass
class CompiledLanguage:
    """A language ready to parse: grammar, parser, locals query and per-rule queries."""

    spec: LanguageSpec
    language: tree_sitter.Language
    parser: tree_sitter.Parser
    locals_query: tree_sitter.Query | None
    rule_queries: dict[int, tree_sitter.Query]
    block_query: tree_sitter.Query | None
    comment_query: tree_sitter.Query | None
    pinned_query: tree_sitter.Query | None
    ignored_names: frozenset[bytes] = frozenset()
    rule_names: dict[int, frozenset[bytes]] = field(default_factory=dict)
    termination_query: tree_sitter.Query | None = None
    probe_queries: tuple[tree_sitter.Query, ...] = ()
    links_query: tree_sitter.Query | None = None
    tolerated_query: tree_sitter.Query | None = None
    assignment_sets: dict[int, AssignmentSets] = field(default_factory=dict)
    # The ``#set!`` properties of the locals query's patterns that have some, parsed once as
    # analysis.py reads them (``analysis.setting_values``; ``settings`` gives them unparsed).
    setting_values: dict[int, PatternSettings] = field(default_factory=dict)
    # ``parser`` reusing the tree of the state it parsed last (analysis.py's per-state parse)
    reparser: ReusingParser | None = None
    # ids of the rule queries whose every pattern starts at the root node (`(source_file ...)`):
    # their matches start at depth 0, so the query cursor need not visit the rest of the tree
    rooted_queries: frozenset[int] = frozenset()
    # Every rule query (each text once, but for the ``rooted_queries``) and the termination
    # query as one query: a state's rules read their matches from one walk of its tree
    # (analysis.py), not one walk each; ``None``: each query runs alone (the reference the
    # tests compare with).
    rules_query: tree_sitter.Query | None = None
    # id of a rule query (or of the termination query) -> index of its first pattern in
    # ``rules_query``; and, for each pattern of ``rules_query``, that first pattern's index
    rules_base: dict[int, int] = field(default_factory=dict)
    rules_starts: tuple[int, ...] = ()

    @property
    def settings(self) -> dict[int, dict[str, str]]:
        """The ``#set!`` properties of the locals query's patterns that have some, as the
        query gives them."""
        return {i: values.props for i, values in self.setting_values.items()}


_CACHE: dict[tuple[int, str], CompiledLanguage] = {}
_COMMENT = re.compile(r"(?:\s|;[^\n]*)*")


def _patterns_start_at(text: str, query: tree_sitter.Query, root_type: str) -> bool:
    """Whether every pattern of ``query`` (compiled from ``text``) is a ``(root_type ...)``
    node pattern, wrapped in parentheses with predicates or not (``((root_type ...) (#eq? ..))``)."""
    data = text.encode("utf-8")
    for i in range(query.pattern_count):
        pattern = data[query.start_byte_for_pattern(i) : query.end_byte_for_pattern(i)].decode("utf-8")
        rest = pattern
        while True:
            rest = rest[_COMMENT.match(rest).end() :]
            if not rest.startswith("("):
                return False
            rest = rest[1:]
            if not rest.lstrip().startswith("("):
                break
        if not re.match(re.escape(root_type) + r"(?![\w.-])", rest.lstrip()):
            return False
    return True


def _install_hint(spec: LanguageSpec) -> str:
    return (
        f"the tree-sitter grammar for {spec.name} is not installed (module "
        f"{spec.grammar_module!r}): pip install {spec.grammar_package} "
        "(or pip install 'lintseq[treesitter]')"
    )


def grammar_problem(spec: LanguageSpec) -> str | None:
    """``None`` when the language can be compiled here, else what to install."""
    try:
        import tree_sitter  # noqa: F401
    except ImportError:
        return "tree-sitter is not installed: pip install 'tree-sitter>=0.25' (or 'lintseq[treesitter]')"
    try:
        module = importlib.import_module(spec.grammar_module)
    except ImportError:
        return _install_hint(spec)
    if not callable(getattr(module, spec.grammar_function, None)):
        return (
            f"grammar module {spec.grammar_module!r} has no function {spec.grammar_function!r}: "
            f"fix [grammar] function in the {spec.name} language file"
        )
    return None


def compile_language(spec: LanguageSpec) -> CompiledLanguage:
    """The compiled form of ``spec`` for this process (built on first use)."""
    key = (id(spec), spec.name)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    problem = grammar_problem(spec)
    if problem:
        raise MissingGrammarError(problem)
    import tree_sitter

    module = importlib.import_module(spec.grammar_module)
    language = tree_sitter.Language(getattr(module, spec.grammar_function)())
    parser = tree_sitter.Parser(language)

    def query(text: str, what: str) -> tree_sitter.Query:
        try:
            return tree_sitter.Query(language, text)
        except (tree_sitter.QueryError, ValueError) as exc:
            raise ConfigError(f"{spec.name}: {what} does not compile: {exc}") from exc

    locals_query = query(spec.locals_query, "queries/locals.scm") if spec.locals_query.strip() else None
    settings: dict[int, dict[str, str]] = {}
    if locals_query is not None:
        for i in range(locals_query.pattern_count):
            props = {k: v for k, v in locals_query.pattern_settings(i).items() if isinstance(v, str)}
            if not props.get("local.priority", "0").lstrip("-").isdigit():
                raise ConfigError(f"{spec.name}: queries/locals.scm pattern {i}: local.priority must be an integer")
            if props:
                settings[i] = props
    by_text: dict[str, tree_sitter.Query] = {}  # rules that share a query share its object
    rule_queries = {}
    for i, rule in enumerate(spec.rules):
        if rule.query:
            if rule.query not in by_text:
                by_text[rule.query] = query(rule.query, f"rule {i} ({rule.code}) query")
            rule_queries[i] = by_text[rule.query]
    for i, rule in enumerate(spec.rules):  # `needs` patterns run per state (analysis.py): check them now
        for pattern in rule.needs:
            try:
                re.compile(pattern.replace("{name}", "name"), re.MULTILINE)
            except re.error as exc:
                raise ConfigError(f"{spec.name}: rule {i} ({rule.code}) needs pattern {pattern!r}: {exc}") from exc
    def types_query(types: frozenset[str], capture: str) -> tree_sitter.Query | None:
        named = sorted(t for t in types if language.id_for_node_kind(t, True) is not None)
        if not named:
            return None
        return query("[" + " ".join(f"({t})" for t in named) + f"] @{capture}", f"{capture} node types")

    compiled = CompiledLanguage(
        spec, language, parser, locals_query, rule_queries,
        types_query(spec.blocks, "block"), types_query(spec.comments, "comment"),
        query(spec.pinned_query, "[nodes] pinned_query") if spec.pinned_query.strip() else None,
    )
    from lintseq_treesitter.analysis import setting_values
    from lintseq_treesitter.reparse import ReusingParser

    compiled.setting_values = {i: setting_values(props) for i, props in settings.items()}
    compiled.reparser = ReusingParser(parser)
    root_type = parser.parse(b"").root_node.type
    compiled.rooted_queries = frozenset(
        id(q) for text, q in by_text.items() if _patterns_start_at(text, q, root_type)
    )
    compiled.ignored_names = frozenset(str(n).encode() for n in spec.extra.get("ignored_names", ()))
    compiled.rule_names = {i: frozenset(n.encode() for n in rule.names) for i, rule in enumerate(spec.rules)}
    compiled.assignment_sets = {
        i: AssignmentSets(
            loops=dict(spec.loops), branches=dict(spec.branches), assignments=frozenset(rule.names),
            stop=frozenset(rule.stop), conditional=frozenset(rule.conditional),
            switch_types=frozenset(spec.extra.get("assignment_switches", ())),
        )
        for i, rule in enumerate(spec.rules)
        if rule.kind == "initialized"
    }
    if spec.termination_query.strip():
        compiled.termination_query = query(spec.termination_query, "[termination] query")
    if spec.links_query.strip():
        compiled.links_query = query(spec.links_query, "[nodes] links_query")
    if spec.tolerated_query.strip():
        compiled.tolerated_query = query(spec.tolerated_query, "[nodes] tolerated_query")
    # (A query whose patterns start at the root runs alone, at the root only: in a query that
    # walks the tree, its patterns' states would stay open over the whole walk.)
    parts = [(text, q) for text, q in by_text.items() if id(q) not in compiled.rooted_queries]
    if compiled.termination_query is not None:
        parts.append((spec.termination_query, compiled.termination_query))
    if parts:
        compiled.rules_query = query("\n".join(text for text, _ in parts), "the rule queries together")
        starts: list[int] = []
        for _, q in parts:
            compiled.rules_base[id(q)] = len(starts)
            starts += [len(starts)] * q.pattern_count
        if compiled.rules_query.pattern_count != len(starts):
            raise ConfigError(
                f"{spec.name}: the rule queries joined into one have {compiled.rules_query.pattern_count} "
                f"patterns, not the {len(starts)} they have alone"
            )
        compiled.rules_starts = tuple(starts)
    if spec.probe is not None:
        compiled.probe_queries = tuple(
            query(rule.query, f"[[probe.rules]] {i} query") for i, rule in enumerate(spec.probe.rules)
        )
    _CACHE[key] = compiled
    return compiled
