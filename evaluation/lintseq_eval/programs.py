"""How a benchmark row becomes a model instruction, and a completion becomes a program.

What each benchmark's fields mean is its layout's (:mod:`lintseq_eval.layouts`, declared by
the languages of :mod:`lintseq_eval.languages`); this module applies them the same way to
every benchmark and language.

Instruction (what the model sees, before ``\\n<|diff|>`` for edit-sequence models or
``\\n`` for the baseline; see :func:`lintseq_core.edits.training_prompt`): the layout's
instruction (HumanEval-style: the prompt; MBPP: the problem text and its asserts).

Program (what gets run): the model writes the *whole* program (signature included), as the
edit-sequence model was trained to. The executors append the benchmark's tests. Edit
sequences are split on ``<|diff|>`` and resolved leniently
(:func:`lintseq_core.edits.resolve_edit_path` with ``strict=False``), from the empty program or,
where the layout has a ``start`` (HumanEvalFix), from that program; baseline completions
have markdown fences removed (the host's fence tags for the language). The reference
program of ``--canonical`` is the layout's prefix + solution, with the documented errata
applied (:mod:`lintseq_eval.errata`). The "empty" program used to check that the harness
rejects wrong answers is the signature with an empty body (the layout's). ``--partial``
(:mod:`lintseq_eval.partial`) starts from an intermediate state of the reference program
that keeps :func:`reference_prefix`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lintseq_core.edits import (
    baseline_prompt,
    resolve_edit_path,
    split_generated_edits,
    training_prompt,
)
from lintseq_core.errors import DiffError
from lintseq_core.fences import extract_fenced_code
from lintseq_eval import layouts
from lintseq_eval.benchmarks import Task
from lintseq_eval.errata import corrected_solution
from lintseq_eval.errors import BenchmarkError
from lintseq_eval.languages import Layout, benchmark_layout, get_language

__all__ = [
    "FORMATS",
    "Resolved",
    "canonical_program",
    "empty_program",
    "extract_code",
    "instruction",
    "mbpp_entry_point",
    "model_prompt",
    "reference_prefix",
    "resolve_completion",
]

FORMATS = ("editseq", "baseline")


def _layout(task: Task) -> Layout:
    return benchmark_layout(task.benchmark)[1]


def mbpp_entry_point(task: Task) -> str:
    """The function an MBPP task's asserts call (the first call in its first assert)."""
    return layouts.mbpp_entry_point(task.raw)


def instruction(task: Task) -> str:
    """The task description the model is conditioned on (see the module docstring)."""
    return _layout(task).instruction(task.raw)


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
        start = _layout(task).start  # HumanEvalFix: diffs on top of the buggy program
        try:
            program = resolve_edit_path(diffs, strict=False, start=start(task.raw) if start else "")
        except DiffError as exc:  # lenient mode should not raise; say so if it does
            return Resolved("", len(diffs), f"diff resolution failed: {exc}")
        note = "" if diffs else "no edits in completion"
        return Resolved(program, len(diffs), note)
    if fmt == "baseline":
        return Resolved(extract_code(task.language, completion), 0)
    raise BenchmarkError(f"unknown format {fmt!r}; choose one of {FORMATS}")


def extract_code(language: str, text: str) -> str:
    """Code of ``language`` in a markdown answer: the host's fence tags (and its plugins'
    extractors) where a host plugin declares the language, else the registry entry's."""
    from lintseq_core.errors import UnknownLanguageError
    from lintseq_core.host import get_host

    try:
        return get_host().extract_code(language, text)
    except UnknownLanguageError:
        lang = get_language(language)
        return extract_fenced_code(text, (lang.name, *lang.aliases, *lang.fence_tags))


def canonical_program(task: Task) -> str:
    """The benchmark's reference program, as a whole program."""
    layout = _layout(task)
    return layout.prefix(task.raw) + corrected_solution(task.task_id, layout.solution(task.raw), layout.family)


def reference_prefix(task: Task) -> str:
    """The start of :func:`canonical_program` that the benchmark's prompt already gives
    (imports, signature, docstring; Rust also the declaration; MBPP nothing). ``--partial``
    keeps these lines in every partial state."""
    return _layout(task).prefix(task.raw)


def empty_program(task: Task) -> str:
    """The signature with an empty body: must fail every task."""
    return _layout(task).empty(task.raw)
