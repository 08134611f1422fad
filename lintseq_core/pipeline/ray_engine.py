"""The Ray Data engine: the same conversion on a Ray cluster (``--engine ray``).

A sharded input (a folder or a glob of JSONL / Parquet files) is read on the workers: the
driver lists the shards and hands Ray one task per shard; an actor reads its shard with
:func:`~lintseq_core.pipeline.readers.read_shard`, the very reader the local engine uses, and
converts its rows, each seeded by its identity ``(shard, row)``. So the driver never touches
the rows, and the output is the local engine's, byte for byte, for the same shards. Ray's own
``read_json`` / ``read_parquet`` are not used for this: pyarrow's JSON reader fails a whole
file on one malformed line (lintseq rejects that line alone, naming it), and neither tells a
row's position in its file, which seeds the sampler. A shard's results come back in parts of
a few hundred rows, so no single object grows with the shard.

Any other input is read by the driver (cheap next to linting) and handed to Ray in chunks
of rows, so its memory stays bounded. Each chunk is a Ray Dataset mapped with ``map_batches`` over a pool
of actors; an actor builds the plugin host once and converts its batches through a one-process
:class:`~lintseq_core.pipeline.pool.LocalPool`, so a row that hangs or crashes its analyzer is
rejected (``timeout`` / ``worker_crash``) exactly as with the local engine instead of failing the
Ray task. Results come back keyed by input position and are released in input order: the
output is byte-identical to the local engine's for the same seed.
"""

from __future__ import annotations

import itertools
import logging
import os
import pickle
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from lintseq_core.errors import ConfigError, LintseqError
from lintseq_core.pipeline.outcome import Outcome, reject_outcome
from lintseq_core.pipeline.readers import InputItem

if TYPE_CHECKING:
    from lintseq_core.convert import ConvertConfig
    from lintseq_core.pipeline.readers import Shard

__all__ = ["RayEngine"]

_PART_ROWS = 256  # outcomes per part of a shard's results


class _Converter:
    """Ray Data actor: one converter (and its analyzer process) per actor, built once."""

    def __init__(self, config: ConvertConfig, host_spec: str | None) -> None:
        from lintseq_core.pipeline.pool import LocalPool

        self.pool = LocalPool(config, workers=1, host_spec=host_spec, prefetch=2)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        tasks = [pickle.loads(t) for t in batch["task"]]
        items = [InputItem(index, row, shard=shard) for index, row, shard in tasks]
        outcomes = list(self.pool.imap(items))
        return {"seq": batch["seq"], "outcome": [pickle.dumps(o) for o in outcomes]}

    def __del__(self) -> None:
        pool = getattr(self, "pool", None)
        if pool is not None:
            pool.close()


class _ShardConverter(_Converter):
    """Ray Data actor that reads whole shards on its node and converts their rows."""

    def __call__(self, batch: dict[str, Any]) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        from lintseq_core.pipeline.readers import read_shard

        for seq, blob in zip(batch["seq"], batch["shard"], strict=True):
            shard, start = pickle.loads(blob)
            part: list[Outcome] = []
            k = 0
            try:
                for outcome in self.pool.imap(read_shard(shard, start)):
                    part.append(outcome)
                    if len(part) >= _PART_ROWS:
                        yield _part(seq, k, False, part)
                        part, k = [], k + 1
            except ConfigError as exc:  # an unreadable shard: the driver stops with this message
                yield {"seq": [seq], "part": [k], "last": [True], "outcomes": [b""],
                       "error": [f"shard {shard.name}: {exc}"]}
                continue
            yield _part(seq, k, True, part)


def _part(seq: int, k: int, last: bool, outcomes: list[Outcome]) -> dict[str, Any]:
    return {"seq": [seq], "part": [k], "last": [last], "outcomes": [pickle.dumps(outcomes)], "error": [""]}


class RayEngine:
    """Converts items on Ray; :meth:`imap` yields outcomes in input order, like LocalPool."""

    def __init__(
        self,
        config: ConvertConfig,
        *,
        workers: int = 2,
        host_spec: str | None = None,
        address: str | None = None,
        batch_rows: int = 64,
        chunk_rows: int = 8192,
    ) -> None:
        try:
            import ray
            import ray.data  # noqa: F401
        except ImportError as exc:
            raise ConfigError("--engine ray needs Ray Data: pip install 'lintseq[ray]'") from exc
        self.config = config
        self.workers = workers
        self.host_spec = host_spec
        self.address = address
        self.batch_rows = batch_rows
        self.chunk_rows = chunk_rows
        self._started = False

    def __enter__(self) -> RayEngine:
        import ray

        if not ray.is_initialized():
            if self.address:
                try:
                    ray.init(address=self.address, log_to_driver=False)
                except ConnectionError as exc:
                    raise ConfigError(f"--ray-address {self.address}: cannot connect: {exc}") from exc
            else:
                # A local single-node cluster. Workers see the driver's import path, as local
                # worker processes do (plugins installed in development trees keep working).
                path = os.pathsep.join(p for p in sys.path if p)
                ray.init(
                    num_cpus=self.workers, include_dashboard=False, log_to_driver=False,
                    logging_level=logging.WARNING,
                    runtime_env={"env_vars": {"PYTHONPATH": path}},
                )
            self._started = True
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # its info and progress chatter
        return self

    def __exit__(self, *exc: object) -> None:
        import ray

        if self._started:
            ray.shutdown()

    def imap(self, items: Iterable[InputItem]) -> Iterator[Outcome]:
        source = iter(items)
        while chunk := list(itertools.islice(source, self.chunk_rows)):
            yield from self._run_chunk(chunk)

    def _run_chunk(self, chunk: list[InputItem]) -> Iterator[Outcome]:
        import ray.data

        results: dict[int, Outcome] = {}
        records = []
        for seq, item in enumerate(chunk):
            if item.error is not None:
                results[seq] = reject_outcome(item.index, *item.error, line=item.line, shard=item.shard)
            else:
                records.append({"seq": seq, "task": pickle.dumps((item.index, item.row, item.shard))})
        if records:
            # Enough blocks and small enough batches that every actor gets work.
            batch = max(1, min(self.batch_rows, -(-len(records) // self.workers)))
            blocks = max(1, min(-(-len(records) // batch), 512))
            ds = ray.data.from_items(records, override_num_blocks=blocks)
            ds = ds.map_batches(
                _Converter,
                fn_constructor_kwargs={"config": self.config, "host_spec": self.host_spec},
                batch_size=batch,
                batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=self.workers),
                num_cpus=1,
            )
            for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
                for seq, blob in zip(batch["seq"], batch["outcome"], strict=False):
                    results[int(seq)] = pickle.loads(blob)
        missing = [chunk[s].index for s in range(len(chunk)) if s not in results]
        if missing:  # Ray lost a block: never drop rows silently
            for s in range(len(chunk)):
                if s not in results:
                    results[s] = reject_outcome(chunk[s].index, "engine_error",
                                                "Ray returned no result for this row", shard=chunk[s].shard)
        for seq in range(len(chunk)):
            yield results.pop(seq)

    def imap_shards(self, shards: Sequence[Shard], start: int = 0) -> Iterator[Outcome]:
        """Read and convert ``shards`` on the workers (the first from its row ``start``);
        yield their outcomes in shard order, then row order."""
        import ray.data

        if not shards:
            return
        records = [{"seq": k, "shard": pickle.dumps((shard, start if k == 0 else 0))}
                   for k, shard in enumerate(shards)]
        ds = ray.data.from_items(records, override_num_blocks=max(1, min(len(records), 1024)))
        ds = ds.map_batches(
            _ShardConverter,
            fn_constructor_kwargs={"config": self.config, "host_spec": self.host_spec},
            batch_size=1,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=self.workers),
            num_cpus=1,
        )
        parts: dict[int, dict[int, list[Outcome]]] = {}
        finished: dict[int, int] = {}  # shard -> number of parts, once its last part arrived
        nxt = 0
        for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
            for seq, k, last, blob, error in zip(batch["seq"], batch["part"], batch["last"],
                                                 batch["outcomes"], batch["error"], strict=True):
                if error:
                    raise ConfigError(str(error))
                seq, k = int(seq), int(k)
                parts.setdefault(seq, {})[k] = pickle.loads(blob)
                if last:
                    finished[seq] = k + 1
            # Release whole shards in order (Ray keeps the order; this does not rely on it).
            while nxt in finished and len(parts.get(nxt, {})) == finished[nxt]:
                got = parts.pop(nxt, {})
                for k in range(finished.pop(nxt)):
                    yield from got[k]
                nxt += 1
        if nxt != len(shards):  # Ray lost a shard: never drop rows silently
            missing = [shards[k].name for k in range(nxt, len(shards))]
            raise LintseqError(f"Ray returned no results for shards {', '.join(missing[:5])}; rerun with --resume")
