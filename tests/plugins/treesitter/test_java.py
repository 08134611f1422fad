"""Java through the tree-sitter engine: the rules javac enforces that the grammar does not
(definite assignment of locals and final fields, unreachable statements, members reached
through `this`, items that cannot leave alone), and real programs whose every intermediate
state javac must accept (fixtures copied from Debian packages, see their ATTRIBUTION.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lintseq_core.edits import resolve_edit_path
from lintseq_core.host import PluginHost
from lintseq_core.sampler import make_sampler, sample_many, state_texts

pytest.importorskip("tree_sitter")

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "realcode" / "java"


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


def test_calls_go_with_every_overload_of_their_name(deleted_with):
    # From xerces-samples' DocumentTracer.java (Apache-2.0): with one overload deleted, the
    # calls meant for it still resolve by name to the other and javac rejects their arguments.
    lines = [
        "class Tracer {",
        "    void printQuotedString(String s) { }",  # 1
        "    void printQuotedString(char[] c, int o, int n) { }",  # 2
        "    void run(String v, char[] c) {",
        "        printQuotedString(v);",  # 4
        "        this.printQuotedString(c, 0, 1);",  # 5
        "    }",
        "    Tracer() { }",  # 7
        "    Tracer(int x) { this(); }",
        "    static Tracer make() {",
        "        return new Tracer();",  # 10
        "    }",
        "}",
    ]
    assert {4, 5} <= deleted_with("java", lines, 1)
    assert {4, 5} <= deleted_with("java", lines, 2)
    assert 10 in deleted_with("java", lines, 7)  # `new Tracer()` needs `Tracer()` beside `Tracer(int)`


def test_a_switch_with_a_default_whose_last_group_returns_terminates(host):
    # From openjfx's KeyBinding.java (GPL-2.0 with Classpath exception): every case falls
    # through to a returning default; once its `return` is deleted, the method misses one.
    body = (
        "        switch (a[0]) {\n"
        "            case 1:\n"
        "                return 1;\n"
        "            case 2:\n"
        "            default:\n"
        "                return 2;\n"
        "        }\n"
    )
    assert not {c for _, c in codes(host, method(body)) if c == "missing-return"}
    # From the JDK's DebuggerBase.java: the default group's statements are in a block.
    block = body.replace("                return 2;\n", "                { int y = 2; return y; }\n")
    assert not {c for _, c in codes(host, method(block)) if c == "missing-return"}
    for broken in (body.replace("                return 2;\n", ""),
                   body.replace("            default:\n", ""),
                   body.replace("            case 2:\n", "            case 2:\n                break;\n")):
        assert (2, "missing-return") in codes(host, method(broken)), broken


def test_super_with_arguments_and_this_stay_in_their_constructor(host):
    # From the JDK's java/net/SocketPermission.java (GPL-2.0 with Classpath exception):
    # without `super(getHost(host))` the constructor calls `super()`, which Permission lacks.
    lines = [
        "class SP extends java.security.Permission {",
        "    SP(String host, int mask) {",
        "        super(getHost(host));",  # 2
        "        init(mask);",  # 3
        "    }",
        "    SP(String host) {",
        "        this(host, 0);",  # 6
        "    }",
        "    SP() {",
        "        super();",  # 9: `super()` is what the constructor calls anyway
        "    }",
        "}",
    ]
    candidates = set(host.structure("java", "treesitter", lines).candidates)
    assert {2, 6}.isdisjoint(candidates)
    assert {3, 9} <= candidates


def test_pattern_variables_are_definitions(host):
    # From SocketPermission.java: `sp` is bound by the pattern of an `if` that returns.
    prog = (
        "class A {\n"
        "    void add(Object p) {\n"
        "        if (!(p instanceof A sp))\n"
        "            throw new IllegalArgumentException();\n"
        "        sp.add(sp);\n"  # 5
        "        if (p instanceof A(int a)) { a++; }\n"
        "        switch (p) { case A s -> s.add(s); default -> { } }\n"
        "    }\n"
        "}\n"
    )
    names = {c for _, c in {(d.line, d.code) for d in host.analyze("java", "treesitter", prog)}}
    assert not {"undefined:sp", "undefined:a", "undefined:s"} & names
    broken = prog.replace("        if (!(p instanceof A sp))\n            throw new IllegalArgumentException();\n", "")
    assert (3, "undefined:sp") in {(d.line, d.code) for d in host.analyze("java", "treesitter", broken)}


def test_statements_of_a_try_catching_illegal_access_are_pinned(host):
    # From cordova-android's CordovaBridge.java (Apache-2.0): IllegalAccessException is a
    # checked exception, unlike IllegalArgumentException.
    lines = [
        "class B {",
        "    void f(String v) throws IllegalAccessException { }",
        "    void g(String v) {",
        "        try {",
        "            f(v);",  # 4
        "        } catch (IllegalAccessException e) { }",
        "        try {",
        "            f(v);",  # 7
        "        } catch (IllegalArgumentException e) { }",
        "    }",
        "}",
    ]
    candidates = set(host.structure("java", "treesitter", lines).candidates)
    assert 4 not in candidates
    assert 7 in candidates


def test_locals_of_a_constructor_need_definite_assignment(host):
    # From the JDK demo MetalworksInBox.java (BSD): `top.add(personal = ...)` assigns the
    # local of a constructor; once that line is deleted, `personal.add(...)` reads it unassigned.
    prog = (
        "class Box {\n"
        "    Box(java.util.List<Object> top) {\n"
        "        Object personal;\n"
        "        top.add(personal = new Object());\n"
        "        personal.hashCode();\n"
        "    }\n"
        "}\n"
    )
    assert not {c for _, c in codes(host, prog) if c.startswith("uninitialized")}
    broken = prog.replace("        top.add(personal = new Object());\n", "")
    assert (4, "uninitialized:personal") in codes(host, broken)


def test_the_constant_before_an_enums_members_is_pinned(host):
    # From the JDK's sun/launcher/LauncherHelper.java: the `;` after TERA starts the members,
    # one item with TERA's line; deleting TERA would delete the constructor KILO calls.
    lines = [
        "enum SizePrefix {",
        "    KILO(1024, \"K\"),",  # 1
        "    TERA(1024L, \"T\");",  # 2
        "    long size;",
        "    SizePrefix(long size) {",
        "        this.size = size;",
        "    }",
        "}",
    ]
    candidates = set(host.structure("java", "treesitter", lines).candidates)
    assert 1 in candidates
    assert 2 not in candidates


def test_the_last_return_of_a_lambda_is_pinned(host):
    # From jline's KeyMap.java (BSD): without its last `return`, the comparator's lambda
    # returns no value ("bad return type in lambda expression").
    lines = [
        "class K {",
        "    static final java.util.Comparator<String> C = (s1, s2) -> {",
        "        int k = 0;",  # 2
        "        return s1.length() - s2.length();",  # 3
        "    };",
        "    static final Runnable R = () -> {",
        "        return;",  # 6: no value: free
        "    };",
        "}",
    ]
    candidates = set(host.structure("java", "treesitter", lines).candidates)
    assert 3 not in candidates
    assert {2, 6} <= candidates


def test_assignments_in_the_arms_of_a_constructors_if_else_are_pinned(host):
    # From bazel's WorkspaceLogParser.java (Apache-2.0): the final field is assigned in both
    # arms; with one arm's assignment deleted it "might not have been initialized".
    lines = [
        "class P {",
        "    final Object rules;",
        "    P(Object rules) {",
        "        if (rules == null) {",
        "            this.rules = new Object();",  # 4
        "        } else {",
        "            this.rules = rules;",  # 6
        "        }",
        "    }",
        "}",
    ]
    candidates = set(host.structure("java", "treesitter", lines).candidates)
    assert {4, 6}.isdisjoint(candidates)
    assert 3 in candidates


def test_nested_statements_of_a_try_catching_a_checked_exception_are_pinned(host):
    # From xerces-samples' sax/Counter.java (Apache-2.0): the call that throws is in a loop.
    lines = [
        "class C {",
        "    void f(org.xml.sax.XMLReader p, String a) {",
        "        try {",
        "            for (int j = 0; j < 2; j++) {",
        "                p.parse(a);",  # 4
        "            }",
        "        } catch (org.xml.sax.SAXParseException e) {",
        "        } catch (Exception e) {",
        "        }",
        "    }",
        "}",
    ]
    assert 4 not in set(host.structure("java", "treesitter", lines).candidates)


def test_imports_followed_only_by_comments_are_an_error(host):
    # From the JDK's WeakIdentityHashMap.java: the class deleted, its two comments left.
    prog = "package p;\n\nimport static p.U.*;\n\n/** a */\n/* b */\n// c\n"
    assert (3, "imports-without-type") in codes(host, prog)
    assert (3, "imports-without-type") not in codes(host, prog + "class A { }\n")


def test_a_switch_assigns_a_local_when_each_group_does(host):
    # From the JDK's LauncherHelper.java and GeneratorAdapter.java: `cn` is assigned by every
    # group or the group throws. Read as "may not run", the switch made the original's read a
    # false error, which hid the real ones of its states (a group's assignment deleted).
    body = (
        "        String cn;\n"
        "        switch (a[0]) {\n"
        "            case 1:\n"
        "                cn = \"a\";\n"
        "                break;\n"
        "            case 2:\n"
        "                cn = \"b\";\n"
        "                break;\n"
        "            default:\n"
        "                throw new Error();\n"
        "        }\n"
        "        return cn.length();\n"
    )
    assert not {c for _, c in codes(host, method(body)) if c.startswith("uninitialized")}
    broken = body.replace("                cn = \"b\";\n", "")
    assert (13, "uninitialized:cn") in codes(host, method(broken))
    lines = method(body).splitlines()
    assert 10 not in set(host.structure("java", "treesitter", lines).candidates)  # `default:`


def test_a_use_that_a_field_would_take_over_goes_with_its_local(deleted_with):
    # From the JDK's java/lang/invoke/ClassSpecializer.java: without the local `basicType`,
    # `this.basicType = basicType` reads the final field before it is assigned.
    lines = [
        "class Var {",
        "    final Object basicType;",
        "    Var(Class<?> type) {",
        "        Object basicType = type.getName();",  # 3
        "        this.basicType = basicType;",  # 4
        "    }",
        "}",
    ]
    assert 4 in deleted_with("java", lines, 3)


def test_a_catch_ending_in_continue_leaves_the_try_blocks_assignment_definite(host):
    # From react-native-reanimated's ReanimatedNativeHierarchyManager.java (MIT), reduced.
    body = (
        "        for (int t : a) {\n"
        "            int view;\n"
        "            try {\n"
        "                view = t / 2;\n"  # 6
        "            } catch (IllegalStateException e) {\n"
        "                continue;\n"
        "            }\n"
        "            f(c, new int[] {view});\n"  # 10
        "        }\n"
        "        return 0;\n"
    )
    assert not {c for _, c in codes(host, method(body)) if c.startswith("uninitialized")}
    broken = body.replace("                view = t / 2;\n", "")
    assert (9, "uninitialized:view") in codes(host, method(broken))
    # a catch that falls through still leaves it unassigned
    falls = body.replace("                continue;\n", "                t = 0;\n")
    assert (10, "uninitialized:view") in codes(host, method(falls))


def test_a_parameter_or_local_hiding_a_final_field_takes_its_bare_assignments(host):
    # From Jep's AbstractNDArray.java (zlib licence), reduced: `dims = new int[1]` assigns the
    # parameter, so without `this.dims = dims;` the final field is unassigned.
    prog = (
        "class A {\n"
        "    final int[] dims;\n"
        "    final int n;\n\n"
        "    A(int n, int... dims) {\n"
        "        if (dims == null) {\n"
        "            dims = new int[1];\n"
        "        }\n"
        "        this.dims = dims;\n"
        "        this.n = n;\n"
        "    }\n\n"
        "    A() {\n"
        "        int[] d = null;\n"
        "        dims = d;\n"  # the field: nothing hides it here
        "        int n = 2;\n"
        "        n = 3;\n"  # the local
        "        this.n = n;\n"
        "    }\n"
        "}\n"
    )
    assert not codes(host, prog)
    assert (2, "final-field-unassigned:dims") in codes(host, prog.replace("        this.dims = dims;\n", ""))
    assert (2, "final-field-unassigned:dims") in codes(host, prog.replace("        dims = d;\n", ""))
    assert (3, "final-field-unassigned:n") in codes(host, prog.replace("        this.n = n;\n    }\n}", "    }\n}"))
