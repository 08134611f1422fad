"""The training config: one frozen dataclass, loaded from YAML recipes and overridden by flags.

A recipe is a YAML file of :class:`TrainConfig` fields; ``inherit: NAME`` reads another
recipe first, so each file states only what differs (as nanoGPT's config overrides do).
Shipped recipes live in ``lintseq_training/recipes`` and are selected by name; any other
value is read as a path. Unknown keys, wrong types and impossible combinations raise
:class:`ConfigError` before anything heavy is imported.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from lintseq_core.partial_format import DEFAULT_PARTIAL_TEMPLATE, check_partial_template
from lintseq_training.errors import ConfigError
from lintseq_training.yaml_family import YamlFamily, merge_mappings

__all__ = [
    "FORMATS",
    "LoraSettings",
    "TrainConfig",
    "list_recipes",
    "load_config",
    "recipe_path",
]

FORMATS = ("editseq", "baseline")
_PRECISIONS = ("auto", "bf16", "fp16", "fp32")
_REDUCTIONS = ("sum", "mean")
_EPOCH_UNITS = ("program", "row")
_SAVE_STRATEGIES = ("steps", "epoch", "no")
_REPORTERS = ("tensorboard", "wandb", "none")


def _help(text: str, default: Any = dataclasses.MISSING, factory: Any = dataclasses.MISSING) -> Any:
    if factory is not dataclasses.MISSING:
        return field(default_factory=factory, metadata={"help": text})
    return field(default=default, metadata={"help": text})


@dataclass(frozen=True)
class LoraSettings:
    """Low-rank adapters through ``peft``; off by default (the paper fine-tunes all weights)."""

    enabled: bool = _help("train LoRA adapters instead of all weights", False)
    r: int = _help("adapter rank", 16)
    alpha: int = _help("LoRA scaling numerator (lora_alpha)", 32)
    dropout: float = _help("dropout on the adapter input", 0.05)
    target_modules: tuple[str, ...] = _help(
        "module names to adapt; ('all-linear',) adapts every linear layer but the head", ("all-linear",)
    )


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run; saved beside every checkpoint."""

    model: str | None = _help("hub name or local directory of the base model", None)
    tokenizer: str | None = _help("tokenizer name or directory (default: the model's)", None)
    data: str | None = _help("training data: output of `lintseq-core convert`, or instruction/program rows", None)
    format: str = _help("editseq (LintSeq edit sequences) or baseline (whole programs)", "editseq")
    output_dir: str | None = _help("where checkpoints, logs and the final model go", None)

    instruction_field: str = _help("field holding the instruction text", "instruction")
    code_field: str = _help("field holding the whole program (baseline format)", "program")
    edit_path_field: str = _help("field holding the list of forward diffs (editseq format)", "edit_path")
    index_field: str = _help("field naming the source program (rows of one program share it)", "index")
    partial_template: str = _help(
        "layout of sub-trajectory rows (data with start_state): the instruction and the start "
        "state via {instruction} and {state}; an empty state shows the instruction alone "
        "(docs/subtrajectories.md; lintseq-eval --partial-template must match)",
        DEFAULT_PARTIAL_TEMPLATE,
    )

    max_length: int = _help("tokens per example; longer examples are truncated (and counted)", 1024)
    global_batch_size: int = _help("examples per optimizer step over all devices", 512)
    per_device_batch_size: int = _help("examples per forward pass on one device", 16)
    learning_rate: float = _help("peak learning rate", 3e-4)
    lr_scheduler: str = _help("transformers scheduler name (linear, cosine, constant, ...)", "linear")
    warmup_ratio: float = _help("share of the steps spent warming up the learning rate", 0.001)
    weight_decay: float = _help("AdamW weight decay", 0.01)
    max_grad_norm: float = _help("gradient clipping norm (0 disables)", 1.0)
    num_train_epochs: float = _help("passes over the data, counted in epoch_unit", 10.0)
    epoch_unit: str = _help(
        "program: an epoch is one pass over the distinct programs, so a baseline run and an "
        "edit-sequence run with s sequences per program take the same optimizer steps; "
        "row: one pass over the rows as stored",
        "program",
    )
    max_steps: int | None = _help("stop after this many optimizer steps (overrides epochs)", None)

    loss_reduction: str = _help("sum (the paper: token losses summed per micro-batch) or mean", "sum")
    precision: str = _help("bf16, fp16, fp32, or auto (bf16 where the GPU has it, else fp32)", "auto")
    gradient_checkpointing: bool = _help("recompute activations in the backward pass to save memory", False)
    packing: bool = _help("padding-free batches: a micro-batch is one flattened row (needs position ids)", False)
    attn_implementation: str | None = _help("sdpa, eager, flash_attention_2 ... (default: the model's)", None)
    lora: LoraSettings = field(default_factory=LoraSettings, metadata={"help": "LoRA settings"})
    deepspeed: str | None = _help("DeepSpeed config: a shipped name (zero2, zero3, ...) or a JSON path", None)

    save_strategy: str = _help("when to write checkpoints: steps, epoch or no", "epoch")
    save_steps: int = _help("checkpoint interval in optimizer steps (save_strategy=steps)", 500)
    save_total_limit: int | None = _help("keep at most this many checkpoints", None)
    resume_from_checkpoint: str | None = _help("checkpoint directory, or 'latest' in output_dir", None)
    logging_steps: int = _help("log every this many optimizer steps", 1)
    report_to: tuple[str, ...] = _help("tensorboard, wandb, or none", ("tensorboard",))
    run_name: str | None = _help("run name for the trackers", None)
    seed: int = _help("seed of shuffling and initialisation", 42)
    dataloader_num_workers: int = _help("data loader worker processes", 0)
    trust_remote_code: bool = _help("let transformers run model code from the model's repository", False)
    training_args: Mapping[str, Any] = _help(
        "extra transformers.TrainingArguments, passed through unchanged", factory=dict
    )

    def __post_init__(self) -> None:
        _check_choice("format", self.format, FORMATS)
        check_partial_template(self.partial_template)
        _check_choice("precision", self.precision, _PRECISIONS)
        _check_choice("loss_reduction", self.loss_reduction, _REDUCTIONS)
        _check_choice("epoch_unit", self.epoch_unit, _EPOCH_UNITS)
        _check_choice("save_strategy", self.save_strategy, _SAVE_STRATEGIES)
        for name in self.report_to:
            _check_choice("report_to", name, _REPORTERS)
        positive = {
            "max_length": self.max_length,
            "global_batch_size": self.global_batch_size,
            "per_device_batch_size": self.per_device_batch_size,
            "learning_rate": self.learning_rate,
            "num_train_epochs": self.num_train_epochs,
            "logging_steps": self.logging_steps,
            "save_steps": self.save_steps,
            "lora.r": self.lora.r,
        }
        for name, value in positive.items():
            if not value > 0:
                raise ConfigError(f"{name} must be > 0, got {value!r}")
        if self.max_steps is not None and self.max_steps <= 0:
            raise ConfigError(f"max_steps must be > 0 (or unset), got {self.max_steps}")
        if not 0 <= self.warmup_ratio < 1:
            raise ConfigError(f"warmup_ratio must be in [0, 1), got {self.warmup_ratio}")
        if self.max_length < 8:
            raise ConfigError(f"max_length {self.max_length} is too short to hold a prompt and an answer")

    # -- derived values -------------------------------------------------------------------

    def gradient_accumulation_steps(self, world_size: int) -> int:
        """Accumulation steps that make ``global_batch_size`` on ``world_size`` devices."""
        per_step = self.per_device_batch_size * world_size
        if self.global_batch_size % per_step:
            raise ConfigError(
                f"global_batch_size {self.global_batch_size} is not a multiple of per_device_batch_size "
                f"{self.per_device_batch_size} x {world_size} device(s) = {per_step}; change one of them"
            )
        return self.global_batch_size // per_step

    def planned_steps(self, num_programs: int, num_rows: int) -> int:
        """Optimizer steps of the run: ``max_steps`` or epochs over the counted unit."""
        if self.max_steps is not None:
            return self.max_steps
        units = num_programs if self.epoch_unit == "program" else num_rows
        return max(1, math.ceil(units * self.num_train_epochs / self.global_batch_size))

    def require_run_fields(self) -> None:
        """Raise unless the fields a run needs (model, data, output_dir) are set."""
        missing = [f"--{name.replace('_', '-')}" for name in ("model", "data", "output_dir")
                   if getattr(self, name) in (None, "")]
        if missing:
            raise ConfigError(f"missing {', '.join(missing)} (give them as flags or in the config file)")

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["lora"]["target_modules"] = list(self.lora.target_modules)
        out["report_to"] = list(self.report_to)
        out["training_args"] = dict(self.training_args)
        return out


def _check_choice(name: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}; got {value!r}")


# -- recipes ----------------------------------------------------------------------------


RECIPES = YamlFamily("lintseq_training", "recipes", "recipe", ConfigError)


def list_recipes() -> list[str]:
    """Names of the shipped recipes (files starting with ``_`` are shared bases)."""
    return RECIPES.names()


def recipe_path(name_or_path: str | Path) -> Path:
    """A shipped recipe by name (``tinycodelm-150m-editseq``) or a YAML file by path."""
    return RECIPES.path(name_or_path)


# -- building a TrainConfig from loose values --------------------------------------------


def load_config(source: str | Path | None = None, overrides: Mapping[str, Any] | None = None) -> TrainConfig:
    """Read ``source`` (recipe name or YAML path; None for defaults), then apply ``overrides``.

    Overrides use field names; ``None`` values are ignored so unset flags keep the file's value.
    Nested LoRA settings are given as ``{"lora": {...}}`` or as ``lora.r``-style keys.
    """
    values: dict[str, Any] = RECIPES.read(recipe_path(source)) if source is not None else {}
    top: dict[str, Any] = {}
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if "." in key:
            head, _, tail = key.partition(".")
            top.setdefault(head, {})[tail] = value
        else:
            top[key] = value
    values = merge_mappings(values, top)
    return from_mapping(values)


def from_mapping(values: Mapping[str, Any]) -> TrainConfig:
    """A validated :class:`TrainConfig` from plain values (YAML, JSON, flags)."""
    kwargs = _coerce_fields(TrainConfig, values, "")
    return TrainConfig(**kwargs)


def _coerce_fields(cls: type, values: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    known = {f.name: f for f in fields(cls)}
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1)
            hint = f" (did you mean {prefix}{close[0]}?)" if close else ""
            raise ConfigError(f"unknown config key '{prefix}{key}'{hint}")
        out[key] = _coerce(known[key], value, prefix)
    return out


def _coerce(f: dataclasses.Field, value: Any, prefix: str) -> Any:
    name = prefix + f.name
    hint = str(f.type)
    if f.name == "lora":
        if isinstance(value, LoraSettings):
            return value
        if not isinstance(value, Mapping):
            raise ConfigError(f"{name} must be a mapping of LoRA settings, got {value!r}")
        return LoraSettings(**_coerce_fields(LoraSettings, value, "lora."))
    if f.name == "training_args":
        if not isinstance(value, Mapping):
            raise ConfigError(f"{name} must be a mapping of TrainingArguments fields, got {value!r}")
        return dict(value)
    if value is None:
        if "None" in hint:
            return None
        raise ConfigError(f"{name} cannot be empty")
    if hint.startswith("tuple"):
        items = [s for s in value.split(",") if s] if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not all(isinstance(s, str) for s in items):
            raise ConfigError(f"{name} must be a list of strings, got {value!r}")
        return tuple(items)
    if hint.startswith("bool"):
        return _to_bool(name, value)
    if hint.startswith("int"):
        if isinstance(value, str) and "None" in hint and value.lower() in ("none", "null", ""):
            return None
        return _to_number(name, value, int)
    if hint.startswith("float"):
        return _to_number(name, value, float)
    if hint.startswith("str"):
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ConfigError(f"{name} must be text, got {value!r}")
        return str(value)
    return value


def _to_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "yes", "1", "on", "false", "no", "0", "off"):
        return value.lower() in ("true", "yes", "1", "on")
    raise ConfigError(f"{name} must be true or false, got {value!r}")


def _to_number(name: str, value: Any, kind: type) -> Any:
    if isinstance(value, bool):
        raise ConfigError(f"{name} must be a number, got {value!r}")
    try:
        number = float(value) if kind is float else int(str(value), 10) if isinstance(value, str) else value
    except ValueError as exc:
        raise ConfigError(f"{name} must be {'an integer' if kind is int else 'a number'}, got {value!r}") from exc
    if kind is int and (not isinstance(number, int) or isinstance(number, bool)):
        if isinstance(number, float) and number.is_integer():
            return int(number)
        raise ConfigError(f"{name} must be an integer, got {value!r}")
    return kind(number)
