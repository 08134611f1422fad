"""BigCodeBench: the four layouts, program assembly, the unittest harness and missing libraries.

``tests/fixtures/data/bigcodebench`` holds six rows of the v0.1.0_hf release
(``BigCodeBench.jsonl.gz``, byte-for-byte upstream lines, Apache-2.0) and two rows in the
Hard subset's hub schema (see its README). Tasks 1, 2, 6, 19 and 25 use the standard library
only, so they run with any interpreter; 933 needs ``wordninja``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from lintseq_eval.benchmarks import Benchmark, Task, load_benchmark
from lintseq_eval.bigcodebench import calibration, libs, reference, requires
from lintseq_eval.errors import BenchmarkError
from lintseq_eval.execution import Sample, evaluate_samples
from lintseq_eval.executors import Status, prepare
from lintseq_eval.languages import benchmark_layout
from lintseq_eval.languages.python import python_interpreter
from lintseq_eval.programs import (
    canonical_program,
    empty_program,
    instruction,
    reference_prefix,
    resolve_completion,
)
from lintseq_eval.python_env import importable
from lintseq_eval.sample_files import read_sample_file
from lintseq_eval.sandbox import Limits
from lintseq_eval.suites import suite_members

STDLIB_TASKS = ["BigCodeBench/1", "BigCodeBench/2", "BigCodeBench/6", "BigCodeBench/19", "BigCodeBench/25"]
LIMITS = Limits(run_timeout_s=60)


@pytest.fixture(scope="module")
def data(repo_root: Path) -> Path:
    return repo_root / "tests" / "fixtures" / "data"


@pytest.fixture(scope="module")
def complete(data: Path) -> Benchmark:
    return load_benchmark("bigcodebench-complete", data)


@pytest.fixture(scope="module")
def instruct(data: Path) -> Benchmark:
    return load_benchmark("bigcodebench-instruct", data)


def _task(benchmark: str, code_prompt: str, test: str, libs_field: str = "[]", task_id: str = "BigCodeBench/9000",
          solution: str = "    return 1\n") -> Task:
    """A hand-written task in BigCodeBench's schema (the harness's own behaviour)."""
    row = {"task_id": task_id, "complete_prompt": code_prompt, "instruct_prompt": "Write task_func.",
           "canonical_solution": solution, "code_prompt": code_prompt, "test": test, "entry_point": "task_func",
           "doc_struct": "{}", "libs": libs_field}
    return Task(benchmark, task_id, "python", row)


def test_four_benchmarks_one_suite_and_upstream_file_names() -> None:
    assert suite_members("bigcodebench") == ["bigcodebench-complete", "bigcodebench-hard-complete",
                                             "bigcodebench-hard-instruct", "bigcodebench-instruct"]
    _, full = benchmark_layout("bigcodebench-instruct")
    _, hard = benchmark_layout("bigcodebench-hard-complete")
    assert full.local_name == "bigcodebench/BigCodeBench.jsonl.gz"
    assert hard.local_name == "bigcodebench/BigCodeBench-Hard.jsonl.gz"
    assert full.hub == ("bigcode/bigcodebench", None, "v0.1.0_hf")
    assert hard.hub == ("bigcode/bigcodebench-hard", None, "v0.1.0_hf")


def test_rows_load_in_task_order(complete: Benchmark, instruct: Benchmark) -> None:
    ids = [t.task_id for t in complete.tasks]
    assert ids == [*STDLIB_TASKS, "BigCodeBench/933"]
    assert [t.task_id for t in instruct.tasks] == ids and complete.fingerprint == instruct.fingerprint


def test_hard_loader_reads_the_hub_schema(data: Path) -> None:
    hard = load_benchmark("bigcodebench-hard-instruct", data)
    assert [t.task_id for t in hard.tasks] == ["BigCodeBench/19", "BigCodeBench/129"]
    row = hard.by_id()["BigCodeBench/129"].raw
    assert {"q_idx", "question", "score", "_id"} <= set(row)  # kept, unused
    assert requires(row) == ("bs4", "pandas", "requests", "unittest")


def test_hard_rows_without_a_field_are_rejected(tmp_path: Path, data: Path) -> None:
    with gzip.open(data / "bigcodebench" / "BigCodeBench-Hard.jsonl.gz", "rt", encoding="utf-8") as fh:
        row = json.loads(fh.readline())
    del row["code_prompt"]
    path = tmp_path / "BigCodeBench-Hard.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(BenchmarkError, match=r"lacks field\(s\) \['code_prompt'\]"):
        load_benchmark("bigcodebench-hard-complete", path)


def test_libs_is_a_list_literal_in_a_string() -> None:
    assert libs({"task_id": "t", "libs": "['random', 'itertools']"}) == ("random", "itertools")
    with pytest.raises(BenchmarkError, match="t: field libs is not a Python list literal"):
        libs({"task_id": "t", "libs": "['random'"})
    with pytest.raises(BenchmarkError, match="must list module names"):
        libs({"task_id": "t", "libs": "{'random': 1}"})


def test_requires_adds_what_the_prompt_and_the_tests_import() -> None:
    task = _task("bigcodebench-instruct", "import pandas as pd\nfrom sklearn.linear_model import Ridge\ndef task_func():\n",
                 "import unittest\nfrom faker import Faker\nimport os.path\nclass TestCases(unittest.TestCase):\n    pass\n",
                 libs_field="['pandas', 'sklearn', 'PIL']")
    assert requires(task.raw) == ("PIL", "faker", "os", "pandas", "sklearn", "unittest")
    broken = dict(task.raw, test="this is not python")
    assert requires(broken) == ("PIL", "pandas", "sklearn")


def test_programs_follow_upstream(complete: Benchmark, instruct: Benchmark) -> None:
    c, i = complete.by_id()["BigCodeBench/1"], instruct.by_id()["BigCodeBench/1"]
    row = c.raw
    truth = row["complete_prompt"] + "\n" + row["canonical_solution"]  # upstream's ground truth
    assert canonical_program(c) == truth == canonical_program(i) == reference(row)
    assert reference_prefix(c) == row["complete_prompt"] and reference_prefix(i) == ""
    assert instruction(c) == row["complete_prompt"].rstrip()
    assert instruction(i) == row["instruct_prompt"].strip() and "You should write self-contained code" in instruction(i)
    assert empty_program(c) == row["complete_prompt"] + "    pass\n"
    assert empty_program(i) == row["code_prompt"] + "    pass\n"
    files = prepare(i, "PROGRAM\n", LIMITS, nonce="N").files
    # calibrated: code_prompt + pass first (the task's imports), then the program, then the tests
    assert files["program.py"] == calibration(row) + "PROGRAM\n\n" + row["test"] + "\n"
    assert calibration(row) == row["code_prompt"] + "\n    pass\n"


def test_sample_files_read_as_upstream_writes_them(tmp_path: Path, complete: Benchmark, instruct: Benchmark) -> None:
    row = complete.by_id()["BigCodeBench/2"].raw
    path = tmp_path / "samples.jsonl"
    path.write_text(json.dumps({"task_id": "BigCodeBench/2", "completion": "    return {}\n"}) + "\n"
                    + json.dumps({"task_id": "BigCodeBench/2", "solution": "WHOLE\n"}) + "\n", encoding="utf-8")
    for bench, completion in ((complete, row["complete_prompt"] + "    return {}\n"), (instruct, "    return {}\n")):
        samples = read_sample_file(str(path), bench, convention="auto", fmt="baseline", partial=False,
                                   limited=True).samples(bench, resolve_completion)
        # complete: complete_prompt + completion (upstream); instruct: the answer is the program
        assert [s.program for s in samples] == [completion, "WHOLE\n"]


@pytest.mark.parametrize("name", ["bigcodebench-complete", "bigcodebench-instruct"])
def test_reference_passes_and_empty_fails(name: str, data: Path, backend: str) -> None:
    bench = load_benchmark(name, data)
    tasks = [bench.by_id()[tid] for tid in STDLIB_TASKS]
    samples = [Sample(t.task_id, 0, "", canonical_program(t)) for t in tasks]
    samples += [Sample(t.task_id, 1, "", empty_program(t)) for t in tasks]
    results = evaluate_samples(bench.by_id(), samples, limits=LIMITS, workers=2)
    verdicts = {(r.task_id, r.index): r for r in results}
    for tid in STDLIB_TASKS:
        assert verdicts[tid, 0].status is Status.PASS, (tid, verdicts[tid, 0].reason)
        assert verdicts[tid, 1].status is Status.FAIL, (tid, verdicts[tid, 1].reason)
        assert "tests failed" in verdicts[tid, 1].reason


def test_task_needing_an_absent_library_is_reported_not_run(complete: Benchmark) -> None:
    absent = _task("bigcodebench-complete", "import lintseq_no_such_module\ndef task_func():\n",
                   "import unittest\nclass TestCases(unittest.TestCase):\n    def test(self):\n        pass\n",
                   libs_field="['lintseq_no_such_module']")
    wordninja = complete.by_id()["BigCodeBench/933"]
    tasks = {absent.task_id: absent, wordninja.task_id: wordninja}
    results = evaluate_samples(tasks, [Sample(t.task_id, 0, "", canonical_program(t)) for t in tasks.values()],
                               limits=LIMITS, workers=1)
    assert results[0].status is Status.MISSING_LIBRARY and results[0].missing == ("lintseq_no_such_module",)
    assert not results[0].scored
    has_wordninja = importable(python_interpreter(), ["wordninja"])["wordninja"]
    expected = Status.PASS if has_wordninja else Status.MISSING_LIBRARY
    assert results[1].status is expected, results[1].reason


_TEST_OK = "import unittest\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        self.assertEqual(task_func(), 1)\n"


@pytest.mark.parametrize(("program", "status", "reason"), [
    ("def task_func():\n    return 1\n", Status.PASS, ""),
    # upstream's module globals hold os (and sys): a program may use it without importing it
    ("def task_func():\n    return len(os.listdir('.')) + 1\n", Status.PASS, ""),  # a fresh, empty folder
    ("def task_func():\n    return 2\n", Status.FAIL, "1 of 1 tests failed: test_one: AssertionError: 2 != 1"),
    ("import sys\nsys.exit(0)\n", Status.FAIL, "SystemExit before or between the tests"),
    ("import os as o\no._exit(0)\n", Status.FAIL, "no completion token"),
    ("def task_func():\n    exit(0)\n", Status.FAIL, "TypeError: 'NoneType' object is not callable"),  # exit removed
    ("def task_func():\n    input()\n    return 1\n", Status.FAIL, "OSError: stdin is not readable"),
    ("import subprocess\nsubprocess.run(['echo', 'LINTSEQ-DONE'])\nprint('x' * 10_000_000)\n"
     "def task_func():\n    return 1\n", Status.PASS, ""),  # output is swallowed, C level too
    # `python` on PATH is the samples' interpreter, as in upstream's image (tasks run scripts)
    ("import subprocess\ndef task_func():\n    return subprocess.run(['python', '-c', 'import sys; sys.exit(1)'])"
     ".returncode\n", Status.PASS, ""),
])
def test_harness_follows_upstream_unittest_run(program: str, status: Status, reason: str) -> None:
    task = _task("bigcodebench-instruct", "def task_func():\n", _TEST_OK)
    [result] = evaluate_samples({task.task_id: task}, [Sample(task.task_id, 0, "", program)], limits=LIMITS, workers=1)
    assert result.status is status, result.reason
    assert reason in result.reason


def test_missing_test_class_fails() -> None:
    task = _task("bigcodebench-instruct", "def task_func():\n", "import unittest\nclass Tests(unittest.TestCase):\n    pass\n")
    [result] = evaluate_samples({task.task_id: task}, [Sample(task.task_id, 0, "", "def task_func():\n    return 1\n")],
                                limits=LIMITS, workers=1)
    assert result.status is Status.FAIL and "AttributeError" in result.reason and "TestCases" in result.reason


def test_whole_benchmark_loads_and_every_task_declares_its_modules(whole_data: Path) -> None:
    bench = load_benchmark("bigcodebench-complete", whole_data)
    assert [t.task_id for t in bench.tasks] == [f"BigCodeBench/{i}" for i in range(1140)]
    needs = {t.task_id: requires(t.raw) for t in bench.tasks}
    assert all(set(libs(t.raw)) <= set(needs[t.task_id]) for t in bench.tasks)
    assert sorted(tid for tid, mods in needs.items() if "tensorflow" in mods or "keras" in mods) == [
        "BigCodeBench/289", "BigCodeBench/417", "BigCodeBench/418", "BigCodeBench/419"]
    assert "pyfakefs" in needs["BigCodeBench/719"]  # imported by the tests only
    assert all("class TestCases(" in t.raw["test"] for t in bench.tasks)


def test_failure_reason_is_the_final_exception_line() -> None:
    from lintseq_eval.bigcodebench_harness import _exception_line

    chained = ('Traceback (most recent call last):\n  File "__test__.py", line 3, in f\n    g()\nKeyError: 1\n\n'
               'During handling of the above exception, another exception occurred:\n\n'
               'Traceback (most recent call last):\n  File "__test__.py", line 9, in test\n    f()\n'
               'ValueError: bad\n  value\n')
    assert _exception_line(chained) == "ValueError: bad"
    nltk = ('Traceback (most recent call last):\n  File "data.py", line 583, in find\n    raise LookupError(m)\n'
            'LookupError: \n' + "*" * 70 + "\n  Resource stopwords not found.\n" + "*" * 70 + "\n")
    assert _exception_line(nltk) == "LookupError: Resource stopwords not found."
