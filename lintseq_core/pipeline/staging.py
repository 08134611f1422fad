"""Where a run writes while it runs, and the checkpoint that lets ``--resume`` finish it.

Outcomes arrive in input order and are appended to JSON Lines spool files in a state folder
beside the output (``<output>.lintseq-state/``). Every few seconds the spools are flushed and
fsynced, then ``checkpoint.json`` is replaced atomically with: how many input rows are done,
the byte size of every spool at that point, and the summary counts. After a ``kill -9`` the
spools may hold bytes past the checkpoint; ``--resume`` cuts them back to the recorded sizes
and starts again at the next input row. Conversion is a pure function of (seed, row), so the
rows redone are byte-identical and the final output equals that of an uninterrupted run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

from lintseq_core.errors import ConfigError
from lintseq_core.pipeline.outcome import Outcome, encode_row

__all__ = ["CHECKPOINT_VERSION", "Spool", "load_checkpoint", "write_checkpoint"]

CHECKPOINT_VERSION = 1


def _part_name(k: int) -> str:
    return f"part-{k:05d}.jsonl"


class Spool:
    """Append-only JSONL spools: output parts (rotated every ``shard_size`` rows) and rejects."""

    def __init__(self, state_dir: Path, shard_size: int | None, resume: dict[str, Any] | None = None) -> None:
        self.dir = state_dir
        self.shard_size = shard_size
        self.part = 0
        self.part_rows = 0
        if resume is None:
            for stale in self.dir.glob("part-*.jsonl"):
                stale.unlink()
            self._out = open(self.dir / _part_name(0), "wb")
            self._rej = open(self.dir / "rejects.jsonl", "wb")
        else:
            self.part, self.part_rows = resume["part"], resume["part_rows"]
            for path in self.dir.glob("part-*.jsonl"):
                if int(path.stem.split("-")[1]) > self.part:
                    path.unlink()  # parts started after the checkpoint
            self._out = self._reopen(_part_name(self.part), resume["part_bytes"])
            self._rej = self._reopen("rejects.jsonl", resume["rejects_bytes"])

    def _reopen(self, name: str, size: int) -> IO[bytes]:
        path = self.dir / name
        if not path.is_file() or path.stat().st_size < size:
            raise ConfigError(
                f"cannot resume: {path} is missing or shorter than the checkpoint says; "
                "the state folder was changed by hand. Start over with --overwrite"
            )
        f = open(path, "r+b")
        f.truncate(size)
        f.seek(size)
        return f

    def write(self, outcome: Outcome) -> None:
        for line in outcome.lines:
            if self.shard_size is not None and self.part_rows >= self.shard_size:
                self._out.close()
                self.part += 1
                self.part_rows = 0
                self._out = open(self.dir / _part_name(self.part), "wb")
            self._out.write(line.encode("utf-8") + b"\n")
            self.part_rows += 1
        if outcome.reject is not None:
            self._rej.write(encode_row(outcome.reject).encode("utf-8") + b"\n")

    def sync(self) -> dict[str, Any]:
        """Make everything written so far durable; return the positions to record."""
        for f in (self._out, self._rej):
            f.flush()
            os.fsync(f.fileno())
        return {
            "part": self.part,
            "part_rows": self.part_rows,
            "part_bytes": self._out.tell(),
            "rejects_bytes": self._rej.tell(),
        }

    def close(self) -> None:
        self._out.close()
        self._rej.close()

    def parts(self) -> list[Path]:
        return [self.dir / _part_name(k) for k in range(self.part + 1)]


def write_checkpoint(state_dir: Path, data: dict[str, Any]) -> None:
    """Replace ``checkpoint.json`` atomically (write a temporary file, fsync, rename)."""
    tmp = state_dir / "checkpoint.json.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"version": CHECKPOINT_VERSION, **data}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, state_dir / "checkpoint.json")
    dir_fd = os.open(state_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def load_checkpoint(state_dir: Path) -> dict[str, Any] | None:
    path = state_dir / "checkpoint.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot resume: {path} is unreadable ({exc}); start over with --overwrite") from exc
    if data.get("version") != CHECKPOINT_VERSION:
        raise ConfigError(f"cannot resume: {path} was written by another lintseq version; start over with --overwrite")
    return data
