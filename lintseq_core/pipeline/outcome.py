"""What converting one input row produced: encoded output lines, or a reject with its reason.

The worker encodes output rows to JSON itself, so the parent process only writes bytes and
the pipeline costs little next to the sampler. The same function runs in local worker
processes and in Ray actors, which is what makes both engines give identical output.
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lintseq_core.errors import ProgramRejected

if TYPE_CHECKING:
    from lintseq_core.convert import RowConverter

__all__ = ["Outcome", "convert_one", "encode_row", "reject_outcome"]


@dataclass(frozen=True)
class Outcome:
    """The result of one input row, in a form cheap to pickle.

    ``lines``: one JSON line per output row (no trailing newline). ``reject``: the rejects
    row when the program could not be converted. ``edits``: for each sample, the number of
    added lines of each edit (for the summary). ``verify``: with ``--verify``, the sums over
    the samples of (verified sequences, repairs, verifier calls, repairs that deleted the rest).
    """

    index: int
    lines: tuple[str, ...] = ()
    reject: dict[str, Any] | None = None
    edits: tuple[tuple[int, ...], ...] = ()
    seconds: float = 0.0
    verify: tuple[int, int, int, int] = (0, 0, 0, 0)
    shard: str | None = None  # sharded inputs: the shard of the row (index is within it)


def encode_row(record: Mapping[str, Any]) -> str:
    """One output or rejects row as a JSON line (stable key order, UTF-8 kept as is)."""
    return json.dumps(record, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "tolist"):  # numpy arrays and scalars from Arrow-backed rows
        return value.tolist()
    return str(value)


def reject_outcome(index: int, reason: str, detail: str = "", *, line: int | None = None,
                   seconds: float = 0.0, shard: str | None = None) -> Outcome:
    record: dict[str, Any] = {"index": index}
    if shard is not None:
        record["shard"] = shard
    record.update(reason=reason, detail=detail)
    if line is not None:
        record["line"] = line
    return Outcome(index, reject=record, seconds=seconds, shard=shard)


def _added_lines(diff: str) -> int:
    return sum(1 for line in diff.split("\n") if line.startswith("+"))


def convert_one(converter: RowConverter, index: int, row: Any, shard: str | None = None) -> Outcome:
    """Convert one row; every failure becomes a reject with a reason, never an exception.

    ``ProgramRejected`` carries its own reason. Any other exception is a bug in an analyzer
    plugin: it is recorded as ``plugin_error`` with its type, message and the innermost
    frame, so the row is accounted for and the bug can be found.
    """
    start = time.perf_counter()
    try:
        records = converter.convert(row, index, shard)
    except ProgramRejected as exc:
        return reject_outcome(index, exc.reason, exc.detail, seconds=time.perf_counter() - start,
                              shard=shard)
    except RecursionError as exc:
        return reject_outcome(index, "too_deep", f"recursion limit hit: {exc}",
                              seconds=time.perf_counter() - start, shard=shard)
    except Exception as exc:  # noqa: BLE001 - a plugin bug must cost one row, recorded, not the run
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {tb[-1].filename}:{tb[-1].lineno}" if tb else ""
        return reject_outcome(index, "plugin_error", f"{type(exc).__name__}: {exc}{where}",
                              seconds=time.perf_counter() - start, shard=shard)
    lines = tuple(encode_row(r) for r in records)
    edits = tuple(tuple(_added_lines(d) for d in r["edit_path"]) for r in records)
    seqs = [r for r in records if not r.get("subtrajectory")]  # sub-trajectory rows: count once
    verify = (
        sum(1 for r in seqs if r.get("verified")),
        sum(r.get("repairs", 0) for r in seqs),
        sum(r.get("verify_calls", 0) for r in seqs),
        sum(r.get("verify_unresolved", 0) for r in seqs),
    )
    return Outcome(index, lines, None, edits, time.perf_counter() - start, verify, shard)
