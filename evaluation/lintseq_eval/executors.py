"""Language executors: program + benchmark tests -> sandboxed stages -> PASS/FAIL/TIMEOUT/ERROR.

(``MISSING_LIBRARY`` and ``NEEDS_NETWORK`` mark samples never run: see
:func:`lintseq_eval.execution.evaluate_samples`.)

A pass needs proof that the tests ran to the end: each sample gets a fresh random nonce,
which only the harness code that runs *after* the tests prints. A program that exits early
(``sys.exit(0)``, ``os._exit(0)``, ``process.exit(0)``, ``exit(0)``), kills its parent,
swallows the test harness or prints a fake success line never prints the nonce, so it
fails. Where the language allows it the nonce is kept out of the program's reach while it
runs (Python and JavaScript read it from a file that is deleted before the program starts);
in compiled languages it is compiled into the harness's ``main``. This is a guard against
code that cheats by accident or by a simple trick, not against code written to search the
harness for its secret.

What each language writes and runs is in its module of :mod:`lintseq_eval.languages`
(tests are the benchmark's own; see :mod:`lintseq_eval.programs`); this module only
checks toolchains, hands the stages to the sandbox and reads the verdict.
"""

from __future__ import annotations

import enum
import secrets
import shutil
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from lintseq_eval.benchmarks import Task
from lintseq_eval.errors import ToolchainMissingError
from lintseq_eval.languages import Prepared, benchmark_layout, get_language
from lintseq_eval.sandbox import Limits, SandboxResult, UidPool, run_sandboxed

__all__ = [
    "Outcome",
    "Prepared",
    "Status",
    "check_toolchain",
    "execute",
    "prepare",
    "run_prepared",
    "verdict",
]


class Status(str, enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    TIMEOUT = "TIMEOUT"
    ERROR = "ERROR"  # the harness could not run the sample (not the sample's fault)
    # not run: the interpreter lacks a module the task needs (not the sample's fault, not scored)
    MISSING_LIBRARY = "MISSING_LIBRARY"
    # not run: the task's reference solution needs the network, which the sandbox lacks
    # (decided per task by lintseq_eval.network; not the sample's fault, not scored)
    NEEDS_NETWORK = "NEEDS_NETWORK"


@dataclass(frozen=True)
class Outcome:
    status: Status
    reason: str
    wall_s: float


# --------------------------------------------------------------------------- toolchains


@cache
def _tool(name: str) -> str:
    """Absolute path of an executable on PATH (what a sandbox stage runs)."""
    path = shutil.which(name)
    if path is None:
        raise ToolchainMissingError(f"`{name}` is not on PATH")
    return str(Path(path).resolve())


@cache
def _check_toolchain(language: str) -> tuple[str, ...]:
    lang = get_language(language)
    try:
        return tuple(str(Path(_tool(t)).parent) for t in lang.executables())
    except ToolchainMissingError as exc:
        raise ToolchainMissingError(
            f"{lang.name} samples need {', '.join(lang.executables())}: {exc}; {lang.install_hint()}"
        ) from exc


def check_toolchain(language: str) -> tuple[str, ...]:
    """Host paths the language's toolchain needs mounted; raises if a tool is missing."""
    lang = get_language(language)
    paths = _check_toolchain(lang.name)
    return tuple(dict.fromkeys([*paths, *(lang.mounts(_tool) if lang.mounts else ())]))


def prepare(task: Task, program: str, limits: Limits, nonce: str | None = None) -> Prepared:
    """Files and stages that run ``program`` against ``task``'s tests."""
    extra = check_toolchain(task.language)
    lang, layout = benchmark_layout(task.benchmark)
    nonce = nonce or f"LINTSEQ-DONE-{secrets.token_hex(16)}"
    tests = layout.tests(task.raw)
    prep = (layout.prepare or lang.prepare)(replace(tests, program=program), nonce, limits, _tool)
    extra = tuple(dict.fromkeys([*extra, *prep.extra_ro]))  # a judge's interpreter (CodeContests)
    return Prepared(prep.files, prep.stages, prep.nonce, prep.env, extra, prep.cleanup)


def _tail(text: str, n: int = 600) -> str:
    """Start and end of a long stderr: the error is usually at one end, the cause at the other."""
    text = text.strip()
    return text if len(text) <= n else text[: n // 2] + " … " + text[-n // 2:]


def result_limit_bytes(result: SandboxResult) -> int:
    return result.output_limit or 1 << 62


def verdict(result: SandboxResult, prep: Prepared) -> Outcome:
    """PASS only if every stage exited 0 and the final stage printed the nonce on a line."""
    wall = result.wall_s
    final = prep.stages[-1].name
    if result.killed:
        return Outcome(Status.TIMEOUT, "killed at the sample's overall deadline", wall)
    if result.unfinished is not None:  # the sample killed the driver that supervised it
        return Outcome(Status.FAIL, f"{result.unfinished} stage killed its supervisor: {_tail(result.stderr)}", wall)
    if not result.stages:
        return Outcome(Status.ERROR, f"sandbox reported no stage: {_tail(result.stderr)}", wall)
    for st in result.stages:
        if st.name == "setup":
            return Outcome(Status.ERROR, f"sandbox setup failed: {_tail(result.stderr)}", wall)
        if st.timed_out:
            return Outcome(Status.TIMEOUT, f"{st.name} exceeded {prep.stages[[s.name for s in prep.stages].index(st.name)].timeout_s:g}s", wall)
        if st.name == final and len(result.stdout.encode("utf-8", "replace")) >= result_limit_bytes(result):
            return Outcome(Status.FAIL, f"output limit ({result.output_limit // 1024} KiB) reached", wall)
        if st.returncode != 0:
            what = "compile error" if st.name != final else f"exit status {st.returncode}"
            detail = result.stderr if result.stderr.strip() or st.name != final else result.stdout
            return Outcome(Status.FAIL, f"{what}: {_tail(detail)}", wall)
    if result.stage(final) is None:
        return Outcome(Status.ERROR, f"final stage did not report: {_tail(result.stderr)}", wall)
    if prep.nonce not in (line.strip() for line in result.stdout.splitlines()):
        return Outcome(Status.FAIL, "exited before the tests finished (no completion token)", wall)
    return Outcome(Status.PASS, "", wall)


def run_prepared(prep: Prepared, limits: Limits, uid: int | None = None, pool: UidPool | None = None) -> SandboxResult:
    """Run a prepared program in the sandbox, as ``uid`` or as a uid borrowed from ``pool``
    for the run (reference runs: time limits, evalplus outputs, the network probe)."""
    if pool is not None:
        uid = pool.acquire()
        try:
            return run_prepared(prep, limits, uid)
        finally:
            pool.release(uid)
    return run_sandboxed(
        prep.files, prep.stages, limits=limits, uid=uid, env=prep.env, extra_ro=prep.extra_ro, cleanup=prep.cleanup
    )


def execute(task: Task, program: str, *, limits: Limits, uid: int) -> Outcome:
    """Run one program against its task's tests in the sandbox."""
    prep = prepare(task, program, limits)
    return verdict(run_prepared(prep, limits, uid), prep)
