"""cpu-tiny end to end: 2 languages x 3 arms, killed with SIGKILL mid-run, rerun, reported."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="HumanEval-X-JS needs node on PATH")

CLI = [sys.executable, "-m", "lintseq_experiment.cli"]


def _markers(run: Path, name: str) -> dict[str, dict]:
    grid = json.loads((run / "grid.json").read_text())
    out = {}
    for entry in grid:
        path = run / entry["folder"] / name
        if path.is_file():
            out[entry["id"]] = json.loads(path.read_text())
    return out


@pytest.mark.slow
@pytest.mark.timeout(1800)  # ~2 CPU-minutes; wall time grows on a shared machine
def test_cpu_tiny_killed_and_resumed_then_reported(tmp_path, repo_root):
    run = tmp_path / "run"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1",
           "TOKENIZERS_PARALLELISM": "false"}
    args = [*CLI, "run", "cpu-tiny", "--set", f"eval.dataset={repo_root / 'tests' / 'fixtures' / 'data'}",
            "--output-dir", str(run), "-q"]
    first = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    target = "eval:python:lintseq:tiny:s0:humaneval"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and first.poll() is None:
        if (run / "grid.json").is_file() and target in _markers(run, "started.json"):
            break
        time.sleep(0.2)
    assert first.poll() is None, first.communicate()
    os.kill(first.pid, signal.SIGKILL)  # the runner itself; its stage command dies with it
    first.wait()
    done_before = _markers(run, "done.json")
    assert "train:python:lintseq:tiny:s0" in done_before and target not in done_before
    status = subprocess.run([*CLI, "status", str(run)], env=env, capture_output=True, text=True)
    assert f"{target}" in status.stdout and "interrupted" in status.stdout

    second = subprocess.run(args, env=env, capture_output=True, text=True, timeout=900)
    assert second.returncode == 0, second.stderr[-3000:]
    counts = json.loads(second.stdout)["stages"]
    assert counts == {"skipped": len(done_before), "done": 21 - len(done_before)}
    done_after = _markers(run, "done.json")
    assert len(done_after) == 21
    for sid, marker in done_before.items():  # finished stages were not redone
        assert done_after[sid] == marker
    assert done_after[target]["attempts"] == 2

    # the matched-compute rule held: one step count and one program set per language
    trains = {sid: json.loads((run / e["folder"] / "out" / "lintseq_train.json").read_text())["result"]
              for e in json.loads((run / "grid.json").read_text()) if (sid := e["id"]).startswith("train:")}
    for lang, programs in (("python", 51), ("javascript", 20)):  # the sample's fenced answer is extracted too
        mine = [r for sid, r in trains.items() if f":{lang}:" in sid]
        assert len(mine) == 3 and {r["global_step"] for r in mine} == {3}
        assert {r["data"]["programs"] for r in mine} == {programs}

    rep = subprocess.run([*CLI, "report", str(run)], env=env, capture_output=True, text=True)
    assert rep.returncode == 0, rep.stderr
    report = run / "report"
    md = (report / "report.md").read_text()
    assert "| python | **matched** |" in md and "| javascript | **matched** |" in md
    assert "## python · tiny · humaneval" in md and "## javascript · tiny · humaneval-x-js" in md
    rows = (report / "pass_at_k.csv").read_text().splitlines()
    assert len(rows) == 1 + 2 * 3 * 2  # 2 languages x 3 arms x k in (1, 2)
    assert len((report / "paired.csv").read_text().splitlines()) == 1 + 2 * 2 * 2
    assert len(list(report.glob("*.png"))) == 2
    assert (report / "report.html").read_text().count("data:image/png;base64,") == 2
