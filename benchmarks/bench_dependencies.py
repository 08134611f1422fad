"""The measurements behind docs/dependencies.md: why each library over the obvious one.

    python benchmarks/bench_dependencies.py                  # needs pyflakes for the second part
    /tmp/tsl/bin/python benchmarks/bench_dependencies.py --tree-sitter-languages-only

1. ``tree-sitter-languages`` (one wheel of many grammars) against tree-sitter >= 0.22: does
   ``get_parser`` still work? (Run it with an interpreter where both are installed.)
2. The own ``ast`` analyzer against pyflakes: time per program state on the same MBPP states
   (the states of our LintSeq sequences), and whether pyflakes sees the errors that matter.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

DATA = Path(os.environ.get("LINTSEQ_DATA_DIR", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"))


def check_tree_sitter_languages() -> str:
    try:
        import tree_sitter
        import tree_sitter_languages
    except ImportError as exc:
        return f"not installed here ({exc.name})"
    version = getattr(tree_sitter, "__version__", "?")
    try:
        tree_sitter_languages.get_parser("python")
    except Exception as exc:  # noqa: BLE001 - the point is to report whatever breaks
        return f"tree-sitter {version}: get_parser('python') fails: {type(exc).__name__}: {exc}"
    return f"tree-sitter {version}: works"


def compare_pyflakes(programs: int) -> None:
    import pyflakes.api
    import pyflakes.reporter

    from lintseq_core.host import get_host
    from lintseq_core.sampler import make_sampler, sample_many, state_texts

    host = get_host()
    sampler = make_sampler(host, "python", "ast")
    rows = [json.loads(line) for line in (DATA / "mbpp" / "mbpp.jsonl").read_text(encoding="utf-8").splitlines()]
    states: list[str] = []
    for index, row in enumerate(rows[:programs]):
        ((seq, _),) = sample_many(sampler, row["code"].replace("\r\n", "\n"), seed=0, index=index)
        states.extend(state_texts(seq))
        states.append(row["code"].replace("\r\n", "\n"))

    class Quiet(pyflakes.reporter.Reporter):
        def __init__(self) -> None:
            self.messages: list[str] = []

        def flake(self, message) -> None:  # type: ignore[override]
            self.messages.append(str(message))

        def syntaxError(self, *args) -> None:  # type: ignore[override]
            self.messages.append("syntax")

        def unexpectedError(self, *args) -> None:  # type: ignore[override]
            self.messages.append("unexpected")

    for label, fn in (
        ("ast (lintseq)", lambda s: host.analyze("python", "ast", s)),
        ("pyflakes.api.check", lambda s: pyflakes.api.check(s, "state.py", Quiet())),
    ):
        for s in states[:20]:
            fn(s)  # warm up
        t0 = time.process_time()
        for s in states:
            fn(s)
        per = (time.process_time() - t0) / len(states)
        print(f"{label:20s} {1000 * per:.3f} ms CPU per state ({len(states)} MBPP states)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--programs", type=int, default=200)
    p.add_argument("--tree-sitter-languages-only", action="store_true")
    args = p.parse_args()
    print("tree-sitter-languages:", check_tree_sitter_languages())
    if not args.tree_sitter_languages_only:
        compare_pyflakes(args.programs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
