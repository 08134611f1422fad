"""Configs: every shipped recipe and DeepSpeed file loads and resolves; bad values fail clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lintseq_training.config import TrainConfig, list_recipes, load_config, recipe_path
from lintseq_training.deepspeed_config import list_deepspeed_configs, load_deepspeed_config
from lintseq_training.errors import ConfigError

PAPER_LEARNING_RATES = {
    "tinycodelm-150m": 3e-4,
    "tinycodelm-400m": 3e-4,
    "gemma2-2b": 5e-5,
    "phi3-mini": 5e-5,
    "phi3-medium": 1e-5,
    "llama3.1-8b": 1e-5,
}


def test_every_paper_model_has_both_formats() -> None:
    names = set(list_recipes())
    for model in PAPER_LEARNING_RATES:
        assert {f"{model}-baseline", f"{model}-editseq"} <= names


@pytest.mark.parametrize("name", list_recipes())
def test_shipped_recipe_loads_and_resolves(name: str) -> None:
    cfg = load_config(name, {"data": "d.jsonl", "output_dir": "out", "model": None})
    assert isinstance(cfg, TrainConfig)
    for world in (1, 2) if name == "cpu-tiny" else (1, 2, 8):
        accumulation = cfg.gradient_accumulation_steps(world)
        assert accumulation * cfg.per_device_batch_size * world == cfg.global_batch_size
    if cfg.deepspeed:
        _path, ds = load_deepspeed_config(cfg.deepspeed)
        assert ds["zero_optimization"]["stage"] in (2, 3)
    if name == "cpu-tiny":
        return
    model, fmt = name.rsplit("-", 1)
    assert cfg.format == fmt
    assert cfg.model  # a paper recipe names its base model
    assert cfg.learning_rate == pytest.approx(PAPER_LEARNING_RATES[model])
    assert (cfg.global_batch_size, cfg.max_length, cfg.loss_reduction) == (512, 1024, "sum")
    assert (cfg.deepspeed, cfg.precision, cfg.epoch_unit) == ("zero3", "bf16", "program")


def test_paper_recipes_give_equal_steps_to_both_formats() -> None:
    base = load_config("tinycodelm-150m-baseline")
    edit = load_config("tinycodelm-150m-editseq")
    programs = 10_000
    # The baseline sees each program once per epoch; edit sequences five times (s = 5).
    assert base.planned_steps(programs, programs) == edit.planned_steps(programs, 5 * programs)
    assert base.planned_steps(programs, programs) == -(-programs * 10 // 512)


def test_flags_override_the_file_and_dotted_keys_reach_lora(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("inherit: tinycodelm-150m-editseq\nlearning_rate: 1.0e-3\nlora: {r: 4}\n")
    cfg = load_config(path, {"learning_rate": 2e-3, "lora.alpha": "8", "report_to": "none", "max_steps": None})
    assert cfg.learning_rate == 2e-3
    assert (cfg.lora.r, cfg.lora.alpha) == (4, 8)
    assert cfg.report_to == ("none",)
    assert cfg.model == "upiter/TinyCodeLM-150M"  # inherited through two files


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"learnig_rate": 1.0}, "did you mean learning_rate"),
        ({"format": "diffs"}, "format must be one of editseq, baseline"),
        ({"max_length": "long"}, "max_length must be an integer"),
        ({"packing": "maybe"}, "packing must be true or false"),
        ({"global_batch_size": 0}, "global_batch_size must be > 0"),
        ({"lora": {"rank": 4}}, "unknown config key 'lora.rank'"),
        ({"report_to": "mlflow"}, "report_to must be one of"),
    ],
)
def test_bad_values_raise_one_clear_error(overrides: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(None, overrides)


def test_batch_arithmetic_that_does_not_divide_is_rejected() -> None:
    cfg = load_config(None, {"global_batch_size": 10, "per_device_batch_size": 4})
    with pytest.raises(ConfigError, match="not a multiple of per_device_batch_size 4"):
        cfg.gradient_accumulation_steps(1)


def test_unknown_recipe_suggests_close_names() -> None:
    with pytest.raises(ConfigError, match="did you mean tinycodelm-150m-editseq"):
        recipe_path("tinycodelm-150m-editsq")


def test_self_inheriting_yaml_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("inherit: loop.yaml\n")
    with pytest.raises(ConfigError, match="inherits from itself"):
        load_config(path)


@pytest.mark.parametrize("name", list_deepspeed_configs())
def test_shipped_deepspeed_configs_parse(name: str) -> None:
    path, data = load_deepspeed_config(name)
    assert path.name == f"{name}.json"
    zero = data["zero_optimization"]
    assert zero["stage"] == (3 if "zero3" in name else 2)
    assert ("offload_optimizer" in zero) == name.endswith("-offload")
    # Batch sizes come from the training arguments, so one file fits every device count.
    assert data["train_batch_size"] == data["gradient_accumulation_steps"] == "auto"


def test_shipped_deepspeed_names_cover_zero2_zero3_with_and_without_offload() -> None:
    assert set(list_deepspeed_configs()) >= {"zero2", "zero2-offload", "zero3", "zero3-offload"}


def test_deepspeed_config_that_does_not_parse_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "ds.json"
    bad.write_text('{\n  "zero_optimization": {"stage": 2,}\n}\n')
    with pytest.raises(ConfigError, match=r"does not parse as JSON: .* line 2, column"):
        load_deepspeed_config(str(bad))
    wrong = tmp_path / "ds2.json"
    wrong.write_text(json.dumps({"zero_optimization": {"stage": 5}}))
    with pytest.raises(ConfigError, match="stage must be 0-3"):
        load_deepspeed_config(str(wrong))
    with pytest.raises(ConfigError, match="neither a shipped name"):
        load_deepspeed_config("zero7")


@pytest.mark.parametrize("name", list_recipes())
def test_shipped_recipes_keep_a_bounded_number_of_checkpoints(name: str) -> None:
    """A grid trains many models: no recipe may keep one full checkpoint per epoch."""
    cfg = load_config(name, {"data": "d.jsonl", "output_dir": "out", "model": None})
    assert cfg.save_strategy == "no" or (cfg.save_total_limit is not None and 1 <= cfg.save_total_limit <= 3)
