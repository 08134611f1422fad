"""Tasks that need the network: found once per task by probing the reference solution.

The sandbox has no network (docs/evaluation.md, "Threat model"); upstream BigCodeBench and
DS-1000 run online, and some of their tasks download data or talk to real hosts
(``nltk.download``, ``seaborn.load_dataset``, ``requests.get`` of a real URL). Such a task
fails here whatever the answer, so it says nothing about a model. Like a task whose library
is missing (:func:`lintseq_eval.execution.missing_libraries`), it is decided per *task*,
never from a sample's output (a sample must not be able to drop itself from the score by
printing an error):

1. a screen (:data:`HINTS`) keeps the tasks whose reference program or tests mention
   something that can reach the network or downloaded data (``socket``, ``urllib``,
   ``requests``, ``nltk``, ``load_dataset``, ``fetch_*``, a URL, ...); only benchmarks whose
   layout sets ``network_probe`` are screened;
2. each of those tasks' reference solution runs once in the sandbox under
   :mod:`lintseq_eval.network_probe`, which records name lookups and connections to hosts
   other than loopback (an audit hook the program cannot remove) and NLTK data that is not
   found;
3. a task is marked when its reference does **not** pass *and* the probe saw such an attempt.
   The evidence (hosts, resources, the reference's failure) is the reason its samples get.

Marked tasks' samples are not run: they get :attr:`~lintseq_eval.executors.Status.NEEDS_NETWORK`
and reports leave them out of pass@k, counted and listed with the evidence
(``--network-tasks run`` runs them anyway). Results are cached in
``$LINTSEQ_CACHE/network/`` (default ``~/.cache/lintseq``), one file per benchmark,
interpreter, sandbox backend, host, data folders (:data:`DATA_VARS`) and
:data:`PROBE_VERSION`; an entry is reused while its task's row is unchanged.

Data folders: where the user sets ``NLTK_DATA``, ``SEABORN_DATA`` or ``SCIKIT_LEARN_DATA``
to an existing folder, it is mounted read-only into every Python sandbox and the variable
passed in (:func:`data_dirs`); tasks whose data is there then pass the probe and are scored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import re
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lintseq_eval.benchmarks import Benchmark, Task
from lintseq_eval.errors import EvalError
from lintseq_eval.sandbox import Limits, UidPool, backend_name, default_workers

__all__ = [
    "DATA_VARS",
    "HINTS",
    "PROBE_VERSION",
    "NetworkTasks",
    "cache_path",
    "data_dirs",
    "evidence",
    "find_network_tasks",
    "screened",
]

PROBE_VERSION = 1  # bump when the probe, the screen or the marking rule changes
#: Environment variables naming data folders that tasks otherwise download (mounted read-only).
DATA_VARS = ("NLTK_DATA", "SEABORN_DATA", "SCIKIT_LEARN_DATA")
#: What makes a task a candidate: network modules and calls, data downloaders, URLs.
HINTS = re.compile(
    r"\b(?:socket|urllib3?|requests|https?|httpx|aiohttp|ftplib|smtplib|poplib|imaplib|nntplib|telnetlib"
    r"|nltk|textblob|gensim|wikipedia|geopy|mechanize|yfinance|pytube|load_dataset|get_file|fetch_\w+"
    r"|download\w*)\b|(?:https?|ftp)://"
)
_LINE = re.compile(r"^LINTSEQ-NETWORK (resolve|connect|data-missing|data-found) (.*)$", re.M)
_ANY_LINE = re.compile(r"LINTSEQ-NETWORK (?:resolve|connect|data-missing|data-found) [^\n]*\n?")
_EXCEPTION = re.compile(r"[A-Za-z_][\w.]*(?:Error|Exception|Exit)\b")
_PROBE_FILE = Path(__file__).with_name("network_probe.py")

log = logging.getLogger(__name__)


def data_dirs() -> dict[str, str]:
    """``{variable: folder}`` of the :data:`DATA_VARS` the user set to existing folders."""
    out = {}
    for var in DATA_VARS:
        value = os.environ.get(var, "")
        if value and os.path.isdir(value):
            out[var] = os.path.abspath(value)
    return out


@dataclass(frozen=True)
class NetworkTasks:
    """The tasks whose reference solution needs the network here, with the evidence."""

    tasks: Mapping[str, str]  # task id -> why
    probed: tuple[str, ...] = ()  # the task ids screened in and probed (or read from the cache)
    cache_file: str = ""
    data_dirs: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"policy": "skip", "probe_version": PROBE_VERSION, "probed": len(self.probed),
                "marked": len(self.tasks), "cache_file": self.cache_file, "data_dirs": dict(self.data_dirs)}


def _norm(resource: str) -> str:
    """One name for the forms NLTK tries for a resource: ``corpora/stopwords.zip/stopwords/``,
    ``corpora/stopwords`` and ``corpora/stopwords.zip`` are all ``corpora/stopwords``."""
    return re.sub(r"\.zip$", "", re.sub(r"[^/]+\.zip/", "", resource.strip())).strip("/")


def evidence(stderr: str) -> list[str]:
    """What the probe saw, from a probed run's stderr: remote hosts and NLTK data not found."""
    hosts, missing, found = [], [], set()
    for kind, detail in _LINE.findall(stderr):
        detail = detail.strip()
        if kind == "data-found":
            found.add(_norm(detail))
        elif kind == "data-missing":
            missing.append(_norm(detail))
        elif detail not in hosts:
            hosts.append(detail)
    data = [m for m in dict.fromkeys(missing) if m not in found]
    return [*(f"host {h}" for h in hosts), *(f"NLTK data {d!r}" for d in data)]


def screened(task: Task) -> bool:
    """Whether the task's layout asks for the probe and its reference or tests match :data:`HINTS`."""
    from lintseq_eval.languages import benchmark_layout
    from lintseq_eval.programs import canonical_program

    _, layout = benchmark_layout(task.benchmark)
    if not layout.network_probe:
        return False
    tests = layout.tests(task.raw)
    return HINTS.search(canonical_program(task) + "\n" + tests.before + "\n" + tests.tests) is not None


def _row_hash(task: Task) -> str:
    return hashlib.sha256(json.dumps(task.raw, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def cache_path(bench: Benchmark) -> Path:
    """Cache file of ``bench``'s probe on this interpreter, backend, host and data folders."""
    from lintseq_eval.languages import get_language

    key: dict[str, object] = {"benchmark": bench.name, "language": bench.language, "backend": backend_name(),
                              "host": platform.node(), "probe_version": PROBE_VERSION, "data_dirs": data_dirs()}
    lang = get_language(bench.language)
    if lang.interpreter is not None:
        key["interpreter"] = os.path.abspath(lang.interpreter())
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:24]
    from lintseq_eval.time_limits import cache_root

    return cache_root() / "network" / f"{bench.name}-{digest}.json"


def _read_cache(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, json.JSONDecodeError) as exc:
        log.warning("ignoring unreadable network-probe cache %s (%s)", path, exc)
        return {}
    entries = data.get("tasks") if isinstance(data, dict) else None
    return {str(k): v for k, v in entries.items() if isinstance(v, dict)} if isinstance(entries, dict) else {}


def _probe_one(task: Task, limits: Limits, pool: UidPool) -> str | None:
    """Why ``task`` needs the network (its reference fails after trying to reach it), else None."""
    from lintseq_eval.executors import Status, prepare, run_prepared, verdict
    from lintseq_eval.languages import get_language
    from lintseq_eval.programs import canonical_program

    wrap = get_language(task.language).network_probe
    if wrap is None:
        raise EvalError(f"benchmark {task.benchmark} asks for the network probe, but {task.language} has none "
                        "(EvalLanguage.network_probe)")
    prep = wrap(prepare(task, canonical_program(task), limits), _PROBE_FILE.read_text(encoding="utf-8"))
    result = run_prepared(prep, limits, pool=pool)
    out = verdict(result, prep)
    seen = evidence(result.stderr)
    if out.status is Status.PASS or not seen:
        return None
    return (f"reference solution fails offline ({out.status.value}: {_failure(out.reason)}) after trying to "
            f"reach {', '.join(seen[:4])}{' …' if len(seen) > 4 else ''}")


def _failure(reason: str) -> str:
    """A failure reason in one line: its first line, and its last exception line (a traceback's)."""
    lines = [" ".join(ln.split()) for ln in re.sub(r"\x1b\[[0-9;]*m", "", _ANY_LINE.sub("", reason)).splitlines()]
    lines = [ln for ln in lines if ln]
    if not lines:
        return "no output"
    head = lines[0][:160]
    exc = next((ln for ln in reversed(lines[1:]) if _EXCEPTION.match(ln)), None)
    return head if exc is None else f"{head} … {exc[:160]}"


def find_network_tasks(
    bench: Benchmark,
    limits: Limits,
    *,
    tasks: Sequence[Task] | None = None,
    workers: int | None = None,
    refresh: bool = False,
) -> NetworkTasks:
    """Probe ``tasks`` (default: all of ``bench``) that pass the screen; cached per task row.

    Tasks missing a library are not probed (their samples are not run anyway).
    """
    from lintseq_eval.execution import missing_libraries

    tasks = list(bench.tasks if tasks is None else tasks)
    candidates = [t for t in tasks if screened(t)]
    if not candidates:
        return NetworkTasks({}, (), "", data_dirs())
    missing = missing_libraries(candidates)
    candidates = [t for t in candidates if t.task_id not in missing]
    path = cache_path(bench)
    cached = {} if refresh else _read_cache(path)
    hashes = {t.task_id: _row_hash(t) for t in candidates}
    todo = [t for t in candidates if cached.get(t.task_id, {}).get("row") != hashes[t.task_id]]
    if todo:
        from lintseq_eval.executors import check_toolchain

        check_toolchain(bench.language)
        workers = workers or default_workers()
        pool = UidPool(workers)
        log.info("network probe: running %d reference solutions offline (cached in %s)", len(todo), path)
        with ThreadPoolExecutor(max_workers=workers) as ex:
            found = list(ex.map(lambda t: _probe_one(t, limits, pool), todo))
        cached.update({t.task_id: {"row": hashes[t.task_id], "needs_network": why} for t, why in zip(todo, found,
                                                                                                    strict=True)})
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"benchmark": bench.name, "probe_version": PROBE_VERSION, "data_dirs": data_dirs(),
                                   "tasks": cached}, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    marked = {t.task_id: str(cached[t.task_id]["needs_network"]) for t in candidates
              if cached[t.task_id].get("needs_network")}
    return NetworkTasks(marked, tuple(hashes), str(path), data_dirs())

