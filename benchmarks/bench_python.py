"""Python: lintseq's analyzers against the reference implementation, side by side.

    python benchmarks/bench_python.py --programs 200            # MBPP as stored (CRLF)
    python benchmarks/bench_python.py --programs 200 --lf        # line endings normalised
    python benchmarks/bench_python.py --programs 0 --rss 2000    # memory of the pylint analyzer only

For each MBPP program (``../shared/data/mbpp/mbpp.jsonl``, field ``code``) the reference
(pip package ``pylintseq``: ``lintseq_backward_sampling_pythonic`` with the settings of its
CLI, then ``inflate_edit_path``) and lintseq with each Python analyzer convert the program
one after the other (interleaved, so machine load hits all of them alike). Each method runs
single-threaded in its own worker process, so none pays for another's heap, and only one
works at a time; CPU seconds are the per-core cost. Reported per method: programs per CPU-second (and per wall second), the ratio to
the reference, the share of intermediate states clean under the reference rules beyond
the original's errors (each state read as its method analyses it), byte-exact round trip, insertion-only diffs, single-edit sequences
and mean edits. ``--rss N`` then checks N pylint analyses for memory growth.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import sys
import time
from pathlib import Path

from bench_python_metrics import Tally, dirty_states, insertion_only, round_trips

from lintseq_core.jsonrows import read_rows

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / ".." / "shared" / "data" / "mbpp" / "mbpp.jsonl"
REFERENCE_SETTINGS = dict(
    children_per_round=1,
    top_k=1,
    max_population_size=1,
    max_depth=512,
    indent_bias_sampling_factor=1,
    ignore_imports=False,
    ignore_comments=True,
    ignore_global_defs=True,
    ignore_init_errors=False,
)


def _clock() -> tuple[float, float]:
    return time.process_time(), time.perf_counter()


def convert_reference(code: str, index: int) -> dict:
    """The reference's conversion of one program, as its CLI does it, timed."""
    import numpy as np
    from pylintseq.utils import inflate_edit_path, lintseq_backward_sampling_pythonic

    np.random.seed(index)
    random.seed(index)
    cpu, wall = _clock()
    error = None
    deletions = diffs = None
    try:
        population = lintseq_backward_sampling_pythonic(code, **REFERENCE_SETTINGS)
        deletions = population[0][0] if population else None
        diffs = inflate_edit_path(code, deletions)[1] if deletions is not None else None
    except Exception as exc:  # noqa: BLE001 - the reference's own failures are counted and shown
        error = f"{type(exc).__name__}: {exc}"
    out = {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, "error": error}
    if diffs is None:
        out["error"] = error or "no edit sequence"
        return out
    n = len(code.split("\n"))
    removed: set[int] = set()
    states = []
    for edit in deletions:
        removed.update(edit)
        kept = tuple(i for i in range(n) if i not in removed)
        if kept:
            states.append(kept)  # backward states; the full program and empty one excluded
    out.update(diffs=diffs, states=states, terminated=False)
    return out


def convert_lintseq(sampler, code: str, index: int) -> dict:
    """lintseq's conversion of one program (prepare, sample, render diffs), timed."""
    from lintseq_core.errors import ProgramRejected
    from lintseq_core.sampler import sample_many

    cpu, wall = _clock()
    try:
        seq, _ = sample_many(sampler, code, seed=0, index=index)[0]
        diffs = seq.edit_path
    except ProgramRejected as exc:
        return {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, "error": str(exc)}
    return {
        "cpu": time.process_time() - cpu,
        "wall": time.perf_counter() - wall,
        "error": None,
        "diffs": diffs,
        "states": [tuple(s) for s in seq.states[1:-1]],
        "terminated": True,
    }


def worker(method: str, conn) -> None:
    """One method in its own process, so no method pays for another's heap (pylint's is big)."""
    convert = convert_reference
    if method != "reference":
        from lintseq_core.host import PluginHost
        from lintseq_core.sampler import make_sampler

        sampler = make_sampler(PluginHost.from_entry_points(), "python", method)

        def convert(code: str, index: int) -> dict:
            return convert_lintseq(sampler, code, index)

    convert("x = 1\ny = x\n", 0)  # warm up (imports, builtins) outside the timings
    conn.send("ready")
    while True:
        job = conn.recv()
        if job is None:
            return
        conn.send(convert(job[1], job[0]))


def record(tally: Tally, code: str, result: dict) -> None:
    tally.cpu_s += result["cpu"]
    tally.wall_s += result["wall"]
    if result["error"] is not None:
        tally.failed += 1
        if len(tally.examples) < 20:
            tally.examples.append(f"failed: {result['error']}")
        return
    diffs = result["diffs"]
    states = result["states"]
    tally.programs += 1
    tally.edits += len(diffs)
    tally.single_edit += len(diffs) == 1
    tally.round_trip += round_trips(diffs, code)
    tally.insertion += insertion_only(diffs)
    dirty, found = dirty_states(code.split("\n"), states, terminated=result["terminated"])
    tally.states += len(states)
    tally.dirty += dirty
    if found and len(tally.examples) < 20:
        tally.examples.append(f"new errors: {found[:3]}")


def measure_rss(n: int, programs: list[str], clear: bool) -> list[tuple[int, float]]:
    """RSS (MiB) every n/8 pylint analyses of distinct states."""
    import lintseq_python.pylint_analyzer as pa
    import psutil

    if not clear:
        pa._clear_caches = lambda: None  # what memory does without clearing, for comparison
    proc = psutil.Process()
    out = []
    for i in range(n):
        code = programs[i % len(programs)]
        pa.analyze_pylint(code + "\n" * (i // len(programs)) + f"\n_v{i} = {i}\n")
        if i % max(n // 8, 1) == 0 or i == n - 1:
            out.append((i + 1, round(proc.memory_info().rss / 2**20, 1)))
    return out


def load_programs(path: Path, fields: list[str]) -> list[str]:
    """Programs of a benchmark file: each row's ``fields`` concatenated."""
    return ["".join(row[name] for name in fields) for row in read_rows(path)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="programs: .jsonl, .jsonl.gz or .json array")
    parser.add_argument(
        "--fields", default="code", help="comma-separated fields joined into the program, e.g. prompt,canonical_solution"
    )
    parser.add_argument("--programs", type=int, default=200, help="how many programs (0: skip)")
    parser.add_argument("--start", type=int, default=0, help="first program index")
    parser.add_argument("--lf", action="store_true", help="normalise CRLF line endings to LF first")
    parser.add_argument("--analyzers", default="ast,pylint", help="lintseq analyzers to compare")
    parser.add_argument("--no-reference", action="store_true", help="skip pylintseq")
    parser.add_argument("--rss", type=int, default=0, help="pylint analyses for the memory check")
    parser.add_argument("--rss-no-clear", action="store_true", help="memory check without cache clearing")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    corpus = load_programs(args.data, args.fields.split(","))
    if args.lf:
        corpus = [c.replace("\r\n", "\n") for c in corpus]
    programs = corpus[args.start : args.start + args.programs]
    names = [a for a in args.analyzers.split(",") if a]
    methods = ([] if args.no_reference else ["reference"]) + names
    tallies = {m: Tally("reference (pylintseq)" if m == "reference" else m) for m in methods}
    ctx = mp.get_context("spawn")
    conns = {}
    procs = []
    for m in methods if programs else []:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=worker, args=(m, child), daemon=True)
        proc.start()
        procs.append(proc)
        conns[m] = parent
    for conn in conns.values():
        assert conn.recv() == "ready"
    for k, code in enumerate(programs):
        index = args.start + k
        # One method at a time (one busy core), rotating which goes first.
        order = methods[k % len(methods) :] + methods[: k % len(methods)]
        for m in order:
            conns[m].send((index, code))
            record(tallies[m], code, conns[m].recv())
        if (k + 1) % 25 == 0:
            print(f"  {k + 1}/{len(programs)} programs", file=sys.stderr)
    for conn in conns.values():
        conn.send(None)
    for proc in procs:
        proc.join()

    rows = []
    if programs:
        reference = tallies.get("reference")
        for t in tallies.values():
            row = t.row()
            if reference is not None and reference.cpu_s and t.cpu_s and reference.programs:
                row["speed-up (cpu)"] = round((t.programs / t.cpu_s) / (reference.programs / reference.cpu_s), 1)
            rows.append(row)
            print(json.dumps(row))
        for t in tallies.values():
            for line in t.examples[:5]:
                print("  example:", line[:300])
    result: dict[str, object] = {"programs": len(programs), "lf": args.lf, "rows": rows}
    if args.rss:
        rss = measure_rss(args.rss, corpus, clear=not args.rss_no_clear)
        result["rss_mib"] = rss
        label = "without" if args.rss_no_clear else "with"
        print(f"pylint analyzer RSS over {args.rss} analyses ({label} cache clearing), MiB: {rss}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
