"""Java through the tree-sitter engine: the rules javac enforces that the grammar does not
(definite assignment of locals and final fields, unreachable statements, members reached
through `this`, items that cannot leave alone), and real programs whose every intermediate
state javac must accept (fixtures copied from Debian packages, see their ATTRIBUTION.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lintseq_core.edits import resolve_edit_path
from lintseq_core.host import PluginHost, get_host
from lintseq_core.sampler import make_sampler, sample_many, state_texts

pytest.importorskip("tree_sitter")

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "realcode" / "java"


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return get_host()


def codes(host: PluginHost, source: str) -> set[tuple[int, str]]:
    """(line, code) of every error but unresolved names (the JDK's classes are not declared)."""
    return {(d.line, d.code) for d in host.analyze("java", "treesitter", source) if not d.code.startswith("undefined:")}


def method(body: str) -> str:
    return f"class A {{\n    int f(boolean c, int[] a) {{\n{body}    }}\n}}\n"


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("        int x;\n        if (c) { x = 1; } else { x = 2; }\n        return x;\n", None),
        ("        int x;\n        if (c) { x = 1; }\n        return x;\n", 5),
        ("        int x;\n        if (c) { x = 1; } else { throw new Error(); }\n        return x;\n", None),
        ("        int x;\n        for (int v : a) { x = v; }\n        return x;\n", 5),
        ("        int x;\n        while ((x = a[0]) > 0) { }\n        return x;\n", None),
        ("        int x;\n        while (c) { x = 1; a[0] = x; }\n        return 0;\n", None),  # inside the body
        ("        int x;\n        x = c ? 1 : 2;\n        return x;\n", None),
        ("        int x;\n        boolean b = c && (x = 1) > 0;\n        return x;\n", 5),
        ("        int x;\n        x += 1;\n        return x;\n", 4),
        ("        int x;\n        try { x = a[0]; } catch (RuntimeException e) { x = 0; }\n        return x;\n", None),
        ("        int x;\n        Runnable r = () -> { int y = x; };\n        x = 1;\n        return x;\n", 4),
    ],
)
def test_locals_need_definite_assignment(host, body, line):
    got = {ln for ln, code in codes(host, method(body)) if code == "uninitialized:x"}
    assert got == ({line} if line else set()), got


def test_final_fields_need_every_constructor_to_assign_them(host):
    prog = (
        "class A {\n"
        "    private final int x;\n"  # 2: assigned by A(int) only
        "    private final int y;\n"  # 3: assigned by both (A() delegates)
        "    private final int z = 1;\n"
        "    A(int v) { this.y = v; }\n"
        "    A() { this(0); }\n"
        "}\n"
        "class B {\n"
        "    final int w;\n"  # 9: no constructor at all
        "    final int q;\n"  # 10: an initializer block assigns it
        "    { q = 1; }\n"
        "    static final int S;\n"  # 12: its static initializer no longer assigns it
        "    static final int T;\n"
        "    static { T = 2; }\n"
        "}\n"
    )
    got = {(ln, code) for ln, code in codes(host, prog) if "final" in code}
    assert got == {(2, "final-field-unassigned:x"), (9, "final-field-unassigned:w"), (12, "static-final-unassigned:S")}


def test_a_statement_after_an_endless_loop_is_unreachable(host):
    body = "        while (true) {\n            if (c) { break; }\n        }\n        return 1;\n"
    assert not {c for _, c in codes(host, method(body)) if c == "unreachable"}
    body = "        while (true) {\n            for (;;) { break; }\n        }\n        return 1;\n"
    assert (3, "unreachable") in codes(host, method(body))  # the break leaves the inner loop only


def test_this_x_needs_a_field_not_the_parameter_of_the_same_name(host):
    prog = "class A {\n    int y;\n    A(int x) {\n        this.x = x;\n    }\n}\n"
    diags = host.analyze("java", "treesitter", prog)
    assert [(d.line, d.code) for d in diags] == [(4, "undefined:x")]
    assert not host.analyze("java", "treesitter", prog.replace("int y;", "int x;"))


def test_items_that_cannot_leave_alone_are_pinned(host):
    lines = [
        "package p;",
        "import java.util.*;",
        "class A extends Thread implements Comparable<A> {",
        "    public int compareTo(A o) { return 0; }",  # 3: may implement an interface
        "    public String toString() { return \"\"; }",  # 4: Object's: never abstract
        "    void helper() { }",  # 5
        "    void load() {",
        "        try {",
        "            wait();",  # 8: may be what throws the checked exception
        "        } catch (InterruptedException e) { }",
        "        Runnable r = new Runnable() {",
        "            public void run() { }",  # 11: an anonymous class's method
        "        };",
        "    }",
        "}",
    ]
    candidates = set(host.structure("java", "treesitter", lines).candidates)
    assert {3, 8, 11}.isdisjoint(candidates)
    assert {0, 1} & candidates == set()  # the package clause and the wildcard import
    assert {4, 5, 7, 10} <= candidates


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.java")))
def test_real_java_programs_states_compile(host, name):
    if host.analyzer("java", "javac").available() is not None:
        pytest.skip("javac is not installed")
    code = (FIXTURES / name).read_text(encoding="utf-8")
    assert host.analyze("java", "javac", code) == [], f"{name} does not compile alone"
    sampler = make_sampler(host, "java", "treesitter")
    ((seq, _),) = sample_many(sampler, code, seed=3, index=0)
    assert resolve_edit_path(seq.edit_path) == code
    assert len(seq.edit_path) > 1
    for state in state_texts(seq):
        errors = host.analyze("java", "javac", state)
        assert errors == [], f"{name}: javac rejects an intermediate state:\n{state}\n{errors}"


def test_abstract_methods_stay_while_their_type_does(host):
    lines = ["interface Part {", "    void reset(int w);", "    default void x() { }", "}",
             "abstract class B {", "    abstract int size();", "    int twice() { return 2 * size(); }", "}"]
    candidates = set(host.structure("java", "treesitter", lines).candidates)
    assert {1, 5}.isdisjoint(candidates)
    assert {2, 6} <= candidates


def test_instance_fields_are_out_of_reach_of_static_code(host):
    prog = (
        "class A {\n    int inst;\n    static int st;\n"
        "    static void m() { int a = inst + st; }\n"  # 4
        "    void n() { int b = inst + st; }\n"
        "    static class N { void k() { int c = inst + st; } }\n"  # 6
        "    class I { void k() { int d = inst + st; } }\n"
        "}\n"
    )
    got = {(d.line, d.code) for d in host.analyze("java", "treesitter", prog)}
    assert got == {(4, "undefined:inst"), (6, "undefined:inst")}


def test_constructors_calls_need_stay_with_their_class(host):
    lines = ["class A extends java.lang.ref.WeakReference<Object> {",
             "    A(Object o) {",  # 1: `new A(x)` needs it
             "        super(o);",
             "    }",
             "    A() {",  # 4: the default constructor would do as well
             "        this(null);",
             "    }",
             "}"]
    candidates = set(host.structure("java", "treesitter", lines).candidates)
    assert 1 not in candidates
    assert 4 in candidates


def test_this_x_needs_a_field_of_its_own_class(host):
    prog = "class A {\n    int x;\n}\nclass B {\n    B(int x) {\n        this.x = x;\n    }\n}\n"
    assert [(d.line, d.code) for d in host.analyze("java", "treesitter", prog)] == [(6, "undefined:x")]
