"""Converted-data helpers shared by the training tests (conftest keeps only fixtures).

Rows have the columns ``lintseq-core convert`` writes; their edit paths are built with
``lintseq_core.edits.edit_path_from_states`` (one line per edit, and two lines per edit for
the second sequence of each program), so the training tests do not depend on a linter.
"""

from __future__ import annotations

import json
from pathlib import Path

from lintseq_core.edits import edit_path_from_states

N_PROGRAMS = 200
SEQUENCES_PER_PROGRAM = 2


def _states(n_lines: int, step: int) -> list[list[int]]:
    states = [list(range(min(k, n_lines))) for k in range(0, n_lines + step, step)]
    return [s for i, s in enumerate(states) if i == 0 or len(s) > len(states[i - 1])]


def converted_rows(shared_data: Path, n_programs: int = N_PROGRAMS) -> list[dict]:
    """Rows in the ``lintseq-core convert`` layout for the first MBPP programs."""
    with (shared_data / "mbpp" / "mbpp.jsonl").open(encoding="utf-8") as fh:
        mbpp = [json.loads(line) for line in fh][:n_programs]
    rows = []
    for index, source in enumerate(mbpp):
        program = source["code"].replace("\r\n", "\n")
        lines = program.split("\n")
        for sample, step in enumerate((1, 2)[:SEQUENCES_PER_PROGRAM]):
            rows.append({
                "index": index,
                "sample": sample,
                "edit_path": edit_path_from_states(lines, _states(len(lines), step)),
                "instruction": source["text"],
                "program": program,
                "source_code": source["code"],
                "source_text": source["text"],
                "language": "python",
                "linter": "lines",
                "sampler": "lines",
                "seed": 0,
            })
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
