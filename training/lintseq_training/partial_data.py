"""Training examples from D3 sub-trajectory rows (``lintseq-core convert --subtrajectories``).

Such rows start from a partial file: ``start_state`` (``""`` for the empty file), the diffs
``edit_path`` that take it to ``end_state``, and an instruction. They are recognised by their
fields, never by a flag: a row with ``start_state`` trained as a plain edit sequence would
teach diffs against the wrong file, so either every row has the field or none has.

Formats (the text layout lives in :mod:`lintseq_core.partial_format`, shared with
``lintseq-eval --partial``; the template is the config key ``partial_template``):

* ``editseq``: the instruction and the file state in the prompt, then the ``<|diff|>`` edits.
* ``baseline``: the same prompt, then the whole end state.

Every row becomes one example (pairs drawn twice stay twice, as in D3); rows whose path does
not replay from their start state to their end state stop the run, naming the first one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from lintseq_core.errors import DiffError
from lintseq_core.partial_format import (
    DEFAULT_PARTIAL_TEMPLATE,
    format_partial_text,
    partial_prompt,
)
from lintseq_core.subtrajectories import replay
from lintseq_training.errors import TrainingDataError

if TYPE_CHECKING:
    from lintseq_training.data import Example

__all__ = ["END_FIELD", "START_FIELD", "build_partial_examples", "is_partial_data"]

START_FIELD = "start_state"
END_FIELD = "end_state"


def is_partial_data(rows: Sequence[Mapping[str, Any]]) -> bool:
    """Whether ``rows`` are sub-trajectory rows; a mixture is an error."""
    with_start = [n for n, row in enumerate(rows) if START_FIELD in row]
    if not with_start:
        return False
    if len(with_start) < len(rows):
        first = next(n for n, row in enumerate(rows) if START_FIELD not in row)
        raise TrainingDataError(
            f"{len(with_start)} of {len(rows)} rows are sub-trajectories (field {START_FIELD!r}) "
            f"but row {first} is not: train on one kind at a time (convert every file with or "
            "without --subtrajectories)"
        )
    return True


def _bad(rows: Sequence[Mapping[str, Any]], bad: list[int], what: str) -> TrainingDataError:
    return TrainingDataError(f"{len(bad)} of {len(rows)} sub-trajectory rows {what} (first: row {bad[0]})")


def _is_path(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(d, str) for d in value)


def _replays(row: Mapping[str, Any], edit_path_field: str) -> bool:
    try:
        return replay(row[START_FIELD], row[edit_path_field]) == row[END_FIELD]
    except DiffError:
        return False


def build_partial_examples(
    rows: Sequence[Mapping[str, Any]],
    fmt: str,
    keys: Sequence[str],
    *,
    instruction_field: str = "instruction",
    edit_path_field: str = "edit_path",
    template: str = DEFAULT_PARTIAL_TEMPLATE,
) -> list[Example]:
    """One example per row; ``keys`` name each row's source program."""
    from lintseq_training.data import Example

    bad = [n for n, row in enumerate(rows) if not isinstance(row.get(START_FIELD), str)]
    if bad:
        raise _bad(rows, bad, f"have no text in {START_FIELD!r}")
    examples = []
    if fmt == "editseq":
        bad = [n for n, row in enumerate(rows) if not _is_path(row.get(edit_path_field))]
        if bad:
            raise _bad(rows, bad, f"have no non-empty list of diff strings in {edit_path_field!r}")
        bad = [n for n, row in enumerate(rows)
               if isinstance(row.get(END_FIELD), str) and not _replays(row, edit_path_field)]
        if bad:
            raise _bad(rows, bad, f"have an {edit_path_field!r} that does not take {START_FIELD!r} "
                       f"to {END_FIELD!r}; regenerate them with lintseq-core convert")
        for row, key in zip(rows, keys, strict=True):
            instruction, state, path = row[instruction_field], row[START_FIELD], list(row[edit_path_field])
            examples.append(Example(
                partial_prompt(instruction, state, "editseq", template),
                format_partial_text(instruction, state, "editseq", edit_path=path, template=template),
                key,
            ))
        return examples
    if fmt != "baseline":
        raise TrainingDataError(f"unknown format {fmt!r}: use editseq or baseline")
    bad = [n for n, row in enumerate(rows) if not isinstance(row.get(END_FIELD), str)]
    if bad:
        raise _bad(rows, bad, f"have no text in {END_FIELD!r} (the baseline's answer)")
    for row, key in zip(rows, keys, strict=True):
        instruction = row[instruction_field]
        examples.append(Example(
            partial_prompt(instruction, row[START_FIELD], "baseline", template),
            format_partial_text(instruction, row[START_FIELD], "baseline", end_state=row[END_FIELD],
                                template=template),
            key,
        ))
    return examples
