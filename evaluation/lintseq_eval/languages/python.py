"""Python: HumanEval, MBPP (full and sanitized) and HumanEval-X Python.

``program.py`` = [test code that must come first] + program + tests, run by a runner that
``exec``\\ s it and prints the completion token afterwards. The token is read from a file
the runner deletes before the program starts, so the program cannot print it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from lintseq_eval import bigcodebench, codecontests, ds1000, evalplus, layouts
from lintseq_eval.errors import ToolchainMissingError
from lintseq_eval.humanevalpack import fix, synthesize
from lintseq_eval.languages import EvalLanguage, Prepared, Source, Tool
from lintseq_eval.sandbox import Limits, Stage

__all__ = ["LANGUAGE", "python_interpreter"]

_RUNNER = """\
import os as _os
import sys as _sys


def _lintseq_run():
    with open(".lintseq_nonce", encoding="ascii") as fh:
        nonce = fh.read().strip()
    _os.unlink(".lintseq_nonce")
    write = _os.write
    with open("program.py", encoding="utf-8") as fh:
        source = fh.read()
    code = compile(source, "program.py", "exec")
    namespace = {"__name__": "__main__", "__file__": "program.py", "__builtins__": __builtins__}
    exec(code, namespace)
    _sys.stdout.flush()
    write(1, ("\\n" + nonce + "\\n").encode("ascii"))


_lintseq_run()
"""


def python_interpreter() -> str:
    """Samples run with ``$LINTSEQ_PYTHON`` or else this interpreter (same packages as the user)."""
    py = os.environ.get("LINTSEQ_PYTHON") or sys.executable
    if not os.path.isfile(py):
        raise ToolchainMissingError(f"LINTSEQ_PYTHON={py} is not a file")
    return py


def _mounts(tool: Tool) -> list[str]:
    py = python_interpreter()
    paths = [sys.prefix, sys.base_prefix] if py == sys.executable else []
    # a virtual environment (--python) keeps its packages beside the link to its base interpreter
    return list(dict.fromkeys([*paths, str(Path(py).absolute().parent.parent), str(Path(py).resolve().parent.parent)]))


def _prepare(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    source = (src.before + "\n" if src.before else "") + src.program + "\n\n" + src.tests + "\n"
    return Prepared(
        {"program.py": source, "runner.py": _RUNNER, ".lintseq_nonce": nonce},
        (Stage("run", (python_interpreter(), "-B", "-I", "runner.py"), limits.run_timeout_s),),
        nonce,
        {"PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"},
    )


# HumanEvalPack (MultiPL-E's Python is the originals: humaneval, mbpp)
_CROSS_LANGUAGE = (synthesize("python", empty_body="    pass\n"), fix("python"))

LANGUAGE = EvalLanguage(
    name="python",
    aliases=("py", "python3"),
    prepare=_prepare,
    mounts=_mounts,
    version_command=None,  # the interpreter's version is in every report already
    layouts=(
        *_CROSS_LANGUAGE,
        layouts.humaneval(),
        layouts.mbpp(),
        layouts.mbpp_sanitized(),
        layouts.humaneval_x("python", empty_body="    pass\n"),
        *evalplus.layouts(),
        codecontests.layout("python"),
        ds1000.layout(),
        *bigcodebench.layouts(),
    ),
)
