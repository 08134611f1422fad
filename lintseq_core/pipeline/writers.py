"""Final outputs: where they go, and turning the JSONL spools into JSONL, Parquet or a dataset.

Layout. Without sharding, ``--output out.jsonl`` (or ``.parquet``) is one file, with
``out.rejects.jsonl`` and ``out.manifest.json`` beside it. With ``--shard-size`` or
``--output-format datasets`` the output is a folder holding the data, ``rejects.jsonl`` and
``manifest.json``. The state of a running conversion is ``<output>.lintseq-state/``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lintseq_core.errors import ConfigError

__all__ = ["OUTPUT_FORMATS", "OutputPlan", "finalize", "plan_output"]

OUTPUT_FORMATS = ("jsonl", "parquet", "datasets")
_BATCH = 2048


@dataclass(frozen=True)
class OutputPlan:
    format: str
    output: Path
    directory: bool
    rejects: Path
    manifest: Path
    state_dir: Path

    def data_files(self, n_parts: int) -> list[Path]:
        ext = ".parquet" if self.format == "parquet" else ".jsonl"
        if not self.directory:
            return [self.output]
        return [self.output / f"part-{k:05d}-of-{n_parts:05d}{ext}" for k in range(n_parts)]


def plan_output(output: str, fmt: str | None, shard_size: int | None, rejects: str | None) -> OutputPlan:
    """Resolve paths from ``--output``, ``--output-format``, ``--shard-size`` and ``--rejects``."""
    path = Path(output)
    if fmt is None:
        suffix = path.suffix.lower()
        fmt = "parquet" if suffix in (".parquet", ".pq") else "jsonl"
    if fmt not in OUTPUT_FORMATS:
        raise ConfigError(f"unknown --output-format {fmt!r}; choose one of: {', '.join(OUTPUT_FORMATS)}")
    if shard_size is not None and shard_size < 1:
        raise ConfigError(f"--shard-size must be >= 1 rows, got {shard_size}")
    directory = fmt == "datasets" or shard_size is not None
    if directory and path.is_file():
        raise ConfigError(f"--output {output} is a file, but sharded and `datasets` outputs are folders")
    if not directory and path.is_dir():
        raise ConfigError(f"--output {output} is a folder; give a file name (or use --shard-size)")
    if directory:
        default_rejects, manifest = path / "rejects.jsonl", path / "manifest.json"
    else:
        stem = path.name[: -len(path.suffix)] if path.suffix else path.name
        default_rejects = path.with_name(stem + ".rejects.jsonl")
        manifest = path.with_name(stem + ".manifest.json")
    return OutputPlan(
        format=fmt,
        output=path,
        directory=directory,
        rejects=Path(rejects) if rejects else default_rejects,
        manifest=manifest,
        state_dir=path.with_name(path.name + ".lintseq-state"),
    )


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, "rb") as f:
        for line in f:
            yield json.loads(line)


def _arrow_schema(parts: Sequence[Path]):
    """One schema for every shard: each field typed from its first non-null value."""
    import pyarrow as pa

    types: dict[str, Any] = {}
    for part in parts:
        for row in _read_jsonl(part):
            for key, value in row.items():
                if types.get(key) is not None or value is None:
                    types.setdefault(key, None)
                    continue
                if isinstance(value, bool):
                    types[key] = pa.bool_()
                elif isinstance(value, int):
                    types[key] = pa.int64()
                elif isinstance(value, float):
                    types[key] = pa.float64()
                elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                    types[key] = pa.list_(pa.string())
                else:
                    types[key] = pa.string()
    if not types:  # no output row at all: still a valid, typed, empty file
        types = {"index": pa.int64(), "sample": pa.int64(), "edit_path": pa.list_(pa.string())}
    return pa.schema([(k, t if t is not None else pa.string()) for k, t in types.items()])


def _cell(value: Any, typ: Any) -> Any:
    import pyarrow as pa

    if value is None:
        return None
    if typ == pa.string() and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # mixed-type source fields stay readable
    return value


def _jsonl_to_parquet(src: Path, dst: Path, schema: Any) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = dst.with_name(dst.name + ".tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            cols = {f.name: [_cell(r.get(f.name), f.type) for r in batch] for f in schema}
            writer.write_table(pa.table(cols, schema=schema))
            batch.clear()

        for row in _read_jsonl(src):
            batch.append(row)
            if len(batch) >= _BATCH:
                flush()
        if batch:
            flush()
    os.replace(tmp, dst)


def finalize(plan: OutputPlan, parts: Sequence[Path], rejects_spool: Path) -> list[Path]:
    """Move or convert the spools into the final outputs; return the data files written."""
    if plan.directory:
        plan.output.mkdir(parents=True, exist_ok=True)
    plan.rejects.parent.mkdir(parents=True, exist_ok=True)
    written: list[Path]
    if plan.format == "jsonl":
        written = plan.data_files(len(parts))
        for src, dst in zip(parts, written, strict=False):
            os.replace(src, dst)
    else:
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise ConfigError(f"--output-format {plan.format} needs pyarrow: pip install 'lintseq[data]'") from exc
        schema = _arrow_schema(parts)
        if plan.format == "parquet":
            written = plan.data_files(len(parts))
            for src, dst in zip(parts, written, strict=False):
                _jsonl_to_parquet(src, dst, schema)
        else:
            written = _save_dataset(plan, parts, schema)
    os.replace(rejects_spool, plan.rejects)
    return written


def _save_dataset(plan: OutputPlan, parts: Sequence[Path], schema: Any) -> list[Path]:
    try:
        import datasets
    except ImportError as exc:
        raise ConfigError("--output-format datasets needs `datasets`: pip install 'lintseq[data]'") from exc
    staged = []
    for k, src in enumerate(parts):
        dst = plan.state_dir / f"part-{k:05d}.parquet"
        _jsonl_to_parquet(src, dst, schema)
        staged.append(str(dst))
    cache = plan.state_dir / "hf-cache"
    ds = datasets.Dataset.from_parquet(staged, cache_dir=str(cache), keep_in_memory=False)
    tmp = plan.output.with_name(plan.output.name + ".tmp-dataset")
    if tmp.exists():
        shutil.rmtree(tmp)
    ds.save_to_disk(str(tmp), num_shards=len(staged))
    for item in tmp.iterdir():
        target = plan.output / item.name
        if target.exists():
            target.unlink()
        os.replace(item, target)
    tmp.rmdir()
    del ds
    return sorted(p for p in plan.output.iterdir() if p.suffix == ".arrow")
