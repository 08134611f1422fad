"""The vLLM backend of guided decoding, against a scripted engine (a test double for
``vllm.LLM`` only: the guidance loop and the backend's request building are real)."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from lintseq_eval.errors import EvalError
from lintseq_eval.guided import EditGuide, GuideConfig, attempt_seed, guide_edits
from lintseq_eval.guided_vllm import VLLMEditModel, load_engine

from lintseq_core.edits import DIFF_TOKEN, split_generated_edits

DIFF, EOS = 1, 2


class FakeTokenizer:
    eos_token_id = EOS

    def encode(self, text: str, add_special_tokens: bool = False) -> list[int]:
        return [DIFF] if text == DIFF_TOKEN else [100 + ord(c) for c in text]

    def __call__(self, text: str, add_special_tokens: bool = True) -> dict[str, list[int]]:
        return {"input_ids": [100 + ord(c) for c in text]}


@dataclass
class FakeLLM:
    """Answers each request with the next scripted (text, token ids, finish_reason)."""

    script: list[tuple[str, list[int], str] | tuple[str, list[int], str, int]]
    requests: list[tuple[list[int], dict[str, Any]]] = field(default_factory=list)

    def get_tokenizer(self) -> FakeTokenizer:
        return FakeTokenizer()

    def generate(self, prompts: list[dict[str, list[int]]], params: dict[str, Any], use_tqdm: bool = True) -> list:
        assert len(prompts) == 1 and not use_tqdm
        self.requests.append((list(prompts[0]["prompt_token_ids"]), params))
        text, ids, finish, *stop = self.script[len(self.requests) - 1]
        out = SimpleNamespace(text=text, token_ids=ids, finish_reason=finish, stop_reason=stop[0] if stop else None)
        return [SimpleNamespace(outputs=[out])]


def test_one_request_per_try_prompts_hold_only_kept_tokens() -> None:
    engine = FakeLLM([
        ("@@ -0,0 +1 @@\n+a = 1\n", [10, 11, 12, DIFF], "stop"),  # kept
        ("@@ -1,0 +2 @@\n+b = q\n", [20, 21, DIFF], "stop"),  # breaks: q undefined
        ("@@ -1,0 +2 @@\n+b = a\n", [30, 31, 32, DIFF], "stop"),  # kept
        ("\n", [40, DIFF], "stop"),  # the end marker
    ])
    state = VLLMEditModel(engine, lambda **kw: kw, "P", temperature=0.0, top_p=0.9, seed=7, prompt_index=3,
                          sample_index=1, retry_temperature=0.8)
    res = guide_edits(state.propose, state.commit, EditGuide("python", "ast"), GuideConfig(retries=2), 50)
    p = 100 + ord("P")
    sent = [r[0] for r in engine.requests]
    assert sent == [[p], [p, 10, 11, 12, DIFF], [p, 10, 11, 12, DIFF],
                    [p, 10, 11, 12, DIFF, 30, 31, 32, DIFF]]  # the rejected try is not in the prefix
    params = [r[1] for r in engine.requests]
    assert [p["seed"] for p in params] == [attempt_seed(7, 3, 1, e, a) for e, a in ((0, 0), (1, 0), (1, 1), (2, 0))]
    assert [p["temperature"] for p in params] == [0.0, 0.0, 0.8, 0.0]  # greedy retries would repeat themselves
    assert [p["max_tokens"] for p in params] == [50, 46, 46, 42]
    assert all(p["stop_token_ids"] == [DIFF] and p["n"] == 1 for p in params)
    assert (res.kept_tokens, res.rejected_tokens, res.edits_rejected, res.stop_reason) == (10, 3, 1, "end")
    assert split_generated_edits(res.text) == ["@@ -0,0 +1 @@\n+a = 1", "@@ -1,0 +2 @@\n+b = a"]


def test_eos_and_length_end_a_sample() -> None:
    engine = FakeLLM([("@@ -0,0 +1 @@\n+a = 1", [10, 11, EOS], "stop")])
    state = VLLMEditModel(engine, lambda **kw: kw, "P", temperature=1.0, top_p=0.9, seed=0)
    res = guide_edits(state.propose, state.commit, EditGuide("python", "ast"), GuideConfig(), 50)
    assert res.stop_reason == "eos" and res.kept_tokens == 3 and state.generated_ids == [10, 11]
    engine = FakeLLM([("@@ -0,0 +1 @@\n+a = 1", [10, 11], "length")])
    state = VLLMEditModel(engine, lambda **kw: kw, "P", temperature=1.0, top_p=0.9, seed=0)
    res = guide_edits(state.propose, state.commit, EditGuide("python", "ast"), GuideConfig(), 2)
    assert res.stop_reason == "max_new_tokens" and res.edits_kept == 1


@pytest.mark.skipif(importlib.util.find_spec("vllm") is not None, reason="vLLM is installed here")
def test_missing_vllm_is_a_clear_error() -> None:
    with pytest.raises(EvalError, match="pip install vllm"):
        load_engine("some/model")


def test_a_stop_token_left_out_of_the_output_is_counted_and_kept_in_the_prefix() -> None:
    engine = FakeLLM([("@@ -0,0 +1 @@\n+a = 1\n", [10, 11], "stop", DIFF), ("\n", [40, DIFF], "stop")])
    state = VLLMEditModel(engine, lambda **kw: kw, "P", temperature=1.0, top_p=0.9, seed=0)
    res = guide_edits(state.propose, state.commit, EditGuide("python", "ast"), GuideConfig(), 50)
    assert res.kept_tokens == 3 + 2 and res.edits_kept == 1 and res.stop_reason == "end"
    assert engine.requests[1][0][-3:] == [10, 11, DIFF]
