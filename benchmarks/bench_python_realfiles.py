"""Python on real files by size: the pylint analyzer against the reference, side by side.

    python benchmarks/corpus/build.py --lang python          # once: the corpus
    python benchmarks/bench_python_realfiles.py               # 10 files per bucket, PNG + JSON
    python benchmarks/bench_python_realfiles.py --files 20 --methods reference,pylint,ast

Benchmark programs (MBPP) are 5-30 lines; real files are longer and import libraries, and
the cost of a conversion grows with both. This benchmark takes files of the Python corpus
(``~/.cache/lintseq/corpora/python``, built by ``benchmarks/corpus/build.py``) in size buckets
(20-80, 80-200, 200-500, 500-1,500 lines), evenly spread over the manifest so that many
packages are represented, and converts each one with every method, one after the other
(interleaved, rotating which goes first, so machine load hits all alike). Each method runs
single-threaded in its own process (the reference, pip package ``pylintseq``, with the
settings of its CLI; lintseq through its sampler), so none pays for another's heap, and CPU
seconds of that process are the per-core cost. The processes live for the whole run, as a
conversion's workers do, and before the timings every method lints each file once: the
library modules the files import are then built, as in the steady state of a conversion of
thousands of files (``--cold`` leaves that out: the first file importing a big package then
pays for building its modules, ~7 s for networkx, in every method alike).

Reported per bucket and method: files converted, CPU seconds, programs/s and lines/s per
core, and the speed-up over the reference on the same files. A conversion that runs past
``--max-seconds`` (wall clock) is stopped (its worker is replaced) and counted at the CPU
seconds it had spent: a lower bound of its cost, so for the reference the speed-ups are
lower bounds too. The PNG
plots CPU seconds per file against its lines (log-log) for every method.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_python import convert_lintseq, convert_reference
from bench_python_metrics import round_trips
from corpus_sample import pick_files

from lintseq_core.provenance import run_record

CORPUS = Path(os.environ.get("LINTSEQ_CACHE", Path.home() / ".cache" / "lintseq")) / "corpora" / "python"
BUCKETS = ((20, 80), (80, 200), (200, 500), (500, 1500))
OUT = Path(__file__).resolve().parent / "results" / "python_realfiles"


def lint_once(method: str, code: str) -> None:
    """One lint of ``code`` by the method's own linter (the warm-up of library modules)."""
    if method == "reference":
        import tempfile

        from pylintseq.utils import file_linter

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "warm.py"
            path.write_text(code, encoding="utf-8")
            file_linter(str(path))
    elif method == "pylint":
        from lintseq_python.pylint_analyzer import analyze_pylint

        analyze_pylint(code)
    elif method == "ast":
        # the modules a file star-imports or reads members of (``imported``, cached per
        # process); the full analysis leaves the incremental one's chunk cache cold
        from lintseq_python.fast_analyzer import analyze_fast

        analyze_fast(code)


def worker(method: str, conn, warm: list[str]) -> None:
    """One method in its own process, converting the files it is sent, timed.

    ``warm``: programs linted once each before the timings start, so that the library
    modules they import are built, as in the steady state of a long conversion.
    """
    convert = convert_reference
    if method != "reference":
        from lintseq_core.host import PluginHost
        from lintseq_core.sampler import make_sampler

        sampler = make_sampler(PluginHost.from_entry_points(), "python", method)

        def convert(code: str, index: int) -> dict:
            return convert_lintseq(sampler, code, index)

    convert("import os\nx = os.path.join('a', 'b')\n", 0)  # imports and builtins, untimed
    for code in warm:
        lint_once(method, code)
    conn.send("ready")
    while True:
        job = conn.recv()
        if job is None:
            return
        result = convert(job[1], job[0])
        result.pop("states", None)  # not needed here: keep the pipe light
        conn.send(result)


@dataclass
class Method:
    """A method's worker process, restarted when a conversion runs past the limit."""

    name: str
    ctx: Any
    warm: list[str] = field(default_factory=list)
    proc: Any = None
    conn: Any = None

    def start(self) -> None:
        parent, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=worker, args=(self.name, child, self.warm), daemon=True)
        self.proc.start()
        self.conn = parent
        if self.conn.recv() != "ready":
            raise RuntimeError(f"{self.name} worker did not start")

    def convert(self, index: int, code: str, limit: float) -> dict[str, Any]:
        import psutil

        proc = psutil.Process(self.proc.pid)
        before = proc.cpu_times()
        self.conn.send((index, code))
        if self.conn.poll(limit):
            return self.conn.recv()
        after = proc.cpu_times()  # the CPU it had spent when stopped: a lower bound of its cost
        cpu = (after.user - before.user) + (after.system - before.system)
        self.proc.kill()
        self.proc.join()
        self.start()
        return {"cpu": cpu, "wall": limit, "error": f"stopped after {limit:g} s", "stopped": True}

    def stop(self) -> None:
        self.conn.send(None)
        self.proc.join(10)


@dataclass
class Cell:
    """One method on one bucket."""

    files: int = 0
    failed: int = 0
    stopped: int = 0
    lines: int = 0
    cpu_s: float = 0.0
    wall_s: float = 0.0
    round_trip: int = 0
    per_file: list[tuple[int, float]] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        cpu = self.cpu_s or float("nan")
        return {
            "files": self.files, "failed": self.failed, "stopped": self.stopped, "lines": self.lines,
            "cpu_s": round(self.cpu_s, 2), "wall_s": round(self.wall_s, 2),
            "programs_per_cpu_s": round(self.files / cpu, 3), "lines_per_cpu_s": round(self.lines / cpu, 1),
            "round_trip": self.round_trip,
        }


def fit_power(points: list[tuple[int, float]]) -> tuple[float, float]:
    """``(a, b)`` of ``cost = a * lines ** b`` fitted by least squares on logarithms; ``b`` is
    how cost grows with size (1: linear, 2: quadratic)."""
    pts = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    n = len(pts)
    mx, my = sum(p[0] for p in pts) / n, sum(p[1] for p in pts) / n
    b = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
    return math.exp(my - b * mx), b


def markdown(table: dict[str, dict[str, dict[str, Any]]], fits: dict[str, tuple[float, float]]) -> str:
    """The bucket table: per method, CPU seconds, programs/s and lines/s per core, speed-up;
    then the fitted growth of cost with size."""
    out = ["| lines | method | files | CPU s | programs/s | lines/s | speed-up | stopped |",
           "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for key, row in table.items():
        for name, r in row.items():
            label = "reference (pylintseq)" if name == "reference" else name
            up = f"**{r['speed_up']}x**" if "speed_up" in r else ""
            out.append(f"| {key} | {label} | {r['files']} | {r['cpu_s']} | {r['programs_per_cpu_s']} "
                       f"| {r['lines_per_cpu_s']} | {up} | {r['stopped']} |")
    out.append("")
    for name, (a, b) in fits.items():
        out.append(f"- {name}: CPU seconds per file = {a:.3g} x lines^{b:.2f}")
    return "\n".join(out) + "\n"


def render(out: Path, results: dict[str, Any]) -> None:
    """table.md and cost_vs_lines.png from results.json's content."""
    cells: dict[str, dict[str, Cell]] = {}
    for key, row in results["per_file"].items():
        cells[key] = {name: Cell(per_file=[tuple(p) for p in points]) for name, points in row.items()}
    methods = sorted({m for row in results["per_file"].values() for m in row})
    fits = {m: fit_power([tuple(p) for row in results["per_file"].values() for p in row.get(m, [])]) for m in methods}
    results["fit"] = {m: {"a": a, "b": b} for m, (a, b) in fits.items()}
    (out / "table.md").write_text(markdown(results["buckets"], fits), encoding="utf-8")
    plot(cells, out / "cost_vs_lines.png")


def plot(cells: dict[str, dict[str, Cell]], path: Path) -> None:
    """CPU seconds per file against its lines, one colour per method, log-log."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    methods = sorted({m for row in cells.values() for m in row})
    for method in methods:
        points = [p for row in cells.values() if method in row for p in row[method].per_file]
        if points:
            xs, ys = zip(*points, strict=True)
            ax.scatter(xs, ys, s=14, alpha=0.7, label="reference (pylintseq)" if method == "reference" else method)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("lines of the file")
    ax.set_ylabel("CPU seconds to convert (one core)")
    ax.set_title("Converting real Python files: cost against size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus folder with manifest.jsonl")
    parser.add_argument("--files", type=int, default=10, help="files per bucket (default 10)")
    parser.add_argument("--buckets", default=",".join(f"{a}-{b}" for a, b in BUCKETS),
                        help="size buckets LOW-HIGH (lines, HIGH excluded), comma separated")
    parser.add_argument("--methods", default="reference,pylint", help="reference and/or lintseq analyzers")
    parser.add_argument("--max-seconds", type=float, default=600.0,
                        help="wall seconds after which one conversion is stopped and counted at that cost")
    parser.add_argument("--cold", action="store_true",
                        help="no warm-up: each library module is built, inside the timings, by the "
                        "first file that imports it (default: every file is linted once, untimed, "
                        "by every method first, as in the steady state of a long conversion)")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for results.json and cost_vs_lines.png")
    parser.add_argument("--render", action="store_true",
                        help="only rebuild table.md and the PNG from the results.json in --out")
    args = parser.parse_args(argv)
    if args.render:
        results = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
        render(args.out, results)
        (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        return 0

    manifest = args.corpus / "manifest.jsonl"
    if not manifest.is_file():
        raise SystemExit(f"no corpus at {manifest}: run benchmarks/corpus/build.py --lang python")
    buckets = [tuple(int(x) for x in b.split("-")) for b in args.buckets.split(",") if b]
    names = [m for m in args.methods.split(",") if m]
    picked = {f"{low}-{high}": pick_files(manifest, low, high, args.files) for low, high in buckets}
    texts = {row["path"]: (args.corpus / row["path"]).read_text(encoding="utf-8", errors="replace")
             for rows in picked.values() for row in rows}
    warm = [] if args.cold else list(texts.values())
    ctx = mp.get_context("spawn")
    methods = {name: Method(name, ctx, warm) for name in names}
    for m in methods.values():
        m.start()
    cells: dict[str, dict[str, Cell]] = {}
    k = 0
    for key, rows in picked.items():
        cells[key] = {name: Cell() for name in names}
        for row in rows:
            code = texts[row["path"]]
            lines = row["lines"]
            order = names[k % len(names):] + names[: k % len(names)]
            for name in order:
                result = methods[name].convert(k, code, args.max_seconds)
                cell = cells[key][name]
                cell.files += 1
                cell.lines += lines
                cell.cpu_s += result["cpu"]
                cell.wall_s += result["wall"]
                cell.per_file.append((lines, result["cpu"]))
                cell.stopped += bool(result.get("stopped"))
                if result["error"] is not None:
                    cell.failed += 1
                elif round_trips(result["diffs"], code):
                    cell.round_trip += 1
            k += 1
            done = " ".join(f"{n}={cells[key][n].per_file[-1][1]:.2f}s" for n in names)
            print(f"  {key} {row['path']} ({lines} lines): {done}", file=sys.stderr, flush=True)
    for m in methods.values():
        m.stop()

    table = {}
    for key, row in cells.items():
        ref = row.get("reference")
        table[key] = {}
        for name, cell in row.items():
            out = cell.row()
            if ref is not None and name != "reference" and cell.cpu_s:
                out["speed_up"] = round(ref.cpu_s / cell.cpu_s, 2)
            table[key][name] = out
            print(json.dumps({"bucket": key, "method": name, **out}))
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = {
        **run_record(["lintseq", "pylint", "astroid", "pylintseq"]),
        "corpus": str(args.corpus), "files_per_bucket": args.files, "max_seconds": args.max_seconds,
        "warm": not args.cold, "methods": names, "load_average_at_end": os.getloadavg(),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    results = {
        "buckets": table,
        "per_file": {key: {name: cell.per_file for name, cell in row.items()} for key, row in cells.items()},
        "files": {key: [row["path"] for row in rows] for key, rows in picked.items()},
    }
    render(args.out, results)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}/: manifest.json, results.json, table.md, cost_vs_lines.png", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
