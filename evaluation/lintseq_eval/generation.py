"""Sampling completions: transformers batched generation, or vLLM when installed.

Each (task, sample index) pair is one sequence; sequences are batched ``batch_size`` at a
time with left padding. Generation stops at EOS or at a stop string (checked on the decoded
new text, then cut there). Generated tokens are counted up to and including EOS, for the
FLOPs estimate (2 x parameters x generated tokens, as in the paper's Figure 1).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lintseq_core.edits import DIFF_TOKEN
from lintseq_core.model_loading import load_for_generation
from lintseq_eval.errors import EvalError

__all__ = ["Completion", "GenerationConfig", "default_stops", "generate"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GenerationConfig:
    n: int = 1
    temperature: float = 0.0  # 0 means greedy
    top_p: float = 0.95
    max_new_tokens: int = 512
    batch_size: int = 8
    seed: int = 0
    backend: str = "auto"  # auto | transformers | vllm
    stop: tuple[str, ...] = field(default_factory=tuple)
    progress: bool = False  # a progress bar on stderr


@dataclass(frozen=True)
class Completion:
    prompt_index: int
    sample_index: int
    text: str
    generated_tokens: int


def default_stops(fmt: str) -> tuple[str, ...]:
    """Edit-sequence training text ends in ``\\n<|diff|>\\n<|diff|>`` before EOS."""
    return (f"{DIFF_TOKEN}\n{DIFF_TOKEN}",) if fmt == "editseq" else ()


def _cut(text: str, stops: Sequence[str]) -> tuple[str, bool]:
    cut = min((i for i in (text.find(s) for s in stops if s) if i >= 0), default=-1)
    if cut < 0:
        return text, False
    return text[:cut], True


def _backend(name: str) -> str:
    if name not in ("auto", "transformers", "vllm"):
        raise EvalError(f"unknown generation backend {name!r}; use auto, transformers or vllm")
    if name == "transformers":
        return name
    try:
        import vllm  # noqa: F401
    except ImportError:
        if name == "vllm":
            raise EvalError("--backend vllm needs `pip install vllm` (and a GPU)") from None
        return "transformers"
    import torch

    if not torch.cuda.is_available():
        if name == "vllm":
            raise EvalError("--backend vllm needs a CUDA GPU")
        return "transformers"
    return "vllm"


def generate(model_path: str | os.PathLike[str], prompts: Sequence[str], config: GenerationConfig) -> list[Completion]:
    """``config.n`` completions per prompt, in order (prompt-major)."""
    if config.n < 1:
        raise EvalError("--n must be at least 1")
    if config.temperature == 0 and config.n > 1:
        log.warning("temperature 0 (greedy) with n=%d gives %d identical samples per task", config.n, config.n)
    backend = _backend(config.backend)
    if backend == "vllm":
        return _generate_vllm(str(model_path), prompts, config)
    return _generate_hf(str(model_path), prompts, config)


def parameter_count(model_path: str | os.PathLike[str]) -> int:
    """Parameters of the model at ``model_path`` (for the FLOPs estimate)."""
    from transformers import AutoConfig, AutoModelForCausalLM

    cfg = AutoConfig.from_pretrained(str(model_path), local_files_only=True)
    import torch

    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(cfg)
    return sum(p.numel() for p in model.parameters())


def _generate_hf(model_path: str, prompts: Sequence[str], config: GenerationConfig) -> list[Completion]:
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    model, tok, device = load_for_generation(model_path)
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    tok.padding_side = "left"
    eos = tok.eos_token_id
    torch.manual_seed(config.seed)
    jobs = [(i, k) for i, _ in enumerate(prompts) for k in range(config.n)]
    stops = tuple(config.stop)

    class StopOnStrings(StoppingCriteria):
        def __init__(self, start: int) -> None:
            self.start = start

        def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor, **kwargs: Any) -> torch.BoolTensor:
            texts = tok.batch_decode(input_ids[:, self.start:], skip_special_tokens=False)
            done = [any(s in t for s in stops) for t in texts]
            return torch.tensor(done, device=input_ids.device)

    out: list[Completion] = []
    starts = range(0, len(jobs), config.batch_size)
    if config.progress:
        from tqdm import tqdm

        starts = tqdm(starts, desc="generating", unit="batch")
    for b in starts:
        batch = jobs[b: b + config.batch_size]
        enc = tok([prompts[i] for i, _ in batch], return_tensors="pt", padding=True, add_special_tokens=True)
        enc = {k: v.to(device) for k, v in enc.items()}
        start = enc["input_ids"].shape[1]
        kwargs: dict[str, Any] = {
            "max_new_tokens": config.max_new_tokens, "pad_token_id": tok.pad_token_id, "eos_token_id": eos,
        }
        if config.temperature > 0:
            kwargs.update(do_sample=True, temperature=config.temperature, top_p=config.top_p)
        else:
            kwargs.update(do_sample=False)
        if stops:
            kwargs["stopping_criteria"] = StoppingCriteriaList([StopOnStrings(start)])
        with torch.no_grad():
            gen = model.generate(**enc, **kwargs)
        for row, (i, k) in zip(gen[:, start:].tolist(), batch, strict=True):
            n_tok = len(row)
            if eos is not None and eos in row:
                n_tok = row.index(eos) + 1
            text = tok.decode(row[:n_tok], skip_special_tokens=False)
            if tok.eos_token:
                text = text.split(tok.eos_token)[0]
            if tok.pad_token and tok.pad_token != tok.eos_token:
                text = text.replace(tok.pad_token, "")
            text, _ = _cut(text, stops)
            out.append(Completion(i, k, text, n_tok))
    return out


def _generate_vllm(model_path: str, prompts: Sequence[str], config: GenerationConfig) -> list[Completion]:
    from vllm import LLM, SamplingParams

    llm = LLM(model=model_path, seed=config.seed)
    params = SamplingParams(
        n=config.n, temperature=config.temperature, top_p=config.top_p if config.temperature > 0 else 1.0,
        max_tokens=config.max_new_tokens, stop=list(config.stop) or None, skip_special_tokens=False,
    )
    out: list[Completion] = []
    for i, res in enumerate(llm.generate(list(prompts), params)):
        for k, o in enumerate(res.outputs):
            out.append(Completion(i, k, o.text, len(o.token_ids)))
    return out
