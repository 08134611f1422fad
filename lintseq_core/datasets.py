"""Dataset readers for ``lintseq-core ablate``: found through entry points, loaded on demand.

The core names no benchmark. A distribution that knows a dataset format (the evaluation
stack knows HumanEval-X) registers an object in the ``lintseq.ablation_datasets``
entry-point group; ``ablate`` asks each reader, sorted by entry-point name, whether a
dataset is of its format. This module is separate from :mod:`lintseq_core.ablate` so that
building the command line (which adds the readers' options) stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from lintseq_core.errors import PluginLoadError

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from lintseq_core.ablate import Program
    from lintseq_core.host import PluginHost

__all__ = ["READERS_GROUP", "DatasetReader", "dataset_readers"]

#: Entry-point group of dataset readers: ``name = "module:READER"`` where ``READER`` has
#: the attributes of :class:`DatasetReader`. Benchmark formats are read by the distributions
#: that know them (the evaluation stack ships one); the core knows none.
READERS_GROUP = "lintseq.ablation_datasets"


class DatasetReader(Protocol):
    """Turns a dataset of one format into programs per language, for ``ablate``.

    ``read`` returns ``None`` when ``dataset`` is not of its format, else the programs it
    found for the wanted languages (host names; a language it has nothing for is simply
    absent). ``add_arguments`` adds its own options to ``lintseq-core ablate``; ``read``
    and ``environment`` receive the parsed options (``None`` outside the command).
    ``environment`` returns variables the languages' oracles need to judge this format's
    programs offline (empty when ``dataset`` is not of its format; set only where the user
    has not set them).
    """

    name: str
    description: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def read(
        self, host: PluginHost, dataset: Path, languages: Sequence[str], options: argparse.Namespace | None
    ) -> dict[str, list[Program]] | None: ...

    def environment(
        self, dataset: Path, languages: Sequence[str], options: argparse.Namespace | None
    ) -> dict[str, str]: ...


def dataset_readers() -> list[DatasetReader]:
    """The installed dataset readers, sorted by entry-point name; a broken one is one
    clear error naming its distribution and entry point."""
    from lintseq_core.distributions import entry_points

    found = entry_points(READERS_GROUP)
    if found is None:
        from importlib import metadata

        found = [
            (getattr(ep.dist, "name", "?"), getattr(ep.dist, "version", ""), ep)
            for ep in metadata.entry_points(group=READERS_GROUP)
        ]
    readers: dict[str, DatasetReader] = {}
    for dist, version, ep in sorted(found, key=lambda f: f[2].name):
        if ep.name in readers:  # the same distribution twice on sys.path (editable + site)
            continue
        try:
            readers[ep.name] = ep.load()
        except Exception as exc:
            raise PluginLoadError(
                f"ablation dataset reader {ep.name!r} (entry point {ep.value!r}) from distribution "
                f"{dist} {version} failed to load: {type(exc).__name__}: {exc}. Fix or uninstall "
                "that distribution."
            ) from exc
    return list(readers.values())
