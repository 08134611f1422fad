"""BigCodeBench (Zhuo et al. 2024; github.com/bigcode-project/bigcodebench, Apache-2.0) as layouts.

1140 tasks (148 in the Hard subset) that call 139 libraries. Rows keep upstream's schema
(the release files ``BigCodeBench.jsonl.gz`` / ``BigCodeBench-Hard.jsonl.gz`` and the hub's
``bigcode/bigcodebench`` / ``bigcode/bigcodebench-hard``, split ``v0.1.0_hf``; the Hard
rows carry ``q_idx``, ``question``, ``score`` and ``_id`` too, which are ignored):
``complete_prompt`` (imports, signature, docstring), ``instruct_prompt`` (the same task in
prose, ending with the code to start from), ``code_prompt`` (imports and signature),
``canonical_solution`` (the body), ``test`` (a ``unittest`` module defining ``TestCases``)
and ``libs`` (a string holding a Python list of the top-level modules the task uses).

Two splits of each set, as upstream has them:

* ``-complete``: the model sees ``complete_prompt`` and continues it; a ``completion`` is
  appended to ``complete_prompt`` (upstream's ``complete_prompt + completion``);
* ``-instruct``: the model sees ``instruct_prompt`` and writes the whole program; a
  ``completion`` or ``solution`` is that program.

Upstream's wrapper for chat models ("Please provide a self-contained Python script ...")
is not added: lintseq formats prompts its own way (:func:`lintseq_eval.programs.model_prompt`).
The reference program is upstream's ground truth, ``complete_prompt + "\\n" +
canonical_solution``, in both splits. Every program is *calibrated* as upstream's default
evaluation does: ``code_prompt + "\\n    pass\\n"`` comes first, so the task's imports and
constants exist even when an answer leaves them out. Then the test module follows and
:mod:`lintseq_eval.bigcodebench_harness` runs ``TestCases`` in the sandbox.

Libraries: a task needs the modules of ``libs`` and those its code prompt and tests import
(:func:`requires`); a task whose modules the sample interpreter (``--python``) lacks is
reported as missing a library, not run. ``requirements/bigcodebench.txt`` pins upstream's
evaluation requirements for Python 3.10-3.12 (``lintseq-eval python-env DIR --benchmark
bigcodebench-complete`` builds it).

Limits: upstream gives the whole test suite ``max(240 s, reference time) + 1`` and 30 GiB
of address space; here the run stage gets ``--timeout`` (240 s unless given, or the
calibrated per-task limit below it) and ``--memory-mb``: pass ``--no-calibrate --memory-mb
30720`` to match it. The sandbox has no network, unlike upstream's Docker image: tasks whose
reference needs it are reported as ``NEEDS_NETWORK`` (:mod:`lintseq_eval.network`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from lintseq_eval.errors import BenchmarkError
from lintseq_eval.languages import Layout, Prepared, Source, Tool
from lintseq_eval.sandbox import Limits, Stage

__all__ = ["FAMILY", "HUB_SPLIT", "UPSTREAM_TIMEOUT_S", "calibration", "layouts", "libs", "reference", "requires"]

Row = Mapping[str, Any]
FAMILY = "bigcodebench"
#: upstream's limit on the whole test suite (``max(240 s, reference time) + 1``): --timeout's default
UPSTREAM_TIMEOUT_S = 240.0
HUB_SPLIT = "v0.1.0_hf"  # the release of ../shared/data/bigcodebench (see its PROVENANCE.md)
_REQUIRED = ("task_id", "complete_prompt", "instruct_prompt", "canonical_solution", "code_prompt", "test",
             "entry_point", "libs")
_HARNESS = Path(__file__).with_name("bigcodebench_harness.py")
_SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# upstream's reliability_guard sets the first four; Matplotlib draws without a display
_ENV = {
    "TZ": "UTC",
    "OMP_NUM_THREADS": "1",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "MPLBACKEND": "Agg",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
}


def libs(row: Row) -> tuple[str, ...]:
    """The ``libs`` field: a string holding a Python list of module names."""
    text = row["libs"]
    try:
        value = ast.literal_eval(text) if isinstance(text, str) else text
    except (ValueError, SyntaxError) as exc:
        raise BenchmarkError(f"{row['task_id']}: field libs is not a Python list literal: {text!r}") from exc
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise BenchmarkError(f"{row['task_id']}: field libs must list module names, got {text!r}")
    return tuple(value)


def _imports(source: str) -> set[str]:
    """Top-level modules that ``source`` imports (absolute imports only)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out


def requires(row: Row) -> tuple[str, ...]:
    """Top-level modules a task needs: its ``libs`` and what its code prompt and tests import.

    ``libs`` already holds import names (``sklearn``, ``PIL``, ``bs4``, ``cv2``, ``docx``,
    ``Crypto``, ``skimage``, ``yaml``, ``dateutil``); the tests add some (``faker``,
    ``pyfakefs``, ``requests_mock``). Code that does not parse adds nothing (it fails when run).
    """
    names = set(libs(row))
    for source in (row["code_prompt"] + "    pass\n", row["test"]):
        try:
            names |= _imports(source)
        except SyntaxError:
            continue
    return tuple(sorted(names))


def calibration(row: Row) -> str:
    """What upstream's calibrated evaluation puts before every program."""
    return row["code_prompt"] + "\n    pass\n"


def reference(row: Row) -> str:
    """Upstream's ground truth: ``complete_prompt + "\\n" + canonical_solution``."""
    return row["complete_prompt"] + "\n" + row["canonical_solution"]


def _prepare(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    """``program.py`` = calibration + program + tests, run by the harness in a fresh folder."""
    from lintseq_eval.languages.python import python_interpreter
    from lintseq_eval.network import data_dirs

    program = src.before + src.program + "\n" + src.tests + "\n"
    files = {"program.py": program, "harness.py": _HARNESS.read_text(encoding="utf-8"), ".lintseq_nonce": nonce}
    python = python_interpreter()
    stage = Stage("run", (python, "-B", "-I", "harness.py"), limits.run_timeout_s)
    # tasks run `python script.py` in subprocesses: upstream's image has the evaluating one on PATH
    path = f"{Path(python).parent}:{_SYSTEM_PATH}"
    return Prepared(files, (stage,), nonce, {**_ENV, "PATH": path, **data_dirs()})


def _layout(split: str, hard: bool, instruction: Callable[[Row], str], prefix: Callable[[Row], str],
            solution: Callable[[Row], str], empty: Callable[[Row], str]) -> Layout:
    subset = "-hard" if hard else ""
    return Layout(
        benchmark=f"{FAMILY}{subset}-{split}",
        family=FAMILY,
        local_name=f"bigcodebench/BigCodeBench{'-Hard' if hard else ''}.jsonl.gz",
        hub=(f"bigcode/bigcodebench{subset}", None, HUB_SPLIT),
        required=_REQUIRED,
        instruction=instruction,
        prefix=prefix,
        solution=solution,
        empty=empty,
        tests=lambda row: Source("", row["test"], calibration(row)),
        prepare=_prepare,
        requires=requires,
        network_probe=True,
        run_timeout_s=UPSTREAM_TIMEOUT_S,
    )


def complete(*, hard: bool = False) -> Layout:
    """BigCodeBench-Complete: continue ``complete_prompt``."""
    return _layout(
        "complete", hard,
        instruction=lambda row: row["complete_prompt"].rstrip(),
        prefix=lambda row: row["complete_prompt"],
        solution=lambda row: "\n" + row["canonical_solution"],
        empty=lambda row: row["complete_prompt"] + "    pass\n",
    )


def instruct(*, hard: bool = False) -> Layout:
    """BigCodeBench-Instruct: a whole program from ``instruct_prompt``."""
    return _layout(
        "instruct", hard,
        instruction=lambda row: row["instruct_prompt"].strip(),
        prefix=lambda row: "",
        solution=reference,
        empty=lambda row: row["code_prompt"] + "    pass\n",
    )


def layouts() -> tuple[Layout, ...]:
    """The four BigCodeBench layouts Python declares (full and Hard, complete and instruct)."""
    return (complete(), instruct(), complete(hard=True), instruct(hard=True))
