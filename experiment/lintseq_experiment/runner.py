"""A run folder: the grid written out, the stages run in order, and where each one stands.

``DIR/plan.json`` is the resolved plan, ``DIR/grid.json`` the stages (id, key, folder,
dependencies, cell), ``DIR/stages/KIND/NAME-KEY/`` one folder per stage (see
:mod:`lintseq_experiment.stage_exec`). A lock on ``DIR/run.lock`` keeps two runs apart; the
operating system drops it when the run dies, however it dies.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lintseq_experiment.errors import ExperimentError
from lintseq_experiment.plan import Plan
from lintseq_experiment.stage_exec import DONE, FAILED, STARTED, execute, read_marker
from lintseq_experiment.stages import Stage, build_stages, stage_command

__all__ = ["Outcome", "materialize", "run_local", "run_lock", "stage_states"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one stage in a run: done, skipped (done before), failed or blocked."""

    id: str
    state: str
    detail: str = ""


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


@contextmanager
def run_lock(run_dir: Path) -> Iterator[None]:
    """Hold ``run.lock``; another live run of the same folder makes this raise."""
    run_dir.mkdir(parents=True, exist_ok=True)
    fh = (run_dir / "run.lock").open("a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise ExperimentError(f"{run_dir} is being run by another process (run.lock is held); wait for it "
                              "or give another --output-dir") from None
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def is_locked(run_dir: Path) -> bool:
    path = run_dir / "run.lock"
    if not path.exists():
        return False
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
    return False


def materialize(plan: Plan, run_dir: Path, *, distributed: str | None = None,
                portable: bool = False) -> list[tuple[Stage, Path]]:
    """Write plan.json, grid.json and every stage's stage.json; return stages with their folders."""
    run_dir.mkdir(parents=True, exist_ok=True)
    stages = build_stages(plan)
    folders = {s.id: run_dir / "stages" / s.folder for s in stages}
    _write_json(run_dir / "plan.json", {"name": plan.name, "raw": plan.raw})
    grid = []
    for stage in stages:
        folder = folders[stage.id]
        folder.mkdir(parents=True, exist_ok=True)
        dep_outs = {d: folders[d] / "out" for d in stage.deps}
        model = next((m for m in plan.models if m.name == stage.cell.get("model")), None)
        gpus = model.gpus if model is not None and stage.kind == "train" else 1
        command = stage_command(plan, stage, folder / "out", dep_outs, distributed=distributed,
                                gpus=gpus, portable=portable)
        spec = {"id": stage.id, "kind": stage.kind, "key": stage.key, "settings": stage.settings,
                "cell": dict(stage.cell), "deps": list(stage.deps), "dep_outs": {k: str(v) for k, v in dep_outs.items()},
                "gpus": gpus, **command}
        _write_json(folder / "stage.json", spec)
        grid.append({"id": stage.id, "kind": stage.kind, "key": stage.key, "folder": str(folder.relative_to(run_dir)),
                     "deps": list(stage.deps), "cell": dict(stage.cell)})
    _write_json(run_dir / "grid.json", grid)
    return [(s, folders[s.id]) for s in stages]


def run_local(plan: Plan, run_dir: Path, *, log: Callable[[str], None] | None = None) -> list[Outcome]:
    """Run every unfinished stage as a local subprocess, in order; a failure blocks only its dependents."""
    say = log or (lambda text: print(text, file=sys.stderr, flush=True))
    outcomes: list[Outcome] = []
    with run_lock(run_dir):
        staged = materialize(plan, run_dir)
        bad: dict[str, str] = {}
        for i, (stage, folder) in enumerate(staged, 1):
            prefix = f"[{i}/{len(staged)}] {stage.id}"
            if (folder / DONE).is_file():
                outcomes.append(Outcome(stage.id, "skipped", "finished earlier"))
                say(f"{prefix}: finished earlier, skipped")
                continue
            blockers = [d for d in stage.deps if d in bad]
            if blockers:
                bad[stage.id] = "blocked"
                outcomes.append(Outcome(stage.id, "blocked", f"needs {', '.join(blockers)}"))
                say(f"{prefix}: blocked by {', '.join(blockers)}")
                continue
            say(f"{prefix}: running")
            rc = execute(folder)
            if rc == 0:
                done = read_marker(folder, DONE) or {}
                outcomes.append(Outcome(stage.id, "done", f"{done.get('seconds', '?')} s, {done.get('how', '')}"))
                say(f"{prefix}: done in {done.get('seconds', '?')} s")
            else:
                bad[stage.id] = "failed"
                outcomes.append(Outcome(stage.id, "failed", f"exit status {rc}; see {folder / 'log.txt'}"))
                say(f"{prefix}: FAILED (exit status {rc}); log: {folder / 'log.txt'}")
        _write_json(run_dir / "run.json", {"outcomes": [o.__dict__ for o in outcomes]})
    return outcomes


def stage_states(run_dir: Path) -> list[dict[str, Any]]:
    """Each stage of a materialized run with its state: done, failed, interrupted, running or pending."""
    grid_file = run_dir / "grid.json"
    if not grid_file.is_file():
        raise ExperimentError(f"{run_dir} is not a run folder (no grid.json); start one with lintseq-experiment run")
    running = is_locked(run_dir)
    rows = []
    for entry in json.loads(grid_file.read_text(encoding="utf-8")):
        folder = run_dir / entry["folder"]
        done, failed, started = (read_marker(folder, n) for n in (DONE, FAILED, STARTED))
        if done:
            state, detail = "done", f"{done.get('seconds')} s ({done.get('attempts')} attempt(s))"
        elif failed:
            state, detail = "failed", f"exit status {failed.get('rc')}: {(failed.get('log_tail') or [''])[-1][:120]}"
        elif started:
            state = "running" if running else "interrupted"
            detail = f"attempt {started.get('attempts')}"
        else:
            state, detail = "pending", ""
        rows.append({**entry, "state": state, "detail": detail})
    return rows
