"""``lintseq-core lint FILE``: the diagnostics an analyzer reports for a file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lintseq_core.errors import ConfigError
from lintseq_core.host import get_host

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lint", help="run an analyzer on files and print its diagnostics")
    p.add_argument("files", nargs="+", metavar="FILE", help="files to analyze ('-' for stdin)")
    p.add_argument("--lang", help="language (default: from the file extension)")
    p.add_argument("--linter", help="analyzer name (default: the language's default)")
    p.add_argument("--json", action="store_true", help="one JSON object per diagnostic on stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    host = get_host()
    found = 0
    for name in args.files:
        if name == "-":
            text = sys.stdin.read()
        else:
            path = Path(name)
            if not path.is_file():
                raise ConfigError(f"no such file: {name}")
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                raise ConfigError(f"{name} is not UTF-8 text: {exc}") from exc
        if args.lang:
            lang = host.language(args.lang)
        else:
            detected = host.language_for_path(name)
            if detected is None:
                raise ConfigError(f"cannot tell the language of {name}; pass --lang")
            lang = detected
        info = host.analyzer(lang.name, args.linter)
        for d in host.analyze(lang.name, info.name, text):
            found += 1
            if args.json:
                print(json.dumps({"file": name, "line": d.line, "code": d.code, "message": d.message, "syntax": d.syntax}))
            else:
                print(f"{name}:{d.line}: {d.code} {d.message}")
    return 1 if found else 0
