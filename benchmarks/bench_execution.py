"""Execution throughput and harness self-check: canonical (and empty) programs, sandboxed.

    python benchmarks/bench_execution.py --data ../shared/data --benchmark humaneval --workers 2
    python benchmarks/bench_execution.py --data ../shared/data --benchmark all --variant canonical empty
    # evalplus runs the reference beside every sample and gives each input its own limit:
    python benchmarks/bench_execution.py --data ../shared/data --benchmark humaneval-plus mbpp-plus \
        --variant canonical empty --timeout 120
    # CodeContests has no copy here: the fixture problems (tests/fixtures/data/codecontests)
    python benchmarks/bench_execution.py --data tests/fixtures/data --benchmark codecontests-python \
        codecontests-cpp --variant canonical empty
    # DS-1000 with the environment `lintseq-eval python-env ds1000 --benchmark ds1000` built
    # (upstream's 120 s limit per problem, the default)
    nice python benchmarks/bench_execution.py --data ../shared/data --benchmark ds1000 \
        --variant canonical empty \
        --python ~/.cache/lintseq/envs/ds1000/bin/python --json ds1000.json
    # BigCodeBench with `lintseq-eval python-env bigcodebench --benchmark bigcodebench-complete`
    # built (upstream: 240 s per task, the default, and 30 GiB of address space)
    nice python benchmarks/bench_execution.py --data ../shared/data --benchmark bigcodebench-complete \
        --variant canonical empty --memory-mb 30720 --workers 1 \
        --python ~/.cache/lintseq/envs/bigcodebench/bin/python --json bigcodebench.json

Prints, per benchmark and variant, PASS/FAIL/TIMEOUT/ERROR counts, wall time and samples/s,
and lists every sample whose verdict is not the expected one (PASS for canonical, anything
else for empty). Tasks whose libraries the sample interpreter (``--python``) lacks are not
run: they are counted per missing module and left out of the pass rate; so are tasks whose
reference solution needs the network (``lintseq_eval.network``: probed once, cached), listed
with the evidence, unless ``--network-tasks run``. ``--timeout`` defaults to the benchmark's
upstream limit where it has one (BigCodeBench 240 s, DS-1000 120 s), else 10 s.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import time

from lintseq_eval.benchmarks import benchmark_names, load_benchmark
from lintseq_eval.execution import Sample, default_workers, evaluate_samples
from lintseq_eval.languages import benchmark_layout
from lintseq_eval.network import find_network_tasks
from lintseq_eval.programs import canonical_program, empty_program
from lintseq_eval.sandbox import Limits, backend_name


def verdicts(results: list) -> list[dict]:
    """Task, status and the start of the reason of each result (the JSON of a self-check)."""
    return [{"task_id": r.task_id, "status": r.status.value, "reason": r.reason[:400]} for r in results]


def print_unexpected(rows: list[dict]) -> None:
    for u in rows:
        print(f"    unexpected: {u['task_id']} {u['status']}: {u['reason'][:300]}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=None, help="folder laid out like shared/data (default: loaders' default)")
    ap.add_argument("--benchmark", nargs="+", default=["humaneval"], help="names, or 'all'")
    ap.add_argument("--variant", nargs="+", default=["canonical"], choices=["canonical", "empty"])
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument("--limit", type=int, default=None, help="first N tasks only")
    ap.add_argument("--timeout", type=float, default=None,
                    help="run-stage limit per sample (s; default: the benchmark's upstream limit, else 10)")
    ap.add_argument("--memory-mb", type=int, default=Limits().memory_mb, help="address-space limit per sample")
    ap.add_argument("--python", default=None, help="interpreter Python samples run with (as lintseq-eval --python)")
    ap.add_argument("--network-tasks", choices=["skip", "run"], default="skip",
                    help="skip: tasks whose reference needs the network are probed once (cached) and not run, "
                         "as lintseq-eval does; run: run them like the others")
    ap.add_argument("--json", default=None, help="also write the results here")
    args = ap.parse_args()
    if args.python:
        os.environ["LINTSEQ_PYTHON"] = os.path.abspath(os.path.expanduser(args.python))
    names = benchmark_names() if args.benchmark == ["all"] else args.benchmark
    print(f"sandbox backend: {backend_name()}, workers: {args.workers}")
    rows = []
    for name in names:
        bench = load_benchmark(name, args.data, limit=args.limit)
        timeout = args.timeout if args.timeout is not None else benchmark_layout(name)[1].run_timeout_s
        limits = Limits(run_timeout_s=timeout or Limits().run_timeout_s, memory_mb=args.memory_mb)
        needs_network, probe_s = {}, 0.0
        if args.network_tasks == "skip":
            t0 = time.perf_counter()
            needs_network = dict(find_network_tasks(bench, limits, workers=args.workers).tasks)
            probe_s = time.perf_counter() - t0
        for variant in args.variant:
            make = canonical_program if variant == "canonical" else empty_program
            samples = [Sample(t.task_id, 0, "", make(t)) for t in bench.tasks]
            t0 = time.perf_counter()
            results = evaluate_samples(bench.by_id(), samples, limits=limits, workers=args.workers,
                                       needs_network=needs_network)
            wall = time.perf_counter() - t0
            counts = collections.Counter(r.status.value for r in results)
            ran = [r for r in results if r.scored]
            missing = collections.Counter(m for r in results for m in r.missing)
            offline = {r.task_id: r.reason for r in results if r.status.value == "NEEDS_NETWORK"}
            unexpected = [r for r in ran if r.passed != (variant == "canonical")]
            row = {
                "benchmark": name, "variant": variant, "tasks": len(results), "tasks_run": len(ran), **counts,
                "pass_rate": counts.get("PASS", 0) / max(1, len(ran)), "wall_s": round(wall, 2),
                "samples_per_s": round(len(ran) / wall, 2), "run_timeout_s": limits.run_timeout_s,
                "network_probe_s": round(probe_s, 2), "missing_by_module": dict(sorted(missing.items())),
                "needs_network": offline, "unexpected": verdicts(unexpected),
            }
            rows.append(row)
            print(f"{name:22s} {variant:9s} tasks={len(results):4d} {dict(counts)} "
                  f"pass={row['pass_rate']:.1%} of {len(ran)} run, {wall:7.1f}s "
                  f"{row['samples_per_s']:6.2f} samples/s", flush=True)
            if missing:
                print(f"    not run, missing libraries: {dict(sorted(missing.items()))}", flush=True)
            if offline:
                print(f"    not run, need the network ({len(offline)} tasks, probe {probe_s:.1f}s): "
                      f"{', '.join(offline)}", flush=True)
            print_unexpected(row["unexpected"])
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
