"""``lintseq-core ablate``: samplers × languages on a dataset, judged by each language's oracle.

Example (HumanEval-X beside the repository; its reader comes with the evaluation stack)::

    lintseq-core ablate ../shared/data/humaneval-x --lang cpp go java js python rust \\
        --sampler lintseq:treesitter random lintseq --out results/ablation

writes ``ablation.md``, ``ablation.csv``, ``failures.jsonl`` and PNG figures to ``--out``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lintseq_core.errors import ConfigError

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    from lintseq_core.datasets import dataset_readers
    from lintseq_core.errors import PluginLoadError

    try:
        readers = dataset_readers()
        problem = None
    except PluginLoadError as exc:  # other commands must still run: report it from `ablate`
        readers, problem = [], exc
    p = sub.add_parser(
        "ablate",
        help="compare samplers across languages: edits, oracle acceptance, throughput",
        description=(
            "Convert the programs of a dataset with each sampler and judge every intermediate "
            "state with the language's oracle (its compiler-backed or reference analyzer). "
            "DATASET is a folder of source files or a dataset an installed reader knows: "
            + "; ".join(f"{r.name}: {r.description}" for r in readers)
        ),
    )
    p.add_argument("dataset", type=Path, help="folder of programs, or a dataset a reader knows")
    p.add_argument("--lang", nargs="+", required=True, metavar="LANG", help="languages (names or aliases)")
    p.add_argument(
        "--sampler",
        nargs="+",
        default=["lintseq:treesitter", "random"],
        metavar="SPEC",
        help="random, lintseq (default analyzer) or lintseq:<analyzer>, e.g. lintseq:g++ "
        "(default: lintseq:treesitter random)",
    )
    p.add_argument("--oracle", action="append", default=[], metavar="LANG=ANALYZER",
                   help="judge LANG with ANALYZER instead of its first available compiler")
    p.add_argument("--no-oracle", action="store_true", help="skip judging states (throughput only)")
    p.add_argument("--limit", type=int, default=None, help="at most this many programs per language")
    p.add_argument("--slow-limit", type=int, default=10,
                   help="programs converted by samplers whose analyzer is slow (compilers); "
                   "0 = all (default: 10)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--jobs", type=int, default=2, help="oracle processes run at once (default: 2)")
    p.add_argument("--out", type=Path, default=Path("ablation"), help="output folder")
    p.add_argument("--no-figures", action="store_true", help="skip the matplotlib figures")
    for reader in readers:
        reader.add_arguments(p)
    p.set_defaults(func=run, reader_problem=problem)


def _pairs(values: list[str], flag: str) -> dict[str, str]:
    out = {}
    for v in values:
        key, sep, value = v.partition("=")
        if not sep or not key or not value:
            raise ConfigError(f"{flag} expects LANG=VALUE, got {v!r}")
        out[key] = value
    return out


def run(args: argparse.Namespace) -> int:
    from lintseq_core.ablate import (
        load_programs,
        parse_sampler,
        run_ablation,
        write_csv,
        write_failures,
        write_figures,
        write_markdown,
    )
    from lintseq_core.datasets import dataset_readers
    from lintseq_core.host import get_host

    if args.reader_problem is not None:
        raise args.reader_problem
    host = get_host()
    languages = [host.language(name).name for name in args.lang]
    samplers = [parse_sampler(s) for s in args.sampler]
    oracle = {host.language(k).name: v for k, v in _pairs(args.oracle, "--oracle").items()}
    for lang, name in oracle.items():
        host.analyzer(lang, name)  # unknown or unavailable oracle: one clear error now
    if args.no_oracle:
        oracle = dict.fromkeys(languages, "none")
    for spec in samplers:
        if spec.analyzer is not None and not any(spec.analyzer in host.analyzers(lang) for lang in languages):
            raise ConfigError(f"no language among {', '.join(languages)} has an analyzer {spec.analyzer!r}")
    readers = dataset_readers()
    programs = load_programs(host, args.dataset, languages, args.limit, readers=readers, options=args)
    if not args.no_oracle:
        for reader in readers:  # e.g. bundled crates a compiler oracle links; a user's setting wins
            for key, value in reader.environment(args.dataset, languages, args).items():
                os.environ.setdefault(key, value)
    quiet = getattr(args, "quiet", False)
    rows = run_ablation(
        host,
        programs,
        samplers,
        seed=args.seed,
        oracle=oracle,
        oracle_jobs=args.jobs,
        slow_limit=args.slow_limit or None,
        progress=None if quiet else (lambda msg: print(msg, file=sys.stderr)),
    )
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_markdown(rows, out / "ablation.md")
    write_csv(rows, out / "ablation.csv")
    write_failures(rows, out / "failures.jsonl")
    if not args.no_figures:
        write_figures(rows, out)
    print((out / "ablation.md").read_text(encoding="utf-8"), end="")
    return 0
