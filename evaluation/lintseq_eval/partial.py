"""Partial-program tasks (``lintseq-eval --partial``): finish a half-written reference solution.

D3 (Piterbarg et al., COLM 2025) reports that models trained on sub-trajectories are strong
at completing partial human-written solutions. This variant of HumanEval, MBPP and
HumanEval-X gives the model an intermediate LintSeq state of the task's reference program
and scores the program it finishes.

The partial state of a task (all choices seeded by ``(seed, task_id)``, nothing else):

1. The reference program is :func:`lintseq_eval.programs.canonical_program`. Its *fixed*
   lines are those of :func:`lintseq_eval.programs.reference_prefix`, what the benchmark's
   prompt already gives (HumanEval, HumanEval-X: imports, signature, docstring; Rust also
   the ``declaration``); MBPP has none (its instruction is prose).
2. One LintSeq edit sequence of the reference program is sampled with the language's default
   analyzer (``ast`` for Python, tree-sitter for the others) by ``lintseq_core``.
3. Each state of that sequence, with the fixed lines added back, is a candidate: the model
   always sees the signature and docstring it would see in the plain benchmark. Candidates
   must hold more than the fixed lines and lack at least one code line of the reference.
   The distinct candidates are put in a seeded random order.
4. Screening (on by default in the CLI): a candidate that already passes the task's tests
   is no partial program — it lacks only redundant lines, e.g. HumanEval/66's
   ``if s == "": return 0`` — so the first candidate in that order that *fails* the tests is
   taken. This costs one test run per task (rarely more) and makes ``--empty`` score 0%
   by construction. A candidate whose run timed out is skipped too: near the deadline the
   same program may pass on a quieter machine, so only a clear failure makes a partial
   state. ``--no-partial-screen`` takes the first candidate as it is.
5. When no candidate is left (a body LintSeq inserts in one edit, e.g. a one-line
   ``return``; a program the analyzer rejects), the partial state is the fixed lines alone —
   the plain task. ``partial_states.jsonl`` records which (``kind``: ``intermediate`` or
   ``prompt``) and how many candidates screening skipped (``screened``).

What the model sees and writes (the layout is :mod:`lintseq_core.partial_format`, the same
as ``lintseq-train`` on ``--subtrajectories`` rows; pass the same ``--partial-template``):

* ``editseq``: instruction and partial state, then ``<|diff|>``; the completion's diffs are
  resolved leniently *on top of the partial state*.
* ``baseline``: instruction and partial state; the completion is the whole final program.

Self-checks: ``--canonical`` scores the reference completion — the diffs from the partial
state to the reference program (the sampled sequence's remaining states, each with the fixed
lines added) in ``editseq``, the whole reference program in ``baseline``; it must pass 100%.
``--empty`` scores an empty completion — the partial state itself in ``editseq``, nothing in
``baseline``; it must pass 0%.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lintseq_core.edits import (
    edit_path_from_states,
    join_lines,
    resolve_edit_path,
    split_generated_edits,
    split_lines,
)
from lintseq_core.errors import DiffError, LintseqError, ProgramRejected
from lintseq_core.partial_format import (
    DEFAULT_PARTIAL_TEMPLATE,
    check_partial_template,
    format_partial_text,
    partial_prompt,
)
from lintseq_eval.benchmarks import Benchmark, Task
from lintseq_eval.execution import Sample, SampleResult
from lintseq_eval.executors import Status
from lintseq_eval.programs import (
    Resolved,
    canonical_program,
    instruction,
    reference_prefix,
    resolve_completion,
)

if TYPE_CHECKING:
    from lintseq_core.host import PluginHost

__all__ = ["PartialBenchmark", "PartialState", "Screen", "partial_candidates", "partial_state"]


@dataclass(frozen=True)
class PartialState:
    """The partial program of one task and the reference way to finish it."""

    task_id: str
    state: str  # what the model is given ("" for the empty file)
    reference_path: tuple[str, ...]  # diffs from ``state`` to ``program``
    program: str  # the whole reference program
    kind: str  # "intermediate" (a LintSeq state) or "prompt" (the fixed lines alone)
    state_index: int | None = None  # index of the chosen state in the sampled sequence
    num_states: int | None = None
    analyzer: str = ""
    note: str = ""  # why the task fell back to the prompt
    screened: int = 0  # earlier candidates skipped because they already passed the tests


def _rng(seed: int, task_id: str) -> random.Random:
    digest = hashlib.sha256(f"lintseq-partial:{seed}:{task_id}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _fallback(task: Task, lines: Sequence[str], fixed: tuple[int, ...], analyzer: str,
              note: str) -> PartialState:
    everything = tuple(range(len(lines)))
    path = edit_path_from_states(lines, [fixed, everything]) if fixed != everything else []
    return PartialState(task.task_id, join_lines(lines[i] for i in fixed), tuple(path),
                        join_lines(lines), "prompt", analyzer=analyzer, note=note)


def partial_candidates(task: Task, host: PluginHost, seed: int = 0) -> list[PartialState]:
    """Candidate partial programs of ``task`` in seeded order, the plain prompt last."""
    from lintseq_core.sampler import make_sampler

    program = canonical_program(task)
    lines = split_lines(program)
    prefix = reference_prefix(task)
    if not program.startswith(prefix):  # never for the shipped benchmarks; be safe
        prefix = ""
    n_fixed = prefix.count("\n") + (1 if prefix and not prefix.endswith("\n") else 0)
    fixed = tuple(range(min(n_fixed, len(lines))))
    sampler = make_sampler(host, task.language)
    try:
        prepared = sampler.prepare(program)
        rng = _rng(seed, task.task_id)
        seq, _ = sampler.sample(prepared, rng)
    except ProgramRejected as exc:
        return [_fallback(task, lines, fixed, sampler.analyzer, f"analyzer rejects the reference: {exc}")]
    code_lines = set(prepared.structure.candidates)
    completed = [tuple(sorted(set(fixed) | set(s))) for s in seq.states]
    first_at: dict[tuple[int, ...], int] = {}
    for t, kept in enumerate(completed):
        missing = set(range(len(lines))) - set(kept)
        if len(kept) > len(fixed) and missing & code_lines:
            first_at.setdefault(kept, t)
    order = list(first_at.items())
    rng.shuffle(order)
    out = []
    for chosen, t in order:
        later = [chosen]
        for kept in completed[t + 1:]:
            if kept != later[-1]:
                later.append(kept)
        out.append(PartialState(task.task_id, join_lines(lines[i] for i in chosen),
                                tuple(edit_path_from_states(lines, later)), program, "intermediate",
                                t, len(seq.states), sampler.analyzer))
    note = "" if out else "no LintSeq state lies strictly between the prompt and the solution"
    out.append(_fallback(task, lines, fixed, sampler.analyzer, note))
    return out


def partial_state(task: Task, host: PluginHost, seed: int = 0) -> PartialState:
    """The seeded partial program of ``task`` without screening (the first candidate)."""
    return partial_candidates(task, host, seed)[0]


Screen = Callable[[Sequence[Sample]], Sequence[bool]]


def screen_verdicts(results: Sequence[SampleResult]) -> list[bool]:
    """What screening skips: programs that pass, and those that timed out (undecided)."""
    return [r.passed or r.status is Status.TIMEOUT for r in results]


@dataclass(frozen=True)
class PartialBenchmark:
    """The partial states of a benchmark's tasks, with the prompt template models were trained on."""

    states: dict[str, PartialState]
    seed: int
    template: str = DEFAULT_PARTIAL_TEMPLATE

    @classmethod
    def build(cls, bench: Benchmark, *, seed: int = 0, template: str = DEFAULT_PARTIAL_TEMPLATE,
              host: PluginHost | None = None, screen: Screen | None = None) -> PartialBenchmark:
        """Partial states of every task; ``screen`` says which programs pass their tests."""
        from lintseq_core.host import get_host

        check_partial_template(template)
        host = host or get_host()
        try:
            candidates = {t.task_id: partial_candidates(t, host, seed) for t in bench.tasks}
        except LintseqError as exc:  # e.g. no analyzer installed for the language
            raise LintseqError(f"cannot build partial states for {bench.name}: {exc}") from exc
        pos = dict.fromkeys(candidates, 0)
        pending = [tid for tid, c in candidates.items() if c[0].kind == "intermediate"]
        while screen is not None and pending:
            samples = [Sample(tid, 0, "", candidates[tid][pos[tid]].state) for tid in pending]
            still = []
            for tid, passed in zip(pending, screen(samples), strict=True):
                if passed:  # already a solution: not a partial program
                    pos[tid] += 1
                    if candidates[tid][pos[tid]].kind == "intermediate":
                        still.append(tid)
            pending = still
        states = {tid: replace(c[pos[tid]], screened=pos[tid]) for tid, c in candidates.items()}
        return cls(states, seed, template)

    def prompt(self, task: Task, fmt: str) -> str:
        return partial_prompt(instruction(task), self.states[task.task_id].state, fmt, self.template)

    def reference_completion(self, task: Task, fmt: str) -> str:
        """What a perfect model writes after :meth:`prompt`."""
        p = self.states[task.task_id]
        text = format_partial_text(instruction(task), p.state, fmt, edit_path=p.reference_path,
                                   end_state=p.program, template=self.template)
        return text[len(self.prompt(task, fmt)):]

    def resolve(self, task: Task, completion: str, fmt: str) -> Resolved:
        """The program a completion stands for: the partial state plus its diffs, or the code."""
        if fmt != "editseq":
            return resolve_completion(task, completion, fmt)
        diffs = split_generated_edits(completion)
        state = self.states[task.task_id].state
        try:
            program = resolve_edit_path(diffs, strict=False, start=state)
        except DiffError as exc:  # lenient mode should not raise; say so if it does
            return Resolved(state, len(diffs), f"diff resolution failed: {exc}")
        return Resolved(program, len(diffs), "" if diffs else "no edits in completion")

    def self_check_samples(self, tasks: Iterable[Task], fmt: str, *, canonical: bool) -> list[Sample]:
        """``--canonical`` (reference completions) or ``--empty`` (empty completions)."""
        out = []
        for task in tasks:
            completion = self.reference_completion(task, fmt) if canonical else ""
            res = self.resolve(task, completion, fmt)
            out.append(Sample(task.task_id, 0, completion, res.program, res.n_edits, 0, res.note))
        return out

    def summary(self) -> dict[str, Any]:
        kinds: dict[str, int] = {}
        for p in self.states.values():
            kinds[p.kind] = kinds.get(p.kind, 0) + 1
        return {"seed": self.seed, "template": self.template, "tasks": len(self.states),
                "kinds": dict(sorted(kinds.items())),
                "screened_out": sum(p.screened for p in self.states.values())}

    def write(self, path: Path) -> None:
        """One JSON line per task: the partial state, its kind and the reference diffs."""
        with open(path, "w", encoding="utf-8") as fh:
            for p in self.states.values():
                fh.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
