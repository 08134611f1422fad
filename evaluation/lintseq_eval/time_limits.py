"""Per-task time limits derived from the reference solution's run time (evalplus-style).

evalplus (Liu et al., NeurIPS 2023) kills a sample after ``max(min_time_limit,
gt_time_limit_factor * t_ref)``, ``t_ref`` being the ground truth's measured time
(defaults 1 s and 4.0). Here the unit is the whole *run* stage of a sample (one process
running every test, interpreter or JVM start-up included), not one test input in a warm
worker, so the floor defaults to 2 s to absorb start-up jitter on a loaded machine; the
factor is evalplus's 4.0, and the fixed run timeout (``--timeout``) stays the cap. Build
stages keep their own compile timeout.

Calibration runs each task's canonical program once, in parallel, in the same sandbox and
executor as the samples, and caches the run-stage times in
``$LINTSEQ_CACHE/time-limits/`` (default ``~/.cache/lintseq``) under a key made of the
dataset fingerprint, language, sandbox backend, host and :data:`HARNESS_VERSION`, so other
data, another backend or a changed harness never reuse them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lintseq_eval.benchmarks import Benchmark, Task
from lintseq_eval.errors import EvalError
from lintseq_eval.executors import Status, check_toolchain, prepare, run_prepared, verdict
from lintseq_eval.sandbox import Limits, UidPool, backend_name, default_workers

__all__ = [
    "DEFAULT_FACTOR",
    "DEFAULT_MIN_S",
    "HARNESS_VERSION",
    "TimeLimits",
    "cache_path",
    "cache_root",
    "calibrate",
    "task_time_limit",
]

HARNESS_VERSION = 1  # bump when executors change what the run stage does
DEFAULT_FACTOR = 4.0  # evalplus's gt_time_limit_factor
DEFAULT_MIN_S = 2.0  # evalplus's min_time_limit is 1 s per test input; ours also covers start-up

log = logging.getLogger(__name__)


def task_time_limit(reference_s: float | None, factor: float, min_s: float, max_s: float) -> float:
    """``min(max_s, max(min_s, factor * reference_s))``; ``max_s`` without a reference or factor."""
    if reference_s is None or factor <= 0:
        return max_s
    return min(max_s, max(min_s, factor * reference_s))


@dataclass(frozen=True)
class TimeLimits:
    """The run-stage limit of each task, with the reference times it came from."""

    factor: float
    min_s: float
    max_s: float
    reference_s: Mapping[str, float | None]
    cache_file: str = ""

    def limit(self, task_id: str) -> float:
        return task_time_limit(self.reference_s.get(task_id), self.factor, self.min_s, self.max_s)

    def describe(self, task_id: str) -> str:
        ref = self.reference_s.get(task_id)
        if ref is None:
            return f"per-task limit {self.max_s:g}s (no reference time: fixed --timeout)"
        return (f"per-task limit {self.limit(task_id):.2f}s = max({self.min_s:g}s, {self.factor:g} x "
                f"{ref:.3f}s reference), capped at {self.max_s:g}s")

    def to_json(self) -> dict[str, object]:
        return {
            "calibrated": True, "factor": self.factor, "min_s": self.min_s, "max_s": self.max_s,
            "harness_version": HARNESS_VERSION, "cache_file": self.cache_file,
            "per_task": {tid: {"reference_s": ref, "limit_s": round(self.limit(tid), 3)}
                         for tid, ref in self.reference_s.items()},
        }


def cache_path(bench: Benchmark) -> Path:
    """Cache file of ``bench``'s reference times on this backend, host and harness version."""
    key = {"fingerprint": bench.fingerprint, "language": bench.language, "backend": backend_name(),
           "host": platform.node(), "harness_version": HARNESS_VERSION}
    from lintseq_eval.languages import get_language

    lang = get_language(bench.language)
    if lang.interpreter is not None:  # --python: other libraries, other times
        key["interpreter"] = os.path.abspath(lang.interpreter())  # not realpath: a venv links its base
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:24]
    return cache_root() / "time-limits" / f"{bench.name}-{digest}.json"


def cache_root() -> Path:
    """Where evaluation caches what it measured (time limits, network probe, evalplus
    recordings): ``$LINTSEQ_CACHE``, default ``~/.cache/lintseq``."""
    root = os.environ.get("LINTSEQ_CACHE")
    return Path(root) if root else Path.home() / ".cache" / "lintseq"


def _read_cache(path: Path, bench: Benchmark) -> dict[str, float | None] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, json.JSONDecodeError) as exc:
        log.warning("ignoring unreadable time-limit cache %s (%s); recalibrating", path, exc)
        return None
    data = data if isinstance(data, dict) else {}
    refs = data.get("reference_s")
    if data.get("fingerprint") != bench.fingerprint or not isinstance(refs, dict) \
            or set(refs) != {t.task_id for t in bench.tasks}:
        log.warning("time-limit cache %s does not match the dataset; recalibrating", path)
        return None
    return {str(k): (None if v is None else float(v)) for k, v in refs.items()}


def _reference_time(task: Task, limits: Limits, pool: UidPool) -> float | None:
    """Run-stage seconds of the canonical program, or None if it does not pass."""
    from lintseq_eval.programs import canonical_program

    prep = prepare(task, canonical_program(task), limits)
    result = run_prepared(prep, limits, pool=pool)
    out = verdict(result, prep)
    run = result.stage(prep.stages[-1].name)
    if out.status is not Status.PASS or run is None:
        log.warning("%s: reference solution gave %s (%s); its limit stays at --timeout",
                    task.task_id, out.status.value, out.reason[:200])
        return None
    return round(run.elapsed_s, 4)


def calibrate(
    bench: Benchmark,
    limits: Limits,
    *,
    factor: float = DEFAULT_FACTOR,
    min_s: float = DEFAULT_MIN_S,
    workers: int | None = None,
    refresh: bool = False,
) -> TimeLimits:
    """Reference times of ``bench`` (cached, or measured now) turned into per-task limits."""
    if factor < 0 or min_s <= 0:
        raise EvalError(f"--time-limit-factor must be >= 0 and --min-time-limit > 0 (got {factor}, {min_s})")
    path = cache_path(bench)
    refs = None if refresh else _read_cache(path, bench)
    if refs is None:
        check_toolchain(bench.language)
        workers = workers or default_workers()
        pool = UidPool(workers)
        log.info("calibrating time limits: %d reference solutions", len(bench.tasks))
        with ThreadPoolExecutor(max_workers=workers) as ex:
            times = list(ex.map(lambda t: _reference_time(t, limits, pool), bench.tasks))
        refs = {t.task_id: s for t, s in zip(bench.tasks, times, strict=True)}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"fingerprint": bench.fingerprint, "language": bench.language,
                                   "backend": backend_name(), "harness_version": HARNESS_VERSION,
                                   "reference_s": refs}, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    return TimeLimits(factor, min_s, limits.run_timeout_s, refs, str(path))
