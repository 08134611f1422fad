"""One worker converts in-process: same bytes as worker processes, and a start-up that pays
for nothing it does not use (no worker process, no compiler run, no heavy module)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pipeline_helpers import HOST, write_jsonl

from lintseq_core.convert import ConvertConfig
from lintseq_core.pipeline import PipelineOptions, run_pipeline


def _run(tmp_path: Path, name: str, path: Path, **options) -> bytes:
    config = ConvertConfig(instruction_field="text", samples_per_program=2)
    result = run_pipeline(config, PipelineOptions(input=str(path), output=str(tmp_path / name),
                                                  progress=False, plugin_host=HOST, **options))
    assert result.summary.rows_read > 0
    return (tmp_path / name).read_bytes() + (tmp_path / name.replace(".jsonl", ".rejects.jsonl")).read_bytes()


def test_in_process_isolated_and_two_workers_give_identical_bytes(tmp_path, mbpp_rows):
    rows: list = [{"text": r["text"], "code": r["code"]} for r in mbpp_rows[:40]]
    rows[3] = "{broken"
    rows[7] = {"text": "empty", "code": "  \n"}
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    inproc = _run(tmp_path, "a.jsonl", path, workers=1)
    manifest = json.loads((tmp_path / "a.manifest.json").read_text())
    assert manifest["engine"]["in_process"] is True and manifest["engine"]["worker_restarts"] == 0
    assert inproc == _run(tmp_path, "b.jsonl", path, workers=1, isolate=True)
    assert json.loads((tmp_path / "b.manifest.json").read_text())["engine"]["in_process"] is False
    assert inproc == _run(tmp_path, "c.jsonl", path, workers=2)
    assert b'"reason": "malformed_json"' in inproc and b'"reason": "empty_program"' in inproc


def test_in_process_starts_no_worker_process(tmp_path, monkeypatch):
    """The in-process engine never touches multiprocessing: a Process start would fail here."""
    import multiprocessing.context

    def refuse(*args, **kwargs):
        raise AssertionError("a worker process was started for --workers 1")

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refuse)
    monkeypatch.setattr(multiprocessing.context.ForkServerProcess, "start", refuse)
    path = write_jsonl(tmp_path / "in.jsonl", [{"text": "t", "code": "x = 1\ny = x\n"}])
    _run(tmp_path, "out.jsonl", path, workers=1)
    with pytest.raises(AssertionError, match="worker process"):  # the check can fail
        _run(tmp_path, "iso.jsonl", path, workers=1, isolate=True)


# Modules a one-program conversion with the default analyzer must not import: the worker
# machinery, the progress bar (no terminal), importlib.metadata (read dist-info folders
# directly) and what only other languages or analyzers need.
_NOT_AT_START_UP = (
    "multiprocessing.forkserver", "multiprocessing.connection", "tqdm", "importlib.metadata", "email",
    "pylint", "astroid", "tree_sitter", "lintseq_treesitter.analysis", "pyarrow", "datasets",
)


def test_one_program_conversion_imports_and_runs_only_what_it_needs(tmp_path):
    """Start-up of `lintseq-core convert` on one row: no heavy import, no subprocess.

    Every compiler the compilers plugin knows is put on PATH as a script that records being
    run; the conversion (Python, default analyzer) must run none of them, as it must import
    none of the modules above (``python -X importtime`` lists what was imported).
    """
    from lintseq_compilers.plugin import TOOLCHAINS

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "ran.log"
    for tool in TOOLCHAINS:
        script = bin_dir / tool.executable
        script.write_text(f"#!/bin/sh\necho {tool.executable} >> {log}\necho '{tool.name} 1.0'\n")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    data = write_jsonl(tmp_path / "one.jsonl", [{"instruction": "add", "code": "def add(a, b):\n    return a + b\n"}])
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    res = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "lintseq_core.cli", "convert", "--lang", "python",
         "-i", str(data), "-o", str(tmp_path / "out.jsonl"), "-q"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert (tmp_path / "out.jsonl").read_text().count("\n") == 1
    imported = {line.split("|")[-1].strip() for line in res.stderr.splitlines() if line.startswith("import time:")}
    assert "lintseq_python.fast_analyzer" in imported  # the parse is right: the analyzer was imported
    heavy = sorted(m for m in imported if any(m == h or m.startswith(h + ".") for h in _NOT_AT_START_UP))
    assert not heavy, f"imported at start-up: {heavy}"
    assert not log.exists(), f"compilers were run at start-up: {log.read_text()}"
    manifest = json.loads((tmp_path / "out.manifest.json").read_text())
    assert "gcc" not in manifest["versions"] and "python-ast" in manifest["versions"]
