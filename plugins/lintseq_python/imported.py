"""What imported modules provide, read statically: star-import names, class members.

The fast analyzer needs two facts about code outside the program: the names
``from m import *`` binds, and the attributes a class defined elsewhere gives its
subclasses (to tell ``self.errors`` inherited from ``codecs.IncrementalDecoder`` from an
attribute whose assignment was deleted). Like astroid, the module's source is parsed, not
executed; compiled standard-library modules are imported (that runs no user code) and
asked with ``dir``. Anything else is unknown (``None``) and the analyzer then assumes
nothing. Results are cached per process.
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import importlib.util
import os
import sys
import warnings
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType

__all__ = ["ClassFacts", "class_facts", "star_import_names"]

_OBJECT_MEMBERS = frozenset(dir(object))
_NAMEDTUPLE_MEMBERS = frozenset({"_asdict", "_field_defaults", "_fields", "_make", "_replace"})
_TYPING_BUILTINS = {"List": list, "Dict": dict, "Set": set, "FrozenSet": frozenset, "Tuple": tuple, "Type": type}
_TYPING_ABCS = frozenset({
    "AbstractSet", "AsyncGenerator", "AsyncIterable", "AsyncIterator", "Awaitable", "ByteString",
    "Collection", "Container", "Coroutine", "Generator", "Hashable", "ItemsView", "Iterable",
    "Iterator", "KeysView", "Mapping", "MappingView", "MutableMapping", "MutableSequence",
    "MutableSet", "Reversible", "Sequence", "Sized", "ValuesView",
})
_MAX_DEPTH = 6

# (members, whether a class other than object defines __init__)
ClassFacts = tuple[frozenset[str], bool]


def _find_spec(module: str) -> ModuleSpec | None:
    """Locate a module without importing its packages (``find_spec`` would run them)."""
    if not module:
        return None
    parts = module.split(".")
    try:
        spec = importlib.util.find_spec(parts[0])
        for k in range(1, len(parts)):
            if spec is None:
                return None
            where = list(spec.submodule_search_locations or ())
            if not where and (spec.origin or "").endswith("__init__.py"):
                where = [os.path.dirname(spec.origin)]  # a package re-routed by a meta path hook
            if not where:
                return None
            spec = PathFinder.find_spec(".".join(parts[: k + 1]), where)
    except (ImportError, ValueError, AttributeError):
        return None
    return spec


@functools.lru_cache(maxsize=512)
def _load(module: str) -> tuple[ast.Module | None, ModuleType | None]:
    """The parsed source of a module, or the module itself when it is compiled stdlib."""
    spec = _find_spec(module)
    if spec is None:
        return None, None
    origin = spec.origin or ""
    if origin == "frozen":  # stdlib modules frozen into the interpreter keep their source path
        origin = getattr(spec.loader_state, "filename", None) or ""
    if origin.endswith(".py"):
        try:
            with open(origin, encoding="utf-8") as f, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ast.parse(f.read()), None
        except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
            return None, None
    loaded = sys.modules.get(module)
    if loaded is None and module.partition(".")[0] in getattr(sys, "stdlib_module_names", ()):
        try:
            loaded = importlib.import_module(module)
        except ImportError:
            return None, None
    return None, loaded


@functools.lru_cache(maxsize=512)
def star_import_names(module: str, level: int = 0, depth: int = 0) -> frozenset[str] | None:
    """Names ``from module import *`` binds: a literal ``__all__``, else public top-level names."""
    if level or depth > _MAX_DEPTH:
        return None
    tree, loaded = _load(module)
    if tree is None:
        if loaded is None:
            return None
        names = getattr(loaded, "__all__", None)
        return frozenset(names if names is not None else (n for n in dir(loaded) if not n.startswith("_")))
    public: set[str] = set()
    declared: frozenset[str] | None = None
    for node in tree.body:
        if type(node) is ast.Assign and any(type(t) is ast.Name and t.id == "__all__" for t in node.targets):
            if declared is not None or type(node.value) not in (ast.List, ast.Tuple):
                return None  # a computed or re-assigned __all__
            if not all(type(e) is ast.Constant and isinstance(e.value, str) for e in node.value.elts):
                return None
            declared = frozenset(e.value for e in node.value.elts)
        elif declared is not None and "__all__" in ast.unparse(node):
            return None  # __all__ += ..., __all__.extend(...)
        public.update(_top_level_names(node, depth))
    if declared is not None:
        return declared
    if any(type(n) is ast.Name and n.id == "__all__" for n in ast.walk(tree)):
        return None  # __all__ built inside a block
    return frozenset(n for n in public if not n.startswith("_"))


def _top_level_names(node: ast.stmt, depth: int) -> set[str]:
    """Names a module-level statement binds (inside if/try/with/for, not inside defs)."""
    t = type(node)
    if t in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
        return {node.name}  # type: ignore[attr-defined]
    out: set[str] = set()
    if t in (ast.Import, ast.ImportFrom):
        for alias in node.names:  # type: ignore[attr-defined]
            if alias.name == "*":
                more = star_import_names(node.module or "", node.level, depth + 1)  # type: ignore[attr-defined]
                out |= more or set()
            else:
                out.add(alias.asname or alias.name.partition(".")[0])
        return out
    nested = False
    for field in ("body", "orelse", "finalbody", "handlers"):
        for child in getattr(node, field, ()):
            nested = True
            if type(child) is ast.ExceptHandler:
                for sub in child.body:
                    out |= _top_level_names(sub, depth)
            else:
                out |= _top_level_names(child, depth)
    targets = [getattr(node, "target", None), *getattr(node, "targets", ())]
    if not nested or t in (ast.For, ast.AsyncFor):
        for target in targets:
            if target is not None:
                out.update(sub.id for sub in ast.walk(target) if type(sub) is ast.Name)
    for item in getattr(node, "items", ()):
        if item.optional_vars is not None:
            out.update(sub.id for sub in ast.walk(item.optional_vars) if type(sub) is ast.Name)
    return out


@functools.lru_cache(maxsize=512)
def _package_of(module: str) -> str | None:
    """The package relative imports of ``module`` start from (itself for an ``__init__``)."""
    spec = _find_spec(module)
    if spec is None:
        return None
    if (spec.origin or "").endswith("__init__.py") or spec.submodule_search_locations:
        return module
    return module.rpartition(".")[0] or None


def _imports(tree: ast.Module, package: str | None = None) -> dict[str, tuple[str, str | None]]:
    """Module-level import bindings: local name -> (module, imported name or None); relative
    imports resolve against ``package`` when it is known."""
    out: dict[str, tuple[str, str | None]] = {}
    for node in tree.body:
        if type(node) is ast.Import:
            for alias in node.names:
                if alias.asname:
                    out[alias.asname] = (alias.name, None)
                else:
                    root = alias.name.partition(".")[0]
                    out[root] = (root, None)
        elif type(node) is ast.ImportFrom and (node.module or node.level):
            source = node.module
            if node.level:
                parts = package.split(".") if package else []
                if not parts or node.level - 1 >= len(parts):
                    continue
                base = ".".join(parts[: len(parts) - (node.level - 1)])
                source = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                if alias.name != "*" and source:
                    out[alias.asname or alias.name] = (source, alias.name)
    return out


def dotted(node: ast.expr) -> list[str] | None:
    """``a.b.C`` as ``["a", "b", "C"]``; None for anything but names and attributes."""
    parts: list[str] = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)  # type: ignore[attr-defined]
        node = node.value  # type: ignore[attr-defined]
    if type(node) is not ast.Name:
        return None
    parts.append(node.id)  # type: ignore[attr-defined]
    return parts[::-1]


def resolve_base(
    parts: list[str], imports: dict[str, tuple[str, str | None]], depth: int = 0
) -> ClassFacts | None:
    """Facts of a base class written ``parts`` where ``imports`` are the visible imports."""
    root = imports.get(parts[0])
    if root is None:
        if len(parts) == 1:
            obj = getattr(builtins, parts[0], None)
            if isinstance(obj, type):
                return frozenset(dir(obj)), False  # pylint asks no super().__init__ of builtins
        return None
    module, name = root
    if name is not None:  # from module import name
        if len(parts) == 1:
            return class_facts(module, name, depth + 1)
        module = f"{module}.{name}"
    rest = parts[1:]
    if not rest:
        return None
    return class_facts(".".join([module, *rest[:-1]]), rest[-1], depth + 1)


@functools.lru_cache(maxsize=1024)
def class_facts(module: str, name: str, depth: int = 0) -> ClassFacts | None:
    """(members, defines __init__) of class ``name`` of ``module``; None when unknown."""
    if depth > _MAX_DEPTH:
        return None
    if module in ("typing", "typing_extensions"):
        # typing's aliases are no class statements: read what they stand for.
        if name == "NamedTuple":
            return frozenset(dir(tuple)) | _NAMEDTUPLE_MEMBERS, False
        if name in _TYPING_BUILTINS:
            return frozenset(dir(_TYPING_BUILTINS[name])), False
        if name in _TYPING_ABCS:
            return class_facts("collections.abc", name, depth + 1)
    tree, loaded = _load(module)
    if tree is None:
        obj = getattr(loaded, name, None) if loaded is not None else None
        if not isinstance(obj, type):
            return None
        return frozenset(dir(obj)), obj.__init__ is not object.__init__  # type: ignore[misc]
    found: ast.ClassDef | None = None
    for node in tree.body:
        if type(node) is ast.ClassDef and node.name == name:
            found = node
    imports = _imports(tree, _package_of(module))
    if found is None:
        if name in imports and imports[name][1] is not None:
            return class_facts(imports[name][0], imports[name][1], depth + 1)  # type: ignore[arg-type]
        # ``collections.abc`` re-exports ``_collections_abc`` with ``from ... import *``.
        stars = [
            n.module for n in tree.body
            if type(n) is ast.ImportFrom and not n.level and n.module and any(a.name == "*" for a in n.names)
        ]
        if len(stars) == 1 and name in (star_import_names(stars[0]) or ()):
            return class_facts(stars[0], name, depth + 1)  # type: ignore[arg-type]
        # Python 3.13's ``collections.abc`` is ``sys.modules[__name__] = _collections_abc``.
        replaced_by = _module_replaced_by(tree)
        if replaced_by is not None:
            return class_facts(replaced_by, name, depth + 1)
        return None
    return _facts_of(found, module, tree, imports, depth)


def _module_replaced_by(tree: ast.Module) -> str | None:
    """The module a module puts in its own place (``sys.modules[__name__] = other``), if any."""
    imported = {a.asname or a.name: a.name for n in tree.body if type(n) is ast.Import for a in n.names}
    for node in tree.body:
        if (
            type(node) is ast.Assign
            and len(node.targets) == 1
            and type(node.targets[0]) is ast.Subscript
            and dotted(node.targets[0].value) == ["sys", "modules"]
            and type(node.targets[0].slice) is ast.Name
            and node.targets[0].slice.id == "__name__"
            and type(node.value) is ast.Name
            and node.value.id in imported
        ):
            return imported[node.value.id]
    return None


def _facts_of(
    node: ast.ClassDef, module: str, tree: ast.Module, imports: dict[str, tuple[str, str | None]], depth: int
) -> ClassFacts | None:
    if any(kw.arg != "metaclass" or (dotted(kw.value) or [""])[-1] != "ABCMeta" for kw in node.keywords):
        return None  # a metaclass may add anything (ABCMeta adds nothing)
    members = set(_OBJECT_MEMBERS)
    for stmt in node.body:
        members |= _top_level_names(stmt, depth)
        if type(stmt) is ast.AnnAssign and type(stmt.target) is ast.Name:
            members.add(stmt.target.id)
        if type(stmt) in (ast.FunctionDef, ast.AsyncFunctionDef):
            args = [*stmt.args.posonlyargs, *stmt.args.args]  # type: ignore[attr-defined]
            if args:
                me = args[0].arg
                for sub in ast.walk(stmt):
                    if (
                        type(sub) is ast.Attribute
                        and type(sub.ctx) is ast.Store
                        and type(sub.value) is ast.Name
                        and sub.value.id == me
                    ):
                        members.add(sub.attr)
    if "__getattr__" in members - _OBJECT_MEMBERS or "__getattribute__" in members - _OBJECT_MEMBERS:
        return None
    defines_init = any(
        type(s) in (ast.FunctionDef, ast.AsyncFunctionDef) and s.name == "__init__"  # type: ignore[attr-defined]
        for s in node.body
    )
    local_classes = {n.name: n for n in tree.body if type(n) is ast.ClassDef}
    for base in node.bases:
        parts = dotted(base.value if type(base) is ast.Subscript else base)  # Mapping[str, str]
        if parts is None:
            return None
        if len(parts) == 1 and parts[0] in local_classes and parts[0] not in imports:
            facts = None if local_classes[parts[0]] is node else _facts_of(
                local_classes[parts[0]], module, tree, imports, depth + 1
            )
        else:
            facts = resolve_base(parts, imports, depth)
        if facts is None:
            return None
        members |= facts[0]
        defines_init = defines_init or facts[1]
    return frozenset(members), defines_init
