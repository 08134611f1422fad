"""The two Python analyzers on hand-written program states, one per error class.

Every state (in states.toml) is what deleting lines from a valid program can leave behind.
The fast ``ast`` analyzer must report an error on the line pylint (the reference rules)
reports it, with pylint's code, so the sampler deletes the same line.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lintseq_python.fast_analyzer import analyze_fast
from lintseq_python.pylint_analyzer import (
    KEPT_WARNINGS,
    PylintAnalyzer,
    analyze_pylint,
    get_pylint_analyzer,
)

try:  # Python >= 3.11
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]


def _states() -> tuple[list[tuple[str, str, set[tuple[int, str]]]], list[tuple[str, str]]]:
    """The hand-written states of states.toml: (name, state, expected pairs) and clean ones."""
    cases = tomllib.loads((Path(__file__).parent / "states.toml").read_text(encoding="utf-8"))
    errors = [(c["name"], c["state"], {(line, code) for line, code in c["expected"]}) for c in cases["error"]]
    return errors, [(c["name"], c["state"]) for c in cases["clean"]]


STATES, CLEAN = _states()


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


def test_class_members_under_a_metaclass_astroid_cannot_infer() -> None:
    # A metaclass imported from a module not found here (or by a relative import) is
    # ignored by pylint: ``Cls.gone`` is E1101 once the class attribute is deleted. A
    # program metaclass adds its members (``Meta.helper``) but one with ``__getattr__``
    # makes them unknown; ``abc.ABC`` classes have ABCMeta's (``register``).
    state = (
        "import abc\n"
        "from .meta import Meta\n"
        "from lintseq_no_such_module import Other\n"
        "class Lazy(type):\n"
        "    def __getattr__(cls, name):\n"
        "        return name\n"
        "class Helper(type):\n"
        "    def helper(cls):\n"
        "        return cls\n"
        "class A(metaclass=Meta):\n"
        "    X = 1\n"
        "class B(metaclass=Other):\n"
        "    X = 1\n"
        "class C(metaclass=Lazy):\n"
        "    X = 1\n"
        "class D(metaclass=Helper):\n"
        "    X = 1\n"
        "class E(abc.ABC):\n"
        "    X = 1\n"
        "def f():\n"
        "    return A.gone\n"
        "def g():\n"
        "    return B.gone, C.gone\n"
        "def h():\n"
        "    return D.gone, D.helper\n"
        "def k():\n"
        "    return E.register, A.X, E.gone\n"
    )
    expected = {(21, "E1101"), (23, "E1101"), (25, "E1101"), (27, "E1101")}
    assert {p for p in _pairs(analyze_fast(state)) if p[1] == "E1101"} == expected
    assert {p for p in _pairs(analyze_pylint(state)) if p[1] == "E1101"} == expected
    assert [d.message for d in analyze_fast(state) if d.line == 23] == ["Class 'B' has no 'gone' member"]


def test_member_holding_an_instance_under_a_base_astroid_cannot_infer() -> None:
    # dnspython zone.py: ``class Transaction(dns.transaction.Transaction)`` assigns
    # ``self.version = WritableVersion(...)``; a base pylint cannot import adds no value
    # of ``self.version``, so a method ``WritableVersion`` lost is E1101 on the read.
    state = (
        "from lintseq_no_such_module import Transaction as Base\n"
        "class Version:\n"
        "    def __init__(self, zone):\n"
        "        self.zone = zone\n"
        "    def get_node(self, name):\n"
        "        return name\n"
        "class Transaction(Base):\n"
        "    def _setup_version(self):\n"
        "        self.version = Version(self.zone)\n"
        "    def _get_rdataset(self, name):\n"
        "        return self.version.get_rdataset(name), self.version.get_node(name)\n"
    )
    expected = {(11, "E1101")}
    assert {p for p in _pairs(analyze_fast(state)) if p[1] == "E1101"} == expected
    assert {p for p in _pairs(analyze_pylint(state)) if p[1] == "E1101"} == expected


def test_function_of_a_class_body_called_in_the_body() -> None:
    # cpython fractions.py ``__add__, __radd__ = _operator_fallbacks(_add, operator.add)``
    # once ``return forward, reverse`` is deleted: a def of the class body called there.
    state = (
        "import operator\n"
        "class Fraction:\n"
        "    def _operator_fallbacks(monomorphic_operator, fallback_operator):\n"
        "        def forward(a, b):\n"
        "            return monomorphic_operator(a, b)\n"
        "        print(forward, fallback_operator)\n"
        "    def _add(a, b):\n"
        "        return a + b\n"
        "    __add__, __radd__ = _operator_fallbacks(_add, operator.add)\n"
        "    __sub__ = _operator_fallbacks(_add, operator.sub)\n"
        "    __mul__ = _add(1, 2, 3)\n"
    )
    expected = {(9, "E1111"), (9, "E0633"), (10, "E1111"), (11, "E1121")}
    codes = {"E1111", "E0633", "E1121"}
    assert {p for p in _pairs(analyze_fast(state)) if p[1] in codes} == expected
    assert {p for p in _pairs(analyze_pylint(state)) if p[1] in codes} == expected
