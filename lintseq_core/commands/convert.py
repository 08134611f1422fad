"""``lintseq-core convert``: a code dataset in, LintSeq edit sequences out (one row per sequence).

With no ``--input`` it converts the small Python dataset shipped with the package, so the
first command of the README works offline. Rows that cannot be converted go to a rejects
file with a reason; a summary goes to stderr and to the manifest.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from typing import Any

from lintseq_core.errors import ConfigError

__all__ = ["add_parser", "run"]


class _SuggestingParser(argparse.ArgumentParser):
    """Says which flag was probably meant when an option is misspelt."""

    def parse_known_args(self, args: Sequence[str] | None = None, namespace: Any = None):  # type: ignore[override]
        ns, extras = super().parse_known_args(args, namespace)
        flags = [s for a in self._actions for s in a.option_strings if s.startswith("--")]
        for extra in extras:
            if extra.startswith("-") and extra != "-":
                name = extra.split("=", 1)[0]
                close = difflib.get_close_matches(name, flags, n=2, cutoff=0.6)
                hint = f"; did you mean {' or '.join(close)}?" if close else "; see `lintseq-core convert --help`"
                self.error(f"unknown option {name}{hint}")
        return ns, extras


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "convert",
        help="convert a code dataset into LintSeq edit sequences",
        description="Convert a code dataset into LintSeq edit sequences (one output row per "
        "sampled sequence). With no --input, converts the bundled sample dataset.",
        epilog="Example: lintseq-core convert --lang python --input programs.jsonl "
        "--instruction-field text --output programs.lintseq.jsonl --workers 2",
    )
    p.__class__ = _SuggestingParser

    what = p.add_argument_group("what to produce")
    what.add_argument("--lang", "--language", dest="lang",
                      help="language of the programs (default: the bundled sample's, python)")
    what.add_argument("--linter", help="analyzer name, e.g. pylint (default: the language's default)")
    what.add_argument("--sampler", choices=("lintseq", "random"), default="lintseq",
                      help="lintseq (linter-guided) or random (the paper's ablation); default lintseq")
    what.add_argument("--samples-per-program", type=int, default=1, metavar="N",
                      help="edit sequences drawn per program (default 1)")
    what.add_argument("--seed", type=int, default=0, help="random seed; same seed, same output (default 0)")
    what.add_argument("--reference-rules", action="store_true",
                      help="reproduce the reference implementation's linter rules exactly")
    what.add_argument("--indent-bias", type=float, default=1.0,
                      help="weight of deeper lines when picking a line to delete (default 1)")
    what.add_argument("--newlines", choices=("keep", "lf"), default="keep",
                      help="keep line endings byte for byte, or normalise CRLF/CR to LF (default keep)")
    what.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                      help="time limit per program: the sampler stops at it between analyzer "
                      "calls, and a worker process stuck past it (plus a grace period) is killed "
                      "and restarted; the row is rejected with reason 'timeout' (default 60). "
                      "In-process (one worker, no --isolate) only the first applies")
    what.add_argument("--max-lines", type=int, default=20000,
                      help="reject programs longer than this (default 20000)")
    what.add_argument("--subtrajectories", type=int, metavar="K",
                      help="D3-style rows: for each sequence, K (start, end) slices, each with "
                      "start_state, the edit_path from it, end_state and the indices "
                      "(docs/subtrajectories.md)")
    what.add_argument("--start-weights", choices=("d3", "uniform"),
                      help="how slice starts are drawn: d3 (half from the empty file, the "
                      "default) or uniform; needs --subtrajectories")
    what.add_argument("--verify", action="store_true",
                      help="check every intermediate state with the language's compiler (pylint "
                      "for Python) and extend a deletion until the compiler accepts what is left: "
                      "every emitted state compiles (or adds no error the original lacks). "
                      "Slower; rows record verified and repairs (the fast analyzer's misses)")
    what.add_argument("--verify-analyzer", metavar="NAME",
                      help="analyzer --verify uses, e.g. javac or pylint (default: the language's "
                      "compiler-backed analyzer; see `lintseq-core languages`)")

    fields = p.add_argument_group("input fields")
    fields.add_argument("--code-field", default="code", metavar="F", help="field holding the program (default code)")
    fields.add_argument("--instruction-field", metavar="F",
                        help="field holding the instruction (default instruction)")
    fields.add_argument("--instruction-template", metavar="TEMPLATE",
                        help="build the instruction from several fields, e.g. '{text}\\n{test_list}'")
    fields.add_argument("--no-instruction", action="store_true", help="rows have no instruction")
    fields.add_argument("--language-field", metavar="F",
                        help="field naming each row's language (mixed-language datasets)")
    fields.add_argument("--no-extract-code", action="store_true",
                        help="do not pull code out of markdown ``` fences in the code field")

    io = p.add_argument_group("input and output")
    io.add_argument("-i", "--input", help="JSONL/JSON/Parquet/CSV/Arrow file, a save_to_disk folder, "
                    "or a hub dataset name (default: the bundled sample)")
    io.add_argument("--input-format", choices=("jsonl", "json", "parquet", "csv", "arrow", "hf-disk", "hub"),
                    help="format of --input (default: from its name)")
    io.add_argument("--split", help="split of a hub dataset or DatasetDict")
    io.add_argument("--revision", help="revision (branch, tag, commit) of a hub dataset")
    io.add_argument("--subset", help="configuration name of a hub dataset")
    io.add_argument("-o", "--output", help="output file, or folder with --shard-size / datasets "
                    "(default: <input name>.lintseq.jsonl here)")
    io.add_argument("--output-format", choices=("jsonl", "parquet", "datasets"),
                    help="jsonl (default), parquet, or a datasets folder (save_to_disk)")
    io.add_argument("--shard-size", type=int, metavar="ROWS", help="output rows per shard file")
    io.add_argument("--rejects", metavar="PATH", help="rejects JSONL (default: beside the output)")
    io.add_argument("--limit", type=int, metavar="N", help="convert only the first N input rows")
    io.add_argument("--overwrite", action="store_true", help="replace existing output")
    io.add_argument("--resume", action="store_true", help="finish an interrupted run from its checkpoint")
    io.add_argument("--checkpoint-seconds", type=float, default=5.0, metavar="S",
                    help="seconds between checkpoints (default 5)")

    run_ = p.add_argument_group("how to run")
    run_.add_argument("-w", "--workers", type=int, default=1, metavar="N",
                      help="worker processes (or Ray actors) (default 1: convert in this "
                      "process, no worker to start; see --isolate)")
    run_.add_argument("--isolate", action="store_true",
                      help="with one worker, still convert in a worker process: an analyzer "
                      "that crashes or hangs inside a call then costs only its row (killed "
                      "past --timeout plus a grace period) instead of stopping the run")
    run_.add_argument("--engine", choices=("local", "ray"), default="local",
                      help="local worker processes (default) or Ray Data")
    run_.add_argument("--ray-address", metavar="ADDR",
                      help="Ray cluster to join, e.g. ray://head:10001 or auto (default: start a local one)")
    run_.add_argument("--plugin-host", metavar="MODULE:FUNC",
                      help="build the plugin host with this function instead of installed plugins")
    run_.add_argument("-q", "--quiet", dest="convert_quiet", action="store_true",
                      help="no progress bar and no summary")
    p.set_defaults(func=run)


# Flags whose parsed value is, as it is, the field of the same name.
_CONFIG_FLAGS = (
    "linter", "sampler", "samples_per_program", "seed", "code_field", "language_field", "newlines",
    "reference_rules", "indent_bias", "timeout", "max_lines", "verify", "verify_analyzer",
    "subtrajectories",
)
_PIPELINE_FLAGS = (
    "input", "input_format", "split", "revision", "subset", "output", "output_format", "rejects",
    "shard_size", "workers", "engine", "ray_address", "resume", "overwrite", "limit",
    "checkpoint_seconds", "plugin_host", "isolate",
)


def _same_named(args: argparse.Namespace, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(args, name) for name in names}


def _options(args: argparse.Namespace):
    from lintseq_core.convert import ConvertConfig
    from lintseq_core.pipeline import PipelineOptions

    if args.lang is None:
        if args.input is None or args.language_field:
            from lintseq_core.sample_data import sample_language

            args.lang = sample_language()
        else:
            raise ConfigError("pass --lang (e.g. --lang python), or --language-field for mixed-language data")
    if args.no_instruction and (args.instruction_field or args.instruction_template):
        raise ConfigError("--no-instruction contradicts --instruction-field/--instruction-template: keep one")
    if args.engine != "ray" and args.ray_address:
        raise ConfigError("--ray-address needs --engine ray")
    if args.limit is not None and args.limit < 1:
        raise ConfigError(f"--limit must be >= 1, got {args.limit}")
    if args.start_weights is not None and args.subtrajectories is None:
        raise ConfigError("--start-weights needs --subtrajectories K")
    if args.max_lines < 1:
        raise ConfigError(f"--max-lines must be >= 1, got {args.max_lines}")
    instruction_field = None if args.no_instruction else (args.instruction_field or "instruction")
    config = ConvertConfig(
        **_same_named(args, _CONFIG_FLAGS),
        language=args.lang,
        instruction_field=instruction_field,
        instruction_template=(
            None if args.instruction_template is None
            else args.instruction_template.replace("\\n", "\n").replace("\\t", "\t")
        ),
        extract_code=not args.no_extract_code,
        start_weights=args.start_weights or "d3",
    )
    quiet = bool(args.quiet or args.convert_quiet)
    options = PipelineOptions(
        **_same_named(args, _PIPELINE_FLAGS),
        progress=not quiet and sys.stderr.isatty(),
        instruction_field_explicit=args.instruction_field is not None,
    )
    return config, options, quiet


def run(args: argparse.Namespace) -> int:
    from lintseq_core.pipeline import run_pipeline

    config, options, quiet = _options(args)
    result = run_pipeline(config, options)
    if not quiet:
        files = result.data_files
        where = str(files[0]) if len(files) == 1 else f"{result.plan.output} ({len(files)} files)"
        print(result.summary.format(), file=sys.stderr)
        print(f"output: {where}\nrejects: {result.plan.rejects}\nmanifest: {result.plan.manifest}",
              file=sys.stderr)
    return 0
