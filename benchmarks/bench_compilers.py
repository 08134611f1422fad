"""Cost of one compiler check: a warm server against one process per call, per compiler.

    python benchmarks/bench_compilers.py                  # 3 programs per language
    python benchmarks/bench_compilers.py --programs 5 --lang java typescript

States are what ``--verify`` checks: the intermediate programs of one LintSeq sequence
(tree-sitter analyzer) per program, from HumanEval-X (``../shared/data``, or the few rows
under ``tests/fixtures/data``) and the hand-written programs of the tree-sitter tests.
Each state is checked by both paths; the table gives the median wall time per call, the
CPU time per call (cold: the child processes; warm: the server, its children and this
process), and
how many states got different diagnostics from the two paths (must be 0). Compilers
without a warm server (gcc, g++, go, rustc, ruby) show the cold path only.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from lintseq_compilers.base import Toolchain
from lintseq_compilers.plugin import TOOLCHAINS

from lintseq_core.ablate import load_programs
from lintseq_core.host import get_host
from lintseq_core.sampler import make_sampler, sample_many, state_texts

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "humaneval-x"
FIXTURES = REPO / "tests" / "fixtures" / "data" / "humaneval-x"
OWN = REPO / "tests" / "plugins" / "treesitter" / "programs"
HUMANEVAL_X = ("cpp", "go", "java", "javascript", "rust")
OWN_LANGS = ("c", "ruby", "typescript")


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _process_cpu(pid: int) -> float:
    """User + system seconds of a live process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its live descendants (tsc's server runs the compiler)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    total = 0.0
    for child, _ in parents.items():
        p = child
        while p not in (0, 1, pid) and p in parents:
            p = parents[p]
        if p == pid or child == pid:
            try:
                total += _process_cpu(child)
            except OSError:
                continue
    return total


def _self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def measure(tool: Toolchain, states: list[str], warmup: int = 0) -> dict[str, object]:
    """Time every state on the cold path, then on the warm path after ``warmup`` calls
    (a JVM's JIT needs a few hundred compiles to reach its steady state)."""
    cold_wall, cold_diags = [], []
    cpu0 = _children_cpu()
    for text in states:
        t0 = time.perf_counter()
        cold_diags.append(tool.analyze_cold(text))
        cold_wall.append(time.perf_counter() - t0)
    row: dict[str, object] = {
        "compiler": tool.name, "states": len(states),
        "cold_ms": 1000 * statistics.median(cold_wall),
        "cold_cpu_ms": 1000 * (_children_cpu() - cpu0) / len(states),
    }
    server = getattr(tool.warm, "server", None)
    if server is None:
        return row
    for k in range(max(1, warmup)):  # start the server (its start-up is not counted)
        tool.analyze(states[k % len(states)])
    proc = server._proc
    if proc is None:
        row["warm_ms"] = f"unavailable: {server.unavailable}"
        return row
    warm_wall, mismatches = [], 0
    server_cpu0, self_cpu0 = _tree_cpu(proc.pid), _self_cpu()
    for text, cold in zip(states, cold_diags, strict=True):
        t0 = time.perf_counter()
        warm = tool.analyze(text)
        warm_wall.append(time.perf_counter() - t0)
        mismatches += warm != cold
    row.update(
        warm_ms=1000 * statistics.median(warm_wall),
        warm_cpu_ms=1000 * (_tree_cpu(proc.pid) - server_cpu0 + _self_cpu() - self_cpu0) / len(states),
        mismatches=mismatches,
        restarts=server.starts - 1,
    )
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--programs", type=int, default=3, help="programs per language (default 3)")
    parser.add_argument("--lang", nargs="*", default=None, help="restrict to these languages")
    parser.add_argument("--warmup", type=int, default=100,
                        help="warm calls before timing the warm path (default 100)")
    parser.add_argument("--out", type=Path, default=None, help="also write the table to this file")
    args = parser.parse_args(argv)
    host = get_host()
    dataset = SHARED if SHARED.is_dir() else FIXTURES
    programs = {}
    for langs, folder in ((HUMANEVAL_X, dataset), (OWN_LANGS, OWN)):
        wanted = [lang for lang in langs if args.lang is None or lang in args.lang]
        if wanted:
            programs.update(load_programs(host, folder, wanted, args.programs))
    command = " ".join(["python benchmarks/bench_compilers.py", *(argv if argv is not None else sys.argv[1:])])
    lines = [
        f"`{command}`",
        "",
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, "
        f"{args.programs} programs per language, {args.warmup} warm-up calls",
        "",
        "| compiler | version | states | cold ms/call | cold CPU ms/call | warm ms/call | warm CPU ms/call "
        "| speed-up (wall) | mismatches |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for tool in TOOLCHAINS:
        if tool.language not in programs or tool.available():
            continue
        sampler = make_sampler(host, tool.language, "treesitter")
        states: list[str] = []
        for program in programs[tool.language]:
            for seq, _ in sample_many(sampler, program.code, seed=0, index=0):
                states += [program.code, *state_texts(seq)]
        row = measure(tool, states, args.warmup)
        warm = row.get("warm_ms")
        if isinstance(warm, float):
            cells = [f"{warm:.1f}", f"{row['warm_cpu_ms']:.1f}",
                     f"{row['cold_ms'] / warm:.0f}x", str(row["mismatches"])]
        else:
            cells = [str(warm or "no warm server"), "", "", ""]
        lines.append(f"| {tool.name} | {tool.version()} | {row['states']} | {row['cold_ms']:.1f} | "
                     f"{row['cold_cpu_ms']:.1f} | " + " | ".join(cells) + " |")
        print(lines[-1], file=sys.stderr, flush=True)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
