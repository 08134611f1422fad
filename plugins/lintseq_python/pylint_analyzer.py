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

Memory: pylint and astroid memoise inference results and lookups in module-level caches
that hold references to the checked module's nodes. They are cleared after every check, and
the state's module is dropped from astroid's module cache, so the memory of a long
conversion stays flat. Modules that the programs import (``math``, ``re``...) stay cached:
that set is bounded and rebuilding them every call would cost more than the check.
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
from importlib import metadata
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
            with redirect_stdout(sink), redirect_stderr(sink), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the state's own SyntaxWarnings
                self.linter.check_single_file_item(FileItem(_MODULE_NAME, self._path, _MODULE_NAME))
        except Exception as exc:  # noqa: BLE001 - an astroid crash is pylint's F0002, as in its CLI
            out.append(Diagnostic(0, "F0002", f"astroid-error: {type(exc).__name__}: {exc}", syntax=True))
        finally:
            self._source = ""
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
    out = []
    for dist in ("pylint", "astroid"):
        try:
            out.append((dist, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            continue
    return out
