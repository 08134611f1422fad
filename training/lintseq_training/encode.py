"""Tokenizing examples: the diff token, EOS, prompt masking and counted truncation.

``<|diff|>`` becomes one special token (the model's embeddings are resized by the caller).
Labels copy the input ids except for the prompt, which is set to -100 so the loss covers the
answer and the EOS only. Examples longer than ``max_length`` are cut from the end and counted;
an example whose prompt alone fills ``max_length`` has nothing to learn from and is counted as
dropped. Both counts are reported and saved with the run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lintseq_core.edits import DIFF_TOKEN
from lintseq_training.data import Example
from lintseq_training.errors import ConfigError

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

__all__ = ["IGNORE_INDEX", "EncodedData", "add_diff_token", "encode_example", "encode_examples", "prepare_tokenizer"]

IGNORE_INDEX = -100


@dataclass(frozen=True)
class EncodedData:
    """Token ids and labels of every kept example, with what happened to the others."""

    features: tuple[dict[str, list[int]], ...]
    truncated: int  # examples cut to max_length (still trained on)
    dropped_prompt_too_long: int  # examples with no answer token left after truncation
    tokens: int
    target_tokens: int

    def summary(self) -> dict[str, int]:
        return {
            "examples": len(self.features),
            "truncated": self.truncated,
            "dropped_prompt_too_long": self.dropped_prompt_too_long,
            "tokens": self.tokens,
            "target_tokens": self.target_tokens,
        }


def add_diff_token(tokenizer: PreTrainedTokenizerBase) -> int:
    """Add ``<|diff|>`` as one special token (if absent) and return its id."""
    if DIFF_TOKEN not in tokenizer.get_vocab():
        from tokenizers import AddedToken

        # special=True: never split, never normalised; kept when decoding with special tokens.
        tokenizer.add_tokens([AddedToken(DIFF_TOKEN, special=True, normalized=False)], special_tokens=True)
    ids = tokenizer.encode(DIFF_TOKEN, add_special_tokens=False)
    if len(ids) != 1:
        raise ConfigError(
            f"the tokenizer splits {DIFF_TOKEN} into {len(ids)} tokens even after adding it; "
            "use a tokenizer that supports added special tokens"
        )
    return ids[0]


def prepare_tokenizer(tokenizer: PreTrainedTokenizerBase, fmt: str) -> PreTrainedTokenizerBase:
    """Check EOS, give a pad token, and add the diff token for the edit-sequence format."""
    if tokenizer.eos_token_id is None:
        raise ConfigError("the tokenizer has no EOS token; set one (tokenizer.eos_token) before training")
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token  # padded positions are masked in labels and attention
    if fmt == "editseq":
        add_diff_token(tokenizer)
    return tokenizer


def encode_example(
    tokenizer: PreTrainedTokenizerBase, example: Example, max_length: int
) -> tuple[dict[str, list[int]], bool]:
    """Ids and labels of ``example`` + EOS, and whether it was truncated."""
    if not example.text.startswith(example.prompt):
        raise ValueError("an example's text must start with its prompt")
    eos = tokenizer.eos_token_id
    if tokenizer.is_fast:
        enc = tokenizer(example.text, add_special_tokens=True, return_offsets_mapping=True)
        ids = list(enc["input_ids"])
        ends = [end for _start, end in enc["offset_mapping"]]
        # A token belongs to the answer when it covers at least one character after the prompt;
        # special tokens the tokenizer adds (BOS) have empty spans and stay in the prompt.
        cut = len(example.prompt)
        in_answer = [end > cut for end in ends]
    else:
        ids = list(tokenizer(example.text, add_special_tokens=True)["input_ids"])
        n_prompt = len(tokenizer(example.prompt, add_special_tokens=True)["input_ids"])
        if ids and ids[-1] == eos and tokenizer(example.prompt)["input_ids"][-1:] == [eos]:
            n_prompt -= 1  # the tokenizer appends EOS to every text
        in_answer = [k >= n_prompt for k in range(len(ids))]
    if ids and ids[-1] == eos:  # the tokenizer appended EOS itself: re-add it as a target below
        ids.pop()
        in_answer.pop()
    ids.append(eos)
    in_answer.append(True)
    truncated = len(ids) > max_length
    ids, in_answer = ids[:max_length], in_answer[:max_length]
    labels = [t if keep else IGNORE_INDEX for t, keep in zip(ids, in_answer, strict=True)]
    return {"input_ids": ids, "attention_mask": [1] * len(ids), "labels": labels}, truncated


def encode_examples(
    tokenizer: PreTrainedTokenizerBase, examples: Iterable[Example], max_length: int
) -> EncodedData:
    features: list[dict[str, Any]] = []
    truncated = dropped = tokens = targets = 0
    for example in examples:
        feature, was_cut = encode_example(tokenizer, example, max_length)
        n_targets = sum(1 for t in feature["labels"] if t != IGNORE_INDEX)
        if n_targets == 0:
            dropped += 1
            continue
        truncated += was_cut
        tokens += len(feature["input_ids"])
        targets += n_targets
        features.append(feature)
    return EncodedData(tuple(features), truncated, dropped, tokens, targets)
