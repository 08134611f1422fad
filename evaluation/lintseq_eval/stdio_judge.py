"""A standard-input/standard-output judge, run inside the sandbox (CodeContests).

``python judge.py tests.json -- COMMAND...`` runs ``COMMAND`` once per test with the test's
input on stdin, under the problem's time limit (wall clock, per test) and memory limit
(``RLIMIT_AS`` of the program), and compares its stdout with the expected output token by
token (whitespace-insensitive, as Codeforces' default checker and the CodeContests
evaluations do). It stops at the first failing test, writes why on stderr and exits 1;
after the last test it prints the completion token, which it read from
``.lintseq_nonce`` and deleted before any program ran.

``tests.json``: ``{"time_limit_s": float, "memory_bytes": int, "tests": [[input, output], ...]}``.
Only the standard library is used: the judge runs with the sandbox's interpreter.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["main", "same_tokens"]

OUTPUT_FILE = "stdout.txt"


def same_tokens(got: str, expected: str) -> bool:
    """Equal up to whitespace: the same tokens in the same order."""
    return got.split() == expected.split()


def _limit_memory(memory_bytes: int) -> None:
    if memory_bytes > 0:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _run_one(command: list[str], stdin: str, time_limit_s: float, memory_bytes: int, workdir: Path) -> tuple[str, str]:
    """Run the program on one input: (``ok`` / ``timeout`` / ``exit N``, its stdout)."""
    (workdir / "stdin.txt").write_text(stdin, encoding="utf-8")
    with open(workdir / "stdin.txt", "rb") as fin, open(workdir / OUTPUT_FILE, "wb") as fout:
        proc = subprocess.Popen(command, cwd=workdir, stdin=fin, stdout=fout, stderr=subprocess.DEVNULL,
                                start_new_session=True, preexec_fn=lambda: _limit_memory(memory_bytes))
        try:
            rc = proc.wait(timeout=time_limit_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return "timeout", ""
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # whatever it left behind
        except ProcessLookupError:
            pass
    out = (workdir / OUTPUT_FILE).read_bytes().decode("utf-8", "replace")
    return ("ok" if rc == 0 else f"exit {rc}"), out


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        sys.stderr.write("usage: judge.py tests.json -- COMMAND...\n")
        return 2
    nonce = Path(".lintseq_nonce").read_text(encoding="ascii").strip()
    os.unlink(".lintseq_nonce")
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    # the program runs in run/: paths of the sandbox's folder (the binary, a class path ".") made absolute
    command = [str(Path(a).resolve()) if Path(a).exists() else a for a in argv[2:]]
    workdir = Path("run")
    workdir.mkdir(exist_ok=True)
    tests = spec["tests"]
    if not tests:
        sys.stderr.write("the problem has no tests\n")
        return 1
    for i, (stdin, expected) in enumerate(tests):
        t0 = time.monotonic()
        status, out = _run_one(command, stdin, float(spec["time_limit_s"]), int(spec["memory_bytes"]), workdir)
        took = time.monotonic() - t0
        where = f"test {i + 1} of {len(tests)}"
        if status == "timeout":
            sys.stderr.write(f"{where}: time limit {spec['time_limit_s']:g}s exceeded\n")
            return 1
        if status != "ok":
            sys.stderr.write(f"{where}: runtime error ({status}) after {took:.2f}s\n")
            return 1
        if not same_tokens(out, expected):
            sys.stderr.write(f"{where}: wrong answer: got {out[:80]!r}, expected {expected[:80]!r}\n")
            return 1
    sys.stdout.write(f"\n{nonce}\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
