"""How a benchmark row becomes a model instruction, and a completion becomes a program.

This is the one place that maps benchmark fields to text; every choice is listed here.

Instruction (what the model sees, before ``\\n<|diff|>`` for edit-sequence models or
``\\n`` for the baseline; see :func:`lintseq_core.edits.training_prompt`):

* HumanEval and HumanEval-X python, cpp, go, java, js: the benchmark's ``prompt``
  (imports, signature and docstring/comment), stripped of trailing blank lines.
* HumanEval-X rust: ``prompt`` (a comment only) followed by ``declaration`` (``use`` lines
  and signature), since the prompt alone names no function.
* MBPP (test split and sanitized): the problem text, then ``"Your code should pass these
  tests:"`` and the task's asserts, one per line. This is the instruction format of Austin
  et al. (2021), which the LintSeq paper's instruction data follows.

Program (what gets run): the model writes the *whole* program (signature included), as the
edit-sequence model was trained to. The executors append the benchmark's tests. Edit
sequences are split on ``<|diff|>`` and resolved leniently
(:func:`lintseq_core.edits.resolve_edit_path` with ``strict=False``); baseline completions
have markdown fences removed. The reference program of ``--canonical`` is
``prompt + canonical_solution`` (rust: ``prompt + declaration + canonical_solution``;
MBPP: ``code`` with ``\\r\\n`` turned into ``\\n``). The "empty" program used to check that
the harness rejects wrong answers is the signature with an empty body (C++: ``return {};``,
since flowing off the end of a non-void function is undefined behaviour and returned the
right value by accident for 4 tasks). ``--partial`` (:mod:`lintseq_eval.partial`) starts
from an intermediate state of the reference program that keeps :func:`reference_prefix`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lintseq_core.edits import (
    baseline_prompt,
    resolve_edit_path,
    split_generated_edits,
    training_prompt,
)
from lintseq_core.errors import DiffError
from lintseq_core.fences import extract_fenced_code
from lintseq_eval.benchmarks import Task
from lintseq_eval.errata import corrected_solution
from lintseq_eval.errors import BenchmarkError

__all__ = [
    "FORMATS",
    "Resolved",
    "canonical_program",
    "empty_program",
    "instruction",
    "mbpp_entry_point",
    "model_prompt",
    "reference_prefix",
    "resolve_completion",
]

FORMATS = ("editseq", "baseline")

_FENCE_TAGS = {
    "python": ("python", "py", "python3"),
    "cpp": ("cpp", "c++", "cc"),
    "go": ("go", "golang"),
    "java": ("java",),
    "js": ("js", "javascript", "node"),
    "rust": ("rust", "rs"),
}


def _is_mbpp(task: Task) -> bool:
    return task.benchmark.startswith("mbpp")


def mbpp_entry_point(task: Task) -> str:
    """The function an MBPP task's asserts call (the first call in its first assert)."""
    m = re.search(r"assert\s+(?:not\s+)?\(?\s*(?:set\(|sorted\(|math\.isclose\()?\s*([A-Za-z_]\w*)\s*\(", task.raw["test_list"][0])
    if not m:
        raise BenchmarkError(f"{task.task_id}: cannot find the function its tests call")
    return m.group(1)


def instruction(task: Task) -> str:
    """The task description the model is conditioned on (see the module docstring)."""
    raw = task.raw
    if _is_mbpp(task):
        text = raw["text"] if task.benchmark == "mbpp" else raw["prompt"]
        tests = "\n".join(t.strip() for t in raw["test_list"])
        return f"{text.strip()}\nYour code should pass these tests:\n{tests}"
    if task.language == "rust":
        return (raw["prompt"].strip("\n") + "\n" + raw["declaration"].strip("\n")).strip("\n")
    return raw["prompt"].rstrip()


def model_prompt(task: Task, fmt: str) -> str:
    """The full prompt text for format ``editseq`` or ``baseline``."""
    if fmt == "editseq":
        return training_prompt(instruction(task))
    if fmt == "baseline":
        return baseline_prompt(instruction(task))
    raise BenchmarkError(f"unknown format {fmt!r}; choose one of {FORMATS}")


@dataclass(frozen=True)
class Resolved:
    """A program resolved from a completion, with how many edits it came from."""

    program: str
    n_edits: int
    note: str = ""  # why resolution gave up or what it skipped


def resolve_completion(task: Task, completion: str, fmt: str) -> Resolved:
    """The program a completion stands for: resolved edit sequence or de-fenced code."""
    if fmt == "editseq":
        diffs = split_generated_edits(completion)
        try:
            program = resolve_edit_path(diffs, strict=False)
        except DiffError as exc:  # lenient mode should not raise; say so if it does
            return Resolved("", len(diffs), f"diff resolution failed: {exc}")
        note = "" if diffs else "no edits in completion"
        return Resolved(program, len(diffs), note)
    if fmt == "baseline":
        return Resolved(extract_fenced_code(completion, _FENCE_TAGS[task.language]), 0)
    raise BenchmarkError(f"unknown format {fmt!r}; choose one of {FORMATS}")


def canonical_program(task: Task) -> str:
    """The benchmark's reference program, as a whole program."""
    raw = task.raw
    if _is_mbpp(task):
        return raw["code"].replace("\r\n", "\n")
    solution = corrected_solution(task.task_id, raw["canonical_solution"])
    if task.language == "rust":
        return raw["prompt"] + raw["declaration"] + solution
    return raw["prompt"] + solution


def reference_prefix(task: Task) -> str:
    """The start of :func:`canonical_program` that the benchmark's prompt already gives
    (imports, signature, docstring; Rust also the declaration; MBPP nothing). ``--partial``
    keeps these lines in every partial state."""
    raw = task.raw
    if _is_mbpp(task):
        return ""
    if task.language == "rust":
        return raw["prompt"] + raw["declaration"]
    return raw["prompt"]


def empty_program(task: Task) -> str:
    """The signature with an empty body: must fail every task."""
    raw = task.raw
    if _is_mbpp(task):
        return f"def {mbpp_entry_point(task)}(*args, **kwargs):\n    pass\n"
    if task.language == "python":
        return raw["prompt"] + "    pass\n"
    if task.language == "rust":
        return raw["prompt"] + raw["declaration"] + "}\n"
    if task.language == "java":
        return raw["prompt"] + "    }\n}\n"
    if task.language == "cpp":  # an empty non-void body is undefined behaviour: return T{}
        return raw["prompt"] + "    return {};\n}\n"
    return raw["prompt"] + "}\n"
