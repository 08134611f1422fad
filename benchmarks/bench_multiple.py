"""MultiPL-E self-check: borrowed references must pass, empty programs must fail.

    python benchmarks/bench_multiple.py --data ../shared/data --workers 2
    python benchmarks/bench_multiple.py --data ../shared/data --lang js ts --variant borrowed

MultiPL-E publishes no reference solutions. ``borrowed`` runs, for each MultiPL-E HumanEval
task whose language HumanEvalPack also has (cpp, go, java, js, rs; ts borrows js), the
MultiPL-E prompt followed by HumanEvalPack's canonical body of the same HumanEval task (its
closing lines included). The only change to the borrowed text: C++ gets ``using namespace
std;`` after MultiPL-E's includes (HumanEvalPack's bodies write ``vector``). Where the two
translations disagree on types (``int`` against ``long``, ``List<Integer>`` against
``ArrayList<Long>``) the borrowed body does not compile: those tasks are counted as
*incompatible* and not checked; every other verdict that is not PASS is listed, to be
explained. ``empty`` runs every task's empty program (must all fail).
"""

from __future__ import annotations

import argparse
import collections
import json
import time
from pathlib import Path

from bench_execution import print_unexpected, verdicts  # this folder: run as a script
from lintseq_eval.benchmarks import Benchmark, load_benchmark
from lintseq_eval.execution import Sample, default_workers, evaluate_samples
from lintseq_eval.multiple import LANGUAGES
from lintseq_eval.programs import canonical_program, empty_program, reference_prefix
from lintseq_eval.sandbox import Limits, backend_name

# MultiPL-E stem -> (HumanEvalPack folder, its task-id prefix)
BORROW = {"cpp": ("cpp", "CPP"), "go": ("go", "Go"), "java": ("java", "Java"), "js": ("js", "JavaScript"),
          "rs": ("rust", "Rust"), "ts": ("js", "JavaScript")}


def borrowed_programs(bench: Benchmark, stem: str, data: str | None) -> dict[str, str]:
    """MultiPL-E prompt + HumanEvalPack's canonical body, per MultiPL-E task id."""
    folder, prefix = BORROW[stem]
    pack = load_benchmark(f"humanevalpack-{'rust' if folder == 'rust' else folder}", data).by_id()
    out = {}
    for task in bench.tasks:
        number = task.task_id.split("_")[1]
        source = pack.get(f"{prefix}/{number}")
        if source is None:
            continue
        body = canonical_program(source)[len(reference_prefix(source)):]  # HumanEvalPack errata applied
        prompt = reference_prefix(task)
        if stem == "cpp":
            prompt = prompt.replace("#include<bits/stdc++.h>\n", "#include<bits/stdc++.h>\nusing namespace std;\n", 1)
        out[task.task_id] = prompt + body
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=None, help="folder laid out like shared/data")
    ap.add_argument("--lang", nargs="+", default=list(LANGUAGES), choices=LANGUAGES)
    ap.add_argument("--benchmark", nargs="+", default=["humaneval", "mbpp"], choices=["humaneval", "mbpp"])
    ap.add_argument("--variant", nargs="+", default=["borrowed", "empty"], choices=["borrowed", "empty"])
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument("--json", default=None, help="also write the results here")
    args = ap.parse_args()
    print(f"sandbox backend: {backend_name()}, workers: {args.workers}")
    rows = []
    for benchmark in args.benchmark:
        for stem in args.lang:
            bench = load_benchmark(f"multipl-e-{benchmark}-{stem}", args.data)
            for variant in args.variant:
                if variant == "borrowed":
                    if benchmark != "humaneval" or stem not in BORROW:
                        continue
                    programs = borrowed_programs(bench, stem, args.data)
                else:
                    programs = {t.task_id: empty_program(t) for t in bench.tasks}
                samples = [Sample(tid, 0, "", prog) for tid, prog in programs.items()]
                t0 = time.perf_counter()
                results = evaluate_samples(bench.by_id(), samples, limits=Limits(), workers=args.workers)
                wall = time.perf_counter() - t0
                counts = collections.Counter(r.status.value for r in results)
                incompatible = [r for r in results if variant == "borrowed" and r.reason.startswith("compile error")]
                checked = [r for r in results if r not in incompatible]
                unexpected = [r for r in checked if r.passed != (variant == "borrowed")]
                row = {
                    "benchmark": bench.name, "variant": variant, "tasks": len(bench.tasks), "run": len(results),
                    **counts, "incompatible": len(incompatible), "checked": len(checked),
                    "checked_pass": sum(r.passed for r in checked), "wall_s": round(wall, 1),
                    "unexpected": verdicts(unexpected),
                }
                rows.append(row)
                print(f"{bench.name:26s} {variant:8s} tasks={len(bench.tasks):4d} run={len(results):4d} "
                      f"{dict(counts)} incompatible={len(incompatible)} "
                      f"checked pass={row['checked_pass']}/{len(checked)} {wall:6.1f}s", flush=True)
                print_unexpected(row["unexpected"])
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
