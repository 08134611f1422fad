"""``lintseq-eval --partial``: partial states of the reference solutions and their self-checks.

Reference completions rebuild the reference program byte for byte and pass every task; empty
completions (the partial state as it is) pass none — in every benchmark language, both
formats. The execution checks run on the benchmark rows the suite has (``shared_data``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lintseq_eval.benchmarks import Benchmark, load_benchmark
from lintseq_eval.cli import main
from lintseq_eval.errata import VACUOUS_TESTS
from lintseq_eval.execution import evaluate_samples
from lintseq_eval.partial import PartialBenchmark, partial_candidates, screen_verdicts
from lintseq_eval.programs import canonical_program, instruction, reference_prefix

from lintseq_core.edits import DIFF_TOKEN, split_lines, training_prompt
from lintseq_core.host import get_host
from lintseq_core.partial_format import partial_prompt

BENCHMARKS = ["humaneval", "mbpp", *(f"humaneval-x-{x}" for x in ("cpp", "go", "java", "js", "python", "rust"))]
LIMIT = {"humaneval": 12, "mbpp": 12}
# Executing every task of a benchmark is a measurement (benchmarks/bench_execution.py); the
# self-checks here run the first tasks of each.
EXECUTED = 12


def _bench(name: str, shared_data: Path, limit: int | None = None) -> Benchmark:
    return load_benchmark(name, shared_data, limit=limit or LIMIT.get(name))


@pytest.mark.parametrize("name", BENCHMARKS)
def test_reference_completions_rebuild_the_reference_exactly(name: str, shared_data: Path) -> None:
    bench = _bench(name, shared_data)
    partial = PartialBenchmark.build(bench, seed=0)
    kinds = {p.kind for p in partial.states.values()}
    assert "intermediate" in kinds, partial.summary()
    for task in bench.tasks:
        p = partial.states[task.task_id]
        reference = canonical_program(task)
        lines = split_lines(reference)
        state_lines = split_lines(p.state) if p.state else []
        it = iter(lines)
        assert all(line in it for line in state_lines)  # a subsequence of the reference
        assert len(state_lines) < len(lines)
        prefix = reference_prefix(task)
        assert p.state.startswith(prefix.rstrip("\n"))  # signature and docstring always shown
        for fmt in ("editseq", "baseline"):
            completion = partial.reference_completion(task, fmt)
            assert partial.resolve(task, completion, fmt).program == reference, (task.task_id, fmt)
            prompt = partial.prompt(task, fmt)
            assert prompt == partial_prompt(instruction(task), p.state, fmt)
        empty = partial.resolve(task, "", "editseq")
        assert empty.program == p.state and empty.note == "no edits in completion"
        if p.kind == "intermediate":
            assert len(p.reference_path) >= 1 and p.state_index is not None
            assert p.state in partial.prompt(task, "editseq")
        else:
            assert p.note and len(state_lines) == prefix.count("\n")


def test_states_are_seeded_per_task(shared_data: Path) -> None:
    bench = _bench("humaneval", shared_data)
    host = get_host()
    a = PartialBenchmark.build(bench, seed=0, host=host)
    assert a.states == PartialBenchmark.build(bench, seed=0, host=host).states
    b = PartialBenchmark.build(bench, seed=1, host=host)
    assert a.states != b.states
    # One task's state does not depend on which other tasks are loaded.
    task = bench.tasks[5]
    assert partial_candidates(task, host, 0)[0] == a.states[task.task_id]


def test_screening_skips_states_that_already_pass(shared_data: Path) -> None:
    bench = _bench("humaneval", shared_data)
    host = get_host()
    first = PartialBenchmark.build(bench, seed=0, host=host)
    calls: list[int] = []

    def always_pass(samples):
        calls.append(len(samples))
        return [True] * len(samples)

    screened = PartialBenchmark.build(bench, seed=0, host=host, screen=always_pass)
    assert {p.kind for p in screened.states.values()} == {"prompt"}  # every candidate "passed"
    n_candidates = {t.task_id: len(partial_candidates(t, host, 0)) - 1 for t in bench.tasks}
    assert sum(calls) == sum(n_candidates.values())
    assert all(screened.states[tid].screened == n for tid, n in n_candidates.items())
    never = PartialBenchmark.build(bench, seed=0, host=host, screen=lambda s: [False] * len(s))
    assert never.states == {tid: p for tid, p in first.states.items()}
    assert never.summary()["screened_out"] == 0 and screened.summary()["screened_out"] == sum(calls)


def test_prompts_follow_the_training_layout(shared_data: Path) -> None:
    bench = _bench("humaneval", shared_data)
    partial = PartialBenchmark.build(bench, seed=0, template="<file>\n{state}\n</file>\n{instruction}")
    task = next(t for t in bench.tasks if partial.states[t.task_id].kind == "intermediate")
    p = partial.states[task.task_id]
    prompt = partial.prompt(task, "editseq")
    assert prompt == training_prompt(f"<file>\n{p.state}\n</file>\n{instruction(task)}")
    assert prompt.endswith("\n" + DIFF_TOKEN)
    completion = partial.reference_completion(task, "editseq")
    assert completion.endswith(f"\n{DIFF_TOKEN}\n{DIFF_TOKEN}")
    assert partial.resolve(task, completion, "editseq").program == canonical_program(task)


@pytest.mark.slow
@pytest.mark.parametrize("name", BENCHMARKS)
def test_self_checks_pass_all_and_none(name: str, shared_data: Path) -> None:
    """With screening: reference completions pass 100%, empty completions 0%, both formats."""
    bench = _bench(name, shared_data, EXECUTED)
    tasks = bench.by_id()

    def screen(samples):
        return screen_verdicts(evaluate_samples(tasks, samples, workers=2))

    partial = PartialBenchmark.build(bench, seed=0, screen=screen)
    for fmt in ("editseq", "baseline"):
        ref = evaluate_samples(tasks, partial.self_check_samples(bench.tasks, fmt, canonical=True), workers=2)
        assert len(ref) == len(bench.tasks)
        assert {r.task_id: r.reason for r in ref if not r.passed} == {}, fmt
        empty = evaluate_samples(tasks, partial.self_check_samples(bench.tasks, fmt, canonical=False), workers=2)
        passed = {r.task_id for r in empty if r.passed}
        # an empty program compiles, and Rust/32's commented-out tests pass it (errata.py)
        assert passed - set(VACUOUS_TESTS) == set(), fmt


@pytest.mark.slow
def test_cli_partial_canonical_and_empty(shared_data: Path, tmp_path: Path) -> None:
    common = ["--benchmark", "humaneval", "--dataset", str(shared_data), "--limit", "8", "--partial",
              "--workers", "2", "--no-plots", "-q"]
    for check, expected in (("--canonical", 1.0), ("--empty", 0.0)):
        out = tmp_path / check.strip("-")
        assert main([*common, check, "--format", "editseq", "--output-dir", str(out)]) == 0
        summary = json.loads((out / "summary.json").read_text())
        assert summary["pass_at_k"]["pass@1"] == pytest.approx(expected)
        assert summary["config"]["partial"]["tasks"] == 8
        states = [json.loads(x) for x in (out / "partial_states.jsonl").read_text().splitlines()]
        assert len(states) == 8 and {s["kind"] for s in states} <= {"intermediate", "prompt"}
        samples = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
        by_id = {s["task_id"]: s for s in states}
        if check == "--empty":  # the empty completion leaves the partial state as it is
            assert all(s["program"] == by_id[s["task_id"]]["state"] for s in samples)


def test_cli_partial_options_need_partial(shared_data: Path, tmp_path: Path) -> None:
    assert main(["--benchmark", "humaneval", "--dataset", str(shared_data), "--canonical",
                 "--partial-template", "{instruction}{state}", "--output-dir", str(tmp_path / "o")]) == 2
    assert main(["--benchmark", "humaneval", "--dataset", str(shared_data), "--canonical", "--partial",
                 "--partial-template", "{instruction} only", "--output-dir", str(tmp_path / "p")]) == 2


def test_samples_file_is_resolved_against_the_partial_states(shared_data: Path, tmp_path: Path) -> None:
    """--partial --samples: completions are diffs on top of each task's partial state."""
    bench = load_benchmark("humaneval", shared_data, limit=4)
    partial = PartialBenchmark.build(bench, seed=0)
    rows = []
    for task in bench.tasks:
        rows.append({"task_id": task.task_id, "completion": partial.reference_completion(task, "editseq")})
        rows.append({"task_id": task.task_id, "completion": ""})
    path = tmp_path / "s.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "r"
    assert main(["--benchmark", "humaneval", "--dataset", str(shared_data), "--limit", "4", "--partial",
                 "--no-partial-screen", "--samples", str(path), "--format", "editseq", "--output-dir", str(out),
                 "--no-plots", "-q", "--no-calibrate", "--workers", "2"]) == 0
    res = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
    by_key = {(r["task_id"], r["index"]): r for r in res}
    for task in bench.tasks:
        assert by_key[(task.task_id, 0)]["status"] == "PASS"
        assert by_key[(task.task_id, 1)]["program"] == partial.states[task.task_id].state


@pytest.mark.slow
def test_tiny_model_end_to_end_on_partial_programs(tiny_model: Path, shared_data: Path, tmp_path: Path) -> None:
    """Generation from partial-state prompts; diffs resolved on top of each state."""
    out = tmp_path / "report"
    assert main(["--benchmark", "humaneval", "--dataset", str(shared_data), "--limit", "2", "--partial",
                 "--no-partial-screen", "--model", str(tiny_model), "--format", "editseq",
                 "--max-new-tokens", "16", "--workers", "2", "--timeout", "5", "--no-calibrate",
                 "--output-dir", str(out), "--no-plots", "-q"]) == 0
    gens = [json.loads(x) for x in (out / "generations.jsonl").read_text().splitlines()]
    assert [g["task_id"] for g in gens] == ["HumanEval/0", "HumanEval/1"]
    states = {s["task_id"]: s for s in map(json.loads, (out / "partial_states.jsonl").read_text().splitlines())}
    rows = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
    assert len(rows) == 2 and {r["status"] for r in rows} <= {"PASS", "FAIL", "TIMEOUT"}
    for row in rows:  # random diffs only insert: the partial state's lines are all still there
        it = iter(split_lines(row["program"]))
        assert all(line in it for line in split_lines(states[row["task_id"]]["state"]))


def test_screening_skips_timeouts_as_undecided() -> None:
    """A run near the deadline may pass on a quieter machine: never a partial state."""
    from lintseq_eval.execution import SampleResult
    from lintseq_eval.executors import Status

    def result(status: Status) -> SampleResult:
        return SampleResult("T/0", 0, status, "", 0.0, 0, 0, "", "", "")

    verdicts = screen_verdicts([result(s) for s in (Status.PASS, Status.TIMEOUT, Status.FAIL)])
    assert verdicts == [True, True, False]
