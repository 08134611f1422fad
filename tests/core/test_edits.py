"""Diffs built from kept line indices: format, exact round trip, strict/lenient resolution."""

from __future__ import annotations

import difflib
import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lintseq_core.edits import (
    DIFF_TOKEN,
    apply_diff,
    baseline_prompt,
    edit_path_from_states,
    format_baseline_text,
    format_training_text,
    parse_diff,
    resolve_edit_path,
    split_generated_edits,
    split_lines,
    training_prompt,
)
from lintseq_core.errors import DiffError


def _random_states(n: int, rng: random.Random) -> list[tuple[int, ...]]:
    order = list(range(n))
    rng.shuffle(order)
    cuts = sorted(set([*rng.sample(range(1, n + 1), rng.randint(1, n)), n]))
    return [(), *(tuple(sorted(order[:c])) for c in cuts)]


line_text = st.text(alphabet=st.sampled_from(list("ab }{\t\r#@+-\\ ")), max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(line_text, min_size=1, max_size=15), st.integers(0, 2**32))
def test_round_trip_is_byte_exact_and_insertion_only(lines: list[str], seed: int) -> None:
    text = "\n".join(lines)
    assert split_lines(text) == lines
    states = _random_states(len(lines), random.Random(seed))
    diffs = edit_path_from_states(lines, states)
    assert resolve_edit_path(diffs) == text
    for diff in diffs:
        for hunk in parse_diff(diff):
            assert hunk.old_len == 0 and not hunk.removed and hunk.added
        assert not any(line.startswith("-") for line in diff.split("\n"))


def test_format_matches_difflib_on_distinct_lines() -> None:
    rng = random.Random(3)
    for _ in range(200):
        n = rng.randint(1, 12)
        lines = [f"line{i}" for i in range(n)]
        states = _random_states(n, rng)
        ours = edit_path_from_states(lines, states)
        for k, (a, b) in enumerate(itertools.pairwise(states)):
            ref = list(
                difflib.unified_diff([lines[i] for i in a], [lines[i] for i in b], n=0, lineterm="")
            )[2:]
            assert ours[k] == "\n".join(ref)


def test_repeated_lines_never_produce_deletions() -> None:
    # difflib would align the inserted "}" with an existing one and emit a replace.
    lines = ["{", "}", "{", "}", "", ""]
    states = [(), (0, 1), (0, 1, 4), (0, 1, 2, 3, 4, 5)]
    diffs = edit_path_from_states(lines, states)
    assert resolve_edit_path(diffs) == "\n".join(lines)
    assert diffs[0] == "@@ -0,0 +1,2 @@\n+{\n+}"


def test_crlf_trailing_whitespace_and_blank_edges_survive() -> None:
    text = "\r\n  def f():\r\n\treturn 1  \r\n\n"
    lines = split_lines(text)
    states = [(), (1, 2), tuple(range(len(lines)))]
    assert resolve_edit_path(edit_path_from_states(lines, states)) == text


def test_states_must_grow() -> None:
    with pytest.raises(DiffError):
        edit_path_from_states(["a", "b"], [(), (0,), (0,)])
    with pytest.raises(DiffError):
        edit_path_from_states(["a", "b"], [(), (0,), (1,)])


@pytest.mark.parametrize(
    "diff",
    [
        "",
        "+a",
        "@@ -0,0 +1,2 @@\n+a",  # wrong count
        "@@ -1 +1 @@\n-a\n+b",  # deletion
        "@@ -0,0 +1 @@\n+a\n garbage",
        "@@ -5,0 +6 @@\n+a",  # past the end
        "@@ -0,0 +1,0 @@",  # inserts nothing
    ],
)
def test_strict_resolution_rejects_malformed(diff: str) -> None:
    with pytest.raises(DiffError):
        resolve_edit_path([diff])


def test_lenient_resolution_reads_model_output() -> None:
    diffs = [
        "Here is the edit:\n@@ -0,0 +1,3 @@\n+def f(x):\n+    return x",  # junk + wrong count
        "--- a\n+++ b\n@@ -2,0 +3 @@\n+# done",
        "@@ nonsense @@\n+ignored?",
    ]
    assert resolve_edit_path(diffs, strict=False) == "def f(x):\n    return x\n# done"
    # a deletion that matches is honoured, one that does not is ignored
    assert apply_diff(["a", "b"], "@@ -1 +1 @@\n-a\n+c", strict=False) == ["c", "b"]
    assert apply_diff(["a", "b"], "@@ -1 +1 @@\n-x\n+c", strict=False) == ["c", "a", "b"]
    # an insertion header that lost its ",0" is placed by its new-side start
    assert apply_diff(["a", "b"], "@@ -1 +2 @@\n+c", strict=False) == ["a", "c", "b"]


def test_training_text_format_and_prompt() -> None:
    edits = ["@@ -0,0 +1 @@\n+def f():", "@@ -1,0 +2 @@\n+    return 1"]
    text = format_training_text("Write f.", edits)
    assert text == "Write f.\n" + "\n<|diff|>".join(["", *edits, "", ""])
    prompt = training_prompt("Write f.")
    assert text.startswith(prompt) and prompt.endswith("\n" + DIFF_TOKEN)
    assert split_generated_edits(text[len(prompt):]) == edits
    assert resolve_edit_path(split_generated_edits(text[len(prompt):])) == "def f():\n    return 1"
    assert format_baseline_text("Do.", "x = 1") == baseline_prompt("Do.") + "x = 1"


def test_state_source_keeps_each_lines_terminator() -> None:
    from lintseq_core.edits import state_source

    lines = split_lines("def f():\r\n  x = 1\r\n  return x")
    assert state_source(lines, [0, 1]) == "def f():\r\n  x = 1\r\n"  # no lone "\r" at the end
    assert state_source(lines, [0, 2]) == "def f():\r\n  return x"
    assert state_source(lines, []) == ""
