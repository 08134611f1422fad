"""An instruction writer for sub-trajectory rows: a local causal LM describes each change.

D3 labels every (start, end) slice with a one-line instruction written by an LLM. This does
the same with any local ``transformers`` model::

    lintseq-train write-instructions --model Qwen/Qwen2.5-Coder-7B-Instruct \\
        --data sub.jsonl --output sub.instructed.jsonl --batch-size 32

The prompt is a template over the row (``--template FILE``; fields ``{language}``,
``{instruction}`` (the row's task instruction, or ""), ``{start_state}``, ``{end_state}``
and ``{edits}`` (the diffs, one after the other)); :data:`DEFAULT_TEMPLATE` is the default.
Chat models get it as one user message through their chat template. Generation is greedy
unless ``--temperature`` is set (then seeded). The instruction is the first non-empty line of
the answer; an empty answer keeps the row's previous instruction and is counted.

Output rows are the input rows with ``instruction`` (``--field``) replaced, the old value in
``previous_instruction`` and the model name in ``instruction_writer``; a manifest beside the
output records the model, template and settings. The tests run it with a tiny random model
(mechanics only); real instruction models need a GPU for datasets of any size.
"""

from __future__ import annotations

import argparse
import json
import logging
import string
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lintseq_core.model_loading import load_for_generation
from lintseq_training.errors import ConfigError, TrainingDataError

__all__ = [
    "DEFAULT_TEMPLATE",
    "WriterConfig",
    "first_line",
    "main",
    "render_prompt",
    "write_instructions",
]

log = logging.getLogger(__name__)

DEFAULT_TEMPLATE = """\
Below is a {language} file before and after a change, and the change as unified diffs.

### File before
{start_state}
### File after
{end_state}
### Diffs
{edits}

Write a one-line instruction, in the imperative, that asks a programmer for exactly this \
change (what it adds, not how). Reply with the instruction only.
### Instruction
"""

_FIELDS = ("language", "instruction", "start_state", "end_state", "edits")


@dataclass(frozen=True)
class WriterConfig:
    """How instructions are written (saved in the output's manifest)."""

    model: str
    template: str = DEFAULT_TEMPLATE
    field: str = "instruction"
    max_new_tokens: int = 64
    max_prompt_tokens: int = 3072  # longer prompts lose their start (the file's head)
    batch_size: int = 8
    temperature: float = 0.0
    top_p: float = 0.95
    seed: int = 0
    chat: str = "auto"  # auto: use the tokenizer's chat template when it has one; yes; no

    def __post_init__(self) -> None:
        check_template(self.template)
        if self.max_new_tokens < 1 or self.batch_size < 1 or self.max_prompt_tokens < 16:
            raise ConfigError("max_new_tokens and batch_size must be >= 1, max_prompt_tokens >= 16")
        if self.chat not in ("auto", "yes", "no"):
            raise ConfigError(f"chat must be auto, yes or no; got {self.chat!r}")


def check_template(template: str) -> str:
    """The template, if it names only known fields and shows the change."""
    try:
        names = {n for _, n, _, _ in string.Formatter().parse(template) if n is not None}
    except ValueError as exc:
        raise ConfigError(f"instruction template is malformed ({exc}); write a literal brace as {{{{ or }}}}") from exc
    unknown = sorted(names - set(_FIELDS))
    if unknown:
        raise ConfigError(f"instruction template uses unknown field(s) {unknown}; known: {', '.join(_FIELDS)}")
    if not names & {"edits", "end_state"}:
        raise ConfigError("instruction template must show the change: use {edits} or {end_state}")
    return template


def render_prompt(row: Mapping[str, Any], template: str = DEFAULT_TEMPLATE) -> str:
    """The writer's prompt for one sub-trajectory row."""
    for name in ("start_state", "end_state", "edit_path"):
        if name not in row:
            raise TrainingDataError(
                f"row has no {name!r}: instructions are written for `lintseq-core convert "
                "--subtrajectories` rows"
            )
    return template.format(
        language=row.get("language") or "source",
        instruction=row.get("instruction") or "",
        start_state=row["start_state"] or "(empty file)",
        end_state=row["end_state"],
        edits="\n".join(row["edit_path"]),
    )


def first_line(text: str) -> str:
    """The instruction in a model's answer: its first non-empty line, without quotes or label."""
    for line in text.splitlines():
        line = line.strip().strip("`").strip()
        for label in ("Instruction:", "instruction:", "### Instruction"):
            line = line.removeprefix(label).strip()
        if len(line) >= 2 and line[0] == line[-1] and line[0] in "\"'":
            line = line[1:-1].strip()
        if line:
            return line
    return ""


def _as_chat(tok: Any, prompts: Sequence[str], mode: str) -> tuple[list[str], bool]:
    """The texts to tokenize, and whether they went through the chat template (which adds BOS)."""
    has_template = bool(getattr(tok, "chat_template", None))
    if mode == "no" or (mode == "auto" and not has_template):
        return list(prompts), False
    if not has_template:
        raise ConfigError("chat=yes but the tokenizer has no chat template")
    return [tok.apply_chat_template([{"role": "user", "content": p}], tokenize=False,
                                    add_generation_prompt=True) for p in prompts], True


def generate_answers(config: WriterConfig, prompts: Sequence[str]) -> list[str]:
    """One greedy (or seeded sampled) answer per prompt, batched with left padding."""
    import torch

    model, tok, device = load_for_generation(config.model, "instruction model")
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    tok.padding_side = "left"
    tok.truncation_side = "left"  # keep the end of the prompt: the change and the request
    texts, chat = _as_chat(tok, prompts, config.chat)
    torch.manual_seed(config.seed)
    answers: list[str] = []
    for start in range(0, len(texts), config.batch_size):
        batch = texts[start: start + config.batch_size]
        enc = tok(batch, return_tensors="pt", padding=True, truncation=True,
                  max_length=config.max_prompt_tokens, add_special_tokens=not chat)
        enc = {k: v.to(device) for k, v in enc.items()}
        kwargs: dict[str, Any] = {"max_new_tokens": config.max_new_tokens, "pad_token_id": tok.pad_token_id,
                                  "eos_token_id": tok.eos_token_id}
        if config.temperature > 0:
            kwargs.update(do_sample=True, temperature=config.temperature, top_p=config.top_p)
        else:
            kwargs.update(do_sample=False)
        with torch.no_grad():
            out = model.generate(**enc, **kwargs)
        new = out[:, enc["input_ids"].shape[1]:]
        answers.extend(tok.batch_decode(new, skip_special_tokens=True))
    return answers


def write_instructions(
    rows: Sequence[Mapping[str, Any]], config: WriterConfig
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Rows with a written instruction, and counts (written, empty answers kept as before)."""
    prompts = [render_prompt(row, config.template) for row in rows]
    answers = generate_answers(config, prompts) if prompts else []
    out, counts = [], {"rows": len(rows), "written": 0, "empty_answers": 0}
    for row, answer in zip(rows, answers, strict=True):
        new = dict(row)
        line = first_line(answer)
        previous = row.get(config.field)
        if line:
            new[config.field] = line
            if previous is not None:
                new[f"previous_{config.field}"] = previous
            new["instruction_writer"] = config.model
            counts["written"] += 1
        else:
            counts["empty_answers"] += 1
        out.append(new)
    return out, counts


def main(argv: Sequence[str] | None = None, prog: str = "lintseq-train write-instructions") -> int:
    """CLI: read sub-trajectory rows, write them back with instructions, and a manifest."""
    ap = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="local directory or hub name of a causal LM")
    ap.add_argument("--data", required=True, type=Path, help="rows of `lintseq-core convert --subtrajectories`")
    ap.add_argument("--output", required=True, type=Path, help="JSONL to write")
    ap.add_argument("--template", type=Path, help="prompt template file (default: the built-in one)")
    ap.add_argument("--field", default="instruction", help="field to write (default instruction)")
    ap.add_argument("--limit", type=int, help="first N rows only")
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--max-prompt-tokens", type=int, default=3072)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--temperature", type=float, default=0.0, help="0 = greedy (default)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--chat", choices=("auto", "yes", "no"), default="auto",
                    help="wrap the prompt in the tokenizer's chat template (auto: when it has one)")
    args = ap.parse_args(argv)
    from lintseq_training.data import read_rows
    from lintseq_training.errors import LintseqError

    try:
        template = args.template.read_text(encoding="utf-8") if args.template else DEFAULT_TEMPLATE
        config = WriterConfig(args.model, template, args.field, args.max_new_tokens, args.max_prompt_tokens,
                              args.batch_size, args.temperature, seed=args.seed, chat=args.chat)
        rows = read_rows(args.data)[: args.limit]
        out, counts = write_instructions(rows, config)
    except (LintseqError, OSError) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as fh:
        for row in out:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    manifest = {"input": str(args.data), "output": str(args.output), "config": asdict(config), "counts": counts}
    args.output.with_name(args.output.name + ".manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(counts))
    return 0
