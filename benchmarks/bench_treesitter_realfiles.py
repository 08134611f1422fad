"""The tree-sitter engine on real files by size: CPU cost per file and lines per second.

    python benchmarks/corpus/build.py                        # once: the corpora
    python benchmarks/bench_treesitter_realfiles.py          # 8 languages, 8 files per bucket
    python benchmarks/bench_treesitter_realfiles.py --lang javascript go --files 12

Takes files of each language's real-code corpus (``~/.cache/lintseq/corpora/<lang>``, built
by ``benchmarks/corpus/build.py``) in size buckets, evenly spread over the manifest (so over
its packages), and converts each with the language's default analyzer (the tree-sitter
engine) through the LintSeq sampler, in this process, one file after another. Cost is CPU
seconds of this process and of the compilers it ran (``RUSAGE_CHILDREN``: the
compiler-informed structure of C, C++, Go, Java and Rust runs a compiler once per
program), so load on a shared machine inflates wall time but not these figures.

There is no reference implementation to run beside it (the official LintSeq code converts
Python only). ``--compare fresh`` runs, in the same process and interleaved file by file,
the engine with a fresh tree-sitter parse per state (as before ``reparse.py``) beside the
default that edits the last state's tree: the two must give identical sequences, which the
run checks.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_sample import pick_files

from lintseq_core.provenance import run_record

CORPORA = Path(os.environ.get("LINTSEQ_CACHE", Path.home() / ".cache" / "lintseq")) / "corpora"
LANGUAGES = ("c", "cpp", "go", "java", "javascript", "ruby", "rust", "typescript")
BUCKETS = ((200, 500), (500, 1500))
OUT = Path(__file__).resolve().parent / "results" / "treesitter-realfiles"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def convert(sampler: Any, code: str, index: int) -> tuple[float, int, Any]:
    """CPU seconds, lint calls and the sequence of one conversion (``None``: rejected)."""
    from lintseq_core.errors import ProgramRejected
    from lintseq_core.sampler import sample_many

    start = _cpu()
    try:
        seq, stats = sample_many(sampler, code, seed=0, index=index)[0]
    except ProgramRejected:
        return _cpu() - start, 0, None
    return _cpu() - start, stats.lint_calls, seq.states


class _FreshParses:
    """The engine as it was before ``reparse.py``: every state parsed from scratch."""

    def __enter__(self) -> None:
        from lintseq_treesitter import compiled

        self.saved = dict(compiled._CACHE)
        for key, lang in self.saved.items():
            compiled._CACHE[key] = dataclasses.replace(lang, reparser=None)

    def __exit__(self, *exc: object) -> None:
        from lintseq_treesitter import compiled

        compiled._CACHE.update(self.saved)


def markdown(rows: list[dict[str, Any]], compare: bool) -> str:
    head = "| language | lines | files | lines total | lint calls | CPU s | programs/s | lines/s |"
    if compare:
        head += " CPU s, fresh parses | lines/s, fresh parses | speed-up |"
    out = [head, "|" + " --- |" * (head.count("|") - 1)]
    for r in rows:
        line = (f"| {r['language']} | {r['bucket']} | {r['files']} | {r['lines']} | {r['lint_calls']} "
                f"| {r['cpu_s']} | {r['programs_per_cpu_s']} | **{r['lines_per_cpu_s']}** |")
        if compare:
            line += f" {r.get('fresh_cpu_s', '')} | {r.get('fresh_lines_per_cpu_s', '')} | {r.get('speed_up', '')}x |"
        out.append(line)
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", nargs="+", default=list(LANGUAGES), help="languages (default: the eight)")
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="root of the <lang>/manifest.jsonl corpora")
    parser.add_argument("--files", type=int, default=8, help="files per language and bucket (default 8)")
    parser.add_argument("--buckets", default=",".join(f"{a}-{b}" for a, b in BUCKETS),
                        help="size buckets LOW-HIGH (lines, HIGH excluded), comma separated")
    parser.add_argument("--compare", choices=("none", "fresh"), default="none",
                        help="fresh: also convert each file with a fresh parse per state, interleaved")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for table.md, results.json, manifest.json")
    args = parser.parse_args(argv)
    buckets = []
    for b in args.buckets.split(","):
        low, _, high = b.partition("-")
        if not (low.isdigit() and high.isdigit() and int(low) < int(high)):
            parser.error(f"--buckets: {b!r} is not LOW-HIGH with LOW < HIGH (e.g. 500-1500)")
        buckets.append((int(low), int(high)))
    from lintseq_core.host import get_host
    from lintseq_core.sampler import make_sampler

    host = get_host()
    compare = args.compare == "fresh"
    rows: list[dict[str, Any]] = []
    per_file: list[dict[str, Any]] = []
    for lang in args.lang:
        manifest = args.corpora / lang / "manifest.jsonl"
        if not manifest.is_file():
            raise SystemExit(f"no corpus at {manifest}: run benchmarks/corpus/build.py --lang {lang}")
        sampler = make_sampler(host, lang)
        for low, high in buckets:
            picked = pick_files(manifest, low, high, args.files)
            totals = {"files": 0, "lines": 0, "lint_calls": 0, "cpu": 0.0, "fresh_cpu": 0.0}
            for k, row in enumerate(picked):
                code = (args.corpora / lang / row["path"]).read_text(encoding="utf-8", errors="replace")
                runs = [False, True] if compare else [False]
                if compare and k % 2:
                    runs.reverse()  # alternate which goes first
                got: dict[bool, tuple[float, int, Any]] = {}
                for fresh in runs:
                    if fresh:
                        with _FreshParses():
                            got[fresh] = convert(sampler, code, k)
                    else:
                        got[fresh] = convert(sampler, code, k)
                cpu, calls, states = got[False]
                if states is None:
                    print(f"  {lang} {row['path']}: rejected (the original does not parse)", file=sys.stderr)
                    continue
                if compare and got[True][2] != states:
                    raise SystemExit(f"{lang} {row['path']}: the fresh-parse conversion differs")
                totals["files"] += 1
                totals["lines"] += row["lines"]
                totals["lint_calls"] += calls
                totals["cpu"] += cpu
                entry = {"language": lang, "path": row["path"], "lines": row["lines"], "cpu_s": round(cpu, 4),
                         "lint_calls": calls}
                if compare:
                    totals["fresh_cpu"] += got[True][0]
                    entry["fresh_cpu_s"] = round(got[True][0], 4)
                per_file.append(entry)
                print(f"  {lang} {low}-{high} {row['path']} ({row['lines']} lines): {cpu:.2f} CPU s, "
                      f"{calls} lint calls", file=sys.stderr, flush=True)
            if not totals["files"]:
                continue
            out = {
                "language": lang, "bucket": f"{low}-{high}", "files": totals["files"], "lines": totals["lines"],
                "lint_calls": totals["lint_calls"], "cpu_s": round(totals["cpu"], 2),
                "programs_per_cpu_s": round(totals["files"] / totals["cpu"], 3),
                "lines_per_cpu_s": round(totals["lines"] / totals["cpu"]),
            }
            if compare:
                out["fresh_cpu_s"] = round(totals["fresh_cpu"], 2)
                out["fresh_lines_per_cpu_s"] = round(totals["lines"] / totals["fresh_cpu"])
                out["speed_up"] = round(totals["fresh_cpu"] / totals["cpu"], 2)
            rows.append(out)
            print(json.dumps(out), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    record = {
        **run_record(["lintseq", "tree-sitter"]), "corpora": str(args.corpora), "files_per_bucket": args.files,
        "buckets": args.buckets, "compare": args.compare, "load_average_at_end": os.getloadavg(),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    (args.out / "manifest.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps({"buckets": rows, "per_file": per_file}, indent=2) + "\n",
                                           encoding="utf-8")
    (args.out / "table.md").write_text(markdown(rows, compare), encoding="utf-8")
    print(f"wrote {args.out}/: manifest.json, results.json, table.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
