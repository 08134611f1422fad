"""``node --check``: JavaScript syntax only (Node.js parses without running)."""

from __future__ import annotations

import re
from pathlib import Path

from lintseq_compilers.base import Toolchain
from lintseq_core.types import Diagnostic

__all__ = ["NODE"]

_LOCATION = re.compile(r"^(?P<file>\S+?\.(?:js|mjs)):(?P<line>\d+)$")
_ERROR = re.compile(r"^(?P<kind>\w*Error): (?P<message>.*)$")


def _parse(output: str, filename: str, returncode: int) -> list[Diagnostic]:
    """Node prints ``file:line``, the source line, a caret, then ``SyntaxError: message``."""
    line = 0
    out = []
    for raw in output.splitlines():
        loc = _LOCATION.match(raw.strip())
        if loc and loc.group("file").endswith(filename):
            line = int(loc.group("line"))
            continue
        err = _ERROR.match(raw.strip())
        if err:
            message = err.group("message")
            out.append(Diagnostic(line, f"{err.group('kind')}: {message}", message, err.group("kind") == "SyntaxError"))
            line = 0
    if returncode != 0 and not out:
        out.append(Diagnostic(0, "node-failed", output.strip()[-300:]))
    return out


def _filename(source: str) -> str:
    # ES module syntax needs the .mjs extension to be parsed as a module.
    return "prog.mjs" if re.search(r"^\s*(?:import\s|export\s)", source, re.MULTILINE) else "prog.js"


def _command(path: Path, workdir: Path) -> list[str]:
    return ["node", "--check", str(path)]


NODE = Toolchain(
    name="node",
    language="javascript",
    executable="node",
    install="apt-get install nodejs (Debian/Ubuntu), or https://nodejs.org",
    filename=_filename,
    command=_command,
    pattern=_LOCATION,
    syntax=re.compile(r"."),
    description="node --check (syntax only)",
    parse=_parse,
)
