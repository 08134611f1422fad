"""Local engine: worker processes that build their analyzers once, results in input order.

Each worker is a process (``forkserver`` on POSIX, ``spawn`` elsewhere: tree-sitter parsers
cannot be pickled, so workers build the plugin host themselves) fed through its own pipe,
with a few rows queued so it never waits. The parent keeps a wall clock on the row each
worker is converting: a row past the hard limit gets its worker killed and restarted and is
rejected with reason ``timeout``; a worker that dies (segfault, ``os._exit``, OOM kill) costs
only the row it was converting (reason ``worker_crash``), and the rows queued behind it are
given to a fresh worker. Results are released strictly in input order, through a window of
bounded size, so memory does not grow with the input.
"""

from __future__ import annotations

import collections
import multiprocessing as mp
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from lintseq_core.errors import ConfigError, LintseqError
from lintseq_core.host import load_host_factory
from lintseq_core.pipeline.outcome import Outcome, convert_one, reject_outcome

if TYPE_CHECKING:
    from lintseq_core.convert import ConvertConfig
    from lintseq_core.pipeline.readers import InputItem

__all__ = ["START_METHOD_ENV", "LocalPool", "hard_limit", "load_host_factory"]

START_METHOD_ENV = "LINTSEQ_MP_START"
_FLUSH_SECONDS = 0.05
_BATCH_SECONDS = 0.02
_MAX_BATCH = 64
_MAX_START_FAILURES = 3


def hard_limit(timeout: float | None) -> float | None:
    """Wall clock after which a worker is killed: the soft limit plus a grace period.

    The sampler stops itself at ``timeout`` between two analyzer calls; the hard limit
    catches analyzers that never return (an infinite loop inside a parser, a hung tool).
    """
    if timeout is None:
        return None
    return timeout + max(1.0, 0.25 * timeout)


def _worker_main(conn: Connection, host_spec: str | None, config: ConvertConfig) -> None:
    """Body of a worker process: build the host and converter once, then convert rows."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from lintseq_core.convert import RowConverter

    try:
        converter = RowConverter(load_host_factory(host_spec)(), config)
        converter.sampler_for(config.language)  # resolve the analyzer now: errors surface early
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send(("init_error", f"{type(exc).__name__}: {exc}"))
        return
    # A reader thread drains the task pipe while the main thread converts and answers, so
    # parent and worker never both block writing to a full pipe (large rows or results).
    tasks: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def read_tasks() -> None:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                task = None  # the parent is gone (killed): stop
            tasks.put(task)
            if task is None:
                return

    threading.Thread(target=read_tasks, name="lintseq-task-reader", daemon=True).start()
    conn.send(("ready", os.getpid()))
    pending: list[Outcome] = []
    last_flush = time.monotonic()
    convert_cpu = 0.0
    try:
        while (batch := tasks.get()) is not None:
            for index, row, shard in batch:
                # Results go back in groups (fewer wake-ups and system calls per row), but
                # never older than _FLUSH_SECONDS: the parent reads silence as a stuck row.
                if pending and time.monotonic() - last_flush > _FLUSH_SECONDS:
                    conn.send(("done", pending))
                    pending, last_flush = [], time.monotonic()
                t0 = time.thread_time()
                pending.append(convert_one(converter, index, row, shard))
                convert_cpu += time.thread_time() - t0
            conn.send(("done", pending))
            pending, last_flush = [], time.monotonic()
        # CPU seconds of this worker (all threads, start-up included) and of the conversions
        # alone in the main thread, for benchmarks of the pipeline's own cost.
        conn.send(("bye", (time.process_time(), convert_cpu)))
    except (BrokenPipeError, OSError):
        return


def _context() -> mp.context.BaseContext:
    method = os.environ.get(START_METHOD_ENV) or (
        "forkserver" if sys.platform != "win32" and "forkserver" in mp.get_all_start_methods() else "spawn"
    )
    if method == "fork":
        raise ConfigError(f"{START_METHOD_ENV}=fork is not supported: use forkserver or spawn")
    ctx = mp.get_context(method)
    if method == "forkserver":
        # Import the engine and the plugin modules once in the fork server, so that every
        # worker (and every restart after a crash) starts with them loaded. Nothing is
        # imported here in the parent; a module that fails to import is skipped there.
        from lintseq_core.host import find_plugins

        plugins = [ref.entry_point.value.split(":")[0] for ref in find_plugins()]
        ctx.set_forkserver_preload(["lintseq_core.convert", "lintseq_core.pipeline.outcome", *plugins])
    return ctx


@dataclass
class _Task:
    seq: int
    index: int
    row: Any
    shard: str | None = None


@dataclass
class _Worker:
    proc: Any
    conn: Connection
    ready: bool = False
    careful: bool = False  # holds one suspect row alone, to find out whether it is the culprit
    queue: collections.deque[_Task] = field(default_factory=collections.deque)
    last_heard: float = 0.0


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "worker stopped answering"
    if code < 0:
        try:
            return f"worker killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"worker killed by signal {-code}"
    return f"worker exited with status {code}"


class LocalPool:
    """A pool of converter processes; :meth:`imap` yields one :class:`Outcome` per item, in order.

    Rows travel in small batches and results come back in groups, which keeps the cost per
    row low next to a fast analyzer. When a worker dies or goes silent past the hard limit
    while holding several rows, those rows are re-run one at a time on a fresh worker
    ("careful" mode): the row that crashes or hangs again is rejected, the others convert.
    Conversion is deterministic, so re-running a row gives the same result.
    """

    def __init__(
        self,
        config: ConvertConfig,
        *,
        workers: int = 1,
        host_spec: str | None = None,
        batch_rows: int | None = None,
        prefetch: int = 2,
        hard_timeout: float | None = None,
    ) -> None:
        if workers < 1:
            raise ConfigError(f"--workers must be >= 1, got {workers}")
        self.config = config
        self.n_workers = workers
        self.host_spec = host_spec
        # Batch size: fixed if given; else adapted so that a batch takes about
        # _BATCH_SECONDS (many rows per message for fast analyzers, one for slow ones).
        self._fixed_batch = batch_rows
        self.batch_rows = max(1, batch_rows or 4)
        self.prefetch = max(1, prefetch)
        self.max_queued = self.batch_rows * self.prefetch
        self._row_seconds: float | None = None
        self.hard_timeout = hard_limit(config.timeout) if hard_timeout is None else hard_timeout
        self._ctx = _context()
        self._workers: list[_Worker] = []
        self._start_failures = 0
        self.restarts = 0
        self.worker_cpu_seconds = 0.0  # CPU time of workers that exited cleanly
        self.convert_cpu_seconds = 0.0  # of which inside the converter

    # ---- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(
            target=_worker_main, args=(child, self.host_spec, self.config), daemon=True,
            name="lintseq-worker",
        )
        proc.start()
        child.close()
        return _Worker(proc, parent, last_heard=time.monotonic())

    def close(self) -> None:
        for w in self._workers:
            try:
                w.conn.send(None)
            except (BrokenPipeError, OSError):
                pass  # already dead: joined below
        deadline = time.monotonic() + 5
        for w in self._workers:
            try:
                while w.conn.poll(max(0.0, deadline - time.monotonic())):
                    kind, payload = w.conn.recv()
                    if kind == "bye":
                        self.worker_cpu_seconds += payload[0]
                        self.convert_cpu_seconds += payload[1]
                        break
            except (EOFError, OSError):
                pass  # it died on the way out: its CPU time is simply not counted
            w.proc.join(max(0.0, deadline - time.monotonic()))
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join()
            w.conn.close()
        self._workers = []

    # ---- the work ----------------------------------------------------------------------
    def imap(self, items: Iterable[InputItem]) -> Iterator[Outcome]:
        """Convert ``items``; rows that failed to read are rejected here without a worker."""
        while len(self._workers) < self.n_workers:
            self._workers.append(self._spawn())
        source = iter(items)
        retry: collections.deque[_Task] = collections.deque()  # rows to run again, in batches
        suspects: collections.deque[_Task] = collections.deque()  # rows to run again, alone
        done: dict[int, Outcome] = {}
        next_emit = next_seq = 0
        exhausted = False

        def take(k: int) -> list[_Task]:
            nonlocal next_seq, exhausted
            out: list[_Task] = []
            while len(out) < k:
                if retry:
                    out.append(retry.popleft())
                    continue
                if exhausted or next_seq - next_emit >= self.n_workers * self.max_queued * 4:
                    break
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                seq, next_seq = next_seq, next_seq + 1
                if item.error is not None:
                    done[seq] = reject_outcome(item.index, *item.error, line=item.line, shard=item.shard)
                else:
                    out.append(_Task(seq, item.index, item.row, item.shard))
            return out

        while True:
            # 1. hand out work: suspects alone to idle workers, other rows in batches
            for w in self._workers:
                if suspects:
                    if not w.queue:
                        w.careful = True
                        self._send(w, [suspects.popleft()])
                    continue
                if w.careful:
                    continue
                room = self.max_queued - len(w.queue)
                if room >= self.batch_rows or (room > 0 and not w.queue):
                    batch = take(min(room, self.batch_rows))
                    if batch:
                        self._send(w, batch)
            # 2. release finished results in order
            while next_emit in done:
                yield done.pop(next_emit)
                next_emit += 1
            busy = any(w.queue for w in self._workers)
            if exhausted and not retry and not suspects and not busy and next_emit == next_seq:
                return
            if not busy:
                continue  # nothing running (rows were read or the window opened): dispatch
            # 3. wait for results, a death or the nearest deadline
            self._wait_and_collect(done, retry, suspects)

    def _send(self, worker: _Worker, batch: list[_Task]) -> None:
        if not worker.queue:
            worker.last_heard = time.monotonic()  # the clock of a row starts when it is sent
        worker.queue.extend(batch)
        try:
            worker.conn.send([(t.index, t.row, t.shard) for t in batch])
        except (BrokenPipeError, OSError):
            pass  # the death is noticed by _wait_and_collect, which re-runs the rows

    def _wait_and_collect(self, done: dict[int, Outcome], retry: collections.deque[_Task],
                          suspects: collections.deque[_Task]) -> None:
        limit = None if self.hard_timeout is None else self.hard_timeout + _FLUSH_SECONDS
        timeout = None
        if limit is not None:
            now = time.monotonic()
            busy = [w.last_heard + limit - now for w in self._workers if w.ready and w.queue]
            if busy:
                timeout = max(0.0, min(busy))
        handles: dict[Any, _Worker] = {}
        for w in self._workers:
            handles[w.conn] = w
            handles[w.proc.sentinel] = w
        ready = wait(list(handles), timeout)
        dead: dict[int, tuple[_Worker, str, str]] = {}
        for handle in ready:
            w = handles[handle]
            if id(w) in dead:
                continue
            if handle is w.conn:
                problem = self._drain(w, done)
                if problem:
                    dead[id(w)] = (w, "worker_crash", problem)
            elif not w.conn.poll():
                w.proc.join(1)
                dead[id(w)] = (w, "worker_crash", _describe_exit(w.proc.exitcode))
        if limit is not None:
            now = time.monotonic()
            for w in self._workers:
                if id(w) not in dead and w.ready and w.queue and now - w.last_heard > limit:
                    dead[id(w)] = (
                        w, "timeout",
                        f"no result after {self.hard_timeout:.1f} s (hard limit for --timeout "
                        f"{self.config.timeout:g} s); the worker was killed and restarted",
                    )
        for w, reason, detail in dead.values():
            self._replace(w, reason, detail, done, retry, suspects)

    def _drain(self, w: _Worker, done: dict[int, Outcome]) -> str | None:
        """Read every message waiting on a worker's pipe; return a problem if it died."""
        try:
            while w.conn.poll():
                kind, payload = w.conn.recv()
                w.last_heard = time.monotonic()
                if kind == "ready":
                    w.ready = True
                    self._start_failures = 0
                elif kind == "done":
                    for outcome in payload:
                        task = w.queue.popleft()
                        done[task.seq] = outcome
                        self._observe(outcome.seconds)
                    if not w.queue:
                        w.careful = False
                elif kind == "init_error":
                    raise ConfigError(f"a worker could not build the converter: {payload}")
        except (EOFError, OSError):
            w.proc.join(1)
            return _describe_exit(w.proc.exitcode)
        return None

    def _observe(self, seconds: float) -> None:
        """Track the time per row (moving average) and size batches from it."""
        avg = self._row_seconds
        self._row_seconds = seconds if avg is None else 0.9 * avg + 0.1 * seconds
        if self._fixed_batch is None:
            size = int(_BATCH_SECONDS / max(self._row_seconds, 1e-5))
            self.batch_rows = min(_MAX_BATCH, max(1, size))
            self.max_queued = self.batch_rows * self.prefetch

    def _replace(self, w: _Worker, reason: str, detail: str, done: dict[int, Outcome],
                 retry: collections.deque[_Task], suspects: collections.deque[_Task]) -> None:
        if w.proc.is_alive():
            w.proc.kill()
        w.proc.join()
        w.conn.close()
        if not w.ready:
            self._start_failures += 1
            if self._start_failures >= _MAX_START_FAILURES:
                raise LintseqError(
                    f"worker processes die while starting ({detail}); "
                    "check that the plugins import in a fresh process (`lintseq-core languages`)"
                )
            retry.extendleft(reversed(w.queue))
        elif w.careful and len(w.queue) == 1:
            head = w.queue.popleft()  # alone on its worker: this row is the culprit
            if reason == "worker_crash":
                detail = f"{detail} while converting this row"
            done[head.seq] = reject_outcome(head.index, reason, detail, shard=head.shard)
        else:
            suspects.extend(w.queue)  # one of these did it: run each alone to find out which
        self.restarts += 1
        self._workers[self._workers.index(w)] = self._spawn()
