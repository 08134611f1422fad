"""The walk through expressions: names read and bound, and the uses the later checks judge.

An expression can break in two ways when a line is deleted: a name it reads is no longer
bound (reported through ``scopes`` as the walk goes), or a value it uses is no longer what
the use needs (a member, a return value, a callable). The second kind needs the whole
program, so this walk only records those uses (attributes, calls, subscripts, iterations)
with their scope, for ``members`` and ``values`` to judge at the end.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from lintseq_python.fast_analyzer.model import Function, Scope, count
from lintseq_python.fast_analyzer.scopes import ScopeTracker
from lintseq_python.fast_analyzer.shapes import last_name

__all__ = ["ExpressionWalker"]

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_LEAVES = (ast.Constant, ast.Load, ast.Store, ast.Del)


class ExpressionWalker(ScopeTracker):
    """Expressions, assignment targets, arguments and annotations."""

    def __init__(self, tree: ast.Module, lines: list[str], has_global: bool = True) -> None:
        super().__init__(tree, lines, has_global)
        self.attr_uses: list[tuple[Scope, str, str, int]] = []  # (scope, variable, attribute, line)
        self.assign_calls: list[tuple[Scope, ast.expr, int, str]] = []  # (.., line, how the value is used)
        self.value_uses: list[tuple[Scope, str, int, str]] = []  # (scope, name, line, how)
        self.self_value_uses: list[tuple[Function, str, int, str]] = []  # ``self.x`` used as a value
        self.constructor_calls: list[tuple[Scope, ast.Call, int]] = []  # ``Name(...)`` calls, line
        self.method_calls: list[tuple[Scope, ast.Call, int]] = []  # ``x.name(...)`` calls, line
        self.new_attr_uses: list[tuple[Scope, str, str, int]] = []  # ``Cls(...).attr``
        self.super_attr_uses: list[tuple[Scope, ast.Call, str, int]] = []  # ``super().attr``
        # ``self.m().attr`` / ``f().attr`` (not in a try catching AttributeError)
        self.result_attr_uses: list[tuple[Scope, ast.expr, str, int]] = []
        # ``self.x.attr`` read (not in a try catching AttributeError): (scope, x, attr, line)
        self.member_attr_uses: list[tuple[Scope, str, str, int]] = []
        # ``self.x = f(...)`` in a method: (scope, x, call); what ``self.x`` can hold
        self.member_calls: list[tuple[Scope, str, ast.Call]] = []
        # attributes assigned on anything but a name (``self.x.attr = ...``): astroid adds
        # them to the class of whatever instance the object is inferred to be
        self.deep_stores: set[str] = set()
        self.none_member_stores: dict[tuple[int, str], int] = {}  # (class, x): ``self.x = None`` count
        # (scope, variable) of ``obj = super().__new__(cls)`` in a method: ``obj.x = ...``
        # then defines a member of the class (astroid infers ``obj`` as its instance)
        self.new_instances: set[tuple[int, str]] = set()
        self.attribute_guards = 0  # ``try`` bodies around the walk that catch AttributeError
        # ``b1._bakery = self._bakery`` (``b1`` a new instance of the class): pylint does not
        # count that assignment as defining the member for the read it assigns, so the read
        # is E1101 once it is the member's only assignment (see ``members``)
        self.echo_reads: list[tuple[Scope, str, str, int]] = []
        self.echo_store = False  # the assignment walked is such an echo
        self.augmented_store = False  # it is ``self.n = self.n + 1``: no definition
        # ``var.x = ...`` other than members of the method's class: (scope, var, attribute)
        self.outside_stores: list[tuple[Scope, str, str]] = []
        # (method, attribute, line, branch path, read or assigned) of every ``self.x``
        self.self_attrs_seen: list[tuple[Function, str, int, tuple[tuple[int, str], ...], bool]] = []
        self.future_annotations = any(
            type(node) is ast.ImportFrom
            and node.module == "__future__"
            and any(alias.name == "annotations" for alias in node.names)
            for node in tree.body
        )

    def expr(self, node: ast.AST) -> None:
        handler = _HANDLERS.get(type(node))
        if handler is not None:
            handler(self, node)
        else:
            for child in ast.iter_child_nodes(node):
                self.expr(child)

    def _leaf(self, node: ast.AST) -> None:
        return

    def _name(self, node: ast.Name) -> None:
        if type(node.ctx) is ast.Store:
            self.bind(node.id)
        else:
            self.use(node.id, node.lineno + self.offset)

    def _attribute(self, node: ast.Attribute) -> None:
        value = node.value
        if type(value) is ast.Call and type(value.func) is ast.Name and type(node.ctx) is ast.Load:
            self.new_attr_uses.append((self.scope, value.func.id, node.attr, node.lineno + self.offset))
            if value.func.id == "super" and not self.attribute_guards:
                self.super_attr_uses.append((self.scope, value, node.attr, node.lineno + self.offset))
        if type(value) is ast.Call and type(node.ctx) is ast.Load and not self.attribute_guards:
            if type(value.func) in (ast.Attribute, ast.Name):
                self.result_attr_uses.append((self.scope, value.func, node.attr, node.lineno + self.offset))
        if type(value) is ast.Name and type(node.ctx) is ast.Load:
            self.attr_uses.append((self.scope, value.id, node.attr, node.lineno + self.offset))
            self.self_attribute(node, access=True)
        elif type(value) is ast.Attribute and type(node.ctx) is ast.Load and not self.attribute_guards:
            if self.is_self_member(value):
                self.member_attr_uses.append((self.scope, value.attr, node.attr, node.lineno + self.offset))
        elif type(value) is ast.Name and type(node.ctx) is ast.Del:
            # ``del self.write`` after ``self.write = write`` was deleted: pylint checks a
            # deleted member like a read one (E1101), but not for E0203
            self.attr_uses.append((self.scope, value.id, node.attr, node.lineno + self.offset))
        self.expr(value)

    def _compare(self, node: ast.Compare) -> None:
        for op, right in zip(node.ops, node.comparators, strict=True):
            if type(right) is ast.Call and type(op) in (ast.In, ast.NotIn):
                # ``x in f(...)``: E1135 once ``f`` returns nothing (babel numbers.py)
                self.assign_calls.append((self.scope, right.func, right.lineno + self.offset, "membership"))
        self.expr(node.left)
        for right in node.comparators:
            self.expr(right)

    def _subscript(self, node: ast.Subscript) -> None:
        value = node.value
        how = "subscript" if type(node.ctx) is ast.Load else "item assignment"
        if type(value) is ast.Name:
            self.value_uses.append((self.scope, value.id, node.lineno + self.offset, how))
        elif type(value) is ast.Call:
            self.assign_calls.append((self.scope, value.func, node.lineno + self.offset, "subscript"))
        else:
            self.self_value(value, how)
        self.expr(value)
        self.expr(node.slice)

    def _call(self, node: ast.Call) -> None:
        func = node.func
        scope = self.scope
        if type(func) is ast.Attribute and func.attr == "__init__" and scope.func is not None and scope.func.cls is not None:
            called = last_name(func.value)
            if called:
                scope.func.cls.init_called.add(called)
            else:
                scope.func.cls.init_calls_base = True
        self.self_value(func, "call")
        if type(func) is ast.Call:
            self.assign_calls.append((scope, func.func, node.lineno + self.offset, "call"))
        if type(func) is ast.Name:
            self.value_uses.append((scope, func.id, node.lineno + self.offset, "call"))
            self.constructor_calls.append((scope, node, node.lineno + self.offset))
        elif type(func) is ast.Attribute and type(func.value) is ast.Name:
            self.method_calls.append((scope, node, node.lineno + self.offset))
        elif type(func) is ast.Attribute and _is_bare_super(func.value):
            # ``super().__init__()`` once the base's ``__init__`` that took no argument
            # was deleted: the next one up the bases needs ``n_classes`` (E1120)
            self.method_calls.append((scope, node, node.lineno + self.offset))
        self.expr(func)
        for arg in node.args:
            if type(arg) is ast.Starred and type(arg.value) is ast.Call:
                self.assign_calls.append((scope, arg.value.func, node.lineno + self.offset, "iteration"))
            self.expr(arg)
        for kw in node.keywords:
            if kw.arg is None and type(kw.value) is ast.Call:
                self.assign_calls.append((scope, kw.value.func, node.lineno + self.offset, "mapping"))
            self.expr(kw.value)

    def _lambda(self, node: ast.Lambda) -> None:
        self.arguments(node.args)
        func = Function(node, None, offset=self.offset)
        self.queue.append((node, self.nested_scope(func), func, self.depth))

    def _named_expr(self, node: ast.NamedExpr) -> None:
        self.expr(node.value)
        scope = self.scope
        while scope.kind == "comprehension" and scope.parent is not None:
            scope = scope.parent
        self.bind(node.target.id, scope)

    def _yield_or_await(self, node: ast.Yield | ast.YieldFrom | ast.Await) -> None:
        t = type(node)
        func = self.scope.func
        if t is not ast.Await:
            if func is None and self.scope.kind != "comprehension":
                self.report(node.lineno + self.offset, "E0105", "Yield outside function")
            elif func is not None:
                func.generator = True
        if t is ast.YieldFrom:
            self.iterated(node.value)
        if node.value is not None:
            self.expr(node.value)

    def comprehension(self, node: ast.AST) -> None:
        generators = node.generators  # type: ignore[attr-defined]
        self.iterated(generators[0].iter)
        self.expr(generators[0].iter)
        outer = self.scope
        scope = Scope("comprehension", outer, outer.func)
        scope.loop_depth = 0
        self.scope = scope
        for k, gen in enumerate(generators):
            if k:
                self.iterated(gen.iter)
                self.expr(gen.iter)
            self.target(gen.target)
            for cond in gen.ifs:
                self.expr(cond)
        if type(node) is ast.DictComp:
            self.expr(node.key)
            self.expr(node.value)
        else:
            self.expr(node.elt)  # type: ignore[attr-defined]
        self.scope = outer
        self.close_scope(scope)

    # ---- targets and ``self`` members ------------------------------------------------------
    def target(self, node: ast.expr, instance_of: str | None = None) -> None:
        t = type(node)
        if t is ast.Name:
            self.bind(node.id, instance_of=instance_of)
        elif t is ast.Tuple or t is ast.List:
            for elt in node.elts:
                self.target(elt)
        elif t is ast.Starred:
            self.target(node.value)
        elif t is ast.Attribute:
            if self.is_self_member(node):
                self.member_assigned(node.attr)
                self.self_attribute(node, access=False)
            elif type(node.value) is ast.Name and (id(self.scope), node.value.id) in self.new_instances:
                self.member_assigned(node.attr)
            elif type(node.value) is ast.Name and not (self.augmented_store or self.echo_store):
                self.outside_stores.append((self.scope, node.value.id, node.attr))
            elif type(node.value) is not ast.Name:
                self.deep_stores.add(node.attr)
            self.expr(node.value)
        else:  # Subscript
            self.expr(node)

    def member_assigned(self, attr: str) -> None:
        """A member of the method's class assigned (``self.x = ...``)."""
        cls = self.scope.func.cls  # type: ignore[union-attr]
        if self.augmented_store:
            return
        if self.echo_store:
            count(cls.echo_attrs, attr)  # type: ignore[union-attr]
        else:
            cls.self_attrs.add(attr)  # type: ignore[union-attr]

    def new_instance(self, target: ast.expr, value: ast.expr | None) -> None:
        """``obj = super().__new__(cls)`` (``object.__new__(cls)``...) in a method; and
        ``self.x = f(...)``, what ``self.x`` then holds."""
        func = self.scope.func
        if type(value) is ast.Call and self.is_self_member(target):
            self.member_calls.append((self.scope, target.attr, value))  # type: ignore[attr-defined]
        if (
            type(target) is ast.Name
            and type(value) is ast.Call
            and type(value.func) is ast.Attribute
            and value.func.attr == "__new__"
            and func is not None
            and func.cls is not None
        ):
            self.new_instances.add((id(self.scope), target.id))

    def is_self_member(self, node: ast.expr) -> bool:
        """Whether ``node`` is ``self.x`` in a method (``self``: its first parameter)."""
        func = self.scope.func
        return (
            type(node) is ast.Attribute
            and type(node.value) is ast.Name
            and func is not None
            and func.cls is not None
            and node.value.id == func.self_name
        )

    def self_attribute(self, node: ast.expr, access: bool) -> None:
        """Record ``self.x`` read or assigned in a method, with its branch path (for E0203)."""
        if self.is_self_member(node):
            func = self.scope.func
            self.self_attrs_seen.append((func, node.attr, node.lineno + self.offset, tuple(self.path), access))  # type: ignore[arg-type, attr-defined]

    def self_value(self, node: ast.expr, how: str) -> None:
        """``self.x`` iterated, subscripted, called or entered (E1133/E1136/E1102/E1129 when
        every assignment of it is ``None``)."""
        if self.is_self_member(node):
            self.self_value_uses.append((self.scope.func, node.attr, node.lineno + self.offset, how))  # type: ignore[arg-type, attr-defined]

    def iterated(self, node: ast.expr) -> None:
        self.self_value(node, "iteration")
        if type(node) is ast.Name:
            self.value_uses.append((self.scope, node.id, node.lineno + self.offset, "iteration"))
        elif type(node) is ast.Call:
            self.assign_calls.append((self.scope, node.func, node.lineno + self.offset, "iteration"))

    # ---- parameters and annotations -----------------------------------------------------------
    def arguments(self, args: ast.arguments) -> None:
        for default in (*args.defaults, *args.kw_defaults):
            if default is not None:
                self.expr(default)
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None and arg.annotation is not None:
                self.annotation(arg.annotation)

    def annotation(self, node: ast.expr, never_evaluated: bool = False) -> None:
        """An annotation: its names must exist, but it runs only without postponed evaluation."""
        saved = self.runtime, self.postponed
        self.runtime = saved[0] and not (never_evaluated or self.future_annotations)
        self.postponed = self.future_annotations  # names resolve as if read at the end
        self.expr(node)
        self.runtime, self.postponed = saved


def _is_bare_super(node: ast.expr) -> bool:
    """Whether ``node`` is ``super()`` (no arguments)."""
    return (
        type(node) is ast.Call
        and type(node.func) is ast.Name
        and node.func.id == "super"
        and not node.args
        and not node.keywords
    )


_HANDLERS: dict[type, Callable[[ExpressionWalker, ast.AST], None]] = {
    **dict.fromkeys(_LEAVES, ExpressionWalker._leaf),
    **dict.fromkeys(_COMPREHENSIONS, ExpressionWalker.comprehension),
    ast.Name: ExpressionWalker._name,
    ast.Attribute: ExpressionWalker._attribute,
    ast.Subscript: ExpressionWalker._subscript,
    ast.Call: ExpressionWalker._call,
    ast.Compare: ExpressionWalker._compare,
    ast.Lambda: ExpressionWalker._lambda,
    ast.NamedExpr: ExpressionWalker._named_expr,
    ast.Yield: ExpressionWalker._yield_or_await,
    ast.YieldFrom: ExpressionWalker._yield_or_await,
    ast.Await: ExpressionWalker._yield_or_await,
}
