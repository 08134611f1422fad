"""Run untrusted programs: one process tree per sample, with limits that really apply.

Two backends, chosen once per process:

``bwrap`` (default where it works): bubblewrap puts the sample in new PID, network, IPC and
UTS namespaces, with the system folders mounted read-only, a size-limited tmpfs as its
working directory (``/sandbox``) and another as ``/tmp``; nothing else is visible or writable.
Inside, ``setpriv`` drops to an unprivileged uid reserved for the worker slot (no groups,
no capabilities), so ``RLIMIT_NPROC`` counts only that slot's processes (Linux ignores it
for root). Address-space, file-size, CPU-time and process-count rlimits are set before
bubblewrap starts and are inherited. Killing bubblewrap (wall-clock timeout) takes the whole
PID namespace with it: nothing a sample forked survives.

``process`` (fallback when bubblewrap is missing or cannot create namespaces): the same
driver runs in a private temporary directory owned by the slot uid, with the same rlimits,
dropped to that uid when running as root, and ``unshare --net`` when permitted. It cannot
hide the rest of the file system (only Unix permissions protect it) and it bounds disk use
only per file. A clear warning says so.

A sample is a set of files plus *stages* (e.g. compile, then run), executed by a small bash
driver inside the sandbox: each stage has its own wall-clock limit (``timeout -s KILL``);
the driver reports each stage's exit status on a pipe that the stages themselves do not
inherit. Verdicts (did the tests run to the end?) are made by the executors, not here, but
nothing they need can happen after the last stage's process has exited: from that moment
whatever the sample left running (a background child, a daemon holding the output pipes) is
killed at once, so a correct program that leaves a process behind costs its own run time,
not the deadline. The last stage's stdout goes straight to the host, which keeps the first
``Limits.output_kb`` and then closes the pipe (the writer gets ``EPIPE``, as with ``head -c``).
"""

from __future__ import annotations

import io
import logging
import os
import shlex
import shutil
import signal
import subprocess
import tarfile
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lintseq_eval.errors import SandboxError

__all__ = [
    "Limits",
    "SandboxResult",
    "Stage",
    "StageResult",
    "UidPool",
    "backend_name",
    "default_workers",
    "run_sandboxed",
]

log = logging.getLogger(__name__)

_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sample (defaults suit HumanEval-sized programs)."""

    run_timeout_s: float = 10.0  # wall clock of the stage that runs the tests
    compile_timeout_s: float = 60.0  # wall clock of each build stage
    memory_mb: int = 4096  # RLIMIT_AS
    file_size_mb: int = 64  # RLIMIT_FSIZE: largest file a sample may write
    processes: int = 256  # RLIMIT_NPROC for the slot uid (threads count too)
    workdir_mb: int = 256  # size of the /work tmpfs (bwrap backend)
    tmp_mb: int = 64  # size of the /tmp tmpfs (bwrap backend)
    output_kb: int = 2048  # stdout kept from the final stage; more is cut and fails


@dataclass(frozen=True)
class Stage:
    """One command of a sample; argv[0] must be an absolute path visible in the sandbox."""

    name: str
    argv: tuple[str, ...]
    timeout_s: float


@dataclass(frozen=True)
class StageResult:
    name: str
    returncode: int
    elapsed_s: float
    timed_out: bool


@dataclass(frozen=True)
class SandboxResult:
    """What came out of a sample: the stages that ran, the final stage's output."""

    stages: tuple[StageResult, ...]
    stdout: str
    stderr: str
    wall_s: float
    killed: bool  # the host killed the whole sandbox at its overall deadline
    backend: str
    unfinished: str | None = None  # a stage that began but whose end was never reported
    output_limit: int = 0  # bytes of final-stage stdout kept (0: unknown)

    def stage(self, name: str) -> StageResult | None:
        return next((s for s in self.stages if s.name == name), None)


@dataclass
class UidPool:
    """Unprivileged uids, one per concurrent sample, so rlimits and kills stay per sample.

    The base is derived from the pid so two evaluations on one machine do not share uids.
    """

    size: int
    base: int = field(default_factory=lambda: 200_000 + (os.getpid() % 4000) * 64)

    def __post_init__(self) -> None:
        self._free = list(range(self.base, self.base + max(1, self.size)))
        self._cond = threading.Condition()

    def acquire(self) -> int:
        with self._cond:
            while not self._free:
                self._cond.wait()
            return self._free.pop()

    def release(self, uid: int) -> None:
        with self._cond:
            self._free.append(uid)
            self._cond.notify()


_DRIVER = r"""
set -u
report() { printf 'stage %s %s %s\n' "$1" "$2" "$3" >&__FD__; }
stage() {  # stage NAME TIMEOUT FINAL ARGV...
  local name=$1 limit=$2 final=$3; shift 3
  local t0=$EPOCHREALTIME rc
  printf 'begin %s\n' "$name" >&__FD__
  if [ "$final" = 1 ]; then  # stdout straight to the host: no reader in here outlives the stage
    timeout -s KILL "$limit" "$@" __FD__>&- </dev/null
    rc=$?
  else
    timeout -s KILL "$limit" "$@" __FD__>&- </dev/null >&2
    rc=$?
  fi
  local t1=$EPOCHREALTIME
  report "$name" "$rc" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')"
  return $rc
}
"""


def _driver_script(stages: Sequence[Stage], fd: int, *, unpack: bool, cleanup: Sequence[str] = ()) -> str:
    lines = [_DRIVER.replace("__FD__", str(fd))]
    if unpack:  # bwrap: the files arrive as one tar inside the tmpfs; unpack, then delete it
        lines.append(f"tar -xf {_TAR} {fd}>&- && rm -f {_TAR} || {{ report setup 1 0; exit 0; }}")
    for i, st in enumerate(stages):
        final = i == len(stages) - 1
        if final and cleanup:
            lines.append("rm -f -- " + " ".join(shlex.quote(c) for c in cleanup))
        argv = " ".join(shlex.quote(a) for a in st.argv)
        lines.append(f"stage {shlex.quote(st.name)} {st.timeout_s:.1f} {int(final)} {argv} || exit 0")
    return "\n".join(lines) + "\n"


_TAR = ".lintseq-files.tar"


def _set_limits(limits: Limits, cpu_s: int) -> None:
    import resource

    mem = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    fsize = limits.file_size_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _base_binds() -> list[str]:
    args: list[str] = []
    for d in _SYSTEM_DIRS:
        if not os.path.lexists(d):
            continue
        if os.path.islink(d):
            args += ["--symlink", os.readlink(d), d]
        else:
            args += ["--ro-bind", d, d]
    return args


def _extra_binds(extra: Sequence[str]) -> list[str]:
    """Read-only mounts of host paths (toolchains, the interpreter's prefix).

    They come after the sandbox's own ``/tmp`` tmpfs in the bwrap command line
    (:func:`_bwrap_argv`): a virtual environment under the host's ``/tmp`` would otherwise
    be hidden by it.
    """
    args: list[str] = []
    seen: set[str] = {d for d in _SYSTEM_DIRS if os.path.lexists(d)}
    made: set[str] = {"/tmp", SANDBOX_DIR}  # already mounted as tmpfs: never re-create them
    for p in sorted(set(extra)):
        if not p or not os.path.exists(p):
            continue
        if any(p == s or p.startswith(s.rstrip("/") + "/") for s in seen):
            continue
        # bwrap creates missing parents 0700 as root: make them traversable for the slot uid.
        parts = Path(p).parts
        for i in range(2, len(parts)):
            anc = str(Path(*parts[:i]))
            if anc not in made:
                args += ["--perms", "0755", "--dir", anc]
                made.add(anc)
        args += ["--ro-bind", p, p]
        seen.add(p)
    return args


SANDBOX_DIR = "/sandbox"  # the working directory inside the bwrap sandbox
_SANDBOX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def _bwrap_argv(
    tar_fd: int | None, script: str, uid: int, limits: Limits, env: Mapping[str, str], extra_ro: Sequence[str]
) -> list[str]:
    bwrap = shutil.which("bwrap")
    setpriv = shutil.which("setpriv")
    assert bwrap and setpriv
    argv = [
        bwrap, "--die-with-parent", "--new-session",
        "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        *_base_binds(),
        "--proc", "/proc", "--dev", "/dev",
        "--perms", "0777", "--size", str(limits.workdir_mb * 1024 * 1024), "--tmpfs", SANDBOX_DIR,
        "--perms", "1777", "--size", str(limits.tmp_mb * 1024 * 1024), "--tmpfs", "/tmp",
        # POSIX semaphores and shared memory (Python's multiprocessing) live in /dev/shm; the
        # sandbox's /dev has none writable. Private to the sandbox, size-limited like /tmp.
        "--perms", "1777", "--size", str(limits.tmp_mb * 1024 * 1024), "--tmpfs", "/dev/shm",
        *_extra_binds(extra_ro),  # after /tmp: a toolchain under the host's /tmp stays visible
        "--chdir", SANDBOX_DIR, "--clearenv",
    ]
    if tar_fd is not None:
        argv += ["--perms", "0644", "--file", str(tar_fd), f"{SANDBOX_DIR}/{_TAR}"]
    base_env = {"PATH": _SANDBOX_PATH, "HOME": SANDBOX_DIR, "TMPDIR": "/tmp", "LANG": "C.UTF-8"}
    for k, v in {**base_env, **env}.items():
        argv += ["--setenv", k, v]
    if os.geteuid() == 0:
        argv += [setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                 "--inh-caps=-all", "--bounding-set=-all", "--"]
    argv += ["/bin/bash", "-c", script]
    return argv


@lru_cache(maxsize=1)
def _bwrap_problem() -> str | None:
    """Why the bwrap backend cannot be used here (None when it can)."""
    if os.environ.get("LINTSEQ_SANDBOX", "").lower() == "process":
        return "LINTSEQ_SANDBOX=process was requested"
    for tool in ("bwrap", "setpriv", "timeout"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed (apt-get install bubblewrap util-linux coreutils)"
    r, w = os.pipe()
    script = _driver_script([Stage("probe", ("/bin/true",), 5)], w, unpack=False)
    try:
        proc = subprocess.run(
            _bwrap_argv(None, script, 65534, Limits(), {}, []),
            capture_output=True, text=True, timeout=30, pass_fds=(w,),
            env={"PATH": os.environ.get("PATH", _SANDBOX_PATH)},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        os.close(r)
        return f"bubblewrap failed to start: {exc}"
    finally:
        os.close(w)
    with os.fdopen(r) as fh:
        status = fh.read()
    if proc.returncode != 0 or "stage probe 0" not in status:
        return f"bubblewrap cannot create the sandbox here (rc={proc.returncode}): {proc.stderr.strip()[:300]}"
    return None


def default_workers() -> int:
    """Sandboxes run at once by default: one per CPU this process may use."""
    return max(1, len(os.sched_getaffinity(0)))


def backend_name() -> str:
    """``bwrap`` or ``process`` (see the module docstring); warns once on fallback."""
    problem = _bwrap_problem()
    if problem is None:
        return "bwrap"
    _warn_fallback(problem)
    return "process"


@lru_cache(maxsize=1)
def _warn_fallback(problem: str) -> None:
    log.warning(
        "sandbox: falling back to the 'process' backend because %s. Samples still run as an "
        "unprivileged uid with rlimits and (if permitted) no network, but the rest of the file "
        "system is only protected by Unix permissions and disk use is bounded per file only.",
        problem,
    )


@lru_cache(maxsize=1)
def _can_unshare_net() -> bool:
    exe = shutil.which("unshare")
    if exe is None:
        return False
    return subprocess.run([exe, "--net", "--", "/bin/true"], capture_output=True).returncode == 0


def _kill_uid(uid: int) -> None:
    """Kill every process of ``uid`` (the fallback backend's way to reap escaped children)."""
    if os.geteuid() != 0:
        return
    pid = os.fork()
    if pid == 0:  # child: become the uid and kill everything it owns
        try:
            os.setgid(uid)
            os.setuid(uid)
            for _ in range(10_000):  # a fork bomb refills while we kill: repeat until none is left
                os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            os._exit(0)
        finally:
            os._exit(1)
    os.waitpid(pid, 0)


def run_sandboxed(
    files: Mapping[str, str | bytes],
    stages: Sequence[Stage],
    *,
    limits: Limits,
    uid: int,
    env: Mapping[str, str] | None = None,
    extra_ro: Sequence[str] = (),
    cleanup: Sequence[str] = (),
) -> SandboxResult:
    """Put ``files`` in a private directory and run ``stages`` there, in order, sandboxed.

    A stage that fails stops the driver; the last stage's stdout is returned (at most
    ``limits.output_kb``). ``extra_ro`` are host paths (toolchains) to mount read-only;
    ``cleanup`` are files removed before the last stage (sources that hold the nonce).
    """
    if not stages:
        raise SandboxError("a sample needs at least one stage")
    backend = backend_name()
    total = sum(s.timeout_s for s in stages) + 10.0
    cpu_s = int(total) + 5
    with tempfile.TemporaryDirectory(prefix="lintseq-sample-") as tmp:
        r, w = os.pipe()
        pass_fds = [w]
        if backend == "bwrap":
            tar_path = Path(tmp, "files.tar")
            _write_tar(tar_path, files)
            tar_fd = os.open(tar_path, os.O_RDONLY)
            pass_fds.append(tar_fd)
            script = _driver_script(stages, w, unpack=True, cleanup=cleanup)
            argv = _bwrap_argv(tar_fd, script, uid, limits, env or {}, extra_ro)
            cwd = tmp
            child_env = {"PATH": os.environ.get("PATH", _SANDBOX_PATH)}
        else:
            if os.geteuid() == 0:
                _check_reachable(extra_ro)
            src = Path(tmp, "src")
            src.mkdir()
            _write_files(src, files)
            if os.geteuid() == 0:
                for p in [src, *src.rglob("*")]:
                    os.chown(p, uid, uid)
                os.chmod(src, 0o700)  # only this sample's uid may look inside
                os.chmod(tmp, 0o711)
            script = _driver_script(stages, w, unpack=False, cleanup=cleanup)
            argv = ["/bin/bash", "-c", script]
            if os.geteuid() == 0:
                argv = [shutil.which("setpriv") or "setpriv", f"--reuid={uid}", f"--regid={uid}",
                        "--clear-groups", "--inh-caps=-all", "--", *argv]
                if _can_unshare_net():
                    argv = [shutil.which("unshare") or "unshare", "--net", "--", *argv]
            cwd = str(src)
            child_env = {"PATH": _SANDBOX_PATH, "HOME": str(src), "TMPDIR": str(src), "LANG": "C.UTF-8",
                         **(env or {})}

        def preexec() -> None:
            _set_limits(limits, cpu_s)

        limit_out = limits.output_kb * 1024
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        t0 = time.monotonic()
        try:
            proc = subprocess.Popen(
                argv, cwd=cwd, env=child_env, stdin=subprocess.DEVNULL, stdout=out_w, stderr=err_w,
                pass_fds=tuple(pass_fds), preexec_fn=preexec, start_new_session=True,
            )
        except OSError as exc:
            for fd in (r, out_r, err_r, out_w, err_w, *pass_fds):
                os.close(fd)
            raise SandboxError(f"cannot start the sandbox ({argv[0]}): {exc}") from exc
        for fd in (out_w, err_w, *pass_fds):
            os.close(fd)
        ended = threading.Event()  # the driver exited, or reported the end of the last stage
        status = _StatusReader(r, stages[-1].name, ended)
        out = _StreamReader(out_r, head=limit_out)
        err = _StreamReader(err_r, tail=limit_out)
        threading.Thread(target=_wait_unreaped, args=(proc.pid, ended), daemon=True).start()
        killed = not ended.wait(timeout=total)
        # The verdict needs nothing more once the last stage has ended: what the sample left
        # running (a daemon, a background child holding the output pipes) is killed now,
        # not at the deadline.
        _killpg(proc)
        if backend == "process":
            _kill_uid(uid)
        proc.wait()
        join_by = time.monotonic() + 5
        if not all([reader.join(join_by - time.monotonic()) for reader in (status, out, err)]):
            log.warning("sandbox: a process out of the sandbox's reach still holds the sample's pipes "
                        "(the 'process' backend can only kill a sample's processes when run as root)")
        wall = time.monotonic() - t0
    stage_results, unfinished = _parse_status(status.text(), stages)
    return SandboxResult(
        stages=stage_results,
        stdout=out.data().decode("utf-8", "replace"),
        stderr=err.data().decode("utf-8", "replace"),
        wall_s=wall, killed=killed, backend=backend, unfinished=unfinished, output_limit=limit_out,
    )


def _check_reachable(paths: Sequence[str]) -> None:
    """The process backend runs samples as another uid: toolchains must be world-reachable."""
    for p in paths:
        path = Path(p)
        for d in [*reversed(path.parents), path]:
            if d.is_dir() and not os.stat(d).st_mode & 0o001:
                raise SandboxError(
                    f"the 'process' sandbox runs samples as an unprivileged uid, which cannot reach {p} "
                    f"({d} is not world-searchable). Install bubblewrap so the 'bwrap' backend can mount it, "
                    f"or install the toolchain in a world-readable place."
                )


def _write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for name, content in files.items():
        p = root / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise SandboxError(f"sample file name {name!r} must be relative and stay inside the sample")
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")


def _write_tar(path: Path, files: Mapping[str, str | bytes]) -> None:
    with tarfile.open(path, "w") as tar:
        for name, content in files.items():
            if ".." in Path(name).parts or Path(name).is_absolute():
                raise SandboxError(f"sample file name {name!r} must be relative and stay inside the sample")
            data = content.encode("utf-8") if isinstance(content, str) else content
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))


class _StreamReader:
    """Reads one of the sandbox's pipes in a thread; keeps its first ``head`` or last ``tail`` bytes.

    Past ``head`` bytes the pipe is closed, so the writer gets ``EPIPE``/``SIGPIPE`` (as it
    would writing into ``head -c``) and the kept output reaches the limit the verdict checks.
    """

    def __init__(self, fd: int, *, head: int | None = None, tail: int | None = None) -> None:
        self._buf = bytearray()
        self._head, self._tail = head, tail
        self._thread = threading.Thread(target=self._run, args=(fd,), daemon=True)
        self._thread.start()

    def _run(self, fd: int) -> None:
        with os.fdopen(fd, "rb", buffering=0) as fh:
            while chunk := fh.read(65536):
                self._buf += chunk
                if self._head is not None and len(self._buf) > self._head:
                    del self._buf[self._head:]
                    return  # closing the pipe stops a writer that goes on
                if self._tail is not None and len(self._buf) > 2 * self._tail:
                    del self._buf[: len(self._buf) - self._tail]

    def join(self, timeout: float) -> bool:
        self._thread.join(max(0.0, timeout))
        return not self._thread.is_alive()

    def data(self) -> bytes:
        buf = bytes(self._buf)
        return buf[-self._tail:] if self._tail is not None else buf


class _StatusReader:
    """Reads the driver's status pipe; sets ``ended`` once the last stage's end is reported."""

    def __init__(self, fd: int, final_stage: str, ended: threading.Event) -> None:
        self._chunks: list[bytes] = []
        self._marker = f"\nstage {final_stage} ".encode()
        self._ended = ended
        self._thread = threading.Thread(target=self._run, args=(fd,), daemon=True)
        self._thread.start()

    def _run(self, fd: int) -> None:
        seen = b"\n"
        with os.fdopen(fd, "rb", buffering=0) as fh:
            while chunk := fh.read(65536):
                if len(seen) < 65536:
                    self._chunks.append(chunk)
                    seen += chunk
                    at = seen.find(self._marker)
                    if at >= 0 and seen.find(b"\n", at + 1) >= 0:  # the whole line is here
                        self._ended.set()

    def join(self, timeout: float) -> bool:
        self._thread.join(max(0.0, timeout))
        return not self._thread.is_alive()

    def text(self) -> str:
        return b"".join(self._chunks).decode("utf-8", "replace")


def _wait_unreaped(pid: int, ended: threading.Event) -> None:
    """Set ``ended`` when ``pid`` exits, leaving it a zombie: its process group id cannot be
    reused by another sample's sandbox before :func:`_killpg` has swept the group."""
    try:
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    except ChildProcessError:
        pass  # already reaped (after a kill at the deadline)
    finally:
        ended.set()


def _killpg(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        return


def _parse_status(text: str, stages: Sequence[Stage]) -> tuple[tuple[StageResult, ...], str | None]:
    """Stage lines from the driver; the last line per stage wins (a stage cannot write here)."""
    limits = {s.name: s.timeout_s for s in stages}
    found: dict[str, StageResult] = {}
    begun: list[str] = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "begin":
            begun.append(parts[1])
            continue
        if len(parts) != 4 or parts[0] != "stage":
            continue
        name, rc, elapsed = parts[1], int(parts[2]), float(parts[3])
        timed_out = rc == 137 and elapsed >= limits.get(name, float("inf")) - 0.05
        found[name] = StageResult(name, rc, elapsed, timed_out)
    order = [s.name for s in stages] + ["setup"]
    unfinished = next((n for n in begun if n not in found), None)
    return tuple(found[n] for n in order if n in found), unfinished

