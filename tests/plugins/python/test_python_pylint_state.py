"""The in-process pylint analyzer keeps library modules across calls and nothing of the states.

One :class:`~lintseq_python.pylint_analyzer.PylintAnalyzer` checks every state of a process:
the library modules states import stay built, and what a state leaves behind (memoised
inference, attributes it assigns on library objects) is undone after its check. These tests
check the two promises that follow - each check gives the diagnostics of a fresh pylint run,
and no state outlives its check - and that the private pylint API the analyzer overrides
still has the shape it relies on (the ``python`` extra pins pylint to the versions checked).
"""

from __future__ import annotations

import gc
import inspect
import sysconfig
from pathlib import Path

import pytest

pylint = pytest.importorskip("pylint")

from lintseq_python.pylint_analyzer import (  # noqa: E402 - after the importorskip
    _MODULE_NAME,
    KEPT_WARNINGS,
    PYLINT_ARGS,
    PylintAnalyzer,
    get_pylint_analyzer,
)

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def _params(func) -> list[str]:
    return list(inspect.signature(func).parameters)


def _installed() -> str:
    import astroid

    return f"pylint {pylint.__version__}, astroid {astroid.__version__}"


_HINT = (f"{_installed()} changed an API that lintseq_python/pylint_analyzer.py relies on; "
         "adapt the analyzer and the pin of the `python` extra in pyproject.toml")


def _need(module: str, attr: str | None = None):
    """``module`` (or its ``attr``), or a failure saying what is missing and what to do."""
    import importlib

    try:
        obj = importlib.import_module(module)
        return obj if attr is None else getattr(obj, attr)
    except (ImportError, AttributeError) as exc:
        pytest.fail(f"{module}{'.' + attr if attr else ''} is gone ({exc}). {_HINT}")


def test_private_pylint_api_has_the_shape_the_analyzer_overrides() -> None:
    """Fails with a message naming what changed when a pylint upgrade moves an API."""
    PyLinter = _need("pylint.lint", "PyLinter")
    ASTWalker = _need("pylint.utils.ast_walker", "ASTWalker")
    AstroidBuilder = _need("astroid.builder", "AstroidBuilder")
    FileItem = _need("pylint.typing", "FileItem")
    for base in ("BaseTokenChecker", "BaseRawFileChecker"):  # how the analyzer sorts the checkers
        assert isinstance(_need("pylint.checkers", base), type), f"pylint.checkers.{base}. {_HINT}"
    config_initialization = _need("pylint.config.config_initialization", "_config_initialization")
    expected = {
        "PyLinter._astroid_module_checker": (_params(PyLinter._astroid_module_checker), ["self"]),
        "PyLinter.check_astroid_module": (
            _params(PyLinter.check_astroid_module)[:5],
            ["self", "ast_node", "walker", "rawcheckers", "tokencheckers"]),
        "PyLinter.get_ast": (_params(PyLinter.get_ast), ["self", "filepath", "modname", "data"]),
        "PyLinter.check_single_file_item": (_params(PyLinter.check_single_file_item), ["self", "file"]),
        "PyLinter.prepare_checkers": (_params(PyLinter.prepare_checkers), ["self"]),
        "_config_initialization": (
            _params(config_initialization)[:4], ["linter", "args_list", "reporter", "config_file"]),
        "FileItem": (list(FileItem._fields), ["name", "filepath", "modpath"]),
        "ASTWalker.add_checker": (_params(ASTWalker.add_checker), ["self", "checker"]),
        "AstroidBuilder.delayed_assattr": (_params(AstroidBuilder.delayed_assattr), ["self", "node"]),
    }
    for name, (got, want) in expected.items():
        assert got == want, f"{name}: parameters {got}, expected {want}. {_HINT}"
    # pylint must still reach the overridden methods from the entry point the analyzer calls.
    source = inspect.getsource(PyLinter._check_file) + inspect.getsource(PyLinter.check_single_file_item)
    assert "_astroid_module_checker" in source or "get_ast" in source, (
        f"PyLinter._check_file/check_single_file_item call neither _astroid_module_checker nor get_ast. {_HINT}"
    )
    linter = PyLinter()
    assert hasattr(ASTWalker(linter), "nbstatements"), f"ASTWalker.nbstatements is gone. {_HINT}"
    assert hasattr(linter.stats, "statement"), f"PyLinter.stats.statement is gone. {_HINT}"
    # The caches the analyzer clears after each check.
    for module, attr in [("pylint.checkers.clear_lru_cache", "clear_lru_caches"),
                         ("astroid.context", "_invalidate_cache"),
                         ("astroid.inference_tip", "clear_inference_tip_cache")]:
        assert callable(_need(module, attr)), f"{module}.{attr} is not callable. {_HINT}"
    lookup = _need("astroid.nodes._base_nodes", "LookupMixIn").lookup
    assert callable(getattr(lookup, "cache_clear", None)), f"LookupMixIn.lookup is no lru_cache. {_HINT}"
    assert isinstance(_need("astroid", "MANAGER").astroid_cache, dict), _HINT


def test_the_analyzer_builds_its_walker_once_and_reports_the_reference_rules() -> None:
    analyzer = PylintAnalyzer()
    broken = "def f():\n  return undefined_name\n"
    first = analyzer.check(broken)
    prepared = analyzer.linter._prepared
    second = analyzer.check(broken)
    assert prepared is not None and analyzer.linter._prepared is prepared  # set up once, re-used
    assert first == second
    assert {d.code for d in first} == {"E0602", "W0311"}  # W0311 is one of KEPT_WARNINGS
    assert "W0311" in KEPT_WARNINGS and "--disable=C,R,W" in PYLINT_ARGS


# A state that assigns attributes on library objects (an instance of a library class, a
# library module, a library function), then one that reads attributes nobody assigned.
_MUTATE = (
    "import argparse\nimport os\nimport json\n"
    "parser = argparse.ArgumentParser()\nparser.verbose_level = 2\n"
    "os.lintseq_flag = 1\njson.dumps.cache = {}\n"
)
_PROBE = (
    "import argparse\nimport os\nimport json\n"
    "parser = argparse.ArgumentParser()\nprint(parser.verbose_level)\n"
    "print(os.lintseq_flag)\nprint(json.dumps.cache)\n"
)


def _keys(diagnostics) -> list[tuple[str, int, str]]:
    return sorted((d.code, d.line, d.message) for d in diagnostics)


def test_attributes_a_state_assigns_on_library_objects_do_not_reach_later_states() -> None:
    analyzer = get_pylint_analyzer()
    before = _keys(analyzer.check(_PROBE))
    # pylint reports the reads as no-member: the probe can tell a leak from none.
    assert [k[0] for k in before].count("E1101") >= 2, before
    for _ in range(3):
        analyzer.check(_MUTATE)
        assert _keys(analyzer.check(_PROBE)) == before


def _live_states() -> int:
    from astroid import nodes

    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, nodes.Module) and o.name == _MODULE_NAME)


def test_no_state_outlives_its_check() -> None:
    analyzer = get_pylint_analyzer()
    for i in range(5):
        analyzer.check(_MUTATE + f"parser.extra_{i} = {i}\n")
    settled = _live_states()
    for i in range(30):
        analyzer.check(_MUTATE + f"parser.other_{i} = {i}\nos.other_{i} = {i}\n")
    assert _live_states() <= settled, "states stay alive after their check: memory grows per call"


def _fresh_run(text: str, tmp_path: Path) -> list[tuple[str, int, str]]:
    """Diagnostics of a fresh pylint run (its CLI entry point, caches cleared after it) with
    the analyzer's options, filtered by the same rules."""
    from lintseq_python.pylint_analyzer import _message_line
    from pylint.lint import Run
    from pylint.reporters import CollectingReporter

    path = tmp_path / f"{_MODULE_NAME}.py"
    path.write_text(text, encoding="utf-8")
    rcfile = tmp_path / "empty.pylintrc"
    rcfile.write_text("", encoding="utf-8")
    reporter = CollectingReporter()
    Run([*PYLINT_ARGS, f"--rcfile={rcfile}", "--clear-cache-post-run=y", str(path)],
        reporter=reporter, exit=False)
    out = []
    for m in reporter.messages:
        if m.category in ("convention", "refactor") or (m.category == "warning" and m.msg_id not in KEPT_WARNINGS):
            continue
        out.append((m.msg_id, _message_line(m.msg_id, m.line or 0, m.msg or ""), m.msg or ""))
    return sorted(out)


@pytest.mark.slow
def test_states_of_real_files_get_the_diagnostics_of_a_fresh_pylint_run(host, tmp_path: Path, monkeypatch) -> None:
    """States of standard-library files, checked one after another by one analyzer (as a
    conversion does), against a fresh pylint run on each state."""
    from lintseq_core.sampler import make_sampler, sample_many, state_texts

    monkeypatch.chdir(tmp_path)  # a fresh run reads config files of its working directory
    names = ["sched.py", "netrc.py", "tabnanny.py", "zipapp.py"]
    states: list[str] = [_MUTATE, _PROBE]
    sampler = make_sampler(host, "python", "ast", "lintseq")
    for name in names:
        path = STDLIB / name
        if not path.is_file():
            continue
        code = path.read_text(encoding="utf-8")
        ((seq, _stats),) = sample_many(sampler, code, seed=0, index=0)
        states.extend(state_texts(seq)[:6])
    assert len(states) >= 12, "too few stdlib files installed to compare"
    analyzer = get_pylint_analyzer()
    ours = [_keys(analyzer.check(text)) for text in states]
    fresh = [_fresh_run(text, tmp_path) for text in states]
    assert any(ours), "no state had a diagnostic: the comparison would prove nothing"
    for k, (a, b) in enumerate(zip(ours, fresh, strict=True)):
        assert a == b, f"state {k} differs from a fresh pylint run:\n{states[k]}"
