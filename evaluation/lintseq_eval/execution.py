"""Run many samples in parallel, one sandbox each, and collect per-sample results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace

from lintseq_eval.benchmarks import Task
from lintseq_eval.errors import EvalError
from lintseq_eval.executors import Status, check_toolchain, execute
from lintseq_eval.sandbox import Limits, UidPool, default_workers
from lintseq_eval.time_limits import TimeLimits

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


def evaluate_samples(
    tasks: Mapping[str, Task],
    samples: Sequence[Sample],
    *,
    limits: Limits | None = None,
    workers: int | None = None,
    progress: bool = False,
    time_limits: TimeLimits | None = None,
) -> list[SampleResult]:
    """Execute every sample against its task's tests; results keep the order of ``samples``.

    With ``time_limits`` the run stage of each task gets its calibrated limit instead of
    ``limits.run_timeout_s`` (see :mod:`lintseq_eval.time_limits`).
    """
    limits = limits or Limits()
    workers = workers or default_workers()
    unknown = sorted({s.task_id for s in samples} - tasks.keys())
    if unknown:
        raise EvalError(f"{len(unknown)} sample(s) name unknown task ids, e.g. {unknown[:3]}: wrong --benchmark?")
    for lang in sorted({tasks[s.task_id].language for s in samples}):
        check_toolchain(lang)  # one clear error up front instead of one per sample
    pool = UidPool(workers)

    def run(sample: Sample) -> SampleResult:
        lim = limits if time_limits is None else replace(limits, run_timeout_s=time_limits.limit(sample.task_id))
        uid = pool.acquire()
        try:
            out = execute(tasks[sample.task_id], sample.program, limits=lim, uid=uid)
        finally:
            pool.release(uid)
        reason = out.reason
        if time_limits is not None and out.status is Status.TIMEOUT and reason.startswith("run exceeded"):
            reason += f" ({time_limits.describe(sample.task_id)})"
        return SampleResult(
            sample.task_id, sample.index, out.status, reason, out.wall_s, sample.n_edits,
            sample.generated_tokens, sample.note, sample.completion, sample.program,
        )

    with ThreadPoolExecutor(max_workers=workers) as ex:
        it = ex.map(run, samples)
        if progress:
            from tqdm import tqdm

            it = tqdm(it, total=len(samples), desc="executing", unit="sample", file=None)
        return list(it)
