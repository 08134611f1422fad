"""``kill -9`` in the middle of a conversion, then ``--resume``: same bytes as an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import psutil
from pipeline_helpers import cli_command, cli_env, read_jsonl, run_cli, write_jsonl


def test_kill_9_then_resume_gives_the_uninterrupted_output(tmp_path, mbpp_rows):
    # 600 rows, long enough to be killed part-way (the few fixture rows repeat on a bare clone)
    rows: list = [{"text": r["text"], "code": r["code"]} for r in (mbpp_rows * 10)[:600]]
    rows[40] = '{"text": "malformed", "code": '
    rows[300] = {"text": "empty", "code": "   \n"}
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    common = ["--lang", "python", "-i", str(path), "--instruction-field", "text",
              "--samples-per-program", "2", "--checkpoint-seconds", "0.1", "-q"]

    # 1. Start, wait for a checkpoint part-way through, then SIGKILL the main process. One
    # worker converts in-process unless --isolate asks for a worker process, whose orphaned
    # exit is checked below.
    state = tmp_path / "killed.jsonl.lintseq-state"
    proc = subprocess.Popen(cli_command([*common, "--isolate", "-o", str(tmp_path / "killed.jsonl")]),
                            cwd=tmp_path, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = 0
    deadline = time.monotonic() + 120
    children: list[psutil.Process] = []
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            done = json.loads((state / "checkpoint.json").read_text())["next_seq"]
        except (OSError, ValueError):
            done = 0
        if done >= 100:
            children = psutil.Process(proc.pid).children(recursive=True)
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    if proc.poll() is None and not children:  # never reached 100 rows: do not leak it
        proc.kill()
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert children, "the run never reached 100 rows within the deadline"
    assert 100 <= done < 600
    assert not (tmp_path / "killed.jsonl").exists() and state.is_dir()
    # Orphaned workers notice that the parent is gone and exit by themselves.
    _gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, f"workers survived the parent: {alive}"

    # 2. Resuming with other options is refused, naming what changed.
    res = run_cli([*common, "-o", str(tmp_path / "killed.jsonl"), "--resume", "--seed", "3"], cwd=tmp_path)
    assert res.returncode == 2 and "config" in res.stderr and "--overwrite" in res.stderr
    # Starting again without --resume is refused too: nothing is silently thrown away.
    res = run_cli([*common, "-o", str(tmp_path / "killed.jsonl")], cwd=tmp_path)
    assert res.returncode == 2 and "--resume" in res.stderr

    # 3. Resume to the end, with another number of workers.
    res = run_cli([*common, "-o", str(tmp_path / "killed.jsonl"), "--resume", "--workers", "2"],
                  cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert not state.exists()

    # 4. The uninterrupted run.
    res = run_cli([*common, "-o", str(tmp_path / "clean.jsonl")], cwd=tmp_path)
    assert res.returncode == 0, res.stderr

    assert (tmp_path / "killed.jsonl").read_bytes() == (tmp_path / "clean.jsonl").read_bytes()
    assert (tmp_path / "killed.rejects.jsonl").read_bytes() == (tmp_path / "clean.rejects.jsonl").read_bytes()
    out = read_jsonl(tmp_path / "killed.jsonl")
    rejects = read_jsonl(tmp_path / "killed.rejects.jsonl")
    assert {r["index"] for r in out} | {r["index"] for r in rejects} == set(range(600))
    assert {r["index"]: r["reason"] for r in rejects if r["index"] in (40, 300)} == {
        40: "malformed_json", 300: "empty_program"}
    m_killed = json.loads((tmp_path / "killed.manifest.json").read_text())
    m_clean = json.loads((tmp_path / "clean.manifest.json").read_text())
    assert m_killed["resumed"] == 1 and m_clean["resumed"] == 0
    for key in ("rows_read", "converted", "rejected_by_reason", "output_rows", "edits_per_program"):
        assert m_killed["counts"][key] == m_clean["counts"][key], key
