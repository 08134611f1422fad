"""The comparison of a run: Markdown, CSV, PNG plots and one self-contained HTML page.

Per language, model and benchmark: pass@k of every arm with a bootstrap interval over tasks
(per-task pass@k averaged over seeds first), the paired per-task difference of every arm
against the reference arm with its interval and the sign-flip test, pass@k against k and
against test-time FLOPs, and next to them the data statistics (programs kept, edits per
program, rejections) and the optimizer steps each arm took (the matched-compute check).
"""

from __future__ import annotations

import base64
import csv
import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lintseq_experiment.errors import ExperimentError
from lintseq_experiment.stage_exec import DONE
from lintseq_experiment.stats import bootstrap_mean, paired_compare, per_task_pass_at_k

__all__ = ["Group", "collect", "write_report"]


@dataclass
class Group:
    """The evaluations of one arm on one (language, model, benchmark): one summary per seed."""

    language: str
    model: str
    benchmark: str
    arm: str
    summaries: dict[int, dict[str, Any]]

    def task_pass(self, k: int) -> dict[str, float]:
        """Per-task pass@k averaged over the seeds (tasks every seed scored)."""
        per_seed = [per_task_pass_at_k(s["per_task"], k) for s in self.summaries.values()]
        tasks = set.intersection(*(set(p) for p in per_seed))
        return {t: sum(p[t] for p in per_seed) / len(per_seed) for t in sorted(tasks)}

    def max_k(self) -> int:
        return min(int(v["n"]) for s in self.summaries.values() for v in s["per_task"].values())

    def flops_at_k(self, k: int) -> float | None:
        values = [s.get("flops_at_k", {}).get(str(k)) for s in self.summaries.values()]
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def collect(run_dir: Path) -> tuple[dict[str, Any], list[Group], dict[str, Any], dict[str, Any]]:
    """Plan, evaluation groups, per-language data statistics and per-train-stage results of a run."""
    if not (run_dir / "grid.json").is_file():
        raise ExperimentError(f"{run_dir} is not a run folder (no grid.json)")
    plan = _load(run_dir / "plan.json")
    groups: dict[tuple[str, str, str, str], Group] = {}
    data: dict[str, Any] = {}
    trains: dict[str, Any] = {}
    for entry in _load(run_dir / "grid.json"):
        folder = run_dir / entry["folder"]
        if not (folder / DONE).is_file():
            continue
        cell = entry["cell"]
        if entry["kind"] == "eval":
            key = (cell["language"], cell["model"], cell["benchmark"], cell["arm"])
            group = groups.setdefault(key, Group(*key, summaries={}))
            group.summaries[int(cell["seed"])] = _load(folder / "out" / "summary.json")
        elif entry["kind"] == "select":
            data[cell["language"]] = _load(folder / "out" / "select.json")
        elif entry["kind"] == "train":
            info = _load(folder / "out" / "lintseq_train.json")
            trains[entry["id"]] = {"cell": cell, "steps": info["result"]["global_step"],
                                   "programs": info["result"]["data"]["programs"],
                                   "examples": info["result"]["data"]["examples"],
                                   "tokens": info["result"].get("input_tokens_seen")}
    if not groups:
        raise ExperimentError(f"{run_dir} has no finished evaluation yet; see lintseq-experiment status {run_dir}")
    return plan, list(groups.values()), data, trains


def _fmt(v: float) -> str:
    return f"{100 * v:.1f}"


def write_report(run_dir: Path, output: Path | None = None) -> dict[str, Path]:
    """Write report.md, pass_at_k.csv, paired.csv, data.csv, plots and report.html; return their paths."""
    run_dir = run_dir.resolve()
    out = (output or run_dir / "report").resolve()
    out.mkdir(parents=True, exist_ok=True)
    plan, groups, data, trains = collect(run_dir)
    settings = plan["raw"].get("report") or {}
    resamples = int(settings.get("bootstrap", 1000))
    confidence = float(settings.get("confidence", 0.95))
    seed = int(settings.get("seed", 0))
    arms_order = list((plan["raw"].get("arms") or {}).keys())
    reference = settings.get("reference_arm") or ("baseline" if "baseline" in arms_order else arms_order[0])
    ks_plan = (plan["raw"].get("eval") or {}).get("ks")

    by_cell: dict[tuple[str, str, str], dict[str, Group]] = {}
    for g in groups:
        by_cell.setdefault((g.language, g.model, g.benchmark), {})[g.arm] = g
    pass_rows: list[dict[str, Any]] = []
    paired_rows: list[dict[str, Any]] = []
    md = [f"# Experiment report: {plan['name']}", "",
          f"Run folder: `{run_dir}`. pass@k in %, with {int(confidence * 100)}% percentile-bootstrap intervals "
          f"over tasks ({resamples} resamples, seed {seed}); per-task pass@k is averaged over seeds first. "
          f"Paired differences are arm minus `{reference}` on the tasks both were scored on, with the two-sided "
          "paired sign-flip test (exact up to 16 non-zero differences, else 100k seeded sign patterns).", ""]
    md += _compute_section(plan, data, trains)
    plots: list[Path] = []
    for (language, model, benchmark), arms in sorted(by_cell.items()):
        names = [a for a in arms_order if a in arms] + sorted(set(arms) - set(arms_order))
        max_k = min(g.max_k() for g in arms.values())
        ks = [k for k in (ks_plan or [1, 5, 10, 100]) if k <= max_k] or [1]
        md += [f"## {language} · {model} · {benchmark}", "",
               "| arm | seeds | tasks | " + " | ".join(f"pass@{k} [CI]" for k in ks) + " |",
               "|---|---|---|" + "---|" * len(ks)]
        curves: dict[str, list[tuple[int, float, float, float, float | None]]] = {}
        for arm in names:
            g = arms[arm]
            cells = []
            for k in ks:
                ci = bootstrap_mean(list(g.task_pass(k).values()), resamples=resamples, confidence=confidence, seed=seed)
                cells.append(f"{_fmt(ci.mean)} [{_fmt(ci.low)}, {_fmt(ci.high)}]")
                curves.setdefault(arm, []).append((k, ci.mean, ci.low, ci.high, g.flops_at_k(k)))
                pass_rows.append({"language": language, "model": model, "benchmark": benchmark, "arm": arm, "k": k,
                                  "pass_at_k": ci.mean, "ci_low": ci.low, "ci_high": ci.high, "tasks": ci.tasks,
                                  "seeds": len(g.summaries), "flops_per_task_at_k": g.flops_at_k(k)})
            md.append(f"| {arm} | {len(g.summaries)} | {len(g.task_pass(1))} | " + " | ".join(cells) + " |")
        md.append("")
        if reference in arms and len(arms) > 1:
            md += [f"Paired difference vs `{reference}` (percentage points):", "",
                   "| arm | k | mean diff [CI] | p (sign-flip) | wins/losses/ties |", "|---|---|---|---|---|"]
            for arm in names:
                if arm == reference:
                    continue
                for k in ks:
                    r = paired_compare(arms[arm].task_pass(k), arms[reference].task_pass(k), resamples=resamples,
                                       confidence=confidence, seed=seed)
                    md.append(f"| {arm} | {k} | {_fmt(r.diff.mean)} [{_fmt(r.diff.low)}, {_fmt(r.diff.high)}] | "
                              f"{r.p_value:.3g}{'' if r.exact else ' (MC)'} | {r.wins}/{r.losses}/{r.ties} |")
                    paired_rows.append({"language": language, "model": model, "benchmark": benchmark, "arm": arm,
                                        "reference": reference, "k": k, "mean_diff": r.diff.mean, "ci_low": r.diff.low,
                                        "ci_high": r.diff.high, "p_value": r.p_value, "exact": r.exact,
                                        "wins": r.wins, "losses": r.losses, "ties": r.ties, "tasks": r.diff.tasks})
            md.append("")
        plot = _plot(out, f"{language}-{model}-{benchmark}", f"{language} · {model} · {benchmark}", curves)
        if plot is not None:
            plots.append(plot)
            md += [f"![pass@k]({plot.name})", ""]
    paths = {"markdown": out / "report.md", "pass_at_k_csv": out / "pass_at_k.csv",
             "paired_csv": out / "paired.csv", "data_csv": out / "data.csv", "html": out / "report.html"}
    paths["markdown"].write_text("\n".join(md) + "\n", encoding="utf-8")
    _csv(paths["pass_at_k_csv"], pass_rows)
    _csv(paths["paired_csv"], paired_rows)
    _csv(paths["data_csv"], _data_rows(data, trains))
    paths["html"].write_text(_html(plan["name"], md, plots), encoding="utf-8")
    for i, p in enumerate(plots):
        paths[f"plot_{i}"] = p
    return paths


def _compute_section(plan: Mapping[str, Any], data: Mapping[str, Any], trains: Mapping[str, Any]) -> list[str]:
    md = ["## Data and matched compute", "",
          "The paper's rule: the arms of one language train on the same programs for the same number of "
          "optimizer steps. Each language's programs below are those every arm's conversion kept.", "",
          "| language | arm | programs | training rows | edits/program (mean) | lines/edit (mean) | rejected by convert | steps | tokens seen |",
          "|---|---|---|---|---|---|---|---|---|"]
    for language, info in sorted(data.items()):
        steps_by_arm: dict[str, set[int]] = {}
        for t in trains.values():
            if t["cell"]["language"] == language:
                steps_by_arm.setdefault(t["cell"]["arm"], set()).add(int(t["steps"]))
        for arm, counts in info["arms"].items():
            conv = info.get("convert_counts", {}).get(counts["data_from"], {})
            edits = conv.get("edits_per_program", {}).get("mean")
            lines = conv.get("lines_per_edit", {}).get("mean")
            whole = counts["data_from"] != arm
            edits_text = "whole program" if whole else ("-" if edits is None else f"{edits:.2f}")
            lines_text = "-" if whole or lines is None else f"{lines:.2f}"
            tokens = [t["tokens"] for t in trains.values()
                      if t["cell"]["language"] == language and t["cell"]["arm"] == arm and t["tokens"]]
            md.append(f"| {language} | {arm} | {counts['programs']} | {counts['rows']} | {edits_text} | {lines_text} | "
                      f"{conv.get('rejected', '-')} | {', '.join(map(str, sorted(steps_by_arm.get(arm, [])))) or '-'} | "
                      f"{', '.join(map(str, tokens)) or '-'} |")
        all_steps = set().union(*steps_by_arm.values()) if steps_by_arm else set()
        programs = {c["programs"] for c in info["arms"].values()}
        if len(all_steps) == 1 and len(programs) == 1:
            md.append(f"| {language} | **matched** | {programs.pop()} programs | | | | | {all_steps.pop()} steps, every arm | |")
        else:
            md.append(f"| {language} | **NOT matched** | {sorted(programs)} | | | | | {sorted(all_steps)} | |")
    return [*md, ""]


def _data_rows(data: Mapping[str, Any], trains: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for t in trains.values():
        c = t["cell"]
        info = data.get(c["language"], {})
        arm = info.get("arms", {}).get(c["arm"], {})
        conv = info.get("convert_counts", {}).get(arm.get("data_from"), {})
        rows.append({"language": c["language"], "arm": c["arm"], "model": c["model"], "seed": c["seed"],
                     "programs": arm.get("programs"), "rows": arm.get("rows"), "data_from": arm.get("data_from"),
                     "edits_per_program_mean": conv.get("edits_per_program", {}).get("mean"),
                     "lines_per_edit_mean": conv.get("lines_per_edit", {}).get("mean"),
                     "converted": conv.get("converted"), "rejected": conv.get("rejected"),
                     "steps": t["steps"], "tokens_seen": t["tokens"]})
    return rows


def _csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        if not rows:
            return
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _plot(out: Path, stem: str, title: str, curves: Mapping[str, list[tuple[int, float, float, float, float | None]]]) -> Path | None:
    """pass@k vs k and vs test-time FLOPs per task, one line per arm with its interval."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for arm, points in curves.items():
        ks = [p[0] for p in points]
        mean = [100 * p[1] for p in points]
        err = [[100 * (p[1] - p[2]) for p in points], [100 * (p[3] - p[1]) for p in points]]
        left.errorbar(ks, mean, yerr=err, marker="o", capsize=3, label=arm)
        flops = [p[4] for p in points]
        if all(f is not None for f in flops):
            right.errorbar(flops, mean, yerr=err, marker="o", capsize=3, label=arm)
    left.set(xlabel="k (samples per task)", ylabel="pass@k (%)", title=title)
    left.set_xscale("log")
    right.set(xlabel="test-time FLOPs per task", ylabel="pass@k (%)", title="pass@k vs sampling compute")
    right.set_xscale("log")
    for ax in (left, right):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    path = out / f"{stem}.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _html(name: str, md: list[str], plots: list[Path]) -> str:
    """One page: the Markdown tables as HTML tables, plots embedded as data URIs."""
    images = {p.name: base64.b64encode(p.read_bytes()).decode() for p in plots}
    body: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        if not table:
            return
        head, *rest = table
        body.append("<table><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head) + "</tr>")
        body.extend("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rest)
        body.append("</table>")
        table.clear()

    for line in md:
        if line.startswith("|"):
            cells = [c.strip().strip("*") for c in line.strip("|").split("|")]
            if not all(set(c) <= {"-"} for c in cells):
                table.append(cells)
            continue
        flush()
        if line.startswith("## "):
            body.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("# "):
            body.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("![") and "(" in line:
            src = line[line.index("(") + 1:-1]
            if src in images:
                body.append(f'<img alt="{html.escape(src)}" src="data:image/png;base64,{images[src]}">')
        elif line:
            body.append(f"<p>{html.escape(line)}</p>")
    flush()
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse;"
             "margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}img{max-width:100%}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(name)}</title>"
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n")
