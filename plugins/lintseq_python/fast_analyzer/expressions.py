"""The walk through expressions: names read and bound, and the uses the later checks judge.

An expression can break in two ways when a line is deleted: a name it reads is no longer
bound (reported through ``scopes`` as the walk goes), or a value it uses is no longer what
the use needs (a member, a return value, a callable). The second kind needs the whole
program, so this walk only records those uses (attributes, calls, subscripts, iterations)
with their scope, for ``members`` and ``values`` to judge at the end.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable

from lintseq_python.fast_analyzer.formats import format_call_errors, percent_errors
from lintseq_python.fast_analyzer.model import SELF_ALIAS, Function, Scope, count
from lintseq_python.fast_analyzer.scopes import ScopeTracker
from lintseq_python.fast_analyzer.shapes import last_name

__all__ = ["ExpressionWalker", "own_super"]

def _class_of(node: ast.expr) -> str | None:
    """``x`` of ``type(x)`` or ``x.__class__`` (the class of the value ``x`` holds)."""
    if type(node) is ast.Attribute and node.attr == "__class__" and type(node.value) is ast.Name:
        return node.value.id
    if (
        type(node) is ast.Call
        and type(node.func) is ast.Name
        and node.func.id == "type"
        and len(node.args) == 1
        and not node.keywords
        and type(node.args[0]) is ast.Name
    ):
        return node.args[0].id
    return None


_FORMAT_METHODS = frozenset({"format", "debug", "info", "warning", "warn", "error", "critical", "exception", "fatal", "log"})
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_LEAVES = (ast.Constant, ast.Load, ast.Store, ast.Del)


class ExpressionWalker(ScopeTracker):
    """Expressions, assignment targets, arguments and annotations."""

    def __init__(self, tree: ast.Module, lines: list[str], has_global: bool = True) -> None:
        super().__init__(tree, lines, has_global)
        self.attr_uses: list[tuple[Scope, str, str, int]] = []  # (scope, variable, attribute, line)
        self.assign_calls: list[tuple[Scope, ast.expr, int, str]] = []  # (.., line, how the value is used)
        self.value_uses: list[tuple[Scope, str, int, str]] = []  # (scope, name, line, how)
        self.early_none_uses: list[tuple[Scope, str, int, str]] = []  # value uses that see only ``None``
        self.self_value_uses: list[tuple[Function, str, int, str]] = []  # ``self.x`` used as a value
        # ``x.attr`` where every binding of ``x`` so far is a literal of a builtin type that has
        # no ``attr``: (scope, x, type, attr, line)
        self.literal_attr_uses: list[tuple[Scope, str, type, str, int]] = []
        self.constructor_calls: list[tuple[Scope, ast.Call, int]] = []  # ``Name(...)`` calls, line
        self.method_calls: list[tuple[Scope, ast.Call, int]] = []  # ``x.name(...)`` calls, line
        self.new_attr_uses: list[tuple[Scope, str, str, int]] = []  # ``Cls(...).attr``
        self.super_attr_uses: list[tuple[Scope, ast.Call, str, int]] = []  # ``super().attr``
        # ``self.m().attr`` / ``f().attr`` (not in a try catching AttributeError)
        self.result_attr_uses: list[tuple[Scope, ast.expr, str, int]] = []
        # ``self.x.attr`` read (not in a try catching AttributeError): (scope, x, attr, line)
        self.member_attr_uses: list[tuple[Scope, str, str, int]] = []
        # ``type(self).attr`` / ``self.__class__.attr`` read: (scope, self, attr, line)
        self.class_attr_uses: list[tuple[Scope, str, str, int]] = []
        # ``n.attr`` read where ``n = self`` is every binding of ``n`` so far: (scope, n, attr, line)
        self.alias_attr_uses: list[tuple[Scope, str, str, int]] = []
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
        self.setattr_calls: bool | None = None  # the text calls ``setattr`` (None: not looked)
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
        if type(node.ctx) is ast.Load and not self.attribute_guards:
            var = _class_of(value)
            if var is not None:
                self.class_attr_uses.append((self.scope, var, node.attr, node.lineno + self.offset))
        if type(value) is ast.Name and type(node.ctx) is ast.Load:
            self.attr_uses.append((self.scope, value.id, node.attr, node.lineno + self.offset))
            scope = self.scope
            literal = scope.literals.get(value.id)
            if literal is not None and literal[0] is not None and not self.attribute_guards:
                if literal[1] == scope.counts.get(value.id) and node.attr not in _type_names(literal[0]):
                    # ``hn = 0`` ... ``hn = hn.subs(...)`` once ``hn = expr`` was deleted
                    self.literal_attr_uses.append((scope, value.id, literal[0], node.attr, node.lineno + self.offset))
            if scope.instances.get(value.id) == SELF_ALIAS and not self.attribute_guards:
                if scope.instance_counts.get(f"{value.id}:{SELF_ALIAS}") == scope.counts.get(value.id):
                    # ``n = self`` the only binding so far, rebound later (``n = n.parent``)
                    self.alias_attr_uses.append((scope, value.id, node.attr, node.lineno + self.offset))
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
            elif type(op) in (ast.In, ast.NotIn):
                # ``x in self._packed_refs`` once its only other assignment is deleted
                self.self_value(right, "membership")
        self.expr(node.left)
        for right in node.comparators:
            self.expr(right)

    def _subscript(self, node: ast.Subscript) -> None:
        value = node.value
        how = "subscript" if type(node.ctx) is ast.Load else "item assignment"
        if type(value) is ast.Name:
            self.value_use(value.id, node.lineno + self.offset, how)
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
        if type(func) is ast.Attribute and func.attr in _FORMAT_METHODS:
            for code, message in format_call_errors(node):
                self.report(node.lineno + self.offset, code, message)
        if type(func) is ast.Call:
            self.assign_calls.append((scope, func.func, node.lineno + self.offset, "call"))
        if type(func) is ast.Name:
            self.value_use(func.id, node.lineno + self.offset, "call")
            self.constructor_calls.append((scope, node, node.lineno + self.offset))
        elif type(func) is ast.Attribute and type(func.value) is ast.Name:
            self.method_calls.append((scope, node, node.lineno + self.offset))
        elif (
            type(func) is ast.Attribute
            and type(func.value) is ast.Call
            and type(func.value.func) is ast.Name
            and func.value.func.id != "super"
        ):
            self.method_calls.append((scope, node, node.lineno + self.offset))  # ``Cls(...).m(...)``
        elif type(func) is ast.Attribute and (_is_bare_super(func.value) or own_super(func.value, scope)):
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

    def _binop(self, node: ast.BinOp) -> None:
        if type(node.op) is ast.Mod and type(node.left) is ast.Constant:
            for code, message in percent_errors(node):
                self.report(node.lineno + self.offset, code, message)
        self.expr(node.left)
        self.expr(node.right)

    def _lambda(self, node: ast.Lambda) -> None:
        self.arguments(node.args)
        # astroid takes a lambda of a class body whose first parameter is ``self`` for a
        # method (``version = property(lambda self: self._blocks[0].version)``)
        positional = [*node.args.posonlyargs, *node.args.args]
        cls = None
        if self.scope.kind == "class" and self.class_stack and positional and positional[0].arg == "self":
            cls = self.class_stack[-1]
        func = Function(node, cls, offset=self.offset)
        if cls is not None:
            func.self_name = "self"
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

    def value_use(self, name: str, line: int, how: str) -> None:
        """``name`` called, subscripted or iterated; remembered apart when every binding of
        it in the function so far is ``= None`` (astroid infers the value a use sees from
        the assignments before it: ``email = None`` ... ``email = email[1:-1]``)."""
        scope = self.scope
        self.value_uses.append((scope, name, line, how))
        if (
            scope.kind == "function"
            and scope.loop_depth == 0
            and scope.nones.get(name, 0) == scope.counts.get(name, -1)
            and name not in scope.globals
        ):
            self.early_none_uses.append((scope, name, line, how))

    def literal_assigned(self, target: ast.expr, value: ast.expr | None) -> None:
        """Count ``x = 0`` / ``x = ''`` / ``x = []`` in a function: what astroid infers ``x``
        to be while no other binding comes before a use."""
        scope = self.scope
        if type(target) is not ast.Name or scope.kind != "function" or target.id in scope.globals:
            return
        kind: type | None
        if type(value) is ast.Constant:
            kind = type(value.value)  # type: ignore[union-attr]
            if kind not in _LITERAL_CONSTANTS:
                return
        elif type(value) in (ast.BinOp, ast.UnaryOp):
            kind = self.number_kind(value, target.id)  # type: ignore[arg-type]
            if kind is None:
                return
        else:
            kind = _LITERAL_NODES.get(type(value))
            if kind is None:
                return
        known = scope.literals.get(target.id)
        if known is not None:
            kind = kind if known[0] is kind else None
        scope.literals[target.id] = (kind, (known[1] if known is not None else 0) + 1)

    def number_kind(self, node: ast.expr, target: str) -> type | None:
        """``int``/``float`` for arithmetic astroid folds: ``-1 * hn_1`` where every binding
        of ``hn_1`` so far is a number (``target``: the name being assigned, already
        counted); None otherwise."""
        t = type(node)
        if t is ast.Constant:
            kind = type(node.value)  # type: ignore[attr-defined]
            return kind if kind in (int, float) else None
        if t is ast.Name:
            known = self.scope.literals.get(node.id)  # type: ignore[attr-defined]
            bindings = self.scope.counts.get(node.id, 0) - (node.id == target)  # type: ignore[attr-defined]
            if known is None or known[0] not in (int, float) or known[1] != bindings:
                return None
            return known[0]
        if t is ast.UnaryOp and type(node.op) in (ast.USub, ast.UAdd):  # type: ignore[attr-defined]
            return self.number_kind(node.operand, target)  # type: ignore[attr-defined]
        if t is ast.BinOp and type(node.op) in (ast.Add, ast.Sub, ast.Mult):  # type: ignore[attr-defined]
            left = self.number_kind(node.left, target)  # type: ignore[attr-defined]
            right = self.number_kind(node.right, target) if left is not None else None  # type: ignore[attr-defined]
            if left is None or right is None:
                return None
            return float if float in (left, right) else int
        return None

    def holds_none(self, value: ast.expr | None) -> bool:
        """Whether an assigned value is ``None`` as astroid infers it: the constant, or a
        local every binding of which so far is ``= None`` (``template_root = None`` ...
        ``self._template_root = template_root``, jinja2 loaders.py)."""
        if type(value) is ast.Constant:
            return value.value is None  # type: ignore[union-attr]
        if type(value) is not ast.Name:
            return False
        scope = self.scope
        name = value.id  # type: ignore[union-attr]
        return (
            scope.kind == "function"
            and scope.loop_depth == 0
            and 0 < scope.counts.get(name, 0) == scope.nones.get(name, 0)
            and name not in scope.globals
        )

    def iterated(self, node: ast.expr) -> None:
        self.self_value(node, "iteration")
        if type(node) is ast.Name:
            self.value_use(node.id, node.lineno + self.offset, "iteration")
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


# Literals whose type astroid infers for a variable bound to them (``x.attr`` that the type
# lacks is E1101 "Instance of 'int' has no 'subs' member").
_LITERAL_CONSTANTS = frozenset({int, float, complex, str, bytes, bool})
# (not comprehensions nor f-strings: astroid infers no instance for those)
_LITERAL_NODES: dict[type, type] = {ast.List: list, ast.Dict: dict, ast.Set: set, ast.Tuple: tuple}


@functools.cache
def _type_names(kind: type) -> frozenset[str]:
    return frozenset(dir(kind))


def own_super(node: ast.expr, scope: Scope) -> bool:
    """Whether ``node`` is ``super(Cls, self)`` in a method of ``Cls`` (``self``: the
    method's first parameter), the spelling of ``super()`` older code keeps."""
    func = scope.func
    if type(node) is not ast.Call or type(node.func) is not ast.Name or node.func.id != "super":
        return False
    if func is None or func.cls is None or func.self_name is None or node.keywords or len(node.args) != 2:
        return False
    first, second = node.args
    return (
        type(first) is ast.Name and first.id == func.cls.node.name
        and type(second) is ast.Name and second.id == func.self_name
    )


_HANDLERS: dict[type, Callable[[ExpressionWalker, ast.AST], None]] = {
    **dict.fromkeys(_LEAVES, ExpressionWalker._leaf),
    **dict.fromkeys(_COMPREHENSIONS, ExpressionWalker.comprehension),
    ast.Name: ExpressionWalker._name,
    ast.Attribute: ExpressionWalker._attribute,
    ast.Subscript: ExpressionWalker._subscript,
    ast.Call: ExpressionWalker._call,
    ast.Compare: ExpressionWalker._compare,
    ast.BinOp: ExpressionWalker._binop,
    ast.Lambda: ExpressionWalker._lambda,
    ast.NamedExpr: ExpressionWalker._named_expr,
    ast.Yield: ExpressionWalker._yield_or_await,
    ast.YieldFrom: ExpressionWalker._yield_or_await,
    ast.Await: ExpressionWalker._yield_or_await,
}
