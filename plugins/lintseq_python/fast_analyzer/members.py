"""Class and instance members: E1101, W0231, E0203 and ``self.x`` left only ``None``.

Deleting an assignment ``self.x = ...`` or a method leaves reads of that member behind;
deleting ``super().__init__()`` leaves a base uninitialised. These checks run once the
whole program is walked, because a member may be defined in any method or base class.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from lintseq_python.fast_analyzer.model import SELF_ALIAS, Class, Function, binding_scope, count
from lintseq_python.fast_analyzer.shapes import base_expr, last_name
from lintseq_python.fast_analyzer.values import none_guarded, report_none_use
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
    _check_class_reads(walk, model)
    _check_alias_reads(walk, model)
    _check_echo_reads(walk, model)
    _check_base_inits(walk, model)
    _check_first_arguments(walk, model)
    _check_slots(walk, model)
    _check_literal_members(walk)


def _check_literal_members(walk: Walker) -> None:
    """``x.attr`` where every binding of ``x`` before it is a literal (``hn = 0``, ``regex =
    ''``) whose type has no ``attr``: the binding to the real value was deleted (sympy
    implicitregion.py ``hn = hn.subs(...)``)."""
    for _scope, var, kind, attr, line in walk.literal_attr_uses:
        if var not in walk.nonlocal_names:
            walk.report(line, "E1101", f"Instance of {kind.__name__!r} has no {attr!r} member")


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
    if not walk.member_attr_uses:
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
            if owners[key] is None and key not in stores:
                owners[key] = _field_class(model, cls, member)  # type: ignore[arg-type]
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
    # (astroid infers the member from the assignments of the class and of the bases it
    # can infer: a base it cannot, an unknown import, adds none; dnspython zone.py)
    if member in model.base_members(cls):
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


def _field_class(model: ClassModel, cls: Class, member: str) -> list[Class] | None:
    """``[Cls]`` for a field ``member: Cls`` (no default) of a ``@dataclass`` whose methods
    never assign it: astroid infers ``self.member`` as an instance of the annotation
    (cpython wasm_build.py ``host: Host`` then ``self.host.platform``)."""
    node = cls.node
    if not any(last_name(d) == "dataclass" for d in node.decorator_list) or member in cls.outside_attrs:
        return None
    found = None
    for stmt in node.body:
        if type(stmt) is ast.AnnAssign and type(stmt.target) is ast.Name and stmt.target.id == member:
            if stmt.value is not None or type(stmt.annotation) is not ast.Name or found is not None:
                return None
            found = model.module_class(stmt.annotation.id, cls.scope)
    if found is None or cls.scope.counts.get(member) != 1:  # type: ignore[union-attr]
        return None
    return [found]


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
                _check_function_member(walk, model, scope, var, attr, line)
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


def _check_class_reads(walk: Walker, model: ClassModel) -> None:
    """``type(self).x`` / ``self.__class__.x`` in a method: a class member (not an
    instance attribute) of the method's class that neither it nor its bases define (an
    enum member, a class constant or a method deleted)."""
    for scope, var, attr, line in walk.class_attr_uses:
        func = scope.func
        if func is None or func.cls is None or var != func.self_name or not func.takes_instance():
            continue
        if var in scope.counts and scope.counts[var] != 1:
            continue  # ``self`` rebound
        cls = func.cls
        if attr in cls.self_attrs:
            continue  # (``cls.registry = {}`` in a classmethod defines a class member)
        names = model.members(cls, instance=False)
        if names is not None and attr not in names:
            walk.report(line, "E1101", f"Class {cls.node.name!r} has no {attr!r} member")


def _check_alias_reads(walk: Walker, model: ClassModel) -> None:
    """``n = self`` then ``n.kind`` before ``n = n.parent`` (a walk up a tree, parso
    pep8.py): astroid infers ``n`` from the assignments before the read, so it is the
    method's instance (the later binding makes it unknown to ``owner_of``)."""
    for scope, var, attr, line in walk.alias_attr_uses:
        func = scope.func
        if func is None or func.cls is None or not func.takes_instance():
            continue
        if scope.instance_counts.get(f"{var}:{SELF_ALIAS}") == scope.counts.get(var):
            continue  # (every binding: the general check)
        if var in walk.nonlocal_names:
            continue
        names = model.members(func.cls)
        if names is not None and attr not in names:
            walk.report(line, "E1101", f"Instance of {func.cls.node.name!r} has no {attr!r} member")


def _check_slots(walk: Walker, model: ClassModel) -> None:
    """E0237: ``self.x = ...`` in a class whose ``__slots__`` (and its bases', all literal)
    do not list ``x``: a line of a ``__slots__`` written one name a line was deleted."""
    found: dict[int, set[str] | None] = {}
    for func, attr, line, _path, access in walk.self_attrs_seen:
        cls = func.cls
        if access or cls is None or "__slots__" not in cls.scope.bound or not func.takes_instance():  # type: ignore[union-attr]
            continue
        if id(cls) not in found:
            found[id(cls)] = _all_slots(model, cls, frozenset())
        slots = found[id(cls)]
        if slots is None or attr in slots or "__dict__" in slots:
            continue
        walk.report(line, "E0237", f"Assigning to attribute {attr!r} not defined in class slots")


def _all_slots(model: ClassModel, cls: Class, seen: frozenset[int]) -> set[str] | None:
    """The names the literal ``__slots__`` of a class and its program bases list, and the
    names their bodies bind (properties...); None if some class has none or a base is unknown."""
    if id(cls) in seen:
        return None
    slots: set[str] | None = None
    for stmt in cls.node.body:
        if type(stmt) is ast.Assign and len(stmt.targets) == 1 and type(stmt.targets[0]) is ast.Name:
            if stmt.targets[0].id == "__slots__":
                if slots is not None:
                    return None
                slots = _literal_names(stmt.value)
                if slots is None:
                    return None
    if slots is None or cls.scope.counts.get("__slots__") != 1:  # type: ignore[union-attr]
        return None
    slots |= cls.scope.bound  # type: ignore[union-attr]
    for base in map(base_expr, cls.node.bases):
        if type(base) is ast.Name and base.id == "object":
            continue
        base_cls = model.program_base(base, cls)
        more = _all_slots(model, base_cls, seen | {id(cls)}) if base_cls is not None else None
        if more is None:
            return None
        slots |= more
    return slots


def _literal_names(node: ast.expr) -> set[str] | None:
    """The strings of a literal ``"x"`` / ``("x", "y")`` / ``["x"]`` (None: anything else)."""
    if type(node) is ast.Constant:
        return {node.value} if isinstance(node.value, str) else None
    if type(node) not in (ast.Tuple, ast.List, ast.Set):
        return None
    names = set()
    for elt in node.elts:  # type: ignore[attr-defined]
        if type(elt) is not ast.Constant or not isinstance(elt.value, str):
            return None
        names.add(elt.value)
    return names


_CLASS_FIRST = frozenset({"__new__", "__init_subclass__", "__class_getitem__"})


def _check_first_arguments(walk: Walker, model: ClassModel) -> None:
    """E0213 / E0211: a method (not a static or class method, not of a metaclass) whose
    first parameter is not ``self``, or that has none: the ``self,`` line of a signature
    written one parameter a line was deleted."""
    for group in walk.classes.values():
        for cls in group:
            if _metaclass_like(model, cls, frozenset()):
                continue
            for name, func in cls.methods.items():
                node = func.node
                if name in _CLASS_FIRST or type(node) not in (ast.FunctionDef, ast.AsyncFunctionDef):
                    continue
                if cls.scope.counts.get(name) != 1:  # type: ignore[union-attr]
                    continue  # (``get_value = classmethod(get_value)`` after the def)
                if any(last_name(d) in ("staticmethod", "classmethod") for d in node.decorator_list):  # type: ignore[attr-defined]
                    continue
                args = node.args  # type: ignore[attr-defined]
                positional = [*args.posonlyargs, *args.args]
                if not (positional or args.vararg or args.kwarg):
                    walk.report(func.line, "E0211", f"Method {name!r} has no argument")
                elif not positional or positional[0].arg != "self":
                    walk.report(func.line, "E0213", f"Method {name!r} should have \"self\" as first argument")


def _metaclass_like(model: ClassModel, cls: Class, seen: frozenset[int]) -> bool:
    """Whether a class may be a metaclass (a base ``type``, ``...Meta``, or unknown that way)."""
    for base in map(base_expr, cls.node.bases):
        name = last_name(base)
        if name == "type" or name.endswith(("Meta", "MetaClass", "Metaclass", "Type")):
            return True
        base_cls = model.program_base(base, cls)
        if base_cls is not None and id(base_cls) not in seen and _metaclass_like(model, base_cls, seen | {id(cls)}):
            return True
    return False


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


_FUNCTION_MEMBERS = frozenset(dir(_check_packed_argument))


def _check_function_member(walk: Walker, model: ClassModel, scope: Scope, var: str, attr: str, line: int) -> None:
    """``rule.preconditions`` where ``rule`` is now only an undecorated program ``def``: the
    local that shadowed the function was deleted (hypothesis stateful.py); attributes
    assigned on the function (``marked.flag = True``) or through ``setattr`` count."""
    if attr in _FUNCTION_MEMBERS:
        return
    func = model.named_function(scope, var)
    if func is None or func.node.decorator_list or type(func.node) not in (ast.FunctionDef, ast.AsyncFunctionDef):  # type: ignore[attr-defined]
        return
    if any(v == var and a == attr for _s, v, a in walk.outside_stores) or attr in walk.deep_stores:
        return
    if walk.setattr_calls is None:
        walk.setattr_calls = any("setattr(" in text or "__dict__" in text for text in walk.lines)
    if walk.setattr_calls:
        return
    walk.report(line, "E1101", f"Function {var!r} has no {attr!r} member")


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
            if not _inherited_none(model, cls, attr, stores):
                continue
        elif attr in model.base_members(cls):
            continue
        if how == "membership" and none_guarded(func, attr, line, member=True):
            continue  # (``if isinstance(self.doc_files, list): ... in self.doc_files``)
        report_none_use(walk, f"self.{attr}", line, how)


def _inherited_none(model: ClassModel, cls: Class, attr: str, stores: dict[tuple[int, str], int]) -> bool:
    """``self.x`` that no method of the class (or of the bases up to the one found)
    assigns, bound ``x = None`` only in the body of the first program base that binds it,
    each class up the way having one base (sqlalchemy dml.py ``_multi_parameters``)."""
    c = cls
    for _ in range(8):
        if (id(c), attr) in stores or len(c.node.bases) != 1:
            return False
        base = model.program_base(base_expr(c.node.bases[0]), c)
        if base is None or base.scope is None:
            return False
        if attr in base.scope.bound:
            return (id(base), attr) not in stores and base.scope.counts.get(attr) == base.scope.nones.get(attr, 0)
        c = base
    return False


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
