"""The harness's self-check: reference solutions pass, empty functions fail.

Full HumanEval and MBPP (Python is fast); for HumanEval-X a representative subset per
language, including the tasks that need extra packages (md5, rand, regex, testify). The
full HumanEval-X runs are in ``benchmarks/bench_execution.py`` (figures in the README).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lintseq_eval.benchmarks import Task, load_benchmark
from lintseq_eval.execution import Sample, SampleResult, evaluate_samples
from lintseq_eval.executors import Status
from lintseq_eval.programs import canonical_program, empty_program
from lintseq_eval.sandbox import Limits

SUBSETS = {
    "cpp": [0, 69, 162],
    "go": [0, 38, 53, 95, 162],
    "java": [0, 69, 162],
    "js": [0, 12, 33, 69, 112, 155, 162],
    "python": [0, 12, 33, 69, 120, 162],
    "rust": [0, 32, 38, 50, 91, 162],
}
PREFIX = {"cpp": "CPP", "go": "Go", "java": "Java", "js": "JavaScript", "python": "Python", "rust": "Rust"}


def _run(
    bench_name: str,
    shared_data: Path,
    make: Callable[[Task], str],
    ids: set[str] | None = None,
    limit: int | None = None,
) -> list[SampleResult]:
    bench = load_benchmark(bench_name, shared_data, limit=limit)
    tasks = [t for t in bench.tasks if ids is None or t.task_id in ids]
    samples = [Sample(t.task_id, 0, "", make(t)) for t in tasks]
    # Correctness, not speed: the slowest references (MBPP/123 sums the amicable numbers below 10,000:
    # ~3 s alone, 14 s on a loaded 2-core machine) must not time out at the 10 s default.
    return evaluate_samples(bench.by_id(), samples, workers=2, limits=Limits(run_timeout_s=60))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["humaneval", "mbpp"])
def test_canonical_passes_everything(name: str, whole_data: Path) -> None:
    results = _run(name, whole_data, canonical_program)
    failed = {r.task_id: r.reason for r in results if not r.passed}
    assert not failed
    assert len(results) == (164 if name == "humaneval" else 500)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "limit"), [("humaneval", 60), ("mbpp", 60)])
def test_empty_functions_score_zero(name: str, limit: int | None, shared_data: Path) -> None:
    results = _run(name, shared_data, empty_program, limit=limit)
    assert results and not [r.task_id for r in results if r.passed]
    assert all(r.status is not Status.ERROR for r in results)


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(SUBSETS))
def test_humaneval_x_subset(lang: str, whole_data: Path) -> None:
    ids = {f"{PREFIX[lang]}/{i}" for i in SUBSETS[lang]}
    canonical = _run(f"humaneval-x-{lang}", whole_data, canonical_program, ids)
    assert len(canonical) == len(ids)
    wrong = {r.task_id: r.reason for r in canonical if not r.passed}
    assert not wrong
    empty = _run(f"humaneval-x-{lang}", whole_data, empty_program, ids)
    assert not [r.task_id for r in empty if r.passed]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "task_id"), [("js", "JavaScript/112"), ("js", "JavaScript/155"), ("go", "Go/95")])
def test_errata_are_needed_and_sufficient(lang: str, task_id: str, shared_data: Path) -> None:
    from lintseq_eval.errata import ERRATA

    bench = load_benchmark(f"humaneval-x-{lang}", shared_data)
    task = bench.by_id()[task_id]
    assert ERRATA[task_id][0] in task.raw["canonical_solution"]  # the upstream text is what we fix
    fixed = canonical_program(task)
    assert fixed != task.raw["prompt"] + task.raw["canonical_solution"]
    # the corrected solution passes every time (Go/95 was order-dependent: run it repeatedly)
    results = evaluate_samples(bench.by_id(), [Sample(task_id, k, "", fixed) for k in range(4)], workers=2)
    assert all(r.passed for r in results), [r.reason for r in results]
    if lang == "js":  # the upstream one fails its own tests
        upstream = task.raw["prompt"] + task.raw["canonical_solution"]
        assert not evaluate_samples(bench.by_id(), [Sample(task_id, 0, "", upstream)], workers=1)[0].passed
