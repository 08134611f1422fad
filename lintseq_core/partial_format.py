"""Prompts and training texts for rows that start from a partial program (D3 sub-trajectories).

One place for the format, because training (``lintseq-train`` on ``--subtrajectories``
rows) and evaluation (``lintseq-eval --partial``) must agree on it byte for byte.

The instruction part of a row is the *template* rendered with ``{instruction}`` and
``{state}`` (the start state, as the resolver writes it). The default::

    {instruction}
    [start of file]
    {state}
    [end of file]

An empty start state renders as the instruction alone, so a row from the empty file is an
ordinary LintSeq example and a model trained on sub-trajectories still answers the plain
benchmark prompts. After the rendered part the formats are those of full programs
(:mod:`lintseq_core.edits`):

* edit sequence: ``training_prompt(rendered)`` then the diffs, each followed by
  ``\\n<|diff|>``, then a final ``\\n<|diff|>``; the diffs apply on top of the state.
* baseline: ``baseline_prompt(rendered)`` then the whole end state.
"""

from __future__ import annotations

import string
from collections.abc import Sequence

from lintseq_core.edits import (
    baseline_prompt,
    format_baseline_text,
    format_training_text,
    training_prompt,
)
from lintseq_core.errors import ConfigError

__all__ = [
    "DEFAULT_PARTIAL_TEMPLATE",
    "PARTIAL_FORMATS",
    "check_partial_template",
    "format_partial_text",
    "partial_prompt",
    "render_partial_instruction",
]

DEFAULT_PARTIAL_TEMPLATE = "{instruction}\n[start of file]\n{state}\n[end of file]"
PARTIAL_FORMATS = ("editseq", "baseline")
_FIELDS = ("instruction", "state")


def check_partial_template(template: str) -> str:
    """Return ``template`` if it names ``{instruction}`` and ``{state}`` and nothing else."""
    if not isinstance(template, str):
        raise ConfigError(f"the partial-program template must be text, got {type(template).__name__}")
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ConfigError(f"the partial-program template is malformed ({exc}); write a literal "
                          "brace as {{ or }}") from exc
    names = [name for _, name, spec, conv in parsed if name is not None]
    unknown = sorted({n for n in names if n not in _FIELDS})
    if unknown:
        raise ConfigError(f"the partial-program template uses {', '.join('{' + n + '}' for n in unknown)}; "
                          "only {instruction} and {state} exist (write a literal brace as {{ or }})")
    missing = [f for f in _FIELDS if f not in names]
    if missing:
        raise ConfigError(f"the partial-program template must contain {' and '.join('{' + f + '}' for f in missing)}")
    if any(spec or conv for _, name, spec, conv in parsed if name is not None):
        raise ConfigError("the partial-program template takes plain {instruction} and {state}, "
                          "without format specs or conversions")
    return template


def render_partial_instruction(
    instruction: str, state: str, template: str = DEFAULT_PARTIAL_TEMPLATE
) -> str:
    """The instruction part of a partial-program row (the instruction alone when ``state`` is empty)."""
    if not state:
        return instruction
    return template.format(instruction=instruction, state=state)


def partial_prompt(
    instruction: str, state: str, fmt: str, template: str = DEFAULT_PARTIAL_TEMPLATE
) -> str:
    """What the model sees before it writes its answer, in format ``editseq`` or ``baseline``."""
    rendered = render_partial_instruction(instruction, state, template)
    if fmt == "editseq":
        return training_prompt(rendered)
    if fmt == "baseline":
        return baseline_prompt(rendered)
    raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(PARTIAL_FORMATS)}")


def format_partial_text(
    instruction: str,
    state: str,
    fmt: str,
    *,
    edit_path: Sequence[str] = (),
    end_state: str = "",
    template: str = DEFAULT_PARTIAL_TEMPLATE,
) -> str:
    """Training text (without EOS): the prompt, then the diffs (editseq) or the end state."""
    rendered = render_partial_instruction(instruction, state, template)
    if fmt == "editseq":
        return format_training_text(rendered, list(edit_path))
    if fmt == "baseline":
        return format_baseline_text(rendered, end_state)
    raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(PARTIAL_FORMATS)}")
