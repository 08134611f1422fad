"""Running a compiler front end on one program state and mapping its errors to lines.

Each compiler is a :class:`Toolchain` value: how to name the file, the command line, and a
regular expression that finds error lines in its output. Most of it is declared as data in
``toolchains.toml`` (see :mod:`lintseq_compilers.declared`); a toolchain module adds code
only for what data cannot say.

Every call runs in a fresh private temporary directory (no project config, no sibling
files), with a timeout and a minimal environment. A toolchain may also have a *warm*
backend (see :mod:`lintseq_compilers.warm`) that answers from a long-lived process with
the same diagnostics; it is used unless ``LINTSEQ_COLD_COMPILERS`` says otherwise.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from lintseq_compilers.warm import cold_forced
from lintseq_core.types import Diagnostic

__all__ = ["DEFAULT_TIMEOUT", "Prepared", "Toolchain", "WarmBackend", "normalise_message"]

DEFAULT_TIMEOUT = 60.0
_NUMBERS = re.compile(r"\b\d+\b")


def normalise_message(message: str) -> str:
    """A message with numbers removed, so the same error on another line compares equal."""
    return _NUMBERS.sub("N", message.strip())


class WarmBackend(Protocol):
    """Answers a toolchain's checks from a long-lived process."""

    def analyze(self, tool: Toolchain, source: str) -> list[Diagnostic] | None:
        """Diagnostics of ``source``, or ``None`` to fall back to one process per call."""


@dataclass(frozen=True)
class Prepared:
    """A state written into a private directory, with the command line that checks it."""

    workdir: Path
    path: Path
    argv: list[str]
    env: dict[str, str]


@dataclass(frozen=True)
class Toolchain:
    """One compiler-backed analyzer.

    ``command`` receives the source file path and the private directory and returns argv;
    ``pattern`` must have the named groups ``line`` and ``message`` (``code`` optional) and
    is matched against every output line; ``syntax`` recognises messages that mean the
    text does not parse; ``ignore`` drops messages that are facts of the command line, not
    of the program; ``code_drop`` is cut from a message before it becomes the error code;
    ``duplicate`` drops a message only where another error is reported on the same line (a
    second report of one error, which the compiler gives or not depending on the errors
    elsewhere in the file; a message it matches alone on its line is an error like any other).
    ``args_env`` names an environment variable whose value (split like a shell would) is
    appended to the command (e.g. ``--extern`` flags for rustc).
    """

    name: str
    language: str
    executable: str
    install: str
    filename: Callable[[str], str]
    command: Callable[[Path, Path], list[str]]
    pattern: re.Pattern[str]
    syntax: re.Pattern[str]
    description: str = ""
    args_env: str = ""
    version_args: tuple[str, ...] = ("--version",)
    timeout: float = DEFAULT_TIMEOUT
    env: dict[str, str] = field(default_factory=dict)
    ignore: re.Pattern[str] | None = None
    code_drop: re.Pattern[str] | None = None
    duplicate: re.Pattern[str] | None = None
    parse: Callable[[str, str, int], list[Diagnostic]] | None = None
    warm: WarmBackend | None = field(default=None, compare=False)

    def which(self) -> str | None:
        return shutil.which(self.executable)

    def available(self) -> str | None:
        """``None`` when the compiler is on PATH, else how to install it."""
        if self.which() is None:
            return f"{self.executable!r} was not found on PATH; install it: {self.install}"
        return None

    def version(self) -> str:
        exe = self.which()
        if exe is None:
            return "not installed"
        try:
            out = subprocess.run(
                [exe, *self.version_args], capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"unknown ({type(exc).__name__})"
        text = (out.stdout or out.stderr).strip().splitlines()
        return text[0] if text else "unknown"

    def analyze(self, source: str) -> list[Diagnostic]:
        """Diagnostics of ``source``: from the warm backend if there is one, else a process."""
        if self.warm is not None and not cold_forced(self.name):
            found = self.warm.analyze(self, source)
            if found is not None:
                return found
        return self.analyze_cold(source)

    @contextmanager
    def prepared(self, source: str) -> Iterator[Prepared]:
        """Write ``source`` into a fresh private directory and build the command line."""
        exe = self.which()
        if exe is None:
            raise FileNotFoundError(self.available())
        with tempfile.TemporaryDirectory(prefix=f"lintseq-{self.name}-") as tmp:
            workdir = Path(tmp)
            path = workdir / self.filename(source)
            path.write_text(source, encoding="utf-8")
            argv = self.command(path, workdir)
            argv[0] = exe
            if self.args_env and os.environ.get(self.args_env):
                argv.extend(shlex.split(os.environ[self.args_env]))
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": tmp,
                "LANG": "C.UTF-8",
                "LC_ALL": "C.UTF-8",
                **self.env,
            }
            for key in ("RUSTUP_HOME", "CARGO_HOME", "GOROOT", "JAVA_HOME", "NODE_PATH"):
                if key in os.environ:
                    env.setdefault(key, os.environ[key])
            # rustup finds its toolchains under the real home, which HOME no longer points to.
            real_home = Path(os.path.expanduser("~"))
            for key, sub in (("RUSTUP_HOME", ".rustup"), ("CARGO_HOME", ".cargo")):
                if key not in env and (real_home / sub).is_dir():
                    env[key] = str(real_home / sub)
            yield Prepared(workdir, path, argv, env)

    def analyze_cold(self, source: str) -> list[Diagnostic]:
        """Compile ``source`` with one process in a private directory; one diagnostic per error."""
        with self.prepared(source) as job:
            try:
                proc = subprocess.run(
                    job.argv,
                    cwd=job.workdir,
                    capture_output=True,
                    text=True,
                    errors="replace",
                    timeout=self.timeout,
                    env=job.env,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                return [self.timeout_diagnostic()]
            return self.parse_output(proc.stdout + "\n" + proc.stderr, job.path.name, proc.returncode)

    def timeout_diagnostic(self) -> Diagnostic:
        return Diagnostic(0, "timeout", f"{self.name} ran longer than {self.timeout:.0f}s")

    def parse_output(self, output: str, filename: str, returncode: int) -> list[Diagnostic]:
        """Error diagnostics in compiler output; a failing run with none found maps to line 0."""
        if self.parse is not None:
            return self.parse(output, filename, returncode)
        out: list[Diagnostic] = []
        for raw in output.splitlines():
            m = self.pattern.match(raw.strip())
            if m is None:
                continue
            groups = m.groupdict()
            file = groups.get("file")
            line = int(groups["line"]) if file in (None, filename) or file.endswith("/" + filename) else 0
            message = groups["message"].strip()
            if self.ignore is not None and self.ignore.search(message):
                continue
            coded = message if self.code_drop is None else self.code_drop.sub("", message)
            code = groups.get("code") or normalise_message(coded)
            out.append(Diagnostic(line, code, message, bool(self.syntax.search(message))))
        if self.duplicate is not None:
            dup = self.duplicate
            others = {d.line for d in out if not dup.search(d.message)}
            out = [d for d in out if d.line not in others or not dup.search(d.message)]
        if returncode != 0 and not out:
            tail = " | ".join(output.strip().splitlines()[-3:])
            out.append(Diagnostic(0, "compiler-failed", f"exit status {returncode}: {tail}"))
        return out
