"""Rust through the tree-sitter engine: what rustc enforces that the grammar does not (doc
comments and attributes stay with their item, exhaustive matches, trait impls, namespaces of
associated items and fields, `let` shadowing, values of blocks), the compiler-informed
structure (trait impls and fields used where no syntax tree shows it), and real programs
whose every intermediate state rustc must accept (fixtures copied from Debian's `rust-src`,
see their ATTRIBUTION.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lintseq_core.edits import resolve_edit_path, split_lines
from lintseq_core.host import PluginHost, get_host
from lintseq_core.sampler import make_sampler, sample_many, state_texts

pytest.importorskip("tree_sitter")

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "realcode" / "rust"
needs_rustc = pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not installed")


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return get_host()


def codes(host: PluginHost, source: str) -> set[tuple[int, str]]:
    return {(d.line, d.code) for d in host.analyze("rust", "treesitter", source)}


def errors(host: PluginHost, source: str, prefix: str = "") -> set[tuple[int, str]]:
    """Diagnostics other than names the file never defines (std's, which no state has)."""
    std = {"undefined:" + n for n in ("Option", "Some", "None", "String", "Vec", "std", "fmt", "Ok", "Result",
                                      "Formatter", "Display", "Debug", "println", "write", "cmp",
                                      "Ordering", "u8", "len", "Iterator", "next", "assert")}
    return {(ln, c) for ln, c in codes(host, source) if c not in std and c.startswith(prefix)}


def structure(host: PluginHost, source: str):
    return host.structure("rust", "treesitter", tuple(split_lines(source)), False)


def test_doc_comments_and_attributes_go_with_their_item(host):
    src = (
        "/// A point.\n"  # 0
        "#[derive(Debug)]\n"  # 1
        "pub struct P {\n"  # 2
        "    /// The x.\n"  # 3
        "    #[allow(dead_code)]\n"  # 4
        "    x: u8,\n"  # 5
        "}\n"
    )
    st = structure(host, src)
    assert {0, 1, 3, 4}.isdisjoint(st.candidates)
    assert {0, 1} <= set(st.children[2]) and {3, 4} <= set(st.children[5])
    assert st.owner[1] == 2 and st.owner[4] == 5


def test_match_arms_stay_unless_a_catch_all_follows(host):
    src = (
        "fn f(x: u8, o: Option<u8>) -> u8 {\n"
        "    let a = match x {\n"
        "        1 => 2,\n"  # 2: a catch-all follows: may go alone
        "        _ => 3,\n"  # 3: the catch-all itself stays
        "    };\n"
        "    match o {\n"
        "        Some(v) => v,\n"  # 6: no catch-all: pinned to the match
        "        None => a,\n"
        "    }\n"
        "}\n"
    )
    st = structure(host, src)
    assert 2 in st.candidates
    assert 3 not in st.candidates and 6 not in st.candidates and 7 not in st.candidates
    assert st.owner[6] == 5


def test_items_of_traits_and_trait_impls_stay_with_them(host):
    src = (
        "trait T {\n    fn a(&self);\n    fn b(&self) {}\n}\n"
        "struct S;\n"
        "impl T for S {\n    fn a(&self) {}\n}\n"
        "impl S {\n    fn c(&self) {}\n}\n"
    )
    st = structure(host, src)
    assert 1 not in st.candidates and 2 not in st.candidates and 6 not in st.candidates
    assert 9 in st.candidates  # an inherent method may go alone


def test_methods_and_fields_have_namespaces_of_their_own(host):
    src = (
        "use std::fmt;\n"
        "struct D { depth: usize }\n"
        "impl D {\n"
        "    fn depth(&self) -> usize { self.depth }\n"
        "}\n"
        "impl fmt::Display for D {\n"
        "    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, \"{}\", self.depth()) }\n"
        "}\n"
        "fn g(d: D) -> usize { D::depth(&d) + d.depth }\n"
    )
    assert errors(host, src) == set()
    # The method `fmt` does not stand in for the module `fmt` once its import is gone.
    assert {(6, "undefined:fmt")} <= codes(host, src.replace("use std::fmt;\n", "\n"))
    # A field deleted: its accesses are flagged, not the method calls of the same name.
    no_field = src.replace("struct D { depth: usize }", "struct D { }")
    assert {ln for ln, c in errors(host, no_field) if c == "undefined:depth"} == {4, 9}
    # A method deleted: `d.depth()` and `D::depth` are flagged, not the field accesses.
    no_method = src.replace("    fn depth(&self) -> usize { self.depth }\n", "\n")
    assert {ln for ln, c in errors(host, no_method) if c == "undefined:depth"} == {7, 9}


def test_a_shorthand_initializer_needs_its_local_and_its_field(host):
    # `Self { er, k }` names the field `er` and reads the local `er`: without either it breaks
    # (the compiler probe ties it too, but only for a file that compiles alone).
    src = (
        "pub struct E {\n    er: i32,\n    k: i32,\n}\n"
        "impl E {\n    pub fn new(er: i32) -> Self {\n        let k = 1;\n        Self { er, k }\n    }\n}\n"
    )
    assert errors(host, src) == set()
    assert errors(host, src.replace("    er: i32,\n", "")) == {(7, "undefined:er")}
    assert errors(host, src.replace("        let k = 1;\n", "")) == {(7, "undefined:k")}
    # a local that merely shares a field's name is not tied to the field
    assert errors(host, src.replace("Self { er, k }", "Self { er: k, k: er }").replace("    k: i32,\n", "")) == {
        (7, "undefined:k")}


def test_a_const_block_keeps_its_value_and_none_keeps_the_use_that_types_it(host):
    src = "const Y: bool = {\n    let x = true;\n    x\n};\nstatic Z: u8 = { 1 };\n"
    assert errors(host, src) == set()
    assert errors(host, src.replace("    x\n", "")) == {(1, "mismatched-types-value")}
    # `let x = None;` needs a use that fixes its type (an array element, a typed binding)
    src = "fn f() {\n    let x = None;\n    let arr: [Option<u8>; 1] = [x; 1];\n}\n"
    assert errors(host, src, "type-annotations") == set()
    assert errors(host, src.replace("    let arr: [Option<u8>; 1] = [x; 1];\n", ""), "type-annotations") == {
        (2, "type-annotations-needed:x")}


def test_a_path_through_a_type_needs_that_types_item(host):
    src = (
        "struct P;\nstruct Q;\n"
        "impl P { fn new() -> P { P } }\n"
        "impl Q { fn new() -> Q { Q } }\n"
        "fn f() { P::new(); Q::new(); }\n"
    )
    assert (5, "undefined:new") not in codes(host, src)
    without = src.replace("impl P { fn new() -> P { P } }", "")
    assert [c for ln, c in sorted(codes(host, without)) if ln == 5] == ["undefined:new"]  # `P::new` only


def test_let_binds_after_its_statement_and_patterns_bind_lower_case_names(host):
    src = (
        "fn f(v: u8) -> u8 {\n"
        "    let n = n + 1;\n"  # 2: the n read here is an older one
        "    for lhs in lhs {}\n"  # 3
        "    match v { None => 1, w => w }\n"  # 4: `None` is a use, `w` a binding
        "}\n"
    )
    got = errors(host, src, "undefined")
    assert {(2, "undefined:n"), (3, "undefined:lhs")} <= got
    assert (4, "undefined:w") not in got


def test_a_match_or_block_whose_value_is_used_keeps_its_tail(host):
    def fn(body: str) -> str:
        return f"fn f(x: Option<u8>) -> u8 {{\n{body}\n}}\n"

    assert not errors(host, fn("    match x { Some(v) => v, None => 0 }"), "mismatched")
    assert errors(host, fn("    match x { Some(v) => v, None => { let y = 1; } }"), "mismatched")
    assert not errors(host, fn("    match x { Some(v) => v, None => unreachable!() }"), "mismatched")
    assert errors(host, fn("    debug_assert!(x.is_some());"), "mismatched")
    assert not errors(host, fn("    let y = if x.is_some() { 1 } else { 2 };\n    y"), "mismatched")
    assert errors(host, fn("    let y = if x.is_some() { 1 } else { let z = 2; };\n    y"), "mismatched")


def test_configured_out_items_do_not_define_names(host):
    src = (
        "#[cfg(feature = \"std\")]\nuse std::hash::Hasher;\n"
        "#[cfg(not(feature = \"std\"))]\nuse core::hash::Hasher;\n"
        "fn f(h: &dyn Hasher) {}\n"
    )
    assert (5, "undefined:Hasher") not in codes(host, src)
    assert (5, "undefined:Hasher") in codes(host, src.replace("use core::hash::Hasher;", ""))


def test_imports_of_variants_and_through_the_crate_root(host):
    src = (
        "use self::E::*;\n"  # 0: stays until the enum goes
        "enum E { Occ(u8), Vac }\n"
        "fn f(e: E) -> u8 { match e { Occ(x) => x, Vac => 0 } }\n"
        "mod m {\n"
        "    use crate::{E, f};\n"  # 4: needs a top-level E and f
        "}\n"
    )
    st = structure(host, src)
    assert 0 not in st.candidates
    assert (3, "undefined:Occ") in codes(host, src.replace("Occ(u8), ", ""))
    assert (5, "undefined:f") in codes(host, src.replace("fn f(e: E) -> u8 { match e { Occ(x) => x, Vac => 0 } }", ""))
    assert (1, "undefined:E") in codes(host, src.replace("enum E { Occ(u8), Vac }", ""))


@needs_rustc
def test_the_compiler_tells_which_lines_need_a_trait_impl_or_a_field(host):
    src = (
        "use std::fmt;\n"
        "struct S { a: u8 }\n"  # 1
        "impl fmt::Display for S {\n"  # 2
        "    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, \"{}\", self.a) }\n"
        "}\n"
        "fn f(a: u8) -> String {\n"
        "    let s = S { a };\n"  # 6: `a` is a local and the field
        "    s.to_string()\n"  # 7: needs the Display impl
        "}\n"
    )
    st = structure(host, src)
    assert 7 in st.children[2]
    assert 6 in st.children[1]


@needs_rustc
def test_the_compiler_tells_which_impls_need_a_supertrait_impl(host):
    src = (
        "use std::fmt;\n"
        "#[derive(Debug)]\n"
        "struct E;\n"  # 2
        "impl fmt::Display for E {\n"  # 3
        "    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { Ok(()) }\n"
        "}\n"
        "impl std::error::Error for E {}\n"  # 6: needs Display for E
    )
    assert 6 in structure(host, src).children[3]


@needs_rustc
def test_the_compiler_tells_which_field_accesses_go_through_deref(host):
    src = (
        "use std::ops::Deref;\n"
        "struct Wrap<T>(T);\n"
        "impl<T> Deref for Wrap<T> {\n"  # 2
        "    type Target = T;\n"
        "    fn deref(&self) -> &T { &self.0 }\n"
        "}\n"
        "fn second(v: &Wrap<(i32, i32)>) -> i32 {\n"
        "    v.1\n"  # 7: `no field `1` on type `&Wrap<(i32, i32)>`` without the impl
        "}\n"
    )
    assert 7 in structure(host, src).children[2]


def _fixtures() -> list[Path]:
    return sorted(FIXTURES.glob("*.rs"))


@pytest.mark.slow
@needs_rustc
@pytest.mark.parametrize("path", _fixtures(), ids=lambda p: p.name)
def test_real_programs_states_compile(host, path):
    code = path.read_text(encoding="utf-8")
    assert host.analyze("rust", "rustc", code) == [], f"{path.name} does not compile whole"
    sampler = make_sampler(host, "rust", "treesitter")
    for seed in range(2):
        ((seq, _),) = sample_many(sampler, code, seed=seed, index=0)
        assert resolve_edit_path(seq.edit_path) == code
        assert len(seq.edit_path) > 1
        for state in state_texts(seq):
            errs = host.analyze("rust", "rustc", state)
            assert errs == [], f"{path.name} (seed {seed}): rustc rejects a state:\n{state}\n{errs}"
