"""MultiPL-E (Cassano et al. 2023): HumanEval and MBPP translated into other languages.

``multipl-e-humaneval-<lang>`` and ``multipl-e-mbpp-<lang>`` for cpp, go, java, js, lua,
rb, rs and ts (Python is the originals: ``humaneval`` and ``mbpp``). The rows are
MultiPL-E's ``reworded`` prompts (``multipl-e/<benchmark>-<lang>-reworded.jsonl.gz``,
keys ``name, language, prompt, doctests, original, prompt_terminology, tests,
stop_tokens``); task ids are the rows' ``name`` (``HumanEval_0_has_close_elements``).

MultiPL-E runs ``prompt + completion + tests``, where the completion stops at a stop token
(kept in the row; :func:`stop_tokens`). In some languages the stop token cuts the
function's own closing lines, so the tests begin with them (C++ and Rust: ``}``; Java:
``    }`` of the method, and the tests end with ``}`` of ``class Problem``). This project's
models write the *whole* program, so the layout splits that closer off the tests:

* the instruction is the prompt (signature and reworded docstring) without trailing blank
  lines; the reference prefix is the prompt; a whole program is ``prompt + body + closer``;
* the tests are the row's ``tests`` without the closer (C++, Rust); Java's test ``main`` is
  put into ``class LintseqTests extends Problem``, which sees Problem's static methods
  unqualified as MultiPL-E's ``main`` inside ``Problem`` did;
* how a program runs follows MultiPL-E's ``evaluation/src/eval_<lang>.py``: C++ ``g++``
  with the tests' ``main``; Go ``go test``; Java ``javac`` then ``java -ea`` with
  ``org.javatuples`` on the class path; JavaScript ``node``; TypeScript ``tsc --target
  esnext`` then ``node``; Rust ``rustc`` (2015 edition, MultiPL-E's default) running the
  tests' ``main``; Ruby with ``test/unit``; Lua with ``luaunit`` (a stand-in ships in
  ``languages/shims/lua``). Each language module holds its part.

MultiPL-E publishes no reference solutions. ``--canonical`` uses a row's
``canonical_solution`` when the row has one (the self-check script adds borrowed
solutions: ``benchmarks/bench_multiple.py``), else the prompt alone, which fails: see
docs/evaluation.md "MultiPL-E". Licence: BSD-3-Clause with a machine-learning restriction
(no training on it); the Hub card says MIT.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lintseq_eval.errors import BenchmarkError
from lintseq_eval.languages import Layout, Prepared, Source, Tool
from lintseq_eval.sandbox import Limits

__all__ = [
    "BENCHMARKS",
    "LANGUAGES",
    "MULTIPLE",
    "multiple",
    "stop_tokens",
]

Row = Mapping[str, Any]
MULTIPLE = "multipl-e"
BENCHMARKS = ("humaneval", "mbpp")
#: MultiPL-E's language stems (its file names) in this project.
LANGUAGES = ("cpp", "go", "java", "js", "lua", "rb", "rs", "ts")
_REQUIRED = ("name", "language", "prompt", "tests", "stop_tokens")


def _strip_closer(closer: str) -> Callable[[Row], str]:
    def tests(row: Row) -> str:
        text = row["tests"]
        if not text.startswith(closer):
            raise BenchmarkError(f"{row.get('name')}: MultiPL-E tests should start with {closer!r}")
        return text[len(closer):]

    return tests


def multiple(
    benchmark: str,
    stem: str,
    *,
    empty_body: str,
    closer: str = "",
    tests: Callable[[Row], str] | None = None,
    prepare: Callable[[Source, str, Limits, Tool], Prepared] | None = None,
) -> Layout:
    """The layout of ``multipl-e-<benchmark>-<stem>``: ``closer`` is what a whole program adds
    after the body that MultiPL-E's tests begin with; ``tests`` rewrites the tests further
    (default: drop ``closer``); ``prepare`` runs the sample where the language's default
    harness does not follow MultiPL-E's conventions."""
    if benchmark not in BENCHMARKS:
        raise BenchmarkError(f"MultiPL-E has no benchmark {benchmark!r}; choose one of {BENCHMARKS}")
    test_text = tests or _strip_closer(closer)
    return Layout(
        benchmark=f"{MULTIPLE}-{benchmark}-{stem}",
        family=f"{MULTIPLE}-{benchmark}",
        local_name=f"{MULTIPLE}/{benchmark}-{stem}-reworded.jsonl.gz",
        hub=("nuprl/MultiPL-E", f"{benchmark}-{stem}", "test"),
        required=_REQUIRED,
        instruction=lambda row: row["prompt"].rstrip(),
        prefix=lambda row: row["prompt"],
        solution=lambda row: row.get("canonical_solution", ""),
        empty=lambda row: row["prompt"] + empty_body + closer,
        tests=lambda row: Source("", test_text(row)),
        row_id=lambda row: row["name"],
        prepare=prepare,
    )


def stop_tokens(row: Row) -> tuple[str, ...]:
    """The row's stop tokens (where MultiPL-E cuts a completion that continues the prompt)."""
    return tuple(row.get("stop_tokens", ()))
