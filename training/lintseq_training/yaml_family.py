"""Shipped YAML files that inherit from each other: training recipes, experiment plans.

A family is a package folder of ``<name>.yaml`` files (names starting with ``_`` are shared
bases, not listed). A file may say ``inherit: <name or path.yaml>``; its mappings are merged
key by key over the parent's, so a child states only what it changes.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["YamlFamily", "merge_mappings"]


def merge_mappings(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """``top`` over ``base``, recursively for mappings (lists and scalars are replaced)."""
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge_mappings(out[key], value)
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class YamlFamily:
    """The files of ``package``'s folder ``folder``, called ``kind`` in messages (``recipe``).

    ``error`` is the exception raised for a bad name or file; ``annotate`` may rewrite one
    file's mapping before it is merged (plans resolve their relative paths there).
    """

    package: str
    folder: str
    kind: str
    error: type[Exception]
    annotate: Callable[[Path, dict[str, Any]], None] | None = None

    def directory(self) -> Path:
        return Path(str(resources.files(self.package) / self.folder))

    def names(self) -> list[str]:
        """Names of the shipped files (files starting with ``_`` are shared bases)."""
        return sorted(p.stem for p in self.directory().glob("*.yaml") if not p.name.startswith("_"))

    def path(self, name_or_path: str | Path) -> Path:
        """A shipped file by name, or a YAML file by path; an unknown name suggests close ones."""
        text = str(name_or_path)
        shipped = self.directory() / f"{text}.yaml"
        if "/" not in text and not text.endswith((".yaml", ".yml")) and shipped.is_file():
            return shipped
        path = Path(text).expanduser()
        if path.is_file():
            return path
        names = self.names()
        close = difflib.get_close_matches(text, names, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else f"; shipped {self.kind}s: {', '.join(names)}"
        raise self.error(f"{self.kind} {text!r} is neither a shipped {self.kind} nor a file{hint}")

    def read(self, path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
        """The mapping of ``path`` merged over the files it inherits from."""
        import yaml

        if path.resolve() in seen:
            raise self.error(f"{self.kind} {path} inherits from itself")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise self.error(f"{self.kind} {path} is not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise self.error(f"{self.kind} {path} must be a mapping of key: value, not {type(data).__name__}")
        if self.annotate is not None:
            self.annotate(path, data)
        parent = data.pop("inherit", None)
        if parent is None:
            return data
        parent_path = (path.parent / parent) if str(parent).endswith((".yaml", ".yml")) else self.path(parent)
        return merge_mappings(self.read(parent_path, (*seen, path.resolve())), data)
