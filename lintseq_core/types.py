"""Value types shared by the core and the plugins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["AnalyzerInfo", "Diagnostic", "Language", "ProgramStructure"]


@dataclass(frozen=True)
class Language:
    """A language a plugin declares.

    ``name`` is the canonical lower-case name users pass to ``--lang``; ``aliases``,
    ``extensions`` (with the dot, e.g. ``".py"``) and ``fence_tags`` (markdown info strings)
    let the host resolve other spellings and detect the language of files and answers.
    """

    name: str
    aliases: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    fence_tags: tuple[str, ...] = ()
    default_analyzer: str | None = None


@dataclass(frozen=True)
class AnalyzerInfo:
    """An analyzer (linter) a plugin offers for one language.

    ``kind`` is ``"fast"`` for in-process analyzers and ``"compiler"`` / ``"reference"`` for
    slow faithful ones that can serve as an oracle. ``available`` is a zero-argument callable
    that returns ``None`` when the analyzer can run here, or a message saying how to install
    what is missing.
    """

    name: str
    language: str
    description: str = ""
    kind: str = "fast"
    version: str = ""
    available: Callable[[], str | None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Diagnostic:
    """One error an analyzer reports for a program state.

    ``line`` is 1-based in the analyzed text; a line outside the text (``0`` or past the
    end) means "the whole file" and maps to no line. ``syntax`` marks errors that mean the
    text does not parse at all: an original program with such an error is rejected.
    """

    line: int
    code: str
    message: str = ""
    syntax: bool = False


@dataclass(frozen=True)
class ProgramStructure:
    """What the sampler needs to know about the lines of an original program.

    All indices are 0-based into the program's lines.

    * ``candidates``: lines that may be sampled on their own (not blank, not comment-only,
      not a continuation of another line).
    * ``children``: for each line, the lines that structurally depend on it (its block and
      its continuation lines), deleted together with it.
    * ``depths``: nesting depth of each line (0 = top level), for the depth-biased choice;
      fractional depths are allowed (the reference weighs indentation / indent width).
    * ``owner``: for each line, the line a diagnostic on it is charged to (the head of a
      multi-line statement; the line itself otherwise).
    """

    candidates: tuple[int, ...]
    children: tuple[tuple[int, ...], ...]
    depths: tuple[float, ...]
    owner: tuple[int, ...]

    def __post_init__(self) -> None:
        n = len(self.depths)
        if len(self.children) != n or len(self.owner) != n:
            raise ValueError(
                f"ProgramStructure: children ({len(self.children)}), depths ({n}) and "
                f"owner ({len(self.owner)}) must have one entry per line"
            )

    @classmethod
    def flat(cls, lines: list[str] | tuple[str, ...]) -> ProgramStructure:
        """No blocks: every non-blank line is a candidate of depth 0."""
        n = len(lines)
        return cls(
            candidates=tuple(i for i, s in enumerate(lines) if s.strip()),
            children=((),) * n,
            depths=(0,) * n,
            owner=tuple(range(n)),
        )
