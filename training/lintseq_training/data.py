"""Training examples from converted edit sequences or plain instruction/program rows.

Input is the JSONL written by ``lintseq-core convert`` (one row per sampled edit sequence,
rows of one program share ``index``) or any table of instruction/program rows. Every row
must be usable: a row without the needed fields stops the run with one message naming the
field, the count and how to fix it, before any model is loaded. Nothing is dropped silently;
the only rows merged are the repeated programs of a converted file in baseline format.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lintseq_core.edits import (
    baseline_prompt,
    format_baseline_text,
    format_training_text,
    training_prompt,
)
from lintseq_core.jsonrows import RowsError
from lintseq_core.jsonrows import read_rows as read_json_rows
from lintseq_core.partial_format import DEFAULT_PARTIAL_TEMPLATE
from lintseq_training.errors import TrainingDataError
from lintseq_training.partial_data import build_partial_examples, is_partial_data

__all__ = [
    "Example",
    "TrainingData",
    "build_examples",
    "fingerprint",
    "load_training_data",
    "read_rows",
    "texts_of",
]


@dataclass(frozen=True)
class Example:
    """One training text and the prompt at its start (masked out of the loss)."""

    prompt: str
    text: str
    program: str  # key of the source program (its index, or its row number)


@dataclass(frozen=True)
class TrainingData:
    """The examples of a run and the counts that describe where they came from."""

    examples: tuple[Example, ...]
    source: str
    fingerprint: str
    num_rows: int
    num_programs: int
    merged_rows: int  # repeated programs merged (baseline format on a converted file)

    def summary(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sha256": self.fingerprint,
            "rows": self.num_rows,
            "programs": self.num_programs,
            "examples": len(self.examples),
            "merged_rows": self.merged_rows,
        }


def fingerprint(path: Path) -> str:
    """SHA-256 of the data file (or of every file under a dataset directory, in name order)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(str(file.relative_to(path)).encode() + b"\0")
        with file.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSONL (optionally gzipped), JSON array, Parquet file or saved HF dataset."""
    if not path.exists():
        raise TrainingDataError(f"training data {path} does not exist")
    name = path.name.lower()
    if path.is_dir() or name.endswith(".parquet"):
        return _read_with_datasets(path)
    try:
        return read_json_rows(path)
    except RowsError as exc:
        raise TrainingDataError(str(exc)) from exc


def _read_with_datasets(path: Path) -> list[dict[str, Any]]:
    try:
        import datasets
    except ImportError as exc:  # pragma: no cover - datasets is in the train extra
        raise TrainingDataError(f"reading {path} needs the 'datasets' package: pip install 'lintseq[train]'") from exc
    if path.is_dir():
        loaded = datasets.load_from_disk(str(path))
        if isinstance(loaded, datasets.DatasetDict):
            if "train" not in loaded:
                raise TrainingDataError(f"{path} holds splits {list(loaded)}, none called 'train'")
            loaded = loaded["train"]
    else:
        loaded = datasets.Dataset.from_parquet(str(path))
    return [dict(row) for row in loaded]


def _describe(row: Mapping[str, Any]) -> str:
    return ", ".join(sorted(map(str, row))) or "nothing"


def _require_text(rows: Sequence[Mapping[str, Any]], name: str, flag: str, fix: str) -> None:
    missing = [n for n, row in enumerate(rows) if not isinstance(row.get(name), str)]
    if missing:
        first = rows[missing[0]]
        what = "lack" if name not in first else "have no text in"
        raise TrainingDataError(
            f"{len(missing)} of {len(rows)} rows {what} field {name!r} (row {missing[0]} has: "
            f"{_describe(first)}); name the field with {flag}{fix}"
        )


def build_examples(
    rows: Sequence[Mapping[str, Any]],
    fmt: str,
    *,
    instruction_field: str = "instruction",
    code_field: str = "program",
    edit_path_field: str = "edit_path",
    index_field: str = "index",
    partial_template: str = DEFAULT_PARTIAL_TEMPLATE,
) -> tuple[list[Example], int, int]:
    """Examples, number of distinct programs and number of merged rows.

    Sub-trajectory rows (with ``start_state``) get the partial-program formats of
    :mod:`lintseq_training.partial_data`, laid out by ``partial_template``.
    """
    if not rows:
        raise TrainingDataError("the training data has no rows")
    _require_text(rows, instruction_field, "--instruction-field", "")
    keyed = all(index_field in row for row in rows)
    keys = [str(row[index_field]) if keyed else str(n) for n, row in enumerate(rows)]
    if is_partial_data(rows):
        partial = build_partial_examples(rows, fmt, keys, instruction_field=instruction_field,
                                         edit_path_field=edit_path_field, template=partial_template)
        return partial, len(set(keys)), 0
    if fmt == "editseq":
        bad = [n for n, row in enumerate(rows) if not _is_edit_path(row.get(edit_path_field))]
        if bad:
            first = rows[bad[0]]
            if edit_path_field not in first:
                detail = f"lack field {edit_path_field!r} (row {bad[0]} has: {_describe(first)})"
            else:
                detail = f"have no non-empty list of diff strings in {edit_path_field!r} (first: row {bad[0]})"
            raise TrainingDataError(
                f"{len(bad)} of {len(rows)} rows {detail}; convert the data with `lintseq-core convert`, "
                "name the field with --edit-path-field, or train on whole programs with --format baseline"
            )
        examples = [
            Example(
                training_prompt(row[instruction_field]),
                format_training_text(row[instruction_field], list(row[edit_path_field])),
                key,
            )
            for row, key in zip(rows, keys, strict=True)
        ]
        return examples, len(set(keys)), 0
    if fmt != "baseline":
        raise TrainingDataError(f"unknown format {fmt!r}: use editseq or baseline")
    _require_text(rows, code_field, "--code-field", " (converted files call it 'program')")
    seen: set[str] = set()
    examples = []
    for row, key in zip(rows, keys, strict=True):
        if key in seen:
            continue  # another sampled edit sequence of a program already taken
        seen.add(key)
        instruction = row[instruction_field]
        examples.append(Example(baseline_prompt(instruction), format_baseline_text(instruction, row[code_field]), key))
    return examples, len(examples), len(rows) - len(examples)


def _is_edit_path(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(d, str) for d in value)


def load_training_data(path: str | Path, fmt: str, **fields: str) -> TrainingData:
    """Read and check ``path`` and build the examples of format ``fmt``; ``fields`` are
    :func:`build_examples`' keywords (field names and the partial-program template)."""
    path = Path(path).expanduser()
    rows = read_rows(path)
    if not rows:
        raise TrainingDataError(f"training data {path} is empty: convert some programs first")
    examples, programs, merged = build_examples(rows, fmt, **fields)
    return TrainingData(tuple(examples), str(path), fingerprint(path), len(rows), programs, merged)


def texts_of(data: TrainingData) -> Iterable[str]:
    """The training texts (for fitting a tokenizer on the same data)."""
    return (ex.text for ex in data.examples)
