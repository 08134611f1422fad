"""Run many samples in parallel, one sandbox each, and collect per-sample results."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

from lintseq_eval.benchmarks import Task
from lintseq_eval.errors import EvalError
from lintseq_eval.executors import Status, check_toolchain, execute
from lintseq_eval.sandbox import Limits, UidPool

__all__ = ["Sample", "SampleResult", "default_workers", "evaluate_samples"]


@dataclass(frozen=True)
class Sample:
    """One completion for one task, with the program resolved from it."""

    task_id: str
    index: int
    completion: str
    program: str
    n_edits: int = 0
    generated_tokens: int = 0
    note: str = ""


@dataclass(frozen=True)
class SampleResult:
    task_id: str
    index: int
    status: Status
    reason: str
    wall_s: float
    n_edits: int
    generated_tokens: int
    note: str
    completion: str
    program: str

    @property
    def passed(self) -> bool:
        return self.status is Status.PASS

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["status"] = self.status.value
        d["passed"] = self.passed
        return d


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)))


def evaluate_samples(
    tasks: Mapping[str, Task],
    samples: Sequence[Sample],
    *,
    limits: Limits | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> list[SampleResult]:
    """Execute every sample against its task's tests; results keep the order of ``samples``."""
    limits = limits or Limits()
    workers = workers or default_workers()
    unknown = sorted({s.task_id for s in samples} - tasks.keys())
    if unknown:
        raise EvalError(f"{len(unknown)} sample(s) name unknown task ids, e.g. {unknown[:3]}: wrong --benchmark?")
    for lang in sorted({tasks[s.task_id].language for s in samples}):
        check_toolchain(lang)  # one clear error up front instead of one per sample
    pool = UidPool(workers)

    def run(sample: Sample) -> SampleResult:
        uid = pool.acquire()
        try:
            out = execute(tasks[sample.task_id], sample.program, limits=limits, uid=uid)
        finally:
            pool.release(uid)
        return SampleResult(
            sample.task_id, sample.index, out.status, out.reason, out.wall_s, sample.n_edits,
            sample.generated_tokens, sample.note, sample.completion, sample.program,
        )

    with ThreadPoolExecutor(max_workers=workers) as ex:
        it = ex.map(run, samples)
        if progress:
            from tqdm import tqdm

            it = tqdm(it, total=len(samples), desc="executing", unit="sample", file=None)
        return list(it)
