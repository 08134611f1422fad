"""The Python plugin through the real entry-point host and the LintSeq sampler."""

from __future__ import annotations

import textwrap

import pytest

from lintseq_core.edits import parse_diff, resolve_edit_path
from lintseq_core.errors import ProgramRejected
from lintseq_core.sampler import make_sampler, sample_many, state_texts

PROGRAM = textwrap.dedent(
    """\
    import math


    def area(r):
        # circle area
        a = math.pi * r ** 2
        return a


    class Shape:
        def __init__(self, r):
            self.r = r

        def size(self):
            return area(self.r)


    s = Shape(2)
    print(s.size())
    """
)
TABS = "def f(xs):\n\ttotal = 0\n\tfor x in xs:\n\t\ttotal += x\n\tk = len(xs)\n\treturn total / k\n"
TWO_SPACES = TABS.replace("\t", "  ")


def test_language_and_analyzers_are_declared(host) -> None:
    lang = host.language("py")
    assert lang.name == "python" and host.language("python3") is lang
    assert host.language_for_path("pkg/mod.pyi") is lang
    assert host.language_for_fence("py") is lang
    analyzers = host.analyzers("python")
    assert {"ast", "pylint"} <= set(analyzers)
    assert analyzers["pylint"].kind == "reference" and analyzers["ast"].kind == "fast"
    assert host.analyzer("python").name == "ast"  # the fast one is the default


def test_versions_name_pylint_and_astroid(host) -> None:
    names = dict(host.versions())
    assert names["pylint"] and names["astroid"] and names["python-ast"]


def test_hooks_answer_none_for_other_languages(host) -> None:
    from lintseq_python import plugin

    assert plugin.lintseq_analyze("go", "ast", "x") is None
    assert plugin.lintseq_analyze("python", "gcc", "x") is None
    assert plugin.lintseq_structure("rust", "pylint", ["x"], False) is None


def test_extract_code_from_markdown(host) -> None:
    # The host's default does this from the language's fence tags: no hook of the plugin.
    from lintseq_python import plugin

    assert not hasattr(plugin, "lintseq_extract_code")
    answer = "Run it:\n```bash\npip install x\n```\nthen\n```python\ndef f():\n    return 1\n```\n"
    assert host.extract_code("python", answer) == "def f():\n    return 1"
    assert host.extract_code("py", "```py\nx = 1\n```") == "x = 1"
    assert host.extract_code("python", "text\n```\ny = 2\n```\n") == "y = 2"
    assert host.extract_code("python", "z = 3\n") == "z = 3\n"  # no fence: already code
    assert host.extract_code("python", "```Python3\na\n```\n```js\nb\n```") == "a"  # tags ignore case
    assert host.extract_code("python", "```\nu\n```\n```python\nt\n```") == "t"  # a tagged block wins


@pytest.mark.parametrize("analyzer", ["ast", "pylint"])
def test_sequences_round_trip_and_states_are_clean(host, analyzer: str) -> None:
    sampler = make_sampler(host, "python", analyzer)
    for seq, stats in sample_many(sampler, PROGRAM, seed=3, index=0, samples=4):
        diffs = seq.edit_path
        assert resolve_edit_path(diffs) == PROGRAM
        assert all(h.old_len == 0 and not h.removed for d in diffs for h in parse_diff(d))
        assert len(diffs) >= 3 and stats.lint_calls >= len(diffs) - 1
        for text in state_texts(seq):
            assert host.analyze("python", "pylint", text) == [], text


@pytest.mark.parametrize("program", [TABS, TWO_SPACES], ids=["tabs", "two-spaces"])
@pytest.mark.parametrize("analyzer", ["ast", "pylint"])
def test_bad_indentation_does_not_collapse_by_default(host, program: str, analyzer: str) -> None:
    assert any(d.code == "W0311" for d in host.analyze("python", analyzer, program))
    sampler = make_sampler(host, "python", analyzer)
    lengths = [len(seq.edit_path) for seq, _ in sample_many(sampler, program, seed=0, index=1, samples=5)]
    assert max(lengths) > 1


@pytest.mark.parametrize("analyzer", ["ast", "pylint"])
def test_reference_rules_collapse_bad_indentation_like_the_paper(host, analyzer: str) -> None:
    sampler = make_sampler(host, "python", analyzer, reference_rules=True)
    for seq, _ in sample_many(sampler, TABS, seed=0, index=1, samples=3):
        assert len(seq.edit_path) == 1
        assert resolve_edit_path(seq.edit_path) == TABS


def test_programs_that_do_not_parse_are_rejected(host) -> None:
    for analyzer in ("ast", "pylint"):
        sampler = make_sampler(host, "python", analyzer)
        with pytest.raises(ProgramRejected) as info:
            sample_many(sampler, "def f(:\n    return 1\n", seed=0, index=0)
        assert info.value.reason == "syntax_error"


def test_errors_of_the_original_do_not_count(host) -> None:
    # ``undefined_name`` is an error in the original: the sampler must not delete around it.
    program = "def f(x):\n    y = x + 1\n    z = undefined_name\n    return y\n"
    sampler = make_sampler(host, "python", "ast")
    lengths = [len(seq.edit_path) for seq, _ in sample_many(sampler, program, seed=1, index=0, samples=6)]
    assert max(lengths) >= 3
