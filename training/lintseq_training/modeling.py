"""Loading the base model and tokenizer, growing the embeddings, and wrapping LoRA adapters."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lintseq_training.errors import ConfigError

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    from lintseq_training.config import TrainConfig

__all__ = [
    "apply_lora",
    "check_model_source",
    "load_model",
    "load_tokenizer",
    "resolve_precision",
]


def _looks_local(name: str) -> bool:
    """A hub id is ``name`` or ``org/name``; anything else is meant as a path."""
    return name.startswith((".", "/", "~")) or name.count("/") > 1 or "\\" in name


def check_model_source(name: str, what: str = "model") -> None:
    """Fail early on a local path that does not exist (hub names are checked when loading)."""
    path = Path(name).expanduser()
    if path.exists():
        if not path.is_dir():
            raise ConfigError(f"{what} {name!r} is a file; give the directory holding config.json")
        if what == "model" and not (path / "config.json").is_file() and not (path / "adapter_config.json").is_file():
            raise ConfigError(f"{what} directory {name!r} has no config.json: is it a saved model?")
        return
    if _looks_local(name):
        raise ConfigError(f"{what} path {name!r} does not exist")


def resolve_precision(precision: str) -> str:
    """``auto`` becomes bf16 on a GPU that supports it, fp32 otherwise."""
    if precision != "auto":
        return precision
    import torch

    return "bf16" if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else "fp32"


def load_tokenizer(config: TrainConfig) -> PreTrainedTokenizerBase:
    from transformers import AutoTokenizer

    name = config.tokenizer or config.model
    assert name is not None
    try:
        return AutoTokenizer.from_pretrained(name, trust_remote_code=config.trust_remote_code)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot load the tokenizer {name!r}: {exc}") from exc


def load_model(config: TrainConfig, tokenizer: PreTrainedTokenizerBase) -> PreTrainedModel:
    """The base model in fp32 (mixed precision keeps fp32 master weights), embeddings grown."""
    import torch
    from transformers import AutoModelForCausalLM

    kwargs: dict[str, Any] = {"trust_remote_code": config.trust_remote_code, "dtype": torch.float32}
    if config.attn_implementation:
        kwargs["attn_implementation"] = config.attn_implementation
    try:
        model = AutoModelForCausalLM.from_pretrained(config.model, **kwargs)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot load the model {config.model!r}: {exc}") from exc
    if len(tokenizer) > model.get_input_embeddings().weight.shape[0]:
        # New rows start at the mean of the old ones (transformers' default), so the loss of the
        # first steps is not dominated by random logits for <|diff|>.
        model.resize_token_embeddings(len(tokenizer))
    if model.config.pad_token_id is None:
        model.config.pad_token_id = tokenizer.pad_token_id
    return model


def apply_lora(model: PreTrainedModel, config: TrainConfig, new_tokens: bool) -> PreTrainedModel:
    """Wrap ``model`` in LoRA adapters; tokens added to the vocabulary keep trainable rows."""
    try:
        from peft import LoraConfig, get_peft_model
    except ImportError as exc:
        raise ConfigError("lora.enabled needs the 'peft' package: pip install 'lintseq[train]'") from exc
    settings = config.lora
    targets: Any = list(settings.target_modules)
    if targets == ["all-linear"]:
        targets = "all-linear"
    modules_to_save = None
    if new_tokens:
        # The rows of <|diff|> in the input embeddings and in the output head must learn.
        names = {id(m): n for n, m in model.named_modules()}
        modules_to_save = [names[id(model.get_input_embeddings())].split(".")[-1]]
        head = model.get_output_embeddings()
        tied = bool(getattr(model.config, "tie_word_embeddings", False))
        if head is not None and id(head) in names and not tied:
            modules_to_save.append(names[id(head)].split(".")[-1])
    options: dict[str, Any] = {}
    if "ensure_weight_tying" in {f.name for f in dataclasses.fields(LoraConfig)}:
        options["ensure_weight_tying"] = True  # a tied head follows the trained embeddings
    lora = LoraConfig(
        task_type="CAUSAL_LM",
        r=settings.r,
        lora_alpha=settings.alpha,
        lora_dropout=settings.dropout,
        target_modules=targets,
        modules_to_save=modules_to_save,
        **options,
    )
    return get_peft_model(model, lora)
