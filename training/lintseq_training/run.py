"""One training run on transformers' ``Trainer``: checks, data, model, DeepSpeed, provenance.

Order matters and is the contract of this module: every check that can fail on user input
(config, DeepSpeed file, model path, data fields, batch arithmetic) runs before the model is
loaded, and everything before ``Trainer.train`` runs before the first optimizer step.

Loss reduction ``sum`` follows the paper's recipe (open-instruct's ``--reduce_loss sum``):
token losses are summed within each micro-batch, then averaged over gradient-accumulation
steps and devices, so long answers weigh more than short ones. ``mean`` is transformers' own
per-token mean over the whole global batch.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lintseq_training.config import TrainConfig
from lintseq_training.data import TrainingData, load_training_data
from lintseq_training.deepspeed_config import load_deepspeed_config
from lintseq_training.encode import IGNORE_INDEX, EncodedData, encode_examples, prepare_tokenizer
from lintseq_training.errors import ConfigError, TrainingDataError
from lintseq_training.modeling import (
    apply_lora,
    check_model_source,
    load_model,
    load_tokenizer,
    resolve_precision,
)
from lintseq_training.provenance import write_provenance

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedTokenizerBase

__all__ = ["RunPlan", "make_collator", "plan_run", "summed_token_loss", "train"]

log = logging.getLogger("lintseq_training")


@dataclass(frozen=True)
class RunPlan:
    """What a run will do, settled before any weights are loaded."""

    config: TrainConfig
    data: TrainingData
    encoded: EncodedData
    world_size: int
    gradient_accumulation_steps: int
    max_steps: int
    precision: str
    deepspeed_path: str | None

    def summary(self) -> dict[str, Any]:
        return {
            "format": self.config.format,
            "world_size": self.world_size,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
            "global_batch_size": self.config.global_batch_size,
            "max_steps": self.max_steps,
            "precision": self.precision,
            "deepspeed": self.deepspeed_path,
            "data": self.data.summary(),
            "encoding": self.encoded.summary(),
        }


def summed_token_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Next-token cross-entropy summed over every unmasked label of the batch."""
    import torch.nn.functional as F

    shift_logits = logits[..., :-1, :].float()
    shift_labels = labels[..., 1:].to(shift_logits.device)
    return F.cross_entropy(
        shift_logits.reshape(-1, shift_logits.shape[-1]),
        shift_labels.reshape(-1),
        ignore_index=IGNORE_INDEX,
        reduction="sum",
    )


def _world_size() -> int:
    try:
        return max(1, int(os.environ.get("WORLD_SIZE", "1")))
    except ValueError as exc:
        raise ConfigError(f"WORLD_SIZE={os.environ['WORLD_SIZE']!r} is not a number") from exc


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _single_process_env() -> None:
    """Let DeepSpeed start without a launcher: one process, rank 0, a local rendezvous."""
    if "RANK" in os.environ or "WORLD_SIZE" in os.environ:
        return
    os.environ.update(
        RANK="0", LOCAL_RANK="0", WORLD_SIZE="1", MASTER_ADDR="127.0.0.1", MASTER_PORT=str(_free_port())
    )


def _check_reporters(config: TrainConfig) -> list[str]:
    import importlib.util

    wanted = [r for r in config.report_to if r != "none"]
    modules = {"tensorboard": "tensorboard", "wandb": "wandb"}
    for name in wanted:
        if importlib.util.find_spec(modules[name]) is None:
            raise ConfigError(f"report_to includes {name} but the package is not installed: pip install {name}")
    return wanted


def plan_run(config: TrainConfig) -> tuple[RunPlan, PreTrainedTokenizerBase]:
    """Check everything a run needs and tokenize the data; loads no model weights."""
    config.require_run_fields()
    assert config.model is not None and config.data is not None
    deepspeed_path = None
    if config.deepspeed:
        path, _ = load_deepspeed_config(config.deepspeed)
        deepspeed_path = str(path)
    check_model_source(config.model)
    if config.tokenizer:
        check_model_source(config.tokenizer, "tokenizer")
    _check_reporters(config)
    if config.resume_from_checkpoint not in (None, "latest") and not Path(config.resume_from_checkpoint).is_dir():
        raise ConfigError(f"resume_from_checkpoint {config.resume_from_checkpoint!r} is not a directory")
    world_size = _world_size()
    accumulation = config.gradient_accumulation_steps(world_size)
    data = load_training_data(
        config.data,
        config.format,
        instruction_field=config.instruction_field,
        code_field=config.code_field,
        edit_path_field=config.edit_path_field,
        index_field=config.index_field,
        partial_template=config.partial_template,
    )
    tokenizer = prepare_tokenizer(load_tokenizer(config), config.format)
    encoded = encode_examples(tokenizer, data.examples, config.max_length)
    if not encoded.features:
        raise TrainingDataError(
            f"all {len(data.examples)} examples have prompts of max_length={config.max_length} tokens "
            "or more, leaving nothing to learn; raise max_length"
        )
    plan = RunPlan(
        config=config,
        data=data,
        encoded=encoded,
        world_size=world_size,
        gradient_accumulation_steps=accumulation,
        max_steps=config.planned_steps(data.num_programs, len(encoded.features)),
        precision=resolve_precision(config.precision),
        deepspeed_path=deepspeed_path,
    )
    return plan, tokenizer


def _training_arguments(plan: RunPlan) -> Any:
    from transformers import TrainingArguments

    cfg = plan.config
    kwargs: dict[str, Any] = {
        "output_dir": cfg.output_dir,
        "per_device_train_batch_size": cfg.per_device_batch_size,
        "gradient_accumulation_steps": plan.gradient_accumulation_steps,
        "learning_rate": cfg.learning_rate,
        "lr_scheduler_type": cfg.lr_scheduler,
        "warmup_steps": cfg.warmup_ratio,  # a value below 1 is a ratio of the total steps
        "weight_decay": cfg.weight_decay,
        "max_grad_norm": cfg.max_grad_norm,
        "max_steps": plan.max_steps,
        "bf16": plan.precision == "bf16",
        "fp16": plan.precision == "fp16",
        "logging_steps": cfg.logging_steps,
        "save_strategy": cfg.save_strategy,
        "save_steps": cfg.save_steps,
        "save_total_limit": cfg.save_total_limit,
        "report_to": [r for r in cfg.report_to if r != "none"] or "none",
        "run_name": cfg.run_name,
        "seed": cfg.seed,
        "dataloader_num_workers": cfg.dataloader_num_workers,
        "remove_unused_columns": False,
        "dataloader_pin_memory": _has_cuda(),
        # Say CPU explicitly without a GPU (lets bf16 autocast run there); DeepSpeed's CPU
        # accelerator brings its own device handling.
        "use_cpu": not _has_cuda() and plan.deepspeed_path is None,
        "include_num_input_tokens_seen": "non_padding",  # for the tokens/s in the result
        "deepspeed": plan.deepspeed_path,
        "disable_tqdm": True,
    }
    if cfg.gradient_checkpointing:
        # transformers 5 renamed the option (the old name is a deprecated alias).
        names = {f.name for f in dataclasses.fields(TrainingArguments)}
        prefix = "activation_checkpointing" if "activation_checkpointing" in names else "gradient_checkpointing"
        kwargs[prefix] = True
        kwargs[f"{prefix}_kwargs"] = {"use_reentrant": False}
    kwargs.update(cfg.training_args)
    try:
        return TrainingArguments(**kwargs)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"transformers rejected the training arguments: {exc}") from exc


def _has_cuda() -> bool:
    import torch

    return torch.cuda.is_available()


class _ListDataset:
    """The encoded features as a map-style dataset (the Trainer shuffles it)."""

    def __init__(self, features: tuple[dict[str, list[int]], ...]) -> None:
        self.features = features

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, i: int) -> dict[str, list[int]]:
        return self.features[i]


def make_collator(packing: bool, tokenizer: PreTrainedTokenizerBase) -> Any:
    """Padding collator, or the padding-free flattening one when ``packing`` is on."""
    if packing:
        from transformers import DataCollatorWithFlattening

        # One row per micro-batch with position ids restarting at each example; transformers
        # builds a block-diagonal causal mask from them, so examples never attend to each other.
        return DataCollatorWithFlattening(return_position_ids=True, separator_id=IGNORE_INDEX)
    from transformers import DataCollatorForSeq2Seq

    return DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=IGNORE_INDEX, return_tensors="pt")


def _trainer_class() -> type:
    from transformers import Trainer

    class EditSequenceTrainer(Trainer):
        """``Trainer`` whose loss can be the paper's per-micro-batch token sum."""

        def __init__(self, *args: Any, loss_reduction: str = "mean", **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.loss_reduction = loss_reduction
            if loss_reduction == "sum":
                # Let Trainer divide each micro-batch sum by the accumulation steps, as
                # accelerate does in the reference recipe.
                self.loss_is_scaled_for_ga = False

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            if self.loss_reduction != "sum":
                return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
            labels = inputs.pop("labels")
            outputs = model(**inputs)
            loss = summed_token_loss(outputs.logits, labels)
            return (loss, outputs) if return_outputs else loss

    return EditSequenceTrainer


def _provenance_callback(record: dict[str, Any]) -> Any:
    from transformers import TrainerCallback
    from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR

    class ProvenanceCallback(TrainerCallback):
        """Writes the run's provenance into each checkpoint as it is saved."""

        def on_save(self, args, state, control, **kwargs):
            if state.is_world_process_zero:
                checkpoint = Path(args.output_dir) / f"{PREFIX_CHECKPOINT_DIR}-{state.global_step}"
                write_provenance(checkpoint, {**record, "global_step": state.global_step})
            return control

    return ProvenanceCallback()


def _logging_callback() -> Any:
    from transformers import TrainerCallback

    class LogCallback(TrainerCallback):
        """Training logs to the ``lintseq_training`` logger (stderr), keeping stdout for results."""

        def on_log(self, args, state, control, logs=None, **kwargs):
            if state.is_world_process_zero and logs:
                log.info("step %d: %s", state.global_step, {k: round(v, 6) if isinstance(v, float) else v
                                                            for k, v in logs.items()})
            return control

    return LogCallback()


def _resume_target(config: TrainConfig) -> str | None:
    if config.resume_from_checkpoint != "latest":
        return config.resume_from_checkpoint
    from transformers.trainer_utils import get_last_checkpoint

    assert config.output_dir is not None
    last = get_last_checkpoint(config.output_dir) if Path(config.output_dir).is_dir() else None
    if last is None:
        raise ConfigError(f"resume_from_checkpoint=latest but {config.output_dir} holds no checkpoint-* directory")
    return last


def train(config: TrainConfig) -> dict[str, Any]:
    """Run training as configured; returns a summary (also saved beside the final model)."""
    if config.deepspeed:
        try:
            import deepspeed  # noqa: F401
        except ImportError as exc:
            raise ConfigError(f"deepspeed={config.deepspeed!r} but DeepSpeed is not importable: {exc}") from exc
        _single_process_env()
    plan, tokenizer = plan_run(config)
    resume = _resume_target(config)
    enc = plan.encoded
    if enc.truncated or enc.dropped_prompt_too_long:
        log.warning(
            "truncated %d of %d examples to max_length=%d tokens; dropped %d whose prompt fills max_length",
            enc.truncated, len(plan.data.examples), config.max_length, enc.dropped_prompt_too_long,
        )
    log.info("plan: %s", plan.summary())

    from transformers import set_seed

    args = _training_arguments(plan)  # before the model: ZeRO-3 partitions weights as they load
    set_seed(config.seed)
    model = load_model(config, tokenizer)
    # Training never reads the KV cache, and with a cache transformers does not build the
    # block-diagonal mask of packed rows (examples would attend to each other).
    model.config.use_cache = False
    if config.lora.enabled:
        model = apply_lora(model, config, new_tokens=config.format == "editseq")
    record = {"config": config.to_dict(), "plan": plan.summary()}
    trainer = _trainer_class()(
        model=model,
        args=args,
        train_dataset=_ListDataset(enc.features),
        data_collator=make_collator(config.packing, tokenizer),
        processing_class=tokenizer,
        callbacks=[_provenance_callback(record), _logging_callback()],
        loss_reduction=config.loss_reduction,
    )
    from transformers.trainer_callback import PrinterCallback

    trainer.remove_callback(PrinterCallback)  # it prints logs to stdout
    start = time.perf_counter()
    output = trainer.train(resume_from_checkpoint=resume)
    elapsed = time.perf_counter() - start
    session_tokens = trainer.state.num_input_tokens_seen - getattr(trainer, "_initial_num_input_tokens_seen", 0)
    trainer.model.config.use_cache = True  # the saved model generates with a cache
    trainer.save_model(config.output_dir)
    result = {
        **plan.summary(),
        "global_step": output.global_step,
        "train_loss": output.training_loss,
        "epochs_over_rows": output.metrics.get("epoch"),
        "input_tokens_seen": trainer.state.num_input_tokens_seen,
        # non-padding input tokens of this session (a resumed run counts from its checkpoint)
        "tokens_per_s": round(session_tokens / elapsed, 1) if elapsed > 0 else None,
        "train_runtime_s": round(elapsed, 3),
        "resumed_from": resume,
        "output_dir": config.output_dir,
    }
    if trainer.is_world_process_zero():
        tokenizer.save_pretrained(config.output_dir)
        write_provenance(config.output_dir, {**record, "result": result})
    return result
