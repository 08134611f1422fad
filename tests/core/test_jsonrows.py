"""The shared JSON rows reader: every shape the project reads, and errors that name the place."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from lintseq_core.jsonrows import RowsError, read_rows

ROWS = [{"task_id": "a", "n": 1}, {"task_id": "b", "text": "x\ny"}]


def _jsonl(rows: list) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


@pytest.mark.parametrize("name", ["rows.jsonl", "rows.jsonl.gz", "rows.json", "rows.json.gz"])
def test_every_shape_reads_the_same_rows(tmp_path: Path, name: str) -> None:
    text = _jsonl(ROWS) if "jsonl" in name else json.dumps(ROWS, indent=1)
    path = tmp_path / name
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text("\n" + text + "\n\n", encoding="utf-8")  # blank lines are skipped
    assert read_rows(path) == ROWS


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1}\n{"a": \n', "rows.jsonl:2: not valid JSON"),
        ('{"a": 1}\n[1, 2]\n', "rows.jsonl:2: expected a JSON object, got list"),
        ('[{"a": 1}, 3]', "rows.jsonl: item 1: expected a JSON object, got int"),
        ('[{"a": 1}', "is not a valid JSON array"),
    ],
)
def test_bad_files_name_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RowsError, match=message.replace("[", r"\[")):
        read_rows(path)


def test_unreadable_and_non_utf8_files_are_one_error(tmp_path: Path) -> None:
    with pytest.raises(RowsError, match="cannot read"):
        read_rows(tmp_path / "missing.jsonl")
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes('{"a": "caf\xe9"}\n'.encode("latin-1"))
    with pytest.raises(RowsError, match="UTF-8"):
        read_rows(bad)
