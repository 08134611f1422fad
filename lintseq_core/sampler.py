"""LintSeq backward sampling (Piterbarg et al., 2025, §3) and the random-deletion ablation.

The samplers talk to languages only through the plugin host: the structure of the original
program (blocks, sampleable lines, depths) and the diagnostics of each intermediate state.
Nothing here knows about any particular language.

Backward sampling, per program: pick a remaining candidate line (weighted towards deeper
nesting), delete it with its block, lint what is left, delete every line the linter flags
(with their blocks), re-lint, until the state is clean or nothing new can be deleted. That
set of lines is one edit. Repeat until no candidate line remains; what is left (comments,
blank lines) is removed last — blank lines alone join the last deletion instead, so no edit
inserts only blank lines. Reversing the chain gives insertion edits whose every
intermediate program lints clean.

Verification (``verify=True``): once the fast analyzer accepts the state an edit leaves,
a slow faithful analyzer (the language's compiler, or pylint for Python) checks it too;
errors it finds that the original lacks extend the deletion exactly as the fast analyzer's
do, and the loop runs again (fast analyzer, then verifier) until the verifier accepts. An
error the verifier cannot charge to a remaining line deletes the rest of the program, so
every emitted state is accepted by the verifier by construction.
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lintseq_core.edits import EditSequence, split_lines, state_source
from lintseq_core.errors import ConfigError, ProgramRejected

if TYPE_CHECKING:
    from lintseq_core.host import PluginHost
    from lintseq_core.types import AnalyzerInfo, Diagnostic, ProgramStructure

__all__ = [
    "SAMPLERS",
    "LintSeqSampler",
    "PreparedProgram",
    "RandomSampler",
    "SampleStats",
    "error_identity",
    "make_sampler",
    "resolve_verifier",
    "rng_for",
    "sample_many",
    "state_texts",
]


_DIGITS = re.compile(r"\d+")


def error_identity(d: Diagnostic) -> tuple[str, str]:
    """What an error is across states of one program: its code and its message with numbers
    blanked (they may be line numbers, which an edit shifts). Lint-guided decoding uses it too."""
    return (d.code, _DIGITS.sub("#", d.message))


def _baseline_key(d: Diagnostic, line: int) -> tuple[str, int, str]:
    """Identity of an error across states, with the original line it is charged to."""
    code, message = error_identity(d)
    return (code, line, message)


def rng_for(seed: int, index: int | str, sample: int) -> random.Random:
    """A generator that depends only on (seed, row, sample): output is the same whatever
    the number of workers or the order in which rows are processed. ``index`` is the row's
    identity: its position, or ``"shard:position"`` in a sharded input."""
    digest = hashlib.sha256(f"lintseq:{seed}:{index}:{sample}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


@dataclass(frozen=True)
class PreparedProgram:
    """An original program analysed once, shared by all the samples drawn from it."""

    lines: tuple[str, ...]
    structure: ProgramStructure
    baseline: frozenset[tuple[str, int, str]]  # errors the original already has
    weights: tuple[float, ...]
    # errors the original already has according to the verifier (empty without --verify)
    verifier_baseline: frozenset[tuple[str, int, str]] = frozenset()


@dataclass
class SampleStats:
    """Counters of one sample, reported in summaries."""

    lint_calls: int = 0
    unresolved: int = 0  # diagnostics that mapped to no remaining line (accepted as is)
    seconds: float = 0.0
    edits: int = 0
    verify_calls: int = 0  # calls of the verifier (the compiler), not counted in lint_calls
    repairs: int = 0  # edits the verifier had to extend: the fast analyzer's misses
    verify_unresolved: int = 0  # repairs that deleted the rest (an error on no line)


@dataclass
class _Budget:
    deadline: float | None = None
    max_lint_calls: int | None = None
    stats: SampleStats = field(default_factory=SampleStats)

    def tick(self, *, verify: bool = False) -> None:
        """Count one analyzer call; the budget covers fast and verifier calls together."""
        if verify:
            self.stats.verify_calls += 1
        else:
            self.stats.lint_calls += 1
        calls = self.stats.lint_calls + self.stats.verify_calls
        if self.max_lint_calls is not None and calls > self.max_lint_calls:
            raise ProgramRejected("too_many_lint_calls", f"more than {self.max_lint_calls}")
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise ProgramRejected("timeout", "per-program time limit reached")


def resolve_verifier(host: PluginHost, language: str, name: str | None = None) -> AnalyzerInfo:
    """The analyzer that verifies every state: ``name``, else the language's compiler.

    Without a name the first available analyzer of kind ``compiler`` is chosen, else one of
    kind ``reference`` (pylint for Python). A missing toolchain is one :class:`ConfigError`
    that says how to install it.
    """
    lang = host.language(language).name
    if name is not None:
        return host.analyzer(lang, name)
    analyzers = host.analyzers(lang)
    for kind in ("compiler", "reference"):
        found = [a for a in analyzers.values() if a.kind == kind]
        if not found:
            continue
        problems = []
        for info in found:
            problem = info.available() if info.available is not None else None
            if problem is None:
                return info
            problems.append(f"{info.name}: {problem}")
        raise ConfigError(
            f"--verify needs the {kind} analyzer of {lang}, which cannot run here ("
            + "; ".join(problems) + "); install it, or choose another with --verify-analyzer"
        )
    raise ConfigError(
        f"--verify: language {lang!r} has no compiler-backed analyzer (analyzers: "
        f"{', '.join(analyzers) or 'none'}); name one with --verify-analyzer"
    )


class _BaseSampler:
    name = "base"
    supports_verify = False

    def __init__(
        self,
        host: PluginHost,
        language: str,
        analyzer: str | None = None,
        *,
        reference_rules: bool = False,
        indent_bias: float = 1.0,
        max_lint_calls: int | None = None,
        verify: bool = False,
        verify_analyzer: str | None = None,
    ) -> None:
        self.host = host
        self.language = host.language(language).name
        self.analyzer = host.analyzer(self.language, analyzer).name
        self.verifier: str | None = None
        if verify_analyzer is not None and not verify:
            raise ConfigError("--verify-analyzer needs --verify")
        if verify:
            if not self.supports_verify:
                raise ConfigError(
                    f"--verify does not work with the {self.name} sampler: it deletes lines "
                    "without consulting any analyzer, so there is no deletion to extend; "
                    "use --sampler lintseq"
                )
            self.verifier = resolve_verifier(host, self.language, verify_analyzer).name
        self.reference_rules = reference_rules
        if indent_bias < 0:
            raise ConfigError(f"indent bias must be >= 0, got {indent_bias}")
        self.indent_bias = indent_bias
        self.max_lint_calls = max_lint_calls

    # ---- preparation (once per program) -----------------------------------------------
    def prepare(self, code: str) -> PreparedProgram:
        """Analyse the original program; raise :class:`ProgramRejected` if it cannot be used."""
        if not isinstance(code, str):
            raise ProgramRejected("not_a_string", f"program is {type(code).__name__}, not text")
        if not code.strip():
            raise ProgramRejected("empty_program", "no code in the program")
        lines = tuple(split_lines(code))
        structure = self.host.structure(self.language, self.analyzer, lines, self.reference_rules)
        if len(structure.depths) != len(lines):
            raise ProgramRejected(
                "plugin_error",
                f"{self.language}/{self.analyzer} described {len(structure.depths)} lines of {len(lines)}",
            )
        if not structure.candidates:
            raise ProgramRejected("no_code_lines", "only comments or blank lines")
        diagnostics = self.host.analyze(self.language, self.analyzer, code)
        for d in diagnostics:
            if d.syntax:
                raise ProgramRejected("syntax_error", f"line {d.line}: {d.code} {d.message}".strip())
        baseline = self._baseline(diagnostics, structure, len(lines))
        verifier_baseline: frozenset[tuple[str, int, str]] = frozenset()
        if self.verifier is not None:
            # The verifier's own errors of the original (e.g. a call into a library that is
            # not installed) are not the edit's fault, as with the fast analyzer.
            verified = self.host.analyze(self.language, self.verifier, code)
            verifier_baseline = self._baseline(verified, structure, len(lines))
        bias = self.indent_bias
        weights = tuple(1.0 if depth == 0 else max(depth * bias, 1e-12) for depth in structure.depths)
        if bias == 0:
            weights = (1.0,) * len(lines)
        return PreparedProgram(lines, structure, baseline, weights, verifier_baseline)

    def _baseline(
        self, diagnostics: list[Diagnostic], structure: ProgramStructure, n: int
    ) -> frozenset[tuple[str, int, str]]:
        """Keys of the original's errors; none under reference rules (every error counts)."""
        if self.reference_rules:
            return frozenset()
        return frozenset(
            _baseline_key(d, structure.owner[d.line - 1] if 1 <= d.line <= n else -1)
            for d in diagnostics
        )

    def sample(
        self, program: PreparedProgram, rng: random.Random, *, deadline: float | None = None
    ) -> tuple[EditSequence, SampleStats]:
        """Draw one edit sequence (forward states from empty to the full program)."""
        start = time.monotonic()
        budget = _Budget(deadline, self.max_lint_calls)
        n = len(program.lines)
        alive = [True] * n
        candidates = sorted(set(program.structure.candidates))
        deletions: list[list[int]] = []
        while True:
            pool = [i for i in candidates if alive[i]]
            if not pool:
                break
            edit = self._one_edit(program, alive, pool, rng, budget)
            for i in edit:
                alive[i] = False
            deletions.append(sorted(edit))
        leftover = [i for i in range(n) if alive[i]]
        if leftover and deletions and not any(program.lines[i].strip() for i in leftover):
            # Only blank lines are left (e.g. the empty line after a final newline): they
            # join the first forward edit instead of making an edit of their own.
            deletions[-1] = sorted([*deletions[-1], *leftover])
        elif leftover:
            deletions.append(leftover)
        # Forward states: empty, then add back deletions in reverse order.
        states: list[tuple[int, ...]] = [()]
        present: set[int] = set()
        for edit in reversed(deletions):
            present.update(edit)
            states.append(tuple(sorted(present)))
        budget.stats.seconds = time.monotonic() - start
        budget.stats.edits = len(deletions)
        return EditSequence(program.lines, tuple(states)), budget.stats

    def _one_edit(
        self,
        program: PreparedProgram,
        alive: list[bool],
        pool: list[int],
        rng: random.Random,
        budget: _Budget,
    ) -> set[int]:
        raise NotImplementedError


class LintSeqSampler(_BaseSampler):
    """The LintSeq sampler: depth-biased choice, blocks, fixed-point re-linting."""

    name = "lintseq"
    supports_verify = True

    def _one_edit(self, program, alive, pool, rng, budget):  # type: ignore[override]
        structure = program.structure
        pick = rng.choices(pool, weights=[program.weights[i] for i in pool], k=1)[0]
        edit: set[int] = set()
        frontier = {pick}
        repaired = False
        # Every round adds at least one line to the edit or ends it, so the loop stops
        # after at most as many rounds as the program has lines.
        while frontier:
            stack = list(frontier)
            while stack:
                i = stack.pop()
                if i in edit or not alive[i]:
                    continue
                edit.add(i)
                stack.extend(structure.children[i])
            kept = [i for i in range(len(alive)) if alive[i] and i not in edit]
            if not kept:
                break
            source = state_source(program.lines, kept)
            budget.tick()
            diagnostics = self.host.analyze(self.language, self.analyzer, source)
            frontier, unresolved = _frontier(diagnostics, program.baseline, structure, kept, alive, edit)
            budget.stats.unresolved += unresolved
            if frontier or self.verifier is None:
                continue
            # The fast analyzer accepts this state: the verifier must accept it too.
            if self.verifier != self.analyzer:
                budget.tick(verify=True)
                diagnostics = self.host.analyze(self.language, self.verifier, source)
            frontier, unresolved = _frontier(
                diagnostics, program.verifier_baseline, structure, kept, alive, edit
            )
            if frontier or unresolved:
                repaired = True
            if unresolved and not frontier:
                # An error the verifier charges to no remaining line: only deleting the
                # rest of the program keeps the broken state out of the sequence.
                edit.update(kept)
                budget.stats.verify_unresolved += 1
        if repaired:
            budget.stats.repairs += 1
        return edit


def _frontier(
    diagnostics: list[Diagnostic],
    baseline: frozenset[tuple[str, int, str]],
    structure: ProgramStructure,
    kept: list[int],
    alive: list[bool],
    edit: set[int],
) -> tuple[set[int], int]:
    """Lines to delete next for the new errors of a state, and how many errors map nowhere.

    A diagnostic is charged to the owner of its line (the head of a multi-line statement)
    unless that owner is gone. Only lines not deleted yet are returned, so an empty frontier
    means nothing more can be done for this state.
    """
    frontier: set[int] = set()
    unresolved = 0
    for d in diagnostics:
        if not 1 <= d.line <= len(kept):
            if _baseline_key(d, -1) not in baseline:
                unresolved += 1
            continue
        line = kept[d.line - 1]
        owner = structure.owner[line]
        if _baseline_key(d, owner) in baseline:
            continue
        frontier.add(owner if alive[owner] and owner not in edit else line)
    return frontier - edit, unresolved


class RandomSampler(_BaseSampler):
    """The linter ablation: delete a uniformly random subset of the remaining lines."""

    name = "random"

    def _one_edit(self, program, alive, pool, rng, budget):  # type: ignore[override]
        budget.tick()
        k = rng.randint(1, len(pool))
        return set(rng.sample(pool, k))


SAMPLERS: dict[str, type[_BaseSampler]] = {"lintseq": LintSeqSampler, "random": RandomSampler}


def make_sampler(
    host: PluginHost,
    language: str,
    analyzer: str | None = None,
    sampler: str = "lintseq",
    **options: object,
) -> _BaseSampler:
    """Build a sampler by name (``lintseq`` or ``random``) for a language and analyzer."""
    cls = SAMPLERS.get(sampler)
    if cls is None:
        raise ConfigError(f"unknown sampler {sampler!r}; choose one of: {', '.join(SAMPLERS)}")
    return cls(host, language, analyzer, **options)  # type: ignore[arg-type]


def sample_many(
    sampler: _BaseSampler,
    code: str,
    *,
    seed: int,
    index: int,
    samples: int = 1,
    deadline: float | None = None,
) -> list[tuple[EditSequence, SampleStats]]:
    """Prepare ``code`` once and draw ``samples`` sequences seeded by (seed, index, k)."""
    program = sampler.prepare(code)
    return [
        sampler.sample(program, rng_for(seed, index, k), deadline=deadline) for k in range(samples)
    ]


def state_texts(seq: EditSequence) -> Sequence[str]:
    """Every intermediate program of a sequence (excluding the empty start and the end)."""
    return [seq.state_text(k) for k in range(1, len(seq.states) - 1)]
