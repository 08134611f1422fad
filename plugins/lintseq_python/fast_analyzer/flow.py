"""The walk through statements: definitions, branches, loops, ``try``/``with``, ``del``.

Statements decide which names are bound on every path after them (pylint's flow rules:
loop, ``try`` and ``with`` bodies count as run; an ``if`` binds a name only if every branch
that does not end in ``return``/``raise`` binds it), where ``return``/``break``/``yield``
may stand (E0104, E0103), and how deep each line must be indented (W0311). Function
bodies are queued and walked after the scope that defines them, as they run later.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from lintseq_python.fast_analyzer.expressions import ExpressionWalker
from lintseq_python.fast_analyzer.model import SELF_ALIAS, Class, Function, Scope, count
from lintseq_python.fast_analyzer.shapes import (
    first_statement,
    is_augmented_assign,
    is_type_checking,
    last_name,
    returns_only_none,
    returns_only_self,
    single_returned_call,
)
from lintseq_python.fast_analyzer.values import SPECIAL_RETURNS
from lintseq_python.imported import star_import_names

__all__ = ["Walker"]

_CLASS_BODY_NAMES = frozenset({"__module__", "__qualname__", "__doc__", "__dict__"})
_TRY_STAR = getattr(ast, "TryStar", ast.Try)  # Python >= 3.11
_BROAD_EXCEPTIONS = ("AttributeError", "Exception", "BaseException")


class Walker(ExpressionWalker):
    """One pass over a module: statements in order, then the queued function bodies."""

    def __init__(
        self,
        tree: ast.Module,
        lines: list[str],
        has_global: bool = True,
        offsets: dict[int, list[int]] | None = None,
    ) -> None:
        super().__init__(tree, lines, has_global)
        # id of the module or a class -> the ``offset`` of each statement of its body, for
        # a tree assembled from chunks parsed alone (None: the tree is one parse)
        self.offsets = offsets
        self.classes: dict[str, list[Class]] = {}
        self.class_stack: list[Class] = []
        self.all_names: list[tuple[str, int]] = []  # the strings of ``__all__``
        self.imports: dict[str, tuple[str, str | None]] = {}  # module level: name -> (module, name)
        self.none_attrs: set[tuple[int, str]] = set()  # (class, attribute) assigned None somewhere
        self.has_nones = False  # some variable is assigned ``None``
        self.aug_attr_uses: list[tuple[Scope, str, str, int]] = []  # ``x.attr += ...``
        # special methods whose one ``return`` returns a call: (method, call, (code, message))
        self.special_calls: list[tuple[Function, ast.expr, tuple[str, str]]] = []
        self.special_scopes: dict[int, Scope] = {}
        # ``__iter__`` methods that return only ``self``: E0301 if the class has no ``__next__``
        self.iter_self: list[tuple[Function, Class]] = []
        self.contextmanagers: list[Function] = []  # functions decorated with contextmanager
        self.with_items: list[tuple[Scope, ast.expr, int, bool]] = []  # (.., line, async)
        self.breaks = 0  # ``break`` statements walked so far

    def walk(self) -> None:
        """The module's statements, then every function body (queued as they are defined)."""
        self.declare_globals()
        self.body(self.tree, inner=False)
        self.close_scope(self.module)
        k = 0
        while k < len(self.queue):
            node, scope, func, depth = self.queue[k]
            k += 1
            self.depth = depth
            self.offset = func.offset
            self.walk_function(node, scope, func)

    def block(self, body: list[ast.stmt], inner: bool = True) -> bool:
        """Walk statements in order; True when the block always ends in a jump."""
        self.depth += inner
        try:
            for stmt in body:
                if self.stmt(stmt):
                    return True
            return False
        finally:
            self.depth -= inner

    def body(self, node: ast.Module | ast.ClassDef, inner: bool = True) -> None:
        """The body of the module or a class, each statement at its chunk's offset."""
        offsets = self.offsets.get(id(node)) if self.offsets is not None else None
        if offsets is None:
            self.block(node.body, inner)
            return
        saved = self.offset
        self.depth += inner
        try:
            for stmt, offset in zip(node.body, offsets, strict=True):
                self.offset = offset
                if self.stmt(stmt):
                    return  # (as ``block``: the rest of the body is not walked)
        finally:
            self.depth -= inner
            self.offset = saved

    def stmt(self, node: ast.stmt) -> bool:
        """Walk one statement; True when it always jumps (``return``, ``raise``, ``break``)."""
        line = node.lineno + self.offset
        prefix = self.lines[line - 1][: node.col_offset]
        if prefix != "    " * self.depth and not prefix.strip():
            # pylint's W0311: indentation other than four spaces per level.
            self.report(line, "W0311", "Bad indentation")
        handler = _STATEMENTS.get(type(node))
        return handler(self, node) if handler is not None else False

    # ---- simple statements -------------------------------------------------------------------
    def _expression(self, node: ast.Expr) -> bool:
        self.expr(node.value)
        return False

    def _assign(self, node: ast.Assign) -> bool:
        self.expr(node.value)
        value = node.value
        single = node.targets[0] if len(node.targets) == 1 else None
        echo = (
            type(single) is ast.Attribute
            and type(value) is ast.Attribute
            and value.attr == single.attr
            and self.is_self_member(value)
            and bool(self.attr_uses)
            and self.attr_uses[-1][2] == value.attr
        )
        if echo:  # ``b1._bakery = self._bakery``: the read is checked apart
            self.echo_reads.append(self.attr_uses.pop())
        instance = None
        if type(value) is ast.Call:
            if type(value.func) is ast.Name and type(single) is ast.Name:
                instance = value.func.id
            self.assigned_call(value, single, node.lineno + self.offset)
            if single is not None:
                self.new_instance(single, value)
        elif type(value) is ast.Name and type(single) is ast.Name:
            func = self.scope.func
            if func is not None and value.id == func.self_name and func.takes_instance():
                instance = SELF_ALIAS  # ``q = self``: members of ``q`` are the class's
        self.echo_store = echo
        # ``self.n = self.n + 1`` defines nothing for pylint
        self.augmented_store = single is not None and is_augmented_assign(single, value)
        for target in node.targets:
            self.target(target, instance)
            self.none_assigned(target, value)
        self.echo_store = self.augmented_store = False
        if self.scope is self.module and type(single) is ast.Name and single.id == "__all__":
            if type(value) in (ast.List, ast.Tuple):
                for elt in value.elts:  # type: ignore[attr-defined]
                    if type(elt) is ast.Constant and isinstance(elt.value, str):
                        self.all_names.append((elt.value, elt.lineno + self.offset))
        return False

    def assigned_call(self, value: ast.Call, single: ast.expr | None, line: int) -> None:
        """``x = f(...)``: the result of ``f`` is assigned (E1111), remembered for uses of
        ``x`` (E1102...), or unpacked (E0633)."""
        self.assign_calls.append((self.scope, value.func, line, "assign"))
        if type(single) is ast.Name:
            self.scope_of(single.id).call_values[single.id] = value.func
        if type(single) in (ast.Tuple, ast.List):
            self.assign_calls.append((self.scope, value.func, line, "unpack"))

    def none_assigned(self, target: ast.expr, value: ast.expr | None) -> None:
        """Count ``x = None`` and ``self.x = None``: a later use of the value may fail."""
        self.literal_assigned(target, value)
        if not self.holds_none(value):
            return
        func = self.scope.func
        if type(target) is ast.Name:
            count(self.scope_of(target.id).nones, target.id)
            self.has_nones = True
        elif type(target) is ast.Attribute and func is not None and func.cls is not None:
            self.none_attrs.add((id(func.cls), target.attr))
            if self.is_self_member(target):
                count(self.none_member_stores, (id(func.cls), target.attr))

    def _aug_assign(self, node: ast.AugAssign) -> bool:
        target = node.target
        if type(target) is ast.Name:
            self.use(target.id, target.lineno + self.offset)
        else:
            self.expr(target)
            self.self_attribute(target, access=True)
            if type(target) is ast.Attribute and type(target.value) is ast.Name:
                # ``self.n += 1`` reads the member first (E1101 once its assignment is gone;
                # pylint says so even when a base class is unknown).
                self.attr_uses.append((self.scope, target.value.id, target.attr, target.lineno + self.offset))
                self.aug_attr_uses.append((self.scope, target.value.id, target.attr, target.lineno + self.offset))
        self.expr(node.value)
        if type(target) is ast.Attribute:
            self.expr(target.value)  # pylint counts it as an access, not a definition
        else:
            self.target(target)
        return False

    def _ann_assign(self, node: ast.AnnAssign) -> bool:
        scope = self.scope
        if node.value is not None:
            self.expr(node.value)
        # A local variable's annotation is never evaluated.
        self.annotation(node.annotation, scope.kind == "function")
        if node.value is not None or type(node.target) is not ast.Name or scope.kind == "class":
            self.new_instance(node.target, node.value)
            self.target(node.target)
            self.none_assigned(node.target, node.value)
        return False

    def _return(self, node: ast.Return) -> bool:
        func = self.scope.func
        if func is None:
            self.report(node.lineno + self.offset, "E0104", "Return outside function")
        elif node.value is None or (type(node.value) is ast.Constant and node.value.value is None):
            func.returns_none = True
        else:
            func.returns_value = True
            if type(node.value) is ast.Call:
                func.returned_calls.append(node.value.func)
            else:
                func.other_returns = True
                if type(node.value) is ast.Name:
                    func.returned_names.append(node.value.id)
                else:
                    func.opaque_returns = True
        if node.value is not None:
            self.expr(node.value)
        return True

    def _raise(self, node: ast.Raise) -> bool:
        func = self.scope.func
        if node.exc is not None:
            self.expr(node.exc)
            exc = node.exc.func if type(node.exc) is ast.Call else node.exc
            if (
                type(exc) is ast.Name
                and exc.id == "NotImplementedError"
                and func is not None
                and first_statement(func.node) is node
            ):
                func.raises_abstract = True  # astroid's is_abstract: the first statement
        if node.cause is not None:
            self.expr(node.cause)
        return True

    def _jump(self, node: ast.Break | ast.Continue) -> bool:
        self.breaks += type(node) is ast.Break
        if self.scope.loop_depth == 0:
            word = "break" if type(node) is ast.Break else "continue"
            self.report(node.lineno + self.offset, "E0103", f"{word!r} not properly in loop")
        return True

    def _import(self, node: ast.Import) -> bool:
        for alias in node.names:
            local = alias.asname or alias.name.partition(".")[0]
            self.bind(local, typeonly=self.type_checking > 0)
            if self.scope is self.module:
                self.imports[local] = (alias.name if alias.asname else local, None)
        return False

    def _import_from(self, node: ast.ImportFrom) -> bool:
        scope = self.scope
        for alias in node.names:
            if scope is self.module and not node.level and node.module and alias.name != "*":
                self.imports[alias.asname or alias.name] = (node.module, alias.name)
            if alias.name != "*":
                self.bind(alias.asname or alias.name, typeonly=self.type_checking > 0)
                continue
            names = star_import_names(node.module or "", node.level)
            if names is None:
                scope.star = True  # unknown module: any name may come from it
            else:
                for name in names:
                    self.bind(name)
        return False

    def _global(self, node: ast.Global) -> bool:
        self.scope.globals.update(node.names)
        self.nonlocal_names.update(node.names)
        return False

    def _nonlocal(self, node: ast.Nonlocal) -> bool:
        self.nonlocal_(node)
        return False

    def _delete(self, node: ast.Delete) -> bool:
        for target in node.targets:
            self.expr(target)
        return False

    def _assert(self, node: ast.Assert) -> bool:
        self.expr(node.test)
        if node.msg is not None:
            self.expr(node.msg)
        return False

    # ---- compound statements -----------------------------------------------------------------
    def _if(self, node: ast.If) -> bool:
        self.expr(node.test)
        if not is_type_checking(node.test):
            return self.branches(node)
        self.type_checking += 1
        try:
            return self.branches(node, type_checking=True)
        finally:
            self.type_checking -= 1

    def _for(self, node: ast.For | ast.AsyncFor) -> bool:
        self.iterated(node.iter)
        self.expr(node.iter)
        self.target(node.target)
        self.loop(node)
        return False

    def _while(self, node: ast.While) -> bool:
        self.expr(node.test)
        self.loop(node)
        return False

    def loop(self, node: ast.For | ast.AsyncFor | ast.While) -> None:
        """A loop's body (where ``break``/``continue`` may stand), then its ``else``."""
        scope = self.scope
        scope.loop_depth += 1
        self.block(node.body)
        scope.loop_depth -= 1
        self.block(node.orelse)

    def _try(self, node: ast.Try) -> bool:
        scope = self.scope
        key = id(node)
        self.path.append((key, "try"))
        guards = any(
            h.type is None or any(last_name(e) == "AttributeError" for e in (h.type.elts if type(h.type) is ast.Tuple else [h.type]))
            for h in node.handlers
        )
        self.attribute_guards += guards  # pylint: no E1101 in the body of such a try
        before = set(scope.defined)
        body_ends = self.block(node.body)
        self.attribute_guards -= guards
        after_body = set(scope.defined)
        # What only the body binds may be unbound in the handlers and the ``finally``:
        # pylint's E0601 there (hypothesis stateful.py: ``result`` read in ``finally``).
        tried = after_body - before
        held = tried - scope.handler_only
        for handler in node.handlers:
            scope.defined -= tried
            scope.handler_only |= held
            self.except_handler(key, handler)
            scope.handler_only -= held
            scope.defined |= tried
        if not body_ends and node.handlers:
            # A name only a handler binds may be unbound after the statement.
            only = scope.defined - after_body
            scope.defined -= only
            scope.handler_only |= only
        self.path[-1] = (key, "try")  # else runs after the body
        self.block(node.orelse)
        self.path[-1] = (key, "finally")
        if tried and node.finalbody:
            kept = scope.defined & tried
            scope.defined -= tried
            scope.handler_only |= held
            self.block(node.finalbody)
            scope.handler_only -= held
            scope.defined |= kept
        else:
            self.block(node.finalbody)
        self.path.pop()
        return False

    def except_handler(self, key: int, handler: ast.ExceptHandler) -> None:
        """One ``except`` clause; the path says whether it catches AttributeError (E0203)."""
        scope = self.scope
        caught = handler.type is None or any(
            last_name(e) in _BROAD_EXCEPTIONS
            for e in (handler.type.elts if type(handler.type) is ast.Tuple else [handler.type])
        )
        self.path[-1] = (key, f"except{id(handler)}" if caught else "except")
        if handler.type is not None:
            self.expr(handler.type)
        if handler.name:
            self.bind(handler.name)
        self.block(handler.body)
        if handler.name:
            scope.defined.discard(handler.name)
            scope.possible.discard(handler.name)

    def _with(self, node: ast.With | ast.AsyncWith) -> bool:
        scope = self.scope
        is_async = type(node) is ast.AsyncWith
        for item in node.items:
            self.with_items.append((scope, item.context_expr, node.lineno + self.offset, is_async))
            if not is_async:
                self.self_value(item.context_expr, "with")
                if type(item.context_expr) is ast.Name:
                    self.value_uses.append((scope, item.context_expr.id, node.lineno + self.offset, "with"))
            self.expr(item.context_expr)
            if item.optional_vars is not None:
                self.target(item.optional_vars)
        return self.block(node.body)

    def _match(self, node: ast.Match) -> bool:
        self.expr(node.subject)
        self.depth += 1
        for case in node.cases:
            self.pattern(case.pattern)
            if case.guard is not None:
                self.expr(case.guard)
            self.block(case.body)
        self.depth -= 1
        return False

    def pattern(self, node: ast.AST) -> None:
        for sub in ast.walk(node):
            name = getattr(sub, "name", None) if type(sub) in (ast.MatchAs, ast.MatchStar) else None
            if type(sub) is ast.MatchMapping:
                name = sub.rest
            if name:
                self.bind(name)
            if type(sub) is ast.MatchValue:
                self.expr(sub.value)
            elif type(sub) is ast.MatchClass:
                self.expr(sub.cls)

    # ---- branches ------------------------------------------------------------------------------
    def branches(self, node: ast.If, type_checking: bool = False) -> bool:
        scope = self.scope
        before = set(scope.defined)
        breaks, possible = self.breaks, set(scope.possible)
        handler_only = set(scope.handler_only)
        self.path.append((id(node), "if"))
        body_ends = self.block(node.body)
        self.path[-1] = (id(node), "else")
        after_body = scope.defined
        try:
            ends = self.branches_else(scope, before, after_body, body_ends, node.orelse, type_checking)
        finally:
            self.path.pop()
        if self.breaks != breaks:
            # pylint takes what an ``if`` holding a ``break`` binds as bound after it (no
            # E0606; markdown treeprocessors.py). Not a ``continue``: pylint's
            # ``nodes_of_class(nodes.Break, nodes.Continue)`` takes it as a type to skip.
            scope.defined |= (scope.possible - possible) | (after_body - before)
        # A name only an ``except`` inside the ``if`` binds is E0601 when read inside it, but
        # possibly unbound after it (E0606), as the ``if`` itself may not run.
        scope.handler_only &= handler_only
        return ends

    def branches_else(
        self, scope: Scope, before: set[str], after_body: set[str], body_ends: bool, orelse: list[ast.stmt],
        type_checking: bool,
    ) -> bool:
        if not type_checking:
            return self.branches_rest(scope, before, after_body, body_ends, orelse)
        # The imports and classes of the block count as bound after it, whatever the else
        # branch does (``check_typeonly`` reports their uses at run time).
        typeonly = after_body & scope.typeonly
        self.type_checking -= 1  # its else branch runs
        try:
            ends = self.branches_rest(scope, before, after_body, body_ends, orelse)
        finally:
            self.type_checking += 1
        scope.defined |= typeonly
        return ends

    def branches_rest(
        self, scope: Scope, before: set[str], after_body: set[str], body_ends: bool, orelse: list[ast.stmt]
    ) -> bool:
        scope.defined = set(before)
        if len(orelse) == 1 and type(orelse[0]) is ast.If and self.lines[orelse[0].lineno + self.offset - 1][
            orelse[0].col_offset : orelse[0].col_offset + 4
        ] == "elif":
            else_ends = self.stmt(orelse[0])  # an elif sits at the depth of its if
        else:
            else_ends = self.block(orelse)
        after_else = scope.defined
        if body_ends and else_ends:
            scope.defined = after_body | after_else
            return True
        if body_ends:
            scope.defined = after_else
        elif else_ends:
            scope.defined = after_body
        else:
            scope.defined = after_body & after_else
        return False

    # ---- definitions ---------------------------------------------------------------------------
    def _function_def(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        for dec in node.decorator_list:
            self.expr(dec)
        self.arguments(node.args)
        if node.returns is not None:
            self.annotation(node.returns)
        parent = self.scope
        cls = self.class_stack[-1] if parent.kind == "class" and self.class_stack else None
        func = Function(node, cls, offset=self.offset)
        if cls is not None:
            self.method(node, func, cls)
        # (a method too: a class body may call it, ``__add__, __radd__ = _operator_fallbacks(...)``)
        parent.funcs.setdefault(node.name, []).append(func)
        if any(last_name(d) == "contextmanager" for d in node.decorator_list):
            self.contextmanagers.append(func)
        self.bind(node.name)
        count(self.scope.defs, node.name)
        scope = self.nested_scope(func)
        func.body_scope = scope
        if self.special_calls and self.special_calls[-1][0] is func:
            self.special_scopes[id(func)] = scope
        self.queue.append((node, scope, func, self.depth))
        return False

    def method(self, node: ast.FunctionDef | ast.AsyncFunctionDef, func: Function, cls: Class) -> None:
        """A ``def`` in a class body: its ``self``, and E0301-E0313 for a special method
        that returns nothing (or, checked at the end, a call of a function that does)."""
        cls.methods[node.name] = func
        special = SPECIAL_RETURNS.get(node.name)
        if special is not None and returns_only_none(node):
            self.report(node.lineno + self.offset, *special)
        elif special is not None:
            call = single_returned_call(node)
            if call is not None:
                self.special_calls.append((func, call, special))
            elif node.name == "__iter__" and returns_only_self(node):
                self.iter_self.append((func, cls))
        positional = [*node.args.posonlyargs, *node.args.args]
        static = any(type(d) is ast.Name and d.id == "staticmethod" for d in node.decorator_list)
        if positional and not static:
            func.self_name = positional[0].arg

    def walk_function(self, node: ast.AST, scope: Scope, func: Function) -> None:
        saved = self.scope, self.class_stack
        self.scope = scope
        self.class_stack = []
        self.path = []
        args = node.args  # type: ignore[attr-defined]
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None:
                self.bind(arg.arg)
        if type(node) is ast.Lambda:
            self.expr(node.body)
        else:
            self.block(node.body)  # type: ignore[attr-defined]
        self.close_scope(scope)
        self.scope, self.class_stack = saved

    def _class_def(self, node: ast.ClassDef) -> bool:
        for dec in node.decorator_list:
            self.expr(dec)
        for base in node.bases:
            self.expr(base)
        for kw in node.keywords:
            self.expr(kw.value)
        cls = Class(node)
        scope = Scope("class", self.scope)
        scope.defined.update(_CLASS_BODY_NAMES)
        cls.scope = scope
        self.classes.setdefault(node.name, []).append(cls)
        saved = self.scope
        self.scope = scope
        self.class_stack.append(cls)
        self.body(node)
        self.class_stack.pop()
        self.scope = saved
        self.close_scope(scope)
        self.bind(node.name, typeonly=self.type_checking > 0)
        return False


_STATEMENTS: dict[type, Callable[[Walker, ast.AST], bool]] = {
    ast.Expr: Walker._expression,
    ast.Assign: Walker._assign,
    ast.AugAssign: Walker._aug_assign,
    ast.AnnAssign: Walker._ann_assign,
    ast.Return: Walker._return,
    ast.Raise: Walker._raise,
    ast.Break: Walker._jump,
    ast.Continue: Walker._jump,
    ast.Import: Walker._import,
    ast.ImportFrom: Walker._import_from,
    ast.Global: Walker._global,
    ast.Nonlocal: Walker._nonlocal,
    ast.Delete: Walker._delete,
    ast.Assert: Walker._assert,
    ast.If: Walker._if,
    ast.For: Walker._for,
    ast.AsyncFor: Walker._for,
    ast.While: Walker._while,
    ast.Try: Walker._try,
    _TRY_STAR: Walker._try,
    ast.With: Walker._with,
    ast.AsyncWith: Walker._with,
    ast.Match: Walker._match,
    ast.FunctionDef: Walker._function_def,
    ast.AsyncFunctionDef: Walker._function_def,
    ast.ClassDef: Walker._class_def,
}
