"""Loading a model to sample from: the trained model under evaluation, or an instruction writer.

Shared by evaluation (generation, guided decoding) and training (instructions written by a
model), so that neither imports the other; torch and transformers are imported on call only.
Training loads the models it trains with its own config (:mod:`lintseq_training.modeling`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lintseq_core.errors import ConfigError

__all__ = ["load_for_generation"]


def load_for_generation(name: str, what: str = "model") -> tuple[Any, Any, str]:
    """Model (in eval mode, bf16 on a GPU, fp32 on the CPU), tokenizer and device, for sampling
    from a trained model or an instruction writer; a local folder or ``HF_HUB_OFFLINE=1``
    never touches the hub."""
    import os

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    local = Path(name).is_dir() or os.environ.get("HF_HUB_OFFLINE") == "1"
    try:
        tok = AutoTokenizer.from_pretrained(name, local_files_only=local)
        device = "cuda" if torch.cuda.is_available() else "cpu"
        dtype = torch.bfloat16 if device == "cuda" else torch.float32
        model = AutoModelForCausalLM.from_pretrained(name, dtype=dtype, local_files_only=local)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot load the {what} {name!r}: {exc}") from exc
    return model.to(device).eval(), tok, device
