"""The incremental ``ast`` analyzer gives the full analysis's diagnostics on every state.

The sampler calls it with state after state of one program; each state here is analyzed
both ways (``analyze_incremental`` with the chunks of the states before it cached, and
``analyze_fast`` from scratch) and the lists must be equal: lines, codes, messages, order.
"""

from __future__ import annotations

import random
import textwrap

import pytest
from lintseq_python.fast_analyzer import analyze_fast
from lintseq_python.fast_analyzer.incremental import ChunkCache, analyze_incremental, chunk_starts

from lintseq_core.sampler import make_sampler, sample_many, state_texts

# Real files of the running interpreter's standard library: classes, decorators, globals,
# docstrings with text at column 0, ``if TYPE_CHECKING``-free and -full modules alike.
REAL_FILES = ("heapq.py", "_weakrefset.py", "textwrap.py", "shlex.py")


def _same(states: list[str]) -> ChunkCache:
    """Analyze the states in order with one cache; every list must equal the full one."""
    cache = ChunkCache()
    for k, state in enumerate(states):
        assert analyze_incremental(state, cache) == analyze_fast(state), f"state {k}:\n{state}"
    return cache


@pytest.mark.parametrize("name", REAL_FILES)
def test_every_state_of_a_conversion_matches_the_full_analysis(host, stdlib_source, name: str) -> None:
    code = stdlib_source(name)
    seen: list[str] = []
    analyze = host.analyze

    def recording(language: str, analyzer: str, source: str):
        seen.append(source)
        return analyze(language, analyzer, source)

    host.analyze = recording  # the states the sampler lints, in its order
    try:
        [(seq, _)] = sample_many(make_sampler(host, "python", "ast"), code, seed=0, index=0)
    finally:
        host.analyze = analyze
    states = seen + list(state_texts(seq))
    assert len(seen) > 20
    cache = _same(states)
    assert cache.hits > cache.misses  # the chunks were reused, not all parsed again


def test_random_deletions_match_including_syntax_errors(stdlib_source) -> None:
    """Shrinking states that break statements: deleted headers, half brackets, strings."""
    lines = stdlib_source("textwrap.py").split("\n")
    rng = random.Random(7)
    alive = list(range(len(lines)))
    states = []
    while len(alive) > 5:
        for _ in range(rng.randint(1, 6)):
            alive.pop(rng.randrange(len(alive)))
        states.append("\n".join(lines[i] for i in alive))
    assert any(analyze_fast(s) and analyze_fast(s)[0].syntax for s in states)
    _same(states)


CASES = {
    "docstring at column 0": '''\
        """Module.

        Text at column 0 that looks like a statement.
        x = undefined_name
        """
        import os
        print(os.sep, missing)
        ''',
    "two-space class body, four-space method body": """\
        class A:
          def f(self):
            y = 1
            return self.g(y)
          def g(self, y):
            return y + self.nope
        print(A().f(), z)
        """,
    "multi-line class header": """\
        class B(
            object,
        ):
            x = 1

            def f(self):
                return self.x + self.y
        """,
    "decorated class and methods": """\
        import functools
        @functools.total_ordering
        class C:
            @property
            def p(self):
                return self.q

            @staticmethod
            def s(a):
                return a + b
        """,
    "top-level return stops the module walk": """\
        x = 1
        return x
        print(undefined)
        def f():
            return y
        """,
    "else at column 0 and globals": """\
        if 1:
            count = 0
        else:
            count = 1
        def bump():
            global count, total
            count += 1
            total = count
        def read():
            return total + other
        """,
    "crlf": "x = 1\r\ny = x + z\r\n",
    "crlf state without its last line feed": "x = 1\r\ny = x + z\r\nprint(y)\r",
    "unclosed bracket": "x = foo(\ny = 1\ndef f():\n    return q\n",
    "triple quotes in a one-line string": "s = '\"\"\"'\nt = 1\nprint(s, t, u)\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_awkward_texts_match_the_full_analysis(name: str) -> None:
    code = textwrap.dedent(CASES[name])
    lines = code.split("\n")
    # the program, then a state less each line in turn, as an edit would leave it
    _same([code, *("\n".join(lines[:k] + lines[k + 1 :]) for k in range(len(lines)))])


# Programs whose function bodies read facts from outside them; each state deletes one line,
# so a body's text (and its chunk) is unchanged while what it reads changes. An analysis
# that reuses anything of a body across states (parsed chunks now; a body's walk, keyed
# by what it read, is what ``docs/scale.md`` weighs next) must still see each change: the
# code expected names a report that only the changed outer fact brings.
OUTER_FACTS = {
    "a deleted import": ("E0602", """\
        import os

        def f(p):
            return os.path.join(p, "x")
        """),
    "a deleted method the body calls through self": ("E1101", """\
        class A:
            def g(self): return 1

            def f(self):
                return self.g()
        """),
    "a deleted member assignment": ("E1101", """\
        class A:
            def __init__(self):
                self.n = 1
                self.m = 2

            def f(self):
                return self.n + 1
        """),
    "a name the module binds after the def": ("E0602", """\
        def f():
            return LIMIT * 2

        LIMIT = 10
        """),
    "a global statement in another function": ("E0602", """\
        def setup():
            global STATE
            STATE = 1

        def read():
            return STATE
        """),
    "a name bound only in a branch of the module": ("E0606", """\
        import sys

        if sys.argv:
            MODE = 1
        else:
            MODE = 2

        def f():
            return MODE
        """),
    "a closure's enclosing binding": ("E0602", """\
        def outer():
            scale = 2

            def inner(x):
                return x * scale

            return inner
        """),
    "a nonlocal's enclosing binding": ("E0117", """\
        def outer():
            count = 0

            def bump():
                nonlocal count
                count += 1

            return bump
        """),
    "a postponed annotation's import": ("E0602", """\
        from __future__ import annotations
        from typing import Sequence

        def f(xs: Sequence[int]) -> int:
            return len(xs)
        """),
    "a decorator-free function returning nothing": ("E1111", """\
        def g():
            'Doc.'
            return 1

        def f():
            x = g()
            return x
        """),
}


@pytest.mark.parametrize("name", sorted(OUTER_FACTS))
def test_outer_facts_a_function_body_reads_are_seen_when_they_change(name: str) -> None:
    code_expected, program = OUTER_FACTS[name]
    code = textwrap.dedent(program)
    lines = code.split("\n")
    states = [code, *("\n".join(lines[:k] + lines[k + 1 :]) for k in range(len(lines)))]
    # the change must matter: some state has the report, the program has none
    assert not analyze_fast(code)
    assert any(d.code == code_expected for s in states for d in analyze_fast(s))
    _same(states)


def test_chunks_start_at_statements_and_class_members() -> None:
    code = textwrap.dedent(
        '''\
        """Doc.
        not_a_statement = 1
        """
        import os
        @dec
        class A:
            """Doc."""
            x = 1

            @property
            def p(self):
                return 1
        else_ = 2
        '''
    )
    starts, members = chunk_starts(code.split("\n"))
    assert starts == [0, 3, 4, 12]
    assert members == {4: [7, 9]}


def test_cache_is_bounded_and_checks_its_size() -> None:
    cache = ChunkCache(size=2)
    for k in range(5):
        analyze_incremental(f"a{k} = 1\nb{k} = 2\n", cache)
    assert len(cache._chunks) == 2
    with pytest.raises(ValueError, match="at least 1"):
        ChunkCache(size=0)


def test_a_lone_carriage_return_mid_text_is_a_line_break_for_the_tree() -> None:
    # Python's tokenizer ends a line at a lone "\r"; the analyzer used to index its lines by
    # "\n" only and crashed on the second line's nodes.
    for analyze in (analyze_fast, lambda s: analyze_incremental(s, ChunkCache())):
        found = {(d.line, d.code) for d in analyze("x = 1\ry = x + z")}
        assert found == {(2, "E0602"), (1, "E2511")}


# Thirty clean functions before the text under test: the chunk that fails is far down.
_PREFIX = "".join(f"def f{k}(a):\n    return a + {k}\n\n\n" for k in range(30))

BROKEN = {
    # "expected an indented block after function definition on line N": the message names
    # a line, which must be the state's, not the chunk's
    "empty block": "def g():\nx = 1\n",
    "unclosed bracket running into the chunks after it": "x = foo(\ny = 1\ndef h():\n    return q\n",
    # the parser fails on line 1 of the chunk ("invalid syntax" alone), but its check of
    # the rest of the text finds an unterminated string two chunks on, and that error wins
    "a later tokenizer error wins": "x = = 1\ny = 2\ns = '''open\n",
    "orphan else": "if x:\n    pass\nelse:\nelse:\n    pass\n",
    "try without handler": "try:\n    x = 1\ny = 2\n",
    "null byte": "x = 1\ny = '\0'\n",
    "crlf lines": "if x:\r\n    pass\r\n  y = 1\r\n",  # (an unindent no level matches)
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_syntax_error_is_parsed_from_its_chunk_on(monkeypatch, name: str) -> None:
    """A state whose chunk does not parse gets the full parse's E0001 (line, message) from
    the text of that chunk on, without parsing the statements before it again."""
    from lintseq_python.fast_analyzer import incremental

    code = _PREFIX + BROKEN[name]
    expected = analyze_fast(code)
    assert len(expected) == 1 and expected[0].code == "E0001"
    assert expected[0].line > _PREFIX.count("\n") or name == "null byte"  # (line 0)

    def whole(source: str) -> list:
        raise AssertionError("the whole state was parsed again")

    monkeypatch.setattr(incremental, "analyze_fast", whole)
    assert analyze_incremental(code, ChunkCache()) == expected


def test_a_cut_inside_a_bracket_falls_back_to_the_full_analysis(monkeypatch) -> None:
    """``1,`` at column 0 looks like a statement: the chunk ``x = [`` does not parse, but
    the state does, so it is no syntax error and the full analysis answers."""
    from lintseq_python.fast_analyzer import incremental

    code = "import os\nx = [\n1,\n]\nprint(os.sep, x, y)\n"
    assert chunk_starts(code.split("\n"))[0] == [0, 1, 2, 4]
    full = incremental.analyze_fast
    seen: list[str] = []
    monkeypatch.setattr(incremental, "analyze_fast", lambda source: seen.append(source) or full(source))
    found = analyze_incremental(code, ChunkCache())
    assert [(d.line, d.code) for d in found] == [(5, "E0602")]
    assert seen == [code]


def test_a_state_s_records_are_freed_without_the_cycle_collector(stdlib_source) -> None:
    """The analysis pauses the cyclic garbage collector during a call; the walk's records
    (functions and their scopes, classes and their methods point at each other) must be
    freed by reference counting when it returns, not left for a collection that traverses
    them all (``driver._release``)."""
    import gc

    from lintseq_python.fast_analyzer.model import Class, Function, Scope

    def records() -> int:
        return sum(type(o) in (Class, Function, Scope) for o in gc.get_objects())

    code = stdlib_source("textwrap.py")
    analyze_incremental(code, ChunkCache())  # imports and library facts, built once
    gc.collect()
    before = records()
    enabled = gc.isenabled()
    gc.disable()
    try:
        for state in (code, code.replace("    def fill(", "    def fill_(", 1)):
            assert analyze_incremental(state, ChunkCache()) == analyze_fast(state)
        left = records() - before
    finally:
        if enabled:
            gc.enable()
    assert left == 0
