"""Run one stage from its folder and record the outcome: the same code for every launcher.

``STAGE_DIR/stage.json`` holds the command; this writes ``log.txt``, then ``done.json`` on
success or ``failed.json`` (exit status and the log's tail) on failure. A stage without
``done.json`` is unfinished: the next attempt adds its tool's resume flags when the earlier
attempt left a checkpoint, or empties ``out/`` when the tool cannot resume.
Batch scripts call it as ``python -m lintseq_experiment.stage_exec STAGE_DIR``.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["execute", "is_done", "main", "read_marker"]

DONE, FAILED, STARTED = "done.json", "failed.json", "started.json"


def _write(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_marker(stage_dir: Path, name: str) -> dict[str, Any] | None:
    path = stage_dir / name
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def is_done(stage_dir: Path) -> bool:
    return (stage_dir / DONE).is_file()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the command is killed when the process that started it dies (even by SIGKILL)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        return


def _argv(spec: dict[str, Any], out: Path) -> tuple[list[str], str]:
    argv = list(spec["argv"])
    resume = spec.get("resume")
    if resume:
        if glob.glob(resume["if_exists"]):
            return argv + list(resume["add"]), "resumed"
        return argv + list(resume["else"]), "started"
    if spec.get("fresh") and out.exists():
        shutil.rmtree(out)
    return argv, "started"


def execute(stage_dir: Path, *, env: dict[str, str] | None = None) -> int:
    """Run the stage in ``stage_dir`` to completion; returns the command's exit status."""
    spec = json.loads((stage_dir / "stage.json").read_text(encoding="utf-8"))
    out = stage_dir / "out"
    (stage_dir / FAILED).unlink(missing_ok=True)
    argv, how = _argv(spec, out)
    out.mkdir(parents=True, exist_ok=True)
    attempts = (read_marker(stage_dir, STARTED) or {}).get("attempts", 0) + 1
    started = time.time()
    _write(stage_dir / STARTED, {"attempts": attempts, "how": how, "argv": argv, "pid": os.getpid(),
                                 "started": started})
    with (stage_dir / "log.txt").open("a", encoding="utf-8") as log:
        log.write(f"\n### attempt {attempts} ({how}) at {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n")
        log.write("### " + " ".join(argv) + "\n")
        log.flush()
        try:
            proc = subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT, env=env, check=False,
                                  preexec_fn=_die_with_parent if sys.platform == "linux" else None)
            rc = proc.returncode
        except OSError as exc:
            log.write(f"### cannot start the command: {exc}\n")
            rc = 127
    seconds = round(time.time() - started, 2)
    if rc == 0:
        _write(stage_dir / DONE, {"id": spec["id"], "key": spec["key"], "seconds": seconds, "how": how,
                                  "attempts": attempts, "finished": time.time()})
    else:
        tail = (stage_dir / "log.txt").read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        _write(stage_dir / FAILED, {"id": spec["id"], "rc": rc, "seconds": seconds, "log_tail": tail})
    return rc


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m lintseq_experiment.stage_exec STAGE_DIR", file=sys.stderr)
        return 2
    stage_dir = Path(args[0])
    if is_done(stage_dir):
        print(f"{stage_dir}: already done", file=sys.stderr)
        return 0
    return execute(stage_dir)


if __name__ == "__main__":
    raise SystemExit(main())
