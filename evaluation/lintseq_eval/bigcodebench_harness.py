"""The BigCodeBench check that runs inside the sandbox: ``python harness.py``.

:mod:`lintseq_eval.bigcodebench` writes ``program.py`` (calibration + the sample's program
+ the task's ``unittest`` module) beside this file. Written from upstream's
``unsafe_execute`` (github.com/bigcode-project/bigcodebench, ``bigcodebench/eval/__init__.py``
and ``eval/utils.py`` at 47eff25a, Apache-2.0):

* the program runs in a fresh empty folder, as a module named ``__test__`` (registered in
  ``sys.modules`` afterwards) whose globals already hold ``sys``, ``os`` and ``environ``;
* ``exit`` and ``quit`` are removed from the builtins, ``faulthandler`` is off, the time
  zone is UTC (the stage's ``TZ``);
* all output is swallowed: ``sys.stdout``/``sys.stderr`` write to a buffer nobody reads and
  ``sys.stdin`` cannot be read, as upstream's ``swallow_io``; file descriptors 1 and 2 point
  at ``/dev/null`` as well, so subprocesses and C code stay quiet (upstream pipes them);
* ``TestCases`` is loaded with ``unittest.TestLoader().loadTestsFromTestCase`` and run into
  a ``unittest.TestResult``: the sample passes when it has no failure and no error (skips
  are fine). Anything raised while the module runs fails the sample.

Not copied: upstream's ``safe_environment`` (it wraps ``os.kill``, ``subprocess`` and
``os.exec*`` to protect the evaluating process), since the sandbox gives every sample its
own process namespace; its in-process alarm, since the sandbox's stage limit kills a slow
sample (reported as a time-out, where upstream reports a failure).

A failure writes one line to the real stderr and exits 1; a pass writes the completion
token to the real stdout. Either way the process ends at once (``os._exit``), so a thread the
program left running cannot hold it open. Standard library only: it runs in the sample's
interpreter.
"""

from __future__ import annotations

import builtins
import faulthandler
import io
import os
import sys
import time
import types
import unittest
from typing import NoReturn

MODULE = "__test__"
WORKDIR = "task"
_MAX_REPORT = 3  # failing tests named in the failure line


class _WriteOnly(io.StringIO):
    """A stream that takes writes and refuses reads (upstream's ``WriteOnlyStringIO``)."""

    def read(self, *args: object, **kwargs: object) -> str:
        raise OSError("stdin is not readable in BigCodeBench's harness")

    def readline(self, *args: object, **kwargs: object) -> str:
        raise OSError("stdin is not readable in BigCodeBench's harness")

    def readlines(self, *args: object, **kwargs: object) -> list[str]:
        raise OSError("stdin is not readable in BigCodeBench's harness")

    def readable(self) -> bool:
        return False


def _exception_line(trace: str) -> str:
    """The first line of a traceback's final exception (its message may span many lines)."""
    lines = trace.rstrip().splitlines()
    frames = [i for i, line in enumerate(lines) if line.startswith('  File "')]
    rest = lines[frames[-1] + 1 if frames else 0:]
    for i, line in enumerate(rest):
        if line.strip() and not line[0].isspace():
            text = line.strip()
            if text.endswith(":"):  # the message starts on the next line (nltk's LookupError)
                text += " " + next((ln.strip() for ln in rest[i + 1:] if any(c.isalnum() for c in ln)), "")
            return text[:200]
    return lines[-1].strip()[:200] if lines else "?"


def _finish(fd: int, text: str, code: int) -> NoReturn:
    os.write(fd, text.encode("utf-8", "replace"))
    os._exit(code)


def main() -> None:
    with open(".lintseq_nonce", encoding="ascii") as fh:
        nonce = fh.read().strip()
    os.unlink(".lintseq_nonce")
    with open("program.py", encoding="utf-8") as fh:
        source = fh.read()
    out, err = os.dup(1), os.dup(2)  # not inherited by subprocesses (close-on-exec)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    os.mkdir(WORKDIR)
    os.chdir(WORKDIR)
    time.tzset()
    faulthandler.disable()
    builtins.exit = None  # type: ignore[assignment]
    builtins.quit = None  # type: ignore[assignment]
    module = types.ModuleType(MODULE)
    module.__dict__.update({"__builtins__": builtins, "__file__": f"{MODULE}.py", "__package__": None,
                            "__doc__": None, "sys": sys, "os": os, "environ": os.environ})
    sink = _WriteOnly()
    sys.stdout, sys.stderr, sys.stdin = sink, sink, sink
    try:
        exec(compile(source, f"{MODULE}.py", "exec"), module.__dict__)
        sys.modules[MODULE] = module
        cases = getattr(module, "TestCases")  # noqa: B009 - upstream's lookup, same error
        suite = unittest.TestLoader().loadTestsFromTestCase(cases)
        result = unittest.TestResult()
        suite.run(result)
    except BaseException as exc:  # noqa: BLE001 - upstream: anything raised fails the sample
        _finish(err, f"{type(exc).__name__} before or between the tests: {str(exc)[:300]}\n", 1)
    issues = result.failures + result.errors
    if issues:
        named = "; ".join(f"{test.id().split('.')[-1]}: {_exception_line(trace)}" for test, trace in issues[:_MAX_REPORT])
        more = f" (and {len(issues) - _MAX_REPORT} more)" if len(issues) > _MAX_REPORT else ""
        _finish(err, f"{len(issues)} of {result.testsRun} tests failed: {named}{more}\n", 1)
    _finish(out, f"\n{nonce}\n", 0)


if __name__ == "__main__":
    main()
