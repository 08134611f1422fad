"""In-process engine: ``--workers 1`` converts in the main process, with no worker to start.

Starting a worker process costs more than converting a small dataset (a fork server, a
process, the plugins imported again there: ~0.5 s of CPU), so one worker means no worker
process at all: rows are converted where they are read, through the same
:func:`~lintseq_core.pipeline.outcome.convert_one` as in a worker, so the output is the
same bytes.

What this gives up is the isolation a process brings. The per-row limit (``--timeout``) is
still enforced by the sampler between two analyzer calls, but nothing can stop an analyzer
that hangs inside one call (a loop in C code cannot be interrupted from Python), and a
crash of the interpreter (segfault, OOM kill) ends the run; ``--resume`` then goes on from
the last checkpoint. ``--isolate`` keeps one worker process for those guarantees.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from lintseq_core.host import load_host_factory
from lintseq_core.pipeline.outcome import Outcome, convert_one, reject_outcome

if TYPE_CHECKING:
    from lintseq_core.convert import ConvertConfig
    from lintseq_core.host import PluginHost
    from lintseq_core.pipeline.readers import InputItem

__all__ = ["InProcessEngine"]


class InProcessEngine:
    """Converts items in this process; :meth:`imap` yields outcomes in input order."""

    in_process = True  # recorded in the manifest
    restarts = 0  # nothing to restart: the attribute the manifest reads of every engine

    def __init__(self, config: ConvertConfig, *, host: PluginHost | None = None,
                 host_spec: str | None = None) -> None:
        """Convert with ``host`` (the driver's, already built), or one ``host_spec`` builds."""
        from lintseq_core.convert import RowConverter

        self.converter = RowConverter(host if host is not None else load_host_factory(host_spec)(), config)
        self.converter.sampler_for(config.language)  # a wrong analyzer fails before any row
        self.worker_cpu_seconds = 0.0
        self.convert_cpu_seconds = 0.0

    def __enter__(self) -> InProcessEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.worker_cpu_seconds = self.convert_cpu_seconds

    def imap(self, items: Iterable[InputItem]) -> Iterator[Outcome]:
        """Convert ``items`` one by one; rows that failed to read are rejected as they come."""
        for item in items:
            if item.error is not None:
                yield reject_outcome(item.index, *item.error, line=item.line, shard=item.shard)
                continue
            t0 = time.thread_time()
            outcome = convert_one(self.converter, item.index, item.row, item.shard)
            self.convert_cpu_seconds += time.thread_time() - t0
            yield outcome
