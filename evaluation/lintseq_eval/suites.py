"""Suites: names that stand for several benchmarks on one ``lintseq-eval`` command line.

A suite is a layout family that holds several benchmarks (``humaneval-x``: one per
language, ``codecontests``: Python, C++ and Java); its members are the family's benchmarks less
the companions another layout reports beside itself (``humaneval-plus-base`` comes with
``humaneval-plus``). A benchmark's own name always means that benchmark alone (``mbpp`` is
MBPP, not the ``mbpp`` family with the sanitized form), so a family named like one of its
benchmarks is no suite. Suites are derived from the registry, so adding a language to a
family adds it to the suite.
"""

from __future__ import annotations

from collections.abc import Sequence

from lintseq_eval.errors import BenchmarkError
from lintseq_eval.languages import benchmark_layout, languages

__all__ = ["expand_benchmarks", "suite_members", "suite_names"]


def _suites() -> dict[str, list[str]]:
    layouts = [lay for lang in languages().values() for lay in lang.layouts]
    names = {n for lay in layouts for n in (lay.benchmark, *lay.aliases)}
    companions = {c for lay in layouts for c in lay.companions}
    out: dict[str, list[str]] = {}
    for lay in layouts:
        if lay.family not in names and lay.benchmark not in companions:
            out.setdefault(lay.family, []).append(lay.benchmark)
    return {name: sorted(members) for name, members in sorted(out.items()) if len(members) > 1}


def suite_names() -> list[str]:
    """Every suite name, sorted."""
    return list(_suites())


def suite_members(name: str) -> list[str]:
    """The benchmarks of suite ``name``, sorted."""
    try:
        return _suites()[name]
    except KeyError:
        raise BenchmarkError(f"unknown suite {name!r}; suites: {', '.join(suite_names()) or 'none'}") from None


def expand_benchmarks(names: Sequence[str]) -> list[str]:
    """Benchmark and suite names -> canonical benchmark names, in order, each once."""
    out: list[str] = []
    suites = _suites()
    for name in names:
        members = suites.get(name) or [benchmark_layout(name)[1].benchmark]
        out += [m for m in members if m not in out]
    if not out:
        raise BenchmarkError("no benchmark given")
    return out
