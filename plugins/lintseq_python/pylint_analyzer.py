"""The reference analyzer: pylint with the rules of the LintSeq paper, run in-process.

The reference implementation (``pylintseq``'s ``file_linter``) writes every program state
to a temporary file and runs the whole pylint command line on it (~30 ms a call). Here one
:class:`pylint.lint.PyLinter` is configured once per process and re-used: each state is
built into an astroid module straight from the string and checked by the same checkers,
which costs a few milliseconds. The rules are the reference's: ``--disable=C,R``, every
E/F/I message, and of the warnings only W0311 (bad indentation) and W0231
(super-init-not-called). Other warnings are switched off at the source rather than
filtered afterwards, which gives the same messages faster.

Determinism: the linter reads an explicit empty rcfile in a private empty directory, so a
``pylintrc`` or ``pyproject.toml`` of the user's project cannot change the data. E0401
(import-error) still depends on which packages are installed where the conversion runs; it
is a reference rule, so it is kept.

Library modules and state: the modules that the programs import (``os``, ``numpy``...) are
built by astroid once per process and stay cached across calls: building them is most of
the cost of a real file's first state (7 s for ``networkx``), and they do not change
between states. Two things tie a state to them, and both are undone after every check:

* memoised inference results and lookups in module-level caches, which hold the state's
  nodes: they are cleared (keeping the library's entries was measured to gain nothing:
  12.4 vs 12.1 ms per check on 146 states of real files), and the state's module is dropped
  from astroid's module cache;
* attributes that the state assigns on library objects (``parser.verbose = True`` on an
  ``argparse.ArgumentParser``, ``os.flag = 1``): astroid records each such assignment in the
  library class's or module's attribute table, where it would stay, keeping every old state
  alive (a leak) and hiding ``no-member`` errors from later states that a fresh pylint run
  reports. They are recorded as the state is built and removed after its check.

So every check gives the diagnostics of a fresh pylint run on that state, and the memory of
a long conversion stays flat (tests/plugins/python/test_python_pylint_state.py).
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
import tempfile
import warnings
import weakref
from contextlib import redirect_stderr, redirect_stdout
from typing import TYPE_CHECKING

from lintseq_core.types import Diagnostic

if TYPE_CHECKING:
    from pylint.lint import PyLinter

__all__ = [
    "KEPT_WARNINGS",
    "PYLINT_ARGS",
    "SYNTAX_CODES",
    "PylintAnalyzer",
    "analyze_pylint",
    "get_pylint_analyzer",
    "pylint_missing",
]

# Warnings that the reference counts as errors (everything else it reads is E, F or I).
KEPT_WARNINGS = ("W0311", "W0231")
# Messages meaning "the text does not parse / cannot be built": an original with one is rejected.
SYNTAX_CODES = frozenset({"E0001", "F0002", "F0001", "F0010"})
# The reference's command line (file_linter), minus the output format options it parses back.
PYLINT_ARGS = (
    "--disable=C,R,W",
    f"--enable={','.join(KEPT_WARNINGS)}",
    "--reports=n",
    "--score=n",
    "--persistent=n",
    "--unsafe-load-any-extension=y",
    "--generated-members=cv2.*",
)
_MODULE_NAME = "lintseq_state"


def pylint_missing() -> str | None:
    """``None`` when pylint can be imported, else how to install it."""
    try:
        import pylint  # noqa: F401
    except ImportError:
        return "pylint is not installed: pip install 'lintseq[python]' (or pip install pylint)"
    return None


def _message_line(msg_id: str, line: int, message: str) -> int:
    """The line the reference charges a message to.

    For E0001 messages like "expected an indented block after 'if' statement on line 3
    (<unknown>, line 4)" the reference takes the number before the last parenthesis: the
    header that lost its block, not the line after it.
    """
    if msg_id == "E0001" and "on line" in message:
        head = message[: message.rfind("(")].rstrip()
        word = head.split(" ")[-1].strip("'\"")
        if word.isdigit():
            return int(word)
    return line


class PylintAnalyzer:
    """One configured pylint linter, re-used for every program state of the process."""

    def __init__(self) -> None:
        from pylint.checkers import BaseRawFileChecker, BaseTokenChecker
        from pylint.config.config_initialization import _config_initialization
        from pylint.lint import PyLinter
        from pylint.reporters import CollectingReporter
        from pylint.utils.ast_walker import ASTWalker

        self._workdir = tempfile.mkdtemp(prefix="lintseq-pylint-")
        weakref.finalize(self, shutil.rmtree, self._workdir, ignore_errors=True)
        rcfile = os.path.join(self._workdir, "empty.pylintrc")
        with open(rcfile, "w", encoding="utf-8"):
            pass
        self._path = os.path.join(self._workdir, _MODULE_NAME + ".py")
        self._reporter = CollectingReporter()
        self._source = ""
        self._undo: list[tuple[dict, str, object, bool]] = []

        analyzer = self

        class _StringLinter(PyLinter):
            """A linter that builds the checked module from a string, not from a file.

            It also sets up its AST walker and checker lists once instead of per check:
            pylint rebuilds them for every file (sorting ~70 checkers, registering their
            visit methods), about half of the time of checking a small program. They depend
            only on the configuration, which never changes here.
            """

            _prepared: tuple | None = None

            def get_ast(self, filepath, modname, data=None):  # type: ignore[override]
                return super().get_ast(filepath, modname, analyzer._source if data is None else data)

            @contextlib.contextmanager
            def _astroid_module_checker(self):  # type: ignore[override]
                if self._prepared is None:
                    walker = ASTWalker(self)
                    needed = self.prepare_checkers()
                    for checker in needed:
                        walker.add_checker(checker)
                    self._prepared = (
                        walker,
                        needed,
                        [c for c in needed if isinstance(c, BaseTokenChecker)],
                        [c for c in needed if isinstance(c, BaseRawFileChecker)],
                    )
                walker, needed, tokencheckers, rawcheckers = self._prepared
                for checker in needed:
                    checker.open()
                yield functools.partial(
                    self.check_astroid_module,
                    walker=walker,
                    tokencheckers=tokencheckers,
                    rawcheckers=rawcheckers,
                )
                self.stats.statement = walker.nbstatements
                for checker in reversed(needed):
                    checker.close()

        linter: PyLinter = _StringLinter()
        linter.load_default_plugins()
        sink = io.StringIO()
        with redirect_stdout(sink), redirect_stderr(sink):
            _config_initialization(linter, list(PYLINT_ARGS), self._reporter, config_file=rcfile)
        linter.set_reporter(self._reporter)
        linter.initialize()
        self.linter = linter

    def check(self, source: str) -> list[Diagnostic]:
        """Diagnostics of one program state under the reference rules."""
        from pylint.typing import FileItem

        self._reporter.reset()
        self._source = source
        sink = io.StringIO()
        out = []
        try:
            with redirect_stdout(sink), redirect_stderr(sink), warnings.catch_warnings(), \
                    _recording_library_attributes(self._undo):
                warnings.simplefilter("ignore")  # the state's own SyntaxWarnings
                self.linter.check_single_file_item(FileItem(_MODULE_NAME, self._path, _MODULE_NAME))
        except Exception as exc:  # noqa: BLE001 - an astroid crash is pylint's F0002, as in its CLI
            out.append(Diagnostic(0, "F0002", f"astroid-error: {type(exc).__name__}: {exc}", syntax=True))
        finally:
            self._source = ""
            _undo_library_attributes(self._undo)
            _clear_caches()
        for m in self._reporter.messages:
            if m.category == "warning" and m.msg_id not in KEPT_WARNINGS:
                continue
            if m.category in ("convention", "refactor"):
                continue
            line = _message_line(m.msg_id, m.line or 0, m.msg or "")
            out.append(Diagnostic(line, m.msg_id, m.msg or "", syntax=m.msg_id in SYNTAX_CODES))
        self._reporter.reset()
        return out


def _attribute_tables(node) -> list[tuple[dict, bool]]:
    """The attribute tables of library objects that ``node`` (a state's ``x.attr = ...``)
    may be recorded in, each with whether it already has the name.

    These are the tables astroid's ``AstroidBuilder.delayed_assattr`` appends to: the
    ``instance_attrs`` of the class of an instance or of a function, and the ``locals`` of
    a class or module. Tables of the state's own nodes are left out: they go with the state.
    """
    from astroid.exceptions import InferenceError

    out: list[tuple[dict, bool]] = []
    try:
        inferred = list(node.expr.infer())  # memoised: delayed_assattr's own inference reuses it
    except (InferenceError, RecursionError):
        return out
    state = node.root()
    for value in inferred:
        for obj in (value, getattr(value, "_proxied", None)):
            for table_name in ("instance_attrs", "locals"):
                table = getattr(obj, table_name, None)
                if isinstance(table, dict) and obj.root() is not state:
                    out.append((table, node.attrname in table))
    return out


@contextlib.contextmanager
def _recording_library_attributes(undo: list[tuple[dict, str, object, bool]]):
    """While a state is built, record the assignments it adds to library attribute tables."""
    from astroid.builder import AstroidBuilder

    original = AstroidBuilder.delayed_assattr

    def delayed_assattr(builder, node) -> None:
        if node.root().name != _MODULE_NAME:  # a library module being built: its own facts
            original(builder, node)
            return
        tables = _attribute_tables(node)
        original(builder, node)
        for table, had in tables:
            if node in table.get(node.attrname, ()):
                undo.append((table, node.attrname, node, had))

    AstroidBuilder.delayed_assattr = delayed_assattr  # type: ignore[method-assign]
    try:
        yield
    finally:
        AstroidBuilder.delayed_assattr = original  # type: ignore[method-assign]


def _undo_library_attributes(undo: list[tuple[dict, str, object, bool]]) -> None:
    """Remove what a state added to library attribute tables (see the module docstring)."""
    while undo:
        table, name, node, had = undo.pop()
        values = table.get(name)
        if values is None:
            continue
        while node in values:
            values.remove(node)
        if not values and not had:
            del table[name]


def _clear_caches() -> None:
    """Drop every memoised value that refers to the checked module's nodes."""
    from astroid import MANAGER
    from astroid.context import _invalidate_cache
    from astroid.inference_tip import clear_inference_tip_cache
    from astroid.nodes._base_nodes import LookupMixIn
    from pylint.checkers.clear_lru_cache import clear_lru_caches

    clear_lru_caches()
    clear_inference_tip_cache()
    _invalidate_cache()
    LookupMixIn.lookup.cache_clear()
    MANAGER.astroid_cache.pop(_MODULE_NAME, None)


@functools.lru_cache(maxsize=1)
def get_pylint_analyzer() -> PylintAnalyzer:
    """The process-wide pylint analyzer (built on first use: importing pylint takes ~0.5 s)."""
    return PylintAnalyzer()


def analyze_pylint(source: str) -> list[Diagnostic]:
    return get_pylint_analyzer().check(source)


def pylint_versions() -> list[tuple[str, str]]:
    """Installed pylint and astroid (read without importing them or importlib.metadata)."""
    from lintseq_core.distributions import distribution_version

    versions = ((dist, distribution_version(dist)) for dist in ("pylint", "astroid"))
    return [(dist, version) for dist, version in versions if version is not None]
