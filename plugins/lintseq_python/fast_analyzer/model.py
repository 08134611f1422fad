"""What the walk learns about a program: its scopes, functions and classes.

The walk (``scopes``, ``expressions``, ``flow``) fills these records in one pass; the
checks that need the whole program (``classes``, ``members``, ``values``) read them after.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field

from lintseq_python.fast_analyzer.shapes import OPAQUE_DECORATORS, first_statement, last_name

__all__ = ["BUILTINS", "SELF_ALIAS", "Class", "Function", "Owner", "Scope", "binding_scope", "count"]

BUILTINS = frozenset(dir(builtins)) | {
    "__name__", "__file__", "__doc__", "__builtins__", "__spec__", "__loader__",
    "__package__", "__path__", "__annotations__", "__dict__", "__cached__",
}

# ``Scope.instances`` value of a variable bound to the method's own instance (``q = self``);
# no class can have this name.
SELF_ALIAS = "<self>"
# Methods whose first parameter is the class, not an instance.
CLASS_FIRST = frozenset({"__new__", "__init_subclass__", "__class_getitem__"})



@dataclass(slots=True, eq=False)
class Function:
    """What the walk learns about one function definition (or lambda)."""

    node: ast.AST
    cls: Class | None  # the class whose body defines it
    returns_value: bool = False
    returns_none: bool = False  # a ``return`` / ``return None``
    generator: bool = False
    raises_abstract: bool = False  # its first statement raises NotImplementedError
    self_name: str | None = None  # a method's first parameter
    offset: int = 0  # added to the node's line numbers (see ``ScopeTracker.offset``)
    # ``return f(...)``: the functions called (for a result that is ``None`` through them);
    # ``other_returns``: some ``return`` gives a value that is no call
    returned_calls: list[ast.expr] = field(default_factory=list)
    other_returns: bool = False
    # ``return name``: the names returned (a factory returning its nested ``def``);
    # ``opaque_returns``: some ``return`` gives a value that is neither a call nor a name
    returned_names: list[str] = field(default_factory=list)
    opaque_returns: bool = False
    body_scope: Scope | None = None  # the scope of its body (where ``returned_calls`` resolve)

    @property
    def line(self) -> int:
        """The definition's line in the state."""
        return self.node.lineno + self.offset  # type: ignore[attr-defined]

    def plain_result(self) -> bool:
        """Whether a call's result is what the body returns (None here), as astroid infers it."""
        node = self.node
        if type(node) is not ast.FunctionDef or self.generator or self.raises_abstract:
            return False
        if any(last_name(d) in OPAQUE_DECORATORS for d in node.decorator_list):
            return False  # (astroid infers through other decorators: caches, wrappers...)
        if self.returns_value or self.returns_none:
            return True  # (the values of its ``return`` statements)
        # No ``return``: astroid infers ``None`` unless the function looks abstract, its
        # first statement (after the docstring) a ``raise`` or ``pass``, or its body ``...``
        # (a body that ends in a ``raise`` after other statements still gives ``None``).
        first = first_statement(node)
        if first is None or type(first) in (ast.Raise, ast.Pass):
            return False
        return not (
            first is node.body[-1] and type(first) is ast.Expr and type(first.value) is ast.Constant
            and first.value.value is Ellipsis
        )

    def coroutine_returns_nothing(self) -> bool:
        """An ``async def`` that is no generator and returns nothing: astroid infers a call
        of it as its body's result (``None``), so iterating or subscripting the call is
        E1133/E1136 (an ``async for`` over it once its ``yield`` is gone). A stub body
        (``pass``, ``...``, a docstring) infers to nothing and is not reported."""
        node = self.node
        if type(node) is not ast.AsyncFunctionDef or self.generator or self.raises_abstract or self.returns_value:
            return False
        if any(last_name(d) in OPAQUE_DECORATORS for d in node.decorator_list):
            return False
        body = node.body
        if body and isinstance(body[-1], ast.Raise) and not self.returns_none:
            return False
        return not all(
            type(stmt) is ast.Pass or (type(stmt) is ast.Expr and type(stmt.value) is ast.Constant)
            for stmt in body
        )

    def takes_instance(self) -> bool:
        """Whether the method's first parameter (``self_name``) is an instance of its class."""
        node = self.node
        return (
            self.cls is not None
            and self.self_name is not None
            and getattr(node, "name", "") not in CLASS_FIRST
            and not any(last_name(d) == "classmethod" for d in getattr(node, "decorator_list", ()))
        )

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

    def returns_nothing(self) -> bool:
        """Whether a call of it gives ``None``: no ``return`` of a value, a plain result."""
        return not self.returns_value and self.plain_result()


@dataclass(slots=True, eq=False)
class Class:
    """A program class: its body's scope, methods and the ``self.x`` its methods assign."""

    node: ast.ClassDef
    scope: Scope | None = None
    self_attrs: set[str] = field(default_factory=set)
    # ``copy.x = self.x`` (``self.x = self.x``): members whose assignment reads them,
    # with how many such assignments; see ``ExpressionWalker.echo_reads``
    echo_attrs: dict[str, int] = field(default_factory=dict)
    # assigned from outside its methods: ``Cls.x = ...`` (a dispatch table filled after the
    # class), ``obj.x = ...`` on an instance; astroid adds both to the class
    outside_attrs: set[str] = field(default_factory=set)
    methods: dict[str, Function] = field(default_factory=dict)
    init_calls_base: bool = False  # its methods call some ``__init__`` (``super().__init__``...)
    # ``X`` of the ``X.__init__(self, ...)`` calls in its methods (last names: ``mod.X``: X)
    init_called: set[str] = field(default_factory=set)


@dataclass(slots=True, eq=False)
class Scope:
    """The names of one module, function, class body or comprehension, as the walk sees them."""

    kind: str  # module | function | class | comprehension
    parent: Scope | None
    func: Function | None = None
    defined: set[str] = field(default_factory=set)  # bound on every path so far
    possible: set[str] = field(default_factory=set)  # bound on some path so far
    bound: set[str] = field(default_factory=set)  # bound anywhere in the scope
    # (name, line, possibly bound, at run time) of uses not resolved yet
    pending: list[tuple[str, int, bool, bool]] = field(default_factory=list)
    globals: set[str] = field(default_factory=set)
    star: bool = False  # ``from m import *`` of a module that cannot be read
    instances: dict[str, str] = field(default_factory=dict)  # variable -> class of the instance bound to it
    instance_counts: dict[str, int] = field(default_factory=dict)  # "variable:class" -> bindings to such instances
    counts: dict[str, int] = field(default_factory=dict)  # how many bindings of each name
    defs: dict[str, int] = field(default_factory=dict)  # how many of them are def statements
    loop_depth: int = 0
    # Names bound only by imports and classes under ``if TYPE_CHECKING:``: they exist
    # for annotations, and pylint reports a use that runs (E0601).
    typeonly: set[str] = field(default_factory=set)
    nones: dict[str, int] = field(default_factory=dict)  # how many bindings of each name are ``= None``
    # A function's: name -> (the builtin type of its literal bindings, None if several, how
    # many bindings are literals: ``hn = 0``, ``regex = ''``, ``items = []``)
    literals: dict[str, tuple[type | None, int]] = field(default_factory=dict)
    funcs: dict[str, list[Function]] = field(default_factory=dict)  # the functions a def binds here, in order
    call_values: dict[str, ast.expr] = field(default_factory=dict)  # variable -> function of the call assigned to it
    # Names that only an ``except`` handler binds: after the ``try``, pylint says E0601.
    handler_only: set[str] = field(default_factory=set)
    # (name, line) of uses made while the name was handler-only (an ``if`` around the
    # ``try`` ends that: after it the name is only possibly unbound, E0606)
    handler_uses: set[tuple[str, int]] = field(default_factory=set)
    # A nested function's: what its enclosing function had bound on every path where the
    # ``def`` (or lambda) stands (None: not nested in a function).
    enclosing_defined: set[str] | None = None


@dataclass(slots=True, eq=False)
class Owner:
    """What a variable names: a program class (``class_name``) or an ``instance`` of one."""

    kind: str
    cls: Class | None


def binding_scope(scope: Scope, name: str) -> Scope | None:
    """The scope whose binding of ``name`` a use in ``scope`` sees (None: builtins)."""
    s: Scope | None = scope
    while s is not None:
        if (s.kind != "class" or s is scope) and name in s.bound:
            return s
        s = s.parent
    return None


def count(counts: dict, key: object) -> None:
    """One more of ``key`` in a tally."""
    counts[key] = counts.get(key, 0) + 1
