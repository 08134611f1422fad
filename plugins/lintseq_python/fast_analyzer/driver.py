"""One program state in, its diagnostics out: parse, walk, then the whole-program checks.

The order of the reports is part of the analyzer's output (the sampler and the recorded
benchmarks compare lists), so the checks run in a fixed order: names first, then members,
then values.
"""

from __future__ import annotations

import ast
import re
import warnings

from lintseq_core.types import Diagnostic
from lintseq_python.fast_analyzer.classes import ClassModel
from lintseq_python.fast_analyzer.flow import Walker
from lintseq_python.fast_analyzer.members import (
    check_access_before_definition,
    check_members,
    check_none_attributes,
)
from lintseq_python.fast_analyzer.syntax import lone_carriage_returns, syntax_diagnostic
from lintseq_python.fast_analyzer.values import (
    check_abstract_instances,
    check_assign_calls,
    check_context_managers,
    check_dataclass_calls,
    check_method_calls,
    check_special_returns,
    check_value_uses,
)

__all__ = ["analyze_fast", "analyze_tree", "parse", "parse_error"]

_PYTHON_LINES = re.compile(r"\r\n|\r|\n")

# The checks that need the whole program, in the order their reports come out.
_CHECKS = (
    check_members,
    check_none_attributes,
    check_access_before_definition,
    check_context_managers,
    check_dataclass_calls,
    check_method_calls,
    check_special_returns,
    check_assign_calls,
    check_value_uses,
    check_abstract_instances,
)


def analyze_fast(source: str) -> list[Diagnostic]:
    """Diagnostics of one program state (empty when it is clean)."""
    try:
        tree = parse(source)
    except (SyntaxError, ValueError) as exc:
        return [_parse_failure(exc, source)]
    # The tokenizer ends a line at a lone "\r" too: the tree's line numbers count those lines.
    lines = _PYTHON_LINES.split(source) if "\r" in source else source.split("\n")
    out = analyze_tree(tree, lines, "global" in source)
    if "\r" in source:
        out.extend(lone_carriage_returns(source))
    return out


def parse(text: str) -> ast.Module:
    """``ast.parse`` without the warnings it prints (SyntaxWarning for "is" with a
    literal, invalid escapes)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text)


def parse_error(text: str, source: str) -> list[Diagnostic] | None:
    """``analyze_fast(source)``'s diagnostic when ``text``, parsed in place of the state
    ``source``, does not parse (None when it parses)."""
    try:
        parse(text)
    except (SyntaxError, ValueError) as exc:
        return [_parse_failure(exc, source)]
    return None


def _parse_failure(exc: SyntaxError | ValueError, source: str) -> Diagnostic:
    if isinstance(exc, SyntaxError):
        return syntax_diagnostic(exc, source)
    return Diagnostic(1, "E0001", str(exc), syntax=True)  # null bytes in the source


def analyze_tree(
    tree: ast.Module,
    lines: list[str],
    has_global: bool,
    offsets: dict[int, list[int]] | None = None,
    global_names: list[str] | None = None,
) -> list[Diagnostic]:
    """The walk and the whole-program checks of a parsed state.

    ``offsets``: for the module and classes assembled from chunks parsed alone (by id),
    what to add to the line numbers of each statement of the body (see ``Walker``);
    ``global_names``: ``scopes.global_bindings(tree)`` if known.
    """
    walk = Walker(tree, lines, has_global, offsets)
    walk.global_bindings = global_names
    walk.walk()
    walk.resolve_late_uses()
    model = ClassModel(walk)
    for check in _CHECKS:
        check(walk, model)
    for name, line in walk.all_names:
        if name not in walk.module.bound and not walk.module.star:
            walk.report(line, "E0603", f"Undefined variable name {name!r} in __all__")
    _release(walk)
    return walk.out


def _release(walk: Walker) -> None:
    """Break the reference cycles of a finished walk's records: a function and the scope of
    its body point at each other, a class and its methods too. The records are then freed
    when the call returns, by reference counting, instead of waiting for the cyclic garbage
    collector, which ``incremental`` pauses during a call and which then has a state's
    hundreds of thousands of objects to traverse (a twentieth of the analysis's CPU on
    500-1,500-line files, 2026-11-30). A cycle this misses is still collected, later."""
    for _, scope, func, _ in walk.queue:
        func.body_scope = None
        func.cls = None
        scope.func = None
    for classes in walk.classes.values():
        for cls in classes:
            cls.methods.clear()
            cls.scope = None
