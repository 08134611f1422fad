"""The Go compiler (``go tool compile``, what ``go build`` runs per package).

It type checks one file as its own package and reports what ``go build`` reports for it:
unused imports and variables, missing returns, misplaced statements. No ``main`` function
is required, so a library-style program checks as it is. The facts (error format, messages
to ignore, environment) are in ``toolchains.toml``; only the command line is code.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from lintseq_compilers.declared import declared

__all__ = ["GO"]


#: Extra flags (``-e``: report every error, not the first ten). They go before the file:
#: ``go tool compile`` reads flags only up to the first file name, and one appended after
#: it (the generic ``args_env`` place) is opened as a second source file, which fails
#: before type checking, leaving only the parser's errors.
ARGS_ENV = "LINTSEQ_GO_ARGS"


def _command(path: Path, workdir: Path) -> list[str]:
    extra = shlex.split(os.environ.get(ARGS_ENV, ""))
    return ["go", "tool", "compile", *extra, "-o", str(workdir / "prog.o"), str(path)]


GO = declared("go", command=_command)
