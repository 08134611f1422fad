"""DS-1000 (Lai et al. 2023; github.com/xlang-ai/DS-1000, hub ``xlangai/DS-1000``, CC-BY-SA-4.0).

1000 data-science problems over seven libraries (NumPy, Pandas, Matplotlib, Scikit-learn,
SciPy, PyTorch, TensorFlow). Rows keep upstream's schema: ``prompt`` (ends where the answer
goes, usually ``BEGIN SOLUTION\\n<code>\\n``), ``reference_code``, ``metadata``
(``problem_id``, ``library``, ``perturbation_type``, ...) and ``code_context``, which defines
``test_execution(solution)`` and for 159 problems ``test_string(solution)`` (checks on the
answer's tokens: no loops, uses ``sklearn``, ...). Task ids are ``DS-1000/<problem_id>``.

A sample is the code that goes where the prompt stops (``[insert]`` of the test's
``exec_context``), not a whole program: a ``completion`` continues the prompt and is that
code, and a ``solution`` is the same code. The test program is upstream's
(``test_ds1000.py`` at b39aab71): ``code_context``, then ``code = repr(answer)``, then
``test_execution(code)`` and, where defined, ``test_string(code)``; the answer is first
cut as upstream's ``postprocess`` cuts every answer (:func:`postprocess`). Upstream runs it
with a 120 s limit, ``--timeout``'s default for this benchmark. TensorFlow and CUDA are
kept quiet and off the GPU as upstream does, and Matplotlib draws without a display.

The libraries a task needs (:func:`requires`: the modules its ``code_context`` imports, and
its ``metadata.library``) come from the interpreter samples run with (``--python``): a task
whose modules that interpreter lacks is reported as missing a library, not run
(:mod:`lintseq_eval.python_env`); ``lintseq-eval python-env DIR --benchmark ds1000`` builds
one from ``requirements/ds1000.txt``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any

from lintseq_eval.languages import Layout, Prepared, Source, Tool, get_language
from lintseq_eval.sandbox import Limits

__all__ = ["layout", "postprocess", "requires", "upstream_program"]

Row = Mapping[str, Any]
FAMILY = "ds1000"
_REQUIRED = ("prompt", "reference_code", "metadata", "code_context")
# metadata.library -> the module it names
_LIBRARY_MODULES = {"numpy": "numpy", "pandas": "pandas", "matplotlib": "matplotlib", "sklearn": "sklearn",
                    "scipy": "scipy", "pytorch": "torch", "tensorflow": "tensorflow"}
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+([A-Za-z_]\w*)[\w.]*[ \t]+import\b|import[ \t]+([^\n#;]+))", re.M)
_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # upstream's test_ds1000.py sets both
    "CUDA_VISIBLE_DEVICES": "-1",
    "MPLBACKEND": "Agg",
    "MPLCONFIGDIR": "/tmp/matplotlib",
}


def postprocess(answer: str) -> str:
    """Upstream's answer clean-up: stop at ``</code>``, a closing fence or ``END SOLUTION``."""
    code = answer.split("</code>")[0]
    code = code.replace("```python", "")
    code = code.split("```")[0]
    code = code.split("\nEND SOLUTION")[0]
    return code.replace("<code>", "")


def requires(row: Row) -> tuple[str, ...]:
    """Top-level modules outside the standard library that a task's test code imports."""
    names = set()
    for from_name, plain in _IMPORT.findall(row["code_context"]):
        if from_name:
            names.add(from_name)
        for part in plain.split(","):
            words = part.split()
            if words and re.fullmatch(r"[A-Za-z_][\w.]*", words[0]):
                names.add(words[0].split(".")[0])
    library = str(row["metadata"].get("library", "")).lower()
    if library in _LIBRARY_MODULES:
        names.add(_LIBRARY_MODULES[library])
    return tuple(sorted(n for n in names if n not in sys.stdlib_module_names and n != "__future__"))


def upstream_program(row: Row, answer: str) -> str:
    """The program upstream runs for ``answer`` (the harness adds the completion token)."""
    return _assemble(row["code_context"], answer, _calls(row))


def _assemble(code_context: str, answer: str, calls: str) -> str:
    return code_context + "\n" + f"code = {postprocess(answer)!r}\n" + calls


def _calls(row: Row) -> str:
    return "test_execution(code)\n" + ("test_string(code)\n" if "test_string(" in row["code_context"] else "\n")


def _prepare(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    """Python's harness (runner and completion token) around upstream's test program."""
    program = _assemble(src.before, src.program, src.tests)
    prep = get_language("python").prepare(Source(program, ""), nonce, limits, tool)
    return Prepared(prep.files, prep.stages, prep.nonce, {**prep.env, **_ENV}, prep.extra_ro, prep.cleanup)


def _row_id(row: Row) -> str:
    return str(int(row["metadata"]["problem_id"]))


def layout() -> Layout:
    """DS-1000's layout: benchmark ``ds1000``, read from ``ds1000/ds1000.jsonl.gz``."""
    return Layout(
        benchmark="ds1000",
        family=FAMILY,
        local_name="ds1000/ds1000.jsonl.gz",
        hub=("xlangai/DS-1000", None, "test"),
        required=_REQUIRED,
        instruction=lambda row: row["prompt"],
        prefix=lambda row: "",
        solution=lambda row: row["reference_code"],
        empty=lambda row: "",
        tests=lambda row: Source("", _calls(row), row["code_context"]),
        aliases=("ds-1000",),
        id_prefix="DS-1000/",
        row_id=_row_id,
        prepare=_prepare,
        requires=requires,
        network_probe=True,
        run_timeout_s=120.0,  # upstream's test_ds1000.py
    )
