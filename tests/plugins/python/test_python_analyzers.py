"""The two Python analyzers on hand-written program states, one per error class.

Every state here is what deleting lines from a valid program can leave behind. The fast
``ast`` analyzer must report an error on the line pylint (the reference rules) reports it,
with pylint's code, so the sampler deletes the same line.
"""

from __future__ import annotations

import os
import textwrap

import pytest
from lintseq_python.fast_analyzer import analyze_fast
from lintseq_python.pylint_analyzer import (
    KEPT_WARNINGS,
    PylintAnalyzer,
    analyze_pylint,
    get_pylint_analyzer,
)


def _src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# (name, state, expected (line, code) pairs under the reference rules)
STATES = [
    ("empty block", "def f(x):\n    if x:\n    return 1\n", {(2, "E0001")}),
    ("orphan else", "def f(x):\n    else:\n        return 1\n", {(2, "E0001")}),
    ("orphan decorator", "@staticmethod\n\nx = 1\n", {(3, "E0001")}),
    ("undefined", "def f(a):\n    return a + b\n", {(2, "E0602")}),
    ("undefined in comprehension", "def f(a):\n    return [y for y in a if z]\n", {(2, "E0602")}),
    ("class name from method", "class A:\n    y = 1\n    def f(self):\n        return y\n", {(4, "E0602")}),
    ("used before assignment", "def f(a):\n    print(x)\n    x = 1\n    return a\n", {(2, "E0601")}),
    ("module used before assignment", "print(x)\nx = 1\n", {(1, "E0601")}),
    ("except name after handler", _src("""
        def f():
            try:
                pass
            except ValueError as e:
                pass
            return e
        """), {(6, "E0601")}),
    ("possibly used (if without else)", "def f(a):\n    if a:\n        x = 1\n    return x\n", {(4, "E0606")}),
    ("possibly used (elif)", _src("""
        def f(a):
            if a == 1:
                x = 1
            elif a == 2:
                x = 2
            return x
        """), {(6, "E0606")}),
    ("global bound in if", "import sys\ndef f():\n    return X\nif sys.argv:\n    X = 1\n", {(3, "E0606")}),
    ("return outside function", "x = 1\nreturn x\n", {(2, "E0104")}),
    ("break outside loop", "x = 1\nbreak\n", {(2, "E0103")}),
    ("continue outside loop", "def f():\n    continue\n", {(2, "E0103")}),
    ("nonlocal without binding", "def f():\n    def g():\n        nonlocal z\n        z = 1\n    return g\n", {(3, "E0117")}),
    ("assignment from no return", "def f(a):\n    a += 1\nx = f(1)\n", {(3, "E1111")}),
    ("assignment from None", "def f(a):\n    a += 1\n    return\nx = f(1)\n", {(4, "E1128")}),
    ("method returns nothing", _src("""
        class A:
            def f(self):
                pass
            def g(self):
                y = self.f()
                return y
        """), {(5, "E1111")}),
    ("self member gone", _src("""
        class A:
            def __init__(self):
                pass
            def g(self):
                return self.x
        """), {(5, "E1101")}),
    ("class member gone", "class A:\n    pass\nprint(A.x)\n", {(3, "E1101")}),
    ("instance member gone", "class A:\n    def f(self):\n        return 1\na = A()\na.g()\n", {(5, "E1101")}),
    ("super init not called", _src("""
        class B:
            def __init__(self):
                self.b = 1
        class A(B):
            def __init__(self):
                self.a = 1
        """), {(5, "W0231")}),
    ("shadowed builtin subscript", _src("""
        def f(n):
            if n >= 1:
                sum[0] = 1
            return sum[n - 1]
        """), {(3, "E1137"), (4, "E1136")}),
    ("builtin iterated", "for i in len:\n    pass\n", {(1, "E1133")}),
    ("bad indentation", "def f(x):\n\tif x:\n\t\treturn 1\n\treturn 2\n", {(2, "W0311"), (3, "W0311"), (4, "W0311")}),
    ("lone carriage return at the end", "x = 1\r\ny = x\r", {(2, "E2511")}),
    ("name not provided by a star import", "from math import *\nprint(sqrt(2), foo)\n", {(2, "E0602")}),
    ("call of a function that returns nothing, subscripted", "def f(x):\n    x += 1\nprint(f(1)[0])\n", {(3, "E1136")}),
    ("member gone, imported base", _src("""
        import codecs
        class Decoder(codecs.IncrementalDecoder):
            def __init__(self, errors='strict'):
                codecs.IncrementalDecoder.__init__(self, errors)
            def decode(self, data, final=False):
                return codecs.charmap_decode(data, self.errors, self.mapping)[0]
        """), {(6, "E1101")}),
    ("super init not called, imported base", _src("""
        import codecs
        class Decoder(codecs.IncrementalDecoder):
            def __init__(self, errors='strict'):
                self.mapping = errors
        """), {(3, "W0231")}),
    # Real library files (pandas, click) showed these: an annotation evaluated at run time
    # once ``from __future__ import annotations`` is gone, a special method that lost its
    # return, a class that lost __enter__, a base with ``metaclass=ABCMeta``, and the
    # implementation after ``typing.overload`` stubs.
    ("type-checking import used at run time", _src("""
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from collections import OrderedDict
        def f(x: OrderedDict):
            y: OrderedDict = x
            return y
        """), {(4, "E0601")}),
    ("__repr__ lost its return", "class A:\n    def __repr__(self):\n        name = 'A'\n", {(2, "E0306")}),
    ("context manager lost __enter__", _src("""
        class A:
            def __exit__(self, *exc):
                return False
        with A() as a:
            pass
        """), {(4, "E1129")}),
    ("member gone, ABCMeta metaclass", _src("""
        import abc
        class A(metaclass=abc.ABCMeta):
            def f(self):
                return self.g()
        """), {(4, "E1101")}),
    ("overloaded function returns only None", _src("""
        import typing
        @typing.overload
        def f(a: int) -> int:
            ...
        def f(a):
            return None
        x = f(1)
        """), {(7, "E1128")}),
    ("function that raises NotImplementedError only in a branch", _src("""
        def h(group):
            if group:
                raise NotImplementedError(group)
        y = h(1)
        """), {(4, "E1111")}),
    ("NamedTuple field gone", _src("""
        from typing import NamedTuple
        class Color(NamedTuple):
            name: str
            def show(self):
                return self.name, self.number
        """), {(5, "E1101")}),
    ("member gone, typing.Mapping base and a closure over self", _src("""
        import typing
        class Params(typing.Mapping[str, str]):
            def __init__(self):
                self._dict = {}
            def listed(self):
                def one(key):
                    return self.remove(key)
                return one
        """), {(7, "E1101")}),
    ("member gone, on a new instance", _src("""
        class Font:
            def actual(self):
                return {}
        fb = Font().copy()
        """), {(4, "E1101")}),
    ("function returns nothing, in yield from and ** unpacking", _src("""
        def rows():
            print(1)
        def table():
            yield from rows()
            print(**rows())
        """), {(4, "E1133"), (5, "E1134")}),
    ("class attribute left only None, subscripted", _src("""
        class Context:
            out = None
            def get(self, name):
                return self.out[name]
        """), {(4, "E1136")}),
    ("method returns nothing, its result called", _src("""
        class D:
            def compute(self):
                print(self)
            def run(self, t):
                d = self.compute()
                return d(t), self.compute()(t), D().compute()
        """), {(5, "E1111"), (6, "E1102")}),
    ("super() method returns nothing, unpacked", _src("""
        class A:
            def m(self, url):
                if url:
                    raise ValueError(url)
                opts = 1
        class B(A):
            def m(self, url):
                arg, opts = super().m(url)
                return arg, opts
        """), {(8, "E0633"), (8, "E1111")}),
    ("augmented member gone, base class unknown", _src("""
        import importlib
        NodeVisitor = importlib.import_module("visitor").NodeVisitor
        class A(NodeVisitor):
            def f(self):
                self.y += 1
        """), {(5, "E1101")}),
    ("instance of a program class that lost __getitem__", _src("""
        class L:
            def __init__(self, f):
                self.f = f
        d = L(1)
        print(d[0])
        """), {(5, "E1136")}),
    ("super init not called, base of unknown ancestry", _src("""
        import importlib
        Base = importlib.import_module("base").Base
        class A(Base):
            pass
        class B(A):
            def __init__(self):
                self.x = 1
        """), {(6, "W0231")}),
    ("variable left only None, called", _src("""
        def f(a):
            h = None
            if h is None:
                return None
            return h(a)
        """), {(5, "E1102")}),
    ("contextmanager that no longer yields", _src("""
        import contextlib
        @contextlib.contextmanager
        def iso():
            x = 1
        with iso() as o:
            print(o)
        """), {(5, "E1129")}),
    ("member read before the only method that assigns it", _src("""
        class A:
            def f(self):
                print(self.v)
                self.v = 1
        """), {(3, "E0203")}),
    ("name bound only in an except handler", _src("""
        try:
            import winreg
        except ImportError:
            k = 1
        print(k)
        """), {(5, "E0601")}),
    ("global read before the function assigns it", _src("""
        def f():
            global X
            X = not X
        """), {(3, "E0601")}),
    ("dataclass field gone", _src("""
        from dataclasses import dataclass
        @dataclass
        class I:
            high: float
        a = I(1, True)
        b = I(1, low=2)
        """), {(5, "E1121"), (6, "E1123")}),
    ("classmethod returns nothing, unpacked", _src("""
        class P:
            @classmethod
            def g(cls, m):
                print(m)
            @classmethod
            def h(cls, m):
                a, b = cls.g(m)
                return a, b
        """), {(7, "E0633")}),
    ("inherited method returns nothing", _src("""
        class A:
            def convert(self):
                print(self)
        class B(A):
            def run(self):
                s = self.convert()
                return s
        """), {(6, "E1111")}),
    ("nested function returns nothing, iterated", _src("""
        def f(db):
            def names(m):
                print(m)
            for n in names(db):
                print(n)
        """), {(4, "E1133")}),
]

CLEAN = [
    ("if/else both bind", "import sys\nif sys.argv:\n    x = 1\nelse:\n    x = 2\nprint(x)\n"),
    ("loop body counts as run", "def f(a):\n    for i in a:\n        x = i\n    return x, i\n"),
    ("try body counts as run", "def f(a):\n    try:\n        x = int(a)\n    except ValueError:\n        pass\n    return x\n"),
    ("branch that raises", "def f(a):\n    if a:\n        x = 1\n    else:\n        raise ValueError\n    return x\n"),
    ("closure bound later", "def f():\n    def g():\n        return y\n    y = 2\n    return g\n"),
    ("global defined after function", "def f():\n    return X\nX = 1\n"),
    ("walrus", "def f(a):\n    if (n := len(a)) > 1:\n        return n\n    return n\n"),
    ("exception base members", "class E(Exception):\n    def __init__(self):\n        super().__init__()\n        print(self.args)\n"),
    ("CRLF program", "def f(x):\r\n    return x\r\n"),
    ("builtin generic alias", "x = list[int]\n"),
    ("main guard", "def f():\n    return 1\nif __name__ == '__main__':\n    r = f()\n    print(r)\n"),
    ("class body reads the global of the same name", "codec = 1\nclass A:\n    codec = codec\n"),
    ("inherited member of an imported base", _src("""
        import codecs
        class Decoder(codecs.IncrementalDecoder):
            def decode(self, data, final=False):
                return self.errors
        """)),
    ("type-checking import in postponed annotations", _src("""
        from __future__ import annotations
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from collections import OrderedDict
        def f(x: OrderedDict) -> OrderedDict:
            return x
        class A:
            y: OrderedDict
        """)),
    ("global assigned in one function, read in another", _src("""
        def f():
            global X
            X = 1
        def g():
            return X
        """)),
    ("member read in a try whose handler catches AttributeError", _src("""
        class A:
            def f(self):
                try:
                    return self.v
                except AttributeError:
                    self.v = 1
                    return self.v
        """)),
    ("special methods that are abstract or stubs", _src("""
        class A:
            def __repr__(self):
                raise NotImplementedError
            def __len__(self):
                pass
            def __hash__(self):
                ...
            def __str__(self):
                "Text."
        """)),
]


def _pairs(diagnostics) -> set[tuple[int, str]]:
    return {(d.line, d.code) for d in diagnostics}


@pytest.mark.parametrize(("name", "state", "expected"), STATES, ids=[s[0] for s in STATES])
def test_fast_analyzer_reports_each_error_class(name: str, state: str, expected: set) -> None:
    assert _pairs(analyze_fast(state)) == expected


@pytest.mark.parametrize(("name", "state", "expected"), STATES, ids=[s[0] for s in STATES])
def test_pylint_agrees_on_the_hand_written_states(name: str, state: str, expected: set) -> None:
    # The expected pairs are pylint's: this pins the reference rules the fast analyzer mimics.
    assert _pairs(analyze_pylint(state)) == expected


@pytest.mark.parametrize(("name", "state"), CLEAN, ids=[s[0] for s in CLEAN])
def test_clean_states_are_clean_for_both(name: str, state: str) -> None:
    assert analyze_fast(state) == []
    assert analyze_pylint(state) == []


def test_syntax_errors_are_marked_and_charged_to_the_header() -> None:
    state = "def f(x):\n    if x:\n    return 1\n"
    for diagnostics in (analyze_fast(state), analyze_pylint(state)):
        assert [(d.line, d.code, d.syntax) for d in diagnostics] == [(2, "E0001", True)]
    assert all(not d.syntax for d in analyze_fast("x = y\n"))


def test_try_without_handler_is_charged_to_try() -> None:
    state = "def f(a):\n    try:\n        x = int(a)\n    y = 2\n    return x + y\n"
    assert _pairs(analyze_fast(state)) == {(2, "E0001")}


def test_pylint_keeps_only_the_reference_warnings() -> None:
    # W0612 (unused variable) and W0611 (unused import) are not reference errors.
    state = "import os\ndef f():\n    x = 1\n    return 2\n"
    assert analyze_pylint(state) == []
    assert set(KEPT_WARNINGS) == {"W0311", "W0231"}


def test_pylint_ignores_project_config_in_the_working_directory(tmp_path, monkeypatch) -> None:
    (tmp_path / "pylintrc").write_text("[MESSAGES CONTROL]\ndisable=all\n")
    (tmp_path / "pyproject.toml").write_text("[tool.pylint.'MESSAGES CONTROL']\ndisable = ['E0602']\n")
    monkeypatch.chdir(tmp_path)
    fresh = PylintAnalyzer()  # configured here, where the project config lies
    assert _pairs(fresh.check("x = y\n")) == {(1, "E0602")}


def test_pylint_checks_from_a_string_without_temporary_files(tmp_path) -> None:
    analyzer = get_pylint_analyzer()
    workdir = os.path.dirname(analyzer._path)
    analyze_pylint("x = 1\n")
    assert os.listdir(workdir) == ["empty.pylintrc"]


def test_pylint_caches_are_cleared_after_each_check() -> None:
    from astroid import MANAGER
    from astroid.context import _INFERENCE_CACHE
    from astroid.nodes._base_nodes import LookupMixIn

    analyze_pylint("class A:\n    def f(self):\n        return self.g()\nA().f()\n")
    assert "lintseq_state" not in MANAGER.astroid_cache
    assert not _INFERENCE_CACHE
    assert LookupMixIn.lookup.cache_info().currsize == 0


def test_an_astroid_crash_becomes_a_diagnostic(monkeypatch) -> None:
    analyzer = get_pylint_analyzer()

    def crash(_item) -> None:
        raise RecursionError("inference went too deep")

    monkeypatch.setattr(analyzer.linter, "check_single_file_item", crash)
    [diagnostic] = analyze_pylint("x = 1\n")
    assert (diagnostic.code, diagnostic.syntax) == ("F0002", True)
    assert "RecursionError" in diagnostic.message
