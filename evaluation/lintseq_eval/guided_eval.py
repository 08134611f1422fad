"""``lintseq-eval --guided``: guided and unguided samples of the same prompts and seeds.

With ``--guided`` every (task, sample) pair is generated twice through the same loop
(:func:`lintseq_eval.guided.guide_edits`), with the same per-try seeds: once guided (the
samples the report scores) and once observed only (``enforce=False``: each edit is analyzed
and kept whatever it does, which is plain sampling plus the analyzer's verdicts). Since the
first try of every edit has the same seed in both, the two agree up to the first rejected
edit. The unguided samples are executed too, and ``summary.json`` gets a ``guided`` block:

* ``pass_at_k`` of both at equal samples;
* ``pass_at_equal_tokens``: for each guided pass@k, the unguided pass@k' where
  k' = k x (guided tokens per sample / unguided tokens per sample), read off the unguided
  pass@k curve with linear interpolation (``null`` when k' exceeds the samples drawn):
  what the same generated tokens (FLOPs: 2 x parameters x tokens) buy without guidance;
* per-run totals: edits generated / rejected, clean states, forced edits, extra tokens,
  analyzer calls, tokens per second, stop reasons.

Each row of ``samples.jsonl`` gets a ``guide`` object (:meth:`GuidedResult.to_json`); the
unguided rows go to ``samples.unguided.jsonl``.
"""

from __future__ import annotations

import argparse
import collections
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lintseq_eval.errors import EvalError
from lintseq_eval.generation import Completion, GenerationConfig
from lintseq_eval.guided import ON_EXHAUSTED, EditGuide, GuideConfig, GuidedResult, guide_edits

if TYPE_CHECKING:
    from lintseq_eval.benchmarks import Benchmark
    from lintseq_eval.execution import Sample, SampleResult

__all__ = [
    "GuidedRun",
    "add_guided_arguments",
    "check_guided_args",
    "generate_guided",
    "guide_config",
    "guided_markdown",
    "interpolated_pass_at",
    "run_guided",
    "summarize_guided",
]


def _bar(total: int, desc: str, show: bool) -> Any:
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="sample")


def generate_guided(
    model_path: str,
    prompts: Sequence[str],
    starts: Sequence[str],
    language: str,
    config: GenerationConfig,
    guide: GuideConfig,
) -> tuple[list[Completion], list[GuidedResult], float]:
    """``config.n`` guided samples per prompt (prompt-major), their guide records and the
    generation seconds. ``starts[i]`` is the program prompt ``i``'s edits apply to."""
    from lintseq_eval.generation import _backend

    backend = _backend(config.backend)
    if backend == "vllm":
        from lintseq_eval.guided_vllm import VLLMEditModel, load_engine, sampling_params_class

        engine = load_engine(model_path, config.seed)
        params_cls = sampling_params_class()

        def make(prompt: str, i: int, k: int) -> Any:
            return VLLMEditModel(engine, params_cls, prompt, temperature=config.temperature, top_p=config.top_p,
                                 seed=config.seed, prompt_index=i, sample_index=k,
                                 retry_temperature=guide.retry_temperature)
    else:
        from lintseq_core.model_loading import load_for_generation
        from lintseq_eval.guided import TransformersEditModel

        model, tok, _ = load_for_generation(model_path)

        def make(prompt: str, i: int, k: int) -> Any:
            return TransformersEditModel(model, tok, prompt, temperature=config.temperature, top_p=config.top_p,
                                         seed=config.seed, prompt_index=i, sample_index=k,
                                         retry_temperature=guide.retry_temperature)

    completions: list[Completion] = []
    records: list[GuidedResult] = []
    bar = _bar(len(prompts) * config.n, "guided" if guide.enforce else "unguided", config.progress)
    t0 = time.perf_counter()
    for i, prompt in enumerate(prompts):
        for k in range(config.n):
            state = make(prompt, i, k)
            res = guide_edits(state.propose, state.commit, EditGuide(language, guide.analyzer, start=starts[i]),
                              guide, config.max_new_tokens)
            completions.append(Completion(i, k, res.text, res.generated_tokens))
            records.append(res)
            if bar is not None:
                bar.update()
    if bar is not None:
        bar.close()
    return completions, records, time.perf_counter() - t0


def interpolated_pass_at(curve: dict[str, float], k: float) -> float | None:
    """pass@k for a fractional ``k`` from the ``pass_at_k_all`` curve (keys "1".."n"),
    interpolating linearly; ``None`` beyond the samples drawn. Below 1 sample, the
    curve is extended linearly to pass@0 = 0."""
    values = {int(key): v for key, v in curve.items()}
    if not values or k > max(values):
        return None
    lo = int(k)
    v_lo = 0.0 if lo == 0 else values[lo]
    if k == lo:
        return v_lo
    return v_lo + (values[lo + 1] - v_lo) * (k - lo)


def _totals(records: Sequence[GuidedResult], seconds: float) -> dict[str, Any]:
    n = max(1, len(records))
    tokens = sum(r.generated_tokens for r in records)
    edits = sum(r.edits_kept for r in records)
    return {
        "samples": len(records),
        "edits_generated": sum(r.edits_generated for r in records),
        "edits_kept": edits,
        "edits_rejected": sum(r.edits_rejected for r in records),
        "states_clean": sum(r.states_clean for r in records),
        "forced_edits": sum(r.forced_edits for r in records),
        "clean_state_rate": sum(r.states_clean for r in records) / edits if edits else None,
        "generated_tokens": tokens,
        "extra_tokens": sum(r.rejected_tokens for r in records),
        "tokens_per_sample": tokens / n,
        "analyzer_calls_per_sample": sum(r.analyzer_calls for r in records) / n,
        "generation_s": round(seconds, 2),
        "tokens_per_s": tokens / seconds if seconds > 0 else None,
        "stop_reasons": dict(collections.Counter(r.stop_reason for r in records)),
    }


def summarize_guided(
    guided: dict[str, Any], unguided: dict[str, Any], g_records: Sequence[GuidedResult],
    u_records: Sequence[GuidedResult], g_seconds: float, u_seconds: float, config: GuideConfig,
) -> dict[str, Any]:
    """The ``guided`` block of ``summary.json`` from both runs' summaries and records."""
    g_tot, u_tot = _totals(g_records, g_seconds), _totals(u_records, u_seconds)
    ratio = g_tot["tokens_per_sample"] / u_tot["tokens_per_sample"] if u_tot["tokens_per_sample"] else None
    equal_tokens = {}
    for name in guided["pass_at_k"]:
        k = int(name.split("@")[1])
        k_eq = k * ratio if ratio is not None else None
        equal_tokens[name] = {
            "guided": guided["pass_at_k"][name],
            "unguided_k": k_eq,
            "unguided": None if k_eq is None else interpolated_pass_at(unguided["pass_at_k_all"], k_eq),
        }
    return {
        "config": {"retries": config.retries, "on_exhausted": config.on_exhausted, "analyzer": config.analyzer,
                   "retry_temperature": config.retry_temperature},
        "pass_at_k": {"guided": guided["pass_at_k"], "unguided": unguided["pass_at_k"]},
        "pass_at_equal_tokens": equal_tokens,
        "token_ratio": ratio,
        "guided_run": g_tot,
        "unguided_run": u_tot,
    }


@dataclass
class GuidedRun:
    """Both runs of one benchmark; :meth:`finish` adds them to the report on disk."""

    completions: list[Completion]
    records: list[GuidedResult]
    seconds: float
    unguided: list[Completion]
    unguided_records: list[GuidedResult]
    unguided_seconds: float
    config: GuideConfig

    @classmethod
    def generate(cls, model_path: str, prompts: Sequence[str], starts: Sequence[str], language: str,
                 gen: GenerationConfig, config: GuideConfig) -> GuidedRun:
        g = generate_guided(model_path, prompts, starts, language, gen, config)
        observe = GuideConfig(retries=0, analyzer=config.analyzer, enforce=False)
        u = generate_guided(model_path, prompts, starts, language, gen, observe)
        return cls(*g, *u, config)

    def finish(self, out: Path, summary: dict[str, Any], bench: Benchmark, resolve: Callable[..., Any],
               execute: Callable[[list[Sample]], list[SampleResult]]) -> dict[str, Any]:
        """Annotate ``samples.jsonl``, write ``samples.unguided.jsonl``, resolve and
        ``execute`` the unguided run and add the ``guided`` block to ``summary.json``;
        return the updated summary."""
        from lintseq_eval.execution import Sample
        from lintseq_eval.report import summarize

        task_ids = [t.task_id for t in bench.tasks]
        by_key = {(task_ids[c.prompt_index], c.sample_index): r.to_json()
                  for c, r in zip(self.completions, self.records, strict=True)}
        path = out / "samples.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        with open(path, "w", encoding="utf-8") as fh:
            for row in rows:
                row["guide"] = by_key.get((row["task_id"], row["index"]))
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        samples = []
        for c in self.unguided:
            task = bench.tasks[c.prompt_index]
            res = resolve(task, c.text, "editseq")
            samples.append(Sample(task.task_id, c.sample_index, c.text, res.program, res.n_edits,
                                  c.generated_tokens, res.note))
        results = execute(samples)
        u_by_key = {(task_ids[c.prompt_index], c.sample_index): r.to_json()
                    for c, r in zip(self.unguided, self.unguided_records, strict=True)}
        with open(out / "samples.unguided.jsonl", "w", encoding="utf-8") as fh:
            for res in results:
                row = res.to_json()
                row["guide"] = u_by_key.get((row["task_id"], row["index"]))
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        summary["guided"] = summarize_guided(summary, summarize(results), self.records, self.unguided_records,
                                             self.seconds, self.unguided_seconds, self.config)
        (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        with open(out / "report.md", "a", encoding="utf-8") as fh:
            fh.write(guided_markdown(summary["guided"]))
        return summary


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.2f}%"


def guided_markdown(block: dict[str, Any]) -> str:
    """The section ``report.md`` gets under ``--guided``: both runs side by side."""
    g, u = block["guided_run"], block["unguided_run"]
    lines = ["", "## Lint-guided decoding", "",
             f"Retries {block['config']['retries']}, on exhaustion: {block['config']['on_exhausted']}; "
             "unguided = the same seeds with every edit kept (docs/guided.md).", "",
             "| | guided | unguided |", "|---|---|---|"]
    for name, value in block["pass_at_k"]["guided"].items():
        lines.append(f"| {name}, equal samples | {_pct(value)} | {_pct(block['pass_at_k']['unguided'].get(name))} |")
    for name, row in block["pass_at_equal_tokens"].items():
        k_eq = "n/a" if row["unguided_k"] is None else f"{row['unguided_k']:.2f}"
        lines.append(f"| {name}, equal tokens (unguided k = {k_eq}) | {_pct(row['guided'])} | {_pct(row['unguided'])} |")
    for label, key in (("generated tokens / sample", "tokens_per_sample"),
                       ("analyzer calls / sample", "analyzer_calls_per_sample")):
        lines.append(f"| {label} | {g[key]:.1f} | {u[key]:.1f} |")
    lines.append(f"| clean kept edits | {_pct(g['clean_state_rate'])} | {_pct(u['clean_state_rate'])} |")
    lines.append(f"| rejected edits (extra tokens) | {g['edits_rejected']} ({g['extra_tokens']}) | 0 (0) |")
    return "\n".join(lines) + "\n"


def add_guided_arguments(ap: argparse.ArgumentParser) -> None:
    """The ``--guided`` group of ``lintseq-eval`` (docs/guided.md)."""
    grp = ap.add_argument_group("lint-guided decoding (docs/guided.md)")
    grp.add_argument("--guided", action="store_true",
                     help="check every generated edit with the language's analyzer and resample edits that add "
                          "an error; also samples unguided with the same seeds and compares both in summary.json")
    grp.add_argument("--guide-retries", type=int, default=None, metavar="R",
                     help=f"resamples of a rejected edit (default {GuideConfig.retries})")
    grp.add_argument("--guide-analyzer", default=None, metavar="A",
                     help="analyzer that judges each state (default: the language's default analyzer)")
    grp.add_argument("--guide-on-exhausted", choices=ON_EXHAUSTED, default=None,
                     help="when all R+1 tries of an edit break the program: keep the one with the fewest new "
                          f"errors, or stop the sample there (default {GuideConfig.on_exhausted})")


def guide_config(args: argparse.Namespace) -> GuideConfig:
    """The :class:`GuideConfig` of the command line."""
    defaults = GuideConfig()
    return GuideConfig(
        retries=defaults.retries if args.guide_retries is None else args.guide_retries,
        on_exhausted=args.guide_on_exhausted or defaults.on_exhausted, analyzer=args.guide_analyzer,
    )


def run_guided(args: argparse.Namespace, bench: Benchmark, prompts: Sequence[str], gen: GenerationConfig) -> GuidedRun:
    """Both runs of ``--guided`` for ``bench`` (edits apply to the layout's start program,
    e.g. HumanEvalFix's buggy one, else to the empty program)."""
    from lintseq_eval.languages import benchmark_layout

    start = benchmark_layout(bench.name)[1].start
    starts = [start(t.raw) if start else "" for t in bench.tasks]
    return GuidedRun.generate(args.model, prompts, starts, bench.language, gen, guide_config(args))


def check_guided_args(args: Any) -> None:
    """Usage errors of the ``--guide-*`` flags (exit status 2)."""
    if not getattr(args, "guided", False):
        if args.guide_retries is not None or args.guide_analyzer is not None or args.guide_on_exhausted is not None:
            raise EvalError("--guide-retries, --guide-analyzer and --guide-on-exhausted need --guided")
        return
    if not args.model:
        raise EvalError("--guided generates samples: it needs --model")
    if args.format != "editseq":
        raise EvalError("--guided needs --format editseq (it checks each <|diff|> edit)")
    if args.partial:
        raise EvalError("--guided does not support --partial yet")
