"""HumanEvalPack (Muennighoff et al. 2023, OctoPack): HumanEvalSynthesize and HumanEvalFix.

The rows (``humanevalpack/<lang>/humanevalpack.jsonl.gz``, 164 per language; python, js,
java, go, cpp, rust) are HumanEval-X rows plus ``instruction``, ``buggy_solution``,
``bug_type``, ``failure_symptoms``, ``entry_point`` and ``signature``. Their tests are
HumanEval-X's, so every language runs them with its HumanEval-X harness.

``humanevalpack-<lang>`` (synthesize): the instruction is the row's ``instruction`` (a
sentence naming the function and its signature, then the docstring: OctoPack's prompt for
instruction-tuned models); the reference program is ``prompt + canonical_solution``, as in
HumanEval-X, and the empty program the prompt with an empty body.

``humanevalfix-<lang>`` (fix, OctoPack's "HumanEvalFixTests"): the model gets the buggy
program and the tests and must return the fixed program.

* The buggy program is ``declaration + buggy_solution``: the code without its docstring,
  as OctoPack gives it; the fixed reference is ``declaration + canonical_solution``. (Go's
  ``declaration`` lacks the imports and the helper functions of Go/10, 32, 38 and 50, which
  the tests call: there the declaration is the prompt without its ``//`` comment lines.)
* The instruction is ``Fix bugs in <entry_point>.``, the buggy program and the tests.
* ``baseline`` answers are the whole fixed program. ``editseq`` answers are diffs *on top
  of the buggy program* (:attr:`Layout.start`): resolved leniently from the buggy program,
  with ``-`` lines honoured where they match (:func:`lintseq_core.edits.apply_diff`), so a
  fix is a deletion plus an insertion and an empty answer leaves the buggy program.
* The empty program is the buggy program itself: the self-check ``--empty`` thus checks
  that every bug is caught by the tests.

Licence: MIT (bigcode-project/octopack); the rows build on HumanEval-X (Apache-2.0).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lintseq_eval.languages import Layout
from lintseq_eval.layouts import humaneval_x_tests

__all__ = ["FIX", "LANGUAGES", "SYNTHESIZE", "buggy_program", "fix", "synthesize"]

Row = Mapping[str, Any]
SYNTHESIZE = "humanevalpack"
FIX = "humanevalfix"
#: HumanEvalPack's folder names, which are also the benchmark suffixes.
LANGUAGES = ("python", "js", "java", "go", "cpp", "rust")
_REQUIRED = ("task_id", "prompt", "declaration", "canonical_solution", "buggy_solution", "test",
             "entry_point", "instruction")


def _layout(family: str, stem: str, setup_field: str | None, extra_required: tuple[str, ...],
            **fields: Any) -> Layout:
    """What both families share: the rows, their reference body and HumanEval-X's tests."""
    return Layout(
        benchmark=f"{family}-{stem}", family=family,
        local_name=f"humanevalpack/{stem}/humanevalpack.jsonl.gz",
        hub=("bigcode/humanevalpack", stem, "test"), required=_REQUIRED + extra_required,
        solution=lambda row: row["canonical_solution"], tests=humaneval_x_tests(setup_field),
        **fields,
    )


def synthesize(stem: str, *, empty_body: str = "}\n", setup_field: str | None = None,
               extra_required: tuple[str, ...] = ()) -> Layout:
    """``humanevalpack-<stem>``: write the function from the natural-language instruction."""
    return _layout(
        SYNTHESIZE, stem, setup_field, extra_required,
        instruction=lambda row: row["instruction"].strip(),
        prefix=lambda row: row["prompt"],
        empty=lambda row: row["prompt"] + empty_body,
    )


Declaration = Callable[[Row], str]


def _declaration(row: Row) -> str:
    return row["declaration"]


def buggy_program(row: Row, declaration: Declaration = _declaration) -> str:
    """The program HumanEvalFix asks to fix: declaration and buggy body, no docstring."""
    return declaration(row) + row["buggy_solution"]


def fix(stem: str, *, setup_field: str | None = None, declaration: Declaration = _declaration,
        extra_required: tuple[str, ...] = ()) -> Layout:
    """``humanevalfix-<stem>``: return the buggy program fixed (see the module docstring);
    ``declaration`` is the code before the body where the row's field is not all of it (Go)."""

    def buggy(row: Row) -> str:
        return buggy_program(row, declaration)

    def instruction(row: Row) -> str:
        return f"Fix bugs in {row['entry_point']}.\n\n{buggy(row).strip()}\n\n{row['test'].strip()}"

    return _layout(
        FIX, stem, setup_field, extra_required,
        instruction=instruction, prefix=declaration, empty=buggy, start=buggy,
    )
