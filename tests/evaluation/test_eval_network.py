"""Tasks that need the network: the offline probe of reference solutions, NEEDS_NETWORK, reports.

Hand-written BigCodeBench-schema tasks (standard library only, so any interpreter runs
them). Host names end in ``.invalid`` (RFC 2606): they resolve nowhere, so the tests hold on
a machine with network too; in the bwrap sandbox nothing resolves anyway.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from lintseq_eval import network
from lintseq_eval.benchmarks import Benchmark, Task, load_benchmark
from lintseq_eval.cli import main
from lintseq_eval.execution import Sample, evaluate_samples
from lintseq_eval.executors import Status
from lintseq_eval.languages import benchmark_layout
from lintseq_eval.network import evidence, find_network_tasks, screened
from lintseq_eval.programs import canonical_program, empty_program
from lintseq_eval.report import summarize
from lintseq_eval.sandbox import Limits, backend_name

LIMITS = Limits(run_timeout_s=60)
_TEST = "import unittest\nclass TestCases(unittest.TestCase):\n    def test_one(self):\n        self.assertEqual(task_func(), 1)\n"
# task number -> (code prompt, canonical solution): what the probe must decide
ROWS = {
    # resolves a host name and lets the error escape: needs the network
    1: ("import socket\ndef task_func():\n", "    socket.gethostbyname('data.lintseq.invalid')\n    return 1\n"),
    # swallows the error and returns a wrong answer: the audit hook still saw the lookup
    2: ("import urllib.request\ndef task_func():\n",
        "    try:\n        urllib.request.urlopen('http://files.lintseq.invalid/x.csv', timeout=5)\n"
        "    except OSError:\n        return None\n    return 1\n"),
    # mentions socket (screened in) but only talks to itself over a socket pair: passes, not marked
    3: ("import socket\ndef task_func():\n",
        "    a, b = socket.socketpair()\n    a.sendall(b'x')\n    return len(b.recv(1))\n"),
    # fails, but never tries the network: a real failure, not marked
    4: ("import json  # requests is mocked in the tests\ndef task_func():\n", "    return 2\n"),
    # no hint at all: never probed
    5: ("def task_func():\n", "    return 1\n"),
}


def _row(n: int, code_prompt: str, solution: str) -> dict[str, str]:
    return {"task_id": f"BigCodeBench/{n}", "complete_prompt": code_prompt, "instruct_prompt": "Write task_func.",
            "canonical_solution": solution, "code_prompt": code_prompt, "test": _TEST, "entry_point": "task_func",
            "doc_struct": "{}", "libs": "[]"}


@pytest.fixture(autouse=True)
def _bwrap_and_private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if backend_name() != "bwrap":
        pytest.skip("the probe's verdicts need the bwrap sandbox (no network namespace otherwise)")
    monkeypatch.setenv("LINTSEQ_CACHE", str(tmp_path / "cache"))
    for var in network.DATA_VARS:
        monkeypatch.delenv(var, raising=False)


@pytest.fixture()
def bench(tmp_path: Path) -> Benchmark:
    rows = [_row(n, *ROWS[n]) for n in ROWS]
    path = tmp_path / "BigCodeBench.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    return load_benchmark("bigcodebench-complete", path)


def test_screen_keeps_tasks_that_mention_the_network(bench: Benchmark) -> None:
    assert [screened(t) for t in bench.tasks] == [True, True, True, True, False]
    humaneval = Task("humaneval", "HumanEval/0", "python", {"prompt": "import socket\n", "canonical_solution": "",
                                                             "test": "", "entry_point": "f"})
    assert not screened(humaneval)  # its layout does not ask for the probe


def test_probe_marks_tasks_whose_reference_fails_after_reaching_out(bench: Benchmark) -> None:
    found = find_network_tasks(bench, LIMITS, workers=2)
    assert sorted(found.tasks) == ["BigCodeBench/1", "BigCodeBench/2"]
    assert found.probed == ("BigCodeBench/1", "BigCodeBench/2", "BigCodeBench/3", "BigCodeBench/4")
    assert "host data.lintseq.invalid" in found.tasks["BigCodeBench/1"]
    assert "gaierror" in found.tasks["BigCodeBench/1"]
    assert "host files.lintseq.invalid" in found.tasks["BigCodeBench/2"]
    assert "AssertionError: None != 1" in found.tasks["BigCodeBench/2"]
    assert "LINTSEQ-NETWORK" not in found.tasks["BigCodeBench/2"]


def test_probe_is_cached_per_task_row(bench: Benchmark, monkeypatch: pytest.MonkeyPatch) -> None:
    first = find_network_tasks(bench, LIMITS, workers=2)
    assert Path(first.cache_file).is_file()
    ran: list[str] = []
    real = network._probe_one
    monkeypatch.setattr(network, "_probe_one", lambda t, lim, pool: ran.append(t.task_id) or real(t, lim, pool))
    assert find_network_tasks(bench, LIMITS, workers=2).tasks == first.tasks
    assert ran == []  # nothing rerun
    row = dict(bench.tasks[0].raw, canonical_solution="    return 1\n")  # the task changed: probed again
    changed = Benchmark(bench.name, bench.language, (Task(bench.name, "BigCodeBench/1", "python", row),
                                                    *bench.tasks[1:]), bench.source, "other")
    again = find_network_tasks(changed, LIMITS, workers=2)
    assert ran == ["BigCodeBench/1"] and sorted(again.tasks) == ["BigCodeBench/2"]


def test_samples_of_marked_tasks_are_not_run_nor_scored(bench: Benchmark) -> None:
    found = find_network_tasks(bench, LIMITS, workers=2)
    by_id = bench.by_id()
    samples = [Sample("BigCodeBench/1", 0, "", canonical_program(by_id["BigCodeBench/1"])),
               Sample("BigCodeBench/1", 1, "", empty_program(by_id["BigCodeBench/1"])),
               # a sample cannot drop itself from the score by looking like a network failure
               Sample("BigCodeBench/5", 0, "", "def task_func():\n    raise OSError('[Errno -3] Temporary failure "
                      "in name resolution')\n"),
               Sample("BigCodeBench/5", 1, "", canonical_program(by_id["BigCodeBench/5"]))]
    results = evaluate_samples(by_id, samples, limits=LIMITS, workers=2, needs_network=found.tasks)
    assert [r.status for r in results] == [Status.NEEDS_NETWORK, Status.NEEDS_NETWORK, Status.FAIL, Status.PASS]
    assert results[0].reason.startswith("not run: reference solution fails offline")
    assert results[0].wall_s == 0.0 and not results[0].scored and results[2].scored
    summary = summarize(results)
    assert summary["tasks"] == 2 and summary["tasks_scored"] == 1
    assert summary["pass_at_k"] == {"pass@1": 0.5, "pass@2": 1.0}  # BigCodeBench/5 only: 1 of its 2 pass
    assert list(summary["needs_network"]["task_ids"]) == ["BigCodeBench/1"]
    assert summary["status_counts"] == {"NEEDS_NETWORK": 2, "FAIL": 1, "PASS": 1}


@pytest.mark.parametrize("policy", ["skip", "run"])
def test_cli_skips_or_runs_network_tasks(bench: Benchmark, tmp_path: Path, policy: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    timeout = ["--timeout", "60"] if policy == "run" else []  # else BigCodeBench's default, upstream's 240 s
    assert main(["--benchmark", "bigcodebench-complete", "--dataset", bench.source, "--canonical", *timeout,
                 "--workers", "2", "--network-tasks", policy, "--output-dir", str(out), "--no-plots", "-q"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["config"]["limits"]["run_timeout_s"] == (60 if policy == "run" else 240)
    if policy == "skip":
        assert summary["status_counts"] == {"NEEDS_NETWORK": 2, "PASS": 2, "FAIL": 1}
        assert summary["tasks_scored"] == 3 and summary["needs_network"]["tasks"] == 2
        assert summary["config"]["network_tasks"]["probed"] == 4
        assert "## Tasks not run: need the network (2 of 5)" in (out / "report.md").read_text()
        assert "over 3 of 5 tasks (rest: need the network)" in capsys.readouterr().out
    else:
        assert summary["status_counts"] == {"FAIL": 3, "PASS": 2} and "needs_network" not in summary
        assert summary["config"]["network_tasks"] == {"policy": "run"}


def test_upstream_time_limits_are_the_default_timeouts() -> None:
    assert benchmark_layout("bigcodebench-instruct")[1].run_timeout_s == 240
    assert benchmark_layout("ds1000")[1].run_timeout_s == 120
    assert benchmark_layout("humaneval")[1].run_timeout_s is None  # Limits' 10 s


def test_data_folders_are_mounted_read_only(bench: Benchmark, monkeypatch: pytest.MonkeyPatch) -> None:
    data = Path(tempfile.mkdtemp(prefix="lintseq-nltk-"))  # under /tmp, reachable by the sandbox's uid
    try:
        os.chmod(data, 0o755)
        (data / "corpus.txt").write_text("1\n")
        os.chmod(data / "corpus.txt", 0o644)
        monkeypatch.setenv("NLTK_DATA", str(data))
        reads = ("import os\ndef task_func():\n    path = os.path.join(os.environ['NLTK_DATA'], 'corpus.txt')\n"
                 "    try:\n        open(path, 'a').close()\n        return 0\n    except OSError:\n"
                 "        return int(open(path).read())\n")
        [result] = evaluate_samples(bench.by_id(), [Sample("BigCodeBench/5", 0, "", reads)], limits=LIMITS, workers=1)
        assert result.status is Status.PASS, result.reason  # readable, not writable
    finally:
        for f in data.iterdir():
            f.unlink()
        data.rmdir()


def test_evidence_reads_hosts_and_data_nltk_never_found() -> None:
    stderr = ("noise\nLINTSEQ-NETWORK resolve raw.githubusercontent.com\n"
              "LINTSEQ-NETWORK connect 8.8.8.8\n"
              "LINTSEQ-NETWORK data-missing corpora/stopwords.zip/stopwords/\n"
              "LINTSEQ-NETWORK data-found corpora/stopwords\n"  # an unzipped copy was found
              "LINTSEQ-NETWORK data-missing tokenizers/punkt/PY3/english.pickle\n")
    assert evidence(stderr) == ["host raw.githubusercontent.com", "host 8.8.8.8",
                                "NLTK data 'tokenizers/punkt/PY3/english.pickle'"]
    assert evidence("Temporary failure in name resolution\n") == []


def test_probe_script_reports_lookups_even_when_caught(tmp_path: Path) -> None:
    """The in-sandbox half on its own: an audit hook and a watched ``nltk.data.find``."""
    (tmp_path / "netprobe.py").write_text(Path(network.__file__).with_name("network_probe.py").read_text())
    fake = tmp_path / "nltk"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "data.py").write_text("def find(name, paths=None):\n    if name == 'corpora/here':\n        return name\n"
                                  "    if '.zip' not in name:\n        try:\n            return find(name + '.zip')\n"
                                  "        except LookupError:\n            pass\n    raise LookupError(name)\n")
    (tmp_path / "script.py").write_text(
        "import os, socket\nos.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # as BigCodeBench's harness does\n"
        "for call in (lambda: socket.getaddrinfo('a.lintseq.invalid', 80), lambda: socket.gethostbyname('localhost'),\n"
        "             lambda: socket.create_connection(('127.0.0.1', 9), timeout=1)):\n"
        "    try:\n        call()\n    except OSError:\n        pass\n"
        "import nltk.data\nnltk.data.find('corpora/here')\n"
        "try:\n    nltk.data.find('corpora/gone')\nexcept LookupError:\n    pass\n"
        "print('script ran as', __name__)\n")
    proc = subprocess.run([sys.executable, "netprobe.py", "script.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "script ran as __main__\n"
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("LINTSEQ-NETWORK")]
    assert lines == ["LINTSEQ-NETWORK resolve a.lintseq.invalid", "LINTSEQ-NETWORK data-found corpora/here",
                     "LINTSEQ-NETWORK data-missing corpora/gone"]
