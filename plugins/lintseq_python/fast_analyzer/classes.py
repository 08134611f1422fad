"""What the program's classes are, once the walk is done: members, methods, call targets.

The checks of ``members`` and ``values`` ask the same questions: which program class does
this name (or this variable's instance) refer to, what does it define with its bases, which
function does this call reach. Every answer is "unknown" (``None``) as soon as something
the walk cannot see could change it (an unresolved base, a rebinding, ``__getattr__``), and
the checks then report nothing.
"""

from __future__ import annotations

import abc
import ast
from typing import TYPE_CHECKING

from lintseq_python.fast_analyzer.expressions import own_super
from lintseq_python.fast_analyzer.model import (
    SELF_ALIAS,
    Class,
    Function,
    Owner,
    Scope,
    binding_scope,
)
from lintseq_python.fast_analyzer.shapes import (
    base_expr,
    is_classmethod,
    is_overload,
    plain_keywords,
)
from lintseq_python.imported import (
    AbstractFacts,
    ClassFacts,
    abstract_members,
    class_init,
    dotted,
    module_found,
    resolve_base,
)

if TYPE_CHECKING:
    from lintseq_python.fast_analyzer.flow import Walker

__all__ = ["TYPE_MEMBERS", "ClassModel"]

TYPE_MEMBERS = frozenset(dir(type)) | frozenset(dir(object))
ABCMETA_MEMBERS = frozenset(dir(abc.ABCMeta))  # ``Cls.register`` of an ABCMeta class


class ClassModel:
    """Questions about the program's classes, answered from a finished walk."""

    def __init__(self, walk: Walker) -> None:
        self.module = walk.module
        self.classes = walk.classes
        self.imports = walk.imports
        self.nonlocal_names = walk.nonlocal_names
        self.new_instances = walk.new_instances
        self.resolving: set[tuple[int, str]] = set()  # variables whose call result is being resolved
        self.method_owners: dict[str, list[Function]] | None = None  # method name -> methods
        self.abstract: dict[int, AbstractFacts | None] = {}  # id of a class -> its abstract facts
        self.tree = walk.tree
        self.relative_names: set[str] | None = None  # module names bound by relative imports
        for scope, var, attr in walk.outside_stores:
            owner = self.owner_of(scope, var)
            if owner is not None and owner.cls is not None:
                owner.cls.outside_attrs.add(attr)

    # ---- classes and their members ---------------------------------------------------------
    def module_class(self, name: str, scope: Scope | None) -> Class | None:
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

    def program_base(self, base: ast.expr, cls: Class) -> Class | None:
        """The program class a base expression of ``cls`` names (None: not a program class)."""
        if type(base) is not ast.Name:
            return None
        return self.module_class(base.id, cls.scope.parent)  # type: ignore[union-attr]

    def members(self, cls: Class, seen: frozenset[int] = frozenset(), instance: bool = True) -> set[str] | None:
        """Attributes a class and its bases define; None if unknowable.

        Imported bases are read from their module's source (see ``imported``); a base that
        cannot be resolved makes the members unknowable, and nothing is reported.
        """
        if id(cls) in seen:
            return None
        node = cls.node
        # A metaclass can give the class attributes, but astroid looks up an instance's in
        # the class and its bases only (jinja2 nodes.py: ``class Node(metaclass=NodeType)``)
        if "__getattr__" in cls.methods or "__getattribute__" in cls.methods:
            return None
        names = set(cls.scope.bound) | cls.outside_attrs | TYPE_MEMBERS  # type: ignore[union-attr]
        if instance:
            names |= cls.self_attrs | cls.echo_attrs.keys()
        else:
            if node.keywords:
                more = self.metaclass_members(cls, seen)
                if more is None:
                    return None
                names |= more
            if node.bases:
                facts = self.abstract_facts(cls)
                if facts is None or facts[1]:
                    names |= ABCMETA_MEMBERS  # (``abc.ABC``, ``collections.abc`` bases)
        inherited = self._inherited(cls, seen | {id(cls)}, instance)
        return None if inherited is None else names | inherited

    def metaclass_members(self, cls: Class, seen: frozenset[int]) -> set[str] | None:
        """What the keywords of a class statement add to the members read through the class
        (not an instance): its metaclass's; None if unknowable. ``metaclass=ABCMeta``: its
        methods (``register``); a program metaclass: what it and its bases define; one
        that astroid cannot infer (imported from a module not found here, or by a relative
        import, which a lone module cannot resolve): nothing, as pylint ignores it."""
        names: set[str] = set()
        for kw in cls.node.keywords:
            parts = dotted(kw.value) if kw.arg == "metaclass" else None
            if parts is None:
                return None
            if parts[-1] == "ABCMeta":
                names |= ABCMETA_MEMBERS
                continue
            meta = self.module_class(parts[0], cls.scope.parent) if len(parts) == 1 else None
            if meta is not None:
                more = self.members(meta, seen | {id(cls)})
                if more is None:
                    return None
                names |= more
            elif not self.uninferable_import(parts[0], cls.scope.parent):  # type: ignore[arg-type]
                return None
        return names

    def uninferable_import(self, name: str, scope: Scope) -> bool:
        """Whether ``name`` is a module name bound once, by an import astroid cannot follow."""
        module = self.module
        if binding_scope(scope, name) is not module or module.counts.get(name) != 1 or name in self.nonlocal_names:
            return False
        if name in self.imports:
            return not module_found(self.imports[name][0])
        if self.relative_names is None:
            self.relative_names = set()
            todo = list(self.tree.body)
            while todo:
                stmt = todo.pop()
                if type(stmt) is ast.ImportFrom and stmt.level:
                    self.relative_names.update(a.asname or a.name for a in stmt.names)
                elif type(stmt) in (ast.If, ast.Try):
                    for block in ("body", "orelse", "finalbody", "handlers"):
                        todo.extend(getattr(stmt, block, ()))
                elif type(stmt) is ast.ExceptHandler:
                    todo.extend(stmt.body)
        return name in self.relative_names

    def bases_members(self, cls: Class) -> set[str] | None:
        """What the bases of a class define, instance attributes included; None if any
        base is unknowable (``super().x``)."""
        if not plain_keywords(cls.node):
            return None
        inherited = self._inherited(cls, frozenset({id(cls)}), True)
        return None if inherited is None else set(TYPE_MEMBERS) | inherited

    def _inherited(self, cls: Class, seen: frozenset[int], instance: bool) -> set[str] | None:
        """The union of what the bases of ``cls`` define; None if any base is unknowable."""
        names: set[str] = set()
        for base in map(base_expr, cls.node.bases):
            base_cls = self.program_base(base, cls)
            if base_cls is not None:
                more = self.members(base_cls, seen, instance)
                if more is None:
                    return None
                names |= more
                continue
            facts = self.external_base(base, cls)
            if facts is None:
                return None
            names |= facts[0]
        return names

    def base_members(self, cls: Class) -> set[str]:
        """What the bases of a class define, as far as it is known (unknown bases: nothing)."""
        names: set[str] = set(TYPE_MEMBERS)
        for base in map(base_expr, cls.node.bases):
            base_cls = self.program_base(base, cls)
            if base_cls is not None:
                names |= self.members(base_cls) or (
                    base_cls.self_attrs | base_cls.echo_attrs.keys() | base_cls.outside_attrs | base_cls.scope.bound  # type: ignore[union-attr, operator]
                )
                continue
            facts = self.external_base(base, cls)
            if facts is not None:
                names |= facts[0]
        return names

    def external_base(self, base: ast.expr, cls: Class) -> ClassFacts | None:
        """Facts of a base that is not a program class: imported or builtin."""
        parts = dotted(base)
        if parts is None:
            return None
        binding = binding_scope(cls.scope.parent, parts[0])  # type: ignore[arg-type]
        if binding is None:
            return resolve_base(parts, {})  # a builtin
        if binding is not self.module or self.module.counts.get(parts[0]) != 1 or parts[0] not in self.imports:
            return None
        return resolve_base(parts, self.imports)

    def abstract_facts(self, cls: Class, seen: frozenset[int] = frozenset()) -> AbstractFacts | None:
        """(abstract methods left unimplemented, metaclass is ABCMeta) of a program class,
        through program and imported bases (``imported.abstract_facts``); None: unknown."""
        key = id(cls)
        if key in self.abstract:
            return self.abstract[key]
        if key in seen:
            return None
        outer = cls.scope.parent  # type: ignore[union-attr]

        def base_facts(parts: list[str]) -> AbstractFacts | None:
            if len(parts) == 1:
                base_cls = self.module_class(parts[0], outer)
                if base_cls is not None:
                    return self.abstract_facts(base_cls, seen | {key})
            binding = binding_scope(outer, parts[0])  # type: ignore[arg-type]
            if binding is None:
                return resolve_base(parts, {}, abstract=True)  # a builtin
            if binding is not self.module or self.module.counts.get(parts[0]) != 1 or parts[0] not in self.imports:
                return None
            return resolve_base(parts, self.imports, abstract=True)

        facts = abstract_members(cls.node, base_facts)
        self.abstract[key] = facts
        return facts

    def base_has_init(self, base: ast.expr, cls: Class) -> bool:
        """Whether a base defines an ``__init__`` that a subclass's ``__init__`` should call."""
        base_cls = self.program_base(base, cls)
        if base_cls is not None:
            return self.has_init(base_cls, frozenset())
        facts = self.external_base(base, cls)
        return facts is not None and facts[1]

    def has_init(self, cls: Class, seen: frozenset[int]) -> bool:
        """Whether a program base class has an ``__init__`` to call. Like pylint, a base
        whose own ancestry is unknown (an unresolved import) is taken to have one."""
        if "__init__" in cls.methods:
            return True
        if id(cls) in seen:
            return False
        for base in map(base_expr, cls.node.bases):
            base_cls = self.program_base(base, cls)
            if base_cls is not None:
                if self.has_init(base_cls, seen | {id(cls)}):
                    return True
                continue
            facts = self.external_base(base, cls)
            if facts is None or facts[1]:
                return True
        return False

    def plain_init(self, cls: Class) -> Function | None:
        """The ``__init__`` a call of a program class runs, when nothing else can change it:
        no decorators, metaclass or ``__new__`` on the way, every base a program class."""
        seen: set[int] = set()
        todo = [cls]
        while todo:
            c = todo.pop(0)
            if id(c) in seen:
                continue
            seen.add(id(c))
            settled, init = self._own_init(c)
            if settled:
                return init
            for base in map(base_expr, c.node.bases):
                base_cls = self.program_base(base, c)
                if base_cls is None:
                    return self._first_base_init(cls)
                todo.append(base_cls)
        return None

    @staticmethod
    def _own_init(c: Class) -> tuple[bool, Function | None]:
        """One class of a walk for the ``__init__`` a call runs: ``(True, init)`` when ``c``
        settles it (its own undecorated ``__init__``; None when a decorator, metaclass,
        ``__new__`` or decorated ``__init__`` may change what runs), ``(False, None)`` when
        the walk goes on to its bases."""
        node = c.node
        if node.keywords or node.decorator_list or "__new__" in c.methods:
            return True, None
        init = c.methods.get("__init__")
        if init is None:
            return False, None
        return True, (init if not init.node.decorator_list else None)  # type: ignore[attr-defined]

    def _first_base_init(self, cls: Class) -> Function | None:
        """The ``__init__`` of ``cls``'s first base (or that base's only base...) when it
        comes in the MRO before the bases that are not program classes: ``class
        StreamReaderProtocol(FlowControlMixin, protocols.Protocol)`` without its own
        ``__init__`` runs ``FlowControlMixin.__init__`` (asyncio streams.py). Only the
        first base of ``cls``, and past it only while every class has one base: there the
        MRO's order is certain."""
        c = cls
        single = True  # every class so far has one base
        while True:
            settled, init = self._own_init(c)
            if settled:
                return init
            node = c.node
            if not node.bases or not single:
                return None
            single = len(node.bases) == 1
            base_cls = self.program_base(base_expr(node.bases[0]), c)
            if base_cls is None:
                return self._external_init(base_expr(node.bases[0]), c) if single else None
            c = base_cls

    def _external_init(self, base: ast.expr, cls: Class) -> Function | None:
        """The ``__init__`` an imported base (the only base of ``cls``) gives a call
        (``imported.class_init``: ``DatagramHandler(SocketHandler)`` whose own ``__init__``
        was deleted runs ``logging.Handler.__init__``, which takes no host)."""
        parts = dotted(base)
        if parts is None or parts[0] not in self.imports:
            return None
        if binding_scope(cls.scope.parent, parts[0]) is not self.module or self.module.counts.get(parts[0]) != 1:  # type: ignore[arg-type]
            return None
        module, name = self.imports[parts[0]]
        if name is not None:
            if len(parts) == 1:
                init = class_init(module, name)
                return Function(init, None) if init is not None else None
            module = f"{module}.{name}"
        rest = parts[1:]
        if not rest:
            return None
        init = class_init(".".join([module, *rest[:-1]]), rest[-1])
        return Function(init, None) if init is not None else None

    # ---- what a name holds ------------------------------------------------------------------
    def owner_of(self, scope: Scope, var: str) -> Owner | None:
        """Whether ``var`` names a program class or a variable bound once to an instance."""
        s: Scope | None = scope
        while s is not None:
            if s.kind == "class" and s is not scope:
                s = s.parent
                continue
            if var in s.bound:
                return self.binding_owner(s, s is not scope, var)
            s = s.parent
        return None

    def binding_owner(self, s: Scope, outer: bool, var: str) -> Owner | None:
        """What the binding of ``var`` in scope ``s`` holds (``outer``: seen from a nested scope)."""
        func = s.func
        if outer and func is not None and func.cls is not None and var == func.self_name:
            return Owner("instance", func.cls)  # ``self`` of a method, read in a closure
        if s.counts.get(var) != 1:
            # rebound, but every time to a new instance of one class: still that class
            last = s.instances.get(var)
            if last is None or s.instance_counts.get(f"{var}:{last}") != s.counts.get(var):
                return None
        cls_name = s.instances.get(var)
        if cls_name == SELF_ALIAS:
            return Owner("instance", func.cls) if func is not None and func.cls is not None else None
        if cls_name is not None:
            cls = self.module_class(cls_name, s)
            if cls is None and func is not None and func.cls is not None and cls_name == func.self_name:
                if is_classmethod(func.node):
                    cls = func.cls  # ``h = cls()`` in a classmethod
            return Owner("instance", cls) if cls is not None else None
        cls = self.module_class(var, s)
        key = (id(s), var)
        if (
            cls is None
            and var in s.call_values
            and s.counts.get(var) == 1
            and var not in self.nonlocal_names
            and key not in self.resolving
        ):
            # ``point = self._clone()``: the class of the instance every return gives
            self.resolving.add(key)  # (``x = x.copy()``... resolve each variable once)
            try:
                target = self.call_target(s, s.call_values[var])
                result = self.result_class(target) if target is not None else None
            finally:
                self.resolving.discard(key)
            return Owner("instance", result) if result is not None else None
        return Owner("class_name", cls) if cls is not None else None

    def instance_class(self, scope: Scope, var: str) -> Class | None:
        """The class of the instance ``var`` holds: ``self`` in a method, or a variable."""
        func = scope.func
        if func is not None and func.cls is not None and var == func.self_name:
            return func.cls
        owner = self.owner_of(scope, var)
        return owner.cls if owner is not None and owner.kind == "instance" else None

    def named_class(self, scope: Scope, var: str) -> Class | None:
        """The program class ``var`` names (not an instance of it)."""
        owner = self.owner_of(scope, var)
        return owner.cls if owner is not None and owner.kind == "class_name" else None

    # ---- which function a call reaches ------------------------------------------------------
    def call_target(self, scope: Scope, func_expr: ast.expr) -> Function | None:
        """The program function or method a call reaches: ``f(...)``, ``self.m(...)``, ``x.m(...)``."""
        if type(func_expr) is ast.Name:
            return self.named_function(scope, func_expr.id)
        if type(func_expr) is not ast.Attribute:
            return None
        value = func_expr.value
        if type(value) is ast.Call and type(value.func) is ast.Name:
            if value.func.id != "super":
                cls = self.named_class(scope, value.func.id)  # ``Cls(...).method()``
                return self.find_method(cls, func_expr.attr, frozenset()) if cls is not None else None
            if value.args and not own_super(value, scope):
                return None
            return self.super_method(scope, func_expr.attr)
        if type(value) is ast.Name:
            cls = self.instance_class(scope, value.id)
            return self.find_method(cls, func_expr.attr, frozenset()) if cls is not None else None
        return None

    def result_is_none(self, func: Function, depth: int = 0) -> bool:
        """Whether a call of ``func`` gives ``None`` as astroid infers it: it returns nothing,
        or every ``return`` returns a call of a program function whose result is ``None``
        (``return dup_ff_div(f, g, K)`` once that lost its ``return``)."""
        if func.returns_nothing():
            return True
        if depth > 3 or func.other_returns or not func.returned_calls or func.body_scope is None:
            return False
        if not func.plain_result():
            return False
        for call in func.returned_calls:
            target = self.call_target(func.body_scope, call)
            if target is None or target is func or not self.result_is_none(target, depth + 1):
                return False
        return True

    def returned_function(self, scope: Scope, func_expr: ast.expr) -> Function | None:
        """``getter = make_attrgetter(...)`` then ``getter(item)``: the ``def`` that every
        ``return`` of the factory gives (``return attrgetter``, its nested function), as
        astroid infers a variable bound once to the factory's result; None otherwise."""
        if type(func_expr) is not ast.Name:
            return None
        name = func_expr.id
        s = binding_scope(scope, name)
        if s is None or s.counts.get(name) != 1 or name not in s.call_values or name in self.nonlocal_names:
            return None
        factory = self.call_target(s, s.call_values[name])
        if (
            factory is None
            or factory.returns_none
            or factory.returned_calls
            or factory.opaque_returns
            or len(set(factory.returned_names)) != 1
            or factory.body_scope is None
            or not factory.plain_result()
        ):
            return None
        return self.named_function(factory.body_scope, factory.returned_names[0])

    def result_class(self, func: Function) -> Class | None:
        """The program class a call of ``func`` gives an instance of, as astroid infers it:
        every ``return`` returns ``Cls(...)`` of the same program class (``return
        Quaternion(0, self.b, self.c, self.d)``); None if anything else may come back."""
        if func.opaque_returns or func.returns_none or func.body_scope is None:
            return None
        if not (func.returned_calls or func.returned_names) or not func.plain_result():
            return None
        found: Class | None = None
        for call in func.returned_calls:
            if type(call) is not ast.Name:
                return None
            cls = self.named_class(func.body_scope, call.id)
            if cls is None or (found is not None and cls is not found):
                return None
            found = cls
        for name in func.returned_names:
            cls = self.returned_instance(func, name)
            if cls is None or (found is not None and cls is not found):
                return None
            found = cls
        return found

    def returned_instance(self, func: Function, name: str) -> Class | None:
        """The class of the instance ``return name`` gives: a local bound once to
        ``Cls(...)`` or to ``Cls.__new__(Cls)`` in a method (sqlalchemy ext/baked.py
        ``_clone``: ``b1 = BakedQuery.__new__(BakedQuery)``). Not ``return self``: astroid
        then infers the caller's class, which may be a subclass."""
        scope = func.body_scope
        if scope is None or name in self.nonlocal_names or name == func.self_name:
            return None
        if scope.counts.get(name) != 1:
            return None
        if (id(scope), name) in self.new_instances:
            return func.cls
        cls_name = scope.instances.get(name)  # (not through ``binding_owner``: no recursion)
        if cls_name is None or cls_name == SELF_ALIAS:
            return None
        return self.module_class(cls_name, scope)

    def named_function(self, scope: Scope, name: str) -> Function | None:
        """The ``def`` a name is bound to (the implementation after ``typing.overload`` stubs)."""
        where = binding_scope(scope, name)
        found = where.funcs.get(name) if where is not None else None
        if (
            found
            and where is not None
            and all(is_overload(f.node) for f in found[:-1])
            and where.counts.get(name) == len(found)
            and name not in self.nonlocal_names
        ):
            return found[-1]
        return None

    def super_method(self, scope: Scope, name: str) -> Function | None:
        """``super().name()``: the first program base of the enclosing method's class that has it."""
        s: Scope | None = scope
        while s is not None and (s.func is None or s.func.cls is None):
            s = s.parent if s.kind != "module" else None
        if s is None or s.func is None or s.func.cls is None:
            return None
        cls = s.func.cls
        for base in map(base_expr, cls.node.bases):
            base_cls = self.program_base(base, cls)
            if base_cls is None:
                return None
            target = self.find_method(base_cls, name, frozenset({id(cls)}))
            if target is not None:
                return target
        return None

    def find_method(self, cls: Class, name: str, seen: frozenset[int]) -> Function | None:
        """A method of a class or, depth first, of its program bases (None when a base that
        is not a program class comes first: it may define the name)."""
        found = cls.methods.get(name)
        if found is not None or id(cls) in seen:
            return found
        if name in cls.scope.bound:  # type: ignore[union-attr]
            return None  # bound otherwise in the class body
        for base in map(base_expr, cls.node.bases):
            base_cls = self.program_base(base, cls)
            if base_cls is None:
                return None
            found = self.find_method(base_cls, name, seen | {id(cls)})
            if found is not None:
                return found
        return None

    def only_method(self, scope: Scope, func_expr: ast.expr) -> Function | None:
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
        where = binding_scope(scope, root.id)
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
