"""``lintseq-train``: fine-tune a causal LM on edit sequences (or whole programs).

    lintseq-train --config tinycodelm-150m-editseq --model upiter/TinyCodeLM-150M \\
        --data converted.jsonl --output-dir out/
    DS_ACCELERATOR=cpu lintseq-train ... --deepspeed zero2            # DeepSpeed on a laptop
    accelerate launch --num_processes 8 -m lintseq_training ... --deepspeed zero3
    deepspeed --num_gpus 8 --module lintseq_training ... --deepspeed zero3

Other commands: ``lintseq-train make-tiny-model OUT --data FILE`` (a tiny local model for
trying the stack without downloads), ``lintseq-train recipes`` (shipped recipes and DeepSpeed
configs), ``lintseq-train write-instructions`` (a local model writes the instruction of each
sub-trajectory row, see lintseq_training.instructions). Exit codes: 0 success, 2 bad input
(one message on stderr), 1 unexpected failure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Sequence
from typing import Any

from lintseq_training import __version__
from lintseq_training.errors import ConfigError, LintseqError

__all__ = ["build_parser", "main", "overrides_from_args"]

# flag name -> config field, for flags that are plain overrides of one field
_OVERRIDES: dict[str, tuple[str, type, str]] = {
    "model": ("model", str, "hub name or local directory of the base model"),
    "tokenizer": ("tokenizer", str, "tokenizer name or directory (default: the model's)"),
    "data": ("data", str, "output of `lintseq-core convert` (JSONL), or instruction/program rows"),
    "format": ("format", str, "editseq (default) or baseline"),
    "output_dir": ("output_dir", str, "directory for checkpoints, logs and the final model"),
    "deepspeed": ("deepspeed", str, "DeepSpeed config: zero2, zero2-offload, zero3, zero3-offload or a JSON path"),
    "max_steps": ("max_steps", int, "stop after this many optimizer steps"),
    "epochs": ("num_train_epochs", float, "passes over the data (see epoch_unit in the config)"),
    "learning_rate": ("learning_rate", float, "peak learning rate"),
    "global_batch_size": ("global_batch_size", int, "examples per optimizer step over all devices"),
    "per_device_batch_size": ("per_device_batch_size", int, "examples per forward pass per device"),
    "max_length": ("max_length", int, "tokens per example (longer ones are truncated and counted)"),
    "precision": ("precision", str, "bf16, fp16, fp32 or auto"),
    "loss_reduction": ("loss_reduction", str, "sum (the paper) or mean"),
    "instruction_field": ("instruction_field", str, "field holding the instruction"),
    "code_field": ("code_field", str, "field holding the program (baseline format)"),
    "edit_path_field": ("edit_path_field", str, "field holding the diffs (editseq format)"),
    "index_field": ("index_field", str, "field naming the source program of a row"),
    "partial_template": ("partial_template", str,
                         "layout of sub-trajectory rows: {instruction} and {state} (see the docs)"),
    "resume_from_checkpoint": ("resume_from_checkpoint", str, "checkpoint directory, or 'latest'"),
    "save_strategy": ("save_strategy", str, "steps, epoch or no"),
    "save_steps": ("save_steps", int, "checkpoint interval (save_strategy=steps)"),
    "logging_steps": ("logging_steps", int, "log every this many steps"),
    "report_to": ("report_to", str, "comma-separated: tensorboard, wandb or none"),
    "run_name": ("run_name", str, "run name for the trackers"),
    "seed": ("seed", int, "random seed"),
    "attn_implementation": ("attn_implementation", str, "sdpa, eager, flash_attention_2, ..."),
}
_SWITCHES = {
    "packing": "padding-free batches (examples flattened into one row per micro-batch)",
    "gradient_checkpointing": "recompute activations to save memory",
    "lora": "train LoRA adapters (settings under lora: in the config)",
    "trust_remote_code": "allow model code from the model repository",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lintseq-train",
        description=__doc__.split("\n\n")[0].split(": ", 1)[1],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--config", help="YAML config: a shipped recipe name or a path (flags override it)")
    for flag, (_field, kind, text) in _OVERRIDES.items():
        parser.add_argument(f"--{flag.replace('_', '-')}", dest=flag, type=kind, default=None, help=text)
    for name, text in _SWITCHES.items():
        parser.add_argument(
            f"--{name.replace('_', '-')}", dest=name, action=argparse.BooleanOptionalAction, default=None, help=text
        )
    parser.add_argument(
        "--set", dest="set_values", action="append", default=[], metavar="KEY=VALUE",
        help="override any config field, e.g. --set warmup_ratio=0.01 --set lora.r=8",
    )
    parser.add_argument("--dry-run", action="store_true", help="check everything and print the plan; train nothing")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors on stderr")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    # Launchers (deepspeed, torch.distributed.launch) pass the local rank as a flag.
    parser.add_argument("--local_rank", "--local-rank", type=int, default=None, help=argparse.SUPPRESS)
    return parser


def overrides_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """Config overrides from parsed flags (unset flags are left out)."""
    out: dict[str, Any] = {}
    for flag, (field_name, _kind, _text) in _OVERRIDES.items():
        value = getattr(args, flag)
        if value is not None:
            out[field_name] = value
    for name in _SWITCHES:
        value = getattr(args, name)
        if value is not None:
            out["lora.enabled" if name == "lora" else name] = value
    for item in args.set_values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ConfigError(f"--set expects KEY=VALUE, got {item!r}")
        out[key.strip()] = _parse_value(value)
    return out


def _parse_value(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def _setup_logging(args: argparse.Namespace) -> None:
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.verbose:
        import os

        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "warning" if args.quiet else "info")


def _recipes_command() -> int:
    from lintseq_training.config import list_recipes
    from lintseq_training.deepspeed_config import list_deepspeed_configs

    print(json.dumps({"recipes": list_recipes(), "deepspeed": list_deepspeed_configs()}, indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["make-tiny-model"]:
        from lintseq_training import tiny

        return tiny.main(argv[1:], prog="lintseq-train make-tiny-model")
    if argv[:1] == ["recipes"]:
        return _recipes_command()
    if argv[:1] == ["write-instructions"]:
        from lintseq_training import instructions

        return instructions.main(argv[1:])
    args = build_parser().parse_args(argv)
    _setup_logging(args)
    stdout = sys.stdout
    try:
        # Libraries print to stdout (DeepSpeed's logger, Trainer's printer); keep stdout for
        # the one JSON result so scripts can read it.
        with contextlib.redirect_stdout(sys.stderr):
            from lintseq_training.config import load_config

            config = load_config(args.config, overrides_from_args(args))
            if args.dry_run:
                from lintseq_training.run import plan_run

                result = plan_run(config)[0].summary()
            else:
                from lintseq_training.run import train

                result = train(config)
    except LintseqError as exc:
        print(f"lintseq-train: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2, default=str), file=stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
