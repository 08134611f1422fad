"""The text ``lintseq-experiment plan`` prints: one line per stage, then totals per kind."""

from __future__ import annotations

from collections.abc import Mapping

from lintseq_experiment.estimate import StageEstimate
from lintseq_experiment.plan import Plan
from lintseq_experiment.stages import Stage

__all__ = ["grid_table", "human"]


def human(value: float | None, unit: str = "") -> str:
    """3 significant digits with a k/M/G/T suffix; '-' for None."""
    if value is None:
        return "-"
    for factor, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{value / factor:.3g}{suffix}{unit}"
    return f"{value:.3g}{unit}"


def grid_table(plan: Plan, stages: list[Stage], est: Mapping[str, StageEstimate]) -> str:
    """Every stage with programs, rows, steps, tokens, samples, disk and GPU-hours, and totals."""
    head = ("stage", "key", "programs", "rows", "steps", "tokens", "samples", "disk", "GPU-h", "note")
    rows = []
    for s in stages:
        e = est[s.id]
        rows.append((s.id, s.key[:10], human(e.programs), human(e.rows), human(e.steps), human(e.tokens),
                     human(e.samples), human(e.disk_bytes or None, "B"), f"{e.gpu_hours:.3g}" if e.gpu_hours else "-",
                     e.note))
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = [f"plan {plan.name}: {plan.description}".rstrip(),
             f"languages {', '.join(lang.name for lang in plan.languages)}; arms "
             f"{', '.join(f'{a.name} ({a.kind})' for a in plan.arms)}; models {', '.join(m.name for m in plan.models)}; "
             f"seeds {', '.join(map(str, plan.seeds))}",
             "matched compute: every arm of a language trains on the programs all its arms kept, for the "
             "same optimizer steps" + (f" ({plan.max_steps})" if plan.max_steps else " (epochs counted in programs)"),
             ""]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines += [fmt.format(*head).rstrip(), fmt.format(*("-" * w for w in widths)).rstrip()]
    lines += [fmt.format(*r).rstrip() for r in rows]
    lines.append("")
    kinds: dict[str, list[StageEstimate]] = {}
    for s in stages:
        kinds.setdefault(s.kind, []).append(est[s.id])
    for kind, items in kinds.items():
        steps = sum(e.steps or 0 for e in items)
        tokens = sum(e.tokens or 0 for e in items)
        samples = sum(e.samples or 0 for e in items)
        parts = [f"{len(items)} {kind} stage(s)"]
        if steps:
            parts.append(f"{human(steps)} optimizer steps")
        if tokens:
            parts.append(f"{human(tokens)} tokens")
        if samples:
            parts.append(f"{human(samples)} samples")
        lines.append(", ".join(parts))
    disk = sum(e.disk_bytes for e in est.values())
    hours = sum(e.gpu_hours for e in est.values())
    lines.append(f"total: {len(stages)} stages, disk ~{human(disk, 'B')}, ~{hours:.3g} GPU-hours "
                 f"(at {human(float(plan.estimates.get('gpu_flops', 3e14)))}FLOP/s sustained per GPU; "
                 "tokens per example assumed: estimates.tokens_per_example)")
    return "\n".join(lines)
