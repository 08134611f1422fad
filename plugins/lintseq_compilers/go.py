"""The Go compiler (``go tool compile``, what ``go build`` runs per package).

It type checks one file as its own package and reports what ``go build`` reports for it:
unused imports and variables, missing returns, misplaced statements. No ``main`` function
is required, so a library-style program checks as it is.
"""

from __future__ import annotations

import re
from pathlib import Path

from lintseq_compilers.base import Toolchain

__all__ = ["GO"]


def _command(path: Path, workdir: Path) -> list[str]:
    return ["go", "tool", "compile", "-o", str(workdir / "prog.o"), str(path)]


GO = Toolchain(
    name="go",
    language="go",
    executable="go",
    install="apt-get install golang-go (Debian/Ubuntu), or https://go.dev/dl",
    filename=lambda source: "prog.go",
    command=_command,
    pattern=re.compile(r"^(?P<file>[^:\s][^:]*\.go):(?P<line>\d+):(?:\d+:)? (?P<message>.*)$"),
    syntax=re.compile(r"^syntax error|non-declaration statement|unexpected"),
    description="go tool compile (the compiler go build runs)",
    args_env="LINTSEQ_GO_ARGS",
    version_args=("version",),
    env={"GOFLAGS": "", "GO111MODULE": "off", "GOTOOLCHAIN": "local"},
)
