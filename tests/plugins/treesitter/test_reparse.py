"""The per-state parse that edits the last state's tree (reparse.py) builds the tree a fresh
parse builds, and the engine's diagnostics do not depend on which parse made the tree, nor
on rule queries anchored at the root being run at the root only, nor on the rule queries
being run together as one query (compiled.py's ``rules_query``).

States come from real conversions: the real-code fixtures (tests/fixtures/realcode, with
their attribution) and the engine's test programs, converted by the LintSeq sampler, linted
in the order the sampler lints them (each state the one before less some lines) and in a
shuffled order (unrelated texts one after another)."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from lintseq_core.host import PluginHost
from lintseq_core.sampler import make_sampler, sample_many, state_texts

pytest.importorskip("tree_sitter")

from lintseq_treesitter.analysis import analyze_source
from lintseq_treesitter.compiled import compile_language
from lintseq_treesitter.plugin import builtin
from lintseq_treesitter.reparse import ReusingParser, changed_span

TESTS = Path(__file__).resolve().parents[2]
SUFFIXES = {".c": "c", ".cpp": "cpp", ".java": "java", ".rs": "rust", ".ts": "typescript", ".rb": "ruby"}

GO = """package main

import (
	"fmt"
	"strings"
)

type shape interface{ area() float64 }

type rect struct{ w, h float64 }

func (r rect) area() float64 { return r.w * r.h }

func total(shapes []shape) float64 {
	sum := 0.0
	for _, s := range shapes {
		sum += s.area()
	}
	return sum
}

func main() {
	shapes := []shape{rect{2, 3}, rect{4, 5}}
	label := strings.Repeat("=", 3)
	fmt.Println(label, total(shapes))
}
"""

JAVASCRIPT = """'use strict';
const path = require('path');

class Registry {
  constructor(root) {
    this.root = root;
    this.items = new Map();
  }

  add(name, value) {
    if (this.items.has(name)) {
      throw new Error(`duplicate ${name}`);
    }
    this.items.set(name, value);
    return this;
  }

  resolve(name) {
    return path.join(this.root, name);
  }
}

function build(names) {
  const reg = new Registry('/tmp');
  for (const n of names) {
    reg.add(n, n.length);
  }
  return reg;
}

module.exports = { build, Registry };
"""


def _programs() -> list[tuple[str, str, str]]:
    out = [("go", "inline.go", GO), ("javascript", "inline.js", JAVASCRIPT)]
    folders = [*(TESTS / "fixtures" / "realcode").iterdir(), *(Path(__file__).parent / "programs").iterdir()]
    for folder in sorted(folders):
        for path in sorted(folder.iterdir()):
            lang = SUFFIXES.get(path.suffix)
            if lang is not None:
                out.append((lang, f"{folder.name}/{path.name}", path.read_text(encoding="utf-8")))
    return out


PROGRAMS = _programs()


def _compiled(lang: str):
    return compile_language(builtin.specs[lang])


def _nodes(tree) -> list[tuple]:
    """Every node of a tree, in order, with what the engine reads of it."""
    out = []
    cursor = tree.walk()
    while True:
        n = cursor.node
        out.append((n.type, n.start_byte, n.end_byte, n.start_point, n.end_point, n.is_missing, n.is_error))
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return out


def _sampled_states(host: PluginHost, lang: str, code: str) -> list[str]:
    """The states of one sampled conversion, largest first (the order the sampler lints)."""
    sampler = make_sampler(host, lang)
    seq, _ = sample_many(sampler, code, seed=0, index=0)[0]
    return [s for s in reversed(state_texts(seq)) if s]


def _cut_states(code: str, steps: int = 40) -> list[str]:
    """Random runs of lines deleted one after another: mostly states that do not parse,
    where error recovery could tell a reused tree from a fresh one."""
    rng = random.Random(1)
    lines = code.split("\n")
    out = []
    for _ in range(steps):
        if len(lines) < 2:
            break
        start = rng.randrange(len(lines))
        del lines[start : start + rng.randint(1, 3)]
        out.append("\n".join(lines))
    return out


@pytest.mark.parametrize(
    ("old", "new", "span"),
    [
        (b"abcdef", b"abcdef", (6, 6, 6)),
        (b"a\nb\nc\n", b"a\nc\n", (2, 4, 2)),  # a line deleted
        (b"a\nb\nc\nd\n", b"a\nd\n", (2, 6, 2)),
        (b"aaa", b"aa", (2, 3, 2)),  # prefix and suffix may not overlap
        (b"xyz", b"q", (0, 3, 1)),
        (b"", b"ab", (0, 0, 2)),
    ],
)
def test_changed_span_is_the_one_stretch_that_differs(old, new, span):
    start, old_end, new_end = changed_span(old, new)
    assert (start, old_end, new_end) == span
    assert old[:start] + new[start:new_end] + old[old_end:] == new


@pytest.mark.parametrize(("lang", "name", "code"), PROGRAMS, ids=[p[1] for p in PROGRAMS])
def test_reused_trees_equal_fresh_parses_and_diagnostics_do_not_change(host, lang, name, code, monkeypatch):
    # The compiler probes of the structure only move which lines go together: without them
    # the states are as real, and the test runs no compiler.
    monkeypatch.setattr("lintseq_treesitter.probe.probe_dependents", lambda *a: {})
    compiled = _compiled(lang)
    states = _sampled_states(host, lang, code) + _cut_states(code)
    shuffled = list(states)
    random.Random(0).shuffle(shuffled)
    reparser = ReusingParser(compiled.parser)
    # the engine before: a fresh parse per state, each rule query run alone on the whole tree
    fresh = dataclasses.replace(compiled, reparser=None, rooted_queries=frozenset(), rules_query=None)
    for k, state in enumerate(shuffled):
        data = state.encode("utf-8")
        assert _nodes(reparser.parse(data)) == _nodes(compiled.parser.parse(data)), f"{name} state {k}"
    every = max(1, len(states) // 20)  # diagnostics on 20 states spread over the sequence
    for k, state in enumerate(states):
        data = state.encode("utf-8")
        assert _nodes(reparser.parse(data)) == _nodes(compiled.parser.parse(data)), f"{name} state {k}"
        if k % every == 0:
            assert analyze_source(compiled, state) == analyze_source(fresh, state), f"{name} state {k}"


def test_a_tree_is_reused_only_for_the_next_state_of_the_same_text():
    compiled = _compiled("javascript")
    reparser = ReusingParser(compiled.parser)
    first = reparser.parse(JAVASCRIPT.encode())
    assert reparser.parse(JAVASCRIPT.encode()) is first  # the same text: the same tree
    smaller = JAVASCRIPT.replace("    return this;\n", "").encode()
    tree = reparser.parse(smaller)
    assert tree is not first
    assert _nodes(tree) == _nodes(compiled.parser.parse(smaller))
    other = b"let x = 1;\n"  # unrelated text: parsed afresh, then edited from
    assert _nodes(reparser.parse(other)) == _nodes(compiled.parser.parse(other))
    assert _nodes(reparser.parse(smaller)) == _nodes(compiled.parser.parse(smaller))


def test_rows_counted_between_questions_in_any_order_are_the_rows():
    from lintseq_treesitter.analysis import _RowOf

    rng = random.Random(2)
    data = b"".join(rng.choice([b"a", b"\n", b"bc", b"\r\n"]) for _ in range(3000))
    row = _RowOf(data)
    for pos in [0, len(data), *(rng.randrange(len(data) + 1) for _ in range(500)), 0]:
        assert row(pos) == data.count(b"\n", 0, pos)


def test_rule_queries_anchored_at_the_root_are_found():
    import tree_sitter
    from lintseq_treesitter.compiled import _patterns_start_at

    compiled = _compiled("go")
    language = compiled.language
    rooted = [
        "(source_file (function_declaration) @error)",
        '; a comment\n((source_file (function_declaration) @e) (#eq? @e "x"))',
        "(source_file (function_declaration) @a)\n(source_file (type_declaration) @b)",
    ]
    not_rooted = [
        "(block) @error",
        "(source_file (function_declaration) @a)\n(block (statement_list) @b)",
        "[(source_file) (block)] @x",
    ]
    for text in rooted:
        assert _patterns_start_at(text, tree_sitter.Query(language, text), "source_file"), text
    for text in not_rooted:
        assert not _patterns_start_at(text, tree_sitter.Query(language, text), "source_file"), text
    codes = {compiled.spec.rules[i].code for i, q in compiled.rule_queries.items() if id(q) in compiled.rooted_queries}
    assert "non-declaration-statement" in codes
