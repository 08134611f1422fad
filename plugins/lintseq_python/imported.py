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

import abc
import ast
import builtins
import functools
import importlib
import importlib.util
import os
import sys
import warnings
from collections.abc import Callable
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType

__all__ = [
    "AbstractFacts", "ClassFacts", "abstract_facts", "class_facts", "class_init", "module_members", "star_import_names",
]

_OBJECT_MEMBERS = frozenset(dir(object))
_NAMEDTUPLE_MEMBERS = frozenset({"_asdict", "_field_defaults", "_fields", "_make", "_replace"})
# enum's classes have a metaclass (EnumType), which makes their facts unknown; astroid's
# enum brain gives a subclass its body's names and these (class-level reads through the
# metaclass included): ``Host.wasm64_wasi`` once that member is deleted is E1101.
_ENUM_CLASSES = frozenset({"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum"})
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
# (abstract methods no class of the ancestry implements, whether its metaclass is ABCMeta,
# the names some class of the ancestry binds otherwise)
AbstractFacts = tuple[frozenset[str], bool, frozenset[str]]
# Decorators that make a method abstract for pylint (``abc.abstractmethod``...).
ABSTRACT_DECORATORS = frozenset({"abstractmethod", "abstractproperty", "abstractclassmethod", "abstractstaticmethod"})


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


def module_found(module: str) -> bool:
    """Whether ``import module`` finds a module here (astroid can then infer its names;
    otherwise they are uninferable, and pylint ignores a metaclass it cannot infer)."""
    return _find_spec(module) is not None


@functools.lru_cache(maxsize=512)
def star_import_names(module: str, level: int = 0, depth: int = 0) -> frozenset[str] | None:
    """Names ``from module import *`` binds for pylint: the module's public top-level names.

    astroid binds every public name of the module (its ``public_names``), whatever its
    ``__all__`` says: a computed ``__all__`` (tkinter's) still leaves other names undefined
    (E0602), and a public name missing from a literal ``__all__`` is still bound.

    A relative import binds nothing: pylint lints a state as a lone module, where it goes
    beyond the top-level package (E0402), and then reports the names it would have bound
    (E0602, and E0603 for those ``__all__`` lists; pyyaml representer.py).
    """
    if level:
        return frozenset()
    if depth > _MAX_DEPTH:
        return None
    tree, loaded = _load(module)
    if tree is None:
        if loaded is None:
            return None
        return frozenset(n for n in dir(loaded) if not n.startswith("_"))
    public: set[str] = set()
    for node in tree.body:
        public.update(_top_level_names(node, depth))
    return frozenset(n for n in public if not n.startswith("_"))


@functools.lru_cache(maxsize=512)
def module_members(module: str) -> frozenset[str] | None:
    """The names astroid finds on a module read from its source: every top-level binding
    (private ones too) and the names its functions declare ``global``; None (unknown) for a
    compiled module, one with a ``*`` import of an unknown module, a module-level
    ``__getattr__``, one that binds names through ``globals().update(...)`` or one that
    replaces itself in ``sys.modules``. A package's submodules are not listed (astroid
    imports them on access: ask :func:`is_submodule`)."""
    tree, _ = _load(module)
    if tree is None or _module_replaced_by(tree) is not None:
        return None
    names: set[str] = set()
    for node in ast.walk(tree):
        t = type(node)
        if t is ast.ImportFrom and any(alias.name == "*" for alias in node.names):  # type: ignore[attr-defined]
            source = node.module or ""  # type: ignore[attr-defined]
            if node.level:  # type: ignore[attr-defined]
                package = _package_of(module)
                parts = package.split(".") if package else []
                if not parts or node.level - 1 >= len(parts):  # type: ignore[attr-defined]
                    return None
                base = ".".join(parts[: len(parts) - (node.level - 1)])  # type: ignore[attr-defined]
                source = f"{base}.{source}" if source else base
            more = star_import_names(source)
            if more is None:
                return None
            names |= more
        if t is ast.Global:
            names.update(node.names)  # type: ignore[attr-defined]
        if t is ast.Call and _updates_globals(node):  # type: ignore[arg-type]
            return None  # ``globals().update(RegexFlag.__members__)`` (re before 3.11)
        if t is ast.ClassDef and any((dotted(d) or [""])[-1] == "global_enum" for d in node.decorator_list):  # type: ignore[attr-defined]
            # ``@enum.global_enum class RegexFlag``: its members are the module's too (re.I)
            for stmt in node.body:  # type: ignore[attr-defined]
                names |= _top_level_names(stmt, _MAX_DEPTH)
    for node in tree.body:
        names |= _top_level_names(node, _MAX_DEPTH)
    if "__getattr__" in names:
        return None
    return frozenset(names)


def _updates_globals(call: ast.Call) -> bool:
    """``globals().update(...)`` or ``globals().setdefault(...)``: names bound at run time."""
    func = call.func
    return (
        type(func) is ast.Attribute
        and func.attr in ("update", "setdefault", "__setitem__")
        and type(func.value) is ast.Call
        and type(func.value.func) is ast.Name
        and func.value.func.id == "globals"
    )


@functools.lru_cache(maxsize=1024)
def is_submodule(package: str, name: str) -> bool:
    """Whether ``package.name`` is a module that can be found (not imported)."""
    return _find_spec(f"{package}.{name}") is not None


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
    parts: list[str], imports: dict[str, tuple[str, str | None]], depth: int = 0, abstract: bool = False
) -> ClassFacts | None:
    """Facts of a base class written ``parts`` where ``imports`` are the visible imports
    (``abstract``: its ``abstract_facts`` instead of its ``class_facts``)."""
    facts = abstract_facts if abstract else class_facts
    root = imports.get(parts[0])
    if root is None:
        if len(parts) == 1:
            obj = getattr(builtins, parts[0], None)
            if isinstance(obj, type):
                if abstract:
                    return frozenset(), False, frozenset(dir(obj))
                return frozenset(dir(obj)), False  # pylint asks no super().__init__ of builtins
        return None
    target = imported_name(root, parts)
    return None if target is None else facts(*target, depth + 1)


def imported_name(root: tuple[str, str | None], parts: list[str]) -> tuple[str, str] | None:
    """(module, name) that ``parts`` (``a.b.C``) names when its first part was imported as
    ``root`` (``import a`` gives ``("a", None)``, ``from m import a`` gives ``("m", "a")``)."""
    module, name = root
    if name is not None:  # from module import name
        if len(parts) == 1:
            return module, name
        module = f"{module}.{name}"
    rest = parts[1:]
    if not rest:
        return None
    return ".".join([module, *rest[:-1]]), rest[-1]


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
    if module == "enum" and name in _ENUM_CLASSES:
        return _enum_members(name), False
    tree, loaded = _load(module)
    if tree is None:
        obj = getattr(loaded, name, None) if loaded is not None else None
        if not isinstance(obj, type):
            return None
        return frozenset(dir(obj)), obj.__init__ is not object.__init__  # type: ignore[misc]
    found = _class_statement(tree, module, name, depth, abstract=False)
    if not isinstance(found, ast.ClassDef):
        return found
    return _facts_of(found, module, tree, _imports(tree, _package_of(module)), depth)


@functools.lru_cache(maxsize=1024)
def class_init(module: str, name: str, depth: int = 0) -> ast.FunctionDef | None:
    """The ``__init__`` statement a call of class ``name`` of ``module`` runs, read from the
    source: the class's own, or the first one up a chain of classes with one base each
    (``class DatagramHandler(SocketHandler)`` ... ``logging.Handler.__init__``). None when
    unknown: a metaclass, class decorator, ``__new__`` or decorated ``__init__`` on the way,
    several bases, no ``__init__`` before ``object``, a compiled or builtin class."""
    if depth > _MAX_DEPTH:
        return None
    tree, _ = _load(module)
    if tree is None:
        return None
    found: ast.ClassDef | None = None
    for node in tree.body:
        if type(node) is ast.ClassDef and node.name == name:
            found = node
    imports = _imports(tree, _package_of(module))
    if found is None:
        if name in imports and imports[name][1] is not None:
            return class_init(imports[name][0], imports[name][1], depth + 1)  # type: ignore[arg-type]
        return None
    local_classes = {n.name: n for n in tree.body if type(n) is ast.ClassDef and n.name not in imports}
    seen: set[int] = set()
    while id(found) not in seen:
        seen.add(id(found))
        if found.keywords or found.decorator_list:
            return None
        init = None
        for stmt in found.body:
            names = _top_level_names(stmt, depth)
            if "__new__" in names:
                return None
            if "__init__" in names:
                init = stmt
        if init is not None:
            return init if type(init) is ast.FunctionDef and not init.decorator_list else None
        if len(found.bases) != 1:
            return None
        base = found.bases[0]
        parts = dotted(base.value if type(base) is ast.Subscript else base)
        if parts is None or parts == ["object"]:
            return None
        if len(parts) == 1 and parts[0] in local_classes:
            found = local_classes[parts[0]]
            continue
        root = imports.get(parts[0])
        if root is None:
            return None  # a builtin base (``Exception``...) or unknown
        target = imported_name(root, parts)
        return None if target is None else class_init(*target, depth + 1)
    return None


@functools.cache
def _enum_members(name: str) -> frozenset[str]:
    """What an ``enum`` class gives its subclasses: its own names (``name``, ``value``...),
    its bases' and its metaclass's (``__members__``)."""
    import enum

    cls = getattr(enum, name, enum.Enum)
    names = set(dir(cls)) | set(dir(type(cls)))
    for c in cls.__mro__:
        names |= vars(c).keys()
    return frozenset(names)


def _class_statement(
    tree: ast.Module, module: str, name: str, depth: int, abstract: bool
) -> ast.ClassDef | ClassFacts | None:
    """The ``class name`` statement of a parsed module, or, when the module takes the class
    from elsewhere, the facts (``abstract_facts`` if ``abstract``) of where it comes from."""
    facts = abstract_facts if abstract else class_facts
    found: ast.ClassDef | None = None
    for node in tree.body:
        if type(node) is ast.ClassDef and node.name == name:
            found = node
    if found is not None:
        return found
    imports = _imports(tree, _package_of(module))
    if name in imports and imports[name][1] is not None:
        return facts(imports[name][0], imports[name][1], depth + 1)  # type: ignore[arg-type]
    # ``collections.abc`` re-exports ``_collections_abc`` with ``from ... import *``.
    stars = [
        n.module for n in tree.body
        if type(n) is ast.ImportFrom and not n.level and n.module and any(a.name == "*" for a in n.names)
    ]
    if len(stars) == 1 and name in (star_import_names(stars[0]) or ()):
        return facts(stars[0], name, depth + 1)  # type: ignore[arg-type]
    # ``CCompiler = base.Compiler``: a module-level alias of a class defined elsewhere.
    alias = _alias_of(tree, name)
    if alias is not None:
        return resolve_base(alias, imports, depth + 1, abstract)
    # Python 3.13's ``collections.abc`` is ``sys.modules[__name__] = _collections_abc``.
    replaced_by = _module_replaced_by(tree)
    if replaced_by is not None:
        return facts(replaced_by, name, depth + 1)
    return None


@functools.lru_cache(maxsize=1024)
def abstract_facts(module: str, name: str, depth: int = 0) -> AbstractFacts | None:
    """(abstract methods left unimplemented, metaclass is ABCMeta) of class ``name`` of
    ``module`` (pylint's E0110 for an instance of a subclass); None when unknown."""
    if depth > _MAX_DEPTH:
        return None
    if module in ("typing", "typing_extensions"):
        if name in _TYPING_ABCS:
            return abstract_facts("collections.abc", name, depth + 1)
        return (frozenset(), False, frozenset()) if name == "Generic" else None
    tree, loaded = _load(module)
    if tree is None:
        obj = getattr(loaded, name, None) if loaded is not None else None
        if not isinstance(obj, type):
            return None
        abstract = frozenset(getattr(obj, "__abstractmethods__", ()))
        return abstract, isinstance(obj, abc.ABCMeta), frozenset(dir(obj)) - abstract
    found = _class_statement(tree, module, name, depth, abstract=True)
    if not isinstance(found, ast.ClassDef):
        return found
    imports = _imports(tree, _package_of(module))
    local_classes = {n.name: n for n in tree.body if type(n) is ast.ClassDef}

    def base_facts(parts: list[str]) -> AbstractFacts | None:
        if len(parts) == 1 and parts[0] in local_classes and parts[0] not in imports:
            return None if parts[0] == name else abstract_facts(module, parts[0], depth + 1)
        return resolve_base(parts, imports, depth, abstract=True)

    return abstract_members(found, base_facts)


def abstract_members(
    node: ast.ClassDef, base_facts: Callable[[list[str]], AbstractFacts | None]
) -> AbstractFacts | None:
    """The abstract facts of a class statement, given those of its bases (``base_facts``:
    dotted name of a base -> its facts or None). Like pylint's walk of the ancestry, last
    base first (the method resolution order, reversed): an ``@abstractmethod`` makes a name
    abstract, any other binding implements it."""
    abc_meta = False
    for kw in node.keywords:
        if kw.arg == "metaclass":
            if (dotted(kw.value) or [""])[-1] != "ABCMeta":
                return None
            abc_meta = True
    left: set[str] = set()
    concrete: set[str] = set()
    for base in reversed(node.bases):
        parts = dotted(base.value if type(base) is ast.Subscript else base)  # Mapping[str, str]
        facts = base_facts(parts) if parts is not None else None
        if facts is None:
            return None
        left = (left - facts[2]) | facts[0]
        abc_meta = abc_meta or facts[1]
        concrete |= facts[2]
    for stmt in node.body:
        if type(stmt) in (ast.FunctionDef, ast.AsyncFunctionDef) and any(
            (dotted(d.func if type(d) is ast.Call else d) or [""])[-1] in ABSTRACT_DECORATORS
            for d in stmt.decorator_list  # type: ignore[attr-defined]
        ):
            left.add(stmt.name)  # type: ignore[attr-defined]
            continue
        names = _top_level_names(stmt, _MAX_DEPTH)
        if type(stmt) is ast.AnnAssign and type(stmt.target) is ast.Name:
            names.add(stmt.target.id)
        left -= names
        concrete |= names
    return frozenset(left), abc_meta, frozenset(concrete)


def _alias_of(tree: ast.Module, name: str) -> list[str] | None:
    """``name = a.b.C`` as ``["a", "b", "C"]`` when that is the module's only top-level
    statement binding ``name`` (a plain name or attribute chain, read like a base)."""
    found: list[str] | None = None
    for node in tree.body:
        if name not in _top_level_names(node, _MAX_DEPTH):
            continue
        if found is not None or type(node) is not ast.Assign or len(node.targets) != 1:
            return None
        target = node.targets[0]
        if type(target) is not ast.Name or target.id != name:
            return None
        found = dotted(node.value)
        if found is None or found[0] == name:
            return None
    return found


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
