"""Every shipped language file loads, every query compiles and uses only known captures."""

from __future__ import annotations

from importlib import resources

import pytest

pytest.importorskip("tree_sitter")

from lintseq_treesitter.compiled import compile_language, grammar_problem
from lintseq_treesitter.plugin import builtin
from lintseq_treesitter.spec import KNOWN_CAPTURES, RULE_KINDS, load_language_dir

SHIPPED = ["c", "cpp", "go", "java", "javascript", "python", "ruby", "rust", "typescript"]
KNOWN_SETTINGS = {"local.namespace", "local.visible-after", "local.resolve", "local.names",
                  "local.redeclaration", "local.priority", "local.also-namespace",
                  "local.namespace-from", "local.instance", "local.scope-barrier",
                  "local.also-reference", "local.scope-of", "local.expands"}


def test_every_shipped_language_is_declared():
    assert sorted(builtin.specs) == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_queries_compile_with_known_captures(name):
    spec = builtin.specs[name]
    if grammar_problem(spec):
        pytest.skip(grammar_problem(spec))
    compiled = compile_language(spec)
    query = compiled.locals_query
    assert query is not None, f"{name} has no locals.scm"
    # `_`-prefixed captures are predicate helpers (`#any-of? @_m ...`); the engine ignores them.
    captures = {query.capture_name(i) for i in range(query.capture_count)} - {
        query.capture_name(i) for i in range(query.capture_count) if query.capture_name(i).startswith("_")
    }
    assert captures <= KNOWN_CAPTURES, f"unknown captures in {name}: {captures - KNOWN_CAPTURES}"
    assert {"local.scope", "local.reference"} <= captures
    assert any(c.startswith("local.definition") for c in captures)
    for props in compiled.settings.values():
        assert set(props) <= KNOWN_SETTINGS, f"{name}: unknown #set! keys {set(props) - KNOWN_SETTINGS}"
    if compiled.pinned_query is not None:
        q = compiled.pinned_query
        names = {q.capture_name(i) for i in range(q.capture_count)}
        assert "pinned" in names or "leading" in names
        assert all(n in ("pinned", "unpinned", "leading") or n.startswith("_") for n in names)
    if compiled.links_query is not None:
        q = compiled.links_query
        names = {q.capture_name(i) for i in range(q.capture_count)}
        assert any(n == "key" or n.startswith("key.") for n in names), names
        assert all(n in ("from", "to", "key", "lends") or n.startswith(("_", "key.")) for n in names), names
    if compiled.termination_query is not None:
        q = compiled.termination_query
        names = {q.capture_name(i) for i in range(q.capture_count)}
        assert all(n in ("terminal", "forever") or n.startswith("_") for n in names), names
    for index, rule in enumerate(spec.rules):
        assert rule.kind in RULE_KINDS
        if rule.kind in ("forbid",):
            names = {compiled.rule_queries[index].capture_name(i) for i in range(compiled.rule_queries[index].capture_count)}
            assert "error" in names, f"{name} rule {rule.code}: a forbid query must capture @error"
        if rule.kind in ("missing_return", "nonempty", "contains"):
            q = compiled.rule_queries[index]
            assert "body" in {q.capture_name(i) for i in range(q.capture_count)}
        if rule.kind == "inferred":
            q = compiled.rule_queries[index]
            assert {"definition", "use"} <= {q.capture_name(i) for i in range(q.capture_count)}


def test_inherits_expands_parent_queries():
    queries = resources.files("lintseq_treesitter") / "queries"
    cpp = builtin.specs["cpp"].locals_query
    c_text = (queries / "c" / "locals.scm").read_text(encoding="utf-8")
    assert c_text in cpp  # `; inherits: c` pulled the C patterns in
    assert "ecma" not in builtin.specs  # a query folder alone declares no language


def test_node_types_in_data_exist_in_the_grammar():
    """A typo in a node-type list would silently disable a block or a comment type."""
    for name, spec in builtin.specs.items():
        if grammar_problem(spec):
            continue
        language = compile_language(spec).language
        termination = (
            spec.terminal | spec.sequences | spec.statements | spec.unit_expressions | spec.breaks
            | spec.break_scopes | spec.break_labels
            | set(spec.switches) | {b for b, _ in spec.branches} | {lp for lp, _ in spec.loops}
        )
        for node_type in spec.blocks | spec.comments | spec.pinned | termination:
            assert language.id_for_node_kind(node_type, True) is not None, f"{name}: no node type {node_type!r}"


def test_a_package_without_languages_folder_is_a_clear_error():
    from lintseq_core.errors import ConfigError

    with pytest.raises(ConfigError, match="languages/"):
        load_language_dir("lintseq_core")
