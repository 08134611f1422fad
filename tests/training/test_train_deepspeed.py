"""The DeepSpeed integration on CPU (``DS_ACCELERATOR=cpu``, gloo), so it cannot silently rot.

Runs ``lintseq-train`` in a subprocess, as a user would. The first run on a machine compiles
DeepSpeed's shared-memory communication op (about a minute, cached in
``~/.cache/torch_extensions``); later runs take seconds.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("deepspeed")

from lintseq_core.edits import DIFF_TOKEN


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(launcher_vars: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "LOCAL_RANK", "WORLD_SIZE")}
    env.update(DS_ACCELERATOR="cpu", OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    if launcher_vars:  # what `deepspeed` / `torchrun` set for each process
        # a free port: a fixed one clashes with any other run on the machine (a second CI)
        env.update(RANK="0", LOCAL_RANK="0", WORLD_SIZE="1", MASTER_ADDR="127.0.0.1", MASTER_PORT=str(_free_port()))
    return env


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "fmt", "launcher_vars"), [("zero2", "baseline", False), ("zero3", "editseq", True)])
def test_deepspeed_on_cpu_trains_checkpoints_and_saves(stage: str, fmt: str, launcher_vars: bool,
                                                       tiny_model_dir: Path, converted_file: Path,
                                                       tmp_path: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "lintseq_training", "--config", "cpu-tiny", "--model", str(tiny_model_dir),
           "--data", str(converted_file), "--format", fmt, "--output-dir", str(out), "--max-steps", "4",
           "--deepspeed", stage, "--save-strategy", "steps", "--save-steps", "2", "--report-to", "none", "-q"]
    proc = subprocess.run(cmd, env=_env(launcher_vars), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)  # stdout holds only the result
    assert result["global_step"] == 4 and result["deepspeed"].endswith(f"{stage}.json")
    # DeepSpeed wrote its own sharded state into the checkpoint, ready for resuming.
    assert (out / "checkpoint-4" / "global_step4").is_dir()
    assert json.loads((out / "checkpoint-2" / "lintseq_train.json").read_text())["config"]["deepspeed"] == stage
    # One fp32 process: DeepSpeed must reproduce the plain Trainer run of the same config.
    from lintseq_training.config import load_config
    from lintseq_training.run import train

    plain = train(load_config("cpu-tiny", {
        "model": str(tiny_model_dir), "data": str(converted_file), "format": fmt, "max_steps": 4,
        "output_dir": str(tmp_path / "plain"), "save_strategy": "no", "report_to": "none",
    }))
    assert result["train_loss"] == pytest.approx(plain["train_loss"], rel=1e-3)
    model = AutoModelForCausalLM.from_pretrained(out)
    tokenizer = AutoTokenizer.from_pretrained(out)
    assert model.get_input_embeddings().weight.shape[0] == len(tokenizer)
    assert (len(tokenizer.encode(DIFF_TOKEN, add_special_tokens=False)) == 1) == (fmt == "editseq")
