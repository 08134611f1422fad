"""Throughput of ``convert --subtrajectories 4`` next to plain conversion (D3-style rows).

    python benchmarks/bench_subtrajectories.py                 # both corpora, 3 repeats
    python benchmarks/bench_subtrajectories.py --repeats 1 --md-out benchmarks/results/subtrajectories/throughput.md
    LINTSEQ_DISABLED_PLUGINS=treesitter,compilers python benchmarks/bench_subtrajectories.py  # Python plugin only

Corpora: the bundled sample (``lintseq_core/data/sample.jsonl``) and 50 real Python files
of the running interpreter's standard library (``sysconfig`` "stdlib", top level only),
20-1,500 lines each, picked with a fixed seed from the sorted file list. Each run is one
in-process ``run_pipeline`` with one worker and the Python default analyzer; plain and
sub-trajectory runs alternate and the median of ``--repeats`` each is kept (the machine may
be shared). Printed: programs/s of wall clock, programs per CPU-second (this process and its
workers, start-up included), output rows. Sub-trajectories add no analyzer call (the slices
are cut from the one sampled sequence), so the two should be close; a second part times that
difference directly: CPU ms per program to sample a sequence, to write it as one plain row,
and to write it as four slices.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any

N_FILES = 50
MIN_LINES, MAX_LINES = 20, 1500


def real_files(folder: Path, n: int = N_FILES, seed: int = 0) -> list[Path]:
    """``n`` files of ``folder/*.py`` with 20-1,500 lines, the same ones on every run."""
    eligible = []
    for path in sorted(folder.glob("*.py")):
        try:
            lines = path.read_text(encoding="utf-8").count("\n") + 1
        except (OSError, UnicodeDecodeError):
            continue
        if MIN_LINES <= lines <= MAX_LINES:
            eligible.append(path)
    if len(eligible) < n:
        raise SystemExit(f"{folder} has only {len(eligible)} files of {MIN_LINES}-{MAX_LINES} lines")
    return sorted(random.Random(seed).sample(eligible, n))


def write_corpus(files: list[Path], out: Path) -> Path:
    with open(out, "w", encoding="utf-8") as fh:
        for path in files:
            fh.write(json.dumps({"code": path.read_text(encoding="utf-8"), "path": path.name}) + "\n")
    return out


def _cpu_seconds() -> float:
    import resource

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def convert(input_path: str | None, output: Path, subtrajectories: int | None, timeout: float) -> dict[str, Any]:
    from lintseq_core.convert import ConvertConfig
    from lintseq_core.pipeline import PipelineOptions, run_pipeline

    cfg = ConvertConfig(instruction_field=None, subtrajectories=subtrajectories, timeout=timeout)
    opts = PipelineOptions(input=input_path, output=str(output), progress=False, overwrite=True, workers=1)
    cpu0 = _cpu_seconds()
    start = time.perf_counter()
    res = run_pipeline(cfg, opts)
    wall = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu0  # this process and its finished workers, in-process or not
    counts = res.manifest["counts"]
    return {
        "programs": counts["rows_read"],
        "converted": counts["converted"],
        "rejected": counts["rejected_by_reason"],
        "output_rows": counts["output_rows"],
        "wall_s": round(wall, 3),
        "programs_per_s": round(counts["rows_read"] / wall, 2),
        "programs_per_cpu_s": round(counts["rows_read"] / cpu, 2) if cpu else None,
    }


def bench(name: str, input_path: str | None, repeats: int, timeout: float, tmp: Path) -> list[dict[str, Any]]:
    """Plain and ``--subtrajectories 4`` runs, alternated; the median of ``repeats`` each."""
    runs: dict[int | None, list[dict[str, Any]]] = {None: [], 4: []}
    for r in range(repeats):
        for k in (None, 4):
            runs[k].append(convert(input_path, tmp / f"{name}-{k}-{r}.jsonl", k, timeout))
    rows = []
    for k, got in runs.items():
        row = dict(got[0])
        for key in ("wall_s", "programs_per_s", "programs_per_cpu_s"):
            row[key] = statistics.median(g[key] for g in got)
        rows.append({"corpus": name, "mode": "plain" if k is None else f"--subtrajectories {k}", **row})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def slicing_cost(name: str, codes: list[str], repeats: int) -> dict[str, Any]:
    """CPU milliseconds per program: sampling one sequence, then writing it as one plain row
    or as 4 slices (rows built and JSON-encoded as the pipeline does). Immune to other load
    in a way wall-clock runs are not: it times the same sequences both ways."""
    from lintseq_core.host import get_host
    from lintseq_core.pipeline.outcome import encode_row
    from lintseq_core.sampler import make_sampler, rng_for
    from lintseq_core.subtrajectories import subtrajectory_rows

    sampler = make_sampler(get_host(), "python")
    seqs = []
    start = time.process_time()
    for i, code in enumerate(codes):
        seqs.append((i, code, sampler.sample(sampler.prepare(code), rng_for(0, i, 0))[0]))
    sample_s = time.process_time() - start

    def record(i: int, code: str, seq: Any) -> dict[str, Any]:
        return {"index": i, "sample": 0, "edit_path": seq.edit_path, "instruction": None,
                "program": code, "source_code": code, "language": "python", "num_edits": len(seq.states) - 1}

    def plain() -> None:
        for i, code, seq in seqs:
            encode_row(record(i, code, seq))

    def sliced() -> None:
        for i, code, seq in seqs:
            for row in subtrajectory_rows(record(i, code, seq), seq, 4, seed=0, index=i, sample=0):
                encode_row(row)

    out = {"corpus": name, "programs": len(codes), "sample_ms": round(1000 * sample_s / len(codes), 3)}
    for label, fn in (("plain_row_ms", plain), ("four_slices_ms", sliced)):
        best = float("inf")
        for _ in range(repeats):
            t = time.process_time()
            fn()
            best = min(best, time.process_time() - t)
        out[label] = round(1000 * best / len(codes), 3)
    print(json.dumps(out), flush=True)
    return out


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    out = [
        "# Throughput of `--subtrajectories 4` next to plain conversion",
        "",
        f"Command: `{meta['command']}`. One worker, Python default analyzer, median of "
        f"{meta['repeats']} alternated runs; machine: {meta['machine']}.",
        "",
        "| corpus | mode | programs | output rows | programs/s (wall) | programs per CPU-second |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(f"| {r['corpus']} | {r['mode']} | {r['programs']} | {r['output_rows']} | "
                   f"{r['programs_per_s']} | {r['programs_per_cpu_s']} |")
    out += ["", "CPU milliseconds per program, the same sequences written both ways (best of "
            f"{meta['repeats']}):", "",
            "| corpus | sampling one sequence | one plain row | four slices |", "|---|---|---|---|"]
    for c in meta["slicing_cost"]:
        out.append(f"| {c['corpus']} | {c['sample_ms']} | {c['plain_row_ms']} | {c['four_slices_ms']} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    import os
    import platform
    import sys

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--real-dir", type=Path, default=Path(sysconfig.get_paths()["stdlib"]),
                    help="folder of real Python files (default: this interpreter's standard library)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=60.0, help="per-program limit (convert --timeout)")
    ap.add_argument("--json-out", type=Path, help="append the result rows as JSON lines")
    ap.add_argument("--md-out", type=Path, help="write a Markdown table")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        files = real_files(args.real_dir)
        corpus = write_corpus(files, tmp / "stdlib50.jsonl")
        convert(None, tmp / "warm-up.jsonl", None, args.timeout)  # imports and caches, not timed
        rows = bench("bundled sample", None, args.repeats, args.timeout, tmp)
        rows += bench(f"stdlib ({len(files)} files)", str(corpus), args.repeats, args.timeout, tmp)
        from lintseq_core.host import get_host
        from lintseq_core.pipeline.readers import bundled_sample

        host = get_host()
        with open(bundled_sample(), encoding="utf-8") as fh:
            sample_codes = [host.extract_code("python", json.loads(x)["code"]) for x in fh if x.strip()]
        costs = [slicing_cost("bundled sample", sample_codes, args.repeats),
                 slicing_cost(f"stdlib ({len(files)} files)",
                              [f.read_text(encoding="utf-8") for f in files], args.repeats)]
    for plain, sub in zip(rows[::2], rows[1::2], strict=True):
        print(f"{plain['corpus']}: --subtrajectories 4 runs at {sub['programs_per_s'] / plain['programs_per_s']:.2f}x "
              f"the plain programs/s (wall), {sub['output_rows']} rows vs {plain['output_rows']}")
    env = " ".join(f"{k}={os.environ[k]}" for k in ("LINTSEQ_DISABLED_PLUGINS",) if os.environ.get(k))
    command = "python benchmarks/bench_subtrajectories.py " + " ".join(argv or sys.argv[1:])
    meta = {"command": f"{env} {command}".strip(),
            "repeats": args.repeats,
            "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
                       f"Python {platform.python_version()}",
            "files": [f.name for f in files], "slicing_cost": costs}
    if args.json_out:
        with open(args.json_out, "a", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({**r, "meta": meta}) + "\n")
    if args.md_out:
        args.md_out.parent.mkdir(parents=True, exist_ok=True)
        args.md_out.write_text(markdown(rows, meta), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
