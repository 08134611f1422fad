"""HumanEvalPack: synthesize and fix layouts, edit-sequence answers on top of the buggy
program, and the sandboxed self-check (reference passes, buggy program fails) per language.

The whole-benchmark self-check is ``benchmarks/bench_execution.py --benchmark
humanevalpack-<lang> humanevalfix-<lang> --variant canonical empty``.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from lintseq_eval.benchmarks import load_benchmark
from lintseq_eval.errata import ERRATA, ERRATA_BY_FAMILY
from lintseq_eval.errors import ToolchainMissingError
from lintseq_eval.execution import Sample, evaluate_samples
from lintseq_eval.executors import Status, check_toolchain
from lintseq_eval.humanevalpack import LANGUAGES, buggy_program
from lintseq_eval.languages import benchmark_layout
from lintseq_eval.programs import canonical_program, empty_program, instruction, resolve_completion
from lintseq_eval.suites import suite_members

from lintseq_core.edits import DIFF_TOKEN


def fix_diff(before: str, after: str) -> str:
    """A unified diff without context (what a fixing edit-sequence model writes)."""
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
    return "\n".join(line for line in lines if not line.startswith(("---", "+++")))


def test_suites_name_every_language() -> None:
    for family in ("humanevalpack", "humanevalfix"):
        assert suite_members(family) == sorted(f"{family}-{s}" for s in LANGUAGES)


@pytest.mark.parametrize("stem", LANGUAGES)
def test_synthesize_and_fix_layouts(shared_data: Path, stem: str) -> None:
    synth = load_benchmark(f"humanevalpack-{stem}", shared_data).tasks[0]
    row = synth.raw
    assert instruction(synth) == row["instruction"].strip()
    assert canonical_program(synth) == row["prompt"] + row["canonical_solution"]
    fix = load_benchmark(f"humanevalfix-{stem}", shared_data).tasks[0]
    buggy = empty_program(fix)
    assert buggy.endswith(row["buggy_solution"]) and row["declaration"] in buggy
    assert row["prompt"] not in buggy or row["prompt"] == row["declaration"]  # no docstring given
    text = instruction(fix)
    assert text.startswith(f"Fix bugs in {row['entry_point']}.\n\n") and buggy.strip() in text
    assert row["test"].strip() in text
    assert canonical_program(fix).endswith(row["canonical_solution"]) and canonical_program(fix) != buggy


@pytest.mark.parametrize("stem", LANGUAGES)
def test_editseq_answers_are_diffs_on_top_of_the_buggy_program(shared_data: Path, stem: str) -> None:
    for task in load_benchmark(f"humanevalfix-{stem}", shared_data).tasks:
        buggy, fixed = empty_program(task), canonical_program(task)
        # Go's declaration field lacks imports and helpers; CPP/38's runs into the body and is
        # cut (both tested below)
        if stem != "go" and task.task_id != "CPP/38":
            assert buggy == buggy_program(task.raw)
        assert buggy.endswith(task.raw["buggy_solution"])
        # an empty answer leaves the bug; the reference diff (deletions and insertions) fixes it
        assert resolve_completion(task, "", "editseq").program == buggy
        answer = fix_diff(buggy, fixed) + "\n" + DIFF_TOKEN
        assert resolve_completion(task, answer, "editseq").program.rstrip("\n") == fixed.rstrip("\n")
        # baseline answers are whole programs, as everywhere
        assert resolve_completion(task, f"```\n{fixed.rstrip()}\n```\n", "baseline").program.strip() == fixed.strip()


def test_humaneval_x_corrections_stay_in_their_benchmark(whole_data: Path) -> None:
    """HumanEvalPack's JavaScript/155 tests expect the comma operator's value: the HumanEval-X
    correction of the same task id must not be applied to it (Go/95's must)."""
    task = load_benchmark("humanevalpack-js", whole_data).by_id()["JavaScript/155"]
    assert canonical_program(task) == task.raw["prompt"] + task.raw["canonical_solution"]
    hx = load_benchmark("humaneval-x-js", whole_data).by_id()["JavaScript/155"]
    assert canonical_program(hx) != hx.raw["prompt"] + hx.raw["canonical_solution"]
    # Go/95's map-order bug is HumanEval-X's, in both HumanEvalPack tasks: corrected the same way
    for family in ("humanevalpack", "humanevalfix"):
        go = load_benchmark(f"{family}-go", whole_data).by_id()["Go/95"]
        assert ERRATA["Go/95"][1] in canonical_program(go) and ERRATA["Go/95"][0] in go.raw["canonical_solution"]
        # Rust/32's Newton iteration diverges on some of its tests' random polynomials: bisection
        rs = load_benchmark(f"{family}-rust", whole_data).by_id()["Rust/32"]
        old, new = ERRATA_BY_FAMILY[family]["Rust/32"]
        assert old in rs.raw["canonical_solution"] and new in canonical_program(rs)


def test_whole_files_have_164_tasks(whole_data: Path) -> None:
    for stem in LANGUAGES:
        for family in ("humanevalpack", "humanevalfix"):
            assert len(load_benchmark(f"{family}-{stem}", whole_data).tasks) == 164
    # Go's buggy programs keep the prompt's imports and helper functions, without comments
    go = load_benchmark("humanevalfix-go", whole_data).by_id()
    for tid, helper in (("Go/10", "func IsPalindrome("), ("Go/32", "func Poly("), ("Go/38", "func EncodeCyclic(")):
        buggy = empty_program(go[tid])
        assert buggy.startswith("import (") and helper in buggy
        assert not any(line.lstrip().startswith("//") for line in buggy.splitlines())


def test_cpp_fix_declaration_stops_at_the_entry_point(whole_data: Path) -> None:
    """Upstream CPP/38's declaration runs into the body; only that row is cut, and its
    buggy and fixed programs then hold ``decode_cyclic``'s body once."""
    bench = load_benchmark("humanevalfix-cpp", whole_data)
    changed = [t.task_id for t in bench.tasks if not empty_program(t).startswith(t.raw["declaration"])]
    assert changed == ["CPP/38"]
    task = bench.by_id()["CPP/38"]
    for program in (canonical_program(task), empty_program(task)):
        assert program.count("int num=(l+2)/3;") == 2  # once in encode_cyclic, once in decode_cyclic
        assert program.count("{") == program.count("}")


@pytest.mark.slow
@pytest.mark.parametrize("stem", LANGUAGES)
def test_references_pass_and_buggy_programs_fail(shared_data: Path, stem: str) -> None:
    lang = benchmark_layout(f"humanevalfix-{stem}")[0]
    try:
        check_toolchain(lang.name)
    except ToolchainMissingError as exc:
        pytest.skip(f"{lang.name} toolchain missing: {exc}")
    for family in ("humanevalpack", "humanevalfix"):
        bench = load_benchmark(f"{family}-{stem}", shared_data, limit=3)
        samples = [Sample(t.task_id, 0, "", canonical_program(t)) for t in bench.tasks]
        samples += [Sample(t.task_id, 1, "", empty_program(t)) for t in bench.tasks]
        for r in evaluate_samples(bench.by_id(), samples, workers=2):
            expected = Status.PASS if r.index == 0 else Status.FAIL
            assert r.status is expected, (family, stem, r.task_id, r.index, r.reason)
