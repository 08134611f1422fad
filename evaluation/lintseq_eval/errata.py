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

__all__ = ["ERRATA", "ERRATA_BY_FAMILY", "VACUOUS_TESTS", "corrected_solution"]

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


# Corrections by benchmark family: a task id names another text in another benchmark.
# HumanEvalPack (synthesize and fix) keeps HumanEval-X's Go/95, map-order bug included, so it
# gets the same correction; its JavaScript/155 keeps the code too, but its tests were rewritten
# to expect the comma operator's value, so the HumanEval-X correction would break it; its
# JavaScript/112 is fixed upstream.
_PACK = {
    "Go/95": ERRATA["Go/95"],
    # HumanEvalPack un-commented Rust/32's tests, which draw 100 random polynomials from a
    # time-seeded generator; the reference's Newton iteration from 0 diverges or cycles on some
    # (a run timed out in the self-check). The correction is HumanEval's own method: bisection.
    "Rust/32": (
        "        let mut ans = 0.0;\n        let mut value = poly(xs, ans);\n        while value.abs() > 1e-6 {\n"
        "            let mut driv = 0.0;\n            for i in 1..xs.len() {\n"
        "                driv += xs[i] * ans.powi((i - 1) as i32) * (i as f64);\n            }\n"
        "            ans = ans - value / driv;\n            value = poly(xs, ans);\n        }\n        ans\n",
        "        let mut begin = -1.0;\n        let mut end = 1.0;\n"
        "        while poly(xs, begin) * poly(xs, end) > 0.0 {\n            begin *= 2.0;\n            end *= 2.0;\n"
        "        }\n        while end - begin > 1e-10 {\n            let center = (begin + end) / 2.0;\n"
        "            if poly(xs, center) * poly(xs, begin) > 0.0 {\n                begin = center;\n"
        "            } else {\n                end = center;\n            }\n        }\n        begin\n",
    ),
}
ERRATA_BY_FAMILY: dict[str, dict[str, tuple[str, str]]] = {
    "humaneval-x": ERRATA, "humanevalpack": _PACK, "humanevalfix": _PACK,
}


def corrected_solution(task_id: str, solution: str, family: str = "humaneval-x") -> str:
    """The reference solution of ``task_id`` (of the benchmark ``family``) with its documented
    correction applied."""
    fix = ERRATA_BY_FAMILY.get(family, {}).get(task_id)
    if fix is None or fix[0] not in solution:
        return solution
    return solution.replace(fix[0], fix[1], 1)
