"""Several benchmarks in one run: suites, one folder per benchmark, one pass@k table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lintseq_eval.cli import main
from lintseq_eval.errors import BenchmarkError
from lintseq_eval.report import table_rows, write_multi_report
from lintseq_eval.suites import expand_benchmarks, suite_members, suite_names


def test_suites_are_families_of_several_benchmarks() -> None:
    names = suite_names()
    assert "codecontests" in names and "humaneval-x" in names
    assert "mbpp" not in names  # a benchmark's name means that benchmark
    assert suite_members("codecontests") == ["codecontests-cpp", "codecontests-java", "codecontests-python"]
    assert len(suite_members("humaneval-x")) == 6
    with pytest.raises(BenchmarkError, match="unknown suite"):
        suite_members("nope")


def test_expand_keeps_order_drops_repeats_and_resolves_aliases() -> None:
    assert expand_benchmarks(["mbpp-plus", "codecontests", "codecontests-py", "humaneval-x-javascript"]) == [
        "mbpp-plus", "codecontests-cpp", "codecontests-java", "codecontests-python", "humaneval-x-js"]
    assert expand_benchmarks(["mbpp"]) == ["mbpp"]
    with pytest.raises(BenchmarkError, match="unknown benchmark 'nope'"):
        expand_benchmarks(["nope"])


def _summary(name: str, lang: str, passk: dict[str, float], **extra: object) -> dict[str, object]:
    return {"benchmark": name, "language": lang, "tasks": 2, "samples_per_task": 2, "pass_at_k": passk,
            "status_counts": {"PASS": 1, "FAIL": 3}, **extra}


def test_one_table_with_companions_after_their_benchmark(tmp_path: Path) -> None:
    summaries = [
        _summary("humaneval-plus", "python", {"pass@1": 0.25, "pass@2": 0.5},
                 companions={"humaneval-plus-base": {"pass_at_k": {"pass@1": 0.5, "pass@2": 0.75},
                                                     "status_counts": {"PASS": 2, "FAIL": 2}, "tasks_solved": 2}}),
        _summary("codecontests-cpp", "cpp", {"pass@1": 0.125}),
    ]
    rows = table_rows(summaries)
    assert [r["benchmark"] for r in rows] == ["humaneval-plus", "humaneval-plus-base", "codecontests-cpp"]
    assert rows[1]["companion_of"] == "humaneval-plus" and rows[1]["pass_at_k"]["pass@2"] == 0.75
    full = write_multi_report(tmp_path, summaries, {"canonical": True})
    assert json.loads((tmp_path / "summary.json").read_text())["table"] == full["table"]
    md = (tmp_path / "report.md").read_text()
    assert "| benchmark | language | tasks | samples/task | pass@1 | pass@2 |" in md
    assert "| humaneval-plus-base (with humaneval-plus) | python | 2 | 2 | 50.00% | 75.00% |" in md
    assert "| codecontests-cpp | cpp | 2 | 2 | 12.50% | – |" in md
    assert "canonical solutions" in md


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("g++") is None or shutil.which("javac") is None, reason="needs g++ and a JDK")
def test_cli_runs_a_suite_and_a_benchmark_into_one_table(repo_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    rc = main(["--benchmark", "codecontests", "--benchmark", "mbpp-plus", "--limit", "2",
               "--dataset", str(repo_root / "tests" / "fixtures" / "data"), "--empty", "--workers", "2",
               "--timeout", "60", "--output-dir", str(out), "--no-plots", "-q"])
    assert rc == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["benchmarks"] == ["codecontests-cpp", "codecontests-java", "codecontests-python", "mbpp-plus"]
    assert [r["benchmark"] for r in summary["table"]] == [
        "codecontests-cpp", "codecontests-java", "codecontests-python", "mbpp-plus", "mbpp-plus-base"]
    assert all(r["pass_at_k"] == {"pass@1": 0.0} for r in summary["table"])  # empty programs fail
    for name in summary["benchmarks"]:
        one = json.loads((out / name / "summary.json").read_text())
        assert one["benchmark"] == name and one["tasks"] == 2
    assert (out / "report.md").read_text().count("| 0.00% |") == 5


def test_samples_file_scores_one_benchmark(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples = tmp_path / "s.jsonl"
    samples.write_text('{"task_id": "HumanEval/0", "completion": "    return 1\\n"}\n')
    rc = main(["--benchmark", "humaneval-plus", "--benchmark", "mbpp-plus", "--samples", str(samples),
               "--dataset", str(tmp_path), "--output-dir", str(tmp_path / "out"), "-q"])
    assert rc == 2
    assert "--samples scores one benchmark; got humaneval-plus, mbpp-plus" in capsys.readouterr().err
