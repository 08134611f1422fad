"""The harness of an interpreted language: one run stage, a runner script and a token file.

Ruby, Lua and JavaScript samples (and a language a third party registers) run the same way:
``program.<ext>`` holds the program and its tests, the runner reads and deletes
``.lintseq_nonce`` before loading the program, and prints the token only when the tests
passed. What differs is the runner, the interpreter's command line, extra files and the
environment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lintseq_eval.languages import Prepared, Source, Tool
from lintseq_eval.sandbox import Limits, Stage

__all__ = ["interpreted_harness"]

Harness = Callable[[Source, str, Limits, Tool], Prepared]


def _nothing() -> dict[str, str]:
    return {}


def interpreted_harness(
    ext: str,
    runner: str,
    command: tuple[str, ...],
    *,
    files: Callable[[], Mapping[str, str]] = _nothing,
    env: Callable[[], Mapping[str, str]] = _nothing,
) -> Harness:
    """A ``prepare`` for :class:`~lintseq_eval.languages.EvalLanguage`: ``runner`` (the text of
    ``runner.<ext>``) is run as ``command runner.<ext>``, where ``command[0]`` is a tool name.
    ``files`` and ``env`` are called per sample, so a missing shim fails the sample, not the
    import."""

    def prepare(src: Source, nonce: str, limits: Limits, tool: Tool) -> Prepared:
        program = {f"program.{ext}": src.program + "\n\n" + src.tests + "\n", f"runner.{ext}": runner}
        argv = (tool(command[0]), *command[1:], f"runner.{ext}")
        return Prepared({**program, **files(), ".lintseq_nonce": nonce},
                        (Stage("run", argv, limits.run_timeout_s),), nonce, env())

    return prepare
