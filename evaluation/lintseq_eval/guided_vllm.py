"""Lint-guided decoding on vLLM: one request per try of an edit, with prefix caching.

Each try is a request whose prompt is the token ids of the prompt and the edits kept so far
(``{"prompt_token_ids": ...}``) and which stops at ``<|diff|>``; with
``enable_prefix_caching=True`` the engine reuses the keys/values of that shared prefix, so a
rejected try costs only its own tokens, as in the transformers loop's cache rollback. Each
try carries its own seed (:func:`lintseq_eval.guided.attempt_seed`), so runs are
reproducible. The guidance itself is :func:`lintseq_eval.guided.guide_edits`, shared with
the transformers backend.

Tries are sent one at a time per sample (the guide needs the verdict on one try before
it knows the next prompt); samples are not yet interleaved, so this backend uses the GPU far
below its batch throughput. vLLM is imported only when an engine is built here.
"""

from __future__ import annotations

from typing import Any

from lintseq_core.edits import DIFF_TOKEN
from lintseq_eval.errors import EvalError
from lintseq_eval.guided import Attempt

__all__ = ["VLLMEditModel", "load_engine", "sampling_params_class"]


def load_engine(model_path: str, seed: int = 0) -> Any:
    """A vLLM engine with prefix caching on; a clear error when vLLM is missing."""
    try:
        from vllm import LLM
    except ImportError:
        raise EvalError("--guided --backend vllm needs `pip install vllm` (and a GPU); use --backend transformers") from None
    return LLM(model=model_path, seed=seed, enable_prefix_caching=True)


def sampling_params_class() -> Any:
    from vllm import SamplingParams

    return SamplingParams


class VLLMEditModel:
    """One sample's decoding state for :func:`lintseq_eval.guided.guide_edits` on vLLM.

    ``engine`` is an ``LLM`` (or anything with its ``generate``/``get_tokenizer``);
    ``params_cls`` builds the sampling parameters (``vllm.SamplingParams``).
    """

    def __init__(self, engine: Any, params_cls: Any, prompt: str, *, temperature: float, top_p: float,
                 seed: int, prompt_index: int = 0, sample_index: int = 0, retry_temperature: float = 1.0) -> None:
        from lintseq_eval.guided import _diff_token_id

        self.engine, self.params_cls = engine, params_cls
        tok = engine.get_tokenizer()
        self.diff_id = _diff_token_id(tok)
        self.eos = tok.eos_token_id
        self.ids: list[int] = list(tok(prompt, add_special_tokens=True)["input_ids"])
        self.prompt_len = len(self.ids)
        self.temperature, self.top_p, self.retry_temperature = temperature, top_p, retry_temperature
        self.seed, self.where = seed, (prompt_index, sample_index)
        self.requests = 0

    def propose(self, edit: int, attempt: int, budget: int) -> Attempt:
        from lintseq_eval.guided import attempt_seed

        temperature = self.temperature if attempt == 0 or self.temperature > 0 else self.retry_temperature
        params = self.params_cls(
            n=1, temperature=temperature, top_p=self.top_p if temperature > 0 else 1.0, max_tokens=budget,
            stop_token_ids=[self.diff_id], seed=attempt_seed(self.seed, *self.where, edit, attempt),
            skip_special_tokens=False,
        )
        self.requests += 1
        (result,) = self.engine.generate([{"prompt_token_ids": list(self.ids)}], params, use_tqdm=False)
        out = result.outputs[0]
        ids = tuple(out.token_ids)
        if out.finish_reason == "length":
            end = "length"
        elif (ids and ids[-1] == self.diff_id) or getattr(out, "stop_reason", None) == self.diff_id:
            end = "diff"
            if not ids or ids[-1] != self.diff_id:  # an engine that leaves the stop token out
                ids = (*ids, self.diff_id)
        else:
            end = "eos"
        text = out.text
        if end == "diff" and text.endswith(DIFF_TOKEN):  # kept in the text when not a special token
            text = text[: -len(DIFF_TOKEN)]
        if end == "diff" and text.endswith("\n"):
            text = text[:-1]
        return Attempt(text, len(ids), end, ids)

    def commit(self, attempt: Attempt) -> None:
        self.ids.extend(t for t in attempt.token_ids if t != self.eos)

    @property
    def generated_ids(self) -> list[int]:
        return self.ids[self.prompt_len:]
