"""HumanEval+ and MBPP+ (evalplus) as layouts: base and plus inputs, differential testing.

evalplus (Liu et al., NeurIPS 2023; github.com/evalplus/evalplus, data from
``evalplus/humanevalplus_release`` v0.1.10 and ``evalplus/mbppplus_release`` v0.2.0,
Apache-2.0) gives each task argument lists (``base_input``: the original benchmark's,
``plus_input``: generated) and no expected outputs: they come from running
``prompt + canonical_solution``. Each sample runs :mod:`lintseq_eval.evalplus_harness` in
its sandbox: the reference first (outputs and per-input times), then the sample's function
on the same inputs, compared with ``atol`` for floats, under evalplus's per-input time limit
``max(MIN_S, FACTOR * reference time)``. A task with several samples has its reference run
once instead, its outputs and times recorded and cached on disk (:func:`record_references`),
as evalplus caches its ground truth.

evalplus reports two numbers: *base* (base inputs only) and *plus* (a sample passes only
if it passes the base **and** the plus inputs). ``humaneval-plus`` / ``mbpp-plus`` run both
input sets in one sandbox (their pass@k is evalplus's plus); their companions
``humaneval-plus-base`` / ``mbpp-plus-base`` run the base inputs alone on the same samples
and are reported beside them (:attr:`lintseq_eval.languages.Layout.companions`).

Prompts: HumanEval+ is HumanEval's (the signature and docstring); MBPP+ is MBPP's
instruction (the problem text, then ``Your code should pass these tests:`` and the assert
that evalplus's prompt shows). Inputs must be the evalplus format
(``HumanEvalPlus.jsonl.gz``, ``MbppPlus.jsonl.gz``; ``-NoExtreme`` files have the same
fields); the hub copies (``evalplus/humanevalplus``) are the ``-OriginFmt`` layout without
``base_input``, which the loader rejects with the fields it misses.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from lintseq_eval.benchmarks import Task
from lintseq_eval.evalplus_harness import RECORD_PREFIX
from lintseq_eval.languages import Layout, Source
from lintseq_eval.sandbox import Limits, UidPool

__all__ = ["FACTOR", "HARNESS_VERSION", "MIN_S", "harness_setup", "humaneval_plus", "layouts", "mbpp_plus",
           "mbpp_plus_instruction", "record_references"]

Row = Mapping[str, Any]
FACTOR = 4.0  # evalplus's DEFAULT_GT_TIME_LIMIT_FACTOR
MIN_S = 4.0  # evalplus's DEFAULT_MIN_TIME_LIMIT (seconds per input)
_REQUIRED = ("task_id", "prompt", "entry_point", "canonical_solution", "base_input", "plus_input", "atol")
_HARNESS = Path(__file__).with_name("evalplus_harness.py")
_CHECK = "\n_lintseq_evalplus.check(globals())\n"
HARNESS_VERSION = 1  # bump when evalplus_harness changes what it records
RECORD_KEY = "_lintseq_record"  # a row holding it asks its harness to print the recording
_RECORD_OUTPUT_KB = 256 * 1024  # a recording is one stdout line: outputs of every input
_recorded: dict[tuple[str, str], str] = {}  # _key(spec) -> recording, for this process
log = logging.getLogger(__name__)


def _spec(row: Row, dataset: str, phases: tuple[str, ...]) -> dict[str, Any]:
    return {
        "task_id": row["task_id"], "dataset": dataset, "entry_point": row["entry_point"],
        "atol": row["atol"], "factor": FACTOR, "min_s": MIN_S,
        "reference": row["prompt"] + row["canonical_solution"],
        "phases": [[p, row[f"{p}_input"]] for p in phases],
    }


def _key(spec: Mapping[str, Any]) -> tuple[str, str]:
    """What a recording is valid for: the sample interpreter and everything the reference gets."""
    from lintseq_eval.languages.python import python_interpreter

    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:24]
    return os.path.abspath(python_interpreter()), digest


def harness_setup(row: Row, dataset: str, phases: tuple[str, ...]) -> str:
    """Python that builds the harness (reference outputs and times) before the sample runs.

    Where the reference was recorded (:func:`record_references`) the harness gets its outputs
    and times instead of running it again; a row holding ``RECORD_KEY`` asks for a recording.
    """
    spec = _spec(row, dataset, phases)
    recorded = _recorded.get(_key(spec))
    if recorded:
        spec["expected"] = recorded
    elif row.get(RECORD_KEY):
        spec["record"] = True
    return (
        "def _lintseq_evalplus_setup():\n"
        "    namespace = {'__name__': 'lintseq_evalplus_harness'}\n"
        f"    exec(compile({_HARNESS.read_text(encoding='utf-8')!r}, 'evalplus_harness.py', 'exec'), namespace)\n"
        f"    return namespace['Harness']({json.dumps(spec)!r})\n\n\n"
        "_lintseq_evalplus = _lintseq_evalplus_setup()\n"
        "del _lintseq_evalplus_setup\n"
    )


def _cache_path(benchmark: str) -> Path:
    """Recordings of ``benchmark`` on this sandbox backend, host and harness version."""
    from lintseq_eval.sandbox import backend_name

    key = {"benchmark": benchmark, "backend": backend_name(), "host": platform.node(),
           "harness_version": HARNESS_VERSION}
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:24]
    from lintseq_eval.time_limits import cache_root

    return cache_root() / "evalplus" / f"{benchmark}-{digest}.json"


def _record_one(task: Task, limits: Limits, pool: UidPool) -> str | None:
    """Run ``task``'s reference once under the harness; its recorded outputs, or None."""
    from lintseq_eval.executors import prepare, run_prepared
    from lintseq_eval.programs import canonical_program

    marked = Task(task.benchmark, task.task_id, task.language, {**task.raw, RECORD_KEY: True})
    result = run_prepared(prepare(marked, canonical_program(task), limits), limits, pool=pool)
    for line in result.stdout.splitlines():
        if line.startswith(RECORD_PREFIX + " "):
            return line[len(RECORD_PREFIX) + 1:].strip()
    log.warning("%s: the reference recorded no outputs (%s); its samples run it themselves",
                task.task_id, result.stderr.strip()[-200:])
    return None


def record_references(tasks: Sequence[Task], samples_per_task: Mapping[str, int], limits: Limits,
                      workers: int, *, dataset: str, phases: tuple[str, ...]) -> None:
    """Give samples the reference's outputs and times recorded once per task (evalplus caches
    its ground truth the same way) instead of running the reference in every sample.

    Recordings are cached in ``$LINTSEQ_CACHE/evalplus/`` (default ``~/.cache/lintseq``) per
    benchmark, backend, host and :data:`HARNESS_VERSION`, each under a hash of the sample
    interpreter and everything the reference gets (code, inputs, limits' factors). A task
    with no recording yet is recorded when it has two samples or more; with one, its sample
    runs the reference as before (recording it would cost a run more).
    """
    if not tasks:
        return
    path = _cache_path(tasks[0].benchmark)
    try:
        cached = json.loads(path.read_text(encoding="utf-8")).get("recordings", {})
    except FileNotFoundError:
        cached = {}
    except (OSError, json.JSONDecodeError, AttributeError) as exc:
        log.warning("ignoring unreadable evalplus cache %s (%s)", path, exc)
        cached = {}
    keys = {t.task_id: _key(_spec(t.raw, dataset, phases)) for t in tasks}
    todo = []
    for task in tasks:
        key = keys[task.task_id]
        if key in _recorded:
            continue
        if "/".join(key) in cached:
            _recorded[key] = cached["/".join(key)]
        elif samples_per_task.get(task.task_id, 0) >= 2:
            todo.append(task)
    if not todo:
        return
    pool = UidPool(workers)
    record_limits = replace(limits, output_kb=max(limits.output_kb, _RECORD_OUTPUT_KB))
    log.info("evalplus: recording %d reference solutions once (cached in %s)", len(todo), path)
    with ThreadPoolExecutor(max_workers=workers) as ex:
        found = list(ex.map(lambda t: _record_one(t, record_limits, pool), todo))
    for task, data in zip(todo, found, strict=True):
        if data:
            _recorded[keys[task.task_id]] = cached["/".join(keys[task.task_id])] = data
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"harness_version": HARNESS_VERSION, "recordings": cached}) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _layout(name: str, family: str, local: str, hub: str, dataset: str, phases: tuple[str, ...],
            instruction: Callable[[Row], str], prefix: Callable[[Row], str], empty: Callable[[Row], str],
            companions: tuple[str, ...]) -> Layout:
    return Layout(
        benchmark=name,
        family=family,
        local_name=local,
        hub=(hub, None, "test"),
        required=_REQUIRED,
        instruction=instruction,
        prefix=prefix,
        solution=lambda row: row["canonical_solution"],
        empty=empty,
        tests=lambda row: Source("", _CHECK, harness_setup(row, dataset, phases)),
        companions=companions,
        before_samples=lambda tasks, counts, limits, workers: record_references(
            tasks, counts, limits, workers, dataset=dataset, phases=phases),
    )


def mbpp_plus_instruction(row: Row) -> str:
    """MBPP's instruction from evalplus's prompt (a docstring: the text, then one assert)."""
    body = row["prompt"].strip().strip('"').strip()
    lines = body.splitlines()
    asserts = [ln.strip() for ln in lines if ln.strip().startswith("assert")]
    text = " ".join(ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("assert"))
    return f"{text}\nYour code should pass these tests:\n" + "\n".join(asserts)


def humaneval_plus(*, base_only: bool = False) -> Layout:
    """HumanEval+ (base and plus inputs), or with ``base_only`` its base inputs alone."""
    return _layout(
        "humaneval-plus-base" if base_only else "humaneval-plus", "humaneval-plus",
        "evalplus/HumanEvalPlus.jsonl.gz", "evalplus/humanevalplus", "humaneval",
        ("base",) if base_only else ("base", "plus"),
        instruction=lambda row: row["prompt"].rstrip(),
        prefix=lambda row: row["prompt"],
        empty=lambda row: row["prompt"] + "    pass\n",
        companions=() if base_only else ("humaneval-plus-base",),
    )


def mbpp_plus(*, base_only: bool = False) -> Layout:
    """MBPP+ (base and plus inputs), or with ``base_only`` its base inputs alone."""
    return _layout(
        "mbpp-plus-base" if base_only else "mbpp-plus", "mbpp-plus",
        "evalplus/MbppPlus.jsonl.gz", "evalplus/mbppplus", "mbpp",
        ("base",) if base_only else ("base", "plus"),
        instruction=mbpp_plus_instruction,
        prefix=lambda row: "",
        empty=lambda row: f"def {row['entry_point']}(*args, **kwargs):\n    pass\n",
        companions=() if base_only else ("mbpp-plus-base",),
    )


def layouts() -> tuple[Layout, ...]:
    """The four evalplus layouts Python declares."""
    return (humaneval_plus(), humaneval_plus(base_only=True), mbpp_plus(), mbpp_plus(base_only=True))
