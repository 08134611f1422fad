"""The plugin host: finds plugins through entry points, loads them, and answers by language.

Built-in plugins are registered through the same ``lintseq`` entry-point group as
third-party ones (as flake8 and datasette do), so there is a single path to test.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import pluggy

from lintseq_core import hookspecs
from lintseq_core.errors import (
    ConfigError,
    PluginLoadError,
    UnknownAnalyzerError,
    UnknownLanguageError,
)
from lintseq_core.fences import extract_fenced_code
from lintseq_core.types import AnalyzerInfo, Diagnostic, Language, ProgramStructure

if TYPE_CHECKING:
    from importlib import metadata

    from lintseq_core.distributions import DistEntryPoint

__all__ = [
    "BUILTIN_DISTRIBUTION",
    "DISABLED_PLUGINS_ENV",
    "DISABLE_AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "PluginHost",
    "PluginRef",
    "find_plugins",
    "get_host",
    "load_host_factory",
    "make_plugin_manager",
]

ENTRY_POINT_GROUP = "lintseq"
BUILTIN_DISTRIBUTION = "lintseq"
DISABLE_AUTOLOAD_ENV = "LINTSEQ_DISABLE_PLUGIN_AUTOLOAD"
DISABLED_PLUGINS_ENV = "LINTSEQ_DISABLED_PLUGINS"


@dataclass(frozen=True)
class PluginRef:
    """An entry point found for the group, with the distribution that declares it."""

    distribution: str
    version: str
    entry_point: metadata.EntryPoint | DistEntryPoint  # both have name, value, group, load()

    @property
    def name(self) -> str:
        return self.entry_point.name

    @property
    def builtin(self) -> bool:
        return _normalise(self.distribution) == BUILTIN_DISTRIBUTION


def _normalise(dist_name: str) -> str:
    return dist_name.lower().replace("_", "-")


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


def find_plugins(
    distributions: Iterable[metadata.Distribution] | None = None,
    *,
    autoload: bool | None = None,
    disabled: Iterable[str] | None = None,
) -> list[PluginRef]:
    """List the plugin entry points to load, sorted for determinism; imports nothing.

    With autoload off (``LINTSEQ_DISABLE_PLUGIN_AUTOLOAD=1``) only the built-in plugins of
    the ``lintseq`` distribution are kept. ``LINTSEQ_DISABLED_PLUGINS`` (comma separated
    entry-point names) removes plugins by name.
    """
    if autoload is None:
        autoload = not _env_flag(DISABLE_AUTOLOAD_ENV)
    if disabled is None:
        disabled = [s.strip() for s in os.environ.get(DISABLED_PLUGINS_ENV, "").split(",")]
    disabled_set = {d for d in disabled if d}
    found = _entry_points(distributions)
    refs: dict[tuple[str, str], PluginRef] = {}
    for dist_name, version, ep in found:
        ref = PluginRef(dist_name, version, ep)
        if ep.name in disabled_set or (not autoload and not ref.builtin):
            continue
        # The same distribution can appear twice on sys.path (editable + site): keep one.
        refs.setdefault((_normalise(dist_name), ep.name), ref)
    return sorted(refs.values(), key=lambda r: (not r.builtin, _normalise(r.distribution), r.name))


def _entry_points(
    distributions: Iterable[metadata.Distribution] | None,
) -> list[tuple[str, str, Any]]:
    """``(distribution, version, entry point)`` of the ``lintseq`` group.

    Installed distributions are read by :mod:`lintseq_core.distributions` (importing
    importlib.metadata and parsing every METADATA through it would cost a one-program
    conversion most of its start-up); given ``distributions`` are read through their API.
    """
    if distributions is None:
        from lintseq_core.distributions import entry_points

        fast = entry_points(ENTRY_POINT_GROUP)
        if fast is not None:
            return fast
        from importlib import metadata

        distributions = metadata.distributions()
    out = []
    for dist in distributions:
        # Entry points first: only the distributions that declare a plugin have their
        # METADATA parsed (an e-mail message, ~5 ms each).
        eps = [ep for ep in dist.entry_points if ep.group == ENTRY_POINT_GROUP]
        if eps:
            meta = dist.metadata  # parsed anew on every access: read it once
            out.extend((meta["Name"] or "<unknown>", meta["Version"] or "", ep) for ep in eps)
    return out


def make_plugin_manager(refs: Sequence[PluginRef] = (), extra: Sequence[Any] = ()) -> pluggy.PluginManager:
    """Build a plugin manager with the hookspecs, the given entry points and extra objects."""
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    for ref in refs:
        try:
            plugin = ref.entry_point.load()
        except Exception as exc:
            raise PluginLoadError(
                f"lintseq plugin {ref.name!r} (entry point {ref.entry_point.value!r}) from "
                f"distribution {ref.distribution} {ref.version} failed to load: "
                f"{type(exc).__name__}: {exc}. Fix or uninstall that distribution, or skip it "
                f"with {DISABLED_PLUGINS_ENV}={ref.name}."
            ) from exc
        try:
            pm.register(plugin, name=f"{ref.distribution}:{ref.name}")
            pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginLoadError(
                f"lintseq plugin {ref.name!r} from distribution {ref.distribution} "
                f"{ref.version} does not match the hook specifications: {exc}"
            ) from exc
    for obj in extra:
        pm.register(obj)
    pm.check_pending()
    return pm


class PluginHost:
    """Answers questions by language and analyzer name, on top of a plugin manager."""

    def __init__(self, pm: pluggy.PluginManager, refs: Sequence[PluginRef] = ()) -> None:
        self.pm = pm
        self.refs = tuple(refs)
        self._languages: dict[str, Language] = {}
        self._alias: dict[str, str] = {}
        self._analyzers: dict[str, dict[str, AnalyzerInfo]] = {}
        self._collect()

    @classmethod
    def from_entry_points(cls, extra: Sequence[Any] = (), **find_kwargs: Any) -> PluginHost:
        refs = find_plugins(**find_kwargs)
        return cls(make_plugin_manager(refs, extra), refs)

    def _collect(self) -> None:
        for declared in self.pm.hook.lintseq_languages():
            for lang in declared or ():
                name = lang.name.lower()
                old = self._languages.get(name)
                self._languages[name] = lang if old is None else _merge_languages(old, lang)
        for name, lang in self._languages.items():
            for alias in (name, *lang.aliases):
                self._alias.setdefault(alias.lower(), name)
        for declared in self.pm.hook.lintseq_analyzers():
            for info in declared or ():
                lang = self._alias.get(info.language.lower())
                if lang is None:
                    raise PluginLoadError(
                        f"analyzer {info.name!r} is declared for language {info.language!r}, "
                        "which no plugin declares"
                    )
                self._analyzers.setdefault(lang, {})[info.name] = replace(info, language=lang)

    # ---- languages -------------------------------------------------------------------
    @property
    def languages(self) -> dict[str, Language]:
        return dict(sorted(self._languages.items()))

    def language(self, name: str) -> Language:
        """Resolve a language name or alias; raise a clear error listing known ones."""
        canonical = self._alias.get(name.strip().lower())
        if canonical is None:
            known = ", ".join(sorted(self._languages)) or "none (no plugin loaded)"
            raise UnknownLanguageError(
                f"unknown language {name!r}. Known languages: {known}. "
                "Run `lintseq-core languages` to see plugins, or install a plugin that adds it."
            )
        return self._languages[canonical]

    def language_for_path(self, path: str) -> Language | None:
        lowered = path.lower()
        best: tuple[int, Language] | None = None
        for lang in self._languages.values():
            for ext in lang.extensions:
                if lowered.endswith(ext.lower()) and (best is None or len(ext) > best[0]):
                    best = (len(ext), lang)
        return best[1] if best else None

    def language_for_fence(self, tag: str) -> Language | None:
        tag = tag.strip().lower()
        for lang in self._languages.values():
            if tag in (t.lower() for t in lang.fence_tags):
                return lang
        canonical = self._alias.get(tag)
        return self._languages.get(canonical) if canonical else None

    # ---- analyzers -------------------------------------------------------------------
    def analyzers(self, language: str) -> dict[str, AnalyzerInfo]:
        return dict(sorted(self._analyzers.get(self.language(language).name, {}).items()))

    def analyzer(self, language: str, name: str | None = None, *, check: bool = True) -> AnalyzerInfo:
        """Resolve ``--linter`` for a language (its default when ``name`` is None)."""
        lang = self.language(language)
        available = self._analyzers.get(lang.name, {})
        if not available:
            raise UnknownAnalyzerError(f"language {lang.name!r} has no analyzer installed")
        if name is None:
            name = lang.default_analyzer if lang.default_analyzer in available else sorted(available)[0]
        info = available.get(name)
        if info is None:
            raise UnknownAnalyzerError(
                f"language {lang.name!r} has no analyzer {name!r}; choose one of: "
                f"{', '.join(sorted(available))}"
            )
        if check and info.available is not None:
            problem = info.available()
            if problem:
                raise UnknownAnalyzerError(
                    f"analyzer {name!r} for {lang.name} cannot run here: {problem}"
                )
        return info

    def analyze(self, language: str, analyzer: str, source: str) -> list[Diagnostic]:
        result = self.pm.hook.lintseq_analyze(language=language, analyzer=analyzer, source=source)
        if result is None:
            raise UnknownAnalyzerError(
                f"no plugin answered lintseq_analyze for {language}/{analyzer}"
            )
        return result

    def structure(
        self, language: str, analyzer: str, lines: Sequence[str], reference_rules: bool = False
    ) -> ProgramStructure:
        result = self.pm.hook.lintseq_structure(
            language=language, analyzer=analyzer, lines=lines, reference_rules=reference_rules
        )
        return ProgramStructure.flat(lines) if result is None else result

    def extract_code(self, language: str, text: str) -> str:
        """Code of ``language`` in a markdown answer: a plugin's answer, else fenced blocks."""
        lang = self.language(language)
        result = self.pm.hook.lintseq_extract_code(language=lang.name, text=text)
        if result is not None:
            return result
        return extract_fenced_code(text, (lang.name, *lang.aliases, *lang.fence_tags))

    def versions(self, languages: Sequence[str] | None = None) -> list[tuple[str, str]]:
        """Plugin distributions and the components plugins report, for ``languages`` (names
        or aliases; ``None``: all)."""
        wanted = None if languages is None else sorted({self.language(n).name for n in languages})
        out: list[tuple[str, str]] = [(r.distribution, r.version) for r in self.refs]
        for pairs in self.pm.hook.lintseq_plugin_versions(languages=wanted):
            out.extend(pairs or ())
        return sorted(set(out))


def _merge_languages(a: Language, b: Language) -> Language:
    def union(x: tuple[str, ...], y: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*x, *y)))

    return Language(
        name=a.name,
        aliases=union(a.aliases, b.aliases),
        extensions=union(a.extensions, b.extensions),
        fence_tags=union(a.fence_tags, b.fence_tags),
        default_analyzer=a.default_analyzer or b.default_analyzer,
    )


@functools.lru_cache(maxsize=1)
def get_host() -> PluginHost:
    """The process-wide host built from installed entry points (built once per process)."""
    return PluginHost.from_entry_points()


def load_host_factory(spec: str | None) -> Callable[[], PluginHost]:
    """``module:function`` that builds the plugin host; ``None`` means installed entry points."""
    if spec is None:
        return get_host
    module, _, attr = spec.partition(":")
    if not module or not attr:
        raise ConfigError(f"--plugin-host must look like 'module:function', got {spec!r}")
    try:
        factory = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"--plugin-host {spec!r}: cannot import it: {exc}") from exc
    if not callable(factory):
        raise ConfigError(f"--plugin-host {spec!r} is not callable")
    return factory
