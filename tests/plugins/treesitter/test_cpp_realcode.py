"""C++ through the tree-sitter engine: failure classes found on real C++ code (the corpus of
``benchmarks/corpus/build.py``: Debian packages' examples and tests, GCC's test suite), each
pinned by a small program in the shape of the code that showed it."""

from __future__ import annotations

import pytest

from lintseq_core.host import PluginHost, get_host

pytest.importorskip("tree_sitter")


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return get_host()


def undefined(host: PluginHost, source: str) -> set[tuple[int, str]]:
    """(0-based line, name) of every name the tree-sitter analyzer finds no definition for."""
    return {(d.line - 1, d.code.partition(":")[2]) for d in host.analyze("cpp", "treesitter", source)
            if d.code.startswith("undefined:")}


def test_an_unnamed_namespace_declares_into_the_enclosing_scope(host):
    # googletest's test files put their fixtures and helpers in `namespace { ... }` and use
    # them from `main` after it: deleting the class must charge `new Env`.
    src = (
        "namespace {\n"
        "class Env {\n"
        " public:\n"
        "  int n = 0;\n"
        "};\n"
        "int Square(int n) { return n * n; }\n"
        "}  // namespace\n"
        "int main() {\n"
        "  Env *e = new Env;\n"
        "  return Square(e->n);\n"
        "}\n"
    )
    assert undefined(host, src) == set()
    assert (4, "Env") in undefined(host, src.replace("class Env {\n public:\n  int n = 0;\n};\n", ""))
    assert (8, "Square") in undefined(host, src.replace("int Square(int n) { return n * n; }\n", ""))
    # a named one is no scope either: its members are seen unqualified after `using namespace`,
    # from another block of the same namespace and from a namespace nested in it
    named = (
        "namespace a {\nstruct P { int x; };\nint f(int v) { return v; }\nnamespace in { int g(); }\n}\n"
        "using namespace a;\nnamespace a {\nint h() { return f(1); }\n}\n"
        "int main() {\n  P p;\n  return f(p.x) + a::in::g() + h();\n}\n"
    )
    assert undefined(host, named) == set()
    assert {(6, "f"), (10, "f")} <= undefined(host, named.replace("int f(int v) { return v; }\n", ""))
    assert (9, "P") in undefined(host, named.replace("struct P { int x; };\n", ""))
    assert (10, "in") in undefined(host, named.replace("namespace in { int g(); }\n", ""))


def test_a_case_label_left_last_in_a_switch_is_an_error(host):
    # fltk's tree-simple.cxx: `case FL_TREE_REASON_CLOSED:` then a comment and `break;` as the
    # last case; once the `break;` is gone g++ (before C++23) wants a statement after the label.
    src = (
        "int f(int c) {\n  int r = 0;\n  switch (c) {\n    case 1:\n      r = 2;\n      break;\n"
        "    default:\n      // nothing to do\n      break;\n  }\n  return r;\n}\n"
    )

    def errors(source: str) -> set[tuple[int, str]]:
        return {(d.line - 1, d.code) for d in host.analyze("cpp", "treesitter", source)}

    assert errors(src) == set()
    assert errors(src.replace("      break;\n  }", "  }")) == {(6, "label-at-end-of-switch")}
    # a label with statements after it, or followed by another case, is fine
    assert errors(src.replace("      r = 2;\n      break;\n", "")) == set()
    # an `#if` block left between the label and the `}` holds no statement for it either
    guarded = src.replace("      break;\n  }", "#if VERSION >= 2\n    // reselected\n#endif\n  }")
    assert (6, "label-at-end-of-switch") in errors(guarded)
    structure = host.structure("cpp", "treesitter", src.splitlines())
    assert 8 in structure.children[6]
