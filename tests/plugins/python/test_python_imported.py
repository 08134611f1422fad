"""Static facts about imported modules: read from source, never by running a package."""

from __future__ import annotations

import subprocess
import sys

from lintseq_python.fast_analyzer import analyze_fast
from lintseq_python.imported import abstract_facts, class_facts, resolve_base, star_import_names
from lintseq_python.pylint_analyzer import analyze_pylint


def test_star_import_names() -> None:
    math_names = star_import_names("math")
    assert math_names is not None and {"sqrt", "pi", "gcd"} <= math_names
    ctypes_names = star_import_names("ctypes")  # a literal-free module: its public names
    assert ctypes_names is not None and "Structure" in ctypes_names and "_swapped_meta" not in ctypes_names
    assert star_import_names("no_such_module_here") is None
    # relative: pylint lints a state as a lone module, where it binds nothing
    assert star_import_names("os", level=1) == frozenset()


def test_a_relative_star_import_leaves_all_names_undefined() -> None:
    # pyyaml representer.py once ``class Representer`` is deleted: ``from .error import *``
    # cannot bind it (pylint: E0402 on the import, E0603 on ``__all__``)
    state = '__all__ = ["BaseRepresenter", "Representer"]\n\nfrom .error import *\n\n\nclass BaseRepresenter:\n    pass\n'
    assert [(d.line, d.code) for d in analyze_fast(state)] == [(1, "E0603")]
    assert {(d.line, d.code) for d in analyze_pylint(state)} == {(1, "E0603"), (3, "E0402")}


def test_class_facts_of_a_frozen_stdlib_module() -> None:
    facts = class_facts("codecs", "IncrementalDecoder")
    assert facts is not None
    members, defines_init = facts
    assert {"errors", "decode", "reset", "__init__"} <= members and defines_init
    assert "mapping" not in members


def test_builtin_and_unknown_bases() -> None:
    members, defines_init = resolve_base(["Exception"], {})
    assert "args" in members and not defines_init
    assert resolve_base(["Base"], {}) is None
    assert resolve_base(["lib", "Base"], {"lib": ("no_such_module_here", None)}) is None


def test_finding_a_submodule_does_not_import_its_package() -> None:
    # In a fresh interpreter, so that nothing else has imported the package already.
    code = (
        "import sys\n"
        "from lintseq_python.imported import class_facts\n"
        "facts = class_facts('xmlrpc.client', 'Transport')\n"
        "assert facts is not None and {'_connection', 'close'} <= facts[0] and facts[1], facts\n"
        "assert 'xmlrpc' not in sys.modules and 'xmlrpc.client' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_a_module_that_puts_another_in_its_place_is_followed(tmp_path, monkeypatch):
    # Python 3.13's collections.abc is `sys.modules[__name__] = _collections_abc`.
    (tmp_path / "lintseq_real_mod.py").write_text("class Thing:\n    def go(self):\n        return 1\n")
    (tmp_path / "lintseq_alias_mod.py").write_text(
        "import lintseq_real_mod\nimport sys\nsys.modules[__name__] = lintseq_real_mod\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    facts = class_facts("lintseq_alias_mod", "Thing")
    assert facts is not None and "go" in facts[0]
    assert class_facts("collections.abc", "Mapping") is not None  # on every supported Python


def test_a_class_aliased_at_module_level_is_followed(tmp_path, monkeypatch):
    # setuptools' distutils.ccompiler: `from .compilers.C import base` then
    # `CCompiler = base.Compiler`; msvccompiler.py subclasses CCompiler.
    (tmp_path / "lintseq_base_mod.py").write_text("class Compiler:\n    def compile(self):\n        return 1\n")
    (tmp_path / "lintseq_reexport_mod.py").write_text(
        "import lintseq_base_mod as base\nCCompiler = base.Compiler\n")
    (tmp_path / "lintseq_rebound_mod.py").write_text(
        "import lintseq_base_mod as base\nCCompiler = base.Compiler\nCCompiler = object\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    facts = class_facts("lintseq_reexport_mod", "CCompiler")
    assert facts is not None and "compile" in facts[0]
    assert class_facts("lintseq_rebound_mod", "CCompiler") is None  # bound twice: unknown


def test_star_import_names_are_public_names_whatever_all_says(tmp_path, monkeypatch):
    # astroid binds a module's public names on `from m import *` (its __all__ aside), so
    # pylint reports E0602 for other names even when __all__ is computed (tkinter's).
    (tmp_path / "lintseq_star_mod.py").write_text(
        "import os\n__all__ = [n for n in dir() if n.islower()]\ndef Tk():\n    pass\n_private = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert star_import_names("lintseq_star_mod") == frozenset({"os", "Tk"})


def test_abstract_facts_follow_the_method_resolution_order() -> None:
    left, abc_meta, _ = abstract_facts("collections.abc", "MutableMapping")
    assert abc_meta and left == {"__getitem__", "__setitem__", "__delitem__", "__iter__", "__len__"}
    # KeysView(MappingView, Set): MappingView's __len__ implements Set's abstract one.
    assert abstract_facts("collections.abc", "KeysView")[0] == frozenset()
    assert abstract_facts("collections", "OrderedDict")[:2] == (frozenset(), False)


def test_a_module_binding_names_through_globals_has_unknown_members(tmp_path, monkeypatch) -> None:
    # ``re`` before Python 3.11: ``globals().update(RegexFlag.__members__)`` binds ``re.I``.
    from lintseq_python.imported import module_members

    (tmp_path / "lintseq_dyn_members.py").write_text(
        "import enum\nclass Flag(enum.IntFlag):\n    I = 2\nglobals().update(Flag.__members__)\n", encoding="utf-8"
    )
    (tmp_path / "lintseq_static_members.py").write_text(
        "import enum\nclass Flag(enum.IntFlag):\n    I = 2\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert module_members("lintseq_dyn_members") is None
    assert module_members("lintseq_static_members") == frozenset({"enum", "Flag"})
