"""Plans: shipped ones validate and print their full grid; bad keys get one message naming them."""

from __future__ import annotations

import json

import pytest
from lintseq_experiment.cli import main
from lintseq_experiment.errors import PlanError
from lintseq_experiment.plan import list_plans, load_plan
from lintseq_experiment.stages import build_stages


def test_shipped_plans_are_listed():
    assert {"cpu-tiny", "paper-python", "cross-language"} <= set(list_plans())


@pytest.mark.parametrize("name", ["cpu-tiny", "paper-python", "cross-language"])
def test_plan_prints_every_stage_with_its_compute(name, capsys):
    plan = load_plan(name)
    stages = build_stages(plan)
    assert main(["plan", name]) == 0
    text = capsys.readouterr().out
    for stage in stages:
        assert stage.id in text
    cells = len(plan.languages) * len(plan.arms) * len(plan.models) * len(plan.seeds)
    assert sum(s.kind == "train" for s in stages) == cells
    assert sum(s.kind == "eval" for s in stages) == sum(
        len(lang.benchmarks) for lang in plan.languages) * len(plan.arms) * len(plan.models) * len(plan.seeds)
    assert "GPU-hours" in text and "optimizer steps" in text and "samples" in text and "disk" in text


def test_paper_plan_steps_match_across_arms(capsys):
    assert main(["plan", "paper-python", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["stages"]
    steps = {(r["cell"]["model"], r["cell"]["arm"]): r["estimate"]["steps"] for r in rows if r["kind"] == "train"}
    # 88.9k programs x 10 epochs / 512 per step, every arm alike (epochs counted in programs)
    assert set(steps.values()) == {-(-88900 * 10 // 512)}
    samples = {r["estimate"]["samples"] for r in rows if r["kind"] == "eval" and r["cell"]["benchmark"] == "humaneval"}
    assert samples == {164 * 64}


def test_keys_change_with_settings_and_only_downstream():
    base = {s.id: s.key for s in build_stages(load_plan("cpu-tiny"))}
    changed = {s.id: s.key for s in build_stages(load_plan("cpu-tiny", ["eval.n=3", "eval.ks=[1,3]"]))}
    for sid, key in base.items():
        assert (changed[sid] != key) == sid.startswith("eval:"), sid
    steps = {s.id: s.key for s in build_stages(load_plan("cpu-tiny", ["training.max_steps=5"]))}
    assert {sid for sid in base if steps[sid] != base[sid]} == {sid for sid in base if sid.startswith(("train:", "eval:"))}


@pytest.mark.parametrize(("override", "message"), [
    (["eval.temprature=1.0"], "unknown plan key 'eval.temprature' (did you mean eval.temperature?)"),
    (["arms.random.kind=shuffle"], "arms.random.kind' must be one of lintseq, random, baseline"),
    (["languages.python.benchmarks=[humanevl]"], "unknown benchmark 'humanevl' (did you mean humaneval"),
    (["languages.python.source=nowhere"], "languages.python.source' must name one of sources"),
    (["eval.n=2", "eval.temperature=0"], "eval.temperature' is 0 (greedy) with eval.n > 1"),
    (["models.tiny.overrides.max_steps=4"], "steps/epochs from training.max_steps"),
    (["models.tiny.overrides.learning_rate=-1"], "learning_rate must be > 0"),
    (["arms.random.analyzer=pylint"], "analyzer and verify apply to kind lintseq only"),
    (["seeds=[0,0]"], "repeats a seed"),
    (["report.reference_arm=nope"], "report.reference_arm' must name an arm"),
    (["report.confidence=95"], "report.confidence' must be between 0 and 1"),
    (["launcher.distributed=mpirun"], "launcher.distributed' must be one of accelerate, torchrun, deepspeed"),
    (["estimates.gpu_flop=1"], "unknown plan key 'estimates.gpu_flop' (did you mean estimates.gpu_flops?)"),
])
def test_bad_plans_name_the_key(override, message):
    with pytest.raises(PlanError) as info:
        load_plan("cpu-tiny", override)
    assert message in str(info.value)


def test_inheritance_and_cli_error(tmp_path, capsys):
    child = tmp_path / "child.yaml"
    child.write_text("inherit: cpu-tiny\nname: child\neval: {limit: 1}\nseeds: [0, 1]\n", encoding="utf-8")
    plan = load_plan(child)
    assert plan.name == "child" and plan.eval.limit == 1 and plan.eval.n == 2 and plan.seeds == (0, 1)
    # the parent's relative source path stays relative to the parent's folder
    assert plan.source_path(plan.sources["sample-javascript"]).is_file()
    bad = tmp_path / "bad.yaml"
    bad.write_text("inherit: cpu-tiny\nmodels: {tiny: {recipe: cpu-tiny, tiny: {layers: 1}, model: x}}\n", encoding="utf-8")
    assert main(["plan", str(bad)]) == 2
    assert "needs exactly one of model" in capsys.readouterr().err
