"""Names and the scopes they live in: E0602, E0601, E0606, E0117.

A use is resolved at once when the scope has already bound the name on every path, and
otherwise when the scope closes (a function body sees the whole enclosing scope, a class
body or comprehension only what ran before it). pylint's flow rules decide between
"undefined" (E0602), "used before assignment" (E0601) and "possibly used before
assignment" (E0606); ``flow`` keeps ``defined`` (bound on every path) and ``possible``
(bound on some) up to date as it walks branches.
"""

from __future__ import annotations

import ast

from lintseq_core.types import Diagnostic
from lintseq_python.fast_analyzer.model import BUILTINS, Function, Scope, binding_scope, count

__all__ = ["ScopeTracker", "global_bindings"]

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class ScopeTracker:
    """The scopes of the walk, the names they bind and the reports on their uses."""

    def __init__(self, tree: ast.Module, lines: list[str], has_global: bool = True) -> None:
        self.has_global = has_global  # the text says "global": worth a walk for the statements
        self.tree = tree
        self.lines = lines
        self.out: list[Diagnostic] = []
        self.module = Scope("module", None)
        self.scope = self.module
        # Function and lambda bodies, walked after the scope that defines them has closed:
        # (node, its scope, its function, block depth of the definition).
        self.queue: list[tuple[ast.AST, Scope, Function, int]] = []
        self.depth = 0  # block nesting of the statements being walked
        # Added to a node's ``lineno`` for its line in the state: 0 for a whole-module parse,
        # else where the chunk it was parsed from starts (see ``incremental``).
        self.offset = 0
        self.runtime = True  # False while walking an annotation that is never evaluated
        self.postponed = False  # True while walking an annotation under postponed evaluation
        self.late_uses: list[tuple[Scope, str, int]] = []  # names of postponed annotations
        self.nonlocal_names: set[str] = set()  # rebound from another scope: value unknown
        self.path: list[tuple[int, str]] = []  # the if/try branches around the statement walked
        # (name, line) of uses under an ``if`` in a function body, not bound there before:
        # pylint lets a closure read a name its function binds only under ``if`` when the
        # use is guarded too (by the same test), which this walk does not compare
        self.guarded_uses: set[tuple[str, int]] = set()
        self.global_counts: dict[str, int] = {}  # bindings of module names made through ``global``
        self.type_checking = 0  # depth of ``if TYPE_CHECKING:`` blocks being walked
        # ``global_bindings(tree)`` when the caller has it already (None: computed here)
        self.global_bindings: list[str] | None = None

    def nested_scope(self, func: Function) -> Scope:
        """The scope of a function or lambda defined here; nested in a function, it keeps
        what that function has bound on every path so far (see ``resolve_outside``)."""
        parent = self.scope
        scope = Scope("function", parent, func)
        s: Scope | None = parent
        while s is not None and s.kind in ("class", "comprehension"):
            s = s.parent
        if s is not None and s.kind == "function":
            scope.enclosing_defined = set(s.defined)
        return scope

    def report(self, line: int, code: str, message: str) -> None:
        self.out.append(Diagnostic(line, code, message))

    def declare_globals(self) -> None:
        """Module names that functions bind through ``global``: bound before any use.

        Function bodies are walked after the module, so without this a method that reads
        a name another function assigns as a global would look undefined in the original
        too, and that report would mask the real E0602 once the assignment is deleted.
        """
        if not self.has_global:
            return
        module = self.module
        names = self.global_bindings if self.global_bindings is not None else global_bindings(self.tree)
        for name in names:
            module.defined.add(name)
            module.possible.add(name)
            module.bound.add(name)
            count(module.counts, name)
            count(self.global_counts, name)
            self.nonlocal_names.add(name)  # its value is unknown here

    def bind(
        self, name: str, scope: Scope | None = None, instance_of: str | None = None, typeonly: bool = False
    ) -> None:
        scope = scope or self.scope
        if name in scope.globals and scope is not self.module:
            scope.defined.add(name)  # read after this in the function: it is bound
            scope = self.module
            scope.bound.add(name)
            scope.possible.add(name)
            return
        scope.defined.add(name)
        scope.possible.add(name)
        scope.bound.add(name)
        if typeonly and (name not in scope.counts or name in scope.typeonly):
            scope.typeonly.add(name)
        else:
            scope.typeonly.discard(name)
        count(scope.counts, name)
        if instance_of is not None:
            scope.instances[name] = instance_of
            count(scope.instance_counts, f"{name}:{instance_of}")

    def scope_of(self, name: str) -> Scope:
        """The scope that an assignment to ``name`` here binds in."""
        scope = self.scope
        return self.module if name in scope.globals else scope

    def use(self, name: str, line: int) -> None:
        scope = self.scope
        if self.postponed:
            self.late_uses.append((scope, name, line))
            return
        # (inside ``if TYPE_CHECKING:`` itself, its type-only names are fine: a class
        # statement there may subclass ``te.Protocol``)
        runtime = self.runtime and not self.type_checking
        if name in scope.defined:
            self.check_typeonly(scope, name, line, runtime)
            return
        if self.path and scope.kind == "function" and any(label in ("if", "else") for _, label in self.path):
            self.guarded_uses.add((name, line))
        if name in scope.handler_only:
            scope.handler_uses.add((name, line))
        scope.pending.append((name, line, name in scope.possible, runtime))

    def check_typeonly(self, scope: Scope, name: str, line: int, runtime: bool) -> None:
        """pylint's E0601 for a name that only ``if TYPE_CHECKING:`` binds, used at run time."""
        if runtime and name in scope.typeonly:
            self.report_before_assignment(line, name)

    def report_before_assignment(self, line: int, name: str) -> None:
        self.report(line, "E0601", f"Using variable {name!r} before assignment")

    def report_possibly_unbound(self, line: int, name: str) -> None:
        self.report(line, "E0606", f"Possibly using variable {name!r} before assignment")

    def close_scope(self, scope: Scope) -> None:
        """Resolve the names a scope could not see bound when it used them."""
        for name, line, possibly, runtime in scope.pending:
            if (
                name in scope.globals
                and name in scope.defined
                and self.module.counts.get(name, 0) == self.global_counts.get(name, 0)
            ):
                # ``global X; X = not X`` with no module-level X: read before assigned.
                self.report_before_assignment(line, name)
            elif (
                possibly
                and (name in scope.handler_only or (name, line) in scope.handler_uses)
                and scope.kind in ("function", "module")
            ):
                self.report_before_assignment(line, name)
            elif possibly:
                self.report_possibly_unbound(line, name)
            elif name in scope.bound and scope.kind in ("function", "module"):
                # (a class body that reads a name before binding it reads the global one)
                self.report_before_assignment(line, name)
            else:
                self.resolve_outside(scope, name, line, runtime)
        scope.pending = []

    def resolve_outside(self, scope: Scope, name: str, line: int, runtime: bool) -> None:
        if scope.kind in ("class", "comprehension"):
            # Executed at once: the enclosing scope must have bound it already.
            parent = scope.parent
            assert parent is not None
            if name in parent.defined:
                self.check_typeonly(parent, name, line, runtime)
                return
            parent.pending.append((name, line, name in parent.possible, runtime))
            return
        # A function body runs later: the binding it sees in an enclosing function or the
        # module must be made on every path through that scope (pylint's E0606 otherwise,
        # e.g. a closure reading a name its function binds only under ``if``).
        s = scope.parent
        seen = scope.enclosing_defined
        while s is not None:
            if s.kind == "comprehension" and name in s.bound:
                self.check_typeonly(s, name, line, runtime)
                return
            if s.kind == "function":
                if name in s.bound:
                    # bound where the nested def stands, or on every path by the end
                    if (seen is not None and name in seen) or name in s.defined or (name, line) in self.guarded_uses:
                        self.check_typeonly(s, name, line, runtime)
                    elif name in s.handler_only:
                        self.report_before_assignment(line, name)
                    else:
                        self.report_possibly_unbound(line, name)
                    return
                seen = s.enclosing_defined
            elif s.kind == "module":
                if name in s.defined:
                    self.check_typeonly(s, name, line, runtime)
                    return
                if name in s.bound:
                    self.report_possibly_unbound(line, name)
                    return
            s = s.parent
        self.report_undefined(line, name)

    def report_undefined(self, line: int, name: str) -> None:
        """E0602, unless the name is a builtin or a ``from m import *`` of an unknown ``m``
        may provide it."""
        if name in BUILTINS or self.module.star:
            return
        self.report(line, "E0602", f"Undefined variable {name!r}")

    def resolve_late_uses(self) -> None:
        """Names of postponed annotations: resolved as if read at the end of the module."""
        for scope, name, line in self.late_uses:
            if binding_scope(scope, name) is None:
                self.report_undefined(line, name)

    def nonlocal_(self, node: ast.Nonlocal) -> None:
        scope = self.scope
        for name in node.names:
            s = scope.parent
            found = False
            while s is not None and s.kind != "module":
                if s.kind == "function" and name in s.bound:
                    found = True
                    break
                s = s.parent
            if not found:
                self.report(node.lineno + self.offset, "E0117", f"nonlocal name {name} found without binding")
            scope.defined.add(name)  # uses refer to the enclosing binding
            scope.possible.add(name)
            self.nonlocal_names.add(name)


def global_bindings(tree: ast.AST) -> list[str]:
    """Module names that functions in ``tree`` bind through ``global``, once per binding.

    The list of a module is the concatenation of the lists of its statements (each
    function is looked at once), so a walk over a state parsed in chunks can add up the
    lists of its chunks (see ``incremental``).
    """
    names: list[str] = []
    for node in ast.walk(tree):
        if type(node) not in _DEFINITIONS:
            continue
        declared = {n for sub in ast.walk(node) if type(sub) is ast.Global for n in sub.names}
        if declared:
            names.extend(name for name in _names_bound_in(node) if name in declared)
    return names


def _names_bound_in(node: ast.AST) -> list[str]:
    """Every name a function binds, nested definitions included (for ``global`` lookups)."""
    names: list[str] = []
    for sub in ast.walk(node):
        t = type(sub)
        if t is ast.Name and type(sub.ctx) is ast.Store:
            names.append(sub.id)
        elif t in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef) and sub is not node:
            names.append(sub.name)
        elif t is ast.Import or t is ast.ImportFrom:
            names.extend(a.asname or a.name.partition(".")[0] for a in sub.names)
    return names
