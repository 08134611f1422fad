"""Input readers: every format becomes one stream of numbered rows, with errors kept per row.

JSON Lines is read line by line with :mod:`json` (pyarrow fails a whole file on one bad
line; here a bad line becomes a reject naming its line number and the rest converts).
Parquet, CSV, Arrow, ``save_to_disk`` directories and hub datasets are read with the
pyarrow / ``datasets`` stack, in record batches, so memory stays bounded whatever the size.

A row's ``index`` is its 0-based position among the data rows of the input (blank JSONL
lines are not rows); it seeds the sampler, so it must not depend on how rows are split up.

A folder or a glob of JSONL / Parquet files is a *sharded* input: its shards are read in the
order of their paths, and a row is identified by ``(shard, index)``: the shard's path
relative to the input root and the row's position within that shard. That identity seeds the
sampler, so a shard converts to the same bytes wherever it is read (in this process, or on a
Ray worker: see :mod:`lintseq_core.pipeline.ray_engine`) and whatever other shards exist.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lintseq_core.errors import ConfigError
from lintseq_core.sample_data import bundled_sample

__all__ = [
    "FORMATS",
    "InputItem",
    "InputSource",
    "Shard",
    "bundled_sample",
    "detect_format",
    "find_shards",
    "open_input",
    "open_shards_from",
    "read_shard",
]

FORMATS = ("jsonl", "json", "parquet", "csv", "arrow", "hf-disk", "hub")
BATCH_ROWS = 1024


@dataclass(frozen=True)
class InputItem:
    """One input row, or the reason it could not be read (``row`` is then ``None``)."""

    index: int
    row: dict[str, Any] | None
    error: tuple[str, str] | None = None  # (reason, detail)
    line: int | None = None  # 1-based line in the file, for line-based formats
    shard: str | None = None  # sharded inputs: the shard's path relative to the input root


@dataclass(frozen=True)
class Shard:
    """One file of a sharded input: ``name`` (relative to the input root, ``/``-separated)
    identifies its rows; ``path`` is where to read it; ``format`` is jsonl or parquet."""

    name: str
    path: str
    format: str


@dataclass
class InputSource:
    """An opened input: its rows, what it is, and a fingerprint saying which bytes they are."""

    path: str
    format: str
    items: Iterator[InputItem]
    total: int | None
    fingerprint: str
    columns: tuple[str, ...] | None = None  # known up front for columnar formats
    info: dict[str, Any] = field(default_factory=dict)
    shards: tuple[Shard, ...] | None = None  # sharded inputs: every shard, in reading order


_SHARD_FORMATS = ("jsonl", "parquet")
_GLOB_CHARS = frozenset("*?[")


def _is_hf_disk(p: Path) -> bool:
    return (p / "dataset_info.json").is_file() or (p / "dataset_dict.json").is_file() or (p / "state.json").is_file()


def _is_glob(path: str) -> bool:
    return any(c in _GLOB_CHARS for c in path) and not Path(path).exists()


def _format_of_name(name: str) -> str | None:
    name = name.lower()
    for suffix in (".gz", ".bz2", ".xz", ".zst"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    return None


def find_shards(path: str, fmt: str | None = None) -> tuple[Shard, ...]:
    """The shards of a folder (searched recursively) or a glob, sorted by their names.

    Names are relative to the folder, or to the part of the glob before its first wildcard,
    with ``/`` separators: they identify rows, so they must not depend on where the data is
    mounted. In a folder, JSONL (``.jsonl``, ``.ndjson``, ``.jsonl.gz``) and Parquet files are
    the shards (only those of ``fmt`` if given); a glob names its files itself, and ``fmt``
    (``--input-format``) then says how to read those whose name does not.
    """
    if fmt is not None and fmt not in _SHARD_FORMATS:
        raise ConfigError(f"--input-format {fmt} cannot read a folder or glob of shards: use jsonl or parquet")
    pattern = _is_glob(path)
    if pattern:
        head = path[: min(path.index(c) for c in _GLOB_CHARS if c in path)]
        root = head if head.endswith(os.sep) else os.path.dirname(head)
        files = [f for f in glob.glob(path, recursive=True) if os.path.isfile(f)]
    else:
        root = path
        files = [os.path.join(d, f) for d, _, names in os.walk(path) for f in names]
    shards = []
    for f in files:
        rel = Path(os.path.relpath(f, root or ".")).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue  # hidden files and folders (.lintseq-state, editor files) are not data
        named = _format_of_name(rel)
        shard_format = (named or fmt) if pattern else named
        if shard_format is None or (fmt is not None and shard_format != fmt):
            continue
        shards.append(Shard(rel, f, shard_format))
    if not shards:
        raise ConfigError(
            f"{path}: no JSONL or Parquet shards found (names ending in .jsonl, .jsonl.gz, "
            ".ndjson or .parquet); pass a file, a folder of shards or a glob such as 'data/*.parquet'"
        )
    return tuple(sorted(shards, key=lambda s: s.name))


def read_shard(shard: Shard, start: int = 0) -> Iterator[InputItem]:
    """The rows of one shard from row ``start`` on, each tagged with the shard's name.

    The same function reads a shard in the driver (local engine) and on a Ray worker, which
    is what makes both give the same rows, the same rejects and so the same output.
    """
    if shard.format == "jsonl":
        items: Iterable[InputItem] = _read_jsonl(shard.path)
    else:
        _require_pyarrow("Parquet")
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(shard.path)
        except Exception as exc:  # pyarrow raises several unrelated types for a bad file
            raise ConfigError(f"{shard.path} is not a readable Parquet file: {exc}") from exc
        items = _batches_to_items(pf.iter_batches(batch_size=BATCH_ROWS))
    for item in items:
        if item.index >= start:
            yield InputItem(item.index, item.row, item.error, item.line, shard.name)


def _shard_fingerprint(shards: Sequence[Shard]) -> str:
    """Names, sizes and modification times of the shards: reading their bytes to hash them
    would be reading the whole input in the driver, which a sharded input exists to avoid."""
    h = hashlib.sha256()
    for shard in shards:
        st = os.stat(shard.path)
        h.update(f"{shard.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return "shards-sha256:" + h.hexdigest()


def _open_shards(path: str, fmt: str | None) -> InputSource:
    shards = find_shards(path, fmt)
    formats = sorted({s.format for s in shards})
    columns = None
    if formats == ["parquet"]:
        _require_pyarrow("Parquet")
        import pyarrow.parquet as pq

        try:
            columns = tuple(pq.ParquetFile(shards[0].path).schema_arrow.names)
        except Exception as exc:  # pyarrow raises several unrelated types for a bad file
            raise ConfigError(f"{shards[0].path} is not a readable Parquet file: {exc}") from exc

    def items() -> Iterator[InputItem]:
        for shard in shards:
            yield from read_shard(shard)

    return InputSource(path, "+".join(formats) + "-shards", items(), None, _shard_fingerprint(shards),
                       columns, {"shards": len(shards)}, shards)


def open_shards_from(source: InputSource, first: int, start_row: int) -> Iterator[InputItem]:
    """Rows of a sharded source from shard ``first`` (its row ``start_row``) on (for resume)."""
    for k, shard in enumerate((source.shards or ())[first:]):
        yield from read_shard(shard, start_row if k == 0 else 0)


def detect_format(path: str) -> str:
    """Format from the path: a directory saved by ``datasets``, or the file extension."""
    p = Path(path)
    if p.is_dir():
        if _is_hf_disk(p):
            return "hf-disk"
        raise ConfigError(
            f"{path} is a directory but not a dataset saved with `datasets.save_to_disk` "
            "(no dataset_info.json / dataset_dict.json); pass a file or --input-format"
        )
    name = p.name.lower()
    for suffix in (".gz", ".bz2", ".xz", ".zst"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".json"):
        return "json"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".tsv")):
        return "csv"
    if name.endswith((".arrow", ".feather", ".ipc")):
        return "arrow"
    if not p.exists() and "/" in path and not path.startswith((".", "/")):
        return "hub"
    if not p.exists():
        raise ConfigError(f"no such input file: {path}")
    raise ConfigError(
        f"cannot tell the format of {path} from its name; pass --input-format "
        f"({', '.join(FORMATS)})"
    )


def open_input(
    path: str,
    fmt: str | None = None,
    *,
    split: str | None = None,
    revision: str | None = None,
    subset: str | None = None,
    fingerprint: bool = True,
) -> InputSource:
    """Open ``path`` (a file, a ``save_to_disk`` directory, or a hub dataset name)."""
    if _is_glob(path) or (Path(path).is_dir() and not _is_hf_disk(Path(path)) and fmt != "hf-disk"):
        return _open_shards(path, fmt)
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise ConfigError(f"unknown --input-format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if fmt == "hub":
        return _open_hub(path, split=split, revision=revision, subset=subset)
    if fmt == "hf-disk":
        return _open_hf_disk(path, split=split)
    if not Path(path).is_file():
        raise ConfigError(f"no such input file: {path}")
    digest, lines = _fingerprint_file(path) if fingerprint else ("", None)
    if fmt == "jsonl":
        return InputSource(path, fmt, _read_jsonl(path), lines, digest)
    if fmt == "json":
        return InputSource(path, fmt, _read_json_array(path), None, digest)
    if fmt == "parquet":
        return _open_parquet(path, digest)
    if fmt == "csv":
        return _open_csv(path, digest)
    return _open_arrow(path, digest)


# ---- helpers -------------------------------------------------------------------------


def _open_binary(path: str) -> io.BufferedIOBase:
    if path.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def _fingerprint_file(path: str) -> tuple[str, int]:
    """SHA-256 of the file bytes and its number of non-blank lines (for the progress bar)."""
    h = hashlib.sha256()
    lines = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    with _open_binary(path) as f:
        for raw in f:
            if raw.strip():
                lines += 1
    return "sha256:" + h.hexdigest(), lines


def _read_jsonl(path: str) -> Iterator[InputItem]:
    index = 0
    with _open_binary(path) as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            item = _parse_json_line(raw, index, lineno)
            index += 1
            yield item


def _parse_json_line(raw: bytes, index: int, lineno: int) -> InputItem:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputItem(
            index, None, ("not_utf8", f"line {lineno}: byte {exc.start} is not UTF-8 ({exc.reason})"), lineno
        )
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return InputItem(index, None, ("malformed_json", f"line {lineno}: {exc.msg} at column {exc.colno}"), lineno)
    if not isinstance(value, dict):
        return InputItem(
            index, None, ("bad_row", f"line {lineno}: a JSON {type(value).__name__}, not an object"), lineno
        )
    return InputItem(index, value, None, lineno)


def _read_json_array(path: str) -> Iterator[InputItem]:
    """Stream the objects of a top-level JSON array (or a single object) without loading it all."""
    decoder = json.JSONDecoder()
    with _open_binary(path) as fb:
        f = io.TextIOWrapper(fb, encoding="utf-8", errors="strict")
        buf = ""
        pos = 0
        eof = False
        consumed_lines = 1

        def fill() -> bool:
            nonlocal buf, pos, eof, consumed_lines
            if eof:
                return False
            consumed_lines += buf.count("\n", 0, pos)
            try:
                chunk = f.read(1 << 16)
            except UnicodeDecodeError as exc:
                raise ConfigError(f"{path}: not UTF-8 text near line {consumed_lines}: {exc.reason}") from exc
            buf = buf[pos:] + chunk
            pos = 0
            eof = not chunk
            return bool(chunk)

        def skip_ws() -> None:
            nonlocal pos
            while True:
                while pos < len(buf) and buf[pos] in " \t\r\n":
                    pos += 1
                if pos < len(buf) or not fill():
                    return

        skip_ws()
        if pos >= len(buf):
            return  # empty file: no rows
        if buf[pos] == "{":
            # A single object (or a JSON-lines file named .json): fall back to JSON Lines.
            yield from _read_jsonl(path)
            return
        if buf[pos] != "[":
            raise ConfigError(f"{path}: a JSON input must be an array of objects (or JSON Lines)")
        pos += 1
        index = 0
        while True:
            skip_ws()
            if pos < len(buf) and buf[pos] == "]":
                return
            while True:
                try:
                    value, end = decoder.raw_decode(buf, pos)
                except json.JSONDecodeError as exc:
                    if not eof and fill():
                        continue
                    line = consumed_lines + buf.count("\n", 0, exc.pos)
                    raise ConfigError(
                        f"{path}: malformed JSON in element {index} (line {line}): {exc.msg}. "
                        f"The {index} elements before it were read; fix the file, or convert it "
                        "to JSON Lines so that bad rows are rejected one by one"
                    ) from exc
                if end >= len(buf) and not eof and fill():
                    continue  # a number may continue in the next chunk
                break
            pos = end
            if isinstance(value, dict):
                yield InputItem(index, value)
            else:
                yield InputItem(index, None, ("bad_row", f"element {index} is a JSON {type(value).__name__}, not an object"))
            index += 1
            skip_ws()
            if pos < len(buf) and buf[pos] == ",":
                pos += 1
            elif pos < len(buf) and buf[pos] == "]":
                return
            else:
                raise ConfigError(f"{path}: expected ',' or ']' after element {index - 1}")


def _require_pyarrow(what: str):
    try:
        import pyarrow as pa
    except ImportError as exc:
        raise ConfigError(f"reading {what} needs pyarrow: pip install 'lintseq[data]'") from exc
    return pa


def _batches_to_items(batches: Iterator[Any], start: int = 0) -> Iterator[InputItem]:
    index = start
    for batch in batches:
        for row in batch.to_pylist():
            yield InputItem(index, row)
            index += 1


def _open_parquet(path: str, digest: str) -> InputSource:
    _require_pyarrow("Parquet")
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise ConfigError(f"{path} is not a readable Parquet file: {exc}") from exc
    columns = tuple(pf.schema_arrow.names)
    return InputSource(
        path, "parquet", _batches_to_items(pf.iter_batches(batch_size=BATCH_ROWS)),
        pf.metadata.num_rows, digest, columns,
    )


def _open_csv(path: str, digest: str) -> InputSource:
    pa = _require_pyarrow("CSV")
    import csv

    import pyarrow.csv as pcsv

    delimiter = "\t" if path.lower().rstrip(".gz").endswith(".tsv") else ","
    with _open_binary(path) as fb:
        head = io.TextIOWrapper(fb, encoding="utf-8", errors="replace", newline="")
        header = next(csv.reader(head, delimiter=delimiter), [])
    if not header:
        return InputSource(path, "csv", iter(()), 0, digest, ())
    # Every column as text: a program column of digits must not become an integer.
    convert = pcsv.ConvertOptions(
        column_types={name: pa.string() for name in header}, strings_can_be_null=False
    )
    parse = pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True)
    read = pcsv.ReadOptions(block_size=1 << 22)
    try:
        reader = pcsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    except Exception as exc:  # pyarrow.lib.ArrowInvalid and friends
        raise ConfigError(f"{path}: cannot read as CSV: {exc}") from exc

    def batches() -> Iterator[Any]:
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            except Exception as exc:  # ArrowInvalid: a malformed record
                raise ConfigError(f"{path}: malformed CSV: {exc}") from exc
            yield batch

    return InputSource(path, "csv", _batches_to_items(batches()), None, digest, tuple(header))


def _open_arrow(path: str, digest: str) -> InputSource:
    pa = _require_pyarrow("Arrow IPC files")
    try:
        reader = pa.ipc.open_file(pa.memory_map(path))
        batches: Iterator[Any] = (reader.get_batch(i) for i in range(reader.num_record_batches))
        schema = reader.schema
    except pa.ArrowInvalid:  # not the file format: try the stream format (datasets' .arrow files)
        try:
            stream = pa.ipc.open_stream(pa.memory_map(path))
        except Exception as exc:
            raise ConfigError(f"{path} is not an Arrow IPC file or stream: {exc}") from exc
        batches, schema = iter(stream), stream.schema
    return InputSource(path, "arrow", _batches_to_items(batches), None, digest, tuple(schema.names))


def _require_datasets():
    try:
        import datasets
    except ImportError as exc:
        raise ConfigError("reading Hugging Face datasets needs `datasets`: pip install 'lintseq[data]'") from exc
    return datasets


def _pick_split(splits: Sequence[str], split: str | None, where: str) -> str:
    if split is None:
        if len(splits) == 1:
            return splits[0]
        raise ConfigError(f"{where} has splits {', '.join(splits)}; choose one with --split")
    if split not in splits:
        raise ConfigError(f"{where} has no split {split!r}; choose one of: {', '.join(splits)}")
    return split


def _open_hf_disk(path: str, split: str | None) -> InputSource:
    datasets = _require_datasets()
    try:
        ds = datasets.load_from_disk(path)
    except Exception as exc:  # FileNotFoundError, or datasets' own errors for a bad folder
        raise ConfigError(f"{path}: cannot load with datasets.load_from_disk: {exc}") from exc
    info: dict[str, Any] = {}
    if isinstance(ds, datasets.DatasetDict):
        split = _pick_split(list(ds), split, path)
        ds = ds[split]
        info["split"] = split
    fingerprint = f"datasets:{ds._fingerprint}"
    # The Arrow table is memory-mapped: batches are read from disk, not held in RAM.
    batches = ds.data.table.to_batches(max_chunksize=BATCH_ROWS)
    return InputSource(
        path, "hf-disk", _batches_to_items(iter(batches)), ds.num_rows, fingerprint,
        tuple(ds.column_names), info,
    )


def _offline() -> bool:
    return any(
        os.environ.get(k, "").strip().lower() in ("1", "true", "yes", "on")
        for k in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE")
    )


def _open_hub(name: str, *, split: str | None, revision: str | None, subset: str | None) -> InputSource:
    datasets = _require_datasets()
    where = f"hub dataset {name!r}" + (f" (revision {revision})" if revision else "")
    if split is None:
        raise ConfigError(f"{where}: choose a split with --split (e.g. --split train)")
    try:
        ds = datasets.load_dataset(name, subset, split=split, revision=revision, streaming=True)
    except Exception as exc:  # network, auth and not-found errors come in many types
        if _offline():
            raise ConfigError(
                f"{where} is not in the local cache and Hugging Face offline mode is on "
                "(HF_HUB_OFFLINE / HF_DATASETS_OFFLINE): download it on a machine with network "
                "access, or save it with `save_to_disk` and pass that folder to --input"
            ) from exc
        raise ConfigError(f"{where}: datasets.load_dataset failed: {type(exc).__name__}: {exc}") from exc
    columns = tuple(ds.column_names) if ds.column_names else None
    fingerprint = f"hub:{name}@{revision or 'main'}:{subset or ''}:{split}"

    def items() -> Iterator[InputItem]:
        for index, row in enumerate(ds):
            yield InputItem(index, dict(row))

    return InputSource(name, "hub", items(), None, fingerprint, columns,
                       {"split": split, "revision": revision, "subset": subset})
