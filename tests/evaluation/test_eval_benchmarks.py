"""Loaders: local files and folders, MBPP's test split, fingerprints, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lintseq_eval.benchmarks import benchmark_names, load_benchmark
from lintseq_eval.errors import BenchmarkError
from lintseq_eval.languages import benchmark_layout
from lintseq_eval.programs import instruction, mbpp_entry_point, model_prompt


def test_humaneval_from_package_and_folder_agree(whole_data: Path) -> None:
    pkg = load_benchmark("humaneval")
    local = load_benchmark("humaneval", whole_data)
    assert len(pkg.tasks) == len(local.tasks) == 164
    assert pkg.fingerprint == local.fingerprint
    assert local.tasks[0].task_id == "HumanEval/0" and local.tasks[-1].task_id == "HumanEval/163"


def test_mbpp_keeps_the_test_split(whole_data: Path) -> None:
    mbpp = load_benchmark("mbpp", whole_data)
    ids = [int(t.task_id.split("/")[1]) for t in mbpp.tasks]
    assert ids == list(range(11, 511))
    sanitized = load_benchmark("mbpp-sanitized", whole_data / "mbpp" / "sanitized-mbpp.json")
    assert len(sanitized.tasks) == 257
    assert all(11 <= int(t.task_id.split("/")[1]) <= 510 for t in sanitized.tasks)


HUMANEVAL_X = {"cpp": "cpp", "go": "go", "java": "java", "js": "javascript", "python": "python", "rust": "rust"}


def test_benchmark_names_users_pass_are_kept() -> None:
    assert {f"humaneval-x-{x}" for x in HUMANEVAL_X} | {"humaneval", "mbpp", "mbpp-sanitized"} <= set(benchmark_names())
    # the canonical language key is the host's name; the short benchmark names stay
    assert benchmark_layout("humaneval-x-js")[0].name == "javascript"
    assert benchmark_layout("humaneval-x-javascript")[1].benchmark == "humaneval-x-js"
    assert "humaneval-x-javascript" in benchmark_names(aliases=True)  # what --benchmark accepts
    assert "humaneval-x-javascript" not in benchmark_names()


@pytest.mark.parametrize("stem", HUMANEVAL_X)
def test_humaneval_x(whole_data: Path, stem: str) -> None:
    bench = load_benchmark(f"humaneval-x-{stem}", whole_data)
    assert len(bench.tasks) == 164 and bench.language == HUMANEVAL_X[stem]
    assert instruction(bench.tasks[0]).strip()
    if stem == "js":  # the host's name works as an alias of the benchmark
        alias = load_benchmark("humaneval-x-javascript", whole_data)
        assert alias.name == "humaneval-x-js" and alias.fingerprint == bench.fingerprint


def test_instruction_formats(shared_data: Path) -> None:
    task = load_benchmark("mbpp", shared_data, limit=1).tasks[0]
    text = instruction(task)
    assert text.startswith("Write a python function to remove first and last occurrence")
    assert "Your code should pass these tests:\nassert remove_Occ(" in text
    assert mbpp_entry_point(task) == "remove_Occ"
    assert model_prompt(task, "editseq") == text + "\n\n<|diff|>"
    assert model_prompt(task, "baseline") == text + "\n"


def test_fingerprint_changes_with_content(tmp_path: Path, shared_data: Path) -> None:
    rows = [json.loads(x) for x in (shared_data / "mbpp" / "mbpp.jsonl").read_text().splitlines()[10:13]]
    p = tmp_path / "m.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in rows))
    a = load_benchmark("mbpp", p).fingerprint
    rows[0]["text"] += "!"
    p.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert load_benchmark("mbpp", p).fingerprint != a


def test_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(BenchmarkError, match="unknown benchmark"):
        load_benchmark("humaneval-x-cobol")
    with pytest.raises(BenchmarkError, match="does not exist"):
        load_benchmark("mbpp", tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"task_id": 11, "text": "x"}\n')
    with pytest.raises(BenchmarkError, match="lacks field"):
        load_benchmark("mbpp", bad)
    with pytest.raises(BenchmarkError, match="has no humaneval"):
        load_benchmark("humaneval", tmp_path)


def test_hub_offline_gives_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.delenv("LINTSEQ_EVAL_DATA", raising=False)
    with pytest.raises(BenchmarkError, match="HF_HUB_OFFLINE=1"):
        load_benchmark("humaneval-x-go", "THUDM/humaneval-x")
