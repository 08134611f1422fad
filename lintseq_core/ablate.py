"""Cross-language ablation: samplers × languages on a dataset, judged by an oracle.

For each language and each sampler (LintSeq with one analyzer, or random deletion) it
converts every program and reports: programs converted, edits per program, lines per edit,
the byte-exact round-trip rate, the share of intermediate states that the language's
oracle (its compiler-backed or reference analyzer) accepts, and programs per second in one
process. A state counts as accepted when the oracle reports no error that the original
did not have; only programs the oracle accepts whole are counted for that share.

Nothing here knows a language or a benchmark: analyzers and oracles come from the plugin
host, benchmark formats from the dataset readers of the ``lintseq.ablation_datasets``
entry-point group (the evaluation stack's reads HumanEval-X; see docs/evaluation.md).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lintseq_core.datasets import READERS_GROUP, DatasetReader, dataset_readers
from lintseq_core.edits import resolve_edit_path
from lintseq_core.errors import ConfigError, ProgramRejected
from lintseq_core.sampler import make_sampler, sample_many, state_texts

if TYPE_CHECKING:
    import argparse

    from lintseq_core.host import PluginHost

__all__ = [
    "READERS_GROUP",
    "AblationRow",
    "DatasetReader",
    "Program",
    "SamplerSpec",
    "dataset_readers",
    "load_programs",
    "oracle_for",
    "parse_sampler",
    "read_csv",
    "run_ablation",
    "write_csv",
    "write_failures",
    "write_figures",
    "write_markdown",
]

@dataclass(frozen=True)
class Program:
    """One program of the dataset."""

    id: str
    language: str
    code: str


@dataclass(frozen=True)
class SamplerSpec:
    """``lintseq:<analyzer>`` or ``random``."""

    sampler: str
    analyzer: str | None = None

    @property
    def label(self) -> str:
        return f"{self.sampler}:{self.analyzer}" if self.analyzer else self.sampler


@dataclass
class AblationRow:
    """One line of the ablation table."""

    language: str
    sampler: str
    analyzer_kind: str
    oracle: str
    programs: int = 0
    rejected: int = 0
    edits_mean: float = 0.0
    edits_median: float = 0.0
    lines_per_edit: float = 0.0
    lines_mean: float = 0.0
    roundtrip: float = 0.0
    oracle_programs: int = 0
    states: int = 0
    states_accepted: int = 0
    acceptance: float = float("nan")
    seconds: float = 0.0
    programs_per_s: float = 0.0
    cpu_seconds: float = 0.0  # this process and its children (compilers), during sampling
    programs_per_cpu_s: float = 0.0
    repairs: int = 0  # with --verify: edits the compiler had to extend (the fast analyzer's misses)
    verify_calls: int = 0
    reject_reasons: dict[str, int] = field(default_factory=dict)
    edits: list[int] = field(default_factory=list, repr=False)
    failures: list[dict] = field(default_factory=list, repr=False)


def parse_sampler(text: str) -> SamplerSpec:
    """``random``, ``lintseq`` (default analyzer) or ``lintseq:<analyzer>``."""
    name, _, analyzer = text.partition(":")
    if name not in ("lintseq", "random"):
        raise ConfigError(f"unknown sampler {text!r}: use random, lintseq or lintseq:<analyzer>")
    return SamplerSpec(name, analyzer or None)


# ---- data -------------------------------------------------------------------------------
def load_programs(
    host: PluginHost,
    dataset: Path,
    languages: Sequence[str],
    limit: int | None = None,
    *,
    readers: Sequence[DatasetReader] | None = None,
    options: argparse.Namespace | None = None,
) -> dict[str, list[Program]]:
    """Programs per language from a dataset a reader knows, or from a folder of source files.

    Each reader (default: :func:`dataset_readers`) is asked in turn; the first that knows
    the dataset's format gives the programs it has. Languages still without programs are
    read from the files under ``dataset`` whose extension the language declares
    (``<dir>/**/*.ts``...).
    """
    dataset = Path(dataset)
    if not dataset.exists():
        raise ConfigError(f"dataset {dataset} does not exist: pass a folder of programs or a dataset a reader knows")
    wanted = sorted({host.language(name).name for name in languages})
    out: dict[str, list[Program]] = {name: [] for name in wanted}
    readers = dataset_readers() if readers is None else readers
    for reader in readers:
        found = reader.read(host, dataset, wanted, options)
        if found is not None:
            for lang, progs in found.items():
                if lang in out:
                    out[lang].extend(progs)
            break
    from_files = {lang for lang, progs in out.items() if not progs}
    if dataset.is_dir() and from_files:
        for path in sorted(p for p in dataset.rglob("*") if p.is_file()):
            lang_obj = host.language_for_path(path.name)
            if lang_obj is None or lang_obj.name not in from_files:
                continue
            out[lang_obj.name].append(
                Program(str(path.relative_to(dataset)), lang_obj.name, path.read_text(encoding="utf-8"))
            )
    for lang, progs in out.items():
        if limit is not None:
            out[lang] = progs[:limit]
    missing = [lang for lang, progs in out.items() if not progs]
    if missing:
        known = "; ".join(f"{r.name}: {r.description}" for r in readers) or "none installed"
        raise ConfigError(
            f"no programs for {', '.join(missing)} in {dataset}: pass a folder of files with the "
            f"language's extensions, or a dataset a reader knows ({known})"
        )
    return out


def oracle_for(host: PluginHost, language: str) -> str | None:
    """The analyzer that judges a language: its first available compiler, else reference."""
    for kind in ("compiler", "reference"):
        for name, info in host.analyzers(language).items():
            if info.kind == kind and (info.available is None or info.available() is None):
                return name
    return None


# ---- the run ----------------------------------------------------------------------------
class _Oracle:
    """Oracle calls with a cache keyed by text, run in a thread pool (they are subprocesses)."""

    def __init__(self, host: PluginHost, language: str, analyzer: str, jobs: int) -> None:
        self.host, self.language, self.analyzer = host, language, analyzer
        self.cache: dict[str, frozenset[str]] = {}
        self.messages: dict[str, list[str]] = {}
        self.syntax: dict[str, bool] = {}
        self.jobs = max(1, jobs)

    def _one(self, text: str) -> tuple[frozenset[str], list[str], bool]:
        diags = self.host.analyze(self.language, self.analyzer, text)
        return (
            frozenset(d.code for d in diags),
            [f"{d.line}: {d.message}" for d in diags],
            any(d.syntax for d in diags),
        )

    def check(self, texts: Iterable[str]) -> None:
        todo = [t for t in dict.fromkeys(texts) if _key(t) not in self.cache]
        if not todo:
            return
        if self.jobs == 1:
            results: Iterable = map(self._one, todo)
            self._store(todo, results)
            return
        with ThreadPoolExecutor(self.jobs) as pool:
            self._store(todo, pool.map(self._one, todo))

    def _store(self, texts: list[str], results: Iterable[tuple[frozenset[str], list[str], bool]]) -> None:
        for text, (codes, msgs, syntax) in zip(texts, results, strict=True):
            key = _key(text)
            self.cache[key], self.messages[key], self.syntax[key] = codes, msgs, syntax

    def codes(self, text: str) -> frozenset[str]:
        return self.cache[_key(text)]


def _cpu() -> float:
    """CPU seconds of this process and its children: a per-core rate that a busy machine
    (other processes on the same cores) does not distort as much as wall time.

    Finished children come from ``os.times``; children still running (a warm compiler
    server) are read with psutil when it is installed, so their work is counted too.
    """
    t = os.times()
    total = t.user + t.system + t.children_user + t.children_system
    try:
        import psutil
    except ImportError:
        return total
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:  # it ended between listing and reading
            continue
        total += times.user + times.system
    return total


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def run_ablation(
    host: PluginHost,
    programs: dict[str, list[Program]],
    samplers: Sequence[SamplerSpec],
    *,
    seed: int = 0,
    oracle: dict[str, str | None] | None = None,
    oracle_jobs: int = 2,
    slow_limit: int | None = 10,
    progress: Callable[[str], None] | None = None,
    relative: bool = False,
    sampler_options: dict[str, object] | None = None,
) -> list[AblationRow]:
    """Convert every program with every sampler and judge the states with each oracle.

    ``slow_limit`` caps the programs converted by samplers whose analyzer is not ``fast``
    (a compiler per lint call is slow); ``None`` converts them all. Without ``relative``
    only programs the oracle accepts whole are judged; with it, every program whose
    original the oracle can parse is judged, a state passing when the oracle reports no
    error (code, message with numbers blanked) that the original lacks — the rule for files
    that do not compile alone (one file of a multi-file package).
    """
    rows: list[AblationRow] = []
    for language, progs in programs.items():
        oracle_name = (oracle or {}).get(language) or oracle_for(host, language)
        if oracle_name == "none":  # throughput only
            oracle_name = None
        judge = None
        if oracle_name:
            # Compilers run as subprocesses and can overlap; in-process analyzers (pylint)
            # keep state and are not thread-safe.
            parallel = host.analyzer(language, oracle_name).kind == "compiler"
            judge = _Oracle(host, language, oracle_name, oracle_jobs if parallel else 1)
        accepted_whole: dict[str, bool] = {}
        for spec in samplers:
            analyzers = host.analyzers(language)
            analyzer = spec.analyzer
            if spec.sampler == "lintseq" and analyzer is None:
                analyzer = host.analyzer(language).name
            if analyzer is not None and analyzer not in analyzers:
                continue  # e.g. lintseq:treesitter asked for a language without it
            info = host.analyzer(language, analyzer) if analyzer else host.analyzer(language)
            kind = info.kind if spec.sampler == "lintseq" else "-"
            subset = progs if (kind == "fast" or kind == "-" or slow_limit is None) else progs[:slow_limit]
            row = AblationRow(language, SamplerSpec(spec.sampler, analyzer if spec.sampler == "lintseq" else None).label, kind, oracle_name or "-")
            if progress:
                progress(f"{language} {row.sampler}: {len(subset)} programs")
            sampler = make_sampler(host, language, info.name, spec.sampler, **(sampler_options or {}))
            n_lines = []
            n_inserted = 0
            roundtrip_ok = 0
            states_by_program: list[tuple[Program, list[str]]] = []
            if subset:  # warm up: grammars, queries and linters load once per process
                try:
                    sampler.prepare(subset[0].code)
                except ProgramRejected:
                    pass
            start = time.perf_counter()
            cpu_start = _cpu()
            for index, prog in enumerate(subset):
                try:
                    ((seq, stats),) = sample_many(sampler, prog.code, seed=seed, index=index)
                except ProgramRejected as exc:
                    row.rejected += 1
                    row.reject_reasons[exc.reason] = row.reject_reasons.get(exc.reason, 0) + 1
                    continue
                row.programs += 1
                row.repairs += stats.repairs
                row.verify_calls += stats.verify_calls
                path = seq.edit_path
                row.edits.append(len(path))
                n_lines.append(len(seq.lines))
                n_inserted += len(seq.lines)
                if resolve_edit_path(path) == prog.code:
                    roundtrip_ok += 1
                states_by_program.append((prog, list(state_texts(seq))))
            row.seconds = time.perf_counter() - start
            row.cpu_seconds = _cpu() - cpu_start
            if row.programs:
                row.edits_mean = statistics.fmean(row.edits)
                row.edits_median = float(statistics.median(row.edits))
                row.lines_mean = statistics.fmean(n_lines)
                row.lines_per_edit = n_inserted / sum(row.edits)
                row.roundtrip = roundtrip_ok / row.programs
                row.programs_per_s = row.programs / row.seconds if row.seconds > 0 else float("inf")
                row.programs_per_cpu_s = row.programs / row.cpu_seconds if row.cpu_seconds > 0 else float("inf")
            if judge is not None and states_by_program:
                judge.check(p.code for p, _ in states_by_program if _key(p.code) not in judge.cache)
                for prog, _ in states_by_program:
                    if relative:
                        accepted_whole.setdefault(prog.id, not judge.syntax[_key(prog.code)])
                    else:
                        accepted_whole.setdefault(prog.id, not judge.codes(prog.code))
                judged = [(p, s) for p, s in states_by_program if accepted_whole[p.id]]
                judge.check(t for _, states in judged for t in states)
                for prog, states in judged:
                    row.oracle_programs += 1
                    base = judge.codes(prog.code)
                    for text in states:
                        row.states += 1
                        extra = judge.codes(text) - base
                        if extra:
                            if len(row.failures) < 50:
                                row.failures.append(
                                    {"program": prog.id, "state": text, "errors": judge.messages[_key(text)]}
                                )
                        else:
                            row.states_accepted += 1
                row.acceptance = row.states_accepted / row.states if row.states else float("nan")
            rows.append(row)
    return rows


# ---- reports ----------------------------------------------------------------------------
_COLUMNS = [
    ("language", "language"),
    ("sampler", "sampler"),
    ("programs", "programs"),
    ("rejected", "rejected"),
    ("lines_mean", "lines/program"),
    ("edits_mean", "edits/program"),
    ("edits_median", "median edits"),
    ("lines_per_edit", "lines/edit"),
    ("roundtrip", "round trip"),
    ("oracle", "oracle"),
    ("oracle_programs", "judged programs"),
    ("states", "states"),
    ("acceptance", "oracle-accepted states"),
    ("programs_per_s", "programs/s"),
    ("programs_per_cpu_s", "programs/CPU-s"),
]


def _fmt(key: str, value: object) -> str:
    if isinstance(value, float):
        if value != value:  # NaN
            return "-"
        if key in ("roundtrip", "acceptance"):
            return f"{100 * value:.2f}%"
        return f"{value:.1f}" if not key.startswith("programs_per") or value < 100 else f"{value:.0f}"
    return str(value)


def write_markdown(rows: Sequence[AblationRow], path: Path) -> None:
    lines = [
        "| " + " | ".join(h for _, h in _COLUMNS) + " |",
        "|" + "---|" * len(_COLUMNS),
    ]
    for row in rows:
        lines.append("| " + " | ".join(_fmt(k, getattr(row, k)) for k, _ in _COLUMNS) + " |")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_csv(rows: Sequence[AblationRow], path: Path) -> None:
    keys = [k for k, _ in _COLUMNS] + [
        "analyzer_kind", "states_accepted", "seconds", "cpu_seconds", "reject_reasons", "edits",
    ]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=keys)
        writer.writeheader()
        for row in rows:
            data = asdict(row)
            data["reject_reasons"] = json.dumps(row.reject_reasons, sort_keys=True)
            data["edits"] = json.dumps(row.edits)
            writer.writerow({k: data[k] for k in keys})


def write_failures(rows: Sequence[AblationRow], path: Path) -> None:
    """The states each oracle rejected (at most 50 per row), one JSON object per line."""
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            for failure in row.failures:
                fh.write(json.dumps({"language": row.language, "sampler": row.sampler, **failure}) + "\n")


def read_csv(path: Path) -> list[AblationRow]:
    """Rows written by :func:`write_csv` (to merge runs into one table and one figure)."""
    ints = {"programs", "rejected", "oracle_programs", "states", "states_accepted"}
    floats = {"lines_mean", "edits_mean", "edits_median", "lines_per_edit", "roundtrip", "acceptance",
              "programs_per_s", "programs_per_cpu_s", "seconds", "cpu_seconds"}
    rows = []
    with open(path, newline="", encoding="utf-8") as fh:
        for raw in csv.DictReader(fh):
            row = AblationRow(raw["language"], raw["sampler"], raw.get("analyzer_kind", ""), raw["oracle"])
            for key, value in raw.items():
                if key in ints:
                    setattr(row, key, int(value))
                elif key in floats and value != "":
                    setattr(row, key, float(value))
            row.reject_reasons = json.loads(raw.get("reject_reasons") or "{}")
            row.edits = json.loads(raw.get("edits") or "[]")
            rows.append(row)
    return rows


def write_figures(rows: Sequence[AblationRow], out_dir: Path) -> list[Path]:
    """Edits-per-program distributions and oracle acceptance, as PNG files."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ConfigError("figures need matplotlib: pip install 'lintseq[plots]' (or pass --no-figures)") from exc
    out_dir = Path(out_dir)
    paths = []
    languages = list(dict.fromkeys(r.language for r in rows))
    with_edits = [lang for lang in languages if any(r.edits for r in rows if r.language == lang)]
    if with_edits:
        fig, axes = plt.subplots(1, len(with_edits), figsize=(2.4 * len(with_edits), 3.2), squeeze=False)
        _plot_edits(rows, with_edits, axes[0])
        fig.tight_layout()
        paths.append(out_dir / "edits_per_program.png")
        fig.savefig(paths[-1], dpi=120)
        plt.close(fig)

    # One bar per sampler family: every compiler or reference analyzer is "lintseq:oracle".
    def family(r: AblationRow) -> str:
        return "lintseq:oracle" if r.analyzer_kind in ("compiler", "reference") else r.sampler

    samplers = list(dict.fromkeys(family(r) for r in rows))
    fig, ax = plt.subplots(figsize=(1.2 + 1.1 * len(languages), 3.4))
    width = 0.8 / max(1, len(samplers))
    for k, sampler in enumerate(samplers):
        values = []
        for lang in languages:
            match = [r.acceptance for r in rows if r.language == lang and family(r) == sampler]
            values.append(100 * match[0] if match and match[0] == match[0] else 0.0)
        ax.bar([i + k * width for i in range(len(languages))], values, width, label=sampler)
    ax.set_xticks([i + width * (len(samplers) - 1) / 2 for i in range(len(languages))], languages,
                  rotation=30, fontsize=8)
    ax.set_ylabel("oracle-accepted states (%)")
    ax.set_ylim(0, 105)
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    paths.append(out_dir / "oracle_acceptance.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)
    return paths


def _plot_edits(rows: Sequence[AblationRow], languages: Sequence[str], axes) -> None:
    for ax, lang in zip(axes, languages, strict=True):
        data = [(r.sampler, r.edits) for r in rows if r.language == lang and r.edits]
        if data:
            ax.boxplot([d for _, d in data], showfliers=False)
            ax.set_xticks(range(1, len(data) + 1), [s for s, _ in data], rotation=60, fontsize=7)
        ax.set_title(lang, fontsize=9)
        ax.set_ylabel("edits per program")
