"""Completions that try to cheat or do harm: each must be scored as a failure, harmlessly.

Each runs against HumanEval/0 (``has_close_elements``) next to correct samples in one
parallel batch, under every sandbox backend this machine has.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from pathlib import Path

import pytest
from lintseq_eval.benchmarks import Benchmark
from lintseq_eval.errors import SandboxError
from lintseq_eval.execution import Sample, evaluate_samples
from lintseq_eval.executors import Status
from lintseq_eval.programs import canonical_program
from lintseq_eval.sandbox import Limits
from proc_helpers import pids_with

LIMITS = Limits(run_timeout_s=3.0, memory_mb=2048, processes=64)

CORRECT = """
def has_close_elements(numbers, threshold):
    return any(abs(a - b) < threshold for i, a in enumerate(numbers) for b in numbers[i + 1:])
"""
WRONG = """
def has_close_elements(numbers, threshold):
    return True
"""


def adversaries(host_file: Path, port: int) -> dict[str, str]:
    return {
        "infinite loop": "while True:\n    pass\n" + CORRECT,
        "fork bomb": "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
        "10 GB allocation": "blob = bytearray(10 * 1024**3)\n" + CORRECT,
        "write outside the temp dir": f"open({str(host_file)!r}, 'w').write('pwned')\n" + CORRECT,
        "network socket": f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2)\n" + CORRECT,
        "sys.exit(0) at import": "import sys\nsys.exit(0)\n" + WRONG,
        "sys.exit(0) inside the function": "import sys\ndef has_close_elements(numbers, threshold):\n    sys.exit(0)\n",
        "os._exit(0)": "import os\nos._exit(0)\n" + WRONG,
        "kill the parent": "import os\nos.kill(os.getppid(), 9)\n" + WRONG,
        "kill every process it can see": "import os, signal\nos.kill(-1, signal.SIGKILL)\n" + WRONG,
        "redefine check": WRONG + "def check(candidate):\n    pass\n",
        "patch the candidate after check starts": WRONG
        + "import builtins\nbuiltins.check = lambda c: None\nAssertionError = SystemExit\n",
        "fake success lines": "import os\nprint('PASS')\nprint('All tests passed')\n"
        "print('LINTSEQ-DONE-' + '0' * 32)\nos._exit(0)\n" + WRONG,
        "delete files in the working directory": "import os, shutil\n"
        "for f in os.listdir('.'):\n    shutil.rmtree(f, ignore_errors=True) if os.path.isdir(f) else os.remove(f)\n"
        + WRONG,
        "raise SystemExit from a thread-free atexit": "import atexit, os\natexit.register(lambda: print('ok'))\n"
        "raise SystemExit(0)\n" + WRONG,
    }


def _evaluate_or_skip(bench: Benchmark, samples: list[Sample], workers: int) -> list:
    try:
        return evaluate_samples(bench.by_id(), samples, limits=LIMITS, workers=workers)
    except SandboxError as exc:  # the fallback backend refuses clearly; that is its contract
        if os.environ.get("LINTSEQ_SANDBOX") == "process" and "world-searchable" in str(exc):
            pytest.skip(f"process backend cannot reach the interpreter here: {exc}")
        raise


class _Listener:
    """A TCP server on the host: a sandboxed sample must not reach it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.mark.slow
def test_adversarial_samples_fail_and_harm_nothing(backend: str, humaneval: Benchmark, tmp_path: Path) -> None:
    task = humaneval.tasks[0]
    host_file = tmp_path / f"pwned-{uuid.uuid4().hex}"
    canary = tmp_path / "canary.txt"
    canary.write_text("still here")
    os.chmod(tmp_path, 0o777)  # even a writable host folder must stay out of reach
    listener = _Listener()
    try:
        bad = adversaries(host_file, listener.port)
        samples = [Sample(task.task_id, i, "", prog) for i, prog in enumerate(bad.values())]
        good = [Sample(task.task_id, 100 + i, "", canonical_program(task)) for i in range(3)]
        results = _evaluate_or_skip(humaneval, [*good[:1], *samples, *good[1:]], workers=2)
    finally:
        listener.close()
    by_index = {r.index: r for r in results}
    for i, name in enumerate(bad):
        r = by_index[i]
        assert r.status is not Status.PASS, f"{name!r} passed ({backend})"
        assert r.status is not Status.ERROR, f"{name!r} broke the harness: {r.reason}"
    for g in good:  # the neighbours in the same batch were unaffected
        assert by_index[g.index].status is Status.PASS, by_index[g.index].reason
    assert by_index[0].status is Status.TIMEOUT  # infinite loop
    assert not host_file.exists()
    assert canary.read_text() == "still here"
    if backend == "bwrap":  # the fallback can only report that it could not isolate the network
        assert listener.connections == 0
    assert "MemoryError" in by_index[2].reason or by_index[2].status is Status.FAIL


@pytest.mark.slow
def test_no_process_survives_a_sample(backend: str, humaneval: Benchmark) -> None:
    task = humaneval.tasks[0]
    marker = f"lintseq-orphan-{uuid.uuid4().hex[:12]}"
    prog = (
        "import os, subprocess, time\n"
        f"subprocess.Popen(['/bin/sh', '-c', 'exec -a {marker} sleep 300'], start_new_session=True)\n"
        "time.sleep(0.3)\n" + WRONG
    )
    _evaluate_or_skip(humaneval, [Sample(task.task_id, 0, "", prog)], workers=1)
    alive = pids_with(marker)
    assert not alive, f"processes left behind: {alive}"


def test_timeout_is_reported_quickly(humaneval: Benchmark) -> None:
    task = humaneval.tasks[0]
    limits = Limits(run_timeout_s=1.0)
    [r] = evaluate_samples(humaneval.by_id(), [Sample(task.task_id, 0, "", "while True: pass\n")], limits=limits)
    assert r.status is Status.TIMEOUT and r.wall_s < 6, r
