"""Execution throughput and harness self-check: canonical (and empty) programs, sandboxed.

    python benchmarks/bench_execution.py --data ../shared/data --benchmark humaneval --workers 2
    python benchmarks/bench_execution.py --data ../shared/data --benchmark all --variant canonical empty
    # evalplus runs the reference beside every sample and gives each input its own limit:
    python benchmarks/bench_execution.py --data ../shared/data --benchmark humaneval-plus mbpp-plus \
        --variant canonical empty --timeout 120
    # CodeContests has no copy here: the fixture problems (tests/fixtures/data/codecontests)
    python benchmarks/bench_execution.py --data tests/fixtures/data --benchmark codecontests-python \
        codecontests-cpp --variant canonical empty

Prints, per benchmark and variant, PASS/FAIL/TIMEOUT/ERROR counts, wall time and samples/s,
and lists every sample whose verdict is not the expected one (PASS for canonical, anything
else for empty).
"""

from __future__ import annotations

import argparse
import collections
import json
import time

from lintseq_eval.benchmarks import benchmark_names, load_benchmark
from lintseq_eval.execution import Sample, default_workers, evaluate_samples
from lintseq_eval.programs import canonical_program, empty_program
from lintseq_eval.sandbox import Limits, backend_name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=None, help="folder laid out like shared/data (default: loaders' default)")
    ap.add_argument("--benchmark", nargs="+", default=["humaneval"], help="names, or 'all'")
    ap.add_argument("--variant", nargs="+", default=["canonical"], choices=["canonical", "empty"])
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument("--limit", type=int, default=None, help="first N tasks only")
    ap.add_argument("--timeout", type=float, default=Limits().run_timeout_s, help="run-stage limit per sample (s)")
    ap.add_argument("--json", default=None, help="also write the results here")
    args = ap.parse_args()
    names = benchmark_names() if args.benchmark == ["all"] else args.benchmark
    print(f"sandbox backend: {backend_name()}, workers: {args.workers}")
    rows = []
    for name in names:
        bench = load_benchmark(name, args.data, limit=args.limit)
        for variant in args.variant:
            make = canonical_program if variant == "canonical" else empty_program
            samples = [Sample(t.task_id, 0, "", make(t)) for t in bench.tasks]
            t0 = time.perf_counter()
            results = evaluate_samples(bench.by_id(), samples, limits=Limits(run_timeout_s=args.timeout),
                                       workers=args.workers)
            wall = time.perf_counter() - t0
            counts = collections.Counter(r.status.value for r in results)
            unexpected = [r for r in results if r.passed != (variant == "canonical")]
            row = {
                "benchmark": name, "variant": variant, "tasks": len(results), **counts,
                "pass_rate": counts.get("PASS", 0) / len(results), "wall_s": round(wall, 2),
                "samples_per_s": round(len(results) / wall, 2),
                "unexpected": [{"task_id": r.task_id, "status": r.status.value, "reason": r.reason[:300]}
                               for r in unexpected],
            }
            rows.append(row)
            print(f"{name:22s} {variant:9s} tasks={len(results):4d} {dict(counts)} "
                  f"pass={row['pass_rate']:.1%} {wall:7.1f}s {row['samples_per_s']:6.2f} samples/s", flush=True)
            for u in row["unexpected"]:
                print(f"    unexpected: {u['task_id']} {u['status']}: {u['reason'][:200]}", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
