"""Facts read from the shape of one syntax node: decorators, docstrings, returns, fields.

Each function here looks at a node and nothing else (no scopes, no other definitions), so
the walk and the checks can share them.
"""

from __future__ import annotations

import ast

from lintseq_python.imported import dotted

__all__ = [
    "OPAQUE_DECORATORS",
    "base_expr",
    "dataclass_fields",
    "first_statement",
    "is_classmethod",
    "is_overload",
    "is_type_checking",
    "last_name",
    "own_nodes",
    "plain_keywords",
    "returns_only_none",
    "single_returned_call",
]

# Decorators that change what a call of the function returns (or make it abstract).
OPAQUE_DECORATORS = frozenset({
    "contextmanager", "asynccontextmanager", "abstractmethod", "abstractproperty", "overload",
    "singledispatch", "singledispatchmethod",
})
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def last_name(node: ast.expr) -> str:
    """The last part of a dotted name (``abc.abstractmethod``: ``abstractmethod``); ``""``."""
    return (dotted(node) or [""])[-1]


def base_expr(base: ast.expr) -> ast.expr:
    """A base class without its type arguments: ``Mapping[str, str]`` is ``Mapping``."""
    return base.value if type(base) is ast.Subscript else base  # type: ignore[attr-defined]


def plain_keywords(node: ast.ClassDef) -> bool:
    """Whether a class's keywords add no members: none, or ``metaclass=ABCMeta``."""
    for kw in node.keywords:
        parts = dotted(kw.value)
        if kw.arg != "metaclass" or parts is None or parts[-1] != "ABCMeta":
            return False
    return True


def is_classmethod(node: ast.AST) -> bool:
    return any(last_name(d) == "classmethod" for d in getattr(node, "decorator_list", ()))


def is_overload(node: ast.AST) -> bool:
    return any(last_name(d) == "overload" for d in getattr(node, "decorator_list", ()))


def is_type_checking(test: ast.expr) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:`` (any module's attribute)."""
    t = type(test)
    return (t is ast.Name and test.id == "TYPE_CHECKING") or (  # type: ignore[attr-defined]
        t is ast.Attribute and test.attr == "TYPE_CHECKING"  # type: ignore[attr-defined]
    )


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    """A body less its docstring: astroid keeps docstrings apart from the statements."""
    if body and type(body[0]) is ast.Expr and type(body[0].value) is ast.Constant and isinstance(
        body[0].value.value, str
    ):
        return body[1:]
    return body


def first_statement(node: ast.AST) -> ast.AST | None:
    """A function's first statement after its docstring (astroid keeps docstrings apart)."""
    body = getattr(node, "body", None)
    if not isinstance(body, list):
        return None
    body = _without_docstring(body)
    return body[0] if body else None


def own_nodes(node: ast.AST) -> list[ast.AST]:
    """Nodes of a function body, not descending into nested functions or classes."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = list(node.body)  # type: ignore[attr-defined]
    while stack:
        sub = stack.pop()
        if type(sub) in _NESTED:
            continue
        out.append(sub)
        stack.extend(ast.iter_child_nodes(sub))
    return out


def returns_only_none(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether astroid infers exactly ``None`` for a call of this method.

    That is: one ``return``/``return None``, or none at all and a body that is not abstract
    (its first statement, after the docstring, is no ``raise`` or ``pass``) nor ``...``.
    Decorated methods and generators are left alone.
    """
    if type(node) is not ast.FunctionDef or node.decorator_list:
        return False
    nodes = own_nodes(node)
    if any(type(sub) in (ast.Yield, ast.YieldFrom) for sub in nodes):
        return False
    returns = [sub for sub in nodes if type(sub) is ast.Return]
    if returns:
        if len(returns) != 1:
            return False
        value = returns[0].value  # type: ignore[attr-defined]
        return value is None or (type(value) is ast.Constant and value.value is None)
    body = _without_docstring(node.body)
    if not body or type(body[0]) in (ast.Raise, ast.Pass):
        return False
    stub = type(body[0]) is ast.Expr and type(body[0].value) is ast.Constant and body[0].value.value is ...
    return not (len(body) == 1 and stub)


_COMMUTATIVE = (ast.Mult, ast.Add, ast.BitXor, ast.BitAnd, ast.BitOr)


def is_augmented_assign(target: ast.expr, value: ast.expr) -> bool:
    """pylint's ``is_augmented_assign``: ``self.n = self.n + 1`` (or ``1 + self.n``), which
    it does not count as a definition of ``self.n``."""
    if type(value) is not ast.BinOp or type(target) is not ast.Attribute:
        return False
    left, right = value.left, value.right
    if type(left) is ast.Constant and isinstance(left.value, (str, bytes)):
        return False
    if type(left) is ast.Call or type(right) is ast.Call:
        return False
    name = dotted(target)
    if name is None:
        return False
    if dotted(left) == name:
        return True
    return (
        isinstance(value.op, _COMMUTATIVE)
        and dotted(right) == name
        and type(left) is ast.Constant
        and type(left.value) is int
    )


def returns_only_self(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether every ``return`` of an undecorated method returns its first parameter
    (``__iter__`` returning ``self``), and it has one and is no generator."""
    positional = [*node.args.posonlyargs, *node.args.args]
    if type(node) is not ast.FunctionDef or node.decorator_list or not positional:
        return False
    me = positional[0].arg
    nodes = own_nodes(node)
    if any(type(sub) in (ast.Yield, ast.YieldFrom) for sub in nodes):
        return False
    returns = [sub for sub in nodes if type(sub) is ast.Return]
    return bool(returns) and all(
        type(r.value) is ast.Name and r.value.id == me for r in returns  # type: ignore[attr-defined]
    )


def single_returned_call(node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
    """The function of ``return f(...)`` when that is the method's only ``return``; or the
    ``self.x`` of ``return self.x`` (a property's value, see ``values.check_special_returns``)."""
    if type(node) is not ast.FunctionDef or node.decorator_list:
        return None
    returns = [sub for sub in own_nodes(node) if type(sub) is ast.Return]
    if len(returns) != 1:
        return None
    value = returns[0].value  # type: ignore[attr-defined]
    if type(value) is ast.Call:
        return value.func
    if type(value) is ast.Attribute and type(value.value) is ast.Name:
        return value
    return None


def dataclass_fields(node: ast.ClassDef) -> list[str] | None:
    """The ``__init__`` parameters of a plain ``@dataclass`` without bases; None otherwise."""
    if node.bases or node.keywords or len(node.decorator_list) != 1:
        return None
    dec = node.decorator_list[0]
    if type(dec) is ast.Call:
        if dec.args or dec.keywords:
            return None  # init=False, kw_only=True...
        dec = dec.func
    if last_name(dec) != "dataclass":
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
