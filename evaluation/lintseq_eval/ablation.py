"""HumanEval-X as an ablation corpus for ``lintseq-core ablate`` (a dataset reader).

The core names no benchmark: it asks the readers of the ``lintseq.ablation_datasets``
entry-point group (:class:`lintseq_core.ablate.DatasetReader`). This one knows a
HumanEval-X folder (``humaneval_<stem>.jsonl.gz``, the layout of ``shared/data``): each
language of the evaluation registry with a ``humaneval-x`` layout reads its file, and the
program is the layout's whole program (declaration + canonical solution; Go also its
package clause and ``import`` field). ``--humaneval-x-file LANG=STEM`` reads a language
from another's file (``typescript=js`` reads the JavaScript solutions as TypeScript).
Rust programs use crates the oracle cannot fetch offline: :meth:`environment` points
rustc at the bundled stand-ins of :mod:`lintseq_eval.languages.rust`.

The reader is also a library for scripts (``benchmarks/bench_languages.py``):
:func:`load_humaneval_x`.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lintseq_core.errors import ConfigError, LintseqError

if TYPE_CHECKING:
    from lintseq_core.ablate import Program
    from lintseq_core.host import PluginHost
    from lintseq_eval.languages import EvalLanguage, Layout

__all__ = ["HUMANEVAL_X", "HumanEvalXReader", "load_humaneval_x"]

_FAMILY = "humaneval-x"


def _layouts() -> dict[str, tuple[EvalLanguage, Layout]]:
    """File stem (``humaneval_js``) -> (language, layout), for every humaneval-x layout."""
    from lintseq_eval.languages import languages

    out = {}
    for lang in languages().values():
        for layout in lang.layouts:
            if layout.family == _FAMILY and layout.whole_program is not None:
                out[Path(layout.local_name).name.split(".")[0]] = (lang, layout)
    return out


def _host_name(host: PluginHost, name: str) -> str | None:
    try:
        return host.language(name).name
    except LintseqError:
        return None


def _files(dataset: Path) -> dict[str, Path]:
    """``humaneval_<stem>`` -> file, for a HumanEval-X folder (or a shared/data-style parent)."""
    if not dataset.is_dir():
        return {}
    for folder in (dataset, dataset / _FAMILY):
        files = {p.name.split(".")[0]: p for p in sorted(folder.glob("humaneval_*.jsonl*"))}
        if files:
            return files
    return {}


def load_humaneval_x(
    host: PluginHost,
    dataset: Path,
    languages: Sequence[str],
    stems: Mapping[str, str] | None = None,
) -> dict[str, list[Program]] | None:
    """Programs per host language from a HumanEval-X folder; ``None`` if it is not one.

    ``stems`` maps a language (name or alias) to the file stem it reads instead of its own
    (``{"typescript": "js"}``). Languages without a file are absent from the answer.
    """
    from lintseq_core.ablate import Program
    from lintseq_eval.benchmarks import load_benchmark

    files = _files(Path(dataset))
    if not files:
        return None
    by_stem = _layouts()
    by_lang = {_host_name(host, lang.name): stem for stem, (lang, _) in by_stem.items()}
    wanted = {host.language(name).name for name in languages}
    chosen: dict[str, str] = {}  # host language -> file stem
    for lang, stem in (stems or {}).items():
        key = f"humaneval_{stem}"
        if key not in by_stem:
            raise ConfigError(f"--humaneval-x-file {lang}={stem}: no HumanEval-X layout has the stem {stem!r}; "
                              f"known: {', '.join(s.removeprefix('humaneval_') for s in sorted(by_stem))}")
        chosen[host.language(lang).name] = key
    for lang in wanted:
        if lang not in chosen and lang in by_lang:
            chosen[lang] = by_lang[lang]
    out: dict[str, list[Program]] = {}
    for lang, stem in sorted(chosen.items()):
        if lang not in wanted or stem not in files:
            continue
        _, layout = by_stem[stem]
        bench = load_benchmark(layout.benchmark, files[stem])
        assert layout.whole_program is not None
        out[lang] = [Program(t.task_id, lang, layout.whole_program(t.raw)) for t in bench.tasks]
    return out


class HumanEvalXReader:
    """The ``humaneval-x`` entry point of ``lintseq.ablation_datasets``."""

    name = _FAMILY
    description = "a HumanEval-X folder (humaneval_<lang>.jsonl.gz; program = declaration + canonical solution)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--humaneval-x-file", action="append", default=[], metavar="LANG=STEM",
                            help="read LANG from humaneval_STEM.jsonl.gz (e.g. typescript=js)")

    def read(
        self, host: PluginHost, dataset: Path, languages: Sequence[str], options: argparse.Namespace | None
    ) -> dict[str, list[Program]] | None:
        return load_humaneval_x(host, dataset, languages, _stems(options))

    def environment(
        self, dataset: Path, languages: Sequence[str], options: argparse.Namespace | None
    ) -> dict[str, str]:
        from lintseq_eval.errors import ToolchainMissingError
        from lintseq_eval.languages import get_language

        if not _files(Path(dataset)):
            return {}
        env: dict[str, str] = {}
        for name in languages:
            try:
                lang = get_language(name)
                if lang.oracle_env is not None:
                    env.update(lang.oracle_env())
            except ToolchainMissingError:  # no evaluation entry or no toolchain: the oracle says so
                continue
        return env


def _stems(options: argparse.Namespace | None) -> dict[str, str]:
    out = {}
    for value in getattr(options, "humaneval_x_file", None) or []:
        lang, sep, stem = value.partition("=")
        if not sep or not lang or not stem:
            raise ConfigError(f"--humaneval-x-file expects LANG=STEM, got {value!r}")
        out[lang] = stem
    return out


HUMANEVAL_X = HumanEvalXReader()
