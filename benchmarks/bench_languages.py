"""Cross-language figures for the README: round trip, oracle acceptance, edits, throughput.

    python benchmarks/bench_languages.py                      # everything (about an hour on 2 cores)
    python benchmarks/bench_languages.py --limit 20 --slow-limit 3   # a quick look

Corpora:
* HumanEval-X canonical solutions (cpp, go, java, js, python, rust) from ``../shared/data``:
  the program is declaration + canonical solution (Go: ``package main`` + import field too);
* TypeScript, C and Ruby: the hand-written programs in ``tests/plugins/treesitter/programs``,
  plus the HumanEval-X JavaScript solutions read as TypeScript (checked with ``--strict false``,
  as plain JavaScript has no type annotations).

HumanEval-X is read by the evaluation stack's ablation reader (:mod:`lintseq_eval.ablation`,
the one ``lintseq-core ablate`` uses); its Rust declarations import the crates ``rand``,
``regex`` and ``md5``, and the reader points the rustc oracle at the evaluation's bundled
stand-ins (``lintseq_eval/languages/shims/rust``) so the programs are checked offline.
Outputs are those of ``lintseq-core ablate`` (``ablation.md``, ``ablation.csv``,
``failures.jsonl``, figures) plus ``manifest.json``.

Samplers: LintSeq with the tree-sitter analyzer, random deletion (the floor), and LintSeq with
the compiler itself (on ``--slow-limit`` programs per language: one compile per lint call).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from lintseq_eval.ablation import HUMANEVAL_X as HUMANEVAL_X_READER

from lintseq_core.ablate import (
    AblationRow,
    SamplerSpec,
    load_programs,
    read_csv,
    run_ablation,
    write_csv,
    write_failures,
    write_figures,
    write_markdown,
)
from lintseq_core.host import get_host
from lintseq_core.provenance import run_record

REPO = Path(__file__).resolve().parents[1]
SHARED = (Path(os.environ.get("LINTSEQ_DATA_DIR", REPO / ".." / "shared" / "data")) / "humaneval-x").resolve()
OWN = REPO / "tests" / "plugins" / "treesitter" / "programs"
HUMANEVAL_X = ["cpp", "go", "java", "javascript", "python", "rust"]
OWN_LANGS = ["c", "ruby", "typescript"]
COMPILERS = ["g++", "go", "javac", "node", "pylint", "rustc", "gcc", "ruby", "tsc"]


def throughput(host, programs: dict, analyzer: str, min_conversions: int = 300) -> list[tuple[str, int, float, float]]:
    """(language, conversions, programs/s wall, programs per CPU-second) of one analyzer.

    Programs are converted in a loop (new seeds) until ``min_conversions`` are done, after a
    warm-up, in this one process: CPU time is what one core spends, whatever else runs.
    """
    import time

    from lintseq_core.errors import ProgramRejected
    from lintseq_core.sampler import make_sampler, sample_many

    out = []
    for lang, progs in programs.items():
        if analyzer not in host.analyzers(lang):
            continue
        sampler = make_sampler(host, lang, analyzer)
        sampler.prepare(progs[0].code)
        done, seed = 0, 0
        wall, cpu = time.perf_counter(), time.process_time()
        while done < min_conversions:
            for index, prog in enumerate(progs):
                try:
                    sample_many(sampler, prog.code, seed=seed, index=index)
                except ProgramRejected:
                    continue
                done += 1
            seed += 1
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        out.append((lang, done, done / wall, done / cpu))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="programs per language (default: all)")
    parser.add_argument("--slow-limit", type=int, default=10, help="programs for compiler-backed samplers")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--lang", nargs="*", default=None, help="restrict to these languages")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "languages")
    parser.add_argument("--merge", nargs="+", type=Path, default=None, metavar="DIR",
                        help="merge the ablation.csv of earlier runs (e.g. one per language group) "
                        "into one table and figure in --out")
    parser.add_argument("--no-compiler-samplers", action="store_true",
                        help="only the tree-sitter analyzer and random deletion (no lintseq:<compiler> rows)")
    parser.add_argument("--throughput-only", action="store_true",
                        help="only measure tree-sitter analyzer throughput (no oracle)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    host = get_host()
    samplers = [SamplerSpec("lintseq", "treesitter"), SamplerSpec("random")]
    if not args.no_compiler_samplers:
        samplers += [SamplerSpec("lintseq", name) for name in COMPILERS]
    rows: list[AblationRow] = []

    def keep(langs: list[str]) -> list[str]:
        return [lang for lang in langs if args.lang is None or lang in args.lang]

    if args.merge:
        for folder in args.merge:
            rows += read_csv(folder / "ablation.csv")
        write_markdown(rows, args.out / "ablation.md")
        write_csv(rows, args.out / "ablation.csv")
        write_figures(rows, args.out)
        print((args.out / "ablation.md").read_text(encoding="utf-8"))
        return 0
    if args.throughput_only:
        lines = ["| language | corpus | conversions | programs/s (wall) | programs per CPU-second |", "|---|---|---|---|---|"]
        for langs, dataset, corpus in ((keep(HUMANEVAL_X), SHARED, "HumanEval-X"), (keep(OWN_LANGS), OWN, "own programs")):
            if langs:
                programs = load_programs(host, dataset, langs, args.limit)
                for lang, n, wall, cpu in throughput(host, programs, "treesitter"):
                    lines.append(f"| {lang} | {corpus} | {n} | {wall:.0f} | {cpu:.0f} |")
        (args.out / "throughput.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print("\n".join(lines))
        return 0

    def ablate(dataset: Path, langs: list[str], options: argparse.Namespace | None = None) -> list[AblationRow]:
        programs = load_programs(host, dataset, langs, args.limit, options=options)
        return run_ablation(host, programs, samplers, oracle_jobs=args.jobs, slow_limit=args.slow_limit,
                            progress=lambda m: print(m, file=sys.stderr))

    env = HUMANEVAL_X_READER.environment(SHARED, keep(HUMANEVAL_X), None)  # bundled Rust crates
    saved = {key: os.environ.get(key) for key in [*env, "LINTSEQ_TSC_ARGS"]}
    try:
        for key, value in env.items():
            os.environ.setdefault(key, value)
        if keep(HUMANEVAL_X):
            rows += ablate(SHARED, keep(HUMANEVAL_X))
        if keep(OWN_LANGS):
            rows += ablate(OWN, keep(OWN_LANGS))
        if not args.lang or "typescript" in args.lang:
            os.environ["LINTSEQ_TSC_ARGS"] = "--strict false"
            extra = ablate(SHARED, ["typescript"], argparse.Namespace(humaneval_x_file=["typescript=js"]))
            for row in extra:
                row.language = "typescript (HumanEval-X js)"
            rows += extra
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    write_markdown(rows, args.out / "ablation.md")
    write_csv(rows, args.out / "ablation.csv")
    write_figures(rows, args.out)
    write_failures(rows, args.out / "failures.jsonl")
    manifest = {**run_record(["lintseq", "tree-sitter", "pylint"]), "tools": dict(host.versions()),
                "corpus": f"HumanEval-X canonical solutions ({SHARED}); own programs ({OWN.relative_to(REPO)})"}
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print((args.out / "ablation.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
