"""``lintseq-core show``: an edit sequence of a converted file, rendered for reading."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lintseq_core.edits import render_edit_path, resolve_edit_path
from lintseq_core.errors import ConfigError

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="render edit sequences of a converted JSONL file")
    p.add_argument("file", help="output of `lintseq-core convert` (JSONL), '-' for stdin")
    p.add_argument("-n", "--row", type=int, default=0, help="0-based row of the file to show (default 0)")
    p.add_argument("--index", type=int, help="show every row of this input index instead")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument("--program", action="store_true", help="also print the resolved program")
    p.set_defaults(func=run)


def _rows(name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    if name == "-":
        stream = sys.stdin
    else:
        path = Path(name)
        if not path.is_file():
            raise ConfigError(f"no such file: {name}")
        stream = path.open(encoding="utf-8")
    with stream:
        for n, line in enumerate(stream):
            if line.strip():
                try:
                    yield n, json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ConfigError(f"{name}:{n + 1}: not JSON: {exc}") from exc


def run(args: argparse.Namespace) -> int:
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    shown = 0
    for n, row in _rows(args.file):
        if args.index is not None:
            if row.get("index") != args.index:
                continue
        elif n != args.row:
            continue
        if "edit_path" not in row:
            raise ConfigError(f"{args.file}:{n + 1}: row has no 'edit_path'")
        head = (
            f"row {n}: index {row.get('index')} sample {row.get('sample', 0)} · "
            f"{row.get('language')} · {row.get('linter')} · {row.get('sampler')}"
        )
        print(("\x1b[1m" + head + "\x1b[0m") if color else head)
        if row.get("instruction"):
            print(row["instruction"])
        start = row.get("start_state") or ""  # a --subtrajectories row starts from a partial file
        if "start_state" in row:
            print(f"── start: state {row.get('start_index')} of 0..{row.get('num_states', 0) - 1} " + "─" * 30)
            print(start or "(empty file)")
        print(render_edit_path(row["edit_path"], color=color))
        if args.program:
            print("── program " + "─" * 40)
            print(resolve_edit_path(row["edit_path"], start=start))
        shown += 1
        if args.index is None:
            break
    if not shown:
        raise ConfigError("no matching row")
    return 0
