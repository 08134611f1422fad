"""Rows of a JSON Lines or JSON-array file, gzipped or not: the one reader every part shares.

Benchmarks, training data and benchmark scripts all read the same shapes (``.jsonl``,
``.jsonl.gz``, ``.json`` holding an array); one reader gives them the same errors, naming
the file and line. The conversion pipeline streams its inputs instead
(:mod:`lintseq_core.pipeline.readers`): it never holds a whole dataset.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

from lintseq_core.errors import LintseqError

__all__ = ["RowsError", "read_rows"]


class RowsError(LintseqError):
    """A file that is not UTF-8 JSON Lines or a JSON array of objects."""


def read_rows(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every row of ``path``: a JSON array when the text starts with ``[``, else one per line."""
    path = Path(path)
    try:
        if path.name.endswith(".gz"):
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                text = fh.read()
        else:
            text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise RowsError(f"cannot read {path} as UTF-8 text: {exc}") from exc
    if text.lstrip().startswith("["):
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RowsError(f"{path} is not a valid JSON array: {exc}") from exc
        where = [f"{path}: item {i}" for i in range(len(rows))]
    else:
        rows, where = [], []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise RowsError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
            where.append(f"{path}:{n}")
    for row, at in zip(rows, where, strict=True):
        if not isinstance(row, dict):
            raise RowsError(f"{at}: expected a JSON object, got {type(row).__name__}")
    return rows
