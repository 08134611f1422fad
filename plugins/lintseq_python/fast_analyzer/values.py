"""Values used as what they no longer are: calls, returns, containers, context managers.

Deleting a ``return`` makes a function return ``None``: its result can no longer be
assigned (E1111/E1128), unpacked (E0633), subscripted, iterated or called (E1136, E1133,
E1102), returned by a special method (E0301-E0313) or entered (E1129). Deleting a binding
that shadowed a builtin or a ``def`` leaves a function subscripted or iterated; deleting a
parameter, field or override leaves calls with arguments that no longer fit (E1120,
E1121, E1123, E1124). These checks run once the whole program is walked.
"""

from __future__ import annotations

import ast
import builtins
from typing import TYPE_CHECKING

from lintseq_python.fast_analyzer.model import Class, Function, Scope, binding_scope
from lintseq_python.fast_analyzer.shapes import (
    dataclass_fields,
    is_classmethod,
    last_name,
    own_nodes,
)

if TYPE_CHECKING:
    from lintseq_python.fast_analyzer.classes import ClassModel
    from lintseq_python.fast_analyzer.flow import Walker

__all__ = [
    "SPECIAL_RETURNS",
    "check_abstract_instances",
    "check_assign_calls",
    "check_context_managers",
    "check_dataclass_calls",
    "check_method_calls",
    "check_special_returns",
    "check_value_uses",
    "none_guarded",
    "report_none_use",
]

_NONE_CONTEXT = "Context manager 'NoneType' doesn't implement __enter__ and __exit__."
# pylint's checks of what special methods return (E0301-E0313): (code, message).
SPECIAL_RETURNS = {
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
# How the result of a call of a function that returns nothing is used: (code, message).
_NO_RESULT_USES = {
    "subscript": ("E1136", "Value of a call to a function that returns None is unsubscriptable"),
    "iteration": ("E1133", "Non-iterable value (a function that returns None) is iterated"),
    "call": ("E1102", "Value of a call to a function that returns None is not callable"),
    "mapping": ("E1134", "Non-mapping value (a function that returns None) in ** unpacking"),
    "membership": ("E1135", "Value of a call to a function that returns None doesn't support membership test"),
}
# The special methods an instance needs for each use.
_CONTAINER_METHODS = {
    "subscript": ("__getitem__",),
    "item assignment": ("__setitem__",),
    "iteration": ("__iter__", "__getitem__"),
}


def report_none_use(walk: Walker, name: str, line: int, how: str) -> None:
    """The report for ``None`` (or a value without the needed method) used in ``how``."""
    if how == "call":
        walk.report(line, "E1102", f"{name} is not callable")
    elif how == "with":
        walk.report(line, "E1129", _NONE_CONTEXT)
    elif how == "iteration":
        walk.report(line, "E1133", f"Non-iterable value {name} is used in an iterating context")
    elif how == "subscript":
        walk.report(line, "E1136", f"Value {name!r} is unsubscriptable")
    elif how == "membership":
        walk.report(line, "E1135", f"Value {name!r} doesn't support membership test")
    else:
        walk.report(line, "E1137", f"{name!r} does not support item assignment")


# ---- special methods and context managers ---------------------------------------------------
def check_special_returns(walk: Walker, model: ClassModel) -> None:
    """``return self.is_active()`` in ``__bool__`` once ``is_active`` lost its return (E0304...),
    ``return self.url`` in ``__str__`` once the property ``url`` lost it (urllib3 url.py);
    ``return self`` in ``__iter__`` once ``__next__`` is deleted (E0301)."""
    for func, call_func, (code, message) in walk.special_calls:
        target = model.call_target(walk.special_scopes[id(func)], call_func)
        if target is None:
            continue
        if any(type(sub) is ast.Return and sub.value is call_func for sub in own_nodes(func.node)):
            decorators = target.node.decorator_list  # type: ignore[attr-defined]
            if len(decorators) != 1 or last_name(decorators[0]) not in ("property", "cached_property"):
                continue  # (``return self.x``: only a property's value is a call's result)
        if target.returns_nothing():
            walk.report(func.line, code, message)
    for func, cls in walk.iter_self:
        # ``return self`` from ``__iter__`` of a class that lost its ``__next__``
        names = model.members(cls)
        if names is not None and "__next__" not in names:
            walk.report(func.line, *SPECIAL_RETURNS["__iter__"])


def check_context_managers(walk: Walker, model: ClassModel) -> None:
    """pylint's E1129/E1701: ``with`` on an instance of a program class that lost
    ``__enter__``/``__exit__`` (``__aenter__``/``__aexit__``), or on a ``@contextmanager``
    function that no longer yields."""
    for scope, expr, line, is_async in walk.with_items:
        cls = None
        if type(expr) is ast.Call and type(expr.func) is ast.Name:
            cls = model.named_class(scope, expr.func.id)
        elif type(expr) is ast.Name:
            owner = model.owner_of(scope, expr.id)
            cls = owner.cls if owner is not None and owner.kind == "instance" else None
        if type(expr) is ast.Call and not is_async:
            target = model.call_target(scope, expr.func)
            if target is not None and target in walk.contextmanagers and not target.generator:
                # @contextmanager on a function that no longer yields: it returns None.
                walk.report(line, "E1129", _NONE_CONTEXT)
                continue
        if cls is None or cls.node.name.lower().endswith("mixin"):
            continue
        names = model.members(cls)
        enter, exit_ = ("__aenter__", "__aexit__") if is_async else ("__enter__", "__exit__")
        if names is None or (enter in names and exit_ in names):
            continue
        name = cls.node.name
        if is_async:
            walk.report(line, "E1701", f"Async context manager {name!r} doesn't implement {enter} and {exit_}.")
        else:
            walk.report(line, "E1129", f"Context manager {name!r} doesn't implement {enter} and {exit_}.")


def check_abstract_instances(walk: Walker, model: ClassModel) -> None:
    """pylint's E0110: ``Cls()`` of a program class whose metaclass is ABCMeta (an ``ABC``,
    ``collections.abc.MutableMapping``... base) that lost the implementation of an abstract
    method. A call inside the class's own body or methods is left alone, as pylint does."""
    for scope, call, line in walk.constructor_calls:
        cls = model.named_class(scope, call.func.id)  # type: ignore[attr-defined]
        if cls is None:
            continue
        s: Scope | None = scope
        while s is not None and s is not cls.scope:
            s = s.parent
        if s is not None:
            continue
        facts = model.abstract_facts(cls)
        if facts is not None and facts[1] and facts[0]:
            walk.report(line, "E0110", f"Abstract class {cls.node.name!r} with abstract methods instantiated")


# ---- arguments of calls ---------------------------------------------------------------------
def check_dataclass_calls(walk: Walker, model: ClassModel) -> None:
    """E1121/E1123: a call of a program dataclass with more positional arguments than it
    has fields, or a keyword that names no field (a field line was deleted); E1120 and the
    like for a class whose ``__init__`` is known."""
    for scope, call, line in walk.constructor_calls:
        cls = model.named_class(scope, call.func.id) or _classmethod_class(scope, call.func.id)  # type: ignore[attr-defined]
        if cls is None or any(type(a) is ast.Starred for a in call.args):
            continue
        fields = dataclass_fields(cls.node)
        if fields is None:
            init = model.plain_init(cls)
            if init is not None:
                _check_arguments(walk, call, line, init.node, skip_first=True, what="constructor call")
            continue
        if len(call.args) > len(fields):
            walk.report(line, "E1121", "Too many positional arguments for constructor call")
        for kw in call.keywords:
            if kw.arg is not None and kw.arg not in fields:
                walk.report(line, "E1123", f"Unexpected keyword argument {kw.arg!r} in constructor call")


def _classmethod_class(scope: Scope, name: str) -> Class | None:
    """The class of a classmethod whose first parameter ``name`` is (never rebound) in its
    body: astroid infers ``cls(...)`` there as a call of that class (pydantic networks.py
    ``return cls(None, hosts=...)`` once the subclass's ``__init__`` taking ``hosts`` is gone)."""
    func = scope.func
    if scope.kind != "function" or func is None or func.cls is None or name != func.self_name:
        return None
    if not is_classmethod(func.node) or scope.counts.get(name) != 1:
        return None
    return func.cls


def check_method_calls(walk: Walker, model: ClassModel) -> None:
    """E1120/E1121/E1123 for calls of a program method (through ``self`` or an instance)
    or function whose signature no longer fits: an override was deleted, or a parameter
    line of a signature written one parameter a line."""
    for scope, call, line in walk.constructor_calls:
        # (``**kw`` too: pylint still counts the positional arguments, E1121 and E1123;
        # ``_check_arguments`` leaves E1120 alone then)
        target = model.named_function(scope, call.func.id)  # type: ignore[attr-defined]
        if target is not None and not target.node.decorator_list and type(target.node) is not ast.Lambda:  # type: ignore[attr-defined]
            _check_arguments(walk, call, line, target.node, skip_first=False, what="function call")
    if not walk.classes:
        return  # only program methods are checked
    for scope, call, line in walk.method_calls:
        if any(type(a) is ast.Starred for a in call.args):
            continue
        target = model.call_target(scope, call.func)
        if target is None:
            _check_unbound_call(walk, model, scope, call, line)
            continue
        if target.cls is None:
            continue
        decorators = [last_name(d) for d in target.node.decorator_list]  # type: ignore[attr-defined]
        if any(d not in ("classmethod", "staticmethod") for d in decorators):
            continue
        what = f"{decorators[0]} call" if decorators else "method call"
        _check_arguments(walk, call, line, target.node, skip_first="staticmethod" not in decorators, what=what)


def _check_unbound_call(walk: Walker, model: ClassModel, scope: Scope, call: ast.Call, line: int) -> None:
    """``Base.__init__(self, a, b)`` (``Cls.method(obj, ...)``): the method of a program class
    called through the class, its first parameter passed explicitly; E1121 once the
    ``__init__`` it reached was deleted and an ancestor's, with fewer parameters, runs."""
    func = call.func
    if type(func) is not ast.Attribute or type(func.value) is not ast.Name:
        return
    cls = model.named_class(scope, func.value.id)
    if cls is None:
        return
    if func.attr == "__init__":
        target = model.plain_init(cls)
    else:
        target = model.find_method(cls, func.attr, frozenset())
    if target is None or target.node.decorator_list:  # type: ignore[attr-defined]
        return
    if target.cls is not None and target.cls.scope.counts.get(target.node.name) != 1:  # type: ignore[attr-defined, union-attr]
        return  # (``get_value = classmethod(get_value)`` after the def; None: an imported ``__init__``)
    _check_arguments(walk, call, line, target.node, skip_first=False, what="unbound method call")


def _check_arguments(
    walk: Walker, call: ast.Call, line: int, func: ast.AST, skip_first: bool, what: str
) -> None:
    """Whether a call's arguments fit a definition's parameters (``skip_first``: ``self``;
    ``line``: the call's line in the state)."""
    args: ast.arguments = func.args  # type: ignore[attr-defined]
    positional = [a.arg for a in (*args.posonlyargs, *args.args)]
    if skip_first:
        if not positional:
            return
        positional = positional[1:]
    if any(type(a) is ast.Starred for a in call.args):
        return
    if args.vararg is None and len(call.args) > len(positional):
        walk.report(line, "E1121", f"Too many positional arguments for {what}")
    named = set(positional[len(call.args):]) | {a.arg for a in args.kwonlyargs}
    named -= {a.arg for a in args.posonlyargs}
    filled = set(positional[: len(call.args)]) - {a.arg for a in args.posonlyargs}
    for kw in call.keywords:
        if kw.arg in filled:  # ``Mixin(reader, cb, loop=loop)`` reaching ``__init__(self, loop)``
            walk.report(line, "E1124", f"Argument {kw.arg!r} passed by position and keyword in {what}")
    if args.kwarg is None:
        for kw in call.keywords:
            if kw.arg is not None and kw.arg not in named and kw.arg not in positional:
                walk.report(line, "E1123", f"Unexpected keyword argument {kw.arg!r} in {what}")
    if any(k.arg is None for k in call.keywords):
        return
    given = {k.arg for k in call.keywords}
    required = positional[len(call.args): len(positional) - len(args.defaults)]
    required += [a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is None]
    for name in required:
        if name not in given:
            walk.report(line, "E1120", f"No value for argument {name!r} in {what}")


# ---- results of calls -----------------------------------------------------------------------
def check_assign_calls(walk: Walker, model: ClassModel) -> None:
    """Results of program functions that return nothing, assigned, subscripted or iterated."""
    for scope, func_expr, line, how in walk.assign_calls:
        target = (
            model.call_target(scope, func_expr)
            or model.only_method(scope, func_expr)
            or model.returned_function(scope, func_expr)
        )
        if how == "unpack":
            # pylint infers through classmethod/staticmethod too (E0633, not E1111), and
            # through ``return null_space(...)`` once that returns nothing
            if target is not None and model.result_is_none(target):
                walk.report(line, "E0633", "Attempting to unpack a non-sequence")
            continue
        if target is not None and how in ("subscript", "iteration") and target.coroutine_returns_nothing():
            walk.report(line, *_NO_RESULT_USES[how])
            continue
        if target is not None and how in ("subscript", "iteration", "membership") and target.returns_value:
            if model.result_is_none(target):  # through functions that return calls
                walk.report(line, *_NO_RESULT_USES[how])
            continue
        if target is None or target.returns_value:
            continue
        if how in _NO_RESULT_USES:
            # (inferred: a function whose body ends in a ``raise`` still gives ``None``)
            if not target.node.decorator_list and target.returns_nothing():  # type: ignore[attr-defined]
                walk.report(line, *_NO_RESULT_USES[how])
            continue
        if target.ignored():
            continue
        if target.returns_none:
            walk.report(line, "E1128", "Assigning result of a function call, where the function returns None")
        else:
            walk.report(line, "E1111", "Assigning result of a function call, but the function returns None")


def check_value_uses(walk: Walker, model: ClassModel) -> None:
    """A function used as a value it cannot be: the binding that shadowed it is gone.

    Deleting ``sum = [0] * n`` leaves ``sum[i]`` pointing at the builtin function, and
    deleting ``f = [1] * n`` inside ``def f`` leaves ``f[i]`` pointing at the function
    itself; pylint reports both (E1136/E1137/E1133). Variables that hold ``None`` (every
    assignment, or the result of a function that returns nothing) and instances of program
    classes without the needed special method are reported too.
    """
    for scope, name, line, how in walk.early_none_uses:
        # (every binding of it ``None``: the check below)
        if scope.counts.get(name) != scope.nones.get(name) and name not in walk.nonlocal_names:
            if not none_guarded(scope.func, name, line):  # type: ignore[arg-type]
                report_none_use(walk, name, line, how)
    if walk.module.star:
        return
    for scope, name, line, how in walk.value_uses:
        _check_value_use(walk, model, scope, name, line, how)


def none_guarded(func: Function, name: str, line: int, member: bool = False) -> bool:
    """Whether the use of ``name`` (``member``: of ``self.name``) on ``line`` stands under
    an ``if``/``while`` (or a conditional expression) whose test constrains it: ``name is
    not None``, ``name``, ``isinstance(name, ...)``; astroid then drops the ``None`` it
    would infer."""
    offset = func.offset
    for node in own_nodes(func.node):
        if type(node) not in (ast.If, ast.While, ast.IfExp):
            continue
        if not node.lineno + offset <= line <= node.end_lineno + offset:  # type: ignore[attr-defined, operator]
            continue
        for sub in ast.walk(node.test):  # type: ignore[attr-defined]
            if member:
                hit = (
                    type(sub) is ast.Attribute and sub.attr == name
                    and type(sub.value) is ast.Name and sub.value.id == func.self_name
                )
            else:
                hit = type(sub) is ast.Name and sub.id == name
            if hit and _constraint(node.test, sub):  # type: ignore[attr-defined, arg-type]
                return True
    return False


def _constraint(test: ast.expr, name: ast.expr) -> bool:
    """Whether ``name`` appears in ``test`` as what a guard tests (not ``name.attr``...)."""
    for sub in ast.walk(test):
        if type(sub) is ast.Compare and (sub.left is name or name in sub.comparators):
            if all(type(op) in (ast.Is, ast.IsNot, ast.Eq, ast.NotEq) for op in sub.ops):
                return True  # (not ``x in name``: that is a use)
        if type(sub) in (ast.BoolOp, ast.UnaryOp) and name in getattr(sub, "values", [getattr(sub, "operand", None)]):
            return True
        if type(sub) is ast.Call and name in sub.args:
            return True  # ``isinstance(name, ...)``, ``callable(name)``
    return test is name


def _check_value_use(walk: Walker, model: ClassModel, scope: Scope, name: str, line: int, how: str) -> None:
    s = binding_scope(scope, name)
    if s is not None and how in ("call", "subscript", "iteration") and _holds_no_result(walk, model, s, name):
        report_none_use(walk, name, line, how)  # ``d = self.compute()`` then ``d(t)``
        return
    if how in _CONTAINER_METHODS and walk.classes:
        func = s.func if s is not None else None
        if s is not None and func is not None and func.cls is not None and name == func.self_name and func.takes_instance():
            cls = func.cls if s.counts.get(name) == 1 else None  # ``for fs in self:`` in a method
        else:
            owner = model.owner_of(scope, name)
            cls = owner.cls if owner is not None and owner.kind == "instance" else None
        if cls is not None:
            # an instance of a program class that lost __getitem__/__setitem__/__iter__
            names = model.members(cls)
            if names is not None and not any(n in names for n in _CONTAINER_METHODS[how]):
                report_none_use(walk, name, line, how)
            return
    if how in ("call", "with") and not walk.has_nones:
        return  # (most programs: only the None check reads these)
    if s is not None and name not in walk.nonlocal_names and s.nones.get(name) == s.counts.get(name):
        report_none_use(walk, name, line, how)  # every binding of it is ``= None``
        return
    if how not in ("call", "with"):
        _check_function_as_value(walk, s, name, line, how)


def _holds_no_result(walk: Walker, model: ClassModel, s: Scope, name: str) -> bool:
    """Whether ``name`` is bound once, to the result of a function that returns nothing
    (or only calls of such functions: ``samples = sample_iter(...)`` whose ``return gen()``
    calls a nested ``def`` that lost its ``yield``)."""
    if s.counts.get(name) != 1 or name not in s.call_values or name in walk.nonlocal_names:
        return False
    target = model.call_target(s, s.call_values[name])
    return target is not None and model.result_is_none(target)


def _check_function_as_value(walk: Walker, s: Scope | None, name: str, line: int, how: str) -> None:
    """A builtin (``s`` is None) or a ``def`` subscripted, assigned into or iterated."""
    if s is None:
        obj = getattr(builtins, name, None)
        if isinstance(obj, type) and how == "subscript" and not hasattr(obj, "__class_getitem__"):
            # ``bytes[4:]`` once ``bytes = self.bytes`` is gone: not a generic alias.
            walk.report(line, "E1136", f"Value {name!r} is unsubscriptable")
            return
        if obj is None or (isinstance(obj, type) and how != "item assignment"):
            return  # unknown (E0602 already) or a type: list[int], iter(range)
    elif s.counts.get(name) != s.defs.get(name):
        return  # bound to a value somewhere: not only a def
    if how == "iteration":
        code = "E1133"
    else:
        code = "E1136" if how == "subscript" else "E1137"
    walk.report(line, code, f"function {name!r} used in {how}")
