"""What a grid costs before it runs: programs, rows, tokens, optimizer steps, samples, disk, GPU-hours.

Counts come from the data where it is local (rows of a local source file), else from the plan's
``programs`` hint; tokens per example and the sustained GPU throughput are the plan's
``estimates`` (marked as assumptions in the output). FLOPs follow the usual 6·N·D for
training and 2·N per generated or prompt token for sampling; GPU-hours divide them by
``estimates.gpu_flops`` (sustained FLOP/s of one GPU, default 3e14: an H100 at ~30% of its dense
bf16 peak). Disk counts kept checkpoints (weights + AdamW states) and the final model.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lintseq_experiment.plan import Language, Plan
from lintseq_experiment.stages import Stage

__all__ = ["BENCHMARK_TASKS", "StageEstimate", "estimate"]

#: tasks per benchmark (the published test sets); suites and unknown names fall back to 164
BENCHMARK_TASKS = {
    "humaneval": 164, "humaneval-plus": 164, "humaneval-plus-base": 164, "mbpp": 500,
    "mbpp-sanitized": 257, "mbpp-plus": 378, "mbpp-plus-base": 378,
    **{f"humaneval-x-{lang}": 164 for lang in ("cpp", "go", "java", "js", "javascript", "python", "rust")},
    **{f"multipl-e-humaneval-{lang}": 161 for lang in ("cpp", "go", "java", "js", "lua", "rb", "rs", "ts")},
    **{f"multipl-e-mbpp-{lang}": 397 for lang in ("cpp", "go", "java", "js", "lua", "rb", "rs", "ts")},
}
_PROMPT_TOKENS = 150
_OPTIMIZER_BYTES = 12  # AdamW: fp32 master weights + two moments per parameter


@dataclass(frozen=True)
class StageEstimate:
    """Compute implied by one stage; None where it does not apply."""

    programs: int | None = None
    rows: int | None = None
    steps: int | None = None
    tokens: float | None = None
    samples: int | None = None
    disk_bytes: float = 0.0
    gpu_hours: float = 0.0
    note: str = ""


def _count_programs(plan: Plan, lang: Language) -> tuple[int | None, str]:
    source = plan.sources[lang.source]
    path = plan.source_path(source)
    if path is not None and path.is_file() and path.suffix in (".jsonl", ".json") and path.stat().st_size < 200 << 20:
        from lintseq_core.jsonrows import read_rows

        rows = read_rows(path)
        if source.language_field:
            rows = [r for r in rows if str(r.get(source.language_field, "")).lower() == lang.source_value.lower()]
        n = len(rows)
        how = "counted"
    elif lang.programs_hint is not None:
        n, how = lang.programs_hint, "assumed (languages.*.programs)"
    else:
        return lang.max_programs, "unknown: set languages.*.programs" if lang.max_programs is None else "cap"
    if lang.max_programs is not None and lang.max_programs < n:
        return lang.max_programs, "max_programs"
    return n, how


def estimate(plan: Plan, stages: list[Stage]) -> dict[str, StageEstimate]:
    """A :class:`StageEstimate` for every stage id."""
    est = plan.estimates
    gpu_flops = float(est.get("gpu_flops", 3.0e14))
    per_example: Mapping[str, Any] = est.get("tokens_per_example", {"editseq": 400, "baseline": 300})
    programs = {lang.name: _count_programs(plan, lang) for lang in plan.languages}
    params = {m.name: m.params for m in plan.models}
    steps_of: dict[str, int | None] = {}
    out: dict[str, StageEstimate] = {}
    for stage in stages:
        cell = stage.cell
        n, how = programs.get(cell.get("language"), (None, ""))
        if stage.kind == "prepare":
            out[stage.id] = StageEstimate(programs=n, note=how)
        elif stage.kind == "convert":
            rows = None if n is None else n * plan.samples_per_program
            out[stage.id] = StageEstimate(programs=n, rows=rows, disk_bytes=(rows or 0) * 4000.0)
        elif stage.kind == "train":
            out[stage.id] = _train(stage, n, params[cell["model"]], per_example, gpu_flops)
            steps_of[stage.id] = out[stage.id].steps
        elif stage.kind == "eval":
            tasks = BENCHMARK_TASKS.get(stage.settings["benchmark"], 164)
            if plan.eval.limit is not None:
                tasks = min(tasks, plan.eval.limit)
            samples = tasks * plan.eval.n
            p = params[cell["model"]]
            tokens = samples * (plan.eval.max_new_tokens + _PROMPT_TOKENS)
            hours = 0.0 if p is None else 2 * p * tokens / gpu_flops / 3600
            out[stage.id] = StageEstimate(samples=samples, tokens=float(tokens), gpu_hours=hours,
                                          note="" if p else "set models.*.params for GPU-hours")
        else:
            out[stage.id] = StageEstimate()
    return out


def _train(stage: Stage, programs: int | None, params: float | None, per_example: Mapping[str, Any],
           gpu_flops: float) -> StageEstimate:
    cfg = stage.settings["config"]
    if cfg.get("max_steps") is not None:
        steps: int | None = int(cfg["max_steps"])
    elif programs is None:
        steps = None
    else:
        steps = max(1, math.ceil(programs * cfg["num_train_epochs"] / cfg["global_batch_size"]))
    tokens = None if steps is None else float(steps * cfg["global_batch_size"] * int(per_example.get(cfg["format"], 400)))
    hours = 0.0 if params is None or tokens is None else 6 * params * tokens / gpu_flops / 3600
    weight_bytes = 2 if cfg["precision"] in ("bf16", "fp16") else 4
    if cfg["save_strategy"] == "no":
        saves = 0
    elif cfg["save_strategy"] == "epoch":
        saves = math.ceil(cfg["num_train_epochs"])
    else:
        saves = 0 if steps is None else steps // cfg["save_steps"]
    kept = saves if cfg.get("save_total_limit") is None else min(saves, cfg["save_total_limit"])
    disk = 0.0 if params is None else params * (kept * (weight_bytes + _OPTIMIZER_BYTES) + weight_bytes)
    note = "" if params else "set models.*.params for disk and GPU-hours"
    if cfg.get("save_total_limit") is None and saves > 2:
        note = f"no save_total_limit: keeps all {saves} checkpoints"
    return StageEstimate(programs=programs, steps=steps, tokens=tokens, disk_bytes=disk, gpu_hours=hours, note=note)
