"""CodeContests: the hub schema, the stdin/stdout judge and its per-problem limits.

There is no copy of CodeContests here: ``tests/fixtures/data/codecontests`` holds four
problems written for these tests in the hub's schema (see its README), each with correct
solutions in Python 3, C++ and Java (the first problem also in Python 2, which the layouts
must pass over; the Java ones name their class freely, as contest solutions do) and incorrect
ones: a wrong answer, an overflow, one too slow for the time limit and one too big for the
memory limit.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lintseq_eval.benchmarks import Benchmark, load_benchmark
from lintseq_eval.codecontests import (
    DEFAULT_TIME_S,
    LANGUAGE_IDS,
    java_main_class,
    judge_spec,
    reference_solution,
)
from lintseq_eval.errors import BenchmarkError
from lintseq_eval.execution import Sample, SampleResult, evaluate_samples
from lintseq_eval.programs import canonical_program, empty_program, instruction
from lintseq_eval.stdio_judge import same_tokens


@pytest.fixture(scope="module")
def python_bench(fixture_data: Path) -> Benchmark:
    return load_benchmark("codecontests-python", fixture_data)


def test_rows_load_with_name_as_task_id(python_bench: Benchmark, fixture_data: Path) -> None:
    assert [t.task_id for t in python_bench.tasks] == [
        "1000_A. Sum of Two", "1000_B. Reverse the Words", "1000_C. Counting Primes", "1000_D. Small Memory"]
    assert load_benchmark("codecontests-c++", fixture_data).name == "codecontests-cpp"
    task = python_bench.tasks[0]
    assert instruction(task).startswith("Given two integers a and b")
    assert instruction(task).endswith("write the answer to standard output.")


def test_judge_spec_has_every_pair_and_the_limits(python_bench: Benchmark) -> None:
    words = judge_spec(python_bench.by_id()["1000_B. Reverse the Words"].raw)
    assert words["time_limit_s"] == 1.5 and words["memory_bytes"] == 256 * 1024 * 1024
    assert len(words["tests"]) == 4 and words["tests"][0] == ["2\nhello world\na\n", "world hello\na\n"]
    row = dict(python_bench.tasks[0].raw, time_limit=None, memory_limit_bytes=0)
    assert judge_spec(row)["time_limit_s"] == DEFAULT_TIME_S and judge_spec(row)["memory_bytes"] > 0
    broken = dict(row, private_tests={"input": ["1 2\n"], "output": []})
    with pytest.raises(BenchmarkError, match="private_tests has 1 inputs but 0 outputs"):
        judge_spec(broken)


def test_reference_is_the_first_solution_in_the_language(python_bench: Benchmark) -> None:
    row = python_bench.tasks[0].raw
    assert "raw_input" not in reference_solution(row, LANGUAGE_IDS["python"])  # Python 3, not Python 2
    assert "#include <iostream>" in reference_solution(row, LANGUAGE_IDS["cpp"])
    assert reference_solution({"solutions": {"language": [], "solution": []}}, 3) == ""


def test_tokens_compare_up_to_whitespace() -> None:
    assert same_tokens("y x\n", "y   x  \n\n")
    assert same_tokens("1\n2", "1 2\n")
    assert not same_tokens("12", "1 2")
    assert not same_tokens("", "0\n")


def _judge(bench: Benchmark) -> list[SampleResult]:
    lang_id = LANGUAGE_IDS[bench.language]
    samples = []
    for t in bench.tasks:
        samples += [Sample(t.task_id, 0, "canonical", canonical_program(t)),
                    Sample(t.task_id, 1, "empty", empty_program(t))]
        bad = t.raw["incorrect_solutions"]
        samples += [Sample(t.task_id, 2 + i, "incorrect", s)
                    for i, (lang, s) in enumerate(zip(bad["language"], bad["solution"], strict=True)) if lang == lang_id]
    return evaluate_samples(bench.by_id(), samples, workers=2)


def _reasons(results: list[SampleResult]) -> dict[tuple[str, str], str]:
    return {(r.task_id[:6], r.completion): r.reason for r in results if r.completion != "canonical"}


@pytest.mark.slow
def test_python_judge(python_bench: Benchmark) -> None:
    results = _judge(python_bench)
    assert all(r.passed for r in results if r.completion == "canonical"), [r.reason for r in results]
    assert not any(r.passed for r in results if r.completion != "canonical")
    reasons = _reasons(results)
    assert "test 1 of 6: wrong answer" in reasons[("1000_A", "incorrect")]
    assert "test 5 of 6: time limit 1s exceeded" in reasons[("1000_C", "incorrect")]
    assert "test 5 of 5: runtime error" in reasons[("1000_D", "incorrect")]  # 64 MB: MemoryError


def test_java_main_class_is_the_one_the_file_must_be_named_after() -> None:
    assert java_main_class("import x;\npublic final class A {\n  public static class B {}\n}\n") == "A"
    assert java_main_class("class Helper {}\nclass Solution {\n  public static void main(String[] a) {}\n}\n") == "Solution"
    assert java_main_class("interface I {}\n") == "Main"
    # a nested public class of a non-public outer class is not the file's type
    assert java_main_class("class Main {\n    public class Node {}\n    public static void main(String[] a) {}\n}\n") == "Main"
    assert java_main_class("public sealed interface Shape permits Sq {}\nfinal class Sq implements Shape {}\n") == "Shape"


# the compiled languages fail alike: an int overflow (the wrong answer of test 6), the time
# limit, and the 64 MB memory limit (std::bad_alloc; OutOfMemoryError at -Xmx64m)
@pytest.mark.slow
@pytest.mark.parametrize("benchmark,tool", [("codecontests-cpp", "g++"), ("codecontests-java", "javac")])
def test_compiled_language_judge(benchmark: str, tool: str, fixture_data: Path) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"needs {tool}")
    results = _judge(load_benchmark(benchmark, fixture_data))
    assert all(r.passed for r in results if r.completion == "canonical"), [r.reason for r in results]
    assert not any(r.passed for r in results if r.completion != "canonical")
    reasons = _reasons(results)
    assert "test 6 of 6: wrong answer: got '-294967296" in reasons[("1000_A", "incorrect")]
    assert "time limit 1s exceeded" in reasons[("1000_C", "incorrect")]
    assert "test 5 of 5: runtime error" in reasons[("1000_D", "incorrect")]


def test_hub_schema_rows_from_a_local_export(tmp_path: Path, python_bench: Benchmark) -> None:
    """A row as ``datasets`` exports it (extra fields, one test group empty) loads as it is."""
    row = dict(python_bench.tasks[0].raw, generated_tests={"input": [], "output": []}, difficulty=7)
    path = tmp_path / "test.jsonl"
    path.write_text(json.dumps(row) + "\n")
    bench = load_benchmark("codecontests-python", path)
    assert len(judge_spec(bench.tasks[0].raw)["tests"]) == 3
