"""javac: the Java compiler (parse, names, types, definite assignment, reachability).

The file is named after its public top-level class when it has one, as javac requires.
"""

from __future__ import annotations

import re
from pathlib import Path

from lintseq_compilers.base import Toolchain

__all__ = ["JAVAC"]

_PUBLIC = re.compile(r"^\s*public\s+(?:(?:final|abstract|sealed|strictfp)\s+)*(?:class|interface|enum|record)\s+(\w+)", re.MULTILINE)


def _filename(source: str) -> str:
    m = _PUBLIC.search(source)
    return f"{m.group(1)}.java" if m else "Main.java"


def _command(path: Path, workdir: Path) -> list[str]:
    out = workdir / "classes"
    out.mkdir(exist_ok=True)
    # A short-lived JVM: skip the optimising JIT, it only costs start-up time here.
    return ["javac", "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-proc:none",
            "-nowarn", "-Xlint:none", "-encoding", "UTF-8", "-d", str(out), str(path)]


JAVAC = Toolchain(
    name="javac",
    language="java",
    executable="javac",
    install="apt-get install default-jdk-headless (Debian/Ubuntu), or any JDK >= 11",
    filename=_filename,
    command=_command,
    pattern=re.compile(r"^(?P<file>[^:\s][^:]*\.java):(?P<line>\d+): error: (?P<message>.*)$"),
    syntax=re.compile(r"expected|illegal start|reached end of file|not a statement|unclosed|orphaned"),
    description="javac -proc:none (front end and class generation in a private directory)",
    args_env="LINTSEQ_JAVAC_ARGS",
    version_args=("-version",),
)
