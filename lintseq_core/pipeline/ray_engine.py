"""The Ray Data engine: the same conversion on a Ray cluster (``--engine ray``).

The driver reads the input (cheap next to linting) and hands it to Ray in chunks of rows, so
its memory stays bounded. Each chunk is a Ray Dataset mapped with ``map_batches`` over a pool
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
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from lintseq_core.errors import ConfigError
from lintseq_core.pipeline.outcome import Outcome, reject_outcome
from lintseq_core.pipeline.readers import InputItem

if TYPE_CHECKING:
    from lintseq_core.convert import ConvertConfig

__all__ = ["RayEngine"]


class _Converter:
    """Ray Data actor: one converter (and its analyzer process) per actor, built once."""

    def __init__(self, config: ConvertConfig, host_spec: str | None) -> None:
        from lintseq_core.pipeline.pool import LocalPool

        self.pool = LocalPool(config, workers=1, host_spec=host_spec, prefetch=2)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        tasks = [pickle.loads(t) for t in batch["task"]]
        items = [InputItem(index, row) for index, row in tasks]
        outcomes = list(self.pool.imap(items))
        return {"seq": batch["seq"], "outcome": [pickle.dumps(o) for o in outcomes]}

    def __del__(self) -> None:
        pool = getattr(self, "pool", None)
        if pool is not None:
            pool.close()


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
                results[seq] = reject_outcome(item.index, *item.error, line=item.line)
            else:
                records.append({"seq": seq, "task": pickle.dumps((item.index, item.row))})
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
                    results[s] = reject_outcome(chunk[s].index, "engine_error", "Ray returned no result for this row")
        for seq in range(len(chunk)):
            yield results.pop(seq)
