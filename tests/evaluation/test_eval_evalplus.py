"""HumanEval+ and MBPP+: loading, evalplus's comparison rules, base and plus verdicts.

The comparison rules are tested in-process on :mod:`lintseq_eval.evalplus_harness` (the
code every sample runs in its sandbox), with hand-made references; the sandbox tests run
the rows of ``tests/fixtures/data/evalplus`` (or the whole files with ``LINTSEQ_DATA_DIR``,
limited to a few tasks). Whole-benchmark self-checks: ``benchmarks/bench_execution.py``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from lintseq_eval import evalplus_harness as h
from lintseq_eval.benchmarks import Benchmark, load_benchmark
from lintseq_eval.cli import main
from lintseq_eval.errors import BenchmarkError
from lintseq_eval.execution import Sample, evaluate_samples
from lintseq_eval.programs import canonical_program, empty_program, instruction
from lintseq_eval.sandbox import Limits

LIMITS = Limits(run_timeout_s=60)


@pytest.fixture(scope="module")
def he_plus(shared_data: Path) -> Benchmark:
    return load_benchmark("humaneval-plus", shared_data, limit=4)


@pytest.fixture(scope="module")
def mbpp_plus(shared_data: Path) -> Benchmark:
    return load_benchmark("mbpp-plus", shared_data, limit=6)


# --------------------------------------------------------------------------- loading


def test_whole_files_have_every_task(whole_data: Path) -> None:
    assert len(load_benchmark("humaneval-plus", whole_data).tasks) == 164
    mbpp = load_benchmark("mbpp-plus", whole_data)
    assert len(mbpp.tasks) == 378 and mbpp.tasks[0].task_id == "Mbpp/2"


def test_origin_format_is_rejected_with_the_missing_fields(tmp_path: Path) -> None:
    row = {"task_id": "HumanEval/0", "prompt": "def f():\n", "canonical_solution": "    return 1\n",
           "entry_point": "f", "test": "def check(candidate):\n    assert candidate() == 1\n"}
    path = tmp_path / "HumanEvalPlus-OriginFmt.jsonl"
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(BenchmarkError, match=r"base_input.*right file"):
        load_benchmark("humaneval-plus", path)


def test_mbpp_plus_instruction_lists_the_prompt_assert(mbpp_plus: Benchmark) -> None:
    text = instruction(mbpp_plus.by_id()["Mbpp/2"])
    first, rest = text.split("\nYour code should pass these tests:\n")
    assert first == "Write a function to find the shared elements from the given two lists."
    assert rest == "assert set(similar_elements((3, 4, 5, 6),(5, 7, 4, 10))) == set((4, 5))"


# --------------------------------------------------------------------------- evalplus's rules, in-process


def test_all_close_follows_numpy_allclose() -> None:
    assert h.all_close(1.0, 1.0 + 5e-7, atol=1e-6)
    assert not h.all_close(1.0, 1.0 + 5e-6, atol=1e-6)
    assert h.all_close(1e9, 1e9 + 50, atol=0.0)  # rtol 1e-7 of the expected value
    assert h.all_close([1.0, 2.0], (1.0, 2.0 + 1e-9), atol=1e-6)
    assert not h.all_close([1.0], [1.0, 2.0], atol=1.0)
    assert not h.all_close(float("nan"), float("nan"), atol=1.0)
    assert h.all_close(float("inf"), float("inf"), atol=0.0)
    assert not h.all_close("1.0", 1.0, atol=1.0)


def test_is_floats() -> None:
    assert h.is_floats(0.5) and h.is_floats([0.5, 1.5]) and h.is_floats((2.0,))
    assert not h.is_floats([]) and not h.is_floats([1, 2.0]) and not h.is_floats(1)


def test_mbpp_inputs_are_rebuilt_as_evalplus_passes_them() -> None:
    assert h.deserialize("Mbpp/2", [[[3, 4], [5, 4]]]) == [[(3, 4), (5, 4)]]
    assert h.deserialize("Mbpp/124", [["3", "(1+2j)"]]) == [(3.0, 1 + 2j)]
    assert h.deserialize("Mbpp/722", [[{"a": [1, 2]}, 6, 7]]) == [[{"a": (1, 2)}, 6, 7]]
    assert h.deserialize("Mbpp/11", [[[1, 2]]]) == [[[1, 2]]]  # no shape: unchanged
    assert h.deserialize("HumanEval/2", [[[1, 2]]]) == [[[1, 2]]]


def test_special_oracles() -> None:
    xs = [-6.0, 11.0, -6.0, 1.0]  # (x - 1)(x - 2)(x - 3)
    assert h.special_match("humaneval", "find_zero", 2.0, 1.0, [xs], 1e-4) is True
    assert h.special_match("humaneval", "find_zero", 2.5, 1.0, [xs], 1e-4) is False
    assert h.special_match("mbpp", "similar_elements", (4, 3), (3, 4), None, 0) is True
    assert h.special_match("mbpp", "check_str", None, False, None, 0) is True
    assert h.special_match("mbpp", "check_str", object(), False, None, 0) is False
    assert h.special_match("mbpp", "add", 1, 1, None, 0) is None


def _harness(reference: str, inputs: list, *, atol: float = 0, min_s: float = 4.0,
             dataset: str = "humaneval") -> h.Harness:
    spec = {"task_id": "T/0", "dataset": dataset, "entry_point": "f", "atol": atol, "factor": 4.0,
            "min_s": min_s, "reference": reference, "phases": [["base", inputs]]}
    return h.Harness(json.dumps(spec))


def _verdict(harness: h.Harness, fn: object, capfd: pytest.CaptureFixture[str]) -> str:
    try:
        harness.check({"f": fn})
    except SystemExit as exc:
        assert exc.code == 1
        return capfd.readouterr().err
    return "PASS"


def test_harness_compares_floats_with_a_tolerance(capfd: pytest.CaptureFixture[str]) -> None:
    harness = _harness("def f(x):\n    return x / 3\n", [[1.0], [2.0]])
    assert _verdict(harness, lambda x: x / 3 + 1e-9, capfd) == "PASS"  # atol forced to 1e-6
    assert "base input 0 of 2: wrong output" in _verdict(harness, lambda x: x / 3 + 1e-3, capfd)
    exact = _harness("def f(x):\n    return x * 3\n", [[1], [2]])
    assert "base input 1 of 2" in _verdict(exact, lambda x: 3 if x == 1 else 7, capfd)


def test_harness_gives_each_input_a_time_limit(capfd: pytest.CaptureFixture[str]) -> None:
    import time

    harness = _harness("def f(x):\n    return x\n", [[1], [2]], min_s=0.2)

    def slow(x: int) -> int:
        if x == 2:
            time.sleep(2)
        return x

    err = _verdict(harness, slow, capfd)
    assert "base input 1 of 2: time limit 0.20s exceeded" in err


def test_harness_swallows_prints_and_fails_on_exceptions(capfd: pytest.CaptureFixture[str]) -> None:
    harness = _harness("def f(x):\n    return x\n", [[1]])

    def chatty(x: int) -> int:
        print("noise")
        return x

    assert _verdict(harness, chatty, capfd) == "PASS"
    assert "noise" not in capfd.readouterr().out
    assert "ZeroDivisionError" in _verdict(harness, lambda x: 1 // 0, capfd)
    assert "defines no function 'f'" in _verdict(harness, None, capfd)


# --------------------------------------------------------------------------- sandboxed, on benchmark rows


def _run(bench: Benchmark, programs: dict[str, str]) -> dict[str, object]:
    samples = [Sample(tid, 0, "", prog) for tid, prog in programs.items()]
    return {r.task_id: r for r in evaluate_samples(bench.by_id(), samples, limits=LIMITS, workers=2)}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["humaneval-plus", "mbpp-plus"])
def test_canonical_passes_and_empty_fails(name: str, shared_data: Path) -> None:
    bench = load_benchmark(name, shared_data, limit=4)
    canonical = _run(bench, {t.task_id: canonical_program(t) for t in bench.tasks})
    assert all(r.passed for r in canonical.values()), {k: r.reason for k, r in canonical.items() if not r.passed}
    empty = _run(bench, {t.task_id: empty_program(t) for t in bench.tasks})
    assert not any(r.passed for r in empty.values())


def _base_only_program(row: dict) -> str:
    """The reference on the base inputs, None elsewhere: passes base, fails plus."""
    ep = row["entry_point"]
    return (row["prompt"] + row["canonical_solution"] + f"\n\n_reference = {ep}\n_base = {row['base_input']!r}\n\n\n"
            f"def {ep}(*args):\n    return _reference(*args) if list(args) in _base else None\n")


@pytest.mark.slow
def test_base_and_plus_are_reported_separately(he_plus: Benchmark, tmp_path: Path) -> None:
    row = dict(he_plus.by_id()["HumanEval/0"].raw)
    samples = tmp_path / "samples.jsonl"
    samples.write_text(json.dumps({"task_id": "HumanEval/0", "solution": _base_only_program(row)}) + "\n")
    data = tmp_path / "data.jsonl.gz"
    with gzip.open(data, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")
    out = tmp_path / "out"
    rc = main(["--benchmark", "humaneval-plus", "--dataset", str(data), "--samples", str(samples),
               "--format", "baseline", "--no-calibrate", "--timeout", "60", "--workers", "1",
               "--output-dir", str(out), "--no-plots", "-q"])
    assert rc == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["pass_at_k"]["pass@1"] == 0.0
    assert summary["companions"]["humaneval-plus-base"]["pass_at_k"]["pass@1"] == 1.0
    plus = json.loads((out / "samples.jsonl").read_text())
    assert plus["status"] == "FAIL" and "plus input" in plus["reason"] and "wrong output" in plus["reason"]
    assert json.loads((out / "samples.humaneval-plus-base.jsonl").read_text())["status"] == "PASS"
    assert "| pass@1 (humaneval-plus-base) | 100.00% |" in (out / "report.md").read_text()


def test_future_imports_go_above_the_harness() -> None:
    from lintseq_eval.languages.python import future_imports_first

    program = '"""Doc."""\nfrom __future__ import annotations\nfrom __future__ import (\n    division)\n\nx: int = 1\n'
    before, moved = future_imports_first("import harness\n", program)
    assert before == "from __future__ import annotations\nfrom __future__ import (\n    division)\nimport harness\n"
    assert moved.splitlines() == ['"""Doc."""', "", "", "", "", "x: int = 1"]  # line numbers kept
    compile(before + moved, "program.py", "exec")
    # nothing to move, or nothing before the program: unchanged
    assert future_imports_first("", program) == ("", program)
    assert future_imports_first("import harness\n", "x = 1\n") == ("import harness\n", "x = 1\n")
    shared = "from __future__ import annotations; import os\n"
    assert future_imports_first("import harness\n", shared) == ("import harness\n", shared)


@pytest.mark.slow
def test_a_whole_module_sample_with_future_imports_passes(he_plus: Benchmark) -> None:
    task = he_plus.by_id()["HumanEval/0"]
    program = "from __future__ import annotations\n\n" + canonical_program(task)
    verdict = _run(he_plus, {"HumanEval/0": program})["HumanEval/0"]
    assert verdict.passed, verdict.reason


# --------------------------------------------------------------------------- reference recorded once per task


def test_reference_runs_once_per_task_and_verdicts_stay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A task with several samples runs its (slow) reference once: later samples, in this
    process or the next (the disk cache), get its outputs and give the same verdicts."""
    from lintseq_eval import evalplus
    from lintseq_eval.benchmarks import Task
    from lintseq_eval.executors import Status

    monkeypatch.setenv("LINTSEQ_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(evalplus, "_recorded", {})
    row = {"task_id": "HumanEval/900", "prompt": "import time\n\n\ndef double(x):\n",
           "canonical_solution": "    time.sleep(1.5)\n    return [x * 2, x / 3]\n", "entry_point": "double",
           "base_input": [[1], [2]], "plus_input": [[3]], "atol": 0}
    task = Task("humaneval-plus", "HumanEval/900", "python", row)
    good, bad = "def double(x):\n    return [2 * x, x / 3]\n", "def double(x):\n    return [x, x / 3]\n"
    samples = [Sample(task.task_id, i, "", p) for i, p in enumerate((good, bad, good))]
    recorded: list[str] = []
    real = evalplus._record_one
    monkeypatch.setattr(evalplus, "_record_one", lambda t, lim, pool: recorded.append(t.task_id) or real(t, lim, pool))

    def run(batch: list[Sample]) -> list[tuple[Status, str, float]]:
        return [(r.status, r.reason, r.wall_s) for r in evaluate_samples({task.task_id: task}, batch, limits=LIMITS,
                                                                         workers=2)]

    alone = run(samples[1:2])  # one sample: nothing recorded, it runs the reference (3 x 1.5 s)
    assert recorded == [] and alone[0][0] is Status.FAIL and alone[0][2] >= 4.5
    first = run(samples)
    assert recorded == [task.task_id]
    assert [v[0] for v in first] == [Status.PASS, Status.FAIL, Status.PASS]
    assert first[1][1] == alone[0][1]  # the same wrong output, the same reason
    assert "base input 0 of 2: wrong output [1, 0.3333333333333333], expected [2, 0.3333333333333333]" in first[1][1]
    assert max(v[2] for v in first) < 4.5  # no sample slept through the reference
    monkeypatch.setattr(evalplus, "_recorded", {})  # a new process: the recording comes from disk
    second = run(samples)
    assert recorded == [task.task_id]
    assert [v[:2] for v in second] == [v[:2] for v in first] and max(v[2] for v in second) < 4.5
    cached = json.loads(next((tmp_path / "cache" / "evalplus").glob("humaneval-plus-*.json")).read_text())
    assert len(cached["recordings"]) == 1
