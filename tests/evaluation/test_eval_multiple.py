"""MultiPL-E: layouts, suites and the sandboxed harness of every language.

MultiPL-E publishes no reference solutions, so the harness runs hand-written references
(``tests/fixtures/multipl-e/references.json``: three HumanEval tasks in each of the eight
languages, one using ``org.javatuples.Pair`` in Java) and checks that they pass, that the
empty programs and early exits fail, and (with the whole data) that every task's empty
program of a sample fails. The whole-benchmark self-check is ``benchmarks/bench_multiple.py``.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from lintseq_eval.benchmarks import Benchmark, load_benchmark
from lintseq_eval.errors import BenchmarkError, ToolchainMissingError
from lintseq_eval.execution import Sample, evaluate_samples
from lintseq_eval.executors import Status, check_toolchain
from lintseq_eval.languages import benchmark_layout, get_language
from lintseq_eval.multiple import LANGUAGES, stop_tokens
from lintseq_eval.programs import canonical_program, empty_program, instruction, reference_prefix
from lintseq_eval.suites import expand_benchmarks, suite_members, suite_names

REFERENCES = json.loads((Path(__file__).parents[1] / "fixtures" / "multipl-e" / "references.json").read_text())
HUMANEVAL_TASKS = ("HumanEval_0_has_close_elements", "HumanEval_13_greatest_common_divisor", "HumanEval_8_sum_product")
# a body that exits with status 0 from inside the function the tests call (HumanEval/13)
EARLY_EXIT = {
    "java": "        System.exit(0);\n        return 0;\n    }\n}\n",
    "lua": "  os.exit(0)\nend\n",
    "rb": "  exit 0\nend\n",
    "rs": "    std::process::exit(0)\n}\n",
    "ts": "  (globalThis as any).process.exit(0);\n  return 0;\n}\n",
}
# the row counts of PROVENANCE.md (MultiPL-E drops tasks it could not translate)
ROWS = {"humaneval": {"cpp": 161, "go": 154, "java": 158, "js": 161, "rs": 156, "ts": 159, "rb": 161, "lua": 161},
        "mbpp": {"cpp": 398, "go": 375, "java": 387, "js": 399, "rs": 354, "ts": 391, "rb": 399, "lua": 399}}


def _bench(data: Path, stem: str, benchmark: str = "humaneval") -> Benchmark:
    return load_benchmark(f"multipl-e-{benchmark}-{stem}", data)


def _need_toolchain(stem: str) -> None:
    lang = benchmark_layout(f"multipl-e-humaneval-{stem}")[0]
    try:
        check_toolchain(lang.name)
        if stem == "java":
            from lintseq_eval.languages.java import javatuples_jar

            javatuples_jar()
    except ToolchainMissingError as exc:
        pytest.skip(f"{lang.name} toolchain missing: {exc}")


def test_every_language_and_benchmark_is_registered_with_suites() -> None:
    assert set(LANGUAGES) == set(REFERENCES)
    for benchmark in ("humaneval", "mbpp"):
        # the registry's family: every translation (Python's original is its own benchmark)
        assert suite_members(f"multipl-e-{benchmark}") == [f"multipl-e-{benchmark}-{s}" for s in sorted(LANGUAGES)]
    assert expand_benchmarks(["humaneval-x-go"]) == ["humaneval-x-go"]
    assert {"multipl-e-humaneval", "multipl-e-mbpp", "humanevalpack", "humanevalfix"} <= set(suite_names())
    with pytest.raises(BenchmarkError, match="unknown benchmark 'multipl-e-cobol'"):
        expand_benchmarks(["multipl-e-cobol"])
    assert get_language("ts").name == "typescript" and get_language("rb").name == "ruby"
    assert get_language("lua").executables() == ("lua",)


@pytest.mark.parametrize("stem", LANGUAGES)
def test_rows_become_whole_programs_and_tests_without_the_closer(shared_data: Path, stem: str) -> None:
    bench = _bench(shared_data, stem)
    task = bench.by_id()["HumanEval_13_greatest_common_divisor"]
    row = task.raw
    assert instruction(task) == row["prompt"].rstrip() and reference_prefix(task) == row["prompt"]
    # no reference solution upstream: --canonical is the prompt alone (which fails)
    assert canonical_program(task) == row["prompt"]
    tests = benchmark_layout(task.benchmark)[1].tests(row).tests
    empty = empty_program(task)
    assert empty.startswith(row["prompt"]) and len(empty) > len(row["prompt"])
    assert stop_tokens(row) == tuple(row["stop_tokens"])
    if stem in ("cpp", "rs"):  # "}" closes the function in the program, not in the tests
        assert row["tests"].startswith("}\n") and not tests.startswith("}") and empty.endswith("}\n")
    elif stem == "java":
        assert tests.startswith("class LintseqTests extends Problem {\n    public static void main")
        assert empty.endswith("    }\n}\n")
    else:
        assert tests == row["tests"]
    if stem == "rs":
        assert "fn lintseq_test_main()" in tests and not re.search(r"\bfn main\(", tests)


def test_whole_files_have_the_documented_row_counts(whole_data: Path) -> None:
    for benchmark, counts in ROWS.items():
        for stem, n in counts.items():
            bench = _bench(whole_data, stem, benchmark)
            assert len(bench.tasks) == n, (benchmark, stem)
            assert len({t.task_id for t in bench.tasks}) == n


@pytest.mark.slow
@pytest.mark.parametrize("stem", LANGUAGES)
def test_references_pass_and_wrong_programs_fail(shared_data: Path, stem: str) -> None:
    _need_toolchain(stem)
    tasks = _bench(shared_data, stem).by_id()
    samples = []
    for i, name in enumerate(HUMANEVAL_TASKS):
        if name not in tasks:
            continue
        task = tasks[name]
        samples.append(Sample(name, 0, "", reference_prefix(task) + REFERENCES[stem][name]))
        samples.append(Sample(name, 1, "", empty_program(task)))
        if i == 1 and stem in EARLY_EXIT:
            samples.append(Sample(name, 2, "", reference_prefix(task) + EARLY_EXIT[stem]))
    results = evaluate_samples(tasks, samples, workers=2)
    for r in results:
        expected = Status.PASS if r.index == 0 else Status.FAIL
        assert r.status is expected, (stem, r.task_id, r.index, r.status, r.reason)
    assert sum(r.index == 0 for r in results) == 3


@pytest.mark.slow
@pytest.mark.parametrize("stem", LANGUAGES)
def test_empty_programs_of_mbpp_fail(shared_data: Path, stem: str) -> None:
    _need_toolchain(stem)
    bench = _bench(shared_data, stem, "mbpp")
    tasks = bench.tasks[:3]
    results = evaluate_samples(bench.by_id(), [Sample(t.task_id, 0, "", empty_program(t)) for t in tasks], workers=2)
    assert [r.status for r in results] == [Status.FAIL] * len(tasks), [r.reason for r in results]


def test_fixture_rows_are_byte_copies_of_the_upstream_rows(repo_root: Path, whole_data: Path) -> None:
    fixture = repo_root / "tests" / "fixtures" / "data" / "multipl-e"
    for path in sorted(fixture.glob("*.jsonl.gz")):
        upstream = set(gzip.open(whole_data / "multipl-e" / path.name, "rt", encoding="utf-8").read().splitlines())
        rows = gzip.open(path, "rt", encoding="utf-8").read().splitlines()
        assert rows and set(rows) <= upstream, path.name
