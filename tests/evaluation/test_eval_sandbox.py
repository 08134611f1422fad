"""The sandbox's limits are real: checked from inside a sample, under each backend."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest
from lintseq_eval import sandbox
from lintseq_eval.benchmarks import Benchmark
from lintseq_eval.errors import SandboxError
from lintseq_eval.executors import check_toolchain
from lintseq_eval.languages.python import python_interpreter
from lintseq_eval.sandbox import Limits, Stage, run_sandboxed
from proc_helpers import pids_with

PROBE = r"""
import json, os, resource, socket
out = {"uid": os.getuid(), "euid": os.geteuid(), "groups": os.getgroups(),
       "nproc": resource.getrlimit(resource.RLIMIT_NPROC)[0], "as": resource.getrlimit(resource.RLIMIT_AS)[0],
       "fsize": resource.getrlimit(resource.RLIMIT_FSIZE)[0]}
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    out["net"] = "connected"
except OSError as exc:
    out["net"] = type(exc).__name__
try:
    with open("big.bin", "wb") as fh:
        fh.write(b"x" * (8 * 1024 * 1024))
    out["bigfile"] = "written"
except OSError as exc:
    out["bigfile"] = type(exc).__name__
out["repo_visible"] = os.path.exists(os.path.join(REPO, "pyproject.toml"))
out["cwd_files"] = sorted(os.listdir("."))
print(json.dumps(out))
"""


def _probe(tmp_limits: Limits, repo_root: Path) -> dict:
    files = {"probe.py": PROBE.replace("REPO", repr(str(repo_root)))}
    res = run_sandboxed(files, [Stage("run", (python_interpreter(), "-I", "probe.py"), 20)],
                        limits=tmp_limits, uid=201_234, extra_ro=check_toolchain("python"))
    assert res.stages and res.stages[-1].returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_limits_apply_inside(backend: str, repo_root: Path) -> None:
    limits = Limits(memory_mb=1024, file_size_mb=4, processes=40)
    try:
        seen = _probe(limits, repo_root)
    except SandboxError as exc:
        pytest.skip(f"{backend}: {exc}")
    assert seen["uid"] == seen["euid"] == 201_234 and seen["groups"] == []  # not root
    assert seen["nproc"] == 40 and seen["as"] == 1024 * 1024**2 and seen["fsize"] == 4 * 1024**2
    assert seen["bigfile"] != "written"  # 8 MiB > RLIMIT_FSIZE
    if backend == "bwrap":
        assert seen["net"] != "connected"
        # only system folders and the toolchain are mounted (a venv inside the repo brings
        # its own folder, not the repo's files)
        assert seen["repo_visible"] is False
        assert seen["cwd_files"] == ["big.bin", "probe.py"]


def test_workdir_is_size_limited(repo_root: Path) -> None:
    if sandbox.backend_name() != "bwrap":
        pytest.skip("only the bwrap backend has a sized tmpfs")
    prog = "import os\nn = 0\ntry:\n    for i in range(100):\n        open(f'f{i}', 'wb').write(b'x' * 2**20 * 3); n += 1\n" \
           "except OSError as e:\n    print('stopped', n, e.errno)\n"
    res = run_sandboxed({"w.py": prog}, [Stage("run", (python_interpreter(), "w.py"), 20)],
                        limits=Limits(workdir_mb=16), uid=201_235, extra_ro=check_toolchain("python"))
    assert "stopped" in res.stdout and int(res.stdout.split()[1]) <= 6


def test_multiprocessing_works_inside(repo_root: Path) -> None:
    """Python's multiprocessing needs a writable /dev/shm (POSIX semaphores)."""
    if sandbox.backend_name() != "bwrap":
        pytest.skip("the fallback backend uses the host's /dev/shm")
    prog = (
        "import multiprocessing as mp\n"
        "if __name__ == '__main__':\n"
        "    with mp.Pool(2) as pool:\n"
        "        print(sum(pool.map(abs, range(-5, 5))))\n"
    )
    res = run_sandboxed({"mp.py": prog}, [Stage("run", (python_interpreter(), "mp.py"), 30)],
                        limits=Limits(), uid=201_236, extra_ro=check_toolchain("python"))
    assert res.stdout.split() == ["25"], res.stderr


def test_fallback_says_why(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    real_which = sandbox.shutil.which
    monkeypatch.setattr(sandbox.shutil, "which", lambda n: None if n == "bwrap" else real_which(n))
    sandbox._bwrap_problem.cache_clear()
    sandbox._warn_fallback.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="lintseq_eval.sandbox"):
            assert sandbox.backend_name() == "process"
        assert "apt-get install bubblewrap" in caplog.text
    finally:
        sandbox._bwrap_problem.cache_clear()
        sandbox._warn_fallback.cache_clear()


def test_missing_toolchain_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from lintseq_eval import executors
    from lintseq_eval.errors import ToolchainMissingError

    executors._tool.cache_clear()
    executors._check_toolchain.cache_clear()
    monkeypatch.setattr(executors.shutil, "which", lambda n: None)
    try:
        with pytest.raises(ToolchainMissingError, match="apt-get install golang-go"):
            check_toolchain("go")
    finally:
        executors._tool.cache_clear()
        executors._check_toolchain.cache_clear()


def test_interpreter_is_this_one_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINTSEQ_PYTHON", raising=False)
    assert python_interpreter() == sys.executable


def test_go_imports_are_merged_and_pruned(shared_data: Path) -> None:
    from lintseq_eval.benchmarks import load_benchmark
    from lintseq_eval.languages.go import go_source

    task = load_benchmark("humaneval-x-go", shared_data).by_id()["Go/32"]  # test_setup imports math too
    program = (
        'package main\n\nimport (\n    "math"\n    "os"\n)\n\n'
        "// a list of strings. and fmt.Println in a comment\n"
        "func Poly(xs []int, x float64) float64 { return math.Pow(x, 2) }\n"
        "func FindZero(xs []int) float64 { return 0 }\n"
    )
    src = go_source(task.raw["test_setup"], task.raw["test"], program)
    head = src.split(")", 1)[0]
    assert src.startswith("package main\n") and src.count("package ") == 1
    assert head.count('"math"') == 1 and '"os"' not in head  # deduplicated; unused dropped
    assert '"strings"' not in head and '"fmt"' not in head  # mentions in comments do not count
    assert '"testing"' in head and '"github.com/stretchr/testify/assert"' in head


def test_flooding_stdout_fails_with_a_reason(humaneval: Benchmark) -> None:
    from lintseq_eval.execution import Sample, evaluate_samples
    from lintseq_eval.executors import Status

    task = humaneval.tasks[0]
    prog = "import sys\nsys.stdout.write('x' * (8 * 2**20))\n" + "def has_close_elements(a, b):\n    return True\n"
    [r] = evaluate_samples(humaneval.by_id(), [Sample(task.task_id, 0, "", prog)],
                           limits=Limits(output_kb=1024), workers=1)
    assert r.status is Status.FAIL and "output limit" in r.reason, r.reason


@pytest.mark.slow
def test_leftover_processes_do_not_delay_the_verdict(backend: str, humaneval: Benchmark) -> None:
    """Once the tests ran and the program exited, what it left running is killed at once."""
    import uuid

    from lintseq_eval.execution import Sample, evaluate_samples
    from lintseq_eval.executors import Status
    from lintseq_eval.programs import canonical_program

    task = humaneval.tasks[0]
    marker = f"lintseq-leftover-{uuid.uuid4().hex[:12]}"
    sleeper = f"['/bin/sh', '-c', 'exec -a {marker} sleep 60']"
    leftovers = {
        "background child": f"import subprocess\nsubprocess.Popen({sleeper})\n",
        "plain sleep child": "import subprocess\nsubprocess.Popen(['sleep', '60'])\n",
        "double-forked daemon": "import os\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
        f"        os.execv('/bin/sh', ['/bin/sh', '-c', 'exec -a {marker} sleep 60'])\n    os._exit(0)\nos.wait()\n",
    }
    limits = Limits(run_timeout_s=5.0)  # the sandbox's own deadline is 15 s
    samples = [Sample(task.task_id, i, "", code + canonical_program(task)) for i, code in enumerate(leftovers.values())]
    try:
        results = evaluate_samples(humaneval.by_id(), samples, limits=limits, workers=1)
    except SandboxError as exc:
        pytest.skip(f"{backend}: {exc}")
    for name, r in zip(leftovers, results, strict=True):
        assert r.status is Status.PASS, f"{name}: {r.status} {r.reason}"
        assert r.wall_s < limits.run_timeout_s, f"{name}: waited {r.wall_s:.1f}s for its leftovers"
    assert not pids_with(marker, wait_s=3), "leftover processes survived the sample"


def test_endless_output_is_cut_at_the_limit_at_once(humaneval: Benchmark) -> None:
    """The host closes the output pipe at the limit: the writer stops, it does not run to its deadline."""
    from lintseq_eval.execution import Sample, evaluate_samples
    from lintseq_eval.executors import Status

    task = humaneval.tasks[0]
    prog = "while True:\n    print('x' * 4096)\n"
    limits = Limits(output_kb=256, run_timeout_s=8.0)
    [r] = evaluate_samples(humaneval.by_id(), [Sample(task.task_id, 0, "", prog)], limits=limits, workers=1)
    assert r.status is Status.FAIL and "output limit (256 KiB)" in r.reason, r.reason
    assert r.wall_s < limits.run_timeout_s, r.wall_s


def test_stderr_keeps_only_its_tail(repo_root: Path) -> None:
    """A flood on stderr comes back as its last ``output_kb`` (the host keeps a bounded tail)."""
    prog = "import sys\nfor i in range(20000):\n    sys.stderr.write(f'line {i:08d}' + ' ' * 90 + '\\n')\n"
    res = run_sandboxed({"e.py": prog}, [Stage("run", (python_interpreter(), "e.py"), 20)],
                        limits=Limits(output_kb=64), uid=201_236, extra_ro=check_toolchain("python"))
    assert res.stages[-1].returncode == 0, res.stderr[-300:]
    assert len(res.stderr) == 64 * 1024 and res.stderr.endswith(f"line {19999:08d}" + " " * 90 + "\n")
