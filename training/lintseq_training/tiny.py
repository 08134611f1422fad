"""A tiny Llama-style model and a byte-level BPE tokenizer fitted on the fly: no downloads.

Tests and the README's CPU walk-through need a real causal LM directory that loads with
``AutoModelForCausalLM`` / ``AutoTokenizer``; this builds one in seconds from a config and a
tokenizer trained on the texts given (e.g. the programs to train on).
Usage: ``python -m lintseq_training.tiny OUT_DIR --data converted.jsonl`` or
``lintseq-train make-tiny-model OUT_DIR --data converted.jsonl``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["build_tiny_model", "main"]

BOS, EOS, PAD = "<s>", "</s>", "<pad>"


def build_tiny_model(
    output_dir: str | Path,
    texts: Iterable[str],
    *,
    vocab_size: int = 512,
    hidden_size: int = 64,
    num_layers: int = 2,
    num_heads: int = 4,
    max_positions: int = 2048,
    seed: int = 0,
    intermediate_size: int | None = None,
    num_kv_heads: int | None = None,
    model_vocab_size: int | None = None,
) -> Path:
    """Write a randomly initialised Llama-style model and its tokenizer to ``output_dir``.

    ``model_vocab_size`` gives the model more embedding rows than the tokenizer has tokens
    (to match the size and logit cost of a real model with a small fitted tokenizer).
    """
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    corpus = [t for t in texts if t]
    if not corpus:
        raise ValueError("build_tiny_model needs at least one non-empty text to fit the tokenizer")
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[PAD, BOS, EOS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(corpus, trainer=trainer)
    bos_id = bpe.token_to_id(BOS)
    bpe.post_processor = processors.TemplateProcessing(
        single=f"{BOS} $A", pair=f"{BOS} $A {BOS} $B", special_tokens=[(BOS, bos_id)]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe, bos_token=BOS, eos_token=EOS, pad_token=PAD, model_max_length=max_positions
    )

    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=max(len(tokenizer), model_vocab_size or 0),
        hidden_size=hidden_size,
        intermediate_size=intermediate_size or hidden_size * 2,
        num_hidden_layers=num_layers,
        num_attention_heads=num_heads,
        num_key_value_heads=num_kv_heads or max(1, num_heads // 2),
        max_position_embeddings=max_positions,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=True,
    )
    model = LlamaForCausalLM(config)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def _texts_from(path: Path, fields: Sequence[str]) -> list[str]:
    from lintseq_training.data import read_rows

    texts = []
    for row in read_rows(path):
        for name in fields:
            value = row.get(name)
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(value, list):
                texts.extend(v for v in value if isinstance(v, str))
    return texts


def build_parser(prog: str = "python -m lintseq_training.tiny") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0])
    parser.add_argument("output_dir", type=Path, help="directory to write the model and tokenizer to")
    parser.add_argument("--data", type=Path, required=True, help="JSONL/JSON rows whose texts fit the tokenizer")
    parser.add_argument(
        "--fields", default="instruction,program,edit_path,text,code",
        help="comma-separated fields whose text fits the tokenizer (default: %(default)s)",
    )
    parser.add_argument("--vocab-size", type=int, default=512)
    parser.add_argument("--hidden-size", type=int, default=64)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    return parser


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    args = build_parser(*(prog,) if prog else ()).parse_args(argv)
    texts = _texts_from(args.data, [f for f in args.fields.split(",") if f])
    if not texts:
        raise SystemExit(f"error: no text found in fields {args.fields} of {args.data}")
    out = build_tiny_model(
        args.output_dir, texts, vocab_size=args.vocab_size, hidden_size=args.hidden_size,
        num_layers=args.layers, num_heads=args.heads, seed=args.seed,
    )
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
