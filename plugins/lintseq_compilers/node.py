"""``node --check``: JavaScript syntax only (Node.js parses without running).

By default the checks run in one long-lived Node.js process per Python process
(``servers/node_check.js``), which follows the steps of ``node --check`` itself; where this
Node.js lacks the internals it uses, or with ``LINTSEQ_COLD_COMPILERS=node``, each state
runs ``node --check`` in its own process.
"""

from __future__ import annotations

import re
import tempfile

from lintseq_compilers.base import Toolchain
from lintseq_compilers.declared import declared
from lintseq_compilers.warm import Launch, WarmServer, diagnostics_from, node_script
from lintseq_core.types import Diagnostic

__all__ = ["NODE", "NodeCheckServer"]

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


class NodeCheckServer:
    """The warm backend of :data:`NODE`: ``node --check``'s steps in one Node.js process."""

    def __init__(self) -> None:
        self.server = WarmServer("node", self._launch)
        self._home: str | None = None

    def _launch(self) -> Launch:
        self._home = self._home or tempfile.mkdtemp(prefix="lintseq-node-server-")
        flags = ("--expose-internals", "--no-warnings")
        return node_script("node_check.js", home=self._home, flags=flags)

    def analyze(self, tool: Toolchain, source: str) -> list[Diagnostic] | None:
        with tool.prepared(source) as job:
            return diagnostics_from(tool, self.server, [str(job.path).encode()], job.path.name)


# The command line is in toolchains.toml; the file name, the output and the warm server are code.
NODE = declared("node", filename=_filename, pattern=_LOCATION, parse=_parse, warm=NodeCheckServer())
