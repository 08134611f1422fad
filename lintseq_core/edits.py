"""Insertion edits: forward diffs from sampled line sets, their resolution, training text.

A program is a list of lines: ``text.split("\\n")``. Joining them with ``"\\n"`` gives the
text back byte for byte (CRLF lines keep their ``"\\r"``, a final newline is an empty last
line), which is what makes the round trip exact.

Diffs use the reference's format: a unified diff with zero context lines and no ``---`` /
``+++`` header, e.g. ``"@@ -2,0 +3,2 @@\\n+a\\n+b"``. Every hunk is an insertion. Hunks are
built from the line indices the sampler kept, never by re-diffing two texts (difflib
misaligns repeated lines and would emit deletions).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lintseq_core.errors import DiffError

__all__ = [
    "DIFF_TOKEN",
    "EditSequence",
    "apply_diff",
    "baseline_prompt",
    "edit_path_from_states",
    "format_baseline_text",
    "format_training_text",
    "hunk_header",
    "join_lines",
    "parse_diff",
    "render_edit_path",
    "resolve_edit_path",
    "split_generated_edits",
    "split_lines",
    "state_source",
    "training_prompt",
]

DIFF_TOKEN = "<|diff|>"

_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def split_lines(text: str) -> list[str]:
    """Lines of ``text`` such that ``"\\n".join`` gives it back exactly."""
    return text.split("\n")


def join_lines(lines: Iterable[str]) -> str:
    return "\n".join(lines)


def state_source(lines: Sequence[str], kept: Sequence[int]) -> str:
    """Text of the program made of the ``kept`` lines (sorted indices), for analysis.

    Each kept line keeps its own terminator: every line but the original's last ends in
    ``"\n"``. So an intermediate state ends with a newline even though its last line was not
    the last of the file — otherwise a CRLF line would leave a lone ``"\r"`` at the end,
    which linters (pylint E2511) and compilers flag although the program never had one.
    The resolver's text differs only by that final newline.
    """
    text = "\n".join(lines[i] for i in kept)
    if kept and kept[-1] != len(lines) - 1:
        text += "\n"
    return text


def _unified_range(start: int, length: int) -> str:
    """Range of a unified-diff header, as difflib writes it (``start`` is 0-based)."""
    if length == 1:
        return f"{start + 1}"
    if length == 0:
        return f"{start},0"
    return f"{start + 1},{length}"


def hunk_header(old_start: int, new_start: int, length: int) -> str:
    """Header of an insertion of ``length`` lines after ``old_start`` old lines (0-based)."""
    return f"@@ -{_unified_range(old_start, 0)} +{_unified_range(new_start, length)} @@"


def _insertion_diff(lines: Sequence[str], before: Sequence[int], after: Sequence[int]) -> str:
    """Diff from the state ``before`` to ``after`` (sorted line indices, before ⊂ after)."""
    kept = set(before)
    hunks: list[str] = []
    old_pos = 0  # lines of ``before`` passed so far
    run: list[int] = []
    run_new_start = 0

    def flush() -> None:
        hunks.append(hunk_header(old_pos, run_new_start, len(run)))
        hunks.extend("+" + lines[i] for i in run)

    for new_pos, idx in enumerate(after):
        if idx in kept:
            if run:
                flush()
                run = []
            old_pos += 1
        else:
            if not run:
                run_new_start = new_pos
            run.append(idx)
    if run:
        flush()
    return "\n".join(hunks)


def edit_path_from_states(lines: Sequence[str], states: Sequence[Sequence[int]]) -> list[str]:
    """Forward diffs between consecutive states (each a sorted list of kept line indices).

    ``states`` runs from the first (usually empty) state to the full program; consecutive
    states must be strictly growing subsets, which is checked.
    """
    diffs = []
    for before, after in itertools.pairwise(states):
        if not set(before) < set(after):
            raise DiffError("edit states must be strictly growing subsets of lines")
        diffs.append(_insertion_diff(lines, sorted(before), sorted(after)))
    return diffs


@dataclass(frozen=True)
class Hunk:
    old_start: int
    old_len: int
    new_start: int
    new_len: int
    added: tuple[str, ...]
    removed: tuple[str, ...] = ()


def parse_diff(diff: str, *, strict: bool = True) -> list[Hunk]:
    """Parse one diff into hunks.

    Strict mode accepts exactly what :func:`edit_path_from_states` writes (insertions with
    consistent counts) and raises :class:`DiffError` otherwise. Lenient mode reads model
    output: it skips junk lines, tolerates wrong counts and ``-``/context lines, and drops
    a hunk whose header does not parse.
    """
    hunks: list[Hunk] = []
    cur: dict | None = None
    for n, line in enumerate(diff.split("\n"), 1):
        m = _HUNK_HEADER.match(line)
        if m:
            if cur is not None:
                hunks.append(_close_hunk(cur, strict))
            a, alen, b, blen = m.groups()
            cur = {
                "old_start": int(a),
                "old_len": 1 if alen is None else int(alen),
                "new_start": int(b),
                "new_len": 1 if blen is None else int(blen),
                "added": [],
                "removed": [],
                "line": n,
            }
            continue
        if line.startswith(("---", "+++")) and cur is None:
            continue  # a header from a regular unified diff
        if cur is None:
            if strict and line:
                raise DiffError(f"line {n} is outside any hunk: {line[:60]!r}")
            continue
        if line.startswith("+"):
            cur["added"].append(line[1:])
        elif line.startswith("-"):
            if strict:
                raise DiffError(f"line {n}: deletions are not allowed in an insertion edit")
            cur["removed"].append(line[1:])
        elif line.startswith("\\"):
            continue  # "\ No newline at end of file"
        elif strict:
            raise DiffError(f"line {n}: expected '+' line or hunk header, got {line[:60]!r}")
    if cur is not None:
        hunks.append(_close_hunk(cur, strict))
    if strict and not hunks:
        raise DiffError("diff has no hunk")
    return hunks


def _close_hunk(cur: dict, strict: bool) -> Hunk:
    if strict:
        if not cur["added"]:
            raise DiffError(f"hunk at line {cur['line']} inserts nothing")
        if cur["old_len"] != 0:
            raise DiffError(f"hunk at line {cur['line']} is not a pure insertion (old length {cur['old_len']})")
        if cur["new_len"] != len(cur["added"]):
            raise DiffError(
                f"hunk at line {cur['line']} announces {cur['new_len']} lines but has {len(cur['added'])}"
            )
    return Hunk(
        cur["old_start"], cur["old_len"], cur["new_start"], cur["new_len"],
        tuple(cur["added"]), tuple(cur["removed"]),
    )


def apply_diff(lines: list[str], diff: str, *, strict: bool = True) -> list[str]:
    """Apply one insertion diff to a state given as lines; return the new lines."""
    hunks = parse_diff(diff, strict=strict)
    out = list(lines)
    offset = 0
    for h in hunks:
        # Insert after ``old_start`` lines of the old state (0 means at the top).
        pos = h.old_start + offset if h.old_len == 0 else h.old_start - 1 + offset
        if not strict and h.old_len != 0 and not h.removed:
            # A model wrote an insertion without ",0": the new-side start says where it goes.
            pos = h.new_start - 1
        if strict:
            if not 0 <= pos <= len(out):
                raise DiffError(f"hunk @@ -{h.old_start},0 points past the end ({len(lines)} lines)")
            if h.new_start - 1 != pos:
                raise DiffError(
                    f"hunk @@ -{h.old_start},0 +{h.new_start} is inconsistent with earlier hunks"
                )
        pos = min(max(pos, 0), len(out))
        if h.removed:  # lenient: honour deletions that match
            end = pos + len(h.removed)
            if out[pos:end] == list(h.removed):
                del out[pos:end]
                offset -= len(h.removed)
        out[pos:pos] = h.added
        offset += len(h.added)
    return out


def resolve_edit_path(diffs: Sequence[str], *, strict: bool = True, start: str = "") -> str:
    """Apply a sequence of diffs to ``start`` (the empty program by default); return the text.

    Strict mode raises :class:`DiffError` on anything malformed; lenient mode (for model
    output, as the reference's ``resolve_edit_path``) skips what it cannot read. A non-empty
    ``start`` is a partial program (a D3 sub-trajectory's start state): its lines are
    ``split_lines(start)``; ``""`` means no lines at all.
    """
    lines: list[str] = split_lines(start) if start else []
    for k, diff in enumerate(diffs):
        try:
            lines = apply_diff(lines, diff, strict=strict)
        except DiffError as exc:
            raise DiffError(f"edit {k}: {exc}") from exc
    return join_lines(lines)


def training_prompt(instruction: str) -> str:
    """The prompt of an edit-sequence example; generation continues after it."""
    return instruction + "\n" + "\n" + DIFF_TOKEN


def format_training_text(instruction: str, edit_path: Sequence[str]) -> str:
    """Training text in the reference's format (without EOS, which the tokenizer adds).

    ``instruction + "\\n" + "\\n<|diff|>".join(["", *edits, "", ""])``; the part before and
    including the first ``<|diff|>`` is :func:`training_prompt`.
    """
    return instruction + "\n" + ("\n" + DIFF_TOKEN).join(["", *edit_path, "", ""])


@dataclass(frozen=True)
class EditSequence:
    """One sampled edit sequence of a program: its lines and forward states."""

    lines: tuple[str, ...]
    states: tuple[tuple[int, ...], ...]  # forward: first is empty, last is every line

    @property
    def edit_path(self) -> list[str]:
        return edit_path_from_states(self.lines, self.states)

    @property
    def program(self) -> str:
        return join_lines(self.lines)

    def state_text(self, k: int) -> str:
        """Text of state ``k`` as analyzers see it (see :func:`state_source`)."""
        return state_source(self.lines, self.states[k])


def render_edit_path(diffs: Sequence[str], *, color: bool = False) -> str:
    """Readable rendering of an edit path for humans (``lintseq-core show``)."""
    bold, green, cyan, reset = ("\x1b[1m", "\x1b[32m", "\x1b[36m", "\x1b[0m") if color else ("",) * 4
    out = []
    for k, diff in enumerate(diffs, 1):
        out.append(f"{bold}── edit {k}/{len(diffs)} {'─' * 40}{reset}")
        for line in diff.split("\n"):
            if line.startswith("@@"):
                out.append(f"{cyan}{line}{reset}")
            elif line.startswith("+"):
                out.append(f"{green}{line}{reset}")
            else:
                out.append(line)
    return "\n".join(out)


def baseline_prompt(instruction: str) -> str:
    """The prompt of a whole-program (baseline) example."""
    return instruction + "\n"


def format_baseline_text(instruction: str, program: str) -> str:
    """Training text of the whole-program baseline (without EOS)."""
    return baseline_prompt(instruction) + program


def split_generated_edits(completion: str) -> list[str]:
    """Diffs a model wrote after :func:`training_prompt`, in order.

    The completion looks like ``"e1\\n<|diff|>e2\\n<|diff|>\\n<|diff|>"`` (possibly cut
    short): split on the diff token, drop the newline before each token and empty pieces.
    """
    pieces = completion.split(DIFF_TOKEN)
    out = []
    for piece in pieces:
        if piece.endswith("\n"):
            piece = piece[:-1]
        if piece.strip():
            out.append(piece)
    return out
