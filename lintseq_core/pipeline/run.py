"""One conversion run: open the input, convert with an engine, spool, checkpoint, finalize.

This is what ``lintseq-core convert`` calls; it is also the Python API for pipelines.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import itertools
import json
import logging
import shutil
import string
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lintseq_core.convert import ConvertConfig
from lintseq_core.errors import ConfigError
from lintseq_core.host import load_host_factory
from lintseq_core.pipeline.readers import (
    InputItem,
    InputSource,
    bundled_sample,
    open_input,
    open_shards_from,
    read_shard,
)
from lintseq_core.pipeline.staging import Spool, load_checkpoint, write_checkpoint
from lintseq_core.pipeline.summary import Summary
from lintseq_core.pipeline.writers import OutputPlan, finalize, plan_output
from lintseq_core.provenance import package_versions

if TYPE_CHECKING:
    from lintseq_core.host import PluginHost

__all__ = ["ENGINES", "PipelineOptions", "RunResult", "run_pipeline"]

ENGINES = ("local", "ray")
_PEEK_ROWS = 100
log = logging.getLogger("lintseq.pipeline")


@dataclass(frozen=True)
class PipelineOptions:
    """How to run a conversion (where data comes from and goes, engine, resume); not what it produces."""

    input: str | None = None  # None: the bundled sample dataset
    input_format: str | None = None
    split: str | None = None
    revision: str | None = None
    subset: str | None = None
    output: str | None = None  # None: "<input stem>.lintseq.jsonl" in the working directory
    output_format: str | None = None
    rejects: str | None = None
    shard_size: int | None = None
    workers: int = 1
    engine: str = "local"
    ray_address: str | None = None
    resume: bool = False
    overwrite: bool = False
    limit: int | None = None
    checkpoint_seconds: float = 5.0
    progress: bool = True
    # One worker runs in this process unless isolate is set (then in a worker process that a
    # crash or a hang costs only a row; see lintseq_core.pipeline.inprocess).
    isolate: bool = False
    plugin_host: str | None = None  # "module:function" building the PluginHost
    # Whether the user named the instruction field: if so, a dataset without it is an error;
    # if not (the default "instruction"), a warning, and rows get no instruction.
    instruction_field_explicit: bool = False


@dataclass
class RunResult:
    plan: OutputPlan
    summary: Summary
    manifest: dict[str, Any]
    data_files: list[Path]


def _default_output(input_path: str) -> str:
    name = Path(input_path.rstrip("/")).name
    for suffix in (".gz", ".jsonl", ".json", ".parquet", ".csv", ".arrow"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return f"{name or 'converted'}.lintseq.jsonl"


def _fingerprint(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _check_fields(source: InputSource, config: ConvertConfig, options: PipelineOptions) -> Iterator[InputItem]:
    """Fail early, naming the field, when the data cannot have the fields asked for.

    Columnar inputs are checked against their schema. For JSON inputs the first rows are
    peeked: if none of them has the code field, the name is surely wrong (a row here and there
    without it is rejected row by row instead).
    """
    where = source.path
    template_fields = [
        f for _, f, _, _ in string.Formatter().parse(config.instruction_template or "") if f
    ]
    if source.columns is not None:
        cols = source.columns
        listing = ", ".join(cols) or "none"
        if config.code_field not in cols:
            raise ConfigError(
                f"{where} has no column {config.code_field!r} (columns: {listing}); choose the "
                "program column with --code-field"
            )
        for f in template_fields:
            if f not in cols:
                raise ConfigError(f"--instruction-template uses {{{f}}}, but {where} has no such column (columns: {listing})")
        if config.instruction_field and not config.instruction_template and config.instruction_field not in cols:
            if options.instruction_field_explicit:
                raise ConfigError(
                    f"{where} has no column {config.instruction_field!r} (columns: {listing}); "
                    "choose it with --instruction-field, or pass --no-instruction"
                )
            log.warning("%s has no column %r: output rows get no instruction (see --instruction-field)",
                        where, config.instruction_field)
        return source.items
    # A sharded input is peeked at in its first shard only: the others are not the driver's
    # to read (with --engine ray they are read on the workers).
    stream = source.items if source.shards is None else read_shard(source.shards[0])
    peeked = list(itertools.islice(stream, _PEEK_ROWS))
    rows = [it for it in peeked if it.row is not None]
    if not peeked and source.shards is None:
        raise ConfigError(f"{where} is empty: no rows to convert")
    if rows and not any(config.code_field in it.row for it in rows):  # type: ignore[operator]
        first = rows[0]
        fields = ", ".join(map(str, first.row)) or "none"  # type: ignore[arg-type]
        at = f"line {first.line}" if first.line else f"row {first.index}"
        raise ConfigError(
            f"{where}: no field {config.code_field!r} in the first {len(rows)} rows ({at} has: "
            f"{fields}); choose the program field with --code-field"
        )
    if rows and config.instruction_field and not config.instruction_template \
            and not any(config.instruction_field in it.row for it in rows):  # type: ignore[operator]
        fields = ", ".join(map(str, rows[0].row))  # type: ignore[arg-type]
        message = (
            f"{where}: no field {config.instruction_field!r} in the first {len(rows)} rows "
            f"(fields: {fields}); choose it with --instruction-field, or pass --no-instruction"
        )
        if options.instruction_field_explicit:
            raise ConfigError(message)
        log.warning("%s; output rows get no instruction", message)
    return itertools.chain(peeked, source.items) if source.shards is None else source.items


def _versions(host_versions: list[tuple[str, str]], engine: str) -> dict[str, str]:
    names = ["lintseq", "pluggy", "pyarrow", "datasets"] + (["ray"] if engine == "ray" else [])
    out: dict[str, str] = package_versions(names)  # type: ignore[assignment]
    out.update({k: v for k, v in host_versions})
    return dict(sorted(out.items()))


def _make_engine(config: ConvertConfig, options: PipelineOptions, host: PluginHost):
    if options.engine == "local" and options.workers == 1 and not options.isolate:
        from lintseq_core.pipeline.inprocess import InProcessEngine

        return InProcessEngine(config, host=host)
    if options.engine == "local":
        from lintseq_core.pipeline.pool import LocalPool

        return LocalPool(config, workers=options.workers, host_spec=options.plugin_host)
    if options.engine == "ray":
        from lintseq_core.pipeline.ray_engine import RayEngine

        return RayEngine(config, workers=options.workers, host_spec=options.plugin_host,
                         address=options.ray_address)
    raise ConfigError(f"unknown --engine {options.engine!r}; choose one of: {', '.join(ENGINES)}")


class _NoProgress:
    """Stands in for the progress bar when there is none (tqdm is not even imported)."""

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(options: PipelineOptions, total: int | None, initial: int):
    if not options.progress:
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, disable=not options.progress, file=sys.stderr,
                unit="prog", dynamic_ncols=True, desc="convert", mininterval=0.5)


def run_pipeline(
    config: ConvertConfig,
    options: PipelineOptions,
    *,
    on_checkpoint: Callable[[int], None] | None = None,
) -> RunResult:
    """Convert a dataset; every input row ends in the output or in the rejects file."""
    if options.workers < 1:
        raise ConfigError(f"--workers must be >= 1, got {options.workers}")
    if options.engine not in ENGINES:
        raise ConfigError(f"unknown --engine {options.engine!r}; choose one of: {', '.join(ENGINES)}")
    input_path = options.input or str(bundled_sample())
    output = options.output or _default_output(input_path)
    plan = plan_output(output, options.output_format, options.shard_size, options.rejects)

    # Resolve language and analyzer here: a wrong --lang/--linter fails before any work.
    host = load_host_factory(options.plugin_host)()
    lang = host.language(config.language)
    analyzer = host.analyzer(lang.name, config.linter)
    verifier = None
    if config.verify:
        from lintseq_core.sampler import resolve_verifier

        verifier = resolve_verifier(host, lang.name, config.verify_analyzer)

    source = open_input(input_path, options.input_format, split=options.split,
                        revision=options.revision, subset=options.subset)
    items = _check_fields(source, config, options)

    fingerprint = {
        "config": _fingerprint(config.to_dict()),
        "input": source.fingerprint,
        "output": _fingerprint([plan.format, options.shard_size, options.limit]),
    }
    state_dir = plan.state_dir
    checkpoint = load_checkpoint(state_dir) if state_dir.is_dir() else None
    if state_dir.is_dir() and not options.resume and not options.overwrite:
        raise ConfigError(
            f"an interrupted conversion left {state_dir}: pass --resume to finish it, "
            "or --overwrite to start over"
        )
    existing = plan.output.exists() or plan.rejects.exists()
    if existing and not options.overwrite and not (options.resume and state_dir.is_dir()):
        raise ConfigError(f"{plan.output} already exists: pass --overwrite to replace it, or choose --output")
    if options.overwrite and state_dir.is_dir() and not options.resume:
        shutil.rmtree(state_dir)
        checkpoint = None
    if checkpoint is not None and checkpoint["fingerprint"] != fingerprint:
        changed = [k for k in fingerprint if checkpoint["fingerprint"].get(k) != fingerprint[k]]
        raise ConfigError(
            f"cannot resume {state_dir}: the {' and '.join(changed)} differ from the interrupted run; "
            "rerun with the same input and options, or start over with --overwrite"
        )
    state_dir.mkdir(parents=True, exist_ok=True)

    done = checkpoint["next_seq"] if checkpoint else 0
    summary = Summary.from_state(checkpoint["summary"]) if checkpoint else Summary()
    resumed = (checkpoint.get("resumed", 0) + 1) if checkpoint else 0
    spool = Spool(state_dir, options.shard_size, checkpoint["spool"] if checkpoint else None)
    shards = source.shards
    # Sharded inputs resume by shard: the shards finished before the checkpoint are not read
    # again, and the one in progress is read from its next row.
    position = tuple(checkpoint.get("shard_position") or (0, 0)) if checkpoint else (0, 0)
    if shards is not None:
        items = open_shards_from(source, position[0], position[1])
        if options.limit is not None:
            items = itertools.islice(items, max(0, options.limit - done))
    else:
        if options.limit is not None:
            items = itertools.islice(items, options.limit)
        items = itertools.islice(items, done, None)
    total = source.total if options.limit is None else min(options.limit, source.total or options.limit)
    shard_pos = {s.name: k for k, s in enumerate(shards or ())}
    current = list(position)  # [shard in progress, its rows done]

    started = time.monotonic()
    base_elapsed = summary.elapsed
    last_checkpoint = started
    seq = done

    def save() -> None:
        summary.elapsed = base_elapsed + (time.monotonic() - started)
        write_checkpoint(state_dir, {
            "fingerprint": fingerprint, "next_seq": seq, "spool": spool.sync(),
            "shard_position": current if shards is not None else None,
            "summary": summary.to_state(), "resumed": resumed,
        })
        if on_checkpoint is not None:
            on_checkpoint(seq)

    bar = _progress(options, total, done)
    try:
        engine = _make_engine(config, options, host)
        with engine:
            if shards is not None and options.limit is None and hasattr(engine, "imap_shards"):
                outcomes = engine.imap_shards(shards[position[0]:], position[1])  # read on workers
            else:
                outcomes = engine.imap(items)
            for outcome in outcomes:
                spool.write(outcome)
                summary.add(outcome)
                seq += 1
                if outcome.shard is not None:
                    k = shard_pos[outcome.shard]
                    current[:] = [k, current[1] + 1] if k == current[0] else [k, 1]
                bar.update(1)
                now = time.monotonic()
                if now - last_checkpoint >= options.checkpoint_seconds:
                    save()
                    last_checkpoint = now
        save()
    finally:
        bar.close()
        spool.close()

    if summary.rows_read == 0:
        shutil.rmtree(state_dir)
        raise ConfigError(f"{source.path} has no rows to convert")
    data_files = finalize(plan, spool.parts(), state_dir / "rejects.jsonl")
    manifest = {
        "lintseq_manifest": 1,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "input": {"path": source.path, "format": source.format, "fingerprint": source.fingerprint,
                  **source.info},
        "output": {"format": plan.format, "files": [str(p) for p in data_files],
                   "rejects": str(plan.rejects)},
        "config": config.to_dict(),
        "resolved": {"language": lang.name, "analyzer": analyzer.name, "analyzer_kind": analyzer.kind,
                     "verifier": verifier.name if verifier else None},
        "pipeline": {k: v for k, v in asdict(options).items()
                     if k not in ("input", "output", "rejects", "progress", "instruction_field_explicit")},
        "resumed": resumed,
        "engine": {"in_process": getattr(engine, "in_process", False),
                   "worker_cpu_seconds": round(getattr(engine, "worker_cpu_seconds", 0.0), 3),
                   "convert_cpu_seconds": round(getattr(engine, "convert_cpu_seconds", 0.0), 3),
                   "worker_restarts": getattr(engine, "restarts", 0)},
        # Tools of the languages converted only (all of them for mixed-language data).
        "versions": _versions(host.versions(None if config.language_field else [lang.name]),
                              options.engine),
        "counts": summary.report(),
    }
    plan.manifest.parent.mkdir(parents=True, exist_ok=True)
    tmp = plan.manifest.with_name(plan.manifest.name + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(plan.manifest)
    shutil.rmtree(state_dir)
    return RunResult(plan, summary, manifest, data_files)
