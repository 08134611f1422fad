"""Toolchains declared as data in ``toolchains.toml``, with code only for their exceptions.

A compiler is mostly facts (its command line, how its errors look, how to install it); the
table holds them so that adding one is a table, not a module. :func:`declared` builds the
:class:`~lintseq_compilers.base.Toolchain` of one table; a toolchain module passes the
fields that need code (a file name read from the source, a warm backend, its own parser).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from lintseq_compilers.base import Toolchain
from lintseq_core.errors import ConfigError

try:  # Python >= 3.11
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

__all__ = ["TABLE", "ArgvTemplate", "FixedName", "build", "declared", "declared_names"]

TABLE = "toolchains.toml"
_TEXT = ("language", "executable", "install", "description", "args_env")
_REGEX = ("pattern", "syntax", "ignore", "code_drop", "duplicate")
_KNOWN = {*_TEXT, *_REGEX, "file", "argv", "version_args", "env", "timeout"}
_REQUIRED = ("language", "executable", "install", "filename", "command", "pattern", "syntax")


@dataclass(frozen=True)
class FixedName:
    """A ``Toolchain.filename`` that names every state's file the same."""

    name: str

    def __call__(self, source: str) -> str:
        return self.name


@dataclass(frozen=True)
class ArgvTemplate:
    """A ``Toolchain.command`` from words where ``{path}`` and ``{workdir}`` are filled in."""

    words: tuple[str, ...]

    def __call__(self, path: Path, workdir: Path) -> list[str]:
        return [w.replace("{path}", str(path)).replace("{workdir}", str(workdir)) for w in self.words]


@cache
def _tables() -> dict[str, dict[str, Any]]:
    text = resources.files("lintseq_compilers").joinpath(TABLE).read_text(encoding="utf-8")
    return tomllib.loads(text)


def declared_names() -> list[str]:
    """The toolchains the table declares, in its order."""
    return list(_tables())


def _fields(name: str, table: dict[str, Any]) -> dict[str, Any]:
    """``Toolchain`` keyword arguments from one table, checked so a typo names its key."""
    where = f"{TABLE} [{name}]"
    unknown = sorted(set(table) - _KNOWN)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {unknown}; known keys: {sorted(_KNOWN)}")
    fields: dict[str, Any] = {"name": name}
    for key, value in table.items():
        if key in _TEXT or key in _REGEX or key == "file":
            if not isinstance(value, str):
                raise ConfigError(f"{where}: {key} must be a string, got {value!r}")
        elif key in ("argv", "version_args"):
            if not (isinstance(value, list) and value and all(isinstance(w, str) for w in value)):
                raise ConfigError(f"{where}: {key} must be a non-empty list of strings, got {value!r}")
        if key in _TEXT:
            fields[key] = value
        elif key in _REGEX:
            try:
                fields[key] = re.compile(value)
            except re.error as exc:
                raise ConfigError(f"{where}: {key} is not a regular expression ({exc}): {value!r}") from exc
        elif key == "file":
            fields["filename"] = FixedName(value)
        elif key == "argv":
            fields["command"] = ArgvTemplate(tuple(value))
        elif key == "version_args":
            fields["version_args"] = tuple(value)
        elif key == "env":
            if not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
                raise ConfigError(f"{where}: env must be a table of strings, got {value!r}")
            fields["env"] = dict(value)
        else:  # timeout
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ConfigError(f"{where}: timeout must be a positive number of seconds, got {value!r}")
            fields["timeout"] = float(value)
    return fields


def declared(name: str, **code: Any) -> Toolchain:
    """The toolchain of table ``name``; ``code`` gives (or replaces) fields that need code."""
    tables = _tables()
    if name not in tables:
        raise ConfigError(f"{TABLE} declares no toolchain {name!r}; it has {sorted(tables)}")
    return build(name, tables[name], **code)


def build(name: str, table: dict[str, Any], **code: Any) -> Toolchain:
    """The toolchain ``name`` from one table's keys plus the fields ``code`` gives."""
    fields = {**_fields(name, table), **code}
    missing = [key for key in _REQUIRED if key not in fields]
    if missing:
        raise ConfigError(f"{TABLE} [{name}]: no {', '.join(missing)}: declare them in the table "
                          "or pass them from the toolchain's module")
    return Toolchain(**fields)
