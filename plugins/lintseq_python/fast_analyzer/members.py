"""Class and instance members: E1101, W0231, E0203 and ``self.x`` left only ``None``.

Deleting an assignment ``self.x = ...`` or a method leaves reads of that member behind;
deleting ``super().__init__()`` leaves a base uninitialised. These checks run once the
whole program is walked, because a member may be defined in any method or base class.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from lintseq_python.fast_analyzer.model import Class, Function, binding_scope, count
from lintseq_python.fast_analyzer.shapes import base_expr, last_name
from lintseq_python.fast_analyzer.values import report_none_use
from lintseq_python.imported import is_submodule, module_members

if TYPE_CHECKING:
    from lintseq_python.fast_analyzer.classes import ClassModel
    from lintseq_python.fast_analyzer.flow import Walker
    from lintseq_python.fast_analyzer.model import Scope

__all__ = ["check_access_before_definition", "check_members", "check_none_attributes"]

Path = tuple[tuple[int, str], ...]


def check_members(walk: Walker, model: ClassModel) -> None:
    """E1101 for members no class defines any more; W0231 for a base ``__init__`` not called."""
    _check_augmented_members(walk, model)
    _check_new_instance_members(walk, model)
    _check_super_members(walk, model)
    _check_result_members(walk, model)
    _check_member_members(walk, model)
    _check_attribute_reads(walk, model)
    _check_echo_reads(walk, model)
    _check_base_inits(walk, model)


def _check_augmented_members(walk: Walker, model: ClassModel) -> None:
    """``self.n += 1`` with no assignment of ``n`` left, even under an unknown base."""
    for scope, var, attr, line in walk.aug_attr_uses:
        func = scope.func
        if func is None or func.cls is None or var != func.self_name:
            continue
        cls = func.cls
        if model.members(cls) is not None or attr in cls.scope.bound or attr in cls.self_attrs:  # type: ignore[union-attr]
            continue  # (known members: the general check below)
        if attr in cls.echo_attrs or attr in cls.outside_attrs:
            continue
        if attr not in model.base_members(cls) and not cls.node.keywords:
            walk.report(line, "E1101", f"Instance of {cls.node.name!r} has no {attr!r} member")


def _check_new_instance_members(walk: Walker, model: ClassModel) -> None:
    """``Cls(...).x`` where the program class ``Cls`` defines no ``x``."""
    for scope, name, attr, line in walk.new_attr_uses:
        cls = model.named_class(scope, name)
        if cls is not None:
            _report_missing_member(walk, model, cls, attr, line)


def _check_result_members(walk: Walker, model: ClassModel) -> None:
    """``self.m().x`` (or ``f().x``) where every ``return`` of the program function
    reached gives ``Cls(...)`` of a program class that defines no ``x`` (a method deleted:
    ``self.vector_part().norm()``, sympy quaternion.py)."""
    if not walk.classes:
        return
    for scope, func_expr, attr, line in walk.result_attr_uses:
        target = model.call_target(scope, func_expr)
        if target is None:
            continue
        cls = model.result_class(target)
        if cls is not None:
            _report_missing_member(walk, model, cls, attr, line)


def _check_member_members(walk: Walker, model: ClassModel) -> None:
    """``self.x.attr`` where every assignment of ``self.x`` in the class is ``None`` or a
    call that gives an instance of a program class without ``attr``: ``Cls(...)``, or a
    function whose every ``return`` gives one (``self.analysis =
    self.analyze_scalar(...)``, pyyaml emitter.py). astroid infers ``self.x`` from all its
    assignments in the class, whichever method reads it."""
    if not walk.member_attr_uses or not walk.member_calls:
        return
    calls: dict[tuple[int, str], list[tuple[Scope, ast.Call]]] = {}
    for scope, member, call in walk.member_calls:
        calls.setdefault((id(scope.func.cls), member), []).append((scope, call))  # type: ignore[union-attr]
    stores: dict[tuple[int, str], int] = {}
    for func, member, _line, _path, access in walk.self_attrs_seen:
        if not access:
            count(stores, (id(func.cls), member))
    owners: dict[tuple[int, str], list[Class] | None] = {}
    for scope, member, attr, line in walk.member_attr_uses:
        if attr.startswith("__") or attr in walk.deep_stores:
            continue
        cls = scope.func.cls  # type: ignore[union-attr]
        key = (id(cls), member)
        if key not in owners:
            owners[key] = _member_classes(walk, model, cls, member, calls.get(key), stores.get(key, 0))  # type: ignore[arg-type]
        found = owners[key]
        if not found:
            continue
        known = [model.members(c) for c in found]
        if all(names is not None and attr not in names for names in known):
            walk.report(line, "E1101", f"Instance of {found[0].node.name!r} has no {attr!r} member")


def _member_classes(
    walk: Walker, model: ClassModel, cls: Class, member: str, calls: list[tuple[Scope, ast.Call]] | None, stores: int
) -> list[Class] | None:
    """The program classes ``self.<member>`` can be an instance of, when every assignment
    of it in ``cls`` is ``None`` or a call that gives one (None: anything else)."""
    if not calls or member in cls.scope.bound or member in cls.outside_attrs or member in cls.echo_attrs:  # type: ignore[union-attr]
        return None
    nones = walk.none_member_stores.get((id(cls), member), 0)
    if len(calls) + nones != stores:
        return None  # (assigned something else too: a tuple unpacked, an annotation...)
    inherited = model.bases_members(cls)
    if inherited is None or member in inherited:
        return None
    found: list[Class] = []
    for scope, call in calls:
        func = call.func
        target = model.named_class(scope, func.id) if type(func) is ast.Name else None
        if target is None:
            called = model.call_target(scope, func)
            target = model.result_class(called) if called is not None else None
        if target is None:
            return None
        found.append(target)
    return found


def _report_missing_member(walk: Walker, model: ClassModel, cls: Class, attr: str, line: int) -> None:
    """E1101 for ``attr`` read on an instance of ``cls`` when its members are all known and
    none is ``attr``."""
    names = model.members(cls)
    if names is not None and attr not in names:
        walk.report(line, "E1101", f"Instance of {cls.node.name!r} has no {attr!r} member")


def _check_super_members(walk: Walker, model: ClassModel) -> None:
    """``super().x`` (or ``super(Cls, self).x`` in a method of ``Cls``) where no base of
    the method's class defines ``x`` (a method the base lost); unknown bases: nothing, and
    nothing in a ``try`` that catches AttributeError (as pylint)."""
    for scope, call, attr, line in walk.super_attr_uses:
        func = scope.func
        if func is None or func.cls is None or call.keywords:
            continue
        cls = func.cls
        if cls.node.name.lower().endswith("mixin"):
            continue  # (pylint leaves mixins alone: their bases come from elsewhere)
        if call.args and not (
            len(call.args) == 2 and type(call.args[0]) is ast.Name and call.args[0].id == cls.node.name
        ):
            continue
        names = model.bases_members(cls)
        if names is not None and attr not in names:
            walk.report(line, "E1101", f"Super of {cls.node.name!r} has no {attr!r} member")


def _check_attribute_reads(walk: Walker, model: ClassModel) -> None:
    """``self.x``, ``obj.x`` (an instance of a program class) and ``Cls.x`` read."""
    for scope, var, attr, line in walk.attr_uses:
        func = scope.func
        cls: Class | None = None
        instance = True
        if func is not None and func.cls is not None and var == func.self_name:
            cls = func.cls
        else:
            owner = model.owner_of(scope, var)
            if owner is None:
                _check_packed_argument(walk, scope, var, attr, line)
                if walk.imports:
                    _check_module_member(walk, model, scope, var, attr, line)
                continue
            cls, instance = owner.cls, owner.kind != "class_name"
        if cls is None:
            continue
        names = model.members(cls, instance=instance)
        if names is not None and attr not in names:
            kind = "Instance of" if instance else "Class"
            walk.report(line, "E1101", f"{kind} {cls.node.name!r} has no {attr!r} member")


def _check_echo_reads(walk: Walker, model: ClassModel) -> None:
    """``b1._bakery = self._bakery`` (sqlalchemy ext/baked.py ``_clone``, ``b1`` made by
    ``BakedQuery.__new__``) once ``self._bakery = bakery`` is deleted: pylint skips the
    assignment that holds the read when it looks for the member, so the read is E1101
    when that is its class's only assignment of it."""
    for scope, _var, attr, line in walk.echo_reads:
        cls = scope.func.cls  # type: ignore[union-attr]
        names = model.members(cls)  # type: ignore[arg-type]
        if names is None:
            continue
        if attr in names and (
            attr in cls.self_attrs  # type: ignore[union-attr]
            or cls.echo_attrs.get(attr, 0) > 1  # type: ignore[union-attr]
            or attr in cls.scope.bound  # type: ignore[union-attr]
            or attr in cls.outside_attrs  # type: ignore[union-attr]
            or attr in (model.bases_members(cls) or {attr})  # type: ignore[arg-type]
        ):
            continue
        walk.report(line, "E1101", f"Instance of {cls.node.name!r} has no {attr!r} member")  # type: ignore[union-attr]


_PACKED_MEMBERS = {"tuple": frozenset(dir(tuple)), "dict": frozenset(dir(dict))}


def _check_packed_argument(walk: Walker, scope: Scope, var: str, attr: str, line: int) -> None:
    """``features.reverse()`` where ``features`` is only a function's ``*features`` (a
    tuple; ``**kwargs``: a dict): the ``features = list(features)`` that rebound it was
    deleted (bs4 builder/__init__.py)."""
    s = binding_scope(scope, var)
    if s is None or s.func is None or s.counts.get(var) != 1 or var in walk.nonlocal_names:
        return
    args = getattr(s.func.node, "args", None)
    if args is None:
        return
    for packed, kind in ((args.vararg, "tuple"), (args.kwarg, "dict")):
        if packed is not None and packed.arg == var and attr not in _PACKED_MEMBERS[kind]:
            walk.report(line, "E1101", f"Instance of {kind!r} has no {attr!r} member")


def _check_module_member(walk: Walker, model: ClassModel, scope: Scope, var: str, attr: str, line: int) -> None:
    """``mod.x`` where ``mod`` is only a module-level import of a module whose source
    binds no ``x`` (``debugger.run(...)`` once ``debugger = self.debugger`` that shadowed
    ``from idlelib import debugger`` is deleted, cpython idlelib/pyshell.py)."""
    if attr.startswith("__") or var in walk.nonlocal_names:
        return
    module = model.module
    if binding_scope(scope, var) is not module or module.counts.get(var) != 1:
        return
    source, name = walk.imports.get(var, ("", None))
    if name is not None:  # ``from package import module``: only when it is a submodule
        package = module_members(source)
        if package is None or name in package or not is_submodule(source, name):
            return
        source = f"{source}.{name}"
    members = module_members(source)
    if members is None or attr in members or is_submodule(source, attr):
        return
    walk.report(line, "E1101", f"Module {source!r} has no {attr!r} member")


def _check_base_inits(walk: Walker, model: ClassModel) -> None:
    """W0231: an ``__init__`` that calls no base ``__init__`` while a base has one; with
    ``Base.__init__(self)`` calls, one that does not call a base that has one
    (``RequestMethods.__init__(self, headers)`` left alone once ``ConnectionPool.__init__``
    is deleted, urllib3 connectionpool.py)."""
    for group in walk.classes.values():
        for cls in group:
            init = cls.methods.get("__init__")
            if init is None or cls.init_calls_base:
                continue
            bases = [base_expr(b) for b in cls.node.bases]
            called = cls.init_called
            if called and not called <= {last_name(b) for b in bases}:
                continue  # (another class's ``__init__``: unknown)
            for base in bases:
                if called and (last_name(base) in called or _inherits_init(model, base, cls)):
                    continue
                if model.base_has_init(base, cls):
                    walk.report(
                        init.line,
                        "W0231",
                        f"__init__ method from base class {ast.unparse(base)!r} is not called",
                    )
                    break


def _inherits_init(model: ClassModel, base: ast.expr, cls: Class) -> bool:
    """Whether ``base`` is a program class without its own ``__init__`` (pylint: nothing to
    report once the class that defines the one it inherits had its ``__init__`` called)."""
    base_cls = model.program_base(base, cls)
    return base_cls is not None and "__init__" not in base_cls.methods


def check_none_attributes(walk: Walker, model: ClassModel) -> None:
    """``self.x`` used as an iterable, container, function or context manager when every
    assignment of it left in the class is ``self.x = None``."""
    if not walk.self_value_uses:
        return
    stores: dict[tuple[int, str], int] = {}
    for func, attr, _line, _path, access in walk.self_attrs_seen:
        if not access:
            count(stores, (id(func.cls), attr))
    for func, attr, line, how in walk.self_value_uses:
        cls = func.cls
        assert cls is not None and cls.scope is not None
        key = (id(cls), attr)
        in_class = cls.scope.counts.get(attr, 0) if attr in cls.scope.bound else 0
        if in_class != cls.scope.nones.get(attr, 0):
            continue  # the class body binds it to something else (a method...)
        if key in stores:
            if key not in walk.none_attrs or walk.none_member_stores.get(key, 0) != stores[key]:
                continue
        elif not in_class:
            continue
        if attr in model.base_members(cls):
            continue
        report_none_use(walk, f"self.{attr}", line, how)


def check_access_before_definition(walk: Walker, model: ClassModel) -> None:
    """pylint's E0203: ``self.x`` read in a method before the method assigns it, when
    that method is the only one that assigns it and no class or base defines it."""
    defs: dict[tuple[int, str], list[tuple[Function, int, Path]]] = {}
    for func, attr, line, path, access in walk.self_attrs_seen:
        if not access:
            defs.setdefault((id(func.cls), attr), []).append((func, line, path))
    base_names: dict[int, set[str]] = {}
    for func, attr, line, path, access in walk.self_attrs_seen:
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
            base_names[key] = model.base_members(cls)
        if attr in base_names[key]:
            continue
        walk.report(line, "E0203", f"Access to member {attr!r} before its definition line {def_line}")


def _exclusive(a: Path, b: Path) -> bool:
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
