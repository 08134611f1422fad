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
from lintseq_core.host import PluginHost
from lintseq_core.sampler import make_sampler, sample_many, state_texts

pytest.importorskip("tree_sitter")

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "realcode" / "rust"
needs_rustc = pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not installed")


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


def test_a_closure_passed_on_whose_body_is_a_match_keeps_its_arms_values(host):
    # toml's tokenizer: `self.read_string(.., &mut |me, val, i, ch| match ch { .. })`, an arm
    # that lost its `Ok(())` gives `()` where the closure's `Result` is expected.
    src = (
        "fn run(f: &mut dyn FnMut(char) -> Result<(), ()>) -> Result<(), ()> { f('a') }\n"
        "fn g() -> Result<(), ()> {\n"
        "    run(&mut |ch| match ch {\n"  # 2
        "        'a' => {\n"
        "            let x = 1;\n"
        "            Ok(())\n"  # 5
        "        }\n"
        "        _ => Err(()),\n"
        "    })\n"
        "}\n"
    )
    assert errors(host, src, "mismatched") == set()
    assert errors(host, src.replace("            Ok(())\n", ""), "mismatched") == {(3, "mismatched-types-value")}
    bare = src.replace("run(&mut |ch|", "run(|ch|").replace("            Ok(())\n", "")
    assert errors(host, bare, "mismatched") == {(3, "mismatched-types-value")}


def test_a_block_added_to_a_variable_keeps_its_value(host):
    # rustc's ui test issue-69307-nested: `sum += { block_on(async { .. }) };`
    src = "fn f() {\n    let mut sum = 0;\n    sum += {\n        let x = 1;\n        x\n    };\n    let r = (&{ 3 }, [{ 4 }]);\n}\n"
    assert errors(host, src, "mismatched") == set()
    assert errors(host, src.replace("        x\n", ""), "mismatched") == {(3, "mismatched-types-value")}
    assert errors(host, src.replace("{ 3 }", "{ }").replace("{ 4 }", "{ }"), "mismatched") == {(7, "mismatched-types-value")}


@needs_rustc
def test_rustc_errors_do_not_name_the_private_directory(host):
    # regex's lib.rs declares `mod prog;`: "circular modules: /tmp/<random>/prog.rs -> .." must
    # compare equal from one call to the next (the relative rule compares error codes).
    first, second = (host.analyze("rust", "rustc", "mod prog;\n") for _ in range(2))
    assert [d.code for d in first] == [d.code for d in second] == ["circular modules: prog.rs -> prog.rs"]
    # semver: the same unsatisfied bound under another label is the same error
    from lintseq_compilers.plugin import toolchain

    rustc = toolchain("rust", "rustc")
    out = (
        "prog.rs:7:5: error[E0277]: the trait bound `B: Ord` is not satisfied: unsatisfied trait bound\n"
        "prog.rs:9:5: error[E0277]: the trait bound `B: Ord` is not satisfied: the trait `Ord` is not implemented for `B`\n"
    )
    assert {d.code for d in rustc.parse_output(out, "prog.rs", 1)} == {"the trait bound `B: Ord` is not satisfied"}


def test_a_macro_handed_to_another_by_name_is_used_there(host):
    # num-traits' bounds.rs: `for_each_tuple!(bounded_tuple);` needs `macro_rules! bounded_tuple`.
    src = (
        "macro_rules! each {\n    ($m:ident) => { $m! { A B } };\n}\n"
        "macro_rules! bounded {\n    ($($t:ident)*) => {};\n}\n"
        "each!(bounded);\n"  # 7
        "fn f(bounded: u8) -> u8 { bounded }\n"
    )
    assert errors(host, src, "undefined:bounded") == set()
    gone = src.replace("macro_rules! bounded {\n    ($($t:ident)*) => {};\n}\n", "")
    assert errors(host, gone, "undefined:bounded") == {(4, "undefined:bounded")}


def test_a_statement_configured_in_without_a_feature_stays(host):
    # clap's help_template.rs: `#[cfg(not(feature = "wrap_help"))] return (None, None);` is the
    # body's value for rustc; the `#[cfg(feature = "wrap_help")]` tail after it does not exist.
    src = (
        "pub fn dimensions() -> (Option<usize>, Option<usize>) {\n"
        "    #[cfg(not(feature = \"wrap_help\"))]\n"
        "    return (None, None);\n"  # 2
        "\n"
        "    #[cfg(feature = \"wrap_help\")]\n"
        "    size().unwrap_or((None, None))\n"
        "}\n"
        "pub fn g() -> u8 {\n    #[cfg(unix)]\n    let x = 1;\n    x\n}\n"  # 9: may go
    )
    st = structure(host, src)
    assert 2 not in st.candidates and 9 in st.candidates


def test_or_patterns_bind_names_deep_down(host):
    # rustc's ui test or-patterns-default-binding-modes: `let (Ok(mut x) | &Err(mut x)) = res;`
    src = (
        "fn f(res: Result<&u8, &u8>) {\n"
        "    let (Ok(mut x) | &Err(mut x)) = res;\n"
        "    drop::<u8>(x);\n"
        "    if let Some(&(Ok(y) | Err(y))) = None::<&Result<u8, u8>> { drop(y); }\n"
        "}\n"
    )
    assert not errors(host, src, "undefined:x") and not errors(host, src, "undefined:y")
    assert errors(host, src.replace("    let (Ok(mut x) | &Err(mut x)) = res;\n", ""), "undefined:x") == {
        (2, "undefined:x")}


def test_items_under_a_custom_cfg_do_not_define_names(host):
    # indexmap: `#[cfg(has_std)] pub struct IndexSet<T, S = RandomState>` and the
    # `#[cfg(not(has_std))]` one; rustc sets no custom cfg (nor `windows`): only the second counts.
    src = (
        "#[cfg(has_std)]\npub struct S<T> { t: T }\n"
        "#[cfg(not(has_std))]\npub struct S<T> { t: T }\n"
        "#[cfg(unix)]\npub struct U;\n"
        "#[cfg(windows)]\npub struct W;\n"
        "fn f(s: S<u8>, u: U) {}\n"
    )
    assert errors(host, src, "undefined:S") == set()
    assert errors(host, src.replace("#[cfg(not(has_std))]\npub struct S<T> { t: T }\n", ""), "undefined:S") == {
        (7, "undefined:S")}
    assert errors(host, src, "undefined:U") == set()  # `unix` is on
    assert errors(host, src + "fn g(w: W) {}\n", "undefined:W") == {(10, "undefined:W")}


def test_glob_imports_stay_and_top_level_macro_statements_are_items(host):
    # serde's ser/fmt.rs: `use lib::*;` from a module the file cannot see is what lets rustc
    # accept `fmt` and `Display`; it stays. `m!(..);` at the top level is an item, and stays
    # like `m! {..}` until its macro goes.
    src = "use lib::*;\nuse self::m::*;\nmod m {\n    pub fn g() {}\n}\nimp!(str,);\nfn f() { g(); }\n"
    st = structure(host, src)
    assert {0, 1, 5}.isdisjoint(st.candidates) and 6 in st.candidates
    assert not errors(host, src, "expected-item")
    assert errors(host, src + "f();\n", "expected-item") == {(8, "expected-item")}


@needs_rustc
def test_the_compiler_tells_which_lines_need_a_trait_impl_a_macro_writes(host):
    # either: `impl_specific_ref_and_mut!(str,);` writes `impl AsRef<str> for Either<L, R>`,
    # which `check_ref::<Either<T1, T2>>()` needs.
    src = (
        "pub struct Either<L>(L);\n"
        "macro_rules! imp {\n"
        "    ($t:ty) => {\n"
        "        impl<L: AsRef<$t>> AsRef<$t> for Either<L> {\n"
        "            fn as_ref(&self) -> &$t { self.0.as_ref() }\n"
        "        }\n"
        "    };\n"
        "}\n"
        "imp!(str);\n"  # 8
        "fn check<T: AsRef<str>>() {}\n"
        "fn uses<L: AsRef<str>>() {\n"
        "    check::<Either<L>>()\n"  # 11: needs the impl line 8 writes
        "}\n"
    )
    assert 11 in structure(host, src).children[8]
    # `impl Tr for $t` written for a type among the arguments (`u8`, a primitive type)
    src = (
        "pub trait Tr {}\n"
        "macro_rules! tr {\n"
        "    ($($t:ty)*) => { $(impl Tr for $t {})* };\n"
        "}\n"
        "tr!(u8 u16);\n"  # 4
        "fn need<T: Tr>() {}\n"
        "pub fn f() {\n"
        "    need::<u8>();\n"  # 7
        "}\n"
    )
    assert 7 in structure(host, src).children[4]
    # petgraph's dot.rs: `make_config_struct!(NodeIndexLabel, ..)` declares `struct Configs`,
    # which exists only while the invocation does (it goes when a variant it names goes).
    src = (
        "macro_rules! make {\n"
        "    ($($v:ident,)*) => { struct Configs { $($v: bool,)* } };\n"
        "}\n"
        "make!(A, B,);\n"  # 3
        "pub struct Dot {\n"
        "    config: Configs,\n"  # 5
        "}\n"
    )
    assert 5 in structure(host, src).children[3]


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


def test_supertrait_derive_in_test_module_is_another_types(host):
    # indexmap's map.rs: `impl Eq for IndexMap` needs its `impl PartialEq`; the
    # `#[derive(Debug, PartialEq)]` of a test module's struct does not stand in for it.
    src = (
        "pub struct Map(u8);\n"
        "impl Eq for Map {}\n"  # 2: "can't compare `Map` with `Map`" without the PartialEq impl
        "mod tests {\n"
        "    #[derive(Debug, PartialEq)]\n"
        "    struct Sample(u8);\n"
        "}\n"
    )
    assert (2, "supertrait-partial-eq:Eq") in codes(host, src)
    whole = src.replace("impl Eq", "impl PartialEq for Map {\n    fn eq(&self, o: &Map) -> bool { self.0 == o.0 }\n}\nimpl Eq")
    assert not {c for _, c in codes(host, whole) if c.startswith("supertrait")}


def test_deny_warnings_imports_need_a_use(host):
    # toml's examples/toml2json.rs: under `#![deny(warnings)]` an import whose last use is
    # gone is an error ("unused import: `std::env`"), so it goes with its uses.
    body = (
        "use std::env;\n"  # 1 (+1 with the attribute)
        "pub fn count() -> usize {\n"
        "    env::args().count()\n"
        "}\n"
    )
    unused = "unused import: `std::env`"
    denied = "#![deny(warnings)]\n" + body
    cut = denied.replace("    env::args().count()\n", "    0\n")
    assert (2, "unused-type-parameter:env") in codes(host, cut)
    assert not any(c.startswith("unused") for _, c in codes(host, denied))
    assert not any(c.startswith("unused") for _, c in codes(host, body.replace("    env::args().count()\n", "    0\n")))
    if shutil.which("rustc"):
        assert [d.message for d in host.analyze("rust", "rustc", cut)] == [unused]


@needs_rustc
def test_probe_ties_reference_blanket_impl_to_its_use(host):
    # log's kv/source.rs: `count_default(self)` in a default method needs
    # `impl<'a, T: Source + ?Sized> Source for &'a T` ("the trait bound `&Self: Source` is not satisfied").
    src = (
        "pub trait Source {\n"
        "    fn size(&self) -> usize { 0 }\n"
        "}\n"
        "impl<'a, T: Source + ?Sized> Source for &'a T {}\n"  # 3
        "pub fn count_default(s: impl Source) -> usize {\n"
        "    s.size()\n"
        "}\n"
        "pub struct A;\n"
        "impl Source for A {}\n"
        "pub fn f(a: &A) -> usize {\n"
        "    count_default(a)\n"  # 10: "the trait bound `&A: Source` is not satisfied" without it
        "}\n"
    )
    assert 10 in structure(host, src).children[3]


@needs_rustc
def test_probe_ties_import_through_inline_module_to_the_item(host):
    # serde's private/mod.rs: `pub use self::string::from_utf8_lossy;` needs the fn in
    # `mod string` ("unresolved import ..: no `from_utf8_lossy` in `string`" without it).
    src = (
        "pub use self::string::lossy;\n"  # 0
        "mod string {\n"
        "    pub fn other() {}\n"  # 2
        "    pub fn lossy(b: &[u8]) -> &str {\n"  # 3
        "        std::str::from_utf8(b).unwrap_or(\"\")\n"
        "    }\n"
        "}\n"
    )
    s = structure(host, src)
    assert 0 in s.children[3]
    assert 0 not in s.children[2]


def test_cfg_all_with_a_feature_is_configured_out(host):
    # anyhow's backtrace.rs: `#[cfg(all(not(backtrace), feature = "backtrace"))]` needs a
    # feature (none is on): its `Backtrace` never stands in for the configured-in one.
    src = (
        "#[cfg(all(not(backtrace), feature = \"backtrace\"))]\n"
        "pub struct Backtrace;\n"
        "#[cfg(not(any(backtrace, feature = \"backtrace\")))]\n"
        "pub enum Backtrace {}\n"
        "pub fn f(_: Backtrace) {}\n"  # 5: "cannot find type `Backtrace`" without lines 3-4
    )
    assert not errors(host, src, "undefined:Backtrace")
    cut = src.replace("#[cfg(not(any(backtrace, feature = \"backtrace\")))]\npub enum Backtrace {}\n", "")
    assert (3, "undefined:Backtrace") in errors(host, cut)


def test_wrapped_empty_collection_needs_the_use_that_fixes_its_type(host):
    # rustc's ui/mir/mir_drop_order.rs: `AssertUnwindSafe(RefCell::new(vec![]))` is typed by
    # the struct field it initialises; without that use "type annotations needed".
    src = (
        "use std::cell::RefCell;\n"
        "struct L<'a> {\n"
        "    log: &'a RefCell<Vec<usize>>,\n"
        "}\n"
        "pub fn main() {\n"
        "    let log = Some(RefCell::new(vec![]));\n"  # 6
        "    let _d = L { log: log.as_ref().unwrap() };\n"
        "    let cell = Box::new(Vec::new());\n"  # 8
        "    let _e = L2 { cell: &cell };\n"
        "}\n"
        "struct L2<'a> {\n"
        "    cell: &'a Vec<u8>,\n"
        "}\n"
    )
    got = errors(host, src, "type-annotations-needed")
    assert (8, "type-annotations-needed:cell") not in got
    assert (8, "type-annotations-needed:cell") in errors(
        host, src.replace("    let _e = L2 { cell: &cell };\n", ""), "type-annotations-needed")


@needs_rustc
def test_unsatisfied_trait_label_does_not_change_the_error(host):
    # semver's lib.rs: `#[derive(Debug)] struct Comparator { pre: Prerelease }` where Prerelease's
    # Debug impl is in another file. While a field of Prerelease has an unresolved type the label
    # reads "unsatisfied trait bound", once that field is gone "the trait `Debug` is not
    # implemented for `Prerelease`": the same error.
    src = (
        "#[derive(Debug)]\n"
        "pub struct C {\n"
        "    pub p: P,\n"
        "}\n"
        "pub struct P {\n"
        "    x: crate::m::Missing,\n"
        "}\n"
    )
    state = src.replace("    x: crate::m::Missing,\n", "")

    def debug(text):
        return {d.code for d in host.analyze("rust", "rustc", text) if "Debug" in d.message}

    assert debug(src) == debug(state) == {"`P` doesn't implement `Debug`"}


@needs_rustc
def test_imports_blocked_by_a_failed_glob_are_not_reported_twice(host):
    # indexmap's rayon/mod.rs: `use alloc::collections::LinkedList;` after `use rayon::prelude::*;`
    # gets a second, label-less "unresolved import" once the other import error (`crate::vec`)
    # is gone; its own error ("cannot find module or crate `alloc`") is there in both.
    src = "use rayon::prelude::*;\nuse alloc::collections::LinkedList;\nuse crate::vec::Vec;\n"
    state = "use rayon::prelude::*;\nuse alloc::collections::LinkedList;\n"
    base = {d.code for d in host.analyze("rust", "rustc", src)}
    got = {d.code for d in host.analyze("rust", "rustc", state)}
    assert got and got <= base
    assert any("`alloc`" in c for c in got)
    # an unresolved import with a label is a new error as before
    assert any(c.startswith("unresolved import") for c in
               (d.code for d in host.analyze("rust", "rustc", "use self::gone::X;\n")))


@needs_rustc
def test_probe_ties_sealed_supertrait_impls_for_trait_objects(host):
    # thiserror's aserror.rs: `impl<'a> AsDynError<'a> for dyn Error + Send + 'a` needs
    # `impl<'a> Sealed for dyn Error + Send + 'a {}` (AsDynError: Sealed); no type name ties them.
    src = (
        "use std::error::Error;\n"
        "pub trait AsDynError<'a>: Sealed {\n"
        "    fn as_dyn_error(&self) -> &(dyn Error + 'a);\n"
        "}\n"
        "impl<'a> AsDynError<'a> for dyn Error + 'a {\n"  # 4
        "    fn as_dyn_error(&self) -> &(dyn Error + 'a) {\n"
        "        self\n"
        "    }\n"
        "}\n"
        "impl<'a> AsDynError<'a> for dyn Error + Send + 'a {\n"  # 9
        "    fn as_dyn_error(&self) -> &(dyn Error + 'a) {\n"
        "        self\n"
        "    }\n"
        "}\n"
        "pub trait Sealed {}\n"
        "impl<'a> Sealed for dyn Error + 'a {}\n"  # 15
        "impl<'a> Sealed for dyn Error + Send + 'a {}\n"  # 16
    )
    s = structure(host, src)
    assert 4 in s.children[15] and 9 in s.children[16]


@needs_rustc
def test_probe_ties_clone_impl_to_its_use_in_another_trait_impl(host):
    # itertools' rciter_impl.rs: `impl IntoIterator for &'a RcIter<I>` returns `self.clone()`
    # ("expected `RcIter<I>`, found `&RcIter<I>`" without `impl Clone for RcIter<I>`); the runs
    # that configure out both impls at once could not see it.
    src = (
        "pub struct W(u8);\n"
        "impl Clone for W {\n"  # 1
        "    fn clone(&self) -> W {\n"
        "        W(self.0)\n"
        "    }\n"
        "}\n"
        "impl<'a> From<&'a W> for W {\n"
        "    fn from(w: &'a W) -> W {\n"
        "        w.clone()\n"  # 8
        "    }\n"
        "}\n"
    )
    assert 8 in structure(host, src).children[1]


def test_null_pointer_needs_the_use_that_fixes_its_type(host):
    # rustc's ui/abi/issues/issue-62350-sysv-neg-reg-counts.rs: `let null = std::ptr::null();`
    # is typed by the extern call it is passed to ("type annotations needed for `*const _`").
    src = (
        "extern \"C\" {\n"
        "    fn take(p: *const u8);\n"
        "}\n"
        "pub fn f() {\n"
        "    let null = std::ptr::null();\n"  # 5
        "    unsafe { take(null) };\n"
        "}\n"
    )
    assert not errors(host, src, "type-annotations-needed")
    cut = src.replace("    unsafe { take(null) };\n", "")
    assert (5, "type-annotations-needed:null") in errors(host, cut, "type-annotations-needed")
    # the original passes it to the call inside `assert_eq!(..)`: that use fixes it as well
    in_macro = src.replace("    unsafe { take(null) };\n", "    assert_eq!(unsafe { take(null) }, ());\n")
    assert not errors(host, in_macro, "type-annotations-needed")


def test_match_left_with_only_a_none_arm_needs_a_type(host):
    # url's parser.rs: `let encoding = match .. { "http" | .. => self.query_encoding_override,
    # _ => None };` without its first arm is "type annotations needed for `Option<_>`".
    src = (
        "pub fn f(s: &str, o: Option<fn(&str) -> u8>) -> u8 {\n"
        "    let encoding = match s {\n"
        "        \"http\" => o,\n"
        "        _ => None,\n"  # 4
        "    };\n"
        "    if let Some(f) = encoding { f(s) } else { 0 }\n"
        "}\n"
    )
    assert not errors(host, src, "type-annotations-needed")
    cut = src.replace("        \"http\" => o,\n", "")
    assert (3, "type-annotations-needed") in errors(host, cut, "type-annotations-needed")
    typed = cut.replace("let encoding =", "let encoding: Option<fn(&str) -> u8> =")
    assert not errors(host, typed, "type-annotations-needed")
    if shutil.which("rustc"):
        assert any("type annotations needed" in d.message for d in host.analyze("rust", "rustc", cut))
        assert host.analyze("rust", "rustc", src) == host.analyze("rust", "rustc", typed) == []


def test_macro_invoked_in_a_repetition_of_another_macro_is_used(host):
    # petgraph's matrix_graph.rs: `macro_rules! not_zero_impls { ($($t:ty),*) => { $(
    # not_zero_impl!($t, 0); )* } }` needs `not_zero_impl` ("cannot find macro `not_zero_impl`").
    src = (
        "pub trait Nz { fn nz() -> Self; }\n"
        "macro_rules! one {\n"
        "    ($t:ty, $z:expr) => { impl Nz for $t { fn nz() -> Self { $z } } };\n"
        "}\n"
        "macro_rules! many {\n"
        "    ($($t:ty),*) => {\n"
        "        $(\n"
        "            one!($t, 0);\n"  # 8
        "        )*\n"
        "    };\n"
        "}\n"
        "many!(u8, u16);\n"
    )
    assert not {c for _, c in errors(host, src) if c.endswith("one")}
    cut = src.replace("macro_rules! one {\n    ($t:ty, $z:expr) => { impl Nz for $t { fn nz() -> Self { $z } } };\n}\n", "")
    assert any(ln == 5 and c.endswith("one") for ln, c in errors(host, cut))


def test_or_pattern_binds_seven_levels_down(host):
    # rustc's ui/or-patterns/or-patterns-default-binding-modes.rs: `drop::<u8>(x)` after
    # `let (Tri::A(Ok(mut x) | Err(mut x)) | ..) = tri;` reads that `x`, not an older `x` of
    # another type: it goes with that `let`.
    src = (
        "pub enum Tri<P> { A(P), B(P) }\n"
        "pub fn f(r: Result<u8, u8>, tri: Tri<Result<u8, u8>>) {\n"
        "    let (Ok(x) | Err(x)) = &r;\n"
        "    let _ = x;\n"
        "    let (Tri::A(Ok(mut x) | Err(mut x))\n"  # 4
        "    | Tri::B(Ok(mut x) | Err(mut x))) = tri;\n"
        "    x += 1;\n"  # 6
        "    drop::<u8>(x);\n"
        "}\n"
    )
    s = structure(host, src)
    assert 6 in s.children[4]


@needs_rustc
def test_label_less_unresolved_import_alone_on_its_line_is_a_new_error(host):
    # The label-less "unresolved import" is dropped only beside another error on its line (its
    # own "cannot find module or crate"); alone, it is the only report of a deleted `mod alloc`
    # that `use alloc::X;` named beside a failed glob import, and must stay a new error.
    src = "use rayon::prelude::*;\nmod alloc { pub struct X; }\nuse alloc::X;\nuse crate::foo::Y;\n"
    state = "use rayon::prelude::*;\nuse alloc::X;\nuse crate::foo::Y;\n"
    base = {d.code for d in host.analyze("rust", "rustc", src)}
    got = {d.code for d in host.analyze("rust", "rustc", state)}
    assert "unresolved import `alloc`" in got - base


def test_supertrait_impl_or_derive_must_be_the_same_types(host):
    # linked-hash-map's lib.rs: `impl<K: Eq> Eq for KeyRef<K> {}` needs `PartialEq for KeyRef<K>`;
    # the `#[derive(Hash, PartialEq, Eq)]` of another type (`Qey`) does not give it.
    keyref = (
        "struct KeyRef<K> {\n"
        "    k: *const K,\n"
        "}\n"
        "impl<K: PartialEq> PartialEq for KeyRef<K> {\n"
        "    fn eq(&self, other: &KeyRef<K>) -> bool {\n"
        "        true\n"
        "    }\n"
        "}\n"
        "impl<K: Eq> Eq for KeyRef<K> {}\n"
    )
    qey = "/// A key.\n#[derive(Hash, PartialEq, Eq)]\n#[repr(transparent)]\npub struct Qey<Q: ?Sized>(Q);\n"
    src = keyref + qey
    assert not {c for _, c in codes(host, src) if c.startswith("supertrait")}
    lone = "".join(src.splitlines(keepends=True)[:3] + src.splitlines(keepends=True)[8:])
    assert (4, "supertrait-partial-eq:Eq") in codes(host, lone)
    # the type's own derive (through its other attributes and comments) is enough
    derived = "#[derive(PartialEq)]\n// the key\n#[repr(C)]\npub(crate) struct KeyRef<K> {\n    k: *const K,\n}\n"
    assert not {c for _, c in codes(host, derived + "impl<K: Eq> Eq for KeyRef<K> {}\n" + qey)
                if c.startswith("supertrait")}


def test_lifetime_bounds_of_a_struct_are_not_uses_of_the_lifetime(host):
    # linked-hash-map's `pub struct OccupiedEntry<'a, K: 'a, V: 'a, S: 'a = RandomState>`: once
    # its `PhantomData<&'a ..>` field is gone, rustc says "lifetime parameter `'a` is never used"
    # (E0392); the bounds `K: 'a`, `'b: 'a` and `where K: 'a` do not use it.
    for head in ("pub struct O<'a, K: 'a, V: 'a> {\n    v: V,\n", "pub struct O<'a, 'b: 'a, K> {\n    r: &'b u8,\n",
                 "pub struct O<'a, K> where K: 'a {\n"):
        src = head + "    m: *mut K,\n    p: std::marker::PhantomData<&'a K>,\n}\n"
        assert not {c for _, c in codes(host, src) if c.startswith("unused-type-parameter")}
        assert "unused-type-parameter:a" in {c for _, c in codes(host, src.replace("    p: std::marker::PhantomData<&'a K>,\n", ""))}
    # in a function's parameters a bound still names the lifetime
    assert not {c for _, c in codes(host, "fn f<'a, K: 'a>(k: &'a K) {}\n") if not c.startswith("undefined:")}


@needs_rustc
def test_the_compiler_tells_which_map_methods_need_the_key_types_impls(host):
    # linked-hash-map's `self.map.reserve(n)` on a `HashMap<KeyRef<K>, ..>`: "the method `reserve`
    # exists for struct `HashMap<KeyRef<K>, ..>`, but its trait bounds were not satisfied" names
    # the map first; the key type's Hash and Eq impls are what it needs.
    src = (
        "use std::collections::HashMap;\n"
        "use std::hash::{Hash, Hasher};\n"
        "pub struct Key(u8);\n"
        "impl Hash for Key {\n"  # 3
        "    fn hash<H: Hasher>(&self, h: &mut H) { self.0.hash(h) }\n"
        "}\n"
        "impl PartialEq for Key {\n"  # 6
        "    fn eq(&self, o: &Key) -> bool { self.0 == o.0 }\n"
        "}\n"
        "impl Eq for Key {}\n"  # 9
        "pub struct Map {\n"
        "    map: HashMap<Key, u8>,\n"
        "}\n"
        "impl Map {\n"
        "    pub fn grow(&mut self) {\n"
        "        self.map.reserve(1);\n"  # 15
        "    }\n"
        "}\n"
    )
    children = structure(host, src).children
    assert all(15 in children[row] for row in (3, 9))


def test_deny_warnings_std_imports_go_and_other_crates_imports_stay(host):
    # toml's examples/toml2json.rs: under `#![deny(warnings)]` a pinned `use std::env;` left
    # without its uses is an error (unused import), and once every import rustc cannot resolve
    # alone (`use serde_json::Value as Json;`) is gone, so is the example's `fn main`, never used
    # in a library ("function `main` is never used"): the first go with their uses, the others
    # stay (and are never reported unused: rustc does not report an unresolved import unused).
    body = (
        "use std::env;\n"  # 1
        "use std::io::prelude::*;\n"  # 2: a glob import: no name ties it to its uses
        "use serde_json::Value as Json;\n"  # 3
        "fn main() {\n"  # 4
        "    let j: Json = env::args().count();\n"
        "}\n"
    )
    denied = "#![deny(warnings)]\n" + body
    candidates = set(structure(host, denied).candidates)
    assert 1 in candidates and {2, 3}.isdisjoint(candidates)
    plain = set(structure(host, body).candidates)  # without the attribute: the other way round
    assert {0, 1}.isdisjoint(plain) and 2 in plain
    cut = denied.replace("    let j: Json = env::args().count();\n", "")
    assert {c for _, c in codes(host, cut) if c.startswith("unused")} == {"unused-type-parameter:env"}


def test_impls_of_unresolvable_traits_hide_outlives_errors(host):
    # indexmap's map.rs: `impl<K, V, S> Entries for IndexMap<K, V, S>` (`use crate::{Bucket,
    # Entries};`, which rustc cannot resolve in the file alone) hides "the parameter type `K` may
    # not live long enough" (E0309) of `type Item = &'a K;` in an iterator whose field is of a type
    # rustc cannot resolve either: once no such impl is left, the associated type is flagged.
    iterator = (
        "use crate::{Bucket, Entries};\n"
        "pub struct Iter<'a, K> {\n"
        "    iter: &'a [Bucket<K>],\n"
        "}\n"
        "impl<'a, K> Iterator for Iter<'a, K> {\n"
        "    type Item = &'a K;\n"  # 5
        "    fn next(&mut self) -> Option<&'a K> { None }\n"
        "}\n"
    )
    hiding = "pub struct M<K> {\n    k: K,\n}\nimpl<K> Entries for M<K> {\n    type Entry = K;\n}\n"
    assert not {c for _, c in codes(host, iterator + hiding) if c.startswith("outlives")}
    assert (6, "outlives-hidden:type") in codes(host, iterator)
    # an impl of a trait of the standard library hides nothing
    assert (6, "outlives-hidden:type") in codes(host, iterator + hiding.replace("Entries for", "Default for"))
    if shutil.which("rustc"):
        assert any("E0309" in d.code or "live long enough" in d.message for d in host.analyze("rust", "rustc", iterator))
        assert not any("live long enough" in d.message for d in host.analyze("rust", "rustc", iterator + hiding))


def test_a_derive_in_a_module_or_over_a_multiline_attribute_counts_for_a_supertrait(host):
    # A derive the supertrait rules do not see flags the impl in the original, and a flag there
    # hides the impl's later ones (the sampler's baseline): an enum of a module (indented) and a
    # derive followed by a `#[cfg_attr(..)]` over several lines are the type's own derives.
    src = (
        "mod inner {\n"
        "    use std::fmt;\n"
        "    #[derive(Debug, PartialEq)]\n"
        "    #[cfg_attr(\n"
        "        feature = \"serde\",\n"
        "        derive(Serialize)\n"
        "    )]\n"
        "    pub enum E {\n"
        "        A,\n"
        "    }\n"
        "    impl fmt::Display for E {\n"
        "        fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, \"e\") }\n"
        "    }\n"
        "    impl std::error::Error for E {}\n"  # 14 (1-based)
        "    impl Eq for E {}\n"  # 15
        "}\n"
    )
    assert not {c for _, c in codes(host, src) if c.startswith("supertrait")}
    other = src.replace("pub enum E", "pub enum F").replace("        A,\n", "        A,\n    }\n    pub enum E {\n")
    assert {(16, "supertrait-debug:Error"), (17, "supertrait-partial-eq:Eq")} <= codes(host, other)
    if shutil.which("rustc"):
        assert not host.analyze("rust", "rustc", src)


def test_outlives_rule_spares_iterators_whose_fields_imply_the_bound(host):
    # phf's map.rs: `struct Entries<'a, K, V> { iter: slice::Iter<'a, (K, V)> }` names no type the
    # file imports from elsewhere, so its field implies `K: 'a` and `type Item = (&'a K, &'a V);`
    # is no outlives error once the hiding impl (`impl<K, V> PhfHash for Map<K, V>`) is gone:
    # flagging it took the `impl Iterator` out from under `.entries(self.entries())`.
    entries = (
        "use core::slice;\n"
        "use phf_shared::{HashKey, PhfHash};\n"
        "pub struct Entries<'a, K, V> {\n"
        "    iter: slice::Iter<'a, (K, V)>,\n"
        "}\n"
        "impl<'a, K, V> Iterator for Entries<'a, K, V> {\n"
        "    type Item = (&'a K, &'a V);\n"  # 7
        "    fn next(&mut self) -> Option<(&'a K, &'a V)> { self.iter.next().map(|e| (&e.0, &e.1)) }\n"
        "}\n"
    )
    assert not {c for _, c in codes(host, entries) if c.startswith("outlives")}
    # a field of an imported type implies nothing: flagged as before
    bucket = entries.replace("slice::Iter<'a, (K, V)>", "&'a [HashKey<(K, V)>]")
    assert (7, "outlives-hidden:type") in codes(host, bucket)
    # nor does a type the file neither defines nor imports (indexmap's set.rs: `Bucket`)
    unknown = entries.replace("slice::Iter<'a, (K, V)>", "slice::Iter<'a, Bucket<K, V>>")
    assert (7, "outlives-hidden:type") in codes(host, unknown)
    if shutil.which("rustc"):
        assert not any("live long enough" in d.message for d in host.analyze("rust", "rustc", entries))
    # a module imported from the crate (`use crate::map;`) is as unresolvable as a type: flagged;
    # a lifetime bound on the struct's type parameter implies the outlives bound: spared
    module = entries.replace("use core::slice;\n", "use crate::map;\n").replace("slice::Iter", "map::Iter")
    assert (7, "outlives-hidden:type") in codes(host, module)
    bounded = module.replace("pub struct Entries<'a, K, V>", "pub struct Entries<'a, K: 'static, V: 'static>")
    assert not {c for _, c in codes(host, bounded) if c.startswith("outlives")}


def test_a_constant_asserting_a_structs_layout_goes_with_each_field(host):
    # bytes' bytes.rs: `const _: [(); 0 - mem::align_of::<Shared>() % 2] = [];` fails to evaluate
    # (E0080) once `Shared` has lost the fields that make its alignment even; an `assert!` of a
    # size in a constant likewise. No state keeps such a constant without every field.
    src = (
        "use core::mem;\n"
        "struct Shared {\n"
        "    cap: usize,\n"  # 2 (0-based)
        "    ref_cnt: u32,\n"  # 3
        "}\n"
        "const _: [(); 0 - mem::align_of::<Shared>() % 2] = [];\n"  # 5
        "struct Header(u64, u64);\n"  # 6
        "const _: () = assert!(mem::size_of::<Header>() == 16);\n"  # 7
        "fn main() {}\n"
    )
    sampler = make_sampler(host, "rust", "treesitter")
    for seed in range(6):
        ((seq, _),) = sample_many(sampler, src, seed=seed, index=0)
        for state in state_texts(seq):
            if "align_of::<Shared>" in state:
                assert "cap: usize" in state and "ref_cnt: u32" in state, state
            if "size_of::<Header>" in state:
                assert "struct Header(u64, u64);" in state, state
    if shutil.which("rustc"):
        assert not host.analyze("rust", "rustc", src)
        assert host.analyze("rust", "rustc", src.replace("    cap: usize,\n", "").replace("ref_cnt: u32", "b: u8"))
