"""Python: HumanEval, MBPP (full and sanitized) and HumanEval-X Python.

``program.py`` = [test code that must come first] + program + tests, run by a runner that
``exec``\\ s it and prints the completion token afterwards. The token is read from a file
the runner deletes before the program starts, so the program cannot print it.
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from lintseq_eval import bigcodebench, codecontests, ds1000, evalplus, layouts
from lintseq_eval.errors import ToolchainMissingError
from lintseq_eval.humanevalpack import fix, synthesize
from lintseq_eval.languages import EvalLanguage, Prepared, Source, Tool
from lintseq_eval.network import data_dirs
from lintseq_eval.sandbox import Limits, Stage

__all__ = ["LANGUAGE", "future_imports_first", "python_interpreter"]

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
    # a virtual environment (--python) keeps its packages beside the link to its base interpreter;
    # NLTK_DATA, SEABORN_DATA, SCIKIT_LEARN_DATA where the user set them (read-only)
    return list(dict.fromkeys([*paths, str(Path(py).absolute().parent.parent), str(Path(py).resolve().parent.parent),
                               *data_dirs().values()]))


def future_imports_first(before: str, program: str) -> tuple[str, str]:
    """Move the program's ``from __future__`` imports above the test code that precedes it.

    Python accepts them only at the top of a file (after a docstring): a sample written as a
    whole module (``from __future__ import annotations`` first) would otherwise be a
    SyntaxError once a benchmark's harness or test imports go before it. The lines are
    blanked in place, so the program's line numbers stay as they were.
    """
    if not before or "__future__" not in program:
        return before, program
    try:
        body = ast.parse(program).body
    except SyntaxError:  # the sample's own error: let the run report it
        return before, program
    lines = program.splitlines(keepends=True)
    hoisted: list[str] = []
    for i, node in enumerate(body):
        if i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            continue  # the module docstring may precede them
        if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            break
        assert node.end_lineno is not None
        after = body[i + 1] if i + 1 < len(body) else None
        if node.col_offset or (after is not None and after.lineno == node.end_lineno):
            break  # shares its line with another statement: leave the program as written
        for n in range(node.lineno - 1, node.end_lineno):
            hoisted.append(lines[n] if lines[n].endswith("\n") else lines[n] + "\n")
            lines[n] = "\n"
    if not hoisted:
        return before, program
    return "".join(hoisted) + before, "".join(lines)


def _prepare(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
    before, program = future_imports_first(src.before, src.program)
    source = (before + "\n" if before else "") + program + "\n\n" + src.tests + "\n"
    return Prepared(
        {"program.py": source, "runner.py": _RUNNER, ".lintseq_nonce": nonce},
        (Stage("run", (python_interpreter(), "-B", "-I", "runner.py"), limits.run_timeout_s),),
        nonce,
        {"PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", **data_dirs()},
    )


def _network_probe(prep: Prepared, probe: str) -> Prepared:
    """The same run with ``netprobe.py`` (:mod:`lintseq_eval.network_probe`) starting the script."""
    final = prep.stages[-1]
    argv = (*final.argv[:-1], "netprobe.py", final.argv[-1])
    return replace(prep, files={**prep.files, "netprobe.py": probe},
                   stages=(*prep.stages[:-1], replace(final, argv=argv)))


def _missing_modules(needs: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    from lintseq_eval.python_env import missing_modules

    return missing_modules(python_interpreter(), needs)


# HumanEvalPack (MultiPL-E's Python is the originals: humaneval, mbpp)
_CROSS_LANGUAGE = (synthesize("python", empty_body="    pass\n"), fix("python"))

LANGUAGE = EvalLanguage(
    name="python",
    aliases=("py", "python3"),
    prepare=_prepare,
    mounts=_mounts,
    version_command=None,  # the interpreter's version is in every report already
    interpreter=python_interpreter,
    missing_modules=_missing_modules,
    network_probe=_network_probe,
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
