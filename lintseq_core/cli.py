"""The ``lintseq-core`` command line: convert, languages, lint, show, ablate.

Each subcommand lives in ``lintseq_core/commands/<name>.py`` and exposes
``add_parser(subparsers)``, which registers it and sets ``func`` (returning an exit code).
Exit codes: 0 success, 1 failure of the work itself, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from lintseq_core import __version__
from lintseq_core.errors import ConfigError, LintseqError, PluginLoadError

__all__ = ["build_parser", "main"]

COMMANDS = ("convert", "languages", "lint", "show", "ablate")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lintseq-core",
        description="Turn code datasets into LintSeq synthetic edit sequences, in many languages.",
        epilog="Run `lintseq-core COMMAND --help` for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar, warnings only")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"lintseq_core.commands.{name}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING
    if args.verbose == 1:
        level = logging.INFO
    elif args.verbose > 1:
        level = logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except (ConfigError, PluginLoadError) as exc:
        print(f"lintseq-core {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except LintseqError as exc:
        print(f"lintseq-core {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
