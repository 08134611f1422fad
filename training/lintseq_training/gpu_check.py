"""GPU check: a ~135M-parameter Llama-style model, ~200 steps of ZeRO-2 in bf16, no network.

Run on a CUDA machine (``training/scripts/gpu_check.sh`` or ``python -m
lintseq_training.gpu_check``); prints one JSON object with tokens/s and peak memory.

Nothing is downloaded. The model has SmolLM-135M's shape (hidden 576, 30 layers, 9 heads,
3 key/value heads, a 49,152-row vocabulary) with random weights. The training programs are
real Python: the top-level functions of the standard library of the running interpreter, each
with an instruction taken from its docstring and ``--sequences`` edit sequences that insert
its lines in seeded random chunks (a line-based stand-in for LintSeq, so the check does not
need a linter). The run goes through ``lintseq_training.run.train``: the same code path as
``lintseq-train --format editseq --deepspeed zero2 --precision bf16``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import random
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main", "stdlib_programs"]


def stdlib_programs(limit: int, *, min_lines: int = 4, max_lines: int = 40) -> list[tuple[str, str]]:
    """(instruction, program) pairs from top-level functions of the standard library."""
    root = Path(sysconfig.get_paths()["stdlib"])
    out: list[tuple[str, str]] = []
    for path in sorted(root.glob("*.py")):
        try:
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        lines = source.split("\n")
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.end_lineno is None:
                continue
            n = node.end_lineno - node.lineno + 1
            if not min_lines <= n <= max_lines or node.decorator_list:
                continue
            program = "\n".join(lines[node.lineno - 1:node.end_lineno])
            doc = (ast.get_docstring(node) or "").strip().split("\n")[0]
            args = ", ".join(a.arg for a in node.args.args)
            instruction = f"Write a Python function `{node.name}({args})`" + (f": {doc}" if doc else ".")
            out.append((instruction, program))
            if len(out) >= limit:
                return out
    return out


def write_converted(path: Path, programs: Sequence[tuple[str, str]], sequences: int, seed: int) -> int:
    """Rows in the ``lintseq-core convert`` layout; returns the number of rows."""
    from lintseq_core.edits import edit_path_from_states

    rows = 0
    with path.open("w", encoding="utf-8") as fh:
        for index, (instruction, program) in enumerate(programs):
            lines = program.split("\n")
            for sample in range(sequences):
                rng = random.Random(f"{seed}-{index}-{sample}")
                order = list(range(len(lines)))
                rng.shuffle(order)
                states = [sorted(order[:k]) for k in _chunk_ends(len(lines), rng)]
                row = {
                    "index": index, "sample": sample, "instruction": instruction, "program": program,
                    "edit_path": edit_path_from_states(lines, states), "language": "python",
                    "linter": "none", "sampler": "random-lines", "seed": seed,
                }
                fh.write(json.dumps(row) + "\n")
                rows += 1
    return rows


def _chunk_ends(n_lines: int, rng: random.Random) -> list[int]:
    ends, k = [0], 0
    while k < n_lines:
        k = min(n_lines, k + rng.randint(1, 4))
        ends.append(k)
    return ends


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lintseq_training.gpu_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=200, help="optimizer steps (default: %(default)s)")
    parser.add_argument("--global-batch-size", type=int, default=64)
    parser.add_argument("--per-device-batch-size", type=int, default=16)
    parser.add_argument("--max-length", type=int, default=1024)
    parser.add_argument("--programs", type=int, default=3000, help="stdlib functions to train on")
    parser.add_argument("--sequences", type=int, default=5, help="edit sequences per program (s)")
    parser.add_argument("--deepspeed", default="zero2", help="shipped name or path; 'none' for plain DDP")
    parser.add_argument("--packing", action="store_true", help="padding-free batches")
    parser.add_argument("--workdir", type=Path, default=None, help="where to write data/model/output (tmp)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    if not torch.cuda.is_available():
        print("gpu_check: no CUDA device; run this on a GPU machine", file=sys.stderr)
        return 2
    from lintseq_training.errors import LintseqError

    try:
        with contextlib.redirect_stdout(sys.stderr):  # libraries print; stdout holds only the report
            report = _run(args)
    except LintseqError as exc:  # e.g. DeepSpeed not installed: say so, suggest --deepspeed none
        print(f"gpu_check: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2))
    return 0


def _run(args: argparse.Namespace) -> dict[str, Any]:
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    from lintseq_training.config import load_config
    from lintseq_training.run import train
    from lintseq_training.tiny import build_tiny_model

    work = args.workdir or Path(tempfile.mkdtemp(prefix="lintseq-gpu-check-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    programs = stdlib_programs(args.programs)
    data = work / "converted.jsonl"
    rows = write_converted(data, programs, args.sequences, seed=0)
    texts = [t for pair in programs for t in pair]
    model_dir = build_tiny_model(
        work / "model", texts, vocab_size=8192, hidden_size=576, num_layers=30, num_heads=9,
        num_kv_heads=3, intermediate_size=1536, model_vocab_size=49152, max_positions=2048,
    )
    with torch.device("meta"):  # count parameters without allocating them
        model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(model_dir))
        params = sum(p.numel() for p in model.parameters())
    prep_s = time.perf_counter() - t0
    config = load_config(None, {
        "model": str(model_dir), "data": str(data), "output_dir": str(work / "out"), "format": "editseq",
        "max_steps": args.steps, "global_batch_size": args.global_batch_size,
        "per_device_batch_size": args.per_device_batch_size, "max_length": args.max_length,
        "learning_rate": 3e-4, "precision": "bf16", "packing": args.packing,
        "deepspeed": None if args.deepspeed == "none" else args.deepspeed,
        "save_strategy": "no", "report_to": "none", "logging_steps": 10,
    })
    torch.cuda.reset_peak_memory_stats()
    result = train(config)
    return {
        "device": torch.cuda.get_device_name(0),
        "torch": torch.__version__,
        "params_m": round(params / 1e6, 1),
        "programs": len(programs),
        "rows": rows,
        "steps": result["global_step"],
        "global_batch_size": args.global_batch_size,
        "max_length": args.max_length,
        "packing": args.packing,
        "deepspeed": args.deepspeed,
        "input_tokens_seen": result["input_tokens_seen"],
        "train_runtime_s": result["train_runtime_s"],
        "tokens_per_s": result["tokens_per_s"],
        "peak_memory_allocated_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2),
        "peak_memory_reserved_gib": round(torch.cuda.max_memory_reserved() / 2**30, 2),
        "train_loss": result["train_loss"],
        "truncated_examples": result["encoding"]["truncated"],
        "prepare_s": round(prep_s, 1),
    }

if __name__ == "__main__":
    raise SystemExit(main())
