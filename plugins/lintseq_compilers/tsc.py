"""The TypeScript compiler, ``tsc --noEmit``: parse and type check one file.

The compiler options are kept in one place (:data:`OPTIONS`), from which both the command
line and the warm server's project are built. With TypeScript >= 7 (the native compiler)
the checks run by default in one long-lived process per Python process
(``servers/tsc_api.mjs``, through the ``typescript/unstable/sync`` API of the ``tsc`` on
PATH). ``LINTSEQ_TSC_ARGS`` made of switches (``--strict false``, ``--noImplicitAny``) is
applied to both; with other flags, with an older TypeScript or with
``LINTSEQ_COLD_COMPILERS=tsc``, each state runs ``tsc`` in its own process.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import tempfile
from pathlib import Path
from typing import Any

from lintseq_compilers.base import Toolchain
from lintseq_compilers.declared import declared
from lintseq_compilers.warm import (
    Launch,
    ServerUnavailable,
    WarmServer,
    diagnostics_from,
    node_script,
    which_real,
)
from lintseq_core.types import Diagnostic

__all__ = ["OPTIONS", "TSC", "TscServer", "options_with", "typescript_package"]

OPTIONS: dict[str, Any] = {
    "noEmit": True,
    "target": "es2022",
    "lib": ["es2022", "dom"],
    "skipLibCheck": True,
    "types": [],
}


def _flags(options: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key, value in options.items():
        if value is True:
            out.append(f"--{key}")
        elif isinstance(value, list):
            out += [f"--{key}", ",".join(value)]
        else:
            out += [f"--{key}", str(value).lower() if isinstance(value, bool) else str(value)]
    return out


def _command(path: Path, workdir: Path) -> list[str]:
    return ["tsc", *_flags(OPTIONS), "--pretty", "false", str(path)]


def options_with(args: str) -> dict[str, Any] | None:
    """:data:`OPTIONS` plus command-line switches (``--strict false``); ``None`` for others."""
    options = dict(OPTIONS)
    words = shlex.split(args)
    k = 0
    while k < len(words):
        word = words[k]
        if not re.fullmatch(r"--[A-Za-z]\w*", word):
            return None
        value = True
        if k + 1 < len(words) and words[k + 1].lower() in ("true", "false"):
            value = words[k + 1].lower() == "true"
            k += 1
        options[word[2:]] = value
        k += 1
    return options


def typescript_package() -> Path | None:
    """The ``typescript`` package of the ``tsc`` on PATH (``.../typescript/bin/tsc``)."""
    tsc = which_real("tsc")
    if tsc is not None and (tsc.parent.parent / "package.json").is_file():
        return tsc.parent.parent
    return None


class TscServer:
    """The warm backend of :data:`TSC`: the TypeScript compiler API in one process."""

    def __init__(self) -> None:
        self.server = WarmServer("tsc", self._launch)
        self._workdir: str | None = None

    def _launch(self) -> Launch:
        package = typescript_package()
        if package is None:
            raise ServerUnavailable("the typescript package of the tsc on PATH was not found")
        # An empty private directory holds the (virtual) project, as the command line's does.
        self._workdir = self._workdir or tempfile.mkdtemp(prefix="lintseq-tsc-server-")
        return node_script("tsc_api.mjs", str(package), self._workdir, home=self._workdir,
                           flags=("--no-warnings",))

    def analyze(self, tool: Toolchain, source: str) -> list[Diagnostic] | None:
        options = options_with(os.environ.get(tool.args_env, "")) if tool.args_env else dict(OPTIONS)
        if options is None:
            return None  # flags the server cannot mirror: only the command line applies them
        name = tool.filename(source)
        fields = [name.encode(), source.encode(), json.dumps(options).encode()]
        return diagnostics_from(tool, self.server, fields, name)


# The file name and output format are in toolchains.toml; the flags come from OPTIONS.
TSC = declared("tsc", command=_command, warm=TscServer())
