"""Benchmarks of the dataset pipeline: scaling with workers, memory over 50,000 rows, overhead.

    python benchmarks/bench_pipeline.py scaling  --rows 5000 --workers 1 2
    python benchmarks/bench_pipeline.py memory   --rows 5000 50000 --workers 2
    python benchmarks/bench_pipeline.py overhead --rows 5000
    python benchmarks/bench_pipeline.py all      # the three, with the defaults above

Rows are synthesised from MBPP (``../shared/data/mbpp/mbpp.jsonl``): program k of copy c has
its top-level names suffixed with ``_c<c>`` so that copies are distinct programs of the same
shapes. Line endings are normalised to LF. The analyzer is the Python language's default
(the fast ``ast`` analyzer) unless ``--linter`` says otherwise. Results are printed as JSON
lines (and appended to ``--json-out`` if given).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MBPP = (REPO / ".." / "shared" / "data" / "mbpp" / "mbpp.jsonl").resolve()
_DEF = re.compile(r"^(?:def|class)\s+([A-Za-z_]\w*)", re.MULTILINE)


def synthesise(rows: int, path: Path) -> Path:
    """``rows`` MBPP-derived rows with varied names, written as JSONL."""
    base = [json.loads(line) for line in MBPP.read_text(encoding="utf-8").splitlines() if line.strip()]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(rows):
            src = base[i % len(base)]
            copy = i // len(base)
            code = src["code"].replace("\r\n", "\n")
            if copy:
                for name in sorted(set(_DEF.findall(code)), key=len, reverse=True):
                    code = re.sub(rf"\b{re.escape(name)}\b", f"{name}_c{copy}", code)
            f.write(json.dumps({"instruction": src["text"], "code": code}) + "\n")
    return path


def _cli(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "lintseq_core.cli", "convert", "-q", "--lang", "python", *args]


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def run_cli_measured(args: list[str]) -> dict:
    """Run ``lintseq-core convert`` and sample the RSS of its whole process tree every 50 ms."""
    import psutil

    start = time.perf_counter()
    proc = subprocess.Popen(_cli(args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak_tree = peak_parent = 0
    while proc.poll() is None:
        peak_tree = max(peak_tree, _tree_rss(proc.pid))
        try:
            peak_parent = max(peak_parent, psutil.Process(proc.pid).memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.05)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"convert failed ({proc.returncode}): {err}")
    return {"wall_s": round(wall, 2), "peak_rss_tree_mb": round(peak_tree / 2**20, 1),
            "peak_rss_parent_mb": round(peak_parent / 2**20, 1)}


def _manifest(out: Path) -> dict:
    return json.loads(out.with_name(out.stem + ".manifest.json").read_text())


def bench_scaling(rows: int, workers: list[int], linter: str | None, tmp: Path, repeats: int = 3) -> list[dict]:
    """Throughput for each worker count; runs interleaved ``repeats`` times, best kept.

    On a shared machine the best of interleaved runs is the figure least distorted by
    other jobs; every run's output must be byte-identical.
    """
    data = synthesise(rows, tmp / f"scaling-{rows}.jsonl")
    best: dict[int, dict] = {}
    outputs = set()
    for _ in range(repeats):
        for w in workers:
            out = tmp / f"scaling-w{w}.jsonl"
            extra = ["--linter", linter] if linter else []
            m = run_cli_measured(["-i", str(data), "-o", str(out), "--workers", str(w), "--overwrite", *extra])
            counts = _manifest(out)["counts"]
            row = {"bench": "scaling", "rows": rows, "workers": w, "repeats": repeats, **m,
                   "programs_per_s": counts["programs_per_second"],
                   "programs_per_s_wall": round(rows / m["wall_s"], 1)}
            if w not in best or row["programs_per_s"] > best[w]["programs_per_s"]:
                best[w] = row
            outputs.add(out.read_bytes())
    if len(outputs) != 1:
        raise SystemExit("outputs differ between runs or worker counts")
    base = best[workers[0]]["programs_per_s"]
    for w in workers:
        best[w]["speedup"] = round(best[w]["programs_per_s"] / base, 2)
    return [best[w] for w in workers]


def bench_memory(sizes: list[int], workers: int, linter: str | None, tmp: Path) -> list[dict]:
    results = []
    for rows in sizes:
        data = synthesise(rows, tmp / f"memory-{rows}.jsonl")
        out = tmp / f"memory-{rows}.lintseq.jsonl"
        extra = ["--linter", linter] if linter else []
        m = run_cli_measured(["-i", str(data), "-o", str(out), "--workers", str(workers), "--overwrite", *extra])
        counts = _manifest(out)["counts"]
        results.append({"bench": "memory", "rows": rows, "workers": workers, **m,
                        "input_mb": round(data.stat().st_size / 2**20, 1),
                        "output_mb": round(out.stat().st_size / 2**20, 1),
                        "programs_per_s": counts["programs_per_second"]})
    return results


def bench_overhead(rows: int, linter: str | None, tmp: Path, repeats: int = 3) -> list[dict]:
    """Pipeline (1 worker, JSONL in and out, checkpoints) against the sampler in a plain loop.

    The two are run ``repeats`` times, interleaved, and the minimum of each is kept: on a
    shared machine the minimum is the measurement least inflated by other jobs.
    """
    import resource

    from lintseq_core.convert import ConvertConfig
    from lintseq_core.pipeline import PipelineOptions, run_pipeline

    data = synthesise(rows, tmp / f"overhead-{rows}.jsonl")
    config = ConvertConfig(linter=linter)
    loop_cpu, loop_wall, worker_cpu, convert_cpu, parent_cpu, pipe_wall = [], [], [], [], [], []
    for _ in range(repeats):
        # The loop runs in a fresh process, as a worker does: both start with cold caches.
        cmd = [sys.executable, __file__, "_loop", str(data), *(["--linter", linter] if linter else [])]
        loop = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        loop_wall.append(loop["wall"])
        loop_cpu.append(loop["cpu"])

        out = tmp / "overhead.lintseq.jsonl"
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        result = run_pipeline(config, PipelineOptions(input=str(data), output=str(out), workers=1,
                                                      progress=False, overwrite=True))
        pipe_wall.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        parent_cpu.append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
        worker_cpu.append(result.manifest["engine"]["worker_cpu_seconds"])
        convert_cpu.append(result.manifest["engine"]["convert_cpu_seconds"])
    lc, wc, pc = min(loop_cpu), min(worker_cpu), min(parent_cpu)
    own = min(w - c for w, c in zip(worker_cpu, convert_cpu, strict=True))
    return [{
        "bench": "overhead", "rows": rows, "repeats": repeats,
        "loop_cpu_s": round(lc, 3), "loop_wall_s": round(min(loop_wall), 3),
        "pipeline_worker_cpu_s": round(wc, 3), "pipeline_parent_cpu_s": round(pc, 3),
        "pipeline_wall_s": round(min(pipe_wall), 3),
        # The worker is the critical path (the parent reads, writes and checkpoints on
        # another core): its CPU time beyond the loop's is the pipeline's cost, including
        # its start-up (imports, plugin host), IPC and the JSON encoding of the rows.
        "worker_overhead_pct": round(100 * (wc / lc - 1), 1),
        # The worker's CPU outside the converter (start-up, receiving rows, sending results)
        # against the loop's time: the pipeline's own cost, free of the converter's noise.
        "worker_own_cpu_s": round(own, 3),
        "worker_own_pct": round(100 * own / lc, 1),
        "total_cpu_overhead_pct": round(100 * ((wc + pc) / lc - 1), 1),
        "wall_overhead_pct": round(100 * (min(pipe_wall) / min(loop_wall) - 1), 1),
    }]


def loop_only(data: str, linter: str | None) -> dict:
    """The baseline: build the host and the sampler, then convert every row in a plain loop."""
    from lintseq_core.convert import ConvertConfig, RowConverter
    from lintseq_core.host import get_host

    records = [json.loads(line) for line in Path(data).read_text(encoding="utf-8").splitlines()]
    t0, c0 = time.perf_counter(), time.process_time()
    converter = RowConverter(get_host(), ConvertConfig(linter=linter))
    for i, row in enumerate(records):
        try:
            converter.convert(row, i)
        except Exception:  # noqa: BLE001 - rejects count as work done, as in the pipeline
            continue
    return {"cpu": time.process_time() - c0, "wall": time.perf_counter() - t0}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_loop"]:
        linter = argv[3] if len(argv) > 3 else None
        print(json.dumps(loop_only(argv[1], linter)))
        return 0
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("which", choices=("scaling", "memory", "overhead", "all"))
    p.add_argument("--rows", type=int, nargs="+", help="rows (memory: several sizes)")
    p.add_argument("--workers", type=int, nargs="+", help="worker counts (memory: the first)")
    p.add_argument("--linter", help="analyzer (default: the language default)")
    p.add_argument("--json-out", help="append results as JSON lines to this file")
    args = p.parse_args(argv)
    if not MBPP.is_file():
        raise SystemExit(f"MBPP not found at {MBPP}: the shared/ folder must sit beside the repo")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="lintseq-bench-") as d:
        tmp = Path(d)
        if args.which in ("scaling", "all"):
            results += bench_scaling((args.rows or [5000])[0], args.workers or [1, 2], args.linter, tmp)
        if args.which in ("memory", "all"):
            results += bench_memory(args.rows or [5000, 50000], (args.workers or [2])[0], args.linter, tmp)
        if args.which in ("overhead", "all"):
            results += bench_overhead((args.rows or [5000])[0], args.linter, tmp)
    for r in results:
        line = json.dumps(r)
        print(line)
        if args.json_out:
            with open(args.json_out, "a", encoding="utf-8") as f:
                f.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
