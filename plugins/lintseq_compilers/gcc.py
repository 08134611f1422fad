"""gcc / g++ ``-fsyntax-only``: C and C++ front ends (parse, names, types; no code generation).

C is checked with the errors GCC 14 makes default (implicit declarations, implicit int,
incompatible pointers), so a library call without its header is an error as it is with
modern compilers.
"""

from __future__ import annotations

import re
from pathlib import Path

from lintseq_compilers.base import Toolchain

__all__ = ["GCC", "GXX"]

_PATTERN = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?:\d+:)? (?:fatal )?error: (?P<message>.*)$")
_SYNTAX = re.compile(r"\bexpected\b|before|stray|unterminated|missing terminating|at end of input")
_C_ERRORS = [
    "-Werror=implicit-function-declaration",
    "-Werror=implicit-int",
    "-Werror=incompatible-pointer-types",
    "-Werror=int-conversion",
]


def _c_command(path: Path, workdir: Path) -> list[str]:
    return ["gcc", "-fsyntax-only", "-std=gnu17", "-fno-diagnostics-show-caret",
            "-fdiagnostics-color=never", *_C_ERRORS, str(path)]


def _cpp_command(path: Path, workdir: Path) -> list[str]:
    return ["g++", "-fsyntax-only", "-std=gnu++17", "-fno-diagnostics-show-caret",
            "-fdiagnostics-color=never", str(path)]


GCC = Toolchain(
    name="gcc",
    language="c",
    executable="gcc",
    install="apt-get install gcc (Debian/Ubuntu), or your platform's GCC package",
    filename=lambda source: "prog.c",
    command=_c_command,
    pattern=_PATTERN,
    syntax=_SYNTAX,
    description="gcc -fsyntax-only -std=gnu17 with GCC 14's default errors",
    args_env="LINTSEQ_GCC_ARGS",
)

GXX = Toolchain(
    name="g++",
    language="cpp",
    executable="g++",
    install="apt-get install g++ (Debian/Ubuntu), or your platform's GCC C++ package",
    filename=lambda source: "prog.cpp",
    command=_cpp_command,
    pattern=_PATTERN,
    syntax=_SYNTAX,
    description="g++ -fsyntax-only -std=gnu++17",
    args_env="LINTSEQ_GXX_ARGS",
)
