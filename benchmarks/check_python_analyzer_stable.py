"""Record the fast Python analyzer's diagnostics on real code, to prove a refactor changes nothing.

    python benchmarks/check_python_analyzer_stable.py --out /tmp/ast_before.json
    # ... refactor plugins/lintseq_python ...
    python benchmarks/check_python_analyzer_stable.py --out /tmp/ast_after.json --against /tmp/ast_before.json

    # or the committed plugin as "before", without touching the working tree:
    mkdir /tmp/before && git archive HEAD plugins/lintseq_python | tar -x -C /tmp/before
    PYTHONPATH=/tmp/before/plugins python benchmarks/check_python_analyzer_stable.py --out /tmp/ast_before.json

The run analyses every ``.py`` file of a Python installation's standard library (default: the
one of ``/usr/lib/python3.11``) with 20-2,000 lines, and every intermediate state of a LintSeq
sample (seed 0, sampled through the ``ast`` analyzer itself) of ``--states`` of those files,
spread evenly over the list, among those with at most ``--state-max-lines`` lines, and of a
random-deletion sample of the same files (states with syntax errors), and of each of those
files minus one statement at a time (states with name and member errors). The
diagnostics are written as sorted JSON: a behaviour-preserving change of the analyzer gives a
byte-identical file, and ``--against`` says which files or states differ (exit status 1).

``--incremental`` checks the incremental analyzer (the one the plugin runs) against the full
one instead: every state the sampler lints while converting ``--states`` files (lintseq and
random-deletion samplers, in call order, with the chunk cache shared as in a conversion) is
analyzed both ways, and any difference is printed (exit status 1)::

    python benchmarks/check_python_analyzer_stable.py --incremental --out /tmp/inc.json \
        --root ~/.cache/lintseq/corpora/python --states 200 --state-max-lines 1500
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from lintseq_python.fast_analyzer import analyze_fast
from lintseq_python.fast_analyzer.incremental import ChunkCache, analyze_incremental

from lintseq_core.errors import ProgramRejected
from lintseq_core.host import PluginHost
from lintseq_core.sampler import make_sampler, sample_many, state_texts

STDLIB = Path("/usr/lib/python3.11")


def pick_files(root: Path, low: int, high: int) -> list[Path]:
    """Readable ``.py`` files under ``root`` with ``low <= lines <= high``, sorted by path."""
    picked = []
    for path in sorted(root.rglob("*.py")):
        if "site-packages" in path.parts or "dist-packages" in path.parts:
            continue
        try:
            n = len(path.read_text(encoding="utf-8").splitlines())
        except (OSError, UnicodeDecodeError):
            continue
        if low <= n <= high:
            picked.append(path)
    return picked


def diagnostics(source: str) -> list[list[Any]]:
    """The analyzer's diagnostics of ``source`` as JSON-ready rows, in the order reported."""
    return [[d.line, d.code, d.message, d.syntax] for d in analyze_fast(source)]


def record_states(host: PluginHost, files: list[Path], root: Path, kind: str) -> dict[str, Any]:
    """Diagnostics of every intermediate state of one seed-0 sample of each file, drawn by
    the ``kind`` sampler (``lintseq``: states the analyzer accepted; ``random``: broken ones)."""
    sampler = make_sampler(host, "python", "ast", sampler=kind)
    out: dict[str, Any] = {}
    for index, path in enumerate(files):
        code = path.read_text(encoding="utf-8")
        try:
            [(seq, _stats)] = sample_many(sampler, code, seed=0, index=index, samples=1)
        except ProgramRejected as exc:
            out[str(path.relative_to(root))] = {"rejected": str(exc)}
            continue
        out[str(path.relative_to(root))] = {
            "states": [[state, diagnostics(state)] for state in state_texts(seq)]
        }
    return out


def record_deletions(host: PluginHost, files: list[Path], root: Path) -> dict[str, Any]:
    """Diagnostics of each file minus one candidate line and its children (its block, its
    continuation lines, its decorators): states with one missing definition or statement.
    Only states with diagnostics are listed, keyed by the deleted line (0-based)."""
    out: dict[str, Any] = {}
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        structure = host.structure("python", "ast", [s.rstrip("\r\n") for s in lines])
        found = {}
        for line in structure.candidates:
            gone = {line, *structure.children[line]}
            rows = diagnostics("".join(s for k, s in enumerate(lines) if k not in gone))
            if rows:
                found[str(line)] = rows
        out[str(path.relative_to(root))] = found
    return out


def check_incremental(host: PluginHost, files: list[Path], root: Path) -> dict[str, Any]:
    """Every state the samplers lint while converting ``files``, analyzed incrementally (in
    call order, one cache) and in full: per file, the states and those that differ."""
    out: dict[str, Any] = {}
    analyze = host.analyze
    for index, path in enumerate(files):
        code = path.read_text(encoding="utf-8")
        seen: list[str] = []

        def recording(language: str, analyzer: str, source: str, seen: list[str] = seen) -> Any:
            seen.append(source)
            return analyze(language, analyzer, source)

        host.analyze = recording  # type: ignore[method-assign]
        try:
            for kind in ("lintseq", "random"):
                try:
                    sample_many(make_sampler(host, "python", "ast", sampler=kind), code, seed=0, index=index)
                except ProgramRejected:
                    break
        finally:
            host.analyze = analyze  # type: ignore[method-assign]
        cache = ChunkCache()
        differ = [k for k, state in enumerate(seen) if analyze_incremental(state, cache) != analyze_fast(state)]
        out[str(path.relative_to(root))] = {"states": len(seen), "differ": differ, "hits": cache.hits, "misses": cache.misses}
    return out


def spread(items: list[Path], n: int) -> list[Path]:
    """``n`` items evenly spaced over ``items`` (all of them when there are fewer)."""
    if len(items) <= n:
        return list(items)
    return [items[round(k * (len(items) - 1) / (n - 1))] for k in range(n)] if n > 1 else items[:1]


def compare(new: dict[str, Any], old: dict[str, Any]) -> list[str]:
    """Names of the files and state samples whose record differs between two runs."""
    diffs = []
    for section in ("files", "states", "random_states", "deletions"):
        a, b = new.get(section, {}), old.get(section, {})
        diffs += [f"{section}: {k}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    return diffs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=STDLIB, help="directory of .py files")
    parser.add_argument("--out", type=Path, required=True, help="JSON file to write")
    parser.add_argument("--against", type=Path, help="an earlier run's JSON to compare with")
    parser.add_argument("--states", type=int, default=60, help="files whose sample states to record")
    parser.add_argument("--state-max-lines", type=int, default=600, help="size limit of those files")
    parser.add_argument(
        "--incremental", action="store_true", help="compare the incremental analyzer with the full one"
    )
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.error(f"--root {args.root} is not a directory; pass a Python stdlib or any source tree")
    if args.incremental:
        return main_incremental(args)

    files = pick_files(args.root, 20, 2000)
    small = [p for p in files if len(p.read_text(encoding="utf-8").splitlines()) <= args.state_max_lines]
    host, sampled = PluginHost.from_entry_points(), spread(small, args.states)
    record = {
        "files": {str(p.relative_to(args.root)): diagnostics(p.read_text(encoding="utf-8")) for p in files},
        "states": record_states(host, sampled, args.root, "lintseq"),
        "random_states": record_states(host, sampled, args.root, "random"),
        "deletions": record_deletions(host, sampled, args.root),
    }
    args.out.write_text(json.dumps(record, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    n_states = [sum(len(v.get("states", ())) for v in record[k].values()) for k in ("states", "random_states")]
    print(
        f"{len(files)} files; {len(sampled)} sampled files: {n_states[0]} lintseq states, "
        f"{n_states[1]} random-deletion states, "
        f"{sum(map(len, record['deletions'].values()))} one-line deletions with diagnostics -> {args.out}"
    )
    if args.against is None:
        return 0
    diffs = compare(record, json.loads(args.against.read_text(encoding="utf-8")))
    same = args.out.read_bytes() == args.against.read_bytes()
    for line in diffs:
        print("differs:", line)
    print("byte-identical" if same else f"DIFFERENT ({len(diffs)} entries)")
    return 0 if same else 1


def main_incremental(args: argparse.Namespace) -> int:
    """``--incremental``: every sampler state of ``--states`` files, incremental against full."""
    files = pick_files(args.root, 20, args.state_max_lines)
    host, sampled = PluginHost.from_entry_points(), spread(files, args.states)
    record = check_incremental(host, sampled, args.root)
    args.out.write_text(json.dumps(record, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    states = sum(v["states"] for v in record.values())
    differ = {k: v["differ"] for k, v in record.items() if v["differ"]}
    hits, misses = (sum(v[k] for v in record.values()) for k in ("hits", "misses"))
    for name, ks in differ.items():
        print(f"differs: {name}: states {ks}")
    print(
        f"{len(sampled)} files, {states} states; chunk cache {hits} hits, {misses} misses; "
        + ("incremental = full on every state" if not differ else f"DIFFERENT in {len(differ)} files")
        + f" -> {args.out}"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
