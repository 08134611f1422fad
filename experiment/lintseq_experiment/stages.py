"""The grid of a plan: every stage, what it depends on, and the hash that names its output.

Stages, per language L, arm A, model M, seed S and benchmark B:

- ``prepare:L``: the programs of L from its source (filtered by the language field, capped);
- ``model:M``: a tiny model built from a config (only for models given as ``tiny``);
- ``convert:L:A``: ``lintseq-core convert`` of the prepared programs (lintseq and random arms;
  convert extracts the code from markdown answers, and its ``program`` field is what the
  baseline trains on);
- ``select:L``: the programs every arm of L kept, so all arms train on the same programs;
- ``train:L:A:M:sS``: ``lintseq-train`` with the model's recipe, the arm's format and the
  language's step count (matched compute: one number for every arm of L);
- ``eval:L:A:M:sS:B``: ``lintseq-eval`` of the trained model.

A stage's key hashes its kind, its settings and the keys of the stages it reads, so a changed
setting gives a new folder and an unchanged one is found finished on a rerun.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lintseq_experiment.plan import Arm, Language, ModelSpec, Plan, Source

__all__ = ["STAGE_FORMAT", "Stage", "build_stages", "stage_command", "train_config"]

#: bump when a stage's outputs change meaning, so old folders are not taken as finished
STAGE_FORMAT = 2


@dataclass(frozen=True)
class Stage:
    """One unit of work: its id in the grid, its cell, its settings and its dependencies."""

    id: str
    kind: str
    key: str
    deps: tuple[str, ...]
    settings: Mapping[str, Any]
    cell: Mapping[str, Any] = field(default_factory=dict)

    @property
    def folder(self) -> str:
        """Folder of the stage under ``stages/``: readable id plus the key's first 12 digits."""
        slug = re.sub(r"[^A-Za-z0-9_.+-]+", "-", self.id.split(":", 1)[-1]) if ":" in self.id else self.kind
        return f"{self.kind}/{slug}-{self.key[:12]}"


def _key(kind: str, settings: Mapping[str, Any], deps: list[Stage]) -> str:
    blob = json.dumps({"format": STAGE_FORMAT, "kind": kind, "settings": settings,
                       "deps": sorted(d.key for d in deps)}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _fingerprint(path: Path) -> str:
    """sha256 of a local source file, so edited data gives new stage keys."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


def _source_settings(plan: Plan, source: Source) -> dict[str, Any]:
    path = plan.source_path(source)
    out: dict[str, Any] = {
        "path": None if path is None else str(path), "hub": source.hub, "format": source.format,
        "split": source.split, "subset": source.subset, "revision": source.revision,
        "code_field": source.code_field, "instruction_field": source.instruction_field,
        "language_field": source.language_field,
    }
    if path is not None and path.is_file():
        out["fingerprint"] = _fingerprint(path)
    return out


def train_config(plan: Plan, model: ModelSpec, arm: Arm) -> dict[str, Any]:
    """The resolved training config of ``model`` for ``arm`` (recipe + overrides), as a dict."""
    from lintseq_training.config import load_config

    cfg = load_config(model.recipe_for(arm.format), {**model.overrides, "format": arm.format})
    out = cfg.to_dict()
    for name in ("model", "tokenizer", "data", "output_dir", "resume_from_checkpoint", "run_name"):
        out.pop(name, None)
    if plan.epochs is not None:
        out["num_train_epochs"] = plan.epochs
    if plan.max_steps is not None:
        out["max_steps"] = plan.max_steps
    return out


def build_stages(plan: Plan) -> list[Stage]:
    """Every stage of ``plan`` in an order where each comes after the stages it reads."""
    stages: list[Stage] = []

    def add(kind: str, sid: str, settings: dict[str, Any], deps: list[Stage], **cell: Any) -> Stage:
        stage = Stage(sid, kind, _key(kind, settings, deps), tuple(d.id for d in deps), settings, cell)
        stages.append(stage)
        return stage

    prepares: dict[str, Stage] = {}
    for lang in plan.languages:
        prepares[lang.name] = add("prepare", f"prepare:{lang.name}", {
            "source": _source_settings(plan, plan.sources[lang.source]),
            "language": lang.name, "source_value": lang.source_value, "max_programs": lang.max_programs,
        }, [], language=lang.name)
    models: dict[str, Stage | None] = {}
    for model in plan.models:
        if model.tiny is None:
            models[model.name] = None
            continue
        models[model.name] = add("model", f"model:{model.name}", {"tiny": dict(model.tiny)},
                                 list(prepares.values()), model=model.name)
    for lang in plan.languages:
        converts: dict[str, Stage] = {}
        for arm in plan.arms:
            if arm.kind == "baseline":
                continue
            converts[arm.name] = add("convert", f"convert:{lang.name}:{arm.name}", {
                "language": lang.name, "sampler": arm.kind, "analyzer": arm.analyzer, "verify": arm.verify,
                "samples_per_program": plan.samples_per_program, "seed": plan.convert_seed,
                "timeout": plan.convert_timeout,
            }, [prepares[lang.name]], language=lang.name, arm=arm.name)
        select = add("select", f"select:{lang.name}", {
            "arms": {a.name: _data_arm(plan, a) for a in plan.arms},
        }, list(converts.values()), language=lang.name)
        for arm in plan.arms:
            for model in plan.models:
                built = models[model.name]
                for seed in plan.seeds:
                    train = add("train", f"train:{lang.name}:{arm.name}:{model.name}:s{seed}", {
                        "arm": arm.name, "base_model": model.model, "config": train_config(plan, model, arm),
                        "seed": seed,
                    }, [select] + ([built] if built is not None else []),
                        language=lang.name, arm=arm.name, model=model.name, seed=seed)
                    _add_evals(plan, lang, arm, model, seed, train, add)
    return stages


def _data_arm(plan: Plan, arm: Arm) -> str:
    """The converted arm whose rows ``arm`` trains on (itself, or a baseline's ``data_from``)."""
    if arm.kind != "baseline":
        return arm.name
    if arm.data_from is not None:
        return arm.data_from
    converted = [a for a in plan.arms if a.kind != "baseline"]
    return next((a.name for a in converted if a.kind == "lintseq"), converted[0].name)


def _add_evals(plan: Plan, lang: Language, arm: Arm, model: ModelSpec, seed: int, train: Stage, add: Any) -> None:
    ev = plan.eval
    for bench in lang.benchmarks:
        add("eval", f"eval:{lang.name}:{arm.name}:{model.name}:s{seed}:{bench}", {
            "benchmark": bench, "format": arm.format, "n": ev.n, "temperature": ev.temperature,
            "top_p": ev.top_p, "max_new_tokens": ev.max_new_tokens, "limit": ev.limit,
            "dataset": ev.dataset, "timeout": ev.timeout, "seed": seed,
        }, [train], language=lang.name, arm=arm.name, model=model.name, seed=seed, benchmark=bench)


# -- commands ----------------------------------------------------------------------------


def _script(name: str, portable: bool) -> str:
    """A console script of this environment (absolute locally; bare name in batch scripts)."""
    if portable:
        return name
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def stage_command(plan: Plan, stage: Stage, out: Path, dep_outs: Mapping[str, Path], *,
                  distributed: str | None = None, gpus: int = 1, portable: bool = False) -> dict[str, Any]:
    """How to run ``stage`` writing into ``out``: ``argv`` plus the resume rule of its tool.

    ``resume`` is ``{"if_exists": path, "add": [...], "else": [...]}``: the flags to add when an
    interrupted earlier attempt left ``path`` behind (checked when the stage starts);
    ``fresh`` says the output folder is emptied before a new attempt.
    """
    python = "python" if portable else sys.executable
    s = stage.settings
    if stage.kind in ("prepare", "select", "model"):
        return {"argv": [python, "-m", "lintseq_experiment.tasks", stage.kind, str(out.parent)], "fresh": True}
    if stage.kind == "convert":
        prepared = dep_outs[stage.deps[0]] / "programs.jsonl"
        output = out / "converted.jsonl"
        argv = [_script("lintseq-core", portable), "convert", "--lang", s["language"], "--sampler", s["sampler"],
                "-i", str(prepared), "--code-field", "code", "--instruction-field", "instruction",
                "--samples-per-program", str(s["samples_per_program"]),
                "--seed", str(s["seed"]), "-o", str(output), "-w", str(plan.convert_workers), "-q"]
        if s["analyzer"]:
            argv += ["--linter", s["analyzer"]]
        if s["verify"]:
            argv += ["--verify"]
        if s["timeout"] is not None:
            argv += ["--timeout", str(s["timeout"])]
        return {"argv": argv, "resume": {"if_exists": str(output) + ".lintseq-state/checkpoint.json",
                                         "add": ["--resume"], "else": ["--overwrite"]}}
    if stage.kind == "train":
        return _train_command(plan, stage, out, dep_outs, distributed=distributed, gpus=gpus, portable=portable)
    if stage.kind == "eval":
        argv = [_script("lintseq-eval", portable), "--benchmark", s["benchmark"],
                "--model", str(dep_outs[stage.deps[0]]), "--format", s["format"], "--n", str(s["n"]),
                "--temperature", str(s["temperature"]), "--top-p", str(s["top_p"]),
                "--max-new-tokens", str(s["max_new_tokens"]), "--seed", str(s["seed"]),
                "--output-dir", str(out), "--no-plots", "-q"]  # the report draws its own plots
        for flag, name in (("--limit", "limit"), ("--dataset", "dataset"), ("--timeout", "timeout")):
            if s[name] is not None:
                argv += [flag, str(s[name])]
        if plan.eval.workers is not None:
            argv += ["--workers", str(plan.eval.workers)]
        return {"argv": argv, "fresh": True}
    raise ValueError(f"unknown stage kind {stage.kind!r}")


def _train_command(plan: Plan, stage: Stage, out: Path, dep_outs: Mapping[str, Path], *,
                   distributed: str | None, gpus: int, portable: bool) -> dict[str, Any]:
    s = stage.settings
    cfg = s["config"]
    model = next(m for m in plan.models if m.name == stage.cell["model"])
    select_out = dep_outs[stage.deps[0]]
    base = s["base_model"] or str(dep_outs[stage.deps[1]] / "model")
    args = ["--config", model.recipe_for(cfg["format"]), "--model", base,
            "--data", str(select_out / f"{s['arm']}.jsonl"), "--format", cfg["format"],
            "--output-dir", str(out), "--seed", str(s["seed"]), "-q"]
    if cfg.get("max_steps") is not None:
        args += ["--max-steps", str(cfg["max_steps"])]
    args += ["--epochs", str(cfg["num_train_epochs"])]
    for key, value in sorted(_flatten(model.overrides).items()):
        args += ["--set", f"{key}={_flag_value(value)}"]
    if distributed is None or gpus <= 1:
        argv = [_script("lintseq-train", portable), *args]
    elif distributed == "accelerate":
        argv = ["accelerate", "launch", "--num_processes", str(gpus), "-m", "lintseq_training", *args]
    elif distributed == "torchrun":
        argv = ["torchrun", "--standalone", "--nproc_per_node", str(gpus), "-m", "lintseq_training", *args]
    elif distributed == "deepspeed":
        argv = ["deepspeed", "--num_gpus", str(gpus), "--module", "lintseq_training", *args]
    else:
        raise ValueError(f"unknown distributed launcher {distributed!r}")
    return {"argv": argv, "resume": {"if_exists": str(out / "checkpoint-*"),
                                     "add": ["--resume-from-checkpoint", "latest"], "else": []}}


def _flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"lora": {"r": 8}}`` -> ``{"lora.r": 8}``, the form ``lintseq-train --set`` takes."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Mapping) and key != "training_args":
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _flag_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
