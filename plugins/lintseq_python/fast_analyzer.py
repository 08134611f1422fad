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

What whole library files add (measured on the real-code corpus, see
``benchmarks/corpus/sources/python.toml``):

* E0601 for a name that only ``if TYPE_CHECKING:`` imports, used where it runs (an
  annotation once ``from __future__ import annotations`` is gone, a default, a call);
  postponed annotations resolve their names at the end of the module, like a function body;
* E0601 for a name only an ``except`` handler binds, used after the ``try``, and for
  ``global X; X = not X`` with no module-level ``X``; module names that functions assign
  through ``global`` count as bound everywhere else;
* E0301-E0313: a special method (``__repr__``, ``__len__``...) that returns ``None``: no
  ``return`` left (and a body that is neither abstract nor ``...``), or ``return f()`` of
  a program function that returns nothing;
* E1129 / E1701: ``with`` on an instance of a program class without ``__enter__``/``__exit__``
  (or the async pair), on a ``@contextmanager`` function that no longer yields, or on a
  variable whose every assignment is ``None``; E1102 / E1136 / E1133 likewise for such a
  variable (or ``self.x``) called, subscripted or iterated; E1136 for a builtin type that
  is no generic alias (``bytes[4:]`` once ``bytes = self.bytes`` is gone);
* E0203: ``self.x`` read in a method before that method assigns it, no other definition;
* E0633: unpacking the result of a program function or method that returns nothing;
* E1120 / E1121 / E1123: a call whose arguments no longer fit the ``__init__`` or method it
  reaches (an override was deleted; a ``@dataclass`` lost a field);
* E1136 / E1137 / E1133 on an instance of a program class that lost ``__getitem__`` /
  ``__setitem__`` / ``__iter__``; W0231 also when a program base's own ancestry is unknown
  (pylint then assumes it has an ``__init__``);
* E1101 for ``self.x += 1`` once ``x`` has no assignment left, even under an unknown base
  (pylint's rule for augmented assignments), and for ``Cls(...).x``;
* members and return values through program base classes (``super()`` included),
  ``metaclass=ABCMeta``, ``NamedTuple`` and ``typing.Mapping[...]``-style bases,
  ``typing.overload`` stubs, nested functions, closures over ``self``, ``cls()`` in a
  classmethod, variables bound once to a call's result, and (for E1111/E0633 only, a
  guess) a method name that only one program class defines.

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
# Decorators that change what a call of the function returns (or make it abstract).
_OPAQUE_DECORATORS = frozenset({
    "contextmanager", "asynccontextmanager", "abstractmethod", "abstractproperty", "overload",
    "singledispatch", "singledispatchmethod",
})
# pylint's checks of what special methods return (E0301-E0313): (code, message).
_SPECIAL_RETURNS = {
    "__iter__": ("E0301", "__iter__ returns non-iterator"),
    "__len__": ("E0303", "__len__ does not return non-negative integer"),
    "__bool__": ("E0304", "__bool__ does not return bool"),
    "__index__": ("E0305", "__index__ does not return int"),
    "__repr__": ("E0306", "__repr__ does not return str"),
    "__str__": ("E0307", "__str__ does not return str"),
    "__bytes__": ("E0308", "__bytes__ does not return bytes"),
    "__hash__": ("E0309", "__hash__ does not return int"),
    "__length_hint__": ("E0310", "__length_hint__ does not return non-negative integer"),
    "__format__": ("E0311", "__format__ does not return str"),
    "__getnewargs__": ("E0312", "__getnewargs__ does not return a tuple"),
    "__getnewargs_ex__": ("E0313", "__getnewargs_ex__ does not return a tuple containing (tuple, dict)"),
}


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
    out = _Walker(tree, source.split("\n"), "global" in source).run()
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

    def plain_result(self) -> bool:
        """Whether a call's result is what the body returns (None here), as astroid infers it."""
        node = self.node
        if type(node) is not ast.FunctionDef or self.generator or self.raises_abstract:
            return False
        if any((dotted(d) or [""])[-1] in _OPAQUE_DECORATORS for d in node.decorator_list):
            return False  # (astroid infers through other decorators: caches, wrappers...)
        body = node.body
        return not (body and isinstance(body[-1], ast.Raise) and not self.returns_none)

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
        "call_values",
        "counts",
        "defined",
        "defs",
        "func",
        "funcs",
        "globals",
        "handler_only",
        "instance_counts",
        "instances",
        "kind",
        "loop_depth",
        "nones",
        "parent",
        "pending",
        "possible",
        "star",
        "typeonly",
    )

    def __init__(self, kind: str, parent: _Scope | None, func: _Function | None = None) -> None:
        self.kind = kind  # module | function | class | comprehension
        self.parent = parent
        self.defined: set[str] = set()
        self.possible: set[str] = set()
        self.bound: set[str] = set()
        self.pending: list[tuple[str, int, bool, bool]] = []  # (name, line, possibly bound, at run time)
        self.globals: set[str] = set()
        self.star = False
        self.func = func
        self.instances: dict[str, str] = {}  # variable -> class of the instance bound to it
        self.instance_counts: dict[str, int] = {}  # "variable:class" -> bindings to such instances
        self.counts: dict[str, int] = {}  # how many bindings of each name
        self.defs: dict[str, int] = {}  # how many of them are def statements
        self.loop_depth = 0
        # Names bound only by imports and classes under ``if TYPE_CHECKING:``: they exist
        # for annotations, and pylint reports a use that runs (E0601).
        self.typeonly: set[str] = set()
        self.nones: dict[str, int] = {}  # how many bindings of each name are ``= None``
        self.funcs: dict[str, list[_Function]] = {}  # the functions a def binds here, in order
        self.call_values: dict[str, ast.expr] = {}  # variable -> function of the call assigned to it
        # Names that only an ``except`` handler binds: after the ``try``, pylint says E0601.
        self.handler_only: set[str] = set()


class _Walker:
    def __init__(self, tree: ast.Module, lines: list[str], has_global: bool = True) -> None:
        self.has_global = has_global  # the text says "global": worth a walk for the statements
        self.tree = tree
        self.lines = lines
        self.depth = 0  # block nesting of the statements being walked
        self.out: list[Diagnostic] = []
        self.module = _Scope("module", None)
        self.scope = self.module
        self.queue: list[tuple[ast.AST, _Scope, _Function, int]] = []
        self.classes: dict[str, list[_Class]] = {}
        self.class_stack: list[_Class] = []
        self.attr_uses: list[tuple[_Scope, str, str, int]] = []  # (scope, variable, attribute, line)
        self.assign_calls: list[tuple[_Scope, ast.expr, int, str]] = []  # (.., line, how the value is used)
        self.all_names: list[tuple[str, int]] = []
        self.value_uses: list[tuple[_Scope, str, int, str]] = []  # (scope, name, line, how)
        self.imports: dict[str, tuple[str, str | None]] = {}  # module level: name -> (module, name)
        self.runtime = True  # False while walking an annotation that is never evaluated
        self.postponed = False  # True while walking an annotation under postponed evaluation
        self.late_uses: list[tuple[_Scope, str, int]] = []  # names of postponed annotations
        self.none_attrs: set[tuple[int, str]] = set()  # (class, attribute) assigned None somewhere
        self.self_value_uses: list[tuple[_Function, str, int, str]] = []  # ``self.x`` used as a value
        self.constructor_calls: list[tuple[_Scope, ast.Call]] = []  # ``Name(...)`` calls
        self.method_calls: list[tuple[_Scope, ast.Call]] = []  # ``x.name(...)`` calls
        self.new_attr_uses: list[tuple[_Scope, str, str, int]] = []  # ``Cls(...).attr``
        self.has_nones = False  # some variable is assigned ``None``
        self.aug_attr_uses: list[tuple[_Scope, str, str, int]] = []  # ``x.attr += ...``
        self.method_owners: dict[str, list[_Function]] | None = None  # method name -> methods
        # special methods whose one ``return`` returns a call: (method, call, (code, message))
        self.special_calls: list[tuple[_Function, ast.expr, tuple[str, str]]] = []
        self.special_scopes: dict[int, _Scope] = {}
        self.path: list[tuple[int, str]] = []  # the if/try branches around the statement walked
        # (method, attribute, line, branch path, read or assigned) of every ``self.x``
        self.self_attrs_seen: list[tuple[_Function, str, int, tuple[tuple[int, str], ...], bool]] = []
        self.nonlocal_names: set[str] = set()  # rebound from another scope: value unknown
        self.global_counts: dict[str, int] = {}  # bindings of module names made through ``global``
        self.contextmanagers: list[_Function] = []  # functions decorated with contextmanager
        self.with_items: list[tuple[_Scope, ast.expr, int, bool]] = []  # (.., line, async)
        self.type_checking = 0  # depth of ``if TYPE_CHECKING:`` blocks being walked
        self.future_annotations = any(
            type(node) is ast.ImportFrom
            and node.module == "__future__"
            and any(alias.name == "annotations" for alias in node.names)
            for node in tree.body
        )

    def report(self, line: int, code: str, message: str) -> None:
        self.out.append(Diagnostic(line, code, message))

    # ---- driver ------------------------------------------------------------------------
    def run(self) -> list[Diagnostic]:
        self.declare_globals()
        self.block(self.tree.body, inner=False)
        self.close_scope(self.module)
        k = 0
        while k < len(self.queue):
            node, scope, func, depth = self.queue[k]
            k += 1
            self.depth = depth
            self.walk_function(node, scope, func)
        for scope, name, line in self.late_uses:
            if _binding_scope(scope, name) is None and name not in _BUILTINS and not self.module.star:
                self.report(line, "E0602", f"Undefined variable {name!r}")
        self.check_members()
        self.check_none_attributes()
        self.check_access_before_definition()
        self.check_context_managers()
        self.check_dataclass_calls()
        self.check_method_calls()
        for func, call_func, (code, message) in self.special_calls:
            # ``return self.is_active()`` once is_active lost its return: None (E0304...).
            target = self.call_target(self.special_scopes[id(func)], call_func)
            if target is not None and not target.returns_value and target.plain_result():
                self.report(func.node.lineno, code, message)  # type: ignore[attr-defined]
        self.check_assign_calls()
        self.check_value_uses()
        for name, line in self.all_names:
            if name not in self.module.bound and not self.module.star:
                self.report(line, "E0603", f"Undefined variable name {name!r} in __all__")
        return self.out

    def declare_globals(self) -> None:
        """Module names that functions bind through ``global``: bound before any use.

        Function bodies are walked after the module, so without this a method that reads
        a name another function assigns as a global would look undefined in the original
        too, and that report would mask the real E0602 once the assignment is deleted.
        """
        if not self.has_global:
            return
        module = self.module
        for node in ast.walk(self.tree):
            if type(node) not in (ast.FunctionDef, ast.AsyncFunctionDef):
                continue
            declared = {n for sub in ast.walk(node) if type(sub) is ast.Global for n in sub.names}
            if not declared:
                continue
            for sub in ast.walk(node):
                t = type(sub)
                if t is ast.Name and type(sub.ctx) is ast.Store:
                    names = [sub.id]
                elif t in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef) and sub is not node:
                    names = [sub.name]
                elif t is ast.Import or t is ast.ImportFrom:
                    names = [a.asname or a.name.partition(".")[0] for a in sub.names]
                else:
                    continue
                for name in names:
                    if name in declared:
                        module.defined.add(name)
                        module.possible.add(name)
                        module.bound.add(name)
                        module.counts[name] = module.counts.get(name, 0) + 1
                        self.global_counts[name] = self.global_counts.get(name, 0) + 1
                        self.nonlocal_names.add(name)  # its value is unknown here

    # ---- names -------------------------------------------------------------------------
    def bind(
        self, name: str, scope: _Scope | None = None, instance_of: str | None = None, typeonly: bool = False
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
        scope.counts[name] = scope.counts.get(name, 0) + 1
        if instance_of is not None:
            scope.instances[name] = instance_of
            _count(scope.instance_counts, f"{name}:{instance_of}")

    def scope_of(self, name: str) -> _Scope:
        """The scope that an assignment to ``name`` here binds in."""
        scope = self.scope
        return self.module if name in scope.globals else scope

    def use(self, name: str, line: int) -> None:
        scope = self.scope
        if self.postponed:
            self.late_uses.append((scope, name, line))
            return
        if name in scope.defined:
            self.check_typeonly(scope, name, line, self.runtime)
            return
        scope.pending.append((name, line, name in scope.possible, self.runtime))

    def check_typeonly(self, scope: _Scope, name: str, line: int, runtime: bool) -> None:
        """pylint's E0601 for a name that only ``if TYPE_CHECKING:`` binds, used at run time."""
        if runtime and name in scope.typeonly:
            self.report(line, "E0601", f"Using variable {name!r} before assignment")

    def close_scope(self, scope: _Scope) -> None:
        """Resolve the names a scope could not see bound when it used them."""
        for name, line, possibly, runtime in scope.pending:
            if (
                name in scope.globals
                and name in scope.defined
                and self.module.counts.get(name, 0) == self.global_counts.get(name, 0)
            ):
                # ``global X; X = not X`` with no module-level X: read before assigned.
                self.report(line, "E0601", f"Using variable {name!r} before assignment")
            elif possibly and name in scope.handler_only and scope.kind in ("function", "module"):
                self.report(line, "E0601", f"Using variable {name!r} before assignment")
            elif possibly:
                self.report(line, "E0606", f"Possibly using variable {name!r} before assignment")
            elif name in scope.bound and scope.kind in ("function", "module"):
                # (a class body that reads a name before binding it reads the global one)
                self.report(line, "E0601", f"Using variable {name!r} before assignment")
            else:
                self.resolve_outside(scope, name, line, runtime)
        scope.pending = []

    def resolve_outside(self, scope: _Scope, name: str, line: int, runtime: bool) -> None:
        if scope.kind in ("class", "comprehension"):
            # Executed at once: the enclosing scope must have bound it already.
            parent = scope.parent
            assert parent is not None
            if name in parent.defined:
                self.check_typeonly(parent, name, line, runtime)
                return
            parent.pending.append((name, line, name in parent.possible, runtime))
            return
        # A function body runs later: any binding in an enclosing function counts; a module
        # binding must not be conditional.
        s = scope.parent
        while s is not None:
            if s.kind in ("function", "comprehension") and name in s.bound:
                self.check_typeonly(s, name, line, runtime)
                return
            if s.kind == "module":
                if name in s.defined:
                    self.check_typeonly(s, name, line, runtime)
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
                if len(node.targets) == 1 and type(node.targets[0]) is ast.Name:
                    self.scope_of(node.targets[0].id).call_values[node.targets[0].id] = value.func
                if len(node.targets) == 1 and type(node.targets[0]) in (ast.Tuple, ast.List):
                    self.assign_calls.append((scope, value.func, node.lineno, "unpack"))
            for target in node.targets:
                self.target(target, instance)
                if type(value) is ast.Constant and value.value is None:
                    if type(target) is ast.Name:
                        _count(self.scope_of(target.id).nones, target.id)
                        self.has_nones = True
                    elif type(target) is ast.Attribute and scope.func is not None and scope.func.cls is not None:
                        self.none_attrs.add((id(scope.func.cls), target.attr))
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
                self.self_attribute(target, access=True)
                if type(target) is ast.Attribute and type(target.value) is ast.Name:
                    # ``self.n += 1`` reads the member first (E1101 once its assignment is gone;
                    # pylint says so even when a base class is unknown).
                    self.attr_uses.append((scope, target.value.id, target.attr, target.lineno))
                    self.aug_attr_uses.append((scope, target.value.id, target.attr, target.lineno))
            self.expr(node.value)
            if type(target) is ast.Attribute:
                self.expr(target.value)  # pylint counts it as an access, not a definition
            else:
                self.target(target)
        elif t is ast.AnnAssign:
            if node.value is not None:
                self.expr(node.value)
            # A local variable's annotation is never evaluated.
            self.annotation(node.annotation, scope.kind == "function")
            if node.value is not None or type(node.target) is not ast.Name or scope.kind == "class":
                self.target(node.target)
                value = node.value
                if type(value) is ast.Constant and value.value is None:
                    if type(node.target) is ast.Name:
                        _count(self.scope_of(node.target.id).nones, node.target.id)
                        self.has_nones = True
                    elif type(node.target) is ast.Attribute and scope.func is not None and scope.func.cls is not None:
                        self.none_attrs.add((id(scope.func.cls), node.target.attr))
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
            if _is_type_checking(node.test):
                self.type_checking += 1
                try:
                    return self.branches(node, type_checking=True)
                finally:
                    self.type_checking -= 1
            return self.branches(node)
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
                self.bind(local, typeonly=self.type_checking > 0)
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
                    self.bind(alias.asname or alias.name, typeonly=self.type_checking > 0)
        elif t is ast.Raise:
            if node.exc is not None:
                self.expr(node.exc)
                exc = node.exc.func if type(node.exc) is ast.Call else node.exc
                if (
                    type(exc) is ast.Name
                    and exc.id == "NotImplementedError"
                    and scope.func is not None
                    and _first_statement(scope.func.node) is node
                ):
                    scope.func.raises_abstract = True  # astroid's is_abstract: the first statement
            if node.cause is not None:
                self.expr(node.cause)
            return True
        elif t is ast.Try or t is _TRY_STAR:
            key = id(node)
            self.path.append((key, "try"))
            body_ends = self.block(node.body)
            after_body = set(scope.defined)
            for handler in node.handlers:
                caught = handler.type is None or any(
                    (dotted(e) or [""])[-1] in ("AttributeError", "Exception", "BaseException")
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
            if not body_ends and node.handlers:
                # A name only a handler binds may be unbound after the statement.
                only = scope.defined - after_body
                scope.defined -= only
                scope.handler_only |= only
            self.path[-1] = (key, "try")  # else runs after the body
            self.block(node.orelse)
            self.path[-1] = (key, "finally")
            self.block(node.finalbody)
            self.path.pop()
        elif t is ast.With or t is ast.AsyncWith:
            for item in node.items:
                self.with_items.append((scope, item.context_expr, node.lineno, t is ast.AsyncWith))
                if t is ast.With:
                    self.self_value(item.context_expr, "with")
                if type(item.context_expr) is ast.Name and t is ast.With:
                    self.value_uses.append((scope, item.context_expr.id, node.lineno, "with"))
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
            self.nonlocal_names.update(node.names)
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

    def branches(self, node: ast.If, type_checking: bool = False) -> bool:
        scope = self.scope
        before = set(scope.defined)
        self.path.append((id(node), "if"))
        body_ends = self.block(node.body)
        self.path[-1] = (id(node), "else")
        after_body = scope.defined
        try:
            return self.branches_else(scope, before, after_body, body_ends, node.orelse, type_checking)
        finally:
            self.path.pop()

    def branches_else(
        self, scope: _Scope, before: set[str], after_body: set[str], body_ends: bool, orelse: list[ast.stmt],
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
        self, scope: _Scope, before: set[str], after_body: set[str], body_ends: bool, orelse: list[ast.stmt]
    ) -> bool:
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
            self.nonlocal_names.add(name)

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
                self.self_attribute(node, access=False)
            self.expr(value)
        else:  # Subscript
            self.expr(node)

    def self_attribute(self, node: ast.expr, access: bool) -> None:
        """Record ``self.x`` read or assigned in a method, with its branch path (for E0203)."""
        func = self.scope.func
        if (
            type(node) is ast.Attribute
            and type(node.value) is ast.Name
            and func is not None
            and func.cls is not None
            and node.value.id == func.self_name
        ):
            self.self_attrs_seen.append((func, node.attr, node.lineno, tuple(self.path), access))

    # ---- definitions -------------------------------------------------------------------
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

    def function_def(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for dec in node.decorator_list:
            self.expr(dec)
        self.arguments(node.args)
        if node.returns is not None:
            self.annotation(node.returns)
        parent = self.scope
        cls = self.class_stack[-1] if parent.kind == "class" and self.class_stack else None
        func = _Function(node, cls)
        if cls is not None:
            cls.methods[node.name] = func
            special = _SPECIAL_RETURNS.get(node.name)
            if special is not None and _returns_only_none(node):
                self.report(node.lineno, *special)
            elif special is not None:
                call = _single_returned_call(node)
                if call is not None:
                    self.special_calls.append((func, call, special))
            positional = [*node.args.posonlyargs, *node.args.args]
            static = any(type(d) is ast.Name and d.id == "staticmethod" for d in node.decorator_list)
            if positional and not static:
                func.self_name = positional[0].arg
        else:
            parent.funcs.setdefault(node.name, []).append(func)
        if any((dotted(d) or [""])[-1] == "contextmanager" for d in node.decorator_list):
            self.contextmanagers.append(func)
        self.bind(node.name)
        defs = self.scope.defs
        defs[node.name] = defs.get(node.name, 0) + 1
        scope = _Scope("function", parent, func)
        if self.special_calls and self.special_calls[-1][0] is func:
            self.special_scopes[id(func)] = scope
        self.queue.append((node, scope, func, self.depth))

    def walk_function(self, node: ast.AST, scope: _Scope, func: _Function) -> None:
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
        self.bind(node.name, typeonly=self.type_checking > 0)

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
            if type(value) is ast.Call and type(value.func) is ast.Name and type(node.ctx) is ast.Load:
                self.new_attr_uses.append((self.scope, value.func.id, node.attr, node.lineno))
            if type(value) is ast.Name and type(node.ctx) is ast.Load:
                self.attr_uses.append((self.scope, value.id, node.attr, node.lineno))
                self.self_attribute(node, access=True)
            self.expr(value)
        elif t is ast.Subscript:
            value = node.value
            if type(value) is ast.Name:
                how = "subscript" if type(node.ctx) is ast.Load else "item assignment"
                self.value_uses.append((self.scope, value.id, node.lineno, how))
            elif type(value) is ast.Call:
                self.assign_calls.append((self.scope, value.func, node.lineno, "subscript"))
            else:
                self.self_value(value, "subscript" if type(node.ctx) is ast.Load else "item assignment")
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
            self.self_value(func, "call")
            if type(func) is ast.Call:
                self.assign_calls.append((self.scope, func.func, node.lineno, "call"))
            if type(func) is ast.Name:
                self.value_uses.append((self.scope, func.id, node.lineno, "call"))
                self.constructor_calls.append((self.scope, node))
            elif type(func) is ast.Attribute and type(func.value) is ast.Name:
                self.method_calls.append((self.scope, node))
            self.expr(func)
            for arg in node.args:
                if type(arg) is ast.Starred and type(arg.value) is ast.Call:
                    self.assign_calls.append((self.scope, arg.value.func, node.lineno, "iteration"))
                self.expr(arg)
            for kw in node.keywords:
                if kw.arg is None and type(kw.value) is ast.Call:
                    self.assign_calls.append((self.scope, kw.value.func, node.lineno, "mapping"))
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
            if t is ast.YieldFrom:
                self.iterated(node.value)
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

    def self_value(self, node: ast.expr, how: str) -> None:
        """``self.x`` iterated, subscripted, called or entered (E1133/E1136/E1102/E1129 when
        every assignment of it is ``None``)."""
        func = self.scope.func
        if (
            type(node) is ast.Attribute
            and type(node.value) is ast.Name
            and func is not None
            and func.cls is not None
            and node.value.id == func.self_name
        ):
            self.self_value_uses.append((func, node.attr, node.lineno, how))

    def iterated(self, node: ast.expr) -> None:
        self.self_value(node, "iteration")
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
            if (
                s is not None
                and how in ("call", "subscript", "iteration")
                and s.counts.get(name) == 1
                and name in s.call_values
                and name not in self.nonlocal_names
            ):
                # ``d = self.compute()`` then ``d(t)``, once compute lost its return.
                target = self.call_target(s, s.call_values[name])
                if target is not None and not target.returns_value and target.plain_result():
                    self.report_none_use(name, line, how)
                    continue
            if how in ("subscript", "item assignment", "iteration") and self.classes:
                owner = self.owner_of(scope, name)
                if owner is not None and owner.kind == "instance" and owner.cls is not None:
                    # an instance of a program class that lost __getitem__/__setitem__/__iter__
                    names = self.members(owner.cls)
                    needed = {"subscript": ("__getitem__",), "item assignment": ("__setitem__",),
                              "iteration": ("__iter__", "__getitem__")}[how]
                    if names is not None and not any(n in names for n in needed):
                        self.report_none_use(name, line, how)
                    continue
            if how in ("call", "with") and not self.has_nones:
                continue  # (most programs: only the None check reads these)
            if s is not None and name not in self.nonlocal_names and s.nones.get(name) == s.counts.get(name):
                self.report_none_use(name, line, how)  # every binding of it is ``= None``
                continue
            if how in ("call", "with"):
                continue
            if s is None:
                obj = getattr(builtins, name, None)
                if isinstance(obj, type) and how == "subscript" and not hasattr(obj, "__class_getitem__"):
                    # ``bytes[4:]`` once ``bytes = self.bytes`` is gone: not a generic alias.
                    self.report(line, "E1136", f"Value {name!r} is unsubscriptable")
                    continue
                if obj is None or (isinstance(obj, type) and how != "item assignment"):
                    continue  # unknown (E0602 already) or a type: list[int], iter(range)
            elif s.counts.get(name) != s.defs.get(name):
                continue  # bound to a value somewhere: not only a def
            if how == "iteration":
                code = "E1133"
            else:
                code = "E1136" if how == "subscript" else "E1137"
            self.report(line, code, f"function {name!r} used in {how}")

    def report_none_use(self, name: str, line: int, how: str) -> None:
        if how == "call":
            self.report(line, "E1102", f"{name} is not callable")
        elif how == "with":
            self.report(line, "E1129", "Context manager 'NoneType' doesn't implement __enter__ and __exit__.")
        elif how == "iteration":
            self.report(line, "E1133", f"Non-iterable value {name} is used in an iterating context")
        elif how == "subscript":
            self.report(line, "E1136", f"Value {name!r} is unsubscriptable")
        else:
            self.report(line, "E1137", f"{name!r} does not support item assignment")

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
        if not _plain_keywords(node) or "__getattr__" in cls.methods or "__getattribute__" in cls.methods:
            return None
        names = set(cls.scope.bound) | _TYPE_MEMBERS  # type: ignore[union-attr]
        if instance:
            names |= cls.self_attrs
        for base in map(_base_expr, node.bases):
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
        for scope, var, attr, line in self.aug_attr_uses:
            func = scope.func
            if func is None or func.cls is None or var != func.self_name:
                continue
            cls = func.cls
            if self.members(cls) is not None or attr in cls.scope.bound or attr in cls.self_attrs:  # type: ignore[union-attr]
                continue  # (known members: the general check below)
            if attr not in self.base_members(cls) and not cls.node.keywords:
                self.report(line, "E1101", f"Instance of {cls.node.name!r} has no {attr!r} member")
        for scope, name, attr, line in self.new_attr_uses:
            owner = self.owner_of(scope, name)
            if owner is None or owner.kind != "class_name" or owner.cls is None:
                continue
            names = self.members(owner.cls)
            if names is not None and attr not in names:
                self.report(line, "E1101", f"Instance of {owner.cls.node.name!r} has no {attr!r} member")
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
                for base in map(_base_expr, cls.node.bases):
                    if self.base_has_init(base, cls):
                        self.report(
                            init.node.lineno,  # type: ignore[attr-defined]
                            "W0231",
                            f"__init__ method from base class {ast.unparse(base)!r} is not called",
                        )
                        break

    def check_none_attributes(self) -> None:
        """``self.x`` used as an iterable, container, function or context manager when every
        assignment of it left in the class is ``self.x = None``."""
        if not self.self_value_uses:
            return
        stores: dict[tuple[int, str], int] = {}
        for func, attr, _line, _path, access in self.self_attrs_seen:
            if not access:
                _count(stores, (id(func.cls), attr))  # type: ignore[arg-type]
        nones: dict[tuple[int, str], int] = {}
        for func, attr, line, how in self.self_value_uses:
            cls = func.cls
            assert cls is not None and cls.scope is not None
            key = (id(cls), attr)
            in_class = cls.scope.counts.get(attr, 0) if attr in cls.scope.bound else 0
            if in_class != cls.scope.nones.get(attr, 0):
                continue  # the class body binds it to something else (a method...)
            if key in stores:
                if key not in self.none_attrs or nones.setdefault(key, self.none_stores(cls, attr)) != stores[key]:
                    continue
            elif not in_class:
                continue
            if attr in self.base_members(cls):
                continue
            self.report_none_use(f"self.{attr}", line, how)

    def none_stores(self, cls: _Class, attr: str) -> int:
        """How many ``self.<attr> = None`` statements the methods of ``cls`` hold."""
        count = 0
        for func in cls.methods.values():
            me = func.self_name
            for sub in ast.walk(func.node):
                if (
                    type(sub) in (ast.Assign, ast.AnnAssign)
                    and type(sub.value) is ast.Constant
                    and sub.value.value is None
                ):
                    for target in getattr(sub, "targets", None) or [sub.target]:
                        if (
                            type(target) is ast.Attribute
                            and target.attr == attr
                            and type(target.value) is ast.Name
                            and target.value.id == me
                        ):
                            count += 1
        return count

    def check_access_before_definition(self) -> None:
        """pylint's E0203: ``self.x`` read in a method before the method assigns it, when
        that method is the only one that assigns it and no class or base defines it."""
        defs: dict[tuple[int, str], list[tuple[_Function, int, tuple]]] = {}
        for func, attr, line, path, access in self.self_attrs_seen:
            if not access:
                defs.setdefault((id(func.cls), attr), []).append((func, line, path))
        base_names: dict[int, set[str]] = {}
        for func, attr, line, path, access in self.self_attrs_seen:
            found = defs.get((id(func.cls), attr)) if access else None
            if not found or any(f is not found[0][0] for f, _, _ in found):
                continue
            def_func, def_line, def_path = min(found, key=lambda d: d[1])
            if def_func is not func or line >= def_line or _exclusive(path, def_path):
                continue
            cls = func.cls
            assert cls is not None and cls.scope is not None
            if attr in cls.scope.bound:
                continue
            key = id(cls)
            if key not in base_names:
                base_names[key] = self.base_members(cls)
            if attr in base_names[key]:
                continue
            self.report(line, "E0203", f"Access to member {attr!r} before its definition line {def_line}")

    def base_members(self, cls: _Class) -> set[str]:
        """What the bases of a class define, as far as it is known (unknown bases: nothing)."""
        names: set[str] = set(_TYPE_MEMBERS)
        for base in map(_base_expr, cls.node.bases):
            base_cls = self.module_class(base.id, cls.scope.parent) if type(base) is ast.Name else None  # type: ignore[union-attr]
            if base_cls is not None:
                names |= self.members(base_cls) or set(base_cls.self_attrs) | set(base_cls.scope.bound)  # type: ignore[union-attr]
                continue
            facts = self.external_base(base, cls)
            if facts is not None:
                names |= facts[0]
        return names

    def check_dataclass_calls(self) -> None:
        """E1121/E1123: a call of a program dataclass with more positional arguments than it
        has fields, or a keyword that names no field (a field line was deleted)."""
        for scope, call in self.constructor_calls:
            owner = self.owner_of(scope, call.func.id)  # type: ignore[attr-defined]
            if owner is None or owner.kind != "class_name" or owner.cls is None:
                continue
            if any(type(a) is ast.Starred for a in call.args):
                continue
            fields = _dataclass_fields(owner.cls.node)
            if fields is None:
                init = self.plain_init(owner.cls)
                if init is not None:
                    self.check_arguments(call, init.node, skip_first=True, what="constructor call")
                continue
            if len(call.args) > len(fields):
                self.report(call.lineno, "E1121", "Too many positional arguments for constructor call")
            for kw in call.keywords:
                if kw.arg is not None and kw.arg not in fields:
                    self.report(call.lineno, "E1123", f"Unexpected keyword argument {kw.arg!r} in constructor call")

    def plain_init(self, cls: _Class) -> _Function | None:
        """The ``__init__`` a call of a program class runs, when nothing else can change it:
        no decorators, metaclass or ``__new__`` on the way, every base a program class."""
        seen: set[int] = set()
        todo = [cls]
        while todo:
            c = todo.pop(0)
            if id(c) in seen:
                continue
            seen.add(id(c))
            node = c.node
            if node.keywords or node.decorator_list or "__new__" in c.methods:
                return None
            init = c.methods.get("__init__")
            if init is not None:
                return init if not init.node.decorator_list else None  # type: ignore[attr-defined]
            for base in map(_base_expr, node.bases):
                base_cls = self.module_class(base.id, c.scope.parent) if type(base) is ast.Name else None  # type: ignore[union-attr]
                if base_cls is None:
                    return None
                todo.append(base_cls)
        return None

    def check_method_calls(self) -> None:
        """E1120/E1121/E1123 for calls of a program method (through ``self`` or an instance)
        or function whose signature no longer fits: an override was deleted."""
        if not self.classes:
            return  # only program methods are checked
        for scope, call in self.method_calls:
            if any(type(a) is ast.Starred for a in call.args) or any(k.arg is None for k in call.keywords):
                continue
            target = self.call_target(scope, call.func)
            if target is None or target.cls is None:
                continue
            decorators = [(dotted(d) or [""])[-1] for d in target.node.decorator_list]  # type: ignore[attr-defined]
            if any(d not in ("classmethod", "staticmethod") for d in decorators):
                continue
            what = f"{decorators[0]} call" if decorators else "method call"
            self.check_arguments(call, target.node, skip_first="staticmethod" not in decorators, what=what)

    def check_arguments(self, call: ast.Call, func: ast.AST, skip_first: bool, what: str) -> None:
        args: ast.arguments = func.args  # type: ignore[attr-defined]
        positional = [a.arg for a in (*args.posonlyargs, *args.args)]
        if skip_first:
            if not positional:
                return
            positional = positional[1:]
        if any(type(a) is ast.Starred for a in call.args):
            return
        if args.vararg is None and len(call.args) > len(positional):
            self.report(call.lineno, "E1121", f"Too many positional arguments for {what}")
        named = set(positional[len(call.args):]) | {a.arg for a in args.kwonlyargs}
        named -= {a.arg for a in args.posonlyargs}
        if args.kwarg is None:
            for kw in call.keywords:
                if kw.arg is not None and kw.arg not in named and kw.arg not in positional:
                    self.report(call.lineno, "E1123", f"Unexpected keyword argument {kw.arg!r} in {what}")
        if any(k.arg is None for k in call.keywords):
            return
        given = {k.arg for k in call.keywords}
        required = positional[len(call.args): len(positional) - len(args.defaults)]
        required += [a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is None]
        for name in required:
            if name not in given:
                self.report(call.lineno, "E1120", f"No value for argument {name!r} in {what}")

    def check_context_managers(self) -> None:
        """pylint's E1129/E1701: ``with`` on an instance of a program class that lost
        ``__enter__``/``__exit__`` (``__aenter__``/``__aexit__``)."""
        for scope, expr, line, is_async in self.with_items:
            cls = None
            if type(expr) is ast.Call and type(expr.func) is ast.Name:
                owner = self.owner_of(scope, expr.func.id)
                cls = owner.cls if owner is not None and owner.kind == "class_name" else None
            elif type(expr) is ast.Name:
                owner = self.owner_of(scope, expr.id)
                cls = owner.cls if owner is not None and owner.kind == "instance" else None
            if type(expr) is ast.Call and not is_async:
                target = self.call_target(scope, expr.func)
                if target is not None and target in self.contextmanagers and not target.generator:
                    # @contextmanager on a function that no longer yields: it returns None.
                    self.report(line, "E1129", "Context manager 'NoneType' doesn't implement __enter__ and __exit__.")
                    continue
            if cls is None or cls.node.name.lower().endswith("mixin"):
                continue
            names = self.members(cls)
            enter, exit_ = ("__aenter__", "__aexit__") if is_async else ("__enter__", "__exit__")
            if names is None or (enter in names and exit_ in names):
                continue
            if is_async:
                self.report(line, "E1701", f"Async context manager {cls.node.name!r} doesn't implement {enter} and {exit_}.")
            else:
                self.report(line, "E1129", f"Context manager {cls.node.name!r} doesn't implement {enter} and {exit_}.")

    def base_has_init(self, base: ast.expr, cls: _Class) -> bool:
        """Whether a base defines an ``__init__`` that a subclass's ``__init__`` should call."""
        if type(base) is ast.Name:
            base_cls = self.module_class(base.id, cls.scope.parent)  # type: ignore[union-attr]
            if base_cls is not None:
                return self.has_init(base_cls, frozenset())
        facts = self.external_base(base, cls)
        return facts is not None and facts[1]

    def has_init(self, cls: _Class, seen: frozenset[int]) -> bool:
        """Whether a program base class has an ``__init__`` to call. Like pylint, a base
        whose own ancestry is unknown (an unresolved import) is taken to have one."""
        if "__init__" in cls.methods:
            return True
        if id(cls) in seen:
            return False
        for base in map(_base_expr, cls.node.bases):
            base_cls = self.module_class(base.id, cls.scope.parent) if type(base) is ast.Name else None  # type: ignore[union-attr]
            if base_cls is not None:
                if self.has_init(base_cls, seen | {id(cls)}):
                    return True
                continue
            facts = self.external_base(base, cls)
            if facts is None or facts[1]:
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
                func = s.func
                if s is not scope and func is not None and func.cls is not None and var == func.self_name:
                    return _Owner("instance", func.cls)  # ``self`` of a method, read in a closure
                if s.counts.get(var) != 1:
                    # rebound, but every time to a new instance of one class: still that class
                    last = s.instances.get(var)
                    if last is None or s.instance_counts.get(f"{var}:{last}") != s.counts.get(var):
                        return None
                cls_name = s.instances.get(var)
                if cls_name is not None:
                    cls = self.module_class(cls_name, s)
                    func = s.func
                    if cls is None and func is not None and func.cls is not None and cls_name == func.self_name:
                        if _is_classmethod(func.node):
                            cls = func.cls  # ``h = cls()`` in a classmethod
                    return _Owner("instance", cls) if cls is not None else None
                cls = self.module_class(var, s)
                return _Owner("class_name", cls) if cls is not None else None
            s = s.parent
        return None

    def check_assign_calls(self) -> None:
        """Results of program functions that return nothing, assigned, subscripted or iterated."""
        for scope, func_expr, line, how in self.assign_calls:
            target = self.call_target(scope, func_expr) or self.only_method(scope, func_expr)
            if how == "unpack":
                # pylint infers through classmethod/staticmethod too (E0633, not E1111).
                if target is not None and not target.returns_value and target.plain_result():
                    self.report(line, "E0633", "Attempting to unpack a non-sequence")
                continue
            if target is None or target.ignored():
                continue
            if target.returns_value:
                continue
            if how == "subscript":
                self.report(line, "E1136", "Value of a call to a function that returns None is unsubscriptable")
            elif how == "iteration":
                self.report(line, "E1133", "Non-iterable value (a function that returns None) is iterated")
            elif how == "call":
                self.report(line, "E1102", "Value of a call to a function that returns None is not callable")
            elif how == "mapping":
                self.report(line, "E1134", "Non-mapping value (a function that returns None) in ** unpacking")
            else:
                if target.returns_none:
                    self.report(line, "E1128", "Assigning result of a function call, where the function returns None")
                else:
                    self.report(line, "E1111", "Assigning result of a function call, but the function returns None")

    def only_method(self, scope: _Scope, func_expr: ast.expr) -> _Function | None:
        """``x.name(...)`` on a local value of unknown class, when only one program class
        has a method ``name``: pylint often infers ``x`` (a loop over a list of instances)
        where this walk cannot; reporting on a guess only makes an edit bigger."""
        if type(func_expr) is not ast.Attribute:
            return None
        root = func_expr.value  # ``x``, ``x[-1]``, ``x.items[0]``: a local value
        while type(root) in (ast.Subscript, ast.Attribute):
            root = root.value  # type: ignore[attr-defined]
        if type(root) is not ast.Name:
            return None
        where = _binding_scope(scope, root.id)
        if where is None or where.kind != "function":
            return None  # a builtin, module or global name: an import, not an instance
        if self.method_owners is None:
            self.method_owners = {}
            for group in self.classes.values():
                for cls in group:
                    for name, func in cls.methods.items():
                        self.method_owners.setdefault(name, []).append(func)
        found = self.method_owners.get(func_expr.attr)
        return found[0] if found is not None and len(found) == 1 else None

    def call_target(self, scope: _Scope, func_expr: ast.expr) -> _Function | None:
        """The program function or method a call reaches: ``f(...)``, ``self.m(...)``, ``x.m(...)``."""
        target: _Function | None = None
        if type(func_expr) is ast.Name:
            name = func_expr.id
            where = _binding_scope(scope, name)
            found = where.funcs.get(name) if where is not None else None
            if (
                found
                and where is not None
                and all(_is_overload(f.node) for f in found[:-1])
                and where.counts.get(name) == len(found)
                and name not in self.nonlocal_names
            ):
                target = found[-1]  # the implementation after its typing.overload stubs
        elif (
            type(func_expr) is ast.Attribute
            and type(func_expr.value) is ast.Call
            and type(func_expr.value.func) is ast.Name
            and func_expr.value.func.id != "super"
        ):
            owner = self.owner_of(scope, func_expr.value.func.id)  # ``Cls(...).method()``
            if owner is not None and owner.kind == "class_name" and owner.cls is not None:
                target = self.find_method(owner.cls, func_expr.attr, frozenset())
        elif (
            type(func_expr) is ast.Attribute
            and type(func_expr.value) is ast.Call
            and type(func_expr.value.func) is ast.Name
            and func_expr.value.func.id == "super"
            and not func_expr.value.args
        ):
            s: _Scope | None = scope  # ``super().method()``: the first program base that has it
            while s is not None and (s.func is None or s.func.cls is None):
                s = s.parent if s.kind != "module" else None
            if s is not None and s.func is not None and s.func.cls is not None:
                cls = s.func.cls
                for base in map(_base_expr, cls.node.bases):
                    base_cls = self.module_class(base.id, cls.scope.parent) if type(base) is ast.Name else None  # type: ignore[union-attr]
                    if base_cls is None:
                        break
                    target = self.find_method(base_cls, func_expr.attr, frozenset({id(cls)}))
                    if target is not None:
                        break
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
                target = self.find_method(cls, func_expr.attr, frozenset())
        return target

    def find_method(self, cls: _Class, name: str, seen: frozenset[int]) -> _Function | None:
        """A method of a class or, depth first, of its program bases (None when a base that
        is not a program class comes first: it may define the name)."""
        found = cls.methods.get(name)
        if found is not None or id(cls) in seen:
            return found
        if name in cls.scope.bound:  # type: ignore[union-attr]
            return None  # bound otherwise in the class body
        for base in map(_base_expr, cls.node.bases):
            base_cls = self.module_class(base.id, cls.scope.parent) if type(base) is ast.Name else None  # type: ignore[union-attr]
            if base_cls is None:
                return None
            found = self.find_method(base_cls, name, seen | {id(cls)})
            if found is not None:
                return found
        return None


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


def _plain_keywords(node: ast.ClassDef) -> bool:
    """Whether a class's keywords add no members: none, or ``metaclass=ABCMeta``."""
    for kw in node.keywords:
        parts = dotted(kw.value)
        if kw.arg != "metaclass" or parts is None or parts[-1] != "ABCMeta":
            return False
    return True


def _base_expr(base: ast.expr) -> ast.expr:
    """A base class without its type arguments: ``Mapping[str, str]`` is ``Mapping``."""
    return base.value if type(base) is ast.Subscript else base  # type: ignore[attr-defined]


def _is_classmethod(node: ast.AST) -> bool:
    return any((dotted(d) or [""])[-1] == "classmethod" for d in getattr(node, "decorator_list", ()))


def _is_overload(node: ast.AST) -> bool:
    for dec in getattr(node, "decorator_list", ()):
        parts = dotted(dec)
        if parts is not None and parts[-1] == "overload":
            return True
    return False


def _returns_only_none(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether astroid infers exactly ``None`` for a call of this method.

    That is: one ``return``/``return None``, or none at all and a body that is not abstract
    (its first statement, after the docstring, is no ``raise`` or ``pass``) nor ``...``.
    Decorated methods and generators are left alone.
    """
    if type(node) is not ast.FunctionDef or node.decorator_list:
        return False
    returns = []
    stack: list[ast.AST] = list(node.body)
    while stack:
        sub = stack.pop()
        t = type(sub)
        if t in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef):
            continue
        if t in (ast.Yield, ast.YieldFrom):
            return False
        if t is ast.Return:
            returns.append(sub)
        stack.extend(ast.iter_child_nodes(sub))
    if returns:
        if len(returns) != 1:
            return False
        value = returns[0].value  # type: ignore[attr-defined]
        return value is None or (type(value) is ast.Constant and value.value is None)
    body = node.body
    if body and type(body[0]) is ast.Expr and type(body[0].value) is ast.Constant and isinstance(
        body[0].value.value, str
    ):
        body = body[1:]  # the docstring is no statement for astroid
    if not body or type(body[0]) in (ast.Raise, ast.Pass):
        return False
    stub = type(body[0]) is ast.Expr and type(body[0].value) is ast.Constant and body[0].value.value is ...
    return not (len(body) == 1 and stub)


def _exclusive(a: tuple[tuple[int, str], ...], b: tuple[tuple[int, str], ...]) -> bool:
    """Whether two statements lie in branches that never both run (astroid's are_exclusive,
    with handlers of AttributeError/Exception/BaseException against their ``try`` body)."""
    for (key_a, label_a), (key_b, label_b) in zip(a, b, strict=False):
        if key_a != key_b:
            return False
        if label_a != label_b:
            labels = {label_a, label_b}
            if labels == {"if", "else"}:
                return True
            if "try" in labels:
                other = (labels - {"try"}).pop()
                return other.startswith("except") and other != "except"
            return label_a.startswith("except") and label_b.startswith("except")
    return False


def _dataclass_fields(node: ast.ClassDef) -> list[str] | None:
    """The ``__init__`` parameters of a plain ``@dataclass`` without bases; None otherwise."""
    if node.bases or node.keywords or len(node.decorator_list) != 1:
        return None
    dec = node.decorator_list[0]
    if type(dec) is ast.Call:
        if dec.args or dec.keywords:
            return None  # init=False, kw_only=True...
        dec = dec.func
    if (dotted(dec) or [""])[-1] != "dataclass":
        return None
    fields = []
    for stmt in node.body:
        if type(stmt) is ast.FunctionDef and stmt.name in ("__init__", "__new__"):
            return None
        if type(stmt) is not ast.AnnAssign or type(stmt.target) is not ast.Name:
            continue
        annotation = stmt.annotation
        head = dotted(annotation.value if type(annotation) is ast.Subscript else annotation)
        if head is not None and head[-1] == "ClassVar":
            continue
        if type(annotation) is ast.Constant or (head is not None and head[-1] in ("KW_ONLY", "InitVar")):
            return None  # a string annotation may say ClassVar; KW_ONLY changes the signature
        if type(stmt.value) is ast.Call:
            return None  # field(...): init=False, kw_only...
        fields.append(stmt.target.id)
    return fields


def _count(counts: dict[str, int], name: str) -> None:
    counts[name] = counts.get(name, 0) + 1


def _first_statement(node: ast.AST) -> ast.AST | None:
    """A function's first statement after its docstring (astroid keeps docstrings apart)."""
    body = getattr(node, "body", None)
    if not isinstance(body, list):
        return None
    if body and type(body[0]) is ast.Expr and type(body[0].value) is ast.Constant and isinstance(
        body[0].value.value, str
    ):
        body = body[1:]
    return body[0] if body else None


def _single_returned_call(node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
    """The function of ``return f(...)`` when that is the method's only ``return``."""
    if type(node) is not ast.FunctionDef or node.decorator_list:
        return None
    returns = [sub for sub in _own_nodes(node) if type(sub) is ast.Return]
    if len(returns) != 1 or type(returns[0].value) is not ast.Call:  # type: ignore[attr-defined]
        return None
    return returns[0].value.func  # type: ignore[attr-defined]


def _own_nodes(node: ast.AST) -> list[ast.AST]:
    """Nodes of a function body, not descending into nested functions or classes."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = list(node.body)  # type: ignore[attr-defined]
    while stack:
        sub = stack.pop()
        if type(sub) in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef):
            continue
        out.append(sub)
        stack.extend(ast.iter_child_nodes(sub))
    return out


def _is_type_checking(test: ast.expr) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:`` (any module's attribute)."""
    t = type(test)
    return (t is ast.Name and test.id == "TYPE_CHECKING") or (  # type: ignore[attr-defined]
        t is ast.Attribute and test.attr == "TYPE_CHECKING"  # type: ignore[attr-defined]
    )
