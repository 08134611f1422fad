"""Turning model output into programs: well-formed and malformed edit sequences."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from lintseq_eval.benchmarks import load_benchmark
from lintseq_eval.programs import canonical_program, resolve_completion

from lintseq_core.edits import (
    DIFF_TOKEN,
    edit_path_from_states,
    format_training_text,
    resolve_edit_path,
    split_generated_edits,
    training_prompt,
)
from lintseq_core.errors import DiffError


def _random_states(n_lines: int, rng: random.Random) -> list[list[int]]:
    order = list(range(n_lines))
    rng.shuffle(order)
    cuts = sorted(rng.sample(range(1, n_lines), min(3, n_lines - 1))) if n_lines > 1 else []
    states, kept = [[]], []
    for a, b in zip([0, *cuts], [*cuts, n_lines], strict=True):
        kept = sorted(kept + order[a:b])
        states.append(kept)
    return states


def _completion(instr: str, edits: list[str]) -> str:
    """What a model that learnt the training format writes after the prompt."""
    text = format_training_text(instr, edits)
    prompt = training_prompt(instr)
    assert text.startswith(prompt)
    return text[len(prompt):]


def test_well_formed_sequences_resolve_to_the_program(shared_data: Path) -> None:
    rng = random.Random(0)
    bench = load_benchmark("humaneval", shared_data, limit=25)
    for task in bench.tasks:
        program = canonical_program(task)
        lines = program.split("\n")
        edits = edit_path_from_states(lines, _random_states(len(lines), rng))
        completion = _completion(task.raw["prompt"], edits)
        assert split_generated_edits(completion) == edits
        res = resolve_completion(task, completion, "editseq")
        assert res.program == program and res.n_edits == len(edits)
        assert resolve_edit_path(edits, strict=True) == program


def test_blank_last_line_of_an_edit_survives() -> None:
    edits = ["@@ -0,0 +1,2 @@\n+def f():\n+", "@@ -1,0 +2 @@\n+    return 1"]
    completion = "".join(e + "\n" + DIFF_TOKEN for e in edits) + "\n" + DIFF_TOKEN
    assert split_generated_edits(completion) == edits
    assert resolve_edit_path(edits, strict=False) == "def f():\n    return 1\n"


MALFORMED = {
    "truncated mid-hunk": (
        "@@ -0,0 +1,3 @@\n+def f(x):\n+    return x\n" + DIFF_TOKEN + "@@ -2,0 +3,4 @@\n+y = f(",
        "def f(x):\n    return x\ny = f(",
    ),
    "wrong line count": ("@@ -0,0 +1,5 @@\n+a = 1\n+b = 2\n" + DIFF_TOKEN, "a = 1\nb = 2"),
    "junk before the first hunk": ("Sure! here you go\n@@ -0,0 +1 @@\n+x = 1\n" + DIFF_TOKEN, "x = 1"),
    "context and deletion lines": (
        "@@ -0,0 +1,2 @@\n+a\n+b\n" + DIFF_TOKEN + "@@ -1,1 +1,1 @@\n-a\n+c\n" + DIFF_TOKEN,
        "c\nb",
    ),
    "hunk past the end": ("@@ -0,0 +1 @@\n+a\n" + DIFF_TOKEN + "@@ -9,0 +10 @@\n+z\n" + DIFF_TOKEN, "a\nz"),
    "unparsable header": ("@@ nonsense @@\n+a\n" + DIFF_TOKEN + "@@ -0,0 +1 @@\n+b\n", "b"),
    "no diff at all": ("def f():\n    return 1\n", ""),
    "only tokens": (DIFF_TOKEN + "\n" + DIFF_TOKEN, ""),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_output_is_resolved_leniently_and_rejected_strictly(name: str) -> None:
    completion, expected = MALFORMED[name]
    edits = split_generated_edits(completion)
    assert resolve_edit_path(edits, strict=False) == expected
    if edits and name != "hunk past the end":
        with pytest.raises(DiffError):
            resolve_edit_path(edits, strict=True)


def test_strict_rejects_out_of_range_hunk() -> None:
    with pytest.raises(DiffError, match="past the end"):
        resolve_edit_path(["@@ -0,0 +1 @@\n+a", "@@ -9,0 +10 @@\n+z"], strict=True)


def test_baseline_strips_fences(shared_data: Path) -> None:
    task = load_benchmark("humaneval", shared_data, limit=1).tasks[0]
    res = resolve_completion(task, "Here:\n```python\ndef f():\n    return 2\n```\nDone.", "baseline")
    assert res.program == "def f():\n    return 2"
    assert resolve_completion(task, "def g(): pass", "baseline").program == "def g(): pass"
