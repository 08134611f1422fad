"""Corrections of upstream reference solutions that fail their own tests.

Three HumanEval-X reference solutions (CodeGeeX, Apache-2.0) are wrong: with any correct
harness they fail, or pass only by chance. They matter only for ``--canonical`` (the
harness's self-check): model completions are never compared with reference solutions, and
the tests themselves are never changed. Each correction is an exact text replacement in
``canonical_solution``; when the upstream text differs (a fixed release), nothing is
replaced and the task is reported as it is.

* JavaScript/112 returns ``(z, false)`` (the comma operator: a bare boolean) where the
  tests and the docstring want the pair ``[t, bool]``.
* JavaScript/155 returns ``[0, 0]`` for ``0``; the tests (and the docstring's digit count)
  want ``[1, 0]``: zero has one even digit.
* Go/95 leaves the loop over a map after the second key whatever it is, so its answer
  depends on Go's random map order (it fails about half the runs of the test
  ``{"p", "A", "B"}``); the correction checks every key.

One task's tests cannot fail (:data:`VACUOUS_TESTS`): they are reported, not changed, so
``--empty`` shows it passing with any program that compiles.
"""

from __future__ import annotations

__all__ = ["ERRATA", "VACUOUS_TESTS", "corrected_solution"]

ERRATA: dict[str, tuple[str, str]] = {
    "JavaScript/112": (
        "  if (z == 0) {\n    return (z, false)\n  }\n  return (z, true)\n",
        "  if (z == 0) {\n    return [t, false]\n  }\n  return [t, true]\n",
    ),
    "JavaScript/155": (
        "  if (num < 0) { num = -num }\n",
        "  if (num < 0) { num = -num }\n  if (num == 0) { return [1, 0] }\n",
    ),
    "Go/95": (
        "            state = \"mixed\"\n            break\n        } else {\n            break\n        }\n",
        "            state = \"mixed\"\n            break\n        }\n",
    ),
}


# Upstream tests that every program passes: the task says nothing about a model.
VACUOUS_TESTS: dict[str, str] = {
    "Rust/32": "the whole test module is inside a /* */ comment upstream: any program that compiles passes",
}


def corrected_solution(task_id: str, solution: str) -> str:
    """The reference solution of ``task_id`` with its documented correction applied."""
    fix = ERRATA.get(task_id)
    if fix is None or fix[0] not in solution:
        return solution
    return solution.replace(fix[0], fix[1], 1)
