"""The GPU check's data preparation (CPU) and, on a CUDA machine, a short run of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lintseq_training.data import load_training_data
from lintseq_training.gpu_check import main, stdlib_programs, write_converted

from lintseq_core.edits import resolve_edit_path


def test_stdlib_programs_become_converted_rows_that_resolve(tmp_path: Path) -> None:
    programs = stdlib_programs(30)
    assert len(programs) == 30
    path = tmp_path / "c.jsonl"
    assert write_converted(path, programs, sequences=3, seed=1) == 90
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    for row in rows:
        assert resolve_edit_path(row["edit_path"]) == row["program"]
    assert rows[0]["edit_path"] != rows[1]["edit_path"]  # the sequences of a program differ
    data = load_training_data(path, "editseq")
    assert (data.num_programs, len(data.examples)) == (30, 90)


@pytest.mark.gpu
def test_gpu_check_runs_a_few_steps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA GPU")
    assert main(["--steps", "10", "--programs", "200", "--workdir", str(tmp_path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["steps"] == 10 and report["tokens_per_s"] > 0 and report["peak_memory_allocated_gib"] > 0
    assert 120 < report["params_m"] < 150
    assert (tmp_path / "out" / "lintseq_train.json").is_file()
