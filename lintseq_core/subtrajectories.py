"""D3-style sub-trajectories: (start, end) slices of one LintSeq edit path.

D3 (Piterbarg et al., "D3: A Dataset for Training Code LMs to Act Diff-by-Diff", COLM 2025)
trains on rows that start from a *partial* file: a file state, an instruction, and the diffs
that take the state to a later one. This module draws those slices from an
:class:`~lintseq_core.edits.EditSequence`.

Indices. A sequence of ``m`` edits has ``n = m + 1`` states, numbered ``0..m``: state 0 is
the empty file, state ``m`` the whole program. A sub-trajectory ``(s, e)`` has
``0 <= s < e <= m``; its ``edit_path`` is edits ``s+1..e`` (``path[s:e]`` of the full path).

Start weights (``d3``, D3's rule). With ``n`` states the valid starts are ``0..n-2`` (the
end must come strictly after the start); start 0 has weight ``n - 2`` and every other valid
start weight 1. The other starts then weigh ``n - 2`` together, so exactly half of the
samples start from the empty file (for ``n >= 3``), as the paper says ("about half").
Counting ``n`` as the number of *edits* instead would give start 0 slightly less than half;
we take the definition that matches the stated outcome. With ``n = 2`` (one edit) the only
pair is (0, 1). ``uniform`` gives every valid start weight 1. The end is uniform over
``s+1..m``. Pairs are drawn with replacement, as D3 does: a short path can repeat a pair.

Exactness. Every hunk of edit ``k`` was computed against state ``k-1``, so the slice applies
on top of the start state as it is: resolving ``edit_path`` from ``start_state`` gives
``end_state`` byte for byte (:func:`replay`). State texts here are the resolver's texts
(kept lines joined with ``"\\n"``), not the analyzer's (which adds a final newline to
intermediate states, see :func:`lintseq_core.edits.state_source`); the empty state is ``""``.
A state made of one empty line would also print as ``""``; the sampler never emits one (its
first forward edit always holds a code line).

Seeding. Pair ``k`` of sample ``j`` of input row ``i`` uses a generator seeded by
``(seed, i, j, k)`` only, like :func:`lintseq_core.sampler.rng_for`, so the output does not
depend on the number of workers or the order of rows.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lintseq_core.edits import EditSequence, join_lines, resolve_edit_path
from lintseq_core.errors import ConfigError

__all__ = [
    "START_WEIGHTS",
    "Subtrajectory",
    "replay",
    "sample_pair",
    "sample_subtrajectories",
    "start_weights",
    "subtrajectory",
    "subtrajectory_rng",
    "subtrajectory_rows",
]

START_WEIGHTS = ("d3", "uniform")


def start_weights(num_states: int, scheme: str = "d3") -> list[int]:
    """Weights of the valid start indices ``0..num_states-2`` (see the module docstring)."""
    if num_states < 2:
        raise ValueError(f"a sub-trajectory needs at least 2 states, got {num_states}")
    if scheme == "d3":
        if num_states == 2:
            return [1]
        return [num_states - 2] + [1] * (num_states - 2)
    if scheme == "uniform":
        return [1] * (num_states - 1)
    raise ConfigError(f"unknown start weights {scheme!r}; choose one of: {', '.join(START_WEIGHTS)}")


def subtrajectory_rng(seed: int, index: int | str, sample: int, k: int) -> random.Random:
    """Generator of pair ``k`` of sample ``sample`` of row ``index``: depends on nothing else."""
    digest = hashlib.sha256(f"lintseq-subtrajectory:{seed}:{index}:{sample}:{k}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def sample_pair(num_states: int, rng: random.Random, scheme: str = "d3") -> tuple[int, int]:
    """One (start, end) pair: start by :func:`start_weights`, end uniform after it."""
    weights = start_weights(num_states, scheme)
    start = rng.choices(range(len(weights)), weights=weights, k=1)[0]
    end = rng.randint(start + 1, num_states - 1)
    return start, end


@dataclass(frozen=True)
class Subtrajectory:
    """States ``start`` and ``end`` of a sequence and the diffs between them."""

    start: int
    end: int
    num_states: int
    start_state: str
    end_state: str
    edit_path: tuple[str, ...]


def _state(seq: EditSequence, k: int) -> str:
    return join_lines(seq.lines[i] for i in seq.states[k])


def subtrajectory(seq: EditSequence, start: int, end: int, path: Sequence[str] | None = None) -> Subtrajectory:
    """The slice ``(start, end)`` of ``seq``; ``path`` is its full edit path if already built."""
    n = len(seq.states)
    if not 0 <= start < end <= n - 1:
        raise ValueError(f"need 0 <= start < end <= {n - 1}, got ({start}, {end})")
    full = seq.edit_path if path is None else path
    return Subtrajectory(start, end, n, _state(seq, start), _state(seq, end), tuple(full[start:end]))


def sample_subtrajectories(
    seq: EditSequence,
    count: int,
    *,
    seed: int,
    index: int | str,  # the row's identity ("shard:position" in a sharded input)
    sample: int = 0,
    scheme: str = "d3",
    path: Sequence[str] | None = None,
) -> list[Subtrajectory]:
    """``count`` slices of ``seq``, pair ``k`` seeded by ``(seed, index, sample, k)``.

    ``path`` is ``seq.edit_path`` when the caller has it already (it is rebuilt otherwise).
    """
    path = seq.edit_path if path is None else path
    n = len(seq.states)
    out = []
    for k in range(count):
        start, end = sample_pair(n, subtrajectory_rng(seed, index, sample, k), scheme)
        out.append(subtrajectory(seq, start, end, path))
    return out


def replay(start_state: str, edit_path: Sequence[str], *, strict: bool = True) -> str:
    """Apply ``edit_path`` on top of ``start_state`` (``""`` is the empty file)."""
    return resolve_edit_path(edit_path, strict=strict, start=start_state)


def subtrajectory_rows(
    record: Mapping[str, Any],
    seq: EditSequence,
    count: int,
    *,
    seed: int,
    index: int | str,  # the row's identity ("shard:position" in a sharded input)
    sample: int,
    scheme: str = "d3",
) -> list[dict[str, Any]]:
    """Output rows of one sampled sequence: ``record`` with its path replaced by each slice.

    Each row keeps every field of ``record`` (program, instruction, language, counters of
    the whole sequence) and gets ``subtrajectory`` (k), ``start_index``, ``end_index``,
    ``num_states``, ``start_state``, ``end_state`` and the slice's ``edit_path``.
    """
    rows = []
    path = record.get("edit_path")
    if not (isinstance(path, list) and len(path) == len(seq.states) - 1):
        path = None
    for k, sub in enumerate(sample_subtrajectories(seq, count, seed=seed, index=index,
                                                   sample=sample, scheme=scheme, path=path)):
        ids = {"subtrajectory": k, "start_index": sub.start, "end_index": sub.end,
               "num_states": sub.num_states}
        texts = {"start_state": sub.start_state, "edit_path": list(sub.edit_path),
                 "end_state": sub.end_state}
        row: dict[str, Any] = {}
        for key, value in record.items():  # new fields sit beside the ones they explain
            row.update(texts if key == "edit_path" else {key: value})
            if key == "sample":
                row.update(ids)
        for f, v in (*ids.items(), *texts.items()):
            row.setdefault(f, v)
        rows.append(row)
    return rows
