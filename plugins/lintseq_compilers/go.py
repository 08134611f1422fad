"""The Go compiler (``go tool compile``, what ``go build`` runs per package).

It type checks one file as its own package and reports what ``go build`` reports for it:
unused imports and variables, missing returns, misplaced statements. No ``main`` function
is required, so a library-style program checks as it is.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

from lintseq_compilers.base import Toolchain, normalise_message
from lintseq_core.types import Diagnostic

__all__ = ["GO"]


#: Extra flags (``-e``: report every error, not the first ten). They go before the file:
#: ``go tool compile`` reads flags only up to the first file name, and one appended after
#: it (the generic ``args_env`` place) is opened as a second source file, which fails
#: before type checking, leaving only the parser's errors.
ARGS_ENV = "LINTSEQ_GO_ARGS"


def _command(path: Path, workdir: Path) -> list[str]:
    extra = shlex.split(os.environ.get(ARGS_ENV, ""))
    return ["go", "tool", "compile", *extra, "-o", str(workdir / "prog.o"), str(path)]


_PATTERN = re.compile(r"^(?P<file>[^:\s][^:]*\.go):(?P<line>\d+):(?:\d+:)? (?P<message>.*)$")
_SYNTAX = re.compile(r"^syntax error|non-declaration statement|unexpected")
# gc adds a hint when a name differs only in case ("x.accept undefined (type *T has no field
# or method accept, but does have Accept)"): the error is the same with or without the hint.
_HINT = re.compile(r", but does have \S+\)$")
# `go build` hands the compiler the files a `//go:embed` pattern matches; a file compiled
# alone has none, and gc says so only once earlier errors (a failed import) are gone: a fact
# of the oracle's command line, not of the program.
_BUILD_SYSTEM_ONLY = re.compile(r"^invalid go:embed: build system did not supply embed configuration$")


def _parse(output: str, filename: str, returncode: int) -> list[Diagnostic]:
    """One diagnostic per error line; the code is the message without numbers or hints."""
    out: list[Diagnostic] = []
    for raw in output.splitlines():
        m = _PATTERN.match(raw.strip())
        if m is None:
            continue
        file = m.group("file")
        line = int(m.group("line")) if file == filename or file.endswith("/" + filename) else 0
        message = m.group("message").strip()
        if _BUILD_SYSTEM_ONLY.match(message):
            continue
        code = normalise_message(_HINT.sub(")", message))
        out.append(Diagnostic(line, code, message, bool(_SYNTAX.search(message))))
    if returncode != 0 and not out:
        tail = " | ".join(output.strip().splitlines()[-3:])
        out.append(Diagnostic(0, "compiler-failed", f"exit status {returncode}: {tail}"))
    return out


GO = Toolchain(
    name="go",
    language="go",
    executable="go",
    install="apt-get install golang-go (Debian/Ubuntu), or https://go.dev/dl",
    filename=lambda source: "prog.go",
    command=_command,
    pattern=_PATTERN,
    syntax=_SYNTAX,
    parse=_parse,
    description="go tool compile (the compiler go build runs)",
    version_args=("version",),
    env={"GOFLAGS": "", "GO111MODULE": "off", "GOTOOLCHAIN": "local"},
)
