"""C through the tree-sitter engine: failure classes found on real C code (the corpus of
``benchmarks/corpus/build.py``: Debian packages' examples and GCC's test suite), each pinned by
a small program in the shape of the code that showed it."""

from __future__ import annotations

import shutil

import pytest

from lintseq_core.host import PluginHost

pytest.importorskip("tree_sitter")


def codes(host: PluginHost, source: str) -> set[tuple[int, str]]:
    return {(d.line, d.code) for d in host.analyze("c", "treesitter", source)}


def children(host: PluginHost, source: str) -> dict[int, set[int]]:
    """1-based line -> 1-based lines deleted with it."""
    structure = host.structure("c", "treesitter", source.split("\n"), False)
    return {i + 1: {c + 1 for c in ch} for i, ch in enumerate(structure.children) if ch}


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
def test_a_macro_that_declares_a_local_goes_with_its_uses(host):
    # liburcu's examples (`CDS_LIST_HEAD(mylist);` in `main`): the macro expands to a
    # declaration of `mylist`, which the grammar reads as a call; the uses of `mylist` need it.
    src = (
        "#include <stdlib.h>\n"
        "#define FREE(p) free(p)\n"
        "struct list_head { struct list_head *next, *prev; };\n"
        "#define LIST_HEAD(name) struct list_head name = { &(name), &(name) }\n"
        "static void add(struct list_head *n, struct list_head *h) { n->next = h; }\n"
        "int main(void)\n"
        "{\n"
        "\tLIST_HEAD(mylist);\n"  # 8
        "\tint *n = malloc(4);\n"
        "\tadd(0, &mylist);\n"  # 10
        "\tFREE(n);\n"  # 11: a macro that uses its argument declares nothing
        "\treturn mylist.next != 0;\n"  # 12
        "}\n"
    )
    got = children(host, src)
    assert {10, 12} <= got[8]
    assert not any(11 in rows for line, rows in got.items() if line != 6)


def test_a_member_several_structs_declare_goes_with_every_use(host):
    # GCC's gcc.dg/torture/pr44806.c: `mode` is a member of three structs, reached through
    # `a.u.di4.mode` (the probe's renamed `u` hides it); deleting any `mode` breaks the use.
    src = (
        "struct dev4 { unsigned mode:2; unsigned ino:20; };\n"  # 1
        "struct dev8 { unsigned mode:2; unsigned long ino; };\n"  # 2
        "struct ent { union { struct dev4 di4; struct dev8 di8; } u; };\n"
        "int f(struct ent a)\n"
        "{\n"
        "  return a.u.di4.mode;\n"  # 6
        "}\n"
    )
    got = children(host, src)
    assert 6 in got[1] and 6 in got[2]


def test_a_builtin_type_the_program_defines_is_a_name(host):
    # GCC's torture tests declare what the headers would (`typedef __SIZE_TYPE__ size_t;`);
    # the grammar reads `size_t` as a built-in type, which C does not have.
    src = (
        "typedef __SIZE_TYPE__ size_t;\n"
        "extern char *strncat (char *, const char *, size_t);\n"  # 2
        "extern void *memset (void *, int, size_t);\n"  # 3
    )
    assert not {c for _, c in codes(host, src) if c == "undefined:size_t"}
    lost = codes(host, src.replace("typedef __SIZE_TYPE__ size_t;\n", ""))
    assert {(1, "undefined:size_t"), (2, "undefined:size_t")} <= lost


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
def test_a_declared_nested_function_goes_with_its_definition(host):
    # GCC's gcc.dg/inline-30.c: a GNU nested function declared ahead must be defined
    # ("nested function 'f3' declared but never defined").
    src = (
        "int\n"
        "main (void)\n"
        "{\n"
        "  int i = 2;\n"
        "  auto inline int f3 (void);\n"  # 5
        "  auto inline int f3 (void)\n"  # 6
        "  {\n"
        "    return i;\n"
        "  }\n"
        "  return f3 () - 2;\n"
        "}\n"
    )
    assert 5 in children(host, src)[6]


def test_a_struct_keeps_a_member(host):
    # GCC's gcc.dg/atomic/stdatomic-generic.c: `atomic_load_explicit (&a, ...)` on an `_Atomic`
    # struct whose members are all gone is "a pointer to a nonzero size object" no longer.
    src = "typedef struct test {\n  int array[10];\n} test_struct;\n_Atomic test_struct a;\n"
    assert not codes(host, src)
    assert (1, "empty-struct") in codes(host, src.replace("  int array[10];\n", ""))
    assert (1, "empty-struct") not in codes(host, src.replace("  int array[10];\n", "  /* none */ int x;\n"))
    # GCC's gcc.dg/torture/pr44806.c: "empty enum is invalid"
    enum = "enum di_mode\n{\n  DI_MODE_4 = 1\n};\n"
    assert not codes(host, enum)
    assert (2, "empty-struct") in codes(host, enum.replace("  DI_MODE_4 = 1\n", ""))


def test_a_positional_initializer_goes_with_every_member(host):
    # uthash's examples/test95.c: `el alpha = {1, 100, NULL, NULL};` without `int id, score;`
    # puts 1 into `struct el *next` ("initialization of 'struct el *' from 'int'").
    src = (
        "#include <stddef.h>\n"
        "typedef struct el {\n"
        "    int id, score;\n"  # 3
        "    struct el *next;\n"  # 4
        "} el;\n"
        "struct cmd {\n"
        "    const char *name;\n"  # 7
        "    int (*run)(void);\n"  # 8
        "};\n"
        "static int add(void) { return 0; }\n"
        "el alpha = {1, 100, NULL};\n"  # 11
        "struct cmd cmds[] = {{\"add\", add}};\n"  # 12
        "el beta = {.id = 2};\n"  # 13: designated, it names its member
    )
    got = children(host, src)
    assert 11 in got[3] and 11 in got[4]
    assert 12 in got[7] and 12 in got[8]
    assert 12 not in got[3] and 13 not in got[4]


def test_declarators_nest_as_deep_as_gccs_torture_tests_write_them(host):
    # gcc.c-torture/compile/pr44687.c (GPL-3.0-or-later): `struct S0 *g_18[7][5][1][1]` is five
    # declarators deep; the original must not read as using an undeclared `g_18` (which would
    # hide the real error once the declaration is deleted).
    src = (
        "struct S0 { unsigned char f0; };\n"
        "struct S0 *g_18[7][5][1][1] = {\n};\n"
        "struct S0 **g_17 = &g_18[0][3][0][0];\n"
        "struct T { char *n[2][3][4]; };\n"
        "int f(int *a[2][2][2], struct T *t) { return *a[0][0][0] + t->n[0][0][0][0]; }\n"
    )
    assert codes(host, src) == set()
    assert (2, "undefined:g_18") in codes(host, src.replace("struct S0 *g_18[7][5][1][1] = {\n};\n", ""))


def test_includes_inside_conditionals_stay_with_their_branches(host):
    # readline's examples (GPL-3.0-or-later), e.g. rl-callbacktest.c: the header comes from an
    # `#if`/`#else` pair; deleting the `#else` line took `<readline/readline.h>` with it while
    # `rl_callback_handler_install` was still called ("implicit declaration of function").
    src = (
        "#include <stdlib.h>\n"
        "#if defined (READLINE_LIBRARY)\n"  # 2
        '#  include "readline.h"\n'
        "#else\n"  # 4
        "#  include <readline/readline.h>\n"
        "#endif\n"
        "#ifdef HAVE_LOCALE\n"  # 7: leads through an #elif to an #else with an include
        "int with_locale;\n"  # 8
        "#elif defined (HAVE_NLS)\n"  # 9
        "int with_nls;\n"  # 10
        "#else\n"  # 11
        "#  include <locale.h>\n"
        "#endif\n"
        "#if DEBUG\n"  # 14: no include in it: an item like any other
        "int debug_level;\n"
        "#endif\n"
        "static void handler(char *line) { free(line); }\n"
        "int main(void) { rl_callback_handler_install(\"$ \", handler); return 0; }\n"
    )
    candidates = {r + 1 for r in host.structure("c", "treesitter", src.split("\n")).candidates}
    assert not {2, 4, 7, 9, 11} & candidates
    assert {8, 10, 14, 17, 18} <= candidates


def test_pinned_scm_adds_to_the_toml_pinned_query_and_is_inherited(tmp_path):
    # The conditional-include patterns are stated once (queries/c/pinned.scm); C++ inherits
    # them with `; inherits: c`. A language without a pinned.scm keeps its TOML's query as is.
    from lintseq_treesitter.spec import load_spec

    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "pinned.scm").write_text("(preproc_if (preproc_include)) @pinned\n")
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "pinned.scm").write_text("; inherits: base\n")
    nodes = {"nodes": {"pinned_query": "(comment) @pinned"}}
    for name in ("child", "other"):
        spec = load_spec({"name": name, "grammar": {"module": "tree_sitter_c"}, **nodes}, tmp_path, "x.toml")
        assert spec.pinned_query.startswith("(comment) @pinned")
        assert ("(preproc_if (preproc_include)) @pinned" in spec.pinned_query) == (name == "child")
    assert load_spec({"name": "other", "grammar": {"module": "m"}, **nodes}, tmp_path, "x.toml").pinned_query == "(comment) @pinned"


def test_c_and_cpp_share_the_conditional_include_patterns(host):
    src = "#ifdef HAVE_X\n#include <x.h>\n#else\n#include <stdio.h>\n#endif\nint v;\nint main(void) { return v; }\n"
    for lang in ("c", "cpp"):
        candidates = {r + 1 for r in host.structure(lang, "treesitter", src.split("\n")).candidates}
        assert not {1, 3} & candidates, lang
