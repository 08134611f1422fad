"""The runner with stand-in commands: order, skipping finished stages, failures, status, lock."""

from __future__ import annotations

import sys

import lintseq_experiment.runner as runner
import pytest
from lintseq_experiment.errors import ExperimentError
from lintseq_experiment.plan import load_plan


@pytest.fixture
def fake_commands(monkeypatch, tmp_path):
    """Every stage appends its id to a log; stages named in ``failing`` exit 3."""
    log = tmp_path / "calls.txt"
    failing: set[str] = set()

    def command(plan, stage, out, dep_outs, **_kw):
        code = 3 if stage.id in failing else 0
        script = (f"import pathlib; p = pathlib.Path({str(log)!r}); "
                  f"p.write_text((p.read_text() if p.exists() else '') + {stage.id!r} + '\\n'); raise SystemExit({code})")
        return {"argv": [sys.executable, "-c", script], "fresh": True}

    monkeypatch.setattr(runner, "stage_command", command)
    return log, failing


def test_failed_stage_blocks_only_its_dependents_and_rerun_skips_done(tmp_path, fake_commands):
    log, failing = fake_commands
    plan = load_plan("cpu-tiny")
    failing.add("train:javascript:random:tiny:s0")
    outcomes = {o.id: o.state for o in runner.run_local(plan, tmp_path / "run", log=lambda _t: None)}
    assert outcomes["train:javascript:random:tiny:s0"] == "failed"
    assert outcomes["eval:javascript:random:tiny:s0:humaneval-x-js"] == "blocked"
    others = [sid for sid in outcomes if "javascript:random:tiny" not in sid]
    assert all(outcomes[sid] == "done" for sid in others)
    calls = log.read_text().split()
    assert len(calls) == len(outcomes) - 1  # the blocked eval never ran
    assert calls.index("prepare:python") < calls.index("model:tiny") < calls.index("train:python:lintseq:tiny:s0")
    states = {r["id"]: r["state"] for r in runner.stage_states(tmp_path / "run")}
    assert states["train:javascript:random:tiny:s0"] == "failed"
    assert states["eval:javascript:random:tiny:s0:humaneval-x-js"] == "pending"

    failing.clear()
    log.unlink()
    again = {o.id: o.state for o in runner.run_local(plan, tmp_path / "run", log=lambda _t: None)}
    assert log.read_text().split() == ["train:javascript:random:tiny:s0", "eval:javascript:random:tiny:s0:humaneval-x-js"]
    assert sum(s == "skipped" for s in again.values()) == len(again) - 2
    assert all(r["state"] == "done" for r in runner.stage_states(tmp_path / "run"))


def test_a_second_run_of_the_same_folder_is_refused(tmp_path, fake_commands):
    with runner.run_lock(tmp_path), pytest.raises(ExperimentError, match="being run by another process"):
        runner.run_local(load_plan("cpu-tiny"), tmp_path, log=lambda _t: None)
    assert not runner.is_locked(tmp_path)


def test_status_of_a_folder_that_is_no_run(tmp_path):
    with pytest.raises(ExperimentError, match="not a run folder"):
        runner.stage_states(tmp_path)
