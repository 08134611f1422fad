"""HumanEval+ and MBPP+ (evalplus) as layouts: base and plus inputs, differential testing.

evalplus (Liu et al., NeurIPS 2023; github.com/evalplus/evalplus, data from
``evalplus/humanevalplus_release`` v0.1.10 and ``evalplus/mbppplus_release`` v0.2.0,
Apache-2.0) gives each task argument lists (``base_input``: the original benchmark's,
``plus_input``: generated) and no expected outputs: they come from running
``prompt + canonical_solution``. Each sample runs :mod:`lintseq_eval.evalplus_harness` in
its sandbox: the reference first (outputs and per-input times), then the sample's function
on the same inputs, compared with ``atol`` for floats, under evalplus's per-input time limit
``max(MIN_S, FACTOR * reference time)``.

evalplus reports two numbers: *base* (base inputs only) and *plus* (a sample passes only
if it passes the base **and** the plus inputs). ``humaneval-plus`` / ``mbpp-plus`` run both
input sets in one sandbox (their pass@k is evalplus's plus); their companions
``humaneval-plus-base`` / ``mbpp-plus-base`` run the base inputs alone on the same samples
and are reported beside them (:attr:`lintseq_eval.languages.Layout.companions`).

Prompts: HumanEval+ is HumanEval's (the signature and docstring); MBPP+ is MBPP's
instruction (the problem text, then ``Your code should pass these tests:`` and the assert
that evalplus's prompt shows). Inputs must be the evalplus format
(``HumanEvalPlus.jsonl.gz``, ``MbppPlus.jsonl.gz``; ``-NoExtreme`` files have the same
fields); the hub copies (``evalplus/humanevalplus``) are the ``-OriginFmt`` layout without
``base_input``, which the loader rejects with the fields it misses.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from lintseq_eval.languages import Layout, Source

__all__ = ["FACTOR", "MIN_S", "harness_setup", "humaneval_plus", "layouts", "mbpp_plus", "mbpp_plus_instruction"]

Row = Mapping[str, Any]
FACTOR = 4.0  # evalplus's DEFAULT_GT_TIME_LIMIT_FACTOR
MIN_S = 4.0  # evalplus's DEFAULT_MIN_TIME_LIMIT (seconds per input)
_REQUIRED = ("task_id", "prompt", "entry_point", "canonical_solution", "base_input", "plus_input", "atol")
_HARNESS = Path(__file__).with_name("evalplus_harness.py")
_CHECK = "\n_lintseq_evalplus.check(globals())\n"


def harness_setup(row: Row, dataset: str, phases: tuple[str, ...]) -> str:
    """Python that builds the harness (reference outputs and times) before the sample runs."""
    spec = {
        "task_id": row["task_id"], "dataset": dataset, "entry_point": row["entry_point"],
        "atol": row["atol"], "factor": FACTOR, "min_s": MIN_S,
        "reference": row["prompt"] + row["canonical_solution"],
        "phases": [[p, row[f"{p}_input"]] for p in phases],
    }
    return (
        "def _lintseq_evalplus_setup():\n"
        "    namespace = {'__name__': 'lintseq_evalplus_harness'}\n"
        f"    exec(compile({_HARNESS.read_text(encoding='utf-8')!r}, 'evalplus_harness.py', 'exec'), namespace)\n"
        f"    return namespace['Harness']({json.dumps(spec)!r})\n\n\n"
        "_lintseq_evalplus = _lintseq_evalplus_setup()\n"
        "del _lintseq_evalplus_setup\n"
    )


def _layout(name: str, family: str, local: str, hub: str, dataset: str, phases: tuple[str, ...],
            instruction: Callable[[Row], str], prefix: Callable[[Row], str], empty: Callable[[Row], str],
            companions: tuple[str, ...]) -> Layout:
    return Layout(
        benchmark=name,
        family=family,
        local_name=local,
        hub=(hub, None, "test"),
        required=_REQUIRED,
        instruction=instruction,
        prefix=prefix,
        solution=lambda row: row["canonical_solution"],
        empty=empty,
        tests=lambda row: Source("", _CHECK, harness_setup(row, dataset, phases)),
        companions=companions,
    )


def mbpp_plus_instruction(row: Row) -> str:
    """MBPP's instruction from evalplus's prompt (a docstring: the text, then one assert)."""
    body = row["prompt"].strip().strip('"').strip()
    lines = body.splitlines()
    asserts = [ln.strip() for ln in lines if ln.strip().startswith("assert")]
    text = " ".join(ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("assert"))
    return f"{text}\nYour code should pass these tests:\n" + "\n".join(asserts)


def humaneval_plus(*, base_only: bool = False) -> Layout:
    """HumanEval+ (base and plus inputs), or with ``base_only`` its base inputs alone."""
    return _layout(
        "humaneval-plus-base" if base_only else "humaneval-plus", "humaneval-plus",
        "evalplus/HumanEvalPlus.jsonl.gz", "evalplus/humanevalplus", "humaneval",
        ("base",) if base_only else ("base", "plus"),
        instruction=lambda row: row["prompt"].rstrip(),
        prefix=lambda row: row["prompt"],
        empty=lambda row: row["prompt"] + "    pass\n",
        companions=() if base_only else ("humaneval-plus-base",),
    )


def mbpp_plus(*, base_only: bool = False) -> Layout:
    """MBPP+ (base and plus inputs), or with ``base_only`` its base inputs alone."""
    return _layout(
        "mbpp-plus-base" if base_only else "mbpp-plus", "mbpp-plus",
        "evalplus/MbppPlus.jsonl.gz", "evalplus/mbppplus", "mbpp",
        ("base",) if base_only else ("base", "plus"),
        instruction=mbpp_plus_instruction,
        prefix=lambda row: "",
        empty=lambda row: f"def {row['entry_point']}(*args, **kwargs):\n    pass\n",
        companions=() if base_only else ("mbpp-plus-base",),
    )


def layouts() -> tuple[Layout, ...]:
    """The four evalplus layouts Python declares."""
    return (humaneval_plus(), humaneval_plus(base_only=True), mbpp_plus(), mbpp_plus(base_only=True))
