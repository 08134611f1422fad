"""javac: the Java compiler (parse, names, types, definite assignment, reachability).

The file is named after its public top-level class when it has one, as javac requires.

By default the checks run in one long-lived JVM per process (``servers/JavacServer.java``,
compiled once into ``~/.cache/lintseq/javac-server``): each state goes through
``javax.tools.JavaCompiler.run`` with the command line's arguments, so the messages are
the command line's, without a JVM start per state. ``LINTSEQ_COLD_COMPILERS=javac`` runs
one ``javac`` process per state instead.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from lintseq_compilers.base import Toolchain
from lintseq_compilers.declared import declared
from lintseq_compilers.warm import (
    Launch,
    ServerUnavailable,
    WarmServer,
    cache_dir,
    diagnostics_from,
    minimal_env,
    server_source,
    which_real,
)
from lintseq_core.types import Diagnostic

__all__ = ["JAVAC", "JavacServer"]

_PUBLIC_TYPE = (r"public\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\s+)*"
                r"(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)")
_PUBLIC = re.compile(r"^\s*" + _PUBLIC_TYPE, re.MULTILINE)
_TOP_LEVEL_PUBLIC = re.compile(r"^" + _PUBLIC_TYPE, re.MULTILINE)
_SERVER_CLASS = "lintseq.JavacServer"
# The server's JVM lives long: the optimising JIT pays off, and a bounded heap keeps many
# workers' JVMs from claiming a quarter of the machine's memory each. The thread stack is
# the launcher's default, so a deeply nested program overflows javac in both paths alike.
_SERVER_JVM_ARGS = ("-XX:+UseSerialGC", "-Xmx1g")


def public_type_name(source: str, *, top_level_only: bool = False) -> str | None:
    """The public type a Java file declares (javac wants the file named after it). With
    ``top_level_only`` only a declaration at column 0 counts, so that a nested public class
    of a non-public outer class is not taken for the file's type."""
    m = (_TOP_LEVEL_PUBLIC if top_level_only else _PUBLIC).search(source)
    return m.group(1) if m else None


def _filename(source: str) -> str:
    return f"{public_type_name(source) or 'Main'}.java"


def _command(path: Path, workdir: Path) -> list[str]:
    out = workdir / "classes"
    out.mkdir(exist_ok=True)
    # A short-lived JVM: skip the optimising JIT, it only costs start-up time here. The
    # class path is the private directory (what "." is for the command line), named
    # explicitly so the warm server, whose working directory differs, sees the same.
    return ["javac", "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-proc:none",
            "-nowarn", "-Xlint:none", "-encoding", "UTF-8", "-classpath", str(workdir),
            "-d", str(out), str(path)]


class JavacServer:
    """The warm backend of :data:`JAVAC`: javac through ``javax.tools`` in one JVM."""

    def __init__(self) -> None:
        self.server = WarmServer("javac", self._launch)

    def _compiled(self, javac: Path) -> Path:
        """The server's class files, compiled once per JDK and source version."""
        source = server_source("JavacServer.java")
        text = source.read_text(encoding="utf-8")
        target = cache_dir("javac-server", str(javac), JAVAC.version(), text)
        if (target / "lintseq" / "JavacServer.class").is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="build-", dir=target.parent))
        try:
            proc = subprocess.run(
                [str(javac), "-encoding", "UTF-8", "-d", str(staging), str(source)],
                capture_output=True, text=True, errors="replace", timeout=300,
                env=minimal_env(staging, "JAVA_HOME"), check=False,
            )
            if proc.returncode != 0:
                raise ServerUnavailable(f"cannot compile {source.name}: {proc.stderr.strip()[-300:]}")
            try:
                staging.rename(target)
            except OSError:  # another process won the race: use its copy
                if not (target / "lintseq" / "JavacServer.class").is_file():
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return target

    def _launch(self) -> Launch:
        javac = which_real("javac")
        java = javac.parent / "java" if javac else None
        if java is None or not java.is_file():
            raise ServerUnavailable("no 'java' launcher beside javac")
        classes = self._compiled(javac)  # type: ignore[arg-type]
        argv = [str(java), *_SERVER_JVM_ARGS, "-cp", str(classes), _SERVER_CLASS]
        return Launch(argv, minimal_env(classes, "JAVA_HOME"), str(classes))

    def analyze(self, tool: Toolchain, source: str) -> list[Diagnostic] | None:
        with tool.prepared(source) as job:
            # Launcher options (-J...) configure the command line's JVM, not the compiler.
            args = [a.encode() for a in job.argv[1:] if not a.startswith("-J")]
            return diagnostics_from(tool, self.server, args, job.path.name)


# The command line's facts are in toolchains.toml; the file name, the output directory and
# the warm JVM are code.
JAVAC = declared("javac", filename=_filename, command=_command, warm=JavacServer())
