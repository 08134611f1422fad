"""The TypeScript compiler, ``tsc --noEmit``: parse and type check one file."""

from __future__ import annotations

import re
from pathlib import Path

from lintseq_compilers.base import Toolchain

__all__ = ["TSC"]


def _command(path: Path, workdir: Path) -> list[str]:
    return ["tsc", "--noEmit", "--pretty", "false", "--target", "es2022", "--lib", "es2022,dom",
            "--skipLibCheck", "--types", "", str(path)]


TSC = Toolchain(
    name="tsc",
    language="typescript",
    executable="tsc",
    install="npm install -g typescript (needs Node.js: apt-get install nodejs npm)",
    filename=lambda source: "prog.ts",
    command=_command,
    # prog.ts(3,5): error TS2304: Cannot find name 'x'.
    pattern=re.compile(r"^(?P<file>[^(\s]+)\((?P<line>\d+),\d+\): error (?P<message>TS\d+: .*)$"),
    syntax=re.compile(r"^TS1\d{3}:"),
    description="tsc --noEmit --target es2022 (types and syntax)",
    args_env="LINTSEQ_TSC_ARGS",
)
