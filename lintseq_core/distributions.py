"""Installed distributions read straight from ``*.dist-info`` folders, for a fast start-up.

Importing :mod:`importlib.metadata` costs ~60 ms of CPU (it brings the ``email`` package,
``zipfile`` and ``csv``) and reading a distribution's metadata through it parses the whole
METADATA file as an e-mail message; ``lintseq-core convert`` of one program must start in a
fraction of that. What start-up needs is small: the entry points of one group, and the
name and version of a few distributions. Both are read here from the folders on
``sys.path`` (``name-version.dist-info`` / ``.egg-info``: ``entry_points.txt`` and the
header lines of ``METADATA`` / ``PKG-INFO``), the same files importlib.metadata reads.

When ``sys.path`` holds something this reader does not look into (a zip file, an egg, a
finder on ``sys.meta_path`` that provides distributions of its own), every function falls
back to importlib.metadata, so the answers never differ from it.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["DistEntryPoint", "distribution_version", "entry_points"]

_SUFFIXES = (".dist-info", ".egg-info")
_SEPARATORS = re.compile(r"[-_.]+")


def _normalise(name: str) -> str:
    return _SEPARATORS.sub("-", name).lower()


@dataclass(frozen=True)
class DistEntryPoint:
    """An entry point as importlib.metadata describes it: ``name = module:attr`` in ``group``."""

    name: str
    value: str
    group: str

    def load(self):
        """Import the module and return the named attribute (or the module itself)."""
        module, _, attr = self.value.partition(":")
        obj = importlib.import_module(module.strip())
        for part in attr.split("[")[0].strip().split("."):
            if part:
                obj = getattr(obj, part)
        return obj


def _group_entry_points(folder: str, group: str) -> list[DistEntryPoint]:
    """The entry points of ``group`` declared in a metadata folder's ``entry_points.txt``."""
    try:
        with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as fh:
            text = fh.read()
    except OSError:
        return []
    out = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line:
            name, _, value = line.partition("=")
            out.append(DistEntryPoint(name.strip(), value.strip(), group))
    return out


def _simple_path() -> bool:
    """Whether every place importlib.metadata would search is a plain folder read here."""
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and callable(getattr(finder, "find_distributions", None)):
            return False
    return all(os.path.isdir(p) or not os.path.exists(p) for p in sys.path)


def _headers(folder: str) -> dict[str, str]:
    """``Name`` and ``Version`` from the header lines of METADATA (or PKG-INFO)."""
    for filename in ("METADATA", "PKG-INFO"):
        try:
            fh = open(os.path.join(folder, filename), encoding="utf-8", errors="replace")
        except OSError:
            continue
        out: dict[str, str] = {}
        with fh:
            for line in fh:
                if not line.strip():
                    break  # the headers end at the first blank line; the description follows
                key, sep, value = line.partition(":")
                if sep and key in ("Name", "Version") and key not in out:
                    out[key] = value.strip()
        return out
    return {}


def _metadata_folders() -> Iterator[tuple[str, str, str]]:
    """``(folder, name guessed from it, version guessed from it)`` of every distribution's
    metadata folder on ``sys.path``, in ``sys.path`` order."""
    for directory in sys.path:
        try:
            names = sorted(os.listdir(directory or "."))
        except OSError:
            continue
        for name in names:
            if name.endswith(_SUFFIXES):
                guess, _, version = name.rsplit(".", 1)[0].partition("-")
                yield os.path.join(directory or ".", name), guess, version


def entry_points(group: str) -> list[tuple[str, str, DistEntryPoint]] | None:
    """``(distribution, version, entry point)`` for every entry point of ``group``, in
    ``sys.path`` order; ``None`` when ``sys.path`` needs importlib.metadata to be read."""
    if not _simple_path():
        return None
    out = []
    for folder, guess, guessed_version in _metadata_folders():
        eps = _group_entry_points(folder, group)
        if eps:  # metadata headers are read only for the distributions that declare some
            headers = _headers(folder)
            name, version = headers.get("Name") or guess, headers.get("Version") or guessed_version
            out.extend((name, version, ep) for ep in eps)
    return out


@functools.cache
def distribution_version(name: str) -> str | None:
    """The installed version of distribution ``name``, or ``None`` when it is not installed."""
    if _simple_path():
        wanted = _normalise(name)
        for folder, guess, guessed_version in _metadata_folders():
            if _normalise(guess) == wanted:
                return _headers(folder).get("Version") or guessed_version or None
        return None
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
