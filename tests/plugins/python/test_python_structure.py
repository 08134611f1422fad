"""Structure of Python programs: logical lines, blocks, decorators, and the reference's rules."""

from __future__ import annotations

import ast
import sys
import textwrap
import warnings

import pytest
from lintseq_python.fast_analyzer import analyze_fast
from lintseq_python.structure import ast_structure, python_structure, reference_structure

from lintseq_core.types import ProgramStructure

TRICKY = textwrap.dedent(
    '''\
    import re
    X = [
        1,
      2]
    @dec
    @dec2(a,
          b)
    def f(a):
        """doc
    line2"""
        # comment
        if a:
            return 1

        elif a > 2:
            pass
        else:
            y = a + \\
                1
        # trailing
        return y

    s = """
    x
    """
    '''
).split("\n")


def _closure(structure, start: int) -> set[int]:
    """Every line deleted with ``start``, as the sampler computes it."""
    seen, stack = set(), [start]
    while stack:
        i = stack.pop()
        if i not in seen:
            seen.add(i)
            stack.extend(structure.children[i])
    return seen


def test_continuations_belong_to_their_head() -> None:
    st = ast_structure(TRICKY)
    assert st.children[1] == (2, 3) and st.owner[2] == st.owner[3] == 1  # bracketed
    assert st.owner[18] == 17 and 18 in st.children[17]  # backslash
    assert st.owner[9] == 8  # docstring second line at column 0
    assert st.owner[23] == st.owner[24] == 22  # multi-line string at column 0
    for row in (2, 3, 6, 9, 18, 23, 24):
        assert row not in st.candidates


def test_candidates_are_statement_heads_only() -> None:
    st = ast_structure(TRICKY)
    assert set(st.candidates) == {0, 1, 4, 5, 7, 8, 11, 12, 14, 15, 16, 17, 20, 22}


def test_block_children_include_inner_comments_not_trailing_blanks() -> None:
    st = ast_structure(TRICKY)
    assert set(st.children[7]) >= set(range(8, 21))
    assert 21 not in _closure(st, 7)  # blank line after the function
    assert 10 in st.children[7] and 19 in st.children[7]


def test_later_clauses_and_decorators_go_together() -> None:
    st = ast_structure(TRICKY)
    assert _closure(st, 11) == {11, 12, 14, 15, 16, 17, 18}  # if -> elif -> else
    assert _closure(st, 14) == {14, 15, 16, 17, 18}  # deleting elif keeps the if
    deleted_with_def = _closure(st, 7)
    assert {4, 5, 6} <= deleted_with_def  # the decorators go with the def
    assert _closure(st, 4) == deleted_with_def


def test_depths_are_indentation_levels() -> None:
    st = ast_structure(TRICKY)
    assert st.depths[0] == 0 and st.depths[7] == 0
    assert st.depths[11] == 1 and st.depths[12] == 2 and st.depths[17] == 2
    assert st.depths[10] == 1  # comment inside the function


def test_tabs_and_crlf_lines() -> None:
    lines = "def f(x):\r\n\tif x:\r\n\t\treturn [1,\r\n\t\t\t2]\r\n\treturn 0\r\n".split("\n")
    st = python_structure(lines)
    assert all(line.endswith("\r") for line in lines[:-1])
    assert st.candidates == (0, 1, 2, 4)
    assert st.children[2] == (3,)
    assert _closure(st, 1) == {1, 2, 3}
    assert st.depths[:5] == (0, 1, 2, 2, 1)


def test_a_program_that_does_not_parse_is_flat_and_rejected() -> None:
    # The sampler rejects it on its syntax error before deleting anything: no finer
    # structure is needed, only a valid one.
    lines = ["def f(x:", "    return (x", "y = 1"]
    assert python_structure(lines) == ProgramStructure.flat(lines)
    assert [d.syntax for d in analyze_fast("\n".join(lines))] == [True]


def test_reference_structure_carried_indent_quirk() -> None:
    # A blank or one-character line carries the indentation of the line above, so the
    # closing ")" at column 0 and the blank line stay inside the def's children.
    lines = ["def f(x):", "    y = g(", ")", "", "    return y", "z = 1"]
    st = reference_structure(lines)
    assert st.children[0] == (1, 2, 3, 4)
    assert st.children[1] == ()  # the next line's carried indent is not deeper
    assert st.candidates == (0, 1, 2, 4, 5)
    assert st.owner == tuple(range(6))
    assert st.depths == (0, 1, 1, 1, 1, 0)


def test_reference_structure_skips_comments_and_global_defs() -> None:
    lines = [
        "# header",
        "TABLE = [",
        "  1,",
        "]",
        "X = (",
        "  2)",
        "def f():",
        "  # inside",
        "  return TABLE",
    ]
    st = reference_structure(lines)
    assert st.candidates == (1, 4, 6, 8)
    assert st.depths[8] == 1  # first indentation (2 spaces) is the unit
    assert st.children[6] == (7, 8)


def test_reference_structure_fractional_depths() -> None:
    lines = ["def f():", "    if x:", "      y = 1"]
    assert reference_structure(lines).depths == (0, 1, 1.5)


def test_python_structure_switches_on_reference_rules() -> None:
    assert python_structure(TRICKY, reference_rules=True) == reference_structure(TRICKY)
    assert python_structure(TRICKY) == ast_structure(TRICKY)


COMPOUND = (
    "match x:\n    case [a, b]:\n        y = a\n    case {'k': v, **rest}:\n        y = v\n"
    "    case _:\n        pass\nfor i in y:\n    pass\nelse:\n    z = 1\n"
    "try:\n    pass\nexcept ValueError:\n    pass\nfinally:\n    q = 2\n"
    "if a: b = 1\nelif c: b = 2\nelse: b = 3\nx = 1; y = (2,\n 3); z = 4\n"
).split("\n")


def test_match_loops_try_and_one_line_clauses() -> None:
    st = ast_structure(COMPOUND)
    assert st.candidates == tuple(range(21))  # row 21 continues row 20's brackets
    assert _closure(st, 0) == set(range(7))  # match owns its cases
    assert _closure(st, 1) == {1, 2}
    assert _closure(st, 7) == {7, 8, 9, 10} and _closure(st, 9) == {9, 10}  # for ... else
    assert _closure(st, 11) == set(range(11, 17)) and _closure(st, 13) == {13, 14, 15, 16}
    assert _closure(st, 17) == {17, 18, 19} and _closure(st, 18) == {18, 19}  # one-line clauses
    assert st.owner[21] == 20 and _closure(st, 20) == {20, 21}  # "x = 1; y = (2,\n 3); z = 4"
    assert st.depths[:11] == (0, 1, 2, 1, 2, 1, 2, 0, 1, 0, 1)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="except* is Python 3.11 syntax")
def test_try_star_clauses_go_together() -> None:
    lines = ["try:", "    pass", "except* ValueError:", "    pass", "finally:", "    q = 2", ""]
    st = ast_structure(lines)
    assert st.candidates == (0, 1, 2, 3, 4, 5)
    assert _closure(st, 0) == set(range(6)) and _closure(st, 2) == {2, 3, 4, 5}


def test_structure_is_consistent_on_real_code(mbpp_programs, repo_root) -> None:
    # On real code every statement's first row is a candidate that owns itself, and every
    # other row of a statement is owned by its first row and deleted with it.
    sources = [*mbpp_programs, "\n".join(TRICKY), "\n".join(COMPOUND)]
    sources += [p.read_text(encoding="utf-8") for p in sorted((repo_root / "plugins" / "lintseq_python").rglob("*.py"))]
    for source in sources:
        lines = source.split("\n")
        st = ast_structure(lines)
        candidates = set(st.candidates)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in MBPP's strings
            tree = ast.parse(source)
        heads = {node.lineno - 1 for node in ast.walk(tree) if isinstance(node, ast.stmt)}
        heads -= {row for row in heads if st.owner[row] != row}  # "a = 1; b = 2" on one line
        assert heads <= candidates, source[:200]
        for row, owner in enumerate(st.owner):
            assert st.owner[owner] == owner and (row == owner or row in st.children[owner]), source[:200]
