"""Measures shared by the Python benchmark: fidelity, round trip, insertion-only edits.

A sequence is described the same way for the reference and for lintseq: the original's
lines and, for each intermediate state, the sorted indices of the lines it keeps. A state
is *clean* when pylint under the reference rules reports no error that the original
program does not already have, an error being keyed by (code, statement head line, message
with numbers blanked) — the sampler's own key — so that it survives the line shifts of deletion.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lintseq_python.pylint_analyzer import analyze_pylint
from lintseq_python.structure import python_structure

from lintseq_core.edits import DiffError, parse_diff, resolve_edit_path, state_source

__all__ = ["Tally", "baseline_errors", "dirty_states", "insertion_only", "round_trips"]


_DIGITS = re.compile(r"\d+")


def _key(code: str, line: int, message: str) -> tuple[str, int, str]:
    return (code, line, _DIGITS.sub("#", message))


def _owner(lines: Sequence[str]) -> tuple[int, ...]:
    return python_structure(lines).owner


def baseline_errors(lines: Sequence[str]) -> set[tuple[str, int, str]]:
    """Key of every reference-rule error of the original program."""
    owner = _owner(lines)
    out = set()
    for d in analyze_pylint("\n".join(lines)):
        out.add(_key(d.code, owner[d.line - 1] if 1 <= d.line <= len(lines) else -1, d.message))
    return out


def dirty_states(
    lines: Sequence[str], states: Sequence[Sequence[int]], *, terminated: bool
) -> tuple[int, list[str]]:
    """How many intermediate states have new reference-rule errors, and what they are.

    ``terminated``: read each state as lintseq's sampler analyses it, every kept line with
    its own line terminator (:func:`lintseq_core.edits.state_source`); otherwise as the
    reference does, the kept lines joined by ``"\n"`` (a CRLF state then ends in a lone
    ``"\r"``, which pylint reports and the reference deletes lines for).
    """
    owner = _owner(lines)
    baseline = baseline_errors(lines)
    dirty = 0
    found: list[str] = []
    for kept in states:
        text = state_source(lines, kept) if terminated else "\n".join(lines[i] for i in kept)
        new = []
        for d in analyze_pylint(text):
            key = _key(d.code, owner[kept[d.line - 1]] if 1 <= d.line <= len(kept) else -1, d.message)
            if key not in baseline:
                new.append(f"{d.code} {d.message}")
        if new:
            dirty += 1
            found.extend(new)
    return dirty, found


def round_trips(diffs: Sequence[str], program: str) -> bool:
    """Resolving the diffs (leniently, as for model output) gives the program byte for byte."""
    try:
        return resolve_edit_path(diffs, strict=False) == program
    except DiffError:
        return False


def insertion_only(diffs: Sequence[str]) -> bool:
    """Every hunk is a well-formed pure insertion."""
    try:
        return all(h.old_len == 0 and not h.removed for d in diffs for h in parse_diff(d, strict=True))
    except DiffError:
        return False


@dataclass
class Tally:
    """Counters of one method (the reference or one analyzer) over the corpus."""

    name: str
    programs: int = 0
    failed: int = 0
    cpu_s: float = 0.0
    wall_s: float = 0.0
    edits: int = 0
    single_edit: int = 0
    round_trip: int = 0
    insertion: int = 0
    states: int = 0
    dirty: int = 0
    examples: list[str] = field(default_factory=list)

    def row(self) -> dict[str, object]:
        n = max(self.programs, 1)
        return {
            "method": self.name,
            "programs": self.programs,
            "failed": self.failed,
            "programs/s (cpu)": round(self.programs / self.cpu_s, 2) if self.cpu_s else None,
            "programs/s (wall)": round(self.programs / self.wall_s, 2) if self.wall_s else None,
            "mean edits": round(self.edits / n, 2),
            "single-edit %": round(100 * self.single_edit / n, 1),
            "round trip %": round(100 * self.round_trip / n, 1),
            "insertion-only %": round(100 * self.insertion / n, 1),
            "states": self.states,
            "clean states %": round(100 * (1 - self.dirty / self.states), 2) if self.states else None,
        }
