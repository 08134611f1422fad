"""Slurm scripts chained by afterok (submitted through a stand-in sbatch), and the Ray task graph."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lintseq_experiment.launchers import write_slurm
from lintseq_experiment.plan import load_plan
from lintseq_experiment.stages import build_stages


def _submit_deps(submit: str) -> dict[str, set[str]]:
    """stage id -> ids of the stages its sbatch line waits for (afterok)."""
    var_of, deps = {}, {}
    lines = submit.splitlines()
    for line, echo in itertools.pairwise(lines):
        m = re.match(r"(j\d+)=\$\(sbatch --parsable(?: --dependency=afterok:(\S+))? \S+\)", line)
        if not m:
            continue
        sid = re.match(r'echo "(\S+) -> ', echo).group(1)
        var_of[m.group(1)] = sid
        deps[sid] = {var_of[v.lstrip("$")] for v in (m.group(2) or "").split(":") if v}
    return deps


def test_slurm_scripts_chain_every_stage_on_its_inputs(tmp_path):
    plan = load_plan("cpu-tiny", ["models.tiny.gpus=2"])
    stages = build_stages(plan)
    submit = write_slurm(plan, tmp_path / "run", distributed="torchrun", partition="gpu", time_limit="4:00:00",
                         setup=["source /opt/env/bin/activate"])
    scripts = sorted((tmp_path / "run" / "slurm").glob("*.sbatch"))
    assert len(scripts) == len(stages)
    deps = _submit_deps(submit.read_text())
    assert deps == {s.id: set(s.deps) for s in stages}
    train = next(p for p in scripts if "train-python-lintseq" in p.name).read_text()
    assert "#SBATCH --gpus-per-node=2" in train and "#SBATCH --partition=gpu" in train
    assert "#   torchrun --standalone --nproc_per_node 2 -m lintseq_training --config cpu-tiny" in train
    assert train.index("source /opt/env/bin/activate\n") < train.index("\npython -m lintseq_experiment.stage_exec ")
    prepare = next(p for p in scripts if "prepare-python" in p.name).read_text()
    assert "--gpus-per-node" not in prepare

    # a finished stage gets no script, and nothing waits for it
    grid = json.loads((tmp_path / "run" / "grid.json").read_text())
    folder = tmp_path / "run" / next(e["folder"] for e in grid if e["id"] == "prepare:python")
    (folder / "done.json").write_text("{}")
    deps = _submit_deps(write_slurm(plan, tmp_path / "run", distributed="deepspeed").read_text())
    assert "prepare:python" not in deps
    assert deps["convert:python:lintseq"] == set()
    assert deps["model:tiny"] == {"prepare:javascript"}


def test_slurm_submit_runs_sbatch_in_order(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.txt"
    fake = bin_dir / "sbatch"
    fake.write_text(f'#!/bin/bash\necho "$@" >> {calls}\nwc -l < {calls} | tr -d " "\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    plan = load_plan("cpu-tiny")
    write_slurm(plan, tmp_path / "run", distributed="accelerate", submit=True)
    lines = calls.read_text().splitlines()
    assert len(lines) == len(build_stages(plan))
    assert lines[0] == "--parsable 000-prepare-python.sbatch"
    # job ids are line numbers: model:tiny (3rd script) waits for both prepares (jobs 1 and 2)
    assert lines[2] == "--parsable --dependency=afterok:1:2 002-model-tiny.sbatch"


@pytest.mark.slow
def test_ray_driver_runs_the_graph_and_blocks_dependents(tmp_path):
    pytest.importorskip("ray")
    from lintseq_experiment.runner import materialize

    run = tmp_path / "run"
    materialize(load_plan("cpu-tiny"), run)
    log = tmp_path / "order.txt"
    for entry in json.loads((run / "grid.json").read_text()):
        path = run / entry["folder"] / "stage.json"
        spec = json.loads(path.read_text())
        code = 5 if entry["id"] == "train:python:random:tiny:s0" else 0
        spec["argv"] = [sys.executable, "-c", f"open({str(log)!r}, 'a').write({entry['id']!r} + '\\n'); raise SystemExit({code})"]
        spec.pop("resume", None)
        path.write_text(json.dumps(spec))
    result = subprocess.run([sys.executable, "-m", "lintseq_experiment.ray_driver", str(run)],
                            capture_output=True, text=True, timeout=600,
                            env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"})
    assert result.returncode == 1, result.stderr[-2000:]
    outcomes = json.loads(result.stdout[result.stdout.index("{"):])
    assert outcomes["train:python:random:tiny:s0"] == "failed"
    assert outcomes["eval:python:random:tiny:s0:humaneval"] == "blocked"
    assert sum(v == "done" for v in outcomes.values()) == len(outcomes) - 2
    order = Path(log).read_text().split()
    assert order.index("select:python") > order.index("convert:python:random")
