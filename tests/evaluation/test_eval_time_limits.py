"""Per-task time limits (evalplus-style): formula, calibration cache, and their effect on verdicts."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from lintseq_eval.benchmarks import load_benchmark
from lintseq_eval.cli import main
from lintseq_eval.execution import Sample, evaluate_samples
from lintseq_eval.executors import Status
from lintseq_eval.programs import canonical_program
from lintseq_eval.sandbox import Limits
from lintseq_eval.time_limits import TimeLimits, cache_path, calibrate, task_time_limit


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("LINTSEQ_CACHE", str(cache))
    return cache


def test_limit_formula() -> None:
    assert task_time_limit(0.1, 4.0, 2.0, 10.0) == 2.0  # the floor
    assert task_time_limit(1.5, 4.0, 2.0, 10.0) == 6.0  # factor x reference
    assert task_time_limit(5.0, 4.0, 2.0, 10.0) == 10.0  # capped by --timeout
    assert task_time_limit(None, 4.0, 2.0, 10.0) == 10.0  # no reference: the fixed limit
    assert task_time_limit(1.5, 0.0, 2.0, 10.0) == 10.0  # factor 0: off
    tl = TimeLimits(4.0, 2.0, 10.0, {"a": 1.5, "b": None})
    assert tl.limit("a") == 6.0 and tl.limit("b") == 10.0
    assert "6.00s" in tl.describe("a") and "1.500s" in tl.describe("a")
    assert tl.to_json()["per_task"] == {"a": {"reference_s": 1.5, "limit_s": 6.0},
                                        "b": {"reference_s": None, "limit_s": 10.0}}


def test_cache_is_keyed_by_the_samples_interpreter(shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--python`` names other libraries (or none): its reference times are not another's."""
    bench = load_benchmark("humaneval", shared_data, limit=1)
    monkeypatch.delenv("LINTSEQ_PYTHON", raising=False)
    default = cache_path(bench)
    monkeypatch.setenv("LINTSEQ_PYTHON", "/usr/bin/python3")
    assert cache_path(bench) != default


def test_cache_is_keyed_by_dataset_fingerprint(shared_data: Path) -> None:
    two = load_benchmark("humaneval", shared_data, limit=2)
    tl = calibrate(two, Limits(), workers=2)
    assert set(tl.reference_s) == {"HumanEval/0", "HumanEval/1"}
    assert all(r is not None and 0 < r < 10 for r in tl.reference_s.values())
    path = cache_path(two)
    assert Path(tl.cache_file) == path and path.is_file()

    data = json.loads(path.read_text())
    data["reference_s"] = {tid: 0.777 for tid in data["reference_s"]}
    path.write_text(json.dumps(data))
    assert set(calibrate(two, Limits(), workers=2).reference_s.values()) == {0.777}  # read, not rerun

    three = load_benchmark("humaneval", shared_data, limit=3)
    assert three.fingerprint != two.fingerprint and cache_path(three) != path
    cache_path(three).write_text(json.dumps(data))  # another dataset's times under this key: refused
    refs = calibrate(three, Limits(), workers=2).reference_s
    assert len(refs) == 3 and 0.777 not in refs.values()
    assert json.loads(cache_path(three).read_text())["fingerprint"] == three.fingerprint


def test_infinite_loop_hits_the_calibrated_limit_and_canonical_passes(
    shared_data: Path, tmp_path: Path
) -> None:
    bench = load_benchmark("humaneval", shared_data, limit=1)
    task = bench.tasks[0]
    rows = [{"task_id": task.task_id, "solution": canonical_program(task)},
            {"task_id": task.task_id, "solution": canonical_program(task) + "\nwhile True:\n    pass\n"}]
    samples = tmp_path / "s.jsonl"
    samples.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    t0 = time.perf_counter()
    assert main(["--benchmark", "humaneval", "--dataset", str(shared_data), "--limit", "1", "--samples",
                 str(samples), "--format", "baseline", "--workers", "2", "--output-dir", str(out),
                 "--no-plots", "-q"]) == 0
    elapsed = time.perf_counter() - t0
    summary = json.loads((out / "summary.json").read_text())
    tl = summary["config"]["time_limits"]
    limit = tl["per_task"][task.task_id]["limit_s"]
    assert tl["calibrated"] and tl["factor"] == 4.0 and tl["min_s"] == 2.0 and tl["max_s"] == 10.0
    assert 2.0 <= limit < 10.0
    results = [json.loads(line) for line in (out / "samples.jsonl").read_text().splitlines()]
    assert [r["status"] for r in results] == ["PASS", "TIMEOUT"]
    assert "per-task limit" in results[1]["reason"]
    assert results[1]["wall_s"] < limit + 3.0 < 10.0  # killed at the task's limit, not the fixed 10 s
    assert elapsed < 10.0

    canon = tmp_path / "canon"  # --canonical keeps the fixed limit (never timed against itself)
    assert main(["--benchmark", "humaneval", "--dataset", str(shared_data), "--limit", "1", "--canonical",
                 "--output-dir", str(canon), "--no-plots", "-q"]) == 0
    assert json.loads((canon / "summary.json").read_text())["config"]["time_limits"] == {
        "calibrated": False, "max_s": 10.0}


def test_slow_but_correct_program_times_out_under_its_limit(shared_data: Path) -> None:
    bench = load_benchmark("humaneval", shared_data, limit=1)
    task = bench.tasks[0]
    tl = calibrate(bench, Limits(), factor=2.0, min_s=0.5, workers=1)
    ref, limit = tl.reference_s[task.task_id], tl.limit(task.task_id)
    assert ref is not None and limit == max(0.5, 2.0 * ref)
    # correct, but sleeps at least 3x its reference time and a clear second past its limit
    nap = max(3 * ref, limit + 1.0)
    slow = Sample(task.task_id, 0, "", canonical_program(task) + f"\nimport time\ntime.sleep({nap:.3f})\n")
    fixed = evaluate_samples(bench.by_id(), [slow], workers=1)[0]
    assert fixed.status is Status.PASS, fixed.reason  # it is correct: the fixed 10 s lets it pass
    timed = evaluate_samples(bench.by_id(), [slow], workers=1, time_limits=tl)[0]
    assert timed.status is Status.TIMEOUT
    assert f"{limit:.2f}s" in timed.reason and "reference" in timed.reason
