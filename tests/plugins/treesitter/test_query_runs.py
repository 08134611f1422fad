"""One run of a query per state where there were several (analysis.py): the locals query's
captures and the matches of its patterns with ``#set!`` properties come from one run of
it, and every rule query's matches from one run of ``rules_query``. Each must give what
its own run gives, on the states of real conversions (the programs of test_reparse.py)
and on states cut at random, which mostly do not parse."""

from __future__ import annotations

import pytest

pytest.importorskip("tree_sitter")

import tree_sitter
from lintseq_treesitter.analysis import (
    PatternSettings,
    _captures,
    _locals_matches,
    _matches,
    _Resolution,
    analyze_source,
)
from test_reparse import PROGRAMS, _compiled, _cut_states, _sampled_states

# A few programs per language keep the test short; all languages are covered.
_SOME = [p for k, p in enumerate(PROGRAMS) if k % 3 == 0 or p[0] in ("go", "javascript")]


def _key(node: tree_sitter.Node) -> tuple:
    return (node.start_byte, node.end_byte, node.type)


def _as_sets(caps: dict[str, list[tree_sitter.Node]]) -> dict[str, set[tuple]]:
    return {name: {_key(n) for n in nodes} for name, nodes in caps.items()}


def _as_lists(matches: list) -> list[tuple]:
    return [(p, {name: [_key(n) for n in nodes] for name, nodes in m.items()}) for p, m in matches]


# Kept for the whole session: with py-tree-sitter 0.26.1, freeing a query compiled from a
# locals.scm (Java's) corrupts memory, and a later import of a grammar crashes.
_KEEP: dict[str, tree_sitter.Query] = {}


def _settings_query(compiled) -> tree_sitter.Query:
    """The locals query with only its patterns with properties enabled (the second run the
    engine made before)."""
    if compiled.spec.name not in _KEEP:
        query = tree_sitter.Query(compiled.language, compiled.spec.locals_query)
        for i in range(query.pattern_count):
            if i not in compiled.settings:
                query.disable_pattern(i)
        _KEEP[compiled.spec.name] = query
    return _KEEP[compiled.spec.name]


@pytest.fixture(autouse=True)
def _no_probes(monkeypatch):
    # The probes only move which lines go together; without them the test runs no compiler.
    monkeypatch.setattr("lintseq_treesitter.probe.probe_dependents", lambda *a: {})


@pytest.mark.parametrize(("lang", "name", "code"), _SOME, ids=[p[1] for p in _SOME])
def test_one_run_of_each_query_gives_what_separate_runs_give(host, lang, name, code):
    compiled = _compiled(lang)
    settings_query = _settings_query(compiled) if compiled.settings else None
    queries = {id(q): q for q in compiled.rule_queries.values()}
    if compiled.termination_query is not None:
        queries[id(compiled.termination_query)] = compiled.termination_query
    states = _sampled_states(host, lang, code)[::3] + _cut_states(code, 12)
    for k, state in enumerate(states):
        root = compiled.parser.parse(state.encode("utf-8")).root_node
        caps, setting_matches = _locals_matches(compiled, root)
        if compiled.locals_query is not None:
            alone = tree_sitter.QueryCursor(compiled.locals_query).captures(root)
            assert _as_sets(caps) == _as_sets(alone), f"{name} state {k}: locals captures"
        if settings_query is not None:
            # in the same order: where two patterns set a property of one node, the last wins
            alone = tree_sitter.QueryCursor(settings_query).matches(root)
            assert _as_lists(setting_matches) == _as_lists(alone), f"{name} state {k}: settings"
        shared: dict = {}
        for query in queries.values():
            together = _captures(compiled, query, root, shared)
            alone = tree_sitter.QueryCursor(query).captures(root)
            assert _as_sets(together) == _as_sets(alone), f"{name} state {k}: rule captures"
            # each node once, as QueryCursor.captures gives them (a forbid rule reports each)
            assert all(len(nodes) == len({_key(n) for n in nodes}) for nodes in together.values())
            base = compiled.rules_base.get(id(query), 0) if id(query) in compiled.rules_base else 0
            got = [(p - base, m) for p, m in _matches(compiled, query, root, shared)]
            assert _as_lists(got) == _as_lists(tree_sitter.QueryCursor(query).matches(root)), (
                f"{name} state {k}: rule matches"
            )


def test_queries_whose_patterns_start_at_the_root_run_alone():
    """In one query that walks the whole tree, a root-anchored pattern keeps a state open
    over the whole walk (Go's `(source_file [...] @error)`: twice the cost of all the other
    rules together), so such a query is not part of ``rules_query`` and runs at the root."""
    compiled = _compiled("go")
    rooted = [q for q in compiled.rule_queries.values() if id(q) in compiled.rooted_queries]
    assert rooted
    assert all(id(q) not in compiled.rules_base for q in rooted)
    others = [q for q in compiled.rule_queries.values() if id(q) not in compiled.rooted_queries]
    assert others and all(id(q) in compiled.rules_base for q in others)
    code = "package main\n\nx := 1\n\nfunc f() int {\n\tfor {\n\t}\n}\n"
    codes = {d.code for d in analyze_source(compiled, code)}
    assert "non-declaration-statement" in codes  # the rooted query, run alone


def test_rule_queries_sharing_capture_names_keep_their_own_captures():
    """Rust's rules name their captures alike (`@error`, `@name`, `@body`): in one query the
    names are shared, and each rule must still see only its own patterns' nodes."""
    compiled = _compiled("rust")
    code = (
        "enum E {}\n"
        "#[repr(u8)]\nenum R {}\n"
        "fn f() -> i32 {\n    let v = vec![];\n    1\n}\n"
        "struct S;\nimpl Iterator for S {\n    fn next(&mut self) -> Option<u8> { None }\n}\n"
    )
    root = compiled.parser.parse(code.encode()).root_node
    shared: dict = {}
    names = {}
    for q in compiled.rule_queries.values():
        caps = _captures(compiled, q, root, shared)
        assert _as_sets(caps) == _as_sets(tree_sitter.QueryCursor(q).captures(root))
        for name, nodes in caps.items():
            names.setdefault(name, set()).update(_key(n) for n in nodes)
    # two rules capture different nodes under one name: a leak would have shown above
    assert any(
        len({frozenset(_as_sets(_captures(compiled, q, root, shared)).get(name, ())) for q in compiled.rule_queries.values()}) > 2
        for name in names
    )


_LANGS = ("c", "cpp", "go", "java", "javascript", "ruby", "rust", "typescript")


@pytest.mark.parametrize("lang", _LANGS)
def test_locals_matches_of_an_empty_text_are_those_of_separate_runs(lang):
    """On an empty text the captures give none of the empty root's matches, so both come
    from one cursor run twice: the same as two cursors of their own."""
    compiled = _compiled(lang)
    root = compiled.parser.parse(b"").root_node
    caps, setting_matches = _locals_matches(compiled, root)
    assert _as_sets(caps) == _as_sets(tree_sitter.QueryCursor(compiled.locals_query).captures(root))
    alone = [m for m in tree_sitter.QueryCursor(compiled.locals_query).matches(root) if m[0] in compiled.settings]
    assert _as_lists(setting_matches) == _as_lists(alone)


@pytest.mark.parametrize("lang", _LANGS)
def test_pattern_settings_are_the_query_s_properties_parsed(lang):
    """``settings`` (the ``#set!`` properties as the query gives them) is derived from
    ``setting_values``: one entry per pattern with properties, each field read from them."""
    compiled = _compiled(lang)
    query = compiled.locals_query
    raw = {}
    for i in range(query.pattern_count):
        props = {k: v for k, v in query.pattern_settings(i).items() if isinstance(v, str)}
        if props:
            raw[i] = props
    assert compiled.settings == raw
    assert set(compiled.setting_values) == set(raw)
    for i, props in raw.items():
        values = compiled.setting_values[i]
        assert isinstance(values, PatternSettings)
        assert values.props == props
        assert values.namespace == props.get("local.namespace", "").encode()
        assert values.priority == int(props.get("local.priority", "0"))
        assert values.instance == bool(props.get("local.instance"))
        assert values.scope_of == (frozenset(props["local.scope-of"].split()) if "local.scope-of" in props else None)
        assert values.also_reference == (props.get("local.also-reference") == "root")


@pytest.mark.parametrize(("lang", "name", "code"), _SOME[:8], ids=[p[1] for p in _SOME[:8]])
def test_references_by_name_built_on_demand_list_every_reference(lang, name, code):
    """``refs_by_name`` is built when a rule first asks: every reference's position under its
    name, in order, as the resolution's references list them."""
    compiled = _compiled(lang)
    if compiled.locals_query is None:
        pytest.skip("no locals query")
    for state in [*_cut_states(code, 4), code]:
        data = state.encode("utf-8")
        resolution = _Resolution(compiled, compiled.parser.parse(data).root_node, data)
        expected: dict[bytes, list[int]] = {}
        for ref_name, pos, _, _ in resolution.refs:
            expected.setdefault(ref_name, []).append(pos)
        assert resolution.refs_by_name == expected
        assert resolution.refs_by_name is resolution.refs_by_name  # built once
