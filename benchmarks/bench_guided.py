"""Throughput cost of lint-guided decoding: tokens/s and analyzer calls per sample.

    python benchmarks/bench_guided.py                          # 12 prompts x 2 samples, CPU
    python benchmarks/bench_guided.py --prompts 8 --n 2 --max-new-tokens 96 \
        --md-out benchmarks/results/guided/cpu-tiny.md --json-out benchmarks/results/guided/cpu-tiny.json
    python benchmarks/bench_guided.py --model ckpt/            # a trained edit-sequence model

Without ``--model`` the model is a 2-layer Llama (hidden 64) fitted here for ``--steps``
steps on LintSeq edit sequences of the bundled sample (``lintseq_core/data/sample.jsonl``,
3 sequences per program, Python ``ast`` analyzer): it writes diff-shaped text whose edits
often break the program, which is the regime where guidance costs most. Prompts are the
sample's instructions. Both modes run the same loop with the same per-try seeds
(:func:`lintseq_eval.guided.guide_edits`): ``unguided`` analyzes every edit but keeps it
(plain sampling plus the verdicts), ``guided`` resamples broken edits (``--retries``,
``--on-exhausted``, default ``keep``). Printed per mode: samples, generated tokens (kept + rejected),
tokens/s of generation (decoding and analysis together), analyzer calls per sample, mean
analyzer ms per call, share of decoding time spent analyzing, clean-state rate of kept
edits, rejected edits and extra tokens, stop reasons.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

SAMPLE = Path(__file__).resolve().parents[1] / "lintseq_core" / "data" / "sample.jsonl"


def fitted_model(out: Path, steps: int, seed: int = 0) -> tuple[Any, Any, list[str]]:
    """A tiny model fitted for ``steps`` steps on edit sequences of the sample programs."""
    import torch
    from lintseq_training.encode import add_diff_token
    from lintseq_training.tiny import build_tiny_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from lintseq_core.edits import format_training_text
    from lintseq_core.host import get_host
    from lintseq_core.jsonrows import read_rows
    from lintseq_core.sampler import make_sampler, sample_many

    rows = read_rows(SAMPLE)
    sampler = make_sampler(get_host(), "python", "ast")
    texts, instructions = [], []
    for i, row in enumerate(rows):
        try:
            seqs = sample_many(sampler, row["code"], seed=seed, index=i, samples=3)
        except Exception:  # noqa: BLE001 - a program the sampler rejects is skipped
            continue
        instructions.append(row["instruction"])
        texts.extend(format_training_text(row["instruction"], s.edit_path) for s, _ in seqs)
    build_tiny_model(out, texts, hidden_size=64, seed=seed)
    tok = AutoTokenizer.from_pretrained(out)
    add_diff_token(tok)
    model = AutoModelForCausalLM.from_pretrained(out)
    model.resize_token_embeddings(len(tok))
    torch.manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    model.train()
    gen = torch.Generator().manual_seed(seed)
    for step in range(steps):
        batch = [texts[int(j)] + tok.eos_token for j in torch.randint(len(texts), (16,), generator=gen)]
        enc = tok(batch, return_tensors="pt", padding=True, truncation=True, max_length=256)
        loss = model(**enc, labels=enc["input_ids"].masked_fill(enc["attention_mask"] == 0, -100)).loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 50 == 0 or step == steps - 1:
            print(f"fit step {step}: loss {loss.item():.3f}", flush=True)
    return model.eval(), tok, instructions


def run_mode(model: Any, tok: Any, prompts: list[str], *, enforce: bool, retries: int, n: int,
             max_new_tokens: int, temperature: float, on_exhausted: str = "keep") -> dict[str, Any]:
    from lintseq_eval.guided import EditGuide, GuideConfig, TransformersEditModel, guide_edits

    from lintseq_core.edits import training_prompt
    from lintseq_core.host import get_host

    host = get_host()
    analyze_s = 0.0
    real = host.analyze

    def timed(*a: Any, **kw: Any) -> Any:
        nonlocal analyze_s
        t = time.perf_counter()
        try:
            return real(*a, **kw)
        finally:
            analyze_s += time.perf_counter() - t

    host.analyze = timed  # type: ignore[method-assign]
    cfg = GuideConfig(retries=retries, enforce=enforce, on_exhausted=on_exhausted)
    records = []
    t0 = time.perf_counter()
    try:
        for i, p in enumerate(prompts):
            for k in range(n):
                state = TransformersEditModel(model, tok, training_prompt(p), temperature=temperature, top_p=0.95,
                                              seed=0, prompt_index=i, sample_index=k)
                records.append(guide_edits(state.propose, state.commit, EditGuide("python", "ast", host=host), cfg,
                                           max_new_tokens))
    finally:
        host.analyze = real  # type: ignore[method-assign]
    wall = time.perf_counter() - t0
    tokens = sum(r.generated_tokens for r in records)
    kept = sum(r.edits_kept for r in records)
    calls = sum(r.analyzer_calls for r in records)
    return {
        "mode": "guided" if enforce else "unguided",
        "samples": len(records),
        "generated_tokens": tokens,
        "kept_tokens": sum(r.kept_tokens for r in records),
        "tokens_per_s": tokens / wall,
        "wall_s": wall,
        "analyzer_calls_per_sample": calls / len(records),
        "analyzer_ms_per_call": 1000 * analyze_s / calls if calls else 0.0,
        "analysis_share": analyze_s / wall,
        "edits_kept": kept,
        "clean_state_rate": sum(r.states_clean for r in records) / kept if kept else None,
        "edits_rejected": sum(r.edits_rejected for r in records),
        "extra_tokens": sum(r.rejected_tokens for r in records),
        "stop_reasons": dict(collections.Counter(r.stop_reason for r in records)),
    }


def table(rows: list[dict[str, Any]]) -> str:
    head = ("| mode | samples | tokens (kept) | tokens/s | analyzer calls/sample | ms/call | analysis share | "
            "clean states | rejected edits | extra tokens | stop reasons |")
    out = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        clean = "n/a" if r["clean_state_rate"] is None else f"{100 * r['clean_state_rate']:.1f}% of {r['edits_kept']}"
        out.append(
            f"| {r['mode']} | {r['samples']} | {r['generated_tokens']} ({r['kept_tokens']}) | {r['tokens_per_s']:.1f} | "
            f"{r['analyzer_calls_per_sample']:.2f} | {r['analyzer_ms_per_call']:.2f} | {100 * r['analysis_share']:.1f}% | "
            f"{clean} | {r['edits_rejected']} | {r['extra_tokens']} | "
            + ", ".join(f"{k} {v}" for k, v in sorted(r["stop_reasons"].items())) + " |"
        )
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None, help="a trained edit-sequence model (default: fit a tiny one here)")
    ap.add_argument("--steps", type=int, default=150, help="fitting steps of the tiny model")
    ap.add_argument("--prompts", type=int, default=12)
    ap.add_argument("--n", type=int, default=2, help="samples per prompt")
    ap.add_argument("--retries", type=int, default=4)
    ap.add_argument("--max-new-tokens", type=int, default=128)
    ap.add_argument("--temperature", type=float, default=1.0)
    ap.add_argument("--on-exhausted", choices=["keep", "stop"], default="keep")
    ap.add_argument("--md-out", type=Path, default=None, help="write the table here")
    ap.add_argument("--json-out", type=Path, default=None, help="write the config and rows here (JSON)")
    args = ap.parse_args()

    import torch

    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    if args.model:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from lintseq_core.jsonrows import read_rows

        model = AutoModelForCausalLM.from_pretrained(args.model).eval()
        tok = AutoTokenizer.from_pretrained(args.model)
        instructions = [r["instruction"] for r in read_rows(SAMPLE)]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            model, tok, instructions = fitted_model(Path(tmp), args.steps)
    prompts = instructions[: args.prompts]
    rows = [run_mode(model, tok, prompts, enforce=enforce, retries=args.retries, n=args.n,
                     max_new_tokens=args.max_new_tokens, temperature=args.temperature,
                     on_exhausted=args.on_exhausted) for enforce in (False, True)]
    md = table(rows)
    print(md)
    record = json.dumps({"config": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
                         "rows": rows}, indent=1)
    for path, text in ((args.md_out, md), (args.json_out, record)):
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text + "\n")


if __name__ == "__main__":
    main()
