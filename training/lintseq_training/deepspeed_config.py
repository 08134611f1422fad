"""DeepSpeed configs: shipped ZeRO-2/ZeRO-3 files (with and without CPU offload) or a user's JSON.

DeepSpeed settings are files, not code (as in TRL and open-instruct). Values written
``"auto"`` are filled by transformers from the training arguments, so one file serves every
model size and device count. A file that does not parse is reported with its line and column
before any model is loaded.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from lintseq_training.errors import ConfigError

__all__ = ["list_deepspeed_configs", "load_deepspeed_config", "resolve_deepspeed_path"]


def _config_dir() -> Path:
    return Path(str(resources.files("lintseq_training") / "ds_configs"))


def list_deepspeed_configs() -> list[str]:
    """Names of the shipped DeepSpeed configs (``zero2``, ``zero3-offload``, ...)."""
    return sorted(p.stem for p in _config_dir().glob("*.json"))


def resolve_deepspeed_path(name_or_path: str) -> Path:
    """The file behind a shipped name or a path; raises :class:`ConfigError` if neither."""
    shipped = _config_dir() / f"{name_or_path}.json"
    if "/" not in name_or_path and shipped.is_file():
        return shipped
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path
    raise ConfigError(
        f"DeepSpeed config {name_or_path!r} is neither a shipped name "
        f"({', '.join(list_deepspeed_configs())}) nor an existing file"
    )


def load_deepspeed_config(name_or_path: str) -> tuple[Path, dict[str, Any]]:
    """Path and parsed content of a DeepSpeed config, checked for the basic shape."""
    path = resolve_deepspeed_path(name_or_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"DeepSpeed config {path} does not parse as JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"DeepSpeed config {path} is not UTF-8 text") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"DeepSpeed config {path} must be a JSON object, not {type(data).__name__}")
    zero = data.get("zero_optimization", {})
    if not isinstance(zero, dict):
        raise ConfigError(f"DeepSpeed config {path}: zero_optimization must be an object")
    stage = zero.get("stage", 0)
    if stage not in (0, 1, 2, 3):
        raise ConfigError(f"DeepSpeed config {path}: zero_optimization.stage must be 0-3, got {stage!r}")
    return path, data
