"""Fidelity on real code: the share of intermediate states each language's compiler accepts.

    python benchmarks/corpus/build.py                      # once: the corpora, ~/.cache/lintseq
    python benchmarks/bench_realcode.py                    # every language, every file
    python benchmarks/bench_realcode.py --lang go --limit 40 --failures /tmp/go.jsonl

Corpus: ``~/.cache/lintseq/corpora/<language>/`` as built by ``benchmarks/corpus/build.py``
(whole programs and library files from Debian, npm and PyPI packages; see its manifest).
Every file is converted with the language's default (fast) analyzer; every intermediate
state is judged by the language's oracle (its compiler, pylint for Python) under the relative
rule: a state passes when the oracle reports no error that the original lacks (for a program
that compiles alone this is the absolute rule). Originals the oracle cannot parse are left
out and counted. Round trip is checked on every sequence.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from lintseq_core import ablate
from lintseq_core.ablate import (
    AblationRow,
    Program,
    SamplerSpec,
    run_ablation,
    write_csv,
    write_markdown,
)
from lintseq_core.host import get_host
from lintseq_core.provenance import run_record

CORPORA = Path(os.environ.get("LINTSEQ_CACHE", Path.home() / ".cache" / "lintseq")) / "corpora"
LANGUAGES = ["c", "cpp", "go", "java", "javascript", "python", "ruby", "rust", "typescript"]
# Compilers stop after a few errors by default: the relative rule needs all of them.
UNLIMITED_ERRORS = {
    "LINTSEQ_GO_ARGS": "-e",
    # javac skips flow analysis (definite assignment, missing return) once a file has any
    # resolution error unless told otherwise: library files would never be checked for them.
    "LINTSEQ_JAVAC_ARGS": "-Xmaxerrs 100000 -XDshould-stop.ifError=FLOW",
    "LINTSEQ_GCC_ARGS": "-fmax-errors=0",
    "LINTSEQ_GXX_ARGS": "-fmax-errors=0",
}


def load_corpus(
    root: Path, language: str, limit: int | None, role: str | None,
    min_lines: int = 0, max_lines: int | None = None, offset: int = 0, every: int = 1,
) -> list[Program]:
    """The corpus files of one language, in manifest order (optionally one size window).

    ``offset``/``every`` take every ``every``-th file from ``offset`` on: a sample spread over
    all the corpus's packages (the manifest lists them package by package), and with another
    offset one disjoint from it (files held out while fixing).
    """
    manifest = root / language / "manifest.jsonl"
    if not manifest.exists():
        raise SystemExit(f"no corpus for {language} at {manifest}: run benchmarks/corpus/build.py --lang {language}")
    programs = []
    with open(manifest, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if role and row["role"] != role:
                continue
            if row["lines"] < min_lines or (max_lines is not None and row["lines"] > max_lines):
                continue
            code = (root / language / row["path"]).read_text(encoding="utf-8")
            programs.append(Program(row["path"], language, code))
    programs = programs[offset::every]
    return programs[:limit] if limit else programs


def spread_states(states: list[str], k: int) -> list[str]:
    """At most ``k`` of a sequence's states, evenly spread from its first to its last edit.

    For files whose oracle is slow (pylint takes seconds per state on a 1,500-line file):
    ``--states-per-file 8`` judges 8 states of each file instead of every one.
    """
    n = len(states)
    if n <= k:
        return list(states)
    return [states[(2 * i + 1) * n // (2 * k)] for i in range(k)]


def _single(row: AblationRow) -> float:
    return sum(e == 1 for e in row.edits) / max(1, len(row.edits))


def _table(rows: list[AblationRow], verified: dict[str, AblationRow]) -> str:
    """One table: language x (states, accepted %, --verify repairs %, programs/CPU-s both ways)."""
    out = [
        "| language | files | states | accepted (default analyzer) | single-edit | round trip "
        "| accepted with --verify | --verify repairs (% of edits) | programs/CPU-s | programs/CPU-s with --verify |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        v = verified.get(row.language)
        vcells = (
            [f"{100 * v.acceptance:.2f}%", f"{100 * v.repairs / max(1, sum(v.edits)):.2f}% ({v.repairs})",
             f"{row.programs_per_cpu_s:.2f}", f"{v.programs_per_cpu_s:.2f}"]
            if v else ["-", "-", f"{row.programs_per_cpu_s:.2f}", "-"]
        )
        out.append("| " + " | ".join([
            row.language, str(row.programs), str(row.states), f"{100 * row.acceptance:.2f}%",
            f"{100 * _single(row):.1f}%", f"{100 * row.roundtrip:.1f}%", *vcells,
        ]) + " |")
    return "\n".join(out)


def _corpus_summary(root: Path, language: str) -> dict:
    """Files, roles, packages and sizes of a language's corpus, for the manifest."""
    rows = [json.loads(line) for line in (root / language / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    return {
        "files": len(rows),
        "programs": sum(r["role"] == "program" for r in rows),
        "packages": sorted({f"{r['package']} {r['version']}" for r in rows}),
        "lines": [min(r["lines"] for r in rows), max(r["lines"] for r in rows)] if rows else [],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lang", nargs="+", default=LANGUAGES)
    p.add_argument("--corpora", type=Path, default=CORPORA)
    p.add_argument("--limit", type=int, help="files per language")
    p.add_argument("--offset", type=int, default=0, help="start at this file of the (filtered) manifest")
    p.add_argument("--every", type=int, default=1, help="take every N-th file (a sample across packages)")
    p.add_argument("--role", choices=("program", "library"), help="only whole programs or library files")
    p.add_argument("--min-lines", type=int, default=0, help="only files of at least this many lines")
    p.add_argument("--max-lines", type=int, help="only files of at most this many lines (a size bucket)")
    p.add_argument("--linter", action="append", default=[], metavar="LANG=ANALYZER",
                   help="convert LANG with ANALYZER instead of its default")
    p.add_argument("--jobs", type=int, default=2, help="oracle processes at once")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--verify", action="store_true",
                   help="also convert with --verify (every state checked by the compiler) and compare")
    p.add_argument("--states-per-file", type=int, metavar="K",
                   help="judge at most K states of each file, evenly spread over its sequence (slow oracles)")
    p.add_argument("--failures", type=Path, help="write failing states (with the oracle's errors) here")
    p.add_argument("--out", type=Path, help="folder for realcode.md / realcode.csv")
    args = p.parse_args(argv)
    for key, value in UNLIMITED_ERRORS.items():
        os.environ.setdefault(key, value)
    linters = dict(item.split("=", 1) for item in args.linter)
    if args.states_per_file:
        every_state = ablate.state_texts
        ablate.state_texts = lambda seq: spread_states(every_state(seq), args.states_per_file)
    host = get_host()
    rows = []
    verified: dict[str, AblationRow] = {}
    failures = []
    for language in args.lang:
        programs = load_corpus(args.corpora, language, args.limit, args.role, args.min_lines, args.max_lines,
                               args.offset, args.every)
        spec = SamplerSpec("lintseq", linters.get(language) or host.analyzer(language).name)
        (row,) = run_ablation(
            host, {language: programs}, [spec], seed=args.seed, oracle_jobs=args.jobs,
            slow_limit=None, relative=True,
            progress=lambda msg: print(msg, file=sys.stderr, flush=True),
        )
        rows.append(row)
        failures.extend({"language": language, **f} for f in row.failures)
        print(
            f"{language:11s} files {row.programs:4d} (rejected {row.rejected}: {row.reject_reasons})  "
            f"judged {row.oracle_programs:4d}  states {row.states:6d}  accepted {100 * row.acceptance:6.2f}%  "
            f"round trip {100 * row.roundtrip:.1f}%  edits/program {row.edits_mean:.1f}  "
            f"single-edit {100 * _single(row):.1f}%  programs/CPU-s {row.programs_per_cpu_s:.1f}",
            flush=True,
        )
        if args.verify:
            (vrow,) = run_ablation(
                host, {language: programs}, [spec], seed=args.seed, oracle_jobs=args.jobs,
                slow_limit=None, relative=True, sampler_options={"verify": True},
                progress=lambda msg: print(msg + " (--verify)", file=sys.stderr, flush=True),
            )
            verified[language] = vrow
            failures.extend({"language": language, "verify": True, **f} for f in vrow.failures)
    print()
    print(_table(rows, verified))
    if args.failures:
        with open(args.failures, "w", encoding="utf-8") as fh:
            for f in failures:
                fh.write(json.dumps(f) + "\n")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        write_markdown(rows, args.out / "realcode.md")
        write_csv(rows, args.out / "realcode.csv")
        if verified:
            write_csv(list(verified.values()), args.out / "realcode_verified.csv")
        (args.out / "table.md").write_text(_table(rows, verified) + "\n", encoding="utf-8")
        manifest = {**run_record(["lintseq", "tree-sitter", "pylint"]), "tools": dict(host.versions()),
                    "corpus": {lang: _corpus_summary(args.corpora, lang) for lang in args.lang}}
        (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
