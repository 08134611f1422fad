"""The evaluation language registry: one module (or entry point) per language.

Every per-language fact of evaluation lives in one :class:`EvalLanguage`: the host's
language name (``javascript``, with short aliases such as ``js``), the toolchain (reused
from :mod:`lintseq_compilers` where it has one), how a sample becomes files and sandbox
stages, and the benchmark layouts the language has (how a benchmark row becomes a prompt,
a reference program, tests and a whole program for the ablation). Executors, programs,
reports, benchmarks and the ablation reader all read it; none names a language.

Entries come from three places, merged by name:

* every module of this package that defines ``LANGUAGE`` (adding one = adding a module);
* the ``lintseq_eval.languages`` entry-point group (a third-party distribution's
  ``EvalLanguage`` object), sorted by entry-point name;
* :func:`register` at run time (tests, notebooks).

Fence tags are the host's (:meth:`lintseq_core.host.PluginHost.extract_code`); an entry
names its own only for a language no host plugin declares.
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lintseq_eval.errors import BenchmarkError, EvalError, ToolchainMissingError

if TYPE_CHECKING:
    from lintseq_compilers.base import Toolchain

    from lintseq_eval.sandbox import Limits, Stage

__all__ = [
    "ENTRY_POINT_GROUP",
    "EvalLanguage",
    "Layout",
    "Prepared",
    "Source",
    "Tool",
    "benchmark_layout",
    "benchmark_names",
    "get_language",
    "languages",
    "register",
    "registered",
]

ENTRY_POINT_GROUP = "lintseq_eval.languages"

Row = Mapping[str, Any]
#: Resolves an executable name to the absolute path the sandbox runs (raises when missing).
Tool = Callable[[str], str]


@dataclass(frozen=True)
class Source:
    """What a language's executor assembles: the program and the benchmark's test code.

    ``before`` is test code that must precede the program (imports, MBPP-sanitized test
    imports; Go: the test file's import block); ``tests`` follows it.
    """

    program: str
    tests: str
    before: str = ""


@dataclass(frozen=True)
class Prepared:
    """Files and stages of one sample, ready for the sandbox."""

    files: Mapping[str, str]
    stages: tuple[Stage, ...]
    nonce: str
    env: Mapping[str, str] = field(default_factory=dict)
    extra_ro: tuple[str, ...] = ()
    cleanup: tuple[str, ...] = ()  # removed before the run stage (sources holding the nonce)


@dataclass(frozen=True)
class Layout:
    """How the rows of one benchmark become text for one language.

    ``benchmark`` is the name users pass (``humaneval-x-js``); ``family`` groups the layouts
    of one benchmark across languages (``humaneval-x``: the ablation reads their files).
    The reference program is ``prefix(row) + solution(row)``; ``whole_program`` is the
    program the ablation converts (``None``: the benchmark is not an ablation corpus).
    ``prepare`` replaces the language's harness for this benchmark (MultiPL-E's Java runs
    ``java -ea`` with javatuples, its Rust a plain binary); ``start`` is the program that
    edit-sequence answers are applied to (HumanEvalFix: the buggy program; default empty).
    """

    benchmark: str
    family: str
    local_name: str  # the file inside a shared/data-style folder
    hub: tuple[str, str | None, str]  # (hub name, config, split)
    required: tuple[str, ...]
    instruction: Callable[[Row], str]
    prefix: Callable[[Row], str]
    solution: Callable[[Row], str]
    empty: Callable[[Row], str]
    tests: Callable[[Row], Source]  # Source with program="" (the executor fills it in)
    whole_program: Callable[[Row], str] | None = None
    aliases: tuple[str, ...] = ()
    id_prefix: str = ""  # prepended to row ids (MBPP's ints become ``Mbpp/<n>``)
    keep_ids: range | None = None  # rows of a local file kept (MBPP's evaluation split)
    default_source: Callable[[], str] | None = None  # where to read it without --dataset
    row_id: Callable[[Row], str] | None = None  # a row's id where it has no ``task_id`` (CodeContests: ``name``)
    # benchmarks scored on the same samples and reported beside this one (evalplus: base tests)
    companions: tuple[str, ...] = ()
    # runs its samples differently from the language's default (MultiPL-E's conventions)
    prepare: Callable[[Source, str, Limits, Tool], Prepared] | None = None
    # the program edit-sequence answers start from (HumanEvalFix: the buggy program)
    start: Callable[[Row], str] | None = None
    # top-level import names a task needs (DS-1000: ``pandas``); a task whose modules the
    # sample interpreter lacks is reported as missing a library, never run or scored
    requires: Callable[[Row], tuple[str, ...]] | None = None
    # tasks may need the network (downloads, real hosts): screen and probe their reference
    # solutions offline, and report those that need it as NEEDS_NETWORK (lintseq_eval.network)
    network_probe: bool = False
    # upstream's limit on one sample's test run: the default of --timeout for this benchmark
    # (None: Limits' default, 10 s; BigCodeBench 240 s, DS-1000 120 s)
    run_timeout_s: float | None = None
    # called once before a batch of samples runs, with the batch's tasks of this benchmark,
    # their sample counts, the limits and the workers (evalplus: records reference outputs)
    before_samples: Callable[[Sequence[Any], Mapping[str, int], Limits, int], None] | None = None


@dataclass(frozen=True)
class EvalLanguage:
    """Everything evaluation knows about one language (see the module docstring).

    ``toolchain`` names the :mod:`lintseq_compilers` analyzer whose executable, install
    hint and version command the samples reuse; ``tools`` are further executables and
    ``install`` the hint for them. ``mounts`` returns extra host paths the sandbox must
    mount read-only (a sysroot, a GOROOT); ``oracle_env`` environment variables that let
    the compiler oracle check the benchmark's programs offline (bundled crates).
    ``interpreter`` is the program samples run with where the user chooses it (Python's
    ``--python``): reference times are cached per interpreter, and ``missing_modules``
    (import names by task id -> those the interpreter lacks) tells which tasks a layout's
    ``requires`` cannot be met for. ``network_probe`` turns a prepared reference run into
    one that reports its network attempts (its second argument is the source of
    :mod:`lintseq_eval.network_probe`): see :mod:`lintseq_eval.network`.
    """

    name: str
    prepare: Callable[[Source, str, Limits, Tool], Prepared]
    aliases: tuple[str, ...] = ()
    toolchain: str | None = None
    tools: tuple[str, ...] = ()
    install: str = ""
    version_command: tuple[str, ...] | None = None
    mounts: Callable[[Tool], list[str]] | None = None
    layouts: tuple[Layout, ...] = ()
    fence_tags: tuple[str, ...] = ()  # only where no host plugin declares the language
    oracle_env: Callable[[], Mapping[str, str]] | None = None
    interpreter: Callable[[], str] | None = None
    missing_modules: Callable[[Mapping[str, Sequence[str]]], dict[str, tuple[str, ...]]] | None = None
    network_probe: Callable[[Prepared, str], Prepared] | None = None

    def compiler(self) -> Toolchain | None:
        """The :mod:`lintseq_compilers` toolchain this language reuses, if any."""
        if self.toolchain is None:
            return None
        from lintseq_compilers.plugin import TOOLCHAINS

        for tool in TOOLCHAINS:
            if tool.name == self.toolchain:
                return tool
        raise EvalError(f"evaluation language {self.name!r} names an unknown toolchain {self.toolchain!r}")

    def executables(self) -> tuple[str, ...]:
        """Every executable a sample needs: the toolchain's first, then ``tools``."""
        tool = self.compiler()
        return tuple(dict.fromkeys([*([tool.executable] if tool else []), *self.tools]))

    def install_hint(self) -> str:
        tool = self.compiler()
        return "; ".join(h for h in (tool.install if tool else "", self.install) if h)

    def toolchain_version(self) -> str | None:
        """First line of the toolchain's version output (``None``: nothing to report)."""
        tool = self.compiler()
        cmd = self.version_command or ((tool.executable, *tool.version_args) if tool else None)
        if not cmd or shutil.which(cmd[0]) is None:
            return None if not cmd else f"unavailable: `{cmd[0]}` is not on PATH"
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            return (proc.stdout or proc.stderr).strip().splitlines()[0]
        except (OSError, subprocess.TimeoutExpired, IndexError) as exc:
            return f"unavailable: {exc}"

    def layout(self, benchmark: str) -> Layout:
        for layout in self.layouts:
            if benchmark == layout.benchmark or benchmark in layout.aliases:
                return layout
        raise BenchmarkError(f"language {self.name} has no benchmark {benchmark!r}")


# --------------------------------------------------------------------------- the registry

_registry: dict[str, EvalLanguage] | None = None


def _discover() -> dict[str, EvalLanguage]:
    found: dict[str, EvalLanguage] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        lang = getattr(module, "LANGUAGE", None)
        if isinstance(lang, EvalLanguage):
            _add(found, lang, f"module {module.__name__}")
    from importlib import metadata

    for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            lang = ep.load()
        except Exception as exc:  # a broken plugin: name it, keep the cause
            dist = getattr(ep.dist, "name", "?")
            raise EvalError(
                f"evaluation language entry point {ep.name!r} ({ep.value}) of distribution {dist} "
                f"failed to load: {type(exc).__name__}: {exc}"
            ) from exc
        if not isinstance(lang, EvalLanguage):
            raise EvalError(f"entry point {ep.name!r} ({ep.value}) is not an EvalLanguage")
        _add(found, lang, f"entry point {ep.name!r}")
    return found


def _add(found: dict[str, EvalLanguage], lang: EvalLanguage, origin: str) -> None:
    taken = {n: owner for owner in found.values() for n in (owner.name, *owner.aliases)}
    for n in (lang.name, *lang.aliases):
        if n in taken:
            raise EvalError(f"{origin}: evaluation language name {n!r} is already taken by {taken[n].name}")
    benchmarks = {lay.benchmark: owner for owner in found.values() for lay in owner.layouts}
    for lay in lang.layouts:
        if lay.benchmark in benchmarks:
            raise EvalError(f"{origin}: benchmark {lay.benchmark!r} is already defined by {benchmarks[lay.benchmark].name}")
    found[lang.name] = lang


def languages() -> dict[str, EvalLanguage]:
    """Every registered evaluation language by canonical (host) name, sorted."""
    global _registry
    if _registry is None:
        _registry = _discover()
    return dict(sorted(_registry.items()))


def register(lang: EvalLanguage) -> None:
    """Add ``lang`` to the registry of this process (names and benchmarks must be new)."""
    languages()
    assert _registry is not None
    _add(_registry, lang, f"register({lang.name!r})")


@contextmanager
def registered(lang: EvalLanguage) -> Iterator[EvalLanguage]:
    """Register ``lang`` for the duration of a ``with`` block (tests)."""
    register(lang)
    try:
        yield lang
    finally:
        assert _registry is not None
        _registry.pop(lang.name, None)


def get_language(name: str) -> EvalLanguage:
    """Resolve a language name or alias (``js`` -> ``javascript``)."""
    key = name.strip().lower()
    for lang in languages().values():
        if key == lang.name or key in lang.aliases:
            return lang
    raise ToolchainMissingError(
        f"no executor for language {name!r}; known: {', '.join(languages())} "
        "(add one: see 'Adding an evaluation language' in docs/evaluation.md)"
    )


def benchmark_layout(benchmark: str) -> tuple[EvalLanguage, Layout]:
    """The language and layout of a benchmark name (or alias such as ``humaneval-x-javascript``)."""
    for lang in languages().values():
        for layout in lang.layouts:
            if benchmark == layout.benchmark or benchmark in layout.aliases:
                return lang, layout
    raise BenchmarkError(f"unknown benchmark {benchmark!r}; choose one of: {', '.join(benchmark_names())}")


def benchmark_names(*, aliases: bool = False) -> list[str]:
    """Every benchmark name users can pass, sorted (with ``aliases``: their other names too)."""
    layouts = [layout for lang in languages().values() for layout in lang.layouts]
    return sorted([lay.benchmark for lay in layouts] + [a for lay in layouts if aliases for a in lay.aliases])


def shim_dir(*parts: str) -> Path:
    """A folder of bundled stand-in sources (package data under ``languages/shims``)."""
    return Path(__file__).with_name("shims").joinpath(*parts)
