"""The dataset bundled with the package: where it is and which language it holds.

The language is a fact of the data (``data/sample.meta.json``), not of the core's code: the
core names no language, and a different bundled sample would only change that file.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["bundled_sample", "sample_language"]


def bundled_sample() -> Path:
    """The small dataset shipped with the package (default input of ``convert``)."""
    return Path(str(resources.files("lintseq_core") / "data" / "sample.jsonl"))


@cache
def sample_language() -> str:
    """The language of the bundled sample: ``convert``'s default ``--lang``."""
    meta = resources.files("lintseq_core") / "data" / "sample.meta.json"
    return str(json.loads(meta.read_text(encoding="utf-8"))["language"])
