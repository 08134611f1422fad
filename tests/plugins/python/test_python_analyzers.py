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
