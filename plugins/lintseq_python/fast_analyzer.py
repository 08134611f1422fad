"""The fast Python analyzer: one ``ast.parse`` and one scope walk, no inference engine.

It reports the errors that deleting lines from a valid program creates under the
reference rules (pylint, ``--disable=C,R``), with pylint's message codes so that the
sampler's baseline of the original's errors lines up:

* E0001: the state does not parse (an empty block, an orphan ``else:``...), charged to the
  header named by "... on line N" like the reference, and a ``try:`` left without a
  handler to its ``try`` line;
* E0602 / E0601 / E0606: undefined name, name used before its assignment, name bound only
  in some branches of an ``if`` (pylint's flow rules: loops, ``try`` and ``with`` bodies
  count as executed, ``if`` branches that end in ``return``/``raise`` do not need to bind);
  ``from m import *`` binds the names ``m`` provides (read statically, see ``imported``);
* E0104 / E0105 / E0103: ``return``/``yield`` outside a function, ``break``/``continue``
  outside a loop; E0117: ``nonlocal`` with no enclosing binding;
* E1111 / E1128: assigning the result of a program-defined function that returns nothing
  (or only ``None``); E1136 / E1133 when that result is subscripted or iterated;
* E1136 / E1137 / E1133: a function (a builtin such as ``sum``, or a program ``def``)
  subscripted or iterated because the variable that shadowed it lost its assignment;
* E1101: a member of a class (through ``self``, the class name, or a variable bound once
  to an instance) that neither the class nor its bases define, imported bases included;
* W0231: an ``__init__`` that does not call the ``__init__`` of a base that has one;
* W0311: indentation other than four spaces per level (a reference rule: every line of a
  tab-indented program has it, so only ``--reference-rules`` feels it);
* E2511: a carriage return not followed by a line feed (a CRLF state's last line);
* E0603: a name listed in ``__all__`` that is not defined.

It errs on the side of reporting: a report the state does not deserve only makes an edit
bigger, a missed one lets a broken state into the data. A report the original program
already has costs nothing (the sampler ignores it), unless it hides a later error of the
same code on the same line, so guesses that fire on the original are avoided.
"""

from __future__ import annotations

import ast
import builtins
import re
import warnings

from lintseq_core.types import Diagnostic
from lintseq_python.imported import ClassFacts, dotted, resolve_base, star_import_names

__all__ = ["analyze_fast"]

_BUILTINS = frozenset(dir(builtins)) | {
    "__name__", "__file__", "__doc__", "__builtins__", "__spec__", "__loader__",
    "__package__", "__path__", "__annotations__", "__dict__", "__cached__",
}
_CLASS_BODY_NAMES = frozenset({"__module__", "__qualname__", "__doc__", "__dict__"})
_TYPE_MEMBERS = frozenset(dir(type)) | frozenset(dir(object))
_ON_LINE = re.compile(r"on line (\d+)")
_TRY_STAR = getattr(ast, "TryStar", ast.Try)  # Python >= 3.11
_CONTEXTS = (ast.Load, ast.Store, ast.Del)


def analyze_fast(source: str) -> list[Diagnostic]:
    """Diagnostics of one program state (empty when it is clean)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for "is" with a literal, escapes
            tree = ast.parse(source)
    except SyntaxError as exc:
        return [_syntax_diagnostic(exc, source)]
    except ValueError as exc:  # null bytes in the source
        return [Diagnostic(1, "E0001", str(exc), syntax=True)]
    out = _Walker(tree, source.split("\n")).run()
    if "\r" in source:
        out.extend(_lone_carriage_returns(source))
    return out


def _lone_carriage_returns(source: str) -> list[Diagnostic]:
    """pylint's E2511: a carriage return not followed by a line feed.

    A state built from CRLF lines ends in a lone ``"\r"`` whenever the original's last
    line is not in it; the reference counts that as an error on the state's last line.
    """
    out = []
    lines = source.split("\n")
    for number, line in enumerate(lines, 1):
        if "\r" in line[:-1] or (number == len(lines) and line.endswith("\r")):
            out.append(Diagnostic(number, "E2511", "Invalid unescaped character carriage-return"))
    return out


def _syntax_diagnostic(exc: SyntaxError, source: str) -> Diagnostic:
    msg = exc.msg or "invalid syntax"
    lines = source.split("\n")
    line = exc.lineno or 0
    m = _ON_LINE.search(msg)
    if m:
        line = int(m.group(1))
    elif "expected 'except' or 'finally' block" in msg:
        line = _enclosing_try(lines, line)
    if line > len(lines):
        line = len(lines)
    return Diagnostic(line, "E0001", f"Parsing failed: {msg!r}", syntax=True)


def _enclosing_try(lines: list[str], line: int) -> int:
    """The ``try:`` line that lost its handlers, searching up from the reported line."""
    row = min(line, len(lines)) - 1
    limit = None
    if 0 <= row < len(lines) and lines[row].strip():
        limit = len(lines[row]) - len(lines[row].lstrip())
    for k in range(row, -1, -1):
        s = lines[k]
        body = s.lstrip()
        if body.startswith("try") and body[3:].lstrip().startswith(":"):
            if limit is None or len(s) - len(body) <= limit:
                return k + 1
    return line


class _Function:
    """What the walk learns about one function definition."""

    __slots__ = ("cls", "generator", "node", "raises_abstract", "returns_none", "returns_value", "self_name")

    def __init__(self, node: ast.AST, cls: _Class | None) -> None:
        self.node = node
        self.returns_value = False
        self.returns_none = False
        self.generator = False
        self.raises_abstract = False
        self.cls = cls
        self.self_name: str | None = None

    def ignored(self) -> bool:
        """pylint skips these in its assignment-from-no-return check."""
        node = self.node
        if not isinstance(node, ast.FunctionDef) or node.decorator_list:
            return True
        if self.generator or self.raises_abstract:
            return True
        body = node.body
        if body and isinstance(body[-1], ast.Raise) and not (self.returns_value or self.returns_none):
            return True
        return False


class _Class:
    __slots__ = ("init_calls_base", "methods", "node", "scope", "self_attrs")

    def __init__(self, node: ast.ClassDef) -> None:
        self.node = node
        self.scope: _Scope | None = None
        self.self_attrs: set[str] = set()
        self.methods: dict[str, _Function] = {}
        self.init_calls_base = False


class _Scope:
    __slots__ = (
        "bound",
        "counts",
        "defined",
        "defs",
        "func",
        "globals",
        "instances",
        "kind",
        "loop_depth",
        "parent",
        "pending",
        "possible",
        "star",
    )

    def __init__(self, kind: str, parent: _Scope | None, func: _Function | None = None) -> None:
        self.kind = kind  # module | function | class | comprehension
        self.parent = parent
        self.defined: set[str] = set()
        self.possible: set[str] = set()
        self.bound: set[str] = set()
        self.pending: list[tuple[str, int, bool]] = []  # (name, line, possibly bound)
        self.globals: set[str] = set()
        self.star = False
        self.func = func
        self.instances: dict[str, str] = {}  # variable -> class of the instance bound to it
        self.counts: dict[str, int] = {}  # how many bindings of each name
        self.defs: dict[str, int] = {}  # how many of them are def statements
        self.loop_depth = 0


class _Walker:
    def __init__(self, tree: ast.Module, lines: list[str]) -> None:
        self.tree = tree
        self.lines = lines
        self.depth = 0  # block nesting of the statements being walked
        self.out: list[Diagnostic] = []
        self.module = _Scope("module", None)
        self.scope = self.module
        self.queue: list[tuple[ast.AST, _Scope, _Function, int]] = []
        self.classes: dict[str, list[_Class]] = {}
        self.functions: dict[str, list[_Function]] = {}
        self.class_stack: list[_Class] = []
        self.attr_uses: list[tuple[_Scope, str, str, int]] = []  # (scope, variable, attribute, line)
        self.assign_calls: list[tuple[_Scope, ast.expr, int, str]] = []  # (.., line, how the value is used)
        self.all_names: list[tuple[str, int]] = []
        self.value_uses: list[tuple[_Scope, str, int, str]] = []  # (scope, name, line, how)
        self.imports: dict[str, tuple[str, str | None]] = {}  # module level: name -> (module, name)

    def report(self, line: int, code: str, message: str) -> None:
        self.out.append(Diagnostic(line, code, message))

    # ---- driver ------------------------------------------------------------------------
    def run(self) -> list[Diagnostic]:
        self.block(self.tree.body, inner=False)
        self.close_scope(self.module)
        k = 0
        while k < len(self.queue):
            node, scope, func, depth = self.queue[k]
            k += 1
            self.depth = depth
            self.walk_function(node, scope, func)
        self.check_members()
        self.check_assign_calls()
        self.check_value_uses()
        for name, line in self.all_names:
            if name not in self.module.bound and not self.module.star:
                self.report(line, "E0603", f"Undefined variable name {name!r} in __all__")
        return self.out

    # ---- names -------------------------------------------------------------------------
    def bind(self, name: str, scope: _Scope | None = None, instance_of: str | None = None) -> None:
        scope = scope or self.scope
        if name in scope.globals and scope is not self.module:
            scope = self.module
            scope.bound.add(name)
            scope.possible.add(name)
            return
        scope.defined.add(name)
        scope.possible.add(name)
        scope.bound.add(name)
        scope.counts[name] = scope.counts.get(name, 0) + 1
        if instance_of is not None:
            scope.instances[name] = instance_of

    def use(self, name: str, line: int) -> None:
        scope = self.scope
        if name in scope.defined:
            return
        scope.pending.append((name, line, name in scope.possible))

    def close_scope(self, scope: _Scope) -> None:
        """Resolve the names a scope could not see bound when it used them."""
        for name, line, possibly in scope.pending:
            if possibly:
                self.report(line, "E0606", f"Possibly using variable {name!r} before assignment")
            elif name in scope.bound and scope.kind in ("function", "module"):
                # (a class body that reads a name before binding it reads the global one)
                self.report(line, "E0601", f"Using variable {name!r} before assignment")
            else:
                self.resolve_outside(scope, name, line)
        scope.pending = []

    def resolve_outside(self, scope: _Scope, name: str, line: int) -> None:
        if scope.kind in ("class", "comprehension"):
            # Executed at once: the enclosing scope must have bound it already.
            parent = scope.parent
            assert parent is not None
            if name in parent.defined:
                return
            parent.pending.append((name, line, name in parent.possible))
            return
        # A function body runs later: any binding in an enclosing function counts; a module
        # binding must not be conditional.
        s = scope.parent
        while s is not None:
            if s.kind in ("function", "comprehension") and name in s.bound:
                return
            if s.kind == "module":
                if name in s.defined:
                    return
                if name in s.bound:
                    self.report(line, "E0606", f"Possibly using variable {name!r} before assignment")
                    return
            s = s.parent
        if name in _BUILTINS or self.module.star:
            return
        self.report(line, "E0602", f"Undefined variable {name!r}")

    # ---- statements --------------------------------------------------------------------
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

    def stmt(self, node: ast.stmt) -> bool:
        t = type(node)
        scope = self.scope
        line = self.lines[node.lineno - 1]
        prefix = line[: node.col_offset]
        if prefix != "    " * self.depth and not prefix.strip():
            # pylint's W0311: indentation other than four spaces per level.
            self.report(node.lineno, "W0311", "Bad indentation")
        if t is ast.Expr:
            self.expr(node.value)
        elif t is ast.Assign:
            self.expr(node.value)
            value = node.value
            instance = None
            if (
                type(value) is ast.Call
                and type(value.func) is ast.Name
                and len(node.targets) == 1
                and type(node.targets[0]) is ast.Name
            ):
                instance = value.func.id
            if type(value) is ast.Call:
                self.assign_calls.append((scope, value.func, node.lineno, "assign"))
            for target in node.targets:
                self.target(target, instance)
            if (
                scope is self.module
                and len(node.targets) == 1
                and type(node.targets[0]) is ast.Name
                and node.targets[0].id == "__all__"
                and type(value) in (ast.List, ast.Tuple)
            ):
                for elt in value.elts:
                    if type(elt) is ast.Constant and isinstance(elt.value, str):
                        self.all_names.append((elt.value, elt.lineno))
        elif t is ast.AugAssign:
            target = node.target
            if type(target) is ast.Name:
                self.use(target.id, target.lineno)
            else:
                self.expr(target)
            self.expr(node.value)
            self.target(target)
        elif t is ast.AnnAssign:
            if node.value is not None:
                self.expr(node.value)
            self.expr(node.annotation)
            if node.value is not None or type(node.target) is not ast.Name or scope.kind == "class":
                self.target(node.target)
        elif t is ast.Return:
            if scope.func is None:
                self.report(node.lineno, "E0104", "Return outside function")
            elif node.value is None or (type(node.value) is ast.Constant and node.value.value is None):
                scope.func.returns_none = True
            else:
                scope.func.returns_value = True
            if node.value is not None:
                self.expr(node.value)
            return True
        elif t is ast.If:
            self.expr(node.test)
            return self.branches(node.body, node.orelse)
        elif t is ast.For or t is ast.AsyncFor:
            self.iterated(node.iter)
            self.expr(node.iter)
            self.target(node.target)
            scope.loop_depth += 1
            self.block(node.body)
            scope.loop_depth -= 1
            self.block(node.orelse)
        elif t is ast.While:
            self.expr(node.test)
            scope.loop_depth += 1
            self.block(node.body)
            scope.loop_depth -= 1
            self.block(node.orelse)
        elif t is ast.FunctionDef or t is ast.AsyncFunctionDef:
            self.function_def(node)
        elif t is ast.ClassDef:
            self.class_def(node)
        elif t is ast.Import:
            for alias in node.names:
                local = alias.asname or alias.name.partition(".")[0]
                self.bind(local)
                if scope is self.module:
                    self.imports[local] = (alias.name if alias.asname else local, None)
        elif t is ast.ImportFrom:
            for alias in node.names:
                if scope is self.module and not node.level and node.module and alias.name != "*":
                    self.imports[alias.asname or alias.name] = (node.module, alias.name)
                if alias.name == "*":
                    names = star_import_names(node.module or "", node.level)
                    if names is None:
                        scope.star = True  # unknown module: any name may come from it
                    else:
                        for name in names:
                            self.bind(name)
                else:
                    self.bind(alias.asname or alias.name)
        elif t is ast.Raise:
            if node.exc is not None:
                self.expr(node.exc)
                exc = node.exc.func if type(node.exc) is ast.Call else node.exc
                if type(exc) is ast.Name and exc.id == "NotImplementedError" and scope.func is not None:
                    scope.func.raises_abstract = True
            if node.cause is not None:
                self.expr(node.cause)
            return True
        elif t is ast.Try or t is _TRY_STAR:
            self.block(node.body)
            for handler in node.handlers:
                if handler.type is not None:
                    self.expr(handler.type)
                if handler.name:
                    self.bind(handler.name)
                self.block(handler.body)
                if handler.name:
                    scope.defined.discard(handler.name)
                    scope.possible.discard(handler.name)
            self.block(node.orelse)
            self.block(node.finalbody)
        elif t is ast.With or t is ast.AsyncWith:
            for item in node.items:
                self.expr(item.context_expr)
                if item.optional_vars is not None:
                    self.target(item.optional_vars)
            return self.block(node.body)
        elif t is ast.Break or t is ast.Continue:
            if scope.loop_depth == 0:
                word = "break" if t is ast.Break else "continue"
                self.report(node.lineno, "E0103", f"{word!r} not properly in loop")
            return True
        elif t is ast.Global:
            scope.globals.update(node.names)
        elif t is ast.Nonlocal:
            self.nonlocal_(node)
        elif t is ast.Delete:
            for target in node.targets:
                self.expr(target)
        elif t is ast.Assert:
            self.expr(node.test)
            if node.msg is not None:
                self.expr(node.msg)
        elif t is ast.Match:
            self.expr(node.subject)
            self.depth += 1
            for case in node.cases:
                self.pattern(case.pattern)
                if case.guard is not None:
                    self.expr(case.guard)
                self.block(case.body)
            self.depth -= 1
        return False

    def branches(self, body: list[ast.stmt], orelse: list[ast.stmt]) -> bool:
        scope = self.scope
        before = set(scope.defined)
        body_ends = self.block(body)
        after_body = scope.defined
        scope.defined = set(before)
        if len(orelse) == 1 and type(orelse[0]) is ast.If and self.lines[orelse[0].lineno - 1][
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
                self.report(node.lineno, "E0117", f"nonlocal name {name} found without binding")
            scope.defined.add(name)  # uses refer to the enclosing binding
            scope.possible.add(name)

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
            value = node.value
            func = self.scope.func
            if (
                type(value) is ast.Name
                and func is not None
                and func.cls is not None
                and value.id == func.self_name
            ):
                func.cls.self_attrs.add(node.attr)
            self.expr(value)
        else:  # Subscript
            self.expr(node)

    # ---- definitions -------------------------------------------------------------------
    def arguments(self, args: ast.arguments) -> None:
        for default in (*args.defaults, *args.kw_defaults):
            if default is not None:
                self.expr(default)
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None and arg.annotation is not None:
                self.expr(arg.annotation)

    def function_def(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for dec in node.decorator_list:
            self.expr(dec)
        self.arguments(node.args)
        if node.returns is not None:
            self.expr(node.returns)
        parent = self.scope
        cls = self.class_stack[-1] if parent.kind == "class" and self.class_stack else None
        func = _Function(node, cls)
        if cls is not None:
            cls.methods[node.name] = func
            positional = [*node.args.posonlyargs, *node.args.args]
            static = any(type(d) is ast.Name and d.id == "staticmethod" for d in node.decorator_list)
            if positional and not static:
                func.self_name = positional[0].arg
        elif parent is self.module:
            self.functions.setdefault(node.name, []).append(func)
        self.bind(node.name)
        defs = self.scope.defs
        defs[node.name] = defs.get(node.name, 0) + 1
        self.queue.append((node, _Scope("function", parent, func), func, self.depth))

    def walk_function(self, node: ast.AST, scope: _Scope, func: _Function) -> None:
        saved = self.scope, self.class_stack
        self.scope = scope
        self.class_stack = []
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

    def class_def(self, node: ast.ClassDef) -> None:
        for dec in node.decorator_list:
            self.expr(dec)
        for base in node.bases:
            self.expr(base)
        for kw in node.keywords:
            self.expr(kw.value)
        cls = _Class(node)
        scope = _Scope("class", self.scope)
        scope.defined.update(_CLASS_BODY_NAMES)
        cls.scope = scope
        self.classes.setdefault(node.name, []).append(cls)
        saved = self.scope
        self.scope = scope
        self.class_stack.append(cls)
        self.block(node.body)
        self.class_stack.pop()
        self.scope = saved
        self.close_scope(scope)
        self.bind(node.name)

    # ---- expressions -------------------------------------------------------------------
    def expr(self, node: ast.AST) -> None:
        t = type(node)
        if t is ast.Name:
            if type(node.ctx) is ast.Store:
                self.bind(node.id)
            else:
                self.use(node.id, node.lineno)
        elif t is ast.Attribute:
            value = node.value
            if type(value) is ast.Name and type(node.ctx) is ast.Load:
                self.attr_uses.append((self.scope, value.id, node.attr, node.lineno))
            self.expr(value)
        elif t is ast.Subscript:
            value = node.value
            if type(value) is ast.Name:
                how = "subscript" if type(node.ctx) is ast.Load else "item assignment"
                self.value_uses.append((self.scope, value.id, node.lineno, how))
            elif type(value) is ast.Call:
                self.assign_calls.append((self.scope, value.func, node.lineno, "subscript"))
            self.expr(value)
            self.expr(node.slice)
        elif t is ast.Constant or t in _CONTEXTS:
            return
        elif t is ast.Call:
            func = node.func
            if (
                type(func) is ast.Attribute
                and func.attr == "__init__"
                and self.scope.func is not None
                and self.scope.func.cls is not None
            ):
                self.scope.func.cls.init_calls_base = True
            self.expr(func)
            for arg in node.args:
                self.expr(arg)
            for kw in node.keywords:
                self.expr(kw.value)
        elif t in (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp):
            self.comprehension(node)
        elif t is ast.Lambda:
            self.arguments(node.args)
            func = _Function(node, None)
            self.queue.append((node, _Scope("function", self.scope, func), func, self.depth))
        elif t is ast.NamedExpr:
            self.expr(node.value)
            scope = self.scope
            while scope.kind == "comprehension" and scope.parent is not None:
                scope = scope.parent
            self.bind(node.target.id, scope)
        elif t is ast.Yield or t is ast.YieldFrom or t is ast.Await:
            func = self.scope.func
            if t is not ast.Await:
                if func is None and self.scope.kind != "comprehension":
                    self.report(node.lineno, "E0105", "Yield outside function")
                elif func is not None:
                    func.generator = True
            if node.value is not None:
                self.expr(node.value)
        else:
            for child in ast.iter_child_nodes(node):
                self.expr(child)

    def comprehension(self, node: ast.AST) -> None:
        generators = node.generators  # type: ignore[attr-defined]
        self.iterated(generators[0].iter)
        self.expr(generators[0].iter)
        outer = self.scope
        scope = _Scope("comprehension", outer, outer.func)
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

    def iterated(self, node: ast.expr) -> None:
        if type(node) is ast.Name:
            self.value_uses.append((self.scope, node.id, node.lineno, "iteration"))
        elif type(node) is ast.Call:
            self.assign_calls.append((self.scope, node.func, node.lineno, "iteration"))

    # ---- members and return values (after every scope is walked) -----------------------
    def check_value_uses(self) -> None:
        """A function used as a value it cannot be: the binding that shadowed it is gone.

        Deleting ``sum = [0] * n`` leaves ``sum[i]`` pointing at the builtin function, and
        deleting ``f = [1] * n`` inside ``def f`` leaves ``f[i]`` pointing at the function
        itself; pylint reports both (E1136/E1137/E1133).
        """
        if self.module.star:
            return
        for scope, name, line, how in self.value_uses:
            s = _binding_scope(scope, name)
            if s is None:
                obj = getattr(builtins, name, None)
                if obj is None or (isinstance(obj, type) and how != "item assignment"):
                    continue  # unknown (E0602 already) or a type: list[int], iter(range)
            elif s.counts.get(name) != s.defs.get(name):
                continue  # bound to a value somewhere: not only a def
            if how == "iteration":
                code = "E1133"
            else:
                code = "E1136" if how == "subscript" else "E1137"
            self.report(line, code, f"function {name!r} used in {how}")

    def module_class(self, name: str, scope: _Scope | None) -> _Class | None:
        """The program-defined class a name refers to from ``scope``, when unambiguous."""
        found = self.classes.get(name)
        if not found or len(found) != 1:
            return None
        s = scope
        while s is not None:
            if s.kind == "class" and s is not scope:
                s = s.parent
                continue
            if name in s.bound:
                if s is found[0].scope.parent and s.counts.get(name) == 1:  # type: ignore[union-attr]
                    return found[0]
                return None
            s = s.parent
        return None

    def members(self, cls: _Class, seen: frozenset[int] = frozenset(), instance: bool = True) -> set[str] | None:
        """Attributes a class and its bases define; None if unknowable.

        Imported bases are read from their module's source (see ``imported``); a base that
        cannot be resolved makes the members unknowable, and nothing is reported.
        """
        if id(cls) in seen:
            return None
        node = cls.node
        if node.keywords or "__getattr__" in cls.methods or "__getattribute__" in cls.methods:
            return None
        names = set(cls.scope.bound) | _TYPE_MEMBERS  # type: ignore[union-attr]
        if instance:
            names |= cls.self_attrs
        for base in node.bases:
            base_cls = self.module_class(base.id, cls.scope.parent) if type(base) is ast.Name else None  # type: ignore[union-attr]
            if base_cls is not None:
                more = self.members(base_cls, seen | {id(cls)}, instance)
                if more is None:
                    return None
                names |= more
                continue
            facts = self.external_base(base, cls)
            if facts is None:
                return None
            names |= facts[0]
        return names

    def external_base(self, base: ast.expr, cls: _Class) -> ClassFacts | None:
        """Facts of a base that is not a program class: imported or builtin."""
        parts = dotted(base)
        if parts is None:
            return None
        binding = _binding_scope(cls.scope.parent, parts[0])  # type: ignore[arg-type]
        if binding is None:
            return resolve_base(parts, {})  # a builtin
        if binding is not self.module or self.module.counts.get(parts[0]) != 1 or parts[0] not in self.imports:
            return None
        return resolve_base(parts, self.imports)

    def check_members(self) -> None:
        for scope, var, attr, line in self.attr_uses:
            func = scope.func
            cls: _Class | None = None
            instance = True
            if func is not None and func.cls is not None and var == func.self_name:
                cls = func.cls
            else:
                owner = self.owner_of(scope, var)
                if owner is None:
                    continue
                if owner.kind == "class_name":
                    cls, instance = owner.cls, False
                else:
                    cls = owner.cls
            if cls is None:
                continue
            names = self.members(cls, instance=instance)
            if names is not None and attr not in names:
                kind = "Instance of" if instance else "Class"
                self.report(line, "E1101", f"{kind} {cls.node.name!r} has no {attr!r} member")
        for group in self.classes.values():
            for cls in group:
                init = cls.methods.get("__init__")
                if init is None or cls.init_calls_base:
                    continue
                for base in cls.node.bases:
                    if self.base_has_init(base, cls):
                        self.report(
                            init.node.lineno,  # type: ignore[attr-defined]
                            "W0231",
                            f"__init__ method from base class {ast.unparse(base)!r} is not called",
                        )
                        break

    def base_has_init(self, base: ast.expr, cls: _Class) -> bool:
        """Whether a base defines an ``__init__`` that a subclass's ``__init__`` should call."""
        if type(base) is ast.Name:
            base_cls = self.module_class(base.id, cls.scope.parent)  # type: ignore[union-attr]
            if base_cls is not None:
                return self.has_init(base_cls, frozenset())
        facts = self.external_base(base, cls)
        return facts is not None and facts[1]

    def has_init(self, cls: _Class, seen: frozenset[int]) -> bool:
        if "__init__" in cls.methods:
            return True
        for base in cls.node.bases:
            if type(base) is ast.Name and id(cls) not in seen:
                base_cls = self.module_class(base.id, cls.scope.parent)  # type: ignore[union-attr]
                if base_cls is not None and self.has_init(base_cls, seen | {id(cls)}):
                    return True
        return False

    def owner_of(self, scope: _Scope, var: str) -> _Owner | None:
        """Whether ``var`` names a program class or a variable bound once to an instance."""
        s: _Scope | None = scope
        while s is not None:
            if s.kind == "class" and s is not scope:
                s = s.parent
                continue
            if var in s.bound:
                if s.counts.get(var) != 1:
                    return None
                cls_name = s.instances.get(var)
                if cls_name is not None:
                    cls = self.module_class(cls_name, s)
                    return _Owner("instance", cls) if cls is not None else None
                cls = self.module_class(var, s)
                return _Owner("class_name", cls) if cls is not None else None
            s = s.parent
        return None

    def check_assign_calls(self) -> None:
        """Results of program functions that return nothing, assigned, subscripted or iterated."""
        for scope, func_expr, line, how in self.assign_calls:
            target: _Function | None = None
            if type(func_expr) is ast.Name:
                name = func_expr.id
                found = self.functions.get(name)
                if (
                    found
                    and len(found) == 1
                    and self.module.counts.get(name) == 1
                    and not _bound_below_module(scope, name)
                ):
                    target = found[0]
            elif type(func_expr) is ast.Attribute and type(func_expr.value) is ast.Name:
                var = func_expr.value.id
                func = scope.func
                cls = None
                if func is not None and func.cls is not None and var == func.self_name:
                    cls = func.cls
                else:
                    owner = self.owner_of(scope, var)
                    cls = owner.cls if owner is not None and owner.kind == "instance" else None
                if cls is not None:
                    target = cls.methods.get(func_expr.attr)
            if target is None or target.ignored():
                continue
            if target.returns_value:
                continue
            if how == "subscript":
                self.report(line, "E1136", "Value of a call to a function that returns None is unsubscriptable")
            elif how == "iteration":
                self.report(line, "E1133", "Non-iterable value (a function that returns None) is iterated")
            else:
                if target.returns_none:
                    self.report(line, "E1128", "Assigning result of a function call, where the function returns None")
                else:
                    self.report(line, "E1111", "Assigning result of a function call, but the function returns None")


class _Owner:
    __slots__ = ("cls", "kind")

    def __init__(self, kind: str, cls: _Class | None) -> None:
        self.kind = kind
        self.cls = cls


def _binding_scope(scope: _Scope, name: str) -> _Scope | None:
    """The scope whose binding of ``name`` a use in ``scope`` sees (None: builtins)."""
    s: _Scope | None = scope
    while s is not None:
        if (s.kind != "class" or s is scope) and name in s.bound:
            return s
        s = s.parent
    return None


def _bound_below_module(scope: _Scope, name: str) -> bool:
    s: _Scope | None = scope
    while s is not None and s.kind != "module":
        if s.kind != "class" and name in s.bound:
            return True
        s = s.parent
    return False
