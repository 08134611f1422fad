"""The report from a hand-built run folder: numbers checked against hand-computed values."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from lintseq_experiment.report import write_report


def _stage(run: Path, grid: list, sid: str, kind: str, cell: dict, files: dict) -> None:
    folder = f"stages/{kind}/{sid.replace(':', '-')}"
    (run / folder / "out").mkdir(parents=True)
    (run / folder / "done.json").write_text("{}")
    for name, data in files.items():
        (run / folder / "out" / name).write_text(json.dumps(data))
    grid.append({"id": sid, "kind": kind, "key": "0" * 64, "folder": folder, "deps": [], "cell": cell})


def _run(tmp_path: Path, baseline_steps: int) -> Path:
    run = tmp_path / "run"
    run.mkdir()
    (run / "plan.json").write_text(json.dumps({"name": "hand", "raw": {
        "arms": {"lintseq": {}, "baseline": {}}, "eval": {"ks": [1, 2]},
        "report": {"bootstrap": 200, "seed": 0, "reference_arm": "baseline"}}}))
    grid: list = []
    _stage(run, grid, "select:go", "select", {"language": "go"}, {"select.json": {
        "programs": 4, "arms": {"lintseq": {"rows": 8, "programs": 4, "data_from": "lintseq"},
                                "baseline": {"rows": 4, "programs": 4, "data_from": "lintseq"}},
        "convert_counts": {"lintseq": {"edits_per_program": {"mean": 3.5}, "lines_per_edit": {"mean": 2.0},
                                       "rejected": 1, "converted": 4}}}})
    passed = {"lintseq": [2, 2, 0, 1], "baseline": [0, 1, 0, 1]}
    for arm, steps in (("lintseq", 10), ("baseline", baseline_steps)):
        cell = {"language": "go", "arm": arm, "model": "m", "seed": 0}
        _stage(run, grid, f"train:go:{arm}:m:s0", "train", cell, {"lintseq_train.json": {
            "result": {"global_step": steps, "data": {"programs": 4, "examples": 8}, "input_tokens_seen": 100}}})
        per_task = {f"Go/{i}": {"n": 2, "passed": c} for i, c in enumerate(passed[arm])}
        _stage(run, grid, f"eval:go:{arm}:m:s0:humaneval-x-go", "eval", {**cell, "benchmark": "humaneval-x-go"},
               {"summary.json": {"per_task": per_task, "flops_at_k": {"1": 1e9, "2": 2e9}}})
    (run / "grid.json").write_text(json.dumps(grid))
    return run


def _rows(path: Path) -> list[dict]:
    with path.open() as fh:
        return list(csv.DictReader(fh))


def test_report_numbers_match_hand_computation(tmp_path):
    paths = write_report(_run(tmp_path, baseline_steps=10))
    rows = {(r["arm"], r["k"]): r for r in _rows(paths["pass_at_k_csv"])}
    # n = 2 per task: pass@1 = c/2, pass@2 = 1 if c > 0
    assert float(rows["lintseq", "1"]["pass_at_k"]) == pytest.approx((1 + 1 + 0 + 0.5) / 4)
    assert float(rows["lintseq", "2"]["pass_at_k"]) == pytest.approx(3 / 4)
    assert float(rows["baseline", "1"]["pass_at_k"]) == pytest.approx((0 + 0.5 + 0 + 0.5) / 4)
    low, high = float(rows["lintseq", "1"]["ci_low"]), float(rows["lintseq", "1"]["ci_high"])
    assert 0 <= low < 0.625 < high <= 1
    paired = {r["k"]: r for r in _rows(paths["paired_csv"])}
    # pass@1 differences (1, 0.5, 0, 0): mean 0.375; non-zero (1, 0.5): |sum| 1.5 reached by 2 of 4 patterns
    assert float(paired["1"]["mean_diff"]) == pytest.approx(0.375)
    assert float(paired["1"]["p_value"]) == pytest.approx(0.5)
    assert (paired["1"]["wins"], paired["1"]["losses"], paired["1"]["ties"]) == ("2", "0", "2")
    # pass@2 differences (1, 0, 0, 0): one non-zero difference -> p = 1
    assert float(paired["2"]["mean_diff"]) == pytest.approx(0.25)
    assert float(paired["2"]["p_value"]) == 1.0
    md = paths["markdown"].read_text()
    assert "| go | **matched** | 4 programs |" in md and "| go | lintseq | 4 | 8 | 3.50 | 2.00 | 1 | 10 | 100 |" in md
    assert "62.5 [" in md
    html = paths["html"].read_text()
    assert "<table>" in html and html.count("data:image/png;base64,") == 1


def test_report_flags_unmatched_compute(tmp_path):
    md = write_report(_run(tmp_path, baseline_steps=12))["markdown"].read_text()
    assert "| go | **NOT matched** | [4] | | | | | [10, 12] |" in md
