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

__all__ = ["Sample", "SampleResult", "default_workers", "evaluate_samples", "missing_libraries"]


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
    missing: tuple[str, ...] = ()  # MISSING_LIBRARY: the modules the interpreter lacks

    @property
    def passed(self) -> bool:
        return self.status is Status.PASS

    @property
    def scored(self) -> bool:
        """False for a sample never run because its task's libraries are missing or its task needs
        the network (out of pass@k)."""
        return self.status not in (Status.MISSING_LIBRARY, Status.NEEDS_NETWORK)

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["status"] = self.status.value
        d["passed"] = self.passed
        if self.missing:
            d["missing"] = list(self.missing)
        else:
            del d["missing"]
        return d


def evaluate_samples(
    tasks: Mapping[str, Task],
    samples: Sequence[Sample],
    *,
    limits: Limits | None = None,
    workers: int | None = None,
    progress: bool = False,
    time_limits: TimeLimits | None = None,
    needs_network: Mapping[str, str] | None = None,
) -> list[SampleResult]:
    """Execute every sample against its task's tests; results keep the order of ``samples``.

    Samples of tasks whose layout ``requires`` modules the sample interpreter lacks are not
    run: they get :attr:`Status.MISSING_LIBRARY` and the missing modules (one probe per
    interpreter decides, :func:`missing_libraries`); reports leave them out of pass@k.
    With ``time_limits`` the run stage of each task gets its calibrated limit instead of
    ``limits.run_timeout_s`` (see :mod:`lintseq_eval.time_limits`). Samples of the tasks in
    ``needs_network`` (task id -> why, from :func:`lintseq_eval.network.find_network_tasks`)
    are not run either: they get :attr:`Status.NEEDS_NETWORK` with that reason.
    """
    limits = limits or Limits()
    workers = workers or default_workers()
    unknown = sorted({s.task_id for s in samples} - tasks.keys())
    if unknown:
        raise EvalError(f"{len(unknown)} sample(s) name unknown task ids, e.g. {unknown[:3]}: wrong --benchmark?")
    for lang in sorted({tasks[s.task_id].language for s in samples}):
        check_toolchain(lang)  # one clear error up front instead of one per sample
    missing = missing_libraries([tasks[t] for t in dict.fromkeys(s.task_id for s in samples)])
    needs_network = needs_network or {}
    _before_samples(tasks, samples, set(missing) | set(needs_network), limits, workers)
    pool = UidPool(workers)

    def run(sample: Sample) -> SampleResult:
        if sample.task_id in needs_network and sample.task_id not in missing:
            return SampleResult(sample.task_id, sample.index, Status.NEEDS_NETWORK,
                                f"not run: {needs_network[sample.task_id]}", 0.0, sample.n_edits,
                                sample.generated_tokens, sample.note, sample.completion, sample.program)
        if sample.task_id in missing:
            reason = f"not run: {interpreter_of(tasks[sample.task_id])} cannot import {', '.join(missing[sample.task_id])}"
            return SampleResult(sample.task_id, sample.index, Status.MISSING_LIBRARY, reason, 0.0, sample.n_edits,
                                sample.generated_tokens, sample.note, sample.completion, sample.program,
                                missing[sample.task_id])
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


def _before_samples(tasks: Mapping[str, Task], samples: Sequence[Sample], skipped: set[str], limits: Limits,
                    workers: int) -> None:
    """Each benchmark layout's ``before_samples`` hook, once, with its tasks that will run."""
    from lintseq_eval.languages import benchmark_layout

    counts: dict[str, int] = {}
    for s in samples:
        if s.task_id not in skipped:
            counts[s.task_id] = counts.get(s.task_id, 0) + 1
    by_benchmark: dict[str, list[Task]] = {}
    for tid in counts:
        by_benchmark.setdefault(tasks[tid].benchmark, []).append(tasks[tid])
    for name, group in sorted(by_benchmark.items()):
        hook = benchmark_layout(name)[1].before_samples
        if hook is not None:
            hook(group, counts, limits, workers)


def interpreter_of(task: Task) -> str:
    """The interpreter the task's samples run with (its language's ``interpreter``)."""
    from lintseq_eval.languages import get_language

    lang = get_language(task.language)
    return lang.interpreter() if lang.interpreter else lang.name


def missing_libraries(tasks: Sequence[Task]) -> dict[str, tuple[str, ...]]:
    """The modules each task's layout ``requires`` that the sample interpreter lacks, by task id
    (tasks lacking none are left out). One probe per language's interpreter, not one run per sample."""
    from lintseq_eval.languages import benchmark_layout

    needs: dict[str, dict[str, tuple[str, ...]]] = {}  # language -> task id -> modules
    langs = {}
    for task in tasks:
        lang, layout = benchmark_layout(task.benchmark)
        if layout.requires is not None:
            needs.setdefault(lang.name, {})[task.task_id] = layout.requires(task.raw)
            langs[lang.name] = lang
    out: dict[str, tuple[str, ...]] = {}
    for name, by_task in needs.items():
        if not any(by_task.values()):
            continue
        probe = langs[name].missing_modules
        if probe is None:
            raise EvalError(f"benchmarks in {name} declare the libraries they need, but the {name} "
                            "executor cannot tell which are installed (EvalLanguage.missing_modules)")
        out.update(probe(by_task))
    return out
