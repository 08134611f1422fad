"""Long-lived compiler processes, so a check costs one compile instead of one process start.

A JVM or a Node.js process takes longer to start than to check a small program. A *warm
server* is one such process per compiler and per Python process, started on first use and
spoken to over its stdin/stdout; it answers each request with what the command line would
have printed, so the same parser turns both into diagnostics (tests compare the two paths).

Wire format, both ways: a message is ``<n>\\n`` followed by ``n`` fields, each
``<length in bytes>\\n<bytes>``. A server first sends ``ready <version>`` (or
``unsupported <reason>``), then answers each request with ``<status>, <stdout>, <stderr>``.
It exits when its stdin closes, so a killed worker leaves no server behind.

A server that dies is restarted on the next request; one that exceeds the request's time
limit is killed (the call reports a timeout, as the command line would). A server that
cannot start makes its toolchain fall back to one process per call for the rest of the
Python process. ``LINTSEQ_COLD_COMPILERS`` (``1`` for all, or names such as ``javac,tsc``)
forces one process per call.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lintseq_compilers.base import Toolchain
    from lintseq_core.types import Diagnostic

__all__ = [
    "COLD_ENV",
    "Launch",
    "ServerError",
    "ServerTimeout",
    "ServerUnavailable",
    "WarmServer",
    "cache_dir",
    "cold_forced",
    "diagnostics_from",
    "minimal_env",
    "node_script",
    "server_source",
    "shutdown_all",
    "which_real",
]

COLD_ENV = "LINTSEQ_COLD_COMPILERS"
START_TIMEOUT = 60.0
MAX_FAILURES = 3  # consecutive failed requests after which a server is given up
log = logging.getLogger("lintseq.compilers")


def cold_forced(name: str) -> bool:
    """Whether ``LINTSEQ_COLD_COMPILERS`` asks for one process per call for ``name``."""
    value = os.environ.get(COLD_ENV, "").strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes", "all"):
        return True
    return name.lower() in {v.strip() for v in value.split(",")}


def server_source(name: str) -> Path:
    """A server's source file, shipped as package data beside this module."""
    return Path(str(resources.files("lintseq_compilers").joinpath("servers", name)))


def cache_dir(kind: str, *parts: str) -> Path:
    """``~/.cache/lintseq/<kind>/<hash of parts>``: where compiled servers are kept."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lintseq" / kind
    return root / hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


class ServerError(RuntimeError):
    """The server died or broke the protocol; the caller may retry with a fresh one."""


class ServerTimeout(ServerError):
    """A request ran past its time limit; the server was killed."""


class ServerUnavailable(ServerError):
    """The server cannot run here (missing runtime or API); use one process per call."""


@dataclass(frozen=True)
class Launch:
    """How to start a server: argv, environment and working directory."""

    argv: list[str]
    env: dict[str, str]
    cwd: str


def _encode(fields: Sequence[bytes]) -> bytes:
    out = [b"%d\n" % len(fields)]
    for f in fields:
        out += [b"%d\n" % len(f), f]
    return b"".join(out)


class _Reader:
    """Reads framed messages from a pipe with a deadline (select, no reader thread)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = bytearray()

    def _fill(self, deadline: float) -> None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise ServerTimeout("no answer in time")
        ready, _, _ = select.select([self.fd], [], [], left)
        if not ready:
            raise ServerTimeout("no answer in time")
        chunk = os.read(self.fd, 1 << 16)
        if not chunk:
            raise ServerError("the server closed its output")
        self.buf += chunk

    def _line(self, deadline: float) -> int:
        while (end := self.buf.find(b"\n")) < 0:
            self._fill(deadline)
        text = bytes(self.buf[:end])
        del self.buf[: end + 1]
        try:
            return int(text)
        except ValueError:
            raise ServerError(f"protocol error: expected a length, got {text[:80]!r}") from None

    def _bytes(self, n: int, deadline: float) -> bytes:
        while len(self.buf) < n:
            self._fill(deadline)
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def message(self, deadline: float) -> list[bytes]:
        return [self._bytes(self._line(deadline), deadline) for _ in range(self._line(deadline))]


_LIVE: set[WarmServer] = set()
_LIVE_LOCK = threading.Lock()


class WarmServer:
    """One long-lived helper process, started lazily in each Python process that uses it."""

    def __init__(self, name: str, launch: Callable[[], Launch]) -> None:
        self.name = name
        self._launch = launch
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._reader: _Reader | None = None
        self._pid = 0  # the Python process that started the server (fork safety)
        self._stderr: Path | None = None
        # select() on pipes is POSIX-only: elsewhere every check runs its own process.
        self.unavailable: str | None = None if os.name == "posix" else "warm servers need POSIX pipes"
        self.version = ""
        self.starts = 0
        self.failures = 0

    # ---- lifecycle ---------------------------------------------------------------------
    def _start(self) -> None:
        launch = self._launch()  # may raise ServerUnavailable
        fd, log_path = tempfile.mkstemp(prefix=f"lintseq-{self.name}-server-", suffix=".log")
        self._stderr = Path(log_path)
        try:
            proc = subprocess.Popen(
                launch.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=fd,
                cwd=launch.cwd, env=launch.env, bufsize=0,
            )
        except OSError as exc:
            raise ServerUnavailable(f"cannot start {launch.argv[0]}: {exc}") from exc
        finally:
            os.close(fd)
        self._proc, self._reader, self._pid = proc, _Reader(proc.stdout.fileno()), os.getpid()  # type: ignore[union-attr]
        self.starts += 1
        with _LIVE_LOCK:
            _LIVE.add(self)
        try:
            hello = self._reader.message(time.monotonic() + START_TIMEOUT)
        except ServerError as exc:
            detail = self._log_tail()
            self.stop()
            raise ServerUnavailable(f"{self.name} server did not start: {exc}. {detail}".strip()) from exc
        if not hello or hello[0] != b"ready":
            reason = b" ".join(hello[1:]).decode(errors="replace") or "no reason given"
            self.stop()
            raise ServerUnavailable(f"{self.name} server unsupported here: {reason}")
        self.version = hello[1].decode(errors="replace") if len(hello) > 1 else ""

    def _log_tail(self) -> str:
        try:
            text = self._stderr.read_text(errors="replace").strip() if self._stderr else ""
        except OSError:
            return ""
        return " | ".join(text.splitlines()[-3:])

    def stop(self) -> None:
        """Close the server's stdin (it exits), and kill it if it does not."""
        proc, self._proc, self._reader = self._proc, None, None
        with _LIVE_LOCK:
            _LIVE.discard(self)
        if self._pid != os.getpid():
            return  # inherited through fork: the parent's server, not ours to stop
        if proc is not None:
            try:
                proc.stdin.close()  # type: ignore[union-attr]
                proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        if self._stderr is not None:
            self._stderr.unlink(missing_ok=True)
            self._stderr = None

    # ---- requests ----------------------------------------------------------------------
    def request(self, fields: Sequence[bytes], timeout: float) -> list[bytes]:
        """Send one request and return the answer's fields; restart once if the server died.

        Raises :class:`ServerTimeout` (the server is killed), :class:`ServerUnavailable`
        (it cannot start here) or :class:`ServerError` (it died twice).
        """
        if self.unavailable is not None:
            raise ServerUnavailable(self.unavailable)
        with self._lock:
            for attempt in (1, 2):
                if self._proc is not None and self._pid != os.getpid():
                    # Inherited through fork: those pipes are the parent's; start our own.
                    self._proc, self._reader, self._stderr = None, None, None
                elif self._proc is not None and self._proc.poll() is not None:
                    self.stop()  # died since the last request
                if self._proc is None:
                    try:
                        self._start()
                    except ServerUnavailable as exc:
                        self.unavailable = str(exc)
                        log.warning("%s; falling back to one process per call", exc)
                        raise
                try:
                    self._proc.stdin.write(_encode(fields))  # type: ignore[union-attr]
                    answer = self._reader.message(time.monotonic() + timeout)  # type: ignore[union-attr]
                    self.failures = 0
                    return answer
                except ServerTimeout:
                    self.stop()
                    raise
                except (ServerError, OSError) as exc:
                    detail = self._log_tail()
                    self.stop()
                    if attempt == 2:
                        message = f"{self.name} server failed twice: {exc}. {detail}".strip()
                        self.failures += 1
                        if self.failures >= MAX_FAILURES:
                            self.unavailable = f"{message} ({self.failures} requests in a row)"
                            log.warning("%s; falling back to one process per call", self.unavailable)
                        raise ServerError(message) from exc
            raise AssertionError("unreachable")


def shutdown_all() -> None:
    """Stop every server this process started (registered with :mod:`atexit`)."""
    with _LIVE_LOCK:
        servers = list(_LIVE)
    for server in servers:
        server.stop()


atexit.register(shutdown_all)


def which_real(executable: str) -> Path | None:
    """The real path of an executable on PATH (through symlinks and alternatives)."""
    found = shutil.which(executable)
    return Path(os.path.realpath(found)) if found else None


def minimal_env(home: Path | str, *keep: str) -> dict[str, str]:
    """The environment a server runs in: the same few variables as one process per call."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    env.update({k: os.environ[k] for k in keep if k in os.environ})
    return env


def node_script(script: str, *args: str, home: str, flags: Sequence[str] = ()) -> Launch:
    """How to start the Node.js server ``servers/<script>`` with ``args``, at home in ``home``."""
    node = which_real("node")
    if node is None:
        raise ServerUnavailable("node is not on PATH")
    argv = [str(node), *flags, str(server_source(script)), *args]
    return Launch(argv, minimal_env(home, "NODE_PATH"), home)


def diagnostics_from(
    tool: Toolchain, server: WarmServer, fields: Sequence[bytes], filename: str
) -> list[Diagnostic] | None:
    """Ask ``server`` and parse its (status, stdout, stderr) answer as ``tool``'s output.

    ``None`` means the server cannot answer (unavailable here, or it died twice): the
    caller falls back to one process per call. A timeout is the command line's timeout.
    """
    try:
        answer = server.request(fields, tool.timeout)
    except ServerTimeout:
        return [tool.timeout_diagnostic()]
    except ServerError:
        return None
    if answer and answer[0] == b"error":  # the server could not check this one state
        log.warning("%s server: %s", server.name, b" ".join(answer[1:]).decode(errors="replace"))
        return None
    if len(answer) != 3:
        log.warning("%s server answered %d fields, not 3", server.name, len(answer))
        server.stop()
        return None
    status, out, err = answer
    output = out.decode(errors="replace") + "\n" + err.decode(errors="replace")
    return tool.parse_output(output, filename, int(status))
